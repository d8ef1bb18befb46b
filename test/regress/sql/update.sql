--
-- update: later documents for the same account change only what changed.
--
--   1. Account A's day 2026-11-20 collected again (the sender overwrites
--      the same S3 key): the dated reports' children the new version no
--      longer lists are deleted (a top service, a Config result, a sender
--      message), changed ones updated, the rest untouched.
--   2. Account A's next day (account-a-2026-11-21.json): new dated rows
--      (costs, Config report, RI/SP days, log), latest-state rows updated
--      where they changed, the previous day's reports left as they were.
--
-- Account B is loaded too: none of its rows may change, checked with a
-- checksum of every B row of every table.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
\set doc_a2 `cat data/account-a-2026-11-21.json`
\set doc_b `cat data/account-b-2026-11-20.json`
\set src_a 'data/111122223333/eu-west-1/2026-11-20_DAILY.json'
\set src_a2 'data/111122223333/eu-west-1/2026-11-21_DAILY.json'
SELECT mao_load(:'doc_a', :'src_a') -> 'totals' AS a;
SELECT mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json') -> 'totals' AS b;
CREATE TEMP TABLE b_before AS SELECT * FROM regress.account_checksums('444455556666');
SELECT count(*) AS b_tables, sum(n_rows) AS b_rows FROM b_before;
\pset format unaligned
--
-- ---- 1. the same day again --------------------------------------------------
--
-- Changed: one top service dropped, the forecast amount, the compliance
-- score, the COMPLIANT result dropped and the other's annotation, the
-- "Forecast unavailable" message dropped.
SELECT jsonb_set(jsonb_set(jsonb_set(
         :'doc_a'::jsonb #- '{cost,top_services,1}' #- '{config,non_compliant_resources,1}' #- '{logs,message,0}',
         '{cost,forecast,0,amount}', '600.0'),
         '{config,compliance_score}', '50.0'),
         '{config,non_compliant_resources,0,annotation}', '"Bucket policy still allows plain HTTP"') AS doc_resend \gset
CALL regress.snapshot('before resend');
CREATE TEMP TABLE resend AS SELECT mao_load(:'doc_resend', :'src_a') AS s;
SELECT s -> 'totals' AS totals FROM resend;
-- Every table that did anything but leave rows unchanged.
SELECT c.* FROM resend, regress.counts(s) c
 WHERE c.inserted + c.updated + coalesce(c.deleted, 0) > 0 ORDER BY c.tbl;
-- The tables whose content changed (and no sequence moved: nothing new).
SELECT * FROM regress.changed('before resend');
SELECT r.period_start, t.service_name, t.cost
  FROM service_costs t JOIN cost_reports r ON r.id = t.cost_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT r.period_start, t.period_start AS forecast_start, t.amount
  FROM cost_forecasts t JOIN cost_reports r ON r.id = t.cost_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT r.date_from, r.compliance_score, t.rule_name, t.compliance_type, t.annotation
  FROM non_compliant_resources t JOIN config_reports r ON r.id = t.config_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 3;
SELECT l.date_created, m.message_type, m.message
  FROM log_messages m JOIN logs l ON l.id = m.log_id JOIN accounts a ON a.id = l.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2, 3;
-- Account B: not one row changed.
SELECT b.obj, b.n_rows, c.n_rows FROM b_before b JOIN regress.account_checksums('444455556666') c USING (obj)
 WHERE b.md5 IS DISTINCT FROM c.md5;
--
-- ---- 2. the next day --------------------------------------------------------
--
-- What account-a-2026-11-21.json changes: contact phone; an operations
-- contact added; product Payments dropped; a new day of services, cost,
-- Config, Marketplace and RI/SP; group counts, one finding resolved and a
-- new one; GuardDuty, KMS rotation, trail delivery, Inspector status,
-- instance ping, an application version, a new patch, an EC2 state,
-- Trusted Advisor, Health and ticket status; the support_tickets status
-- back to Pass and one sender message.
CALL regress.snapshot('before next day');
CREATE TEMP TABLE next_day AS SELECT mao_load(:'doc_a2', :'src_a2') AS s;
SELECT s -> 'totals' AS totals, s -> 'messages' AS messages FROM next_day;
SELECT c.* FROM next_day, regress.counts(s) c ORDER BY c.tbl;
-- Unchanged tables are untouched (WAF, secrets, certificates, Config
-- inventory, Application Signals, Resilience Hub, Compute Optimizer,
-- accounts, products); sequences moved only for tables with new rows.
SELECT * FROM regress.changed('before next day');
-- Account B: still not one row changed.
SELECT b.obj, b.n_rows, c.n_rows FROM b_before b JOIN regress.account_checksums('444455556666') c USING (obj)
 WHERE b.md5 IS DISTINCT FROM c.md5;
-- The changed rows, as they are now.
SELECT c.phone_number FROM contact_info c JOIN accounts a ON a.id = c.account_id WHERE a.account_id = '111122223333';
SELECT c.contact_type, c.full_name FROM alternate_contacts c JOIN accounts a ON a.id = c.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1;
SELECT p.name AS product FROM product_accounts pa JOIN products p ON p.id = pa.product_id JOIN accounts a ON a.id = pa.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1;
-- Dated rows: both days side by side; the 2026-11-20 report keeps the
-- children it had after step 1.
SELECT t.date_from, t.service, t.cost FROM services t JOIN accounts a ON a.id = t.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT t.period_start, t.current_period_cost, t.cost_difference, t.cost_difference_percentage
  FROM cost_reports t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333' ORDER BY 1;
SELECT r.period_start, t.service_name, t.cost
  FROM service_costs t JOIN cost_reports r ON r.id = t.cost_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT r.period_start, t.period_start AS forecast_start, t.amount
  FROM cost_forecasts t JOIN cost_reports r ON r.id = t.cost_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT r.date_from, r.compliance_score, t.rule_name, t.compliance_type, t.created_at
  FROM non_compliant_resources t JOIN config_reports r ON r.id = t.config_report_id JOIN accounts a ON a.id = r.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 3;
SELECT t.subscription_id, t.date_from, t.date_to, t.utilization_percentage, t.net_savings
  FROM ri_sp_daily_savings t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT t.period_start, t.cost_consumed FROM marketplace_usage t JOIN accounts a ON a.id = t.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1;
SELECT l.date_created, l.account_status, m.message_type, m.message
  FROM logs l JOIN accounts a ON a.id = l.account_id LEFT JOIN log_messages m ON m.log_id = l.id
 WHERE a.account_id = '111122223333' ORDER BY 1, 3, 4;
-- Latest-state rows, updated in place.
SELECT s.service, s.total_findings, s.low_count, s.open_findings, s.resolved_findings
  FROM security s JOIN accounts a ON a.id = s.account_id WHERE a.account_id = '111122223333' ORDER BY 1;
SELECT s.service AS "group", f.severity, f.status, f.updated_at, f.title
  FROM findings f JOIN security s ON s.id = f.security_id JOIN accounts a ON a.id = s.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2, 5;
SELECT g.detector_id, g.updated_at FROM guard_duty_findings g JOIN accounts a ON a.id = g.account_id WHERE a.account_id = '111122223333';
SELECT k.key_id, k.key_rotation_enabled FROM kms_keys k JOIN accounts a ON a.id = k.account_id WHERE a.account_id = '111122223333';
SELECT t.name, t.latest_delivery_time FROM cloudtrail_logs t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333';
SELECT t.title, t.status FROM inspector_findings t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333';
SELECT t.instance_id, t.last_ping_date_time, t.association_success_date FROM inventory_instances t JOIN accounts a ON a.id = t.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1;
SELECT t.name, t.architecture, t.version FROM inventory_applications t JOIN accounts a ON a.id = t.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT i.instance_id, t.title, t.installed_time FROM inventory_patches t JOIN inventory_instances i ON i.id = t.instance_id
  JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT t.service_name, t.resource_id, t.state FROM service_resources t JOIN accounts a ON a.id = t.account_id
 WHERE a.account_id = '111122223333' ORDER BY 1, 2;
SELECT t.check_name, t.affected_resources_count, t.potential_savings, t.timestamp
  FROM trusted_advisor_checks t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333';
SELECT t.event_type_code, t.status_code FROM health_events t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333';
SELECT t.case_id, t.status, t.date_from, t.date_to FROM support_tickets t JOIN accounts a ON a.id = t.account_id WHERE a.account_id = '111122223333';
