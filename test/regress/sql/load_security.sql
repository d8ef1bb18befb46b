--
-- load_security: the security section -> security, findings,
-- guard_duty_findings, kms_keys, waf_rules, waf_rules_detailed,
-- cloudtrail_logs, secrets_manager_secrets, certificates,
-- inspector_findings.
--
--   A  Security Hub groups "Security Hub" (2 findings) and "GuardDuty"
--      (1 finding); one item in each of the other arrays; a WAF web ACL with
--      two rules; an organisation trail
--   B  groups "Inspector" and "" (an empty ProductName); a CLOUDFRONT web
--      ACL whose rule names repeat under REGIONAL scope, and a WAF-classic
--      rule without scope; disabled KMS key, stopped trail, expired
--      imported certificate, nulls in the optional fields
--   C  security is [] (the collector failed): nothing
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
\set doc_b `cat data/account-b-2026-11-20.json`
\set doc_c `cat data/account-c-2026-11-20.json`
CREATE TEMP TABLE summary (doc text, s jsonb);
INSERT INTO summary SELECT 'A', mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
INSERT INTO summary SELECT 'B', mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json');
INSERT INTO summary SELECT 'C', mao_load(:'doc_c', 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json');
\pset format unaligned
SELECT doc, c.*
  FROM summary,
       regress.counts(s, '{security,findings,guard_duty_findings,kms_keys,waf_rules,waf_rules_detailed,cloudtrail_logs,secrets_manager_secrets,certificates,inspector_findings}') c
 ORDER BY doc, tbl;
-- security: one row per Security Hub group (product); severity_counts
-- spread over the *_count columns.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS security
  FROM security t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.service;
-- findings: attached to the group they were listed in; created_at and
-- updated_at are the finding's own (AWS API strings, Z and +0000 forms).
SELECT a.account_id AS account, s.service AS "group", to_jsonb(t) - 'id' - 'security_id' AS findings
  FROM findings t JOIN security s ON s.id = t.security_id JOIN accounts a ON a.id = s.account_id
 ORDER BY a.account_id, s.service, t.finding_id;
-- guard_duty_findings: the finding id goes to detector_id (the
-- reference's name); severity and confidence numeric(3,1).
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' AS guard_duty_findings
  FROM guard_duty_findings t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.detector_id;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS kms_keys
  FROM kms_keys t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.key_id;
-- waf_rules: one row per web ACL; the document's id -> waf_id,
-- default_action kept as JSON, blocked_countries as its JSON text.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS waf_rules
  FROM waf_rules t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.waf_id;
-- waf_rules_detailed: action as JSON text; the WAF-classic rule without
-- scope gets the column default 'REGIONAL'; B's "geo-block" exists under
-- both scopes.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS waf_rules_detailed
  FROM waf_rules_detailed t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.web_acl_name, t.rule_name, t.scope;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS cloudtrail_logs
  FROM cloudtrail_logs t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.arn;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS secrets_manager_secrets
  FROM secrets_manager_secrets t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.arn;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS certificates
  FROM certificates t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.arn;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS inspector_findings
  FROM inspector_findings t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.finding_arn;
