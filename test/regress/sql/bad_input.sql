--
-- bad_input: what the loader refuses, and what it accepts on purpose.
--
-- Errors: every case below shows the exact error (message, detail, hint)
-- and its SQLSTATE, then that no table changed: the checksums of all 36
-- tables equal those taken before the first case (sequences left out: a
-- failed load does not give back the ids it drew).  The documents are
-- account A's (B's for the last case) with one thing broken (jsonb_set,
-- #-), so the breakage is visible right here.
--
-- Non-errors: duplicates inside one array (last one wins, counted, said),
-- unknown top-level sections (ignored, said), [] in place of an object
-- section (empty), nulls (the column default where there is one), numbers
-- and booleans where a string belongs (kept as their JSON text).
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
\set doc_b `cat data/account-b-2026-11-20.json`
\set doc_c `cat data/account-c-2026-11-20.json`
\set doc_dup `cat data/duplicates-2026-11-20.json`
\set doc_nulls `cat data/nulls-2026-11-20.json`
\set src_a 'data/111122223333/eu-west-1/2026-11-20_DAILY.json'
SELECT mao_load(:'doc_a', :'src_a') -> 'totals' AS a;
SELECT mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json') -> 'totals' AS b;
CALL regress.snapshot('base');
\set VERBOSITY default
\set SHOW_CONTEXT never
--
-- ---- errors ---------------------------------------------------------------
--
-- The account section is missing ...
SELECT mao_load(:'doc_a'::jsonb - 'account', :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- ... or empty, as the reference sender writes it when STS fails.
SELECT mao_load(jsonb_set(:'doc_a', '{account}', '{}'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- account is not an object.
SELECT mao_load(jsonb_set(:'doc_a', '{account}', '"111122223333"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- account_id is not 12 digits.
SELECT mao_load(jsonb_set(:'doc_a', '{account,account_id}', '"1111-2222-3333"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{account,account_id}', '"11112222333"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- The document is an array, not an object.
SELECT mao_load(jsonb_build_array(:'doc_a'::jsonb), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- A string where a number belongs.
SELECT mao_load(jsonb_set(:'doc_a', '{service,0,cost}', '"41.2503"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- An object where an array belongs (a section and a nested list).
SELECT mao_load(jsonb_set(:'doc_a', '{security,kms}', '{"key_id": "k"}'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{cost,top_services}', '{"service": "x", "cost": 1}'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- An object where a string belongs, and a number where an object belongs
-- (a number where a string belongs is accepted: see the non-errors).
SELECT mao_load(jsonb_set(:'doc_a', '{account,account_name}', '{"name": "shop-prod"}'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{account,contact_info}', '5'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- Bad timestamps: not ISO-8601 at all, ...
SELECT mao_load(jsonb_set(:'doc_a', '{security,kms,0,creation_date}', '"yesterday"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,kms,0,creation_date}', '1700000000'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- ... and ISO-8601 in form but not a real moment: month 13, 30 February.
-- These must name the field like any other bad value (SQLSTATE 22023).
SELECT mao_load(jsonb_set(:'doc_a', '{security,kms,0,creation_date}', '"2026-13-45T00:00:00Z"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{service,0,date_from}', '"2026-02-30"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- A string longer than its varchar column.
SELECT mao_load(jsonb_set(:'doc_a', '{account,account_status}', to_jsonb(repeat('ACTIVE', 10))), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- ... where the column has another name than the field: the error names
-- the document's field (phone, type), not the column (phone_number,
-- finding_type).
SELECT mao_load(jsonb_set(:'doc_a', '{account,alternate_contacts,billing,phone}', to_jsonb(repeat('5', 51))), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,guard_duty,0,type}', to_jsonb(repeat('Recon:', 50))), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- Numbers that do not fit: numeric(3,1), and an integer column.
SELECT mao_load(jsonb_set(:'doc_a', '{security,guard_duty,0,severity}', '100'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,waf,0,rules_count}', '1e10'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,waf,0,rules_count}', '2.5'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- A granularity the reference's enum cannot store.
SELECT mao_load(jsonb_set(:'doc_a', '{cost,period,granularity}', '"YEARLY"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- An array element that is not an object (top level and nested).
SELECT mao_load(jsonb_set(:'doc_a', '{service,1}', '5'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,security_hub,0,findings,1}', '"finding"'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- A wrong type deep inside Security Hub findings: the path names the
-- group, the finding and the field.
SELECT mao_load(jsonb_set(:'doc_a', '{security,security_hub,1,findings,0,title}', '{"text": "x"}'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,security_hub,0,severity_counts}', '[1, 0, 1, 0, 0]'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- A required key missing, null or empty (finding_id identifies the row).
SELECT mao_load(:'doc_a'::jsonb #- '{security,security_hub,0,findings,1,finding_id}', :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(jsonb_set(:'doc_a', '{security,security_hub,0,findings,1,finding_id}', '""'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- A null in a NOT NULL column that has no default (a finding's title, a
-- cost report's period start).
SELECT mao_load(jsonb_set(:'doc_a', '{security,security_hub,0,findings,0,title}', 'null'), :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT mao_load(:'doc_a'::jsonb #- '{cost,period,start}', :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- The document is NULL.
SELECT mao_load(NULL, :'src_a');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
-- All or nothing: a new account whose document fails in its last section
-- (compute_optimizer, after every other table was written) leaves no
-- trace, not even its accounts row.
SELECT mao_load(jsonb_set(jsonb_set(:'doc_b', '{account,account_id}', '"999999999999"'),
                          '{compute_optimizer,0,performance_risk}', '12.5'),
                'data/999999999999/us-east-1/2026-11-20_DAILY.json');
\echo SQLSTATE :SQLSTATE
SELECT regress.tables_changed('base');
SELECT count(*) AS accounts_999999999999 FROM accounts WHERE account_id = '999999999999';
-- Only sequences moved: the ids the failed load drew are not given back.
SELECT obj FROM regress.changed('base') ORDER BY obj LIMIT 3;
\set VERBOSITY default
\set SHOW_CONTEXT errors
--
-- ---- non-errors -------------------------------------------------------------
--
\pset format unaligned
-- Duplicates inside one array and unknown top-level sections
-- (duplicates-2026-11-20.json): finding-1 twice in the "Security Hub"
-- group (and once in "GuardDuty": another row), gd-1, a service, a patch,
-- a Savings Plan day and a sender message twice each; "Tools, tools" names
-- one product twice; sections "iam" and "organizations"; an application
-- and a patch for an instance never reported.
CREATE TEMP TABLE dup AS
SELECT mao_load(:'doc_dup', 'data/555566667777/eu-central-1/2026-11-20_DAILY.json') AS s;
SELECT c.* FROM dup, regress.counts(s) c
 WHERE c.inserted + c.updated + c.unchanged + c.duplicates + coalesce(c.skipped, 0) > 0
 ORDER BY c.tbl;
SELECT m.value AS message FROM dup, jsonb_array_elements_text(s -> 'messages') m;
-- The last copy won.
SELECT s.service AS "group", f.finding_id, f.title, f.status, f.updated_at
  FROM findings f JOIN security s ON s.id = f.security_id JOIN accounts a ON a.id = s.account_id
 WHERE a.account_id = '555566667777' ORDER BY 1, 2;
SELECT g.detector_id, g.title, g.updated_at FROM guard_duty_findings g JOIN accounts a ON a.id = g.account_id
 WHERE a.account_id = '555566667777';
SELECT t.service, t.cost FROM services t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '555566667777';
SELECT i.instance_id, p.title, p.state FROM inventory_patches p JOIN inventory_instances i ON i.id = p.instance_id
  JOIN accounts a ON a.id = p.account_id WHERE a.account_id = '555566667777';
SELECT t.subscription_id, t.date_from, t.utilization_percentage, t.on_demand_cost
  FROM ri_sp_daily_savings t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '555566667777';
SELECT p.name AS product FROM product_accounts pa JOIN products p ON p.id = pa.product_id
  JOIN accounts a ON a.id = pa.account_id WHERE a.account_id = '555566667777';
-- The loader's messages are in the processing log, with the sender's.
SELECT m.message_type, m.message FROM log_messages m JOIN logs l ON l.id = m.log_id JOIN accounts a ON a.id = l.account_id
 WHERE a.account_id = '555566667777' ORDER BY 1, 2;
-- [] in place of the config, cost, security and inventory objects
-- (account-c-2026-11-20.json, a run whose collectors failed), [] for
-- contact_info too: nothing to load there; only the account and its log.
CREATE TEMP TABLE cdoc AS
SELECT mao_load(:'doc_c', 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json') AS s;
SELECT c.* FROM cdoc, regress.counts(s) c WHERE c.inserted + c.updated + c.unchanged > 0 ORDER BY c.tbl;
SELECT (mao_load(jsonb_set(:'doc_c', '{account,contact_info}', '[]'),
                 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json') -> 'totals') AS again_with_contact_info_array;
-- Nulls (nulls-2026-11-20.json): a column with a default gets it (region
-- 'Global', account_status 'ACTIVE', 'None' names, csp 'AWS', currency
-- 'USD', counts 0, booleans true/false as the reference's defaults, status
-- 'OPEN', language 'en', the log's statuses 'Pass'); other columns stay
-- NULL; an all-null contact_info is no row; account_name falls back to
-- the account id.
SELECT c.* FROM regress.counts(mao_load(:'doc_nulls', 'data/121212121212/Global/2026-11-20_DAILY.json')) c
 WHERE c.inserted + c.updated + c.unchanged > 0 ORDER BY c.tbl;
SELECT to_jsonb(t) - 'id' - 'created_at' - 'updated_at' AS accounts FROM accounts t WHERE t.account_id = '121212121212';
SELECT 'contact_info' AS tbl, count(*) FROM contact_info t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'alternate_contacts', count(*) FROM alternate_contacts t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'products', count(*) FROM product_accounts t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212';
SELECT 'services' AS tbl, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS row
  FROM services t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'cost_reports', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM cost_reports t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'marketplace_usage', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM marketplace_usage t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'config_reports', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM config_reports t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'non_compliant_resources', to_jsonb(t) - 'id' - 'config_report_id'
  FROM non_compliant_resources t JOIN config_reports r ON r.id = t.config_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'security', to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at'
  FROM security t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'findings', to_jsonb(t) - 'id' - 'security_id'
  FROM findings t JOIN security s ON s.id = t.security_id JOIN accounts a ON a.id = s.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'guard_duty_findings', to_jsonb(t) - 'id' - 'account_id'
  FROM guard_duty_findings t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'kms_keys', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM kms_keys t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'waf_rules', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM waf_rules t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'waf_rules_detailed', to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at'
  FROM waf_rules_detailed t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'cloudtrail_logs', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM cloudtrail_logs t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'secrets_manager_secrets', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM secrets_manager_secrets t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'inventory_instances', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM inventory_instances t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'trusted_advisor_checks', to_jsonb(t) - 'id' - 'account_id' - 'created_at'
  FROM trusted_advisor_checks t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'support_tickets', to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at'
  FROM support_tickets t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212'
UNION ALL
SELECT 'logs', to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at'
  FROM logs t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '121212121212';
-- A null that falls back to a default of now() (a GuardDuty finding's
-- created_at, a Config result's time): a new row gets the load time, and
-- a reload of the same document finds it unchanged, like any other row.
SELECT jsonb_insert(jsonb_insert(:'doc_a',
         '{security,guard_duty,-1}',
         '{"id": "gd-no-time", "type": "Recon:EC2/Portscan", "severity": 5, "created_at": null,
           "updated_at": "2026-11-19T10:00:00Z", "region": "eu-west-1"}', true),
         '{config,non_compliant_resources,-1}',
         '{"rule_name": "restricted-ssh", "resource_id": "sg-0a0a0a0a", "resource_type": "AWS::EC2::SecurityGroup",
           "config_rule_invoked_time": null, "compliance_type": "NON_COMPLIANT"}', true) AS doc_now \gset
SELECT c.* FROM regress.counts(mao_load(:'doc_now', :'src_a'), '{guard_duty_findings,non_compliant_resources}') c;
SELECT g.detector_id, g.created_at > '2026-11-20' AS load_time_filled_in
  FROM guard_duty_findings g JOIN accounts a ON a.id = g.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1;
SELECT n.rule_name, n.created_at > '2026-11-20' AS load_time_filled_in
  FROM non_compliant_resources n JOIN config_reports r ON r.id = n.config_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1;
CALL regress.snapshot('null now');
SELECT c.* FROM regress.counts(mao_load(:'doc_now', :'src_a'), '{guard_duty_findings,non_compliant_resources}') c;
SELECT * FROM regress.changed('null now');
-- Numbers and booleans where a string belongs are kept as their JSON text
-- (SSM inventory and some senders write them so); the sender's own
-- message texts may be any JSON and are kept as JSON text too.
SELECT c.* FROM regress.counts(mao_load(
         jsonb_set(jsonb_set(jsonb_set(jsonb_set(:'doc_a',
           '{account,account_name}', '12345'),
           '{security,security_hub,0,findings,0,title}', '42'),
           '{inventory,applications,0,version}', '3.1'),
           '{logs,message}', '[{"kms": {"code": 403}}, "a plain string"]'),
         :'src_a'), '{accounts,findings,inventory_applications,log_messages}') c;
SELECT account_name FROM accounts WHERE account_id = '111122223333';
SELECT f.title FROM findings f WHERE f.finding_id LIKE '%S3.8%';
SELECT t.name, t.version FROM inventory_applications t WHERE t.name = 'openssl';
SELECT m.message_type, m.message FROM log_messages m JOIN logs l ON l.id = m.log_id JOIN accounts a ON a.id = l.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
