-- views_summary.sql: the aggregate and derived dashboard views.
--
-- Two internal views hold the logic that view_summary, view_product_summary
-- and view_acct_summary share: the latest cost report of each account per
-- granularity, and per-account totals over services, security rows and
-- product links.  Every total is taken over the account's own rows only.

-- One row per account and period granularity: that account's cost report of
-- that granularity with the latest period_end (ties go to the later
-- period_start, then the higher id).
CREATE VIEW mao_latest_cost_reports AS
SELECT DISTINCT ON (r.account_id, r.period_granularity)
    r.id, r.account_id, r.period_granularity, r.period_start, r.period_end,
    r.current_period_cost, r.previous_period_cost, r.cost_difference,
    r.cost_difference_percentage, r.potential_monthly_savings
FROM cost_reports r
ORDER BY r.account_id, r.period_granularity, r.period_end DESC, r.period_start DESC, r.id DESC;

-- One row per accounts row: its product, service and security totals (0 when
-- it has no such rows) and its age in whole days.
CREATE VIEW mao_account_metrics AS
SELECT
    a.id,
    COALESCE(pr.number_of_products, 0) AS number_of_products,
    COALESCE(sv.service_count, 0) AS service_count,
    COALESCE(sv.unique_services, 0) AS unique_services,
    COALESCE(sv.total_service_cost, 0) AS total_service_cost,
    sv.services_used,
    COALESCE(se.total_findings, 0) AS total_findings,
    COALESCE(se.open_findings, 0) AS open_findings,
    COALESCE(se.resolved_findings, 0) AS resolved_findings,
    COALESCE(se.critical_findings, 0) AS critical_findings,
    COALESCE(se.high_findings, 0) AS high_findings,
    COALESCE(se.medium_findings, 0) AS medium_findings,
    COALESCE(se.low_findings, 0) AS low_findings,
    CASE WHEN se.total_findings > 0
        THEN round(se.resolved_findings::numeric / se.total_findings, 4)
    END AS security_resolution_rate,
    floor(EXTRACT(EPOCH FROM now() - a.joined_timestamp) / 86400)::numeric AS account_age_days
FROM accounts a
LEFT JOIN (
    SELECT pa.account_id, count(DISTINCT pa.product_id) AS number_of_products
    FROM product_accounts pa
    GROUP BY pa.account_id
) pr ON pr.account_id = a.id
LEFT JOIN (
    SELECT
        s.account_id,
        count(*) AS service_count,
        count(DISTINCT s.service) AS unique_services,
        round(sum(s.cost), 2) AS total_service_cost,
        string_agg(DISTINCT s.service, ', ' ORDER BY s.service) AS services_used
    FROM services s
    GROUP BY s.account_id
) sv ON sv.account_id = a.id
LEFT JOIN (
    SELECT
        s.account_id,
        sum(s.total_findings) AS total_findings,
        sum(s.open_findings) AS open_findings,
        sum(s.resolved_findings) AS resolved_findings,
        sum(s.critical_count) AS critical_findings,
        sum(s.high_count) AS high_findings,
        sum(s.medium_count) AS medium_findings,
        sum(s.low_count) AS low_findings
    FROM security s
    GROUP BY s.account_id
) se ON se.account_id = a.id;

-- One row per account and cost-report granularity, showing the account's
-- latest report of that granularity (an account without reports appears once,
-- with NULL cost columns), next to the account's service and security totals.
-- Ordered by account name, newest period first.
CREATE VIEW view_summary AS
SELECT
    a.id AS account_id,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full,
    a.csp AS account_csp,
    m.number_of_products,
    cr.period_granularity,
    cr.period_start AS date_from,
    cr.period_end AS date_to,
    round(cr.current_period_cost, 2) AS current_period_cost,
    round(cr.previous_period_cost, 2) AS previous_period_cost,
    round(cr.cost_difference, 2) AS cost_difference,
    round(cr.cost_difference_percentage, 4) AS cost_difference_percentage,
    round(cr.potential_monthly_savings, 2) AS potential_savings,
    m.service_count, m.unique_services, m.total_service_cost, m.services_used,
    m.total_findings, m.open_findings, m.resolved_findings, m.critical_findings,
    m.high_findings, m.medium_findings, m.low_findings, m.security_resolution_rate,
    a.account_email, a.joined_method, a.joined_timestamp, m.account_age_days
FROM accounts a
JOIN mao_account_block b ON b.id = a.id
JOIN mao_account_metrics m ON m.id = a.id
LEFT JOIN mao_latest_cost_reports cr ON cr.account_id = a.id
ORDER BY b.account_name, cr.period_end DESC;

-- One row per account, linked product and cost-report granularity: as
-- view_summary, but repeated for every product the account is linked to (an
-- account without products appears with NULL product columns).  The account
-- totals repeat on each of its rows, so summing them across rows over-counts.
-- Ordered by account name, product name, newest period first.
CREATE VIEW view_product_summary AS
SELECT
    a.id AS account_id,
    b.account, b.account_region, b.account_name, b.account_full,
    p.name AS project_product_name,
    a.csp AS account_csp,
    b.account_type, b.account_category, b.account_status, b.account_partner, b.account_customer,
    p.id AS product_id,
    p.owner AS product_owner,
    p.position AS product_position,
    p.description AS product_description,
    cr.period_granularity,
    cr.period_start AS date_from,
    cr.period_end AS date_to,
    round(cr.current_period_cost, 2) AS current_period_cost,
    round(cr.previous_period_cost, 2) AS previous_period_cost,
    round(cr.cost_difference, 2) AS cost_difference,
    round(cr.cost_difference_percentage, 4) AS cost_difference_percentage,
    round(cr.potential_monthly_savings, 2) AS potential_savings,
    m.service_count, m.unique_services, m.total_service_cost, m.services_used,
    m.total_findings, m.open_findings, m.resolved_findings, m.critical_findings,
    m.high_findings, m.medium_findings, m.low_findings, m.security_resolution_rate,
    a.account_email, a.joined_method, a.joined_timestamp, m.account_age_days
FROM accounts a
JOIN mao_account_block b ON b.id = a.id
JOIN mao_account_metrics m ON m.id = a.id
LEFT JOIN (product_accounts pa JOIN products p ON p.id = pa.product_id) ON pa.account_id = a.id
LEFT JOIN mao_latest_cost_reports cr ON cr.account_id = a.id
ORDER BY b.account_name, p.name, cr.period_end DESC;

-- One row per accounts row, with the headline figures of that account: cost
-- from its own most recent MONTHLY report (its most recent report of any
-- granularity when it has no MONTHLY one), security counts summed over its
-- own security rows, its instance counts and a 1 (critical findings) to
-- 5 (none) health score.  Figures the account has no rows for are 0.
CREATE VIEW view_acct_summary AS
SELECT
    a.id, a.account_id, a.account_name, a.account_email, a.account_status, a.account_arn,
    a.partner_name, a.customer_name, a.joined_method, a.joined_timestamp, a.account_type, a.csp,
    a.region, a.category, a.created_at, a.updated_at,
    b.account, b.account_region, b.account_category, b.account_partner, b.account_customer,
    b.account_full, b.project_product_name,
    COALESCE(cr.current_period_cost, 0) AS latest_cost,
    COALESCE(cr.cost_difference_percentage, 0) AS cost_trend_percentage,
    COALESCE(cr.potential_monthly_savings, 0) AS savings_opportunity,
    m.total_findings::integer AS security_findings,
    m.critical_findings::integer AS critical_findings,
    m.high_findings::integer AS high_findings,
    COALESCE(ii.instance_count, 0) AS instance_count,
    COALESCE(ii.running_instances, 0) AS running_instances,
    CASE
        WHEN m.critical_findings > 0 THEN 1
        WHEN m.high_findings > 0 THEN 2
        WHEN m.medium_findings > 0 THEN 3
        WHEN m.low_findings > 0 THEN 4
        ELSE 5
    END AS security_health_score
FROM accounts a
JOIN mao_account_block b ON b.id = a.id
JOIN mao_account_metrics m ON m.id = a.id
LEFT JOIN LATERAL (
    SELECT r.current_period_cost, r.cost_difference_percentage, r.potential_monthly_savings
    FROM cost_reports r
    WHERE r.account_id = a.id
    ORDER BY r.period_granularity = 'MONTHLY' DESC, r.period_end DESC, r.period_start DESC,
        r.id DESC
    LIMIT 1
) cr ON TRUE
LEFT JOIN (
    SELECT
        i.account_id,
        count(*) AS instance_count,
        count(*) FILTER (WHERE i.ping_status = 'Online') AS running_instances
    FROM inventory_instances i
    GROUP BY i.account_id
) ii ON ii.account_id = a.id;

-- One row per security row (Security Hub totals of one product group), with
-- its highest severity, a resolution rate and a risk level.
CREATE VIEW view_acct_security_findings_summary AS
SELECT
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    s.service, s.total_findings, s.critical_count, s.high_count, s.medium_count, s.low_count,
    s.informational_count, s.open_findings, s.resolved_findings,
    0 AS suppressed_count,
    0 AS in_progress_count,
    s.open_findings AS active_issues,
    'N/A'::text AS region_finding,
    s.resolved_findings AS resolved_count,
    CASE
        WHEN s.critical_count > 0 THEN 'CRITICAL'
        WHEN s.high_count > 0 THEN 'HIGH'
        WHEN s.medium_count > 0 THEN 'MEDIUM'
        WHEN s.low_count > 0 THEN 'LOW'
        WHEN s.informational_count > 0 THEN 'INFORMATIONAL'
        ELSE 'CLEAN'
    END AS severity,
    CASE WHEN s.total_findings > 0
        THEN round(s.resolved_findings * 100.0 / s.total_findings, 2)
    END AS resolution_rate_percent,
    CASE
        WHEN s.critical_count > 0 THEN 'Critical'
        WHEN s.high_count > 0 THEN 'High'
        WHEN s.medium_count > 0 THEN 'Medium'
        WHEN s.low_count > 0 THEN 'Low'
        ELSE 'Clean'
    END AS risk_level,
    s.created_at, s.updated_at
FROM security s
JOIN mao_account_block b ON b.id = s.account_id;

-- One row per account, resource type and finding of the Compute Optimizer
-- recommendations (recommendations without an account row are kept, with
-- NULL account columns), with their count and savings.
CREATE VIEW view_compute_optimizer_summary AS
SELECT
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    c.resource_type,
    c.finding,
    count(*) AS resource_count,
    sum(c.estimated_monthly_savings_usd) AS total_monthly_savings,
    avg(c.savings_opportunity_percentage) AS avg_savings_percentage,
    avg(c.performance_risk) AS avg_performance_risk,
    count(*) FILTER (WHERE c.finding = 'NotOptimized') AS not_optimized_count,
    count(*) FILTER (WHERE c.estimated_monthly_savings_usd > 0) AS savings_opportunities
FROM compute_optimizer c
LEFT JOIN mao_account_block b ON b.id = c.account_id
GROUP BY
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    c.resource_type, c.finding;

-- One row per account, service, resource type, resource region and
-- availability zone of the service resources (resources without an account
-- row are kept), with how many are active (running, available, Active) and
-- inactive (stopped, Inactive).  account_id is the 12-digit account id here.
CREATE VIEW view_service_resources_summary AS
SELECT
    b.account AS account_id,
    b.account_region, b.account_name, b.account_type, b.account_category, b.account_status,
    b.account_partner, b.account_customer,
    r.service_name,
    r.resource_type,
    r.region AS resource_region,
    r.availability_zone,
    count(*) AS resource_count,
    count(*) FILTER (WHERE r.state IN ('running', 'available', 'Active')) AS active_resources,
    count(*) FILTER (WHERE r.state IN ('stopped', 'Inactive')) AS inactive_resources
FROM service_resources r
LEFT JOIN mao_account_block b ON b.id = r.account_id
GROUP BY
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer,
    r.service_name, r.resource_type, r.region, r.availability_zone;
