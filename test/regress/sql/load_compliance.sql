--
-- load_compliance: the config and config_inventory sections ->
-- config_reports, non_compliant_resources, config_inventory.
--
--   A  a report with a NON_COMPLIANT and a COMPLIANT result; one RDS
--      instance in config_inventory
--   B  compliance_score the integer 50; the same rule and resource id for
--      two resource types (both kept); a result with null resource, type,
--      compliance type and mode; a "status" given; ELB, Auto Scaling
--      group and subnet in config_inventory
--   C  config [] and config_inventory []: nothing
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
  FROM summary, regress.counts(s, '{config_reports,non_compliant_resources,config_inventory}') c
 ORDER BY doc, tbl;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS config_reports
  FROM config_reports t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.date_from;
-- non_compliant_resources: config_rule_invoked_time -> created_at (kept:
-- it is data here); status defaults to 'OPEN' unless given.
SELECT a.account_id AS account, r.date_from AS report, to_jsonb(t) - 'id' - 'config_report_id' AS non_compliant_resources
  FROM non_compliant_resources t JOIN config_reports r ON r.id = t.config_report_id JOIN accounts a ON a.id = r.account_id
 ORDER BY a.account_id, r.date_from, t.rule_name, t.resource_type NULLS FIRST, t.resource_id NULLS FIRST;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS config_inventory
  FROM config_inventory t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.resource_type, t.resource_id;
