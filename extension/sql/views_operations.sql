-- views_operations.sql: dashboard views over the collection logs, Compute
-- Optimizer, Trusted Advisor, Health, Application Signals, Resilience Hub and
-- support cases.  Each view lists the base table's columns followed by the
-- standard account block (see views_common.sql).

-- One row per logs row (one collection run's per-section status).  logs has
-- its own account_status column, so the account's status is acct_status here.
CREATE VIEW view_acct_logs AS
SELECT
    t.id, t.account_id, t.date_created, t.account_status, t.cost_status, t.service_status,
    t.security_status, t.config_status, t.inventory_status, t.marketplace_status,
    t.trusted_advisor_status, t.health_status, t.application_status, t.resilience_hub_status,
    t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status AS acct_status, b.account_partner, b.account_customer, b.account_full,
    b.project_product_name
FROM logs t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per log message, attributed through its logs row.
CREATE VIEW view_acct_log_messages AS
SELECT
    t.id, t.log_id, t.message, t.message_type, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM log_messages t
JOIN logs l ON l.id = t.log_id
JOIN mao_account_block b ON b.id = l.account_id;

-- One row per Compute Optimizer recommendation; kept even when its account row is missing.
CREATE VIEW view_compute_optimizer AS
SELECT
    t.id, t.account_id, t.resource_type, t.resource_arn, t.resource_name, t.finding,
    t.current_instance_type, t.current_memory_size, t.current_volume_type, t.current_volume_size,
    t.recommended_instance_type, t.recommended_memory_size, t.recommended_volume_type,
    t.recommended_volume_size, t.savings_opportunity_percentage, t.estimated_monthly_savings_usd,
    t.performance_risk, t.cpu_utilization_max, t.memory_utilization_avg, t.migration_effort,
    t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM compute_optimizer t
LEFT JOIN mao_account_block b ON b.id = t.account_id;

-- One row per Trusted Advisor check.
CREATE VIEW view_trusted_advisor_checks AS
SELECT
    t.id, t.account_id, t.check_name, t.category, t.severity, t.recommendation,
    t.affected_resources_count, t.potential_savings, t.timestamp, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM trusted_advisor_checks t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per AWS Health event.
CREATE VIEW view_health_events AS
SELECT
    t.id, t.account_id, t.arn, t.service, t.event_type_code, t.region, t.start_time, t.end_time,
    t.status_code, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM health_events t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per Application Signals service.
CREATE VIEW view_application_signals AS
SELECT
    t.id, t.account_id, t.service_name, t.namespace, t.key_attributes, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM application_signals t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per Resilience Hub application.
CREATE VIEW view_resilience_hub_apps AS
SELECT
    t.id, t.account_id, t.app_arn, t.name, t.compliance_status, t.resiliency_score, t.status,
    t.cost, t.created_at, t.description, t.creation_time, t.last_assessment_time, t.rpo, t.rto,
    t.last_drill,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM resilience_hub_apps t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per support case.
CREATE VIEW view_acct_support_tickets AS
SELECT
    t.id, t.account_id, t.case_id, t.display_id, t.subject, t.status, t.severity_code,
    t.service_code, t.category_code, t.time_created, t.submitted_by, t.language, t.date_from,
    t.date_to, t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM support_tickets t
JOIN mao_account_block b ON b.id = t.account_id;
