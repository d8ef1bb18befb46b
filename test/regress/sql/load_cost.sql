--
-- load_cost: the service, cost, ri_sp_savings and marketplace sections ->
-- services, cost_reports, service_costs, cost_forecasts,
-- ri_sp_daily_savings, marketplace_usage.
--
--   A  three services (one costs integer 0), a DAILY cost report with two
--      top services and one forecast, an EC2 RI day row and a Savings Plan
--      placeholder row (no "date"), one Marketplace product
--   B  usage_types given as a list, utilisation filled, another currency;
--      previous period 0 so the percentage is the integer 0; two forecasts,
--      one with prediction bounds; an RDS RI, an EC2 RI placeholder and a
--      Savings Plan day row; Marketplace nulls (currency -> default USD)
--   C  service [], cost [], ri_sp_savings [], marketplace []: nothing
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
       regress.counts(s, '{services,cost_reports,service_costs,cost_forecasts,ri_sp_daily_savings,marketplace_usage}') c
 ORDER BY doc, tbl;
-- services: cost numeric(20,10); a usage_types list is stored comma-joined.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS services
  FROM services t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.service, t.date_from;
-- cost_reports: region is always 'Global' (Cost Explorer covers the whole
-- account); potential_monthly_savings, anomalies_detected and
-- saving_opportunities_count are not in the document: column defaults.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS cost_reports
  FROM cost_reports t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.period_start;
-- service_costs (cost.top_services) and cost_forecasts (cost.forecast)
-- hang off their report.
SELECT a.account_id AS account, r.period_start AS report, to_jsonb(t) - 'id' - 'cost_report_id' - 'created_at' AS service_costs
  FROM service_costs t JOIN cost_reports r ON r.id = t.cost_report_id JOIN accounts a ON a.id = r.account_id
 ORDER BY a.account_id, r.period_start, t.service_name;
SELECT a.account_id AS account, r.period_start AS report, to_jsonb(t) - 'id' - 'cost_report_id' - 'created_at' AS cost_forecasts
  FROM cost_forecasts t JOIN cost_reports r ON r.id = t.cost_report_id JOIN accounts a ON a.id = r.account_id
 ORDER BY a.account_id, r.period_start, t.period_start;
-- ri_sp_daily_savings: a row with "date" covers [date, date + 1); a row
-- without keeps the document's window.  Money columns are numeric(12,2).
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS ri_sp_daily_savings
  FROM ri_sp_daily_savings t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.subscription_id, t.date_to;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS marketplace_usage
  FROM marketplace_usage t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.product_code, t.period_start;
