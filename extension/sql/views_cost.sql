-- views_cost.sql: dashboard views over services, cost reports and their
-- children, marketplace usage and RI / savings-plan savings.  Each view lists
-- the base table's columns followed by the standard account block (see
-- views_common.sql); rows whose account is missing are left out.

-- One row per services row: one service's cost and usage over one period.
CREATE VIEW view_acct_serv AS
SELECT
    t.id, t.account_id, t.service, t.date_from, t.date_to, t.cost, t.currency, t.utilization,
    t.utilization_unit, t.usage_types, t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM services t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per cost report, with its period repeated as date_from/date_to.
CREATE VIEW view_acct_cost_rep AS
SELECT
    t.id, t.account_id, t.current_period_cost, t.previous_period_cost, t.cost_difference,
    t.cost_difference_percentage, t.potential_monthly_savings, t.anomalies_detected,
    t.saving_opportunities_count, t.period_start, t.period_end, t.period_granularity, t.created_at,
    t.region,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    t.period_start AS date_from, t.period_end AS date_to
FROM cost_reports t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per service_costs row (a top service of a cost report), with the report's period.
CREATE VIEW view_acct_serv_cost AS
SELECT
    t.id, t.cost_report_id, t.service_name, t.cost, t.created_at, t.region,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    r.period_start AS date_from, r.period_end AS date_to
FROM service_costs t
JOIN cost_reports r ON r.id = t.cost_report_id
JOIN mao_account_block b ON b.id = r.account_id;

-- One row per cost forecast row, with the parent report's period.
CREATE VIEW view_acct_cost_rep_forecast AS
SELECT
    t.id, t.cost_report_id, t.period_start, t.period_end, t.amount,
    t.prediction_interval_lower_bound, t.prediction_interval_upper_bound, t.created_at, t.region,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    r.period_start AS date_from, r.period_end AS date_to
FROM cost_forecasts t
JOIN cost_reports r ON r.id = t.cost_report_id
JOIN mao_account_block b ON b.id = r.account_id;

-- One row per AWS Marketplace product's usage over one period.
CREATE VIEW view_marketplace_usage AS
SELECT
    t.id, t.account_id, t.product_code, t.product_name, t.cost_consumed, t.currency, t.period_start,
    t.period_end, t.status, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM marketplace_usage t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per reserved-instance / savings-plan savings row.
CREATE VIEW view_ri_sp_daily_savings AS
SELECT
    t.id, t.account_id, t.date_from, t.date_to, t.reservation_type, t.subscription_id,
    t.offering_id, t.savings_plan_arn, t.service, t.instance_type, t.instance_count,
    t.instance_family, t.instance_tenancy, t.offering_class, t.product_types, t.region,
    t.utilization_percentage, t.on_demand_cost, t.reservation_cost, t.net_savings, t.commitment,
    t.upfront_cost, t.recurring_cost, t.recurring_frequency, t.usage_price, t.currency,
    t.start_date, t.end_date, t.returnable_until, t.duration_seconds, t.offering_type, t.state,
    t.description, t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM ri_sp_daily_savings t
JOIN mao_account_block b ON b.id = t.account_id;
