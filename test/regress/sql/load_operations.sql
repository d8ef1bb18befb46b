--
-- load_operations: the trusted_advisor, health, application,
-- resilience_hub, support_tickets and compute_optimizer sections ->
-- trusted_advisor_checks, health_events, application_signals,
-- resilience_hub_apps, support_tickets, compute_optimizer.
--
--   A  one item each (application signals too, which the reference sender
--      never fills); EC2 and Lambda recommendations
--   B  a check without savings or timestamp; a closed AZ event and an open
--      global one; the same application service with and without a
--      namespace (two rows); an app with only last_drill and cost; two
--      tickets, one with nulls (language -> default 'en'); an EBS
--      recommendation
--   C  all of these sections []: nothing
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
       regress.counts(s, '{trusted_advisor_checks,health_events,application_signals,resilience_hub_apps,support_tickets,compute_optimizer}') c
 ORDER BY doc, tbl;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS trusted_advisor_checks
  FROM trusted_advisor_checks t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.check_name;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS health_events
  FROM health_events t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.arn;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS application_signals
  FROM application_signals t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.service_name, t.namespace NULLS FIRST;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS resilience_hub_apps
  FROM resilience_hub_apps t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.app_arn;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS support_tickets
  FROM support_tickets t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.case_id;
-- compute_optimizer: the document's own account_id (a 12-digit string) is
-- not stored; the row belongs to the document's account.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS compute_optimizer
  FROM compute_optimizer t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.resource_arn;
