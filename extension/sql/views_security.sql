-- views_security.sql: dashboard views over Security Hub totals and findings,
-- GuardDuty, KMS, WAF, CloudTrail, Secrets Manager, ACM and Inspector.  Each
-- view lists the base table's columns followed by the standard account block
-- (see views_common.sql); rows whose account is missing are left out.

-- One row per security row (Security Hub totals of one product group).
CREATE VIEW view_acct_security AS
SELECT
    t.id, t.account_id, t.service, t.total_findings, t.critical_count, t.high_count, t.medium_count,
    t.low_count, t.informational_count, t.open_findings, t.resolved_findings, t.created_at,
    t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM security t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per Security Hub finding, attributed through its security row.
CREATE VIEW view_acct_security_findings_details AS
SELECT
    t.id, t.security_id, t.finding_id, t.service, t.title, t.description, t.severity, t.status,
    t.resource_type, t.resource_id, t.created_at, t.updated_at, t.recommendation,
    t.compliance_status, t.region, t.workflow_state, t.record_state, t.product_name, t.company_name,
    t.product_arn, t.generator_id, t.generator,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM findings t
JOIN security s ON s.id = t.security_id
JOIN mao_account_block b ON b.id = s.account_id;

-- One row per GuardDuty finding summary row.
CREATE VIEW view_guard_duty_findings AS
SELECT
    t.id, t.account_id, t.detector_id, t.finding_type, t.severity, t.title, t.description,
    t.confidence, t.region, t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM guard_duty_findings t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per KMS key.
CREATE VIEW view_kms_keys AS
SELECT
    t.id, t.account_id, t.key_id, t.arn, t.description, t.key_usage, t.key_state, t.creation_date,
    t.enabled, t.key_rotation_enabled, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM kms_keys t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per WAF web ACL (the table holds web ACLs despite its name).
CREATE VIEW view_waf_rules AS
SELECT
    t.id, t.account_id, t.name, t.waf_id, t.arn, t.scope, t.description, t.default_action,
    t.rules_count, t.logging_enabled, t.geo_blocking_enabled, t.blocked_countries, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM waf_rules t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per WAF rule of a web ACL.
CREATE VIEW view_waf_rules_detailed AS
SELECT
    t.id, t.account_id, t.web_acl_name, t.rule_name, t.priority, t.action, t.statement_type,
    t.is_managed_rule, t.is_custom_rule, t.rate_limit, t.logging_enabled, t.geo_blocking,
    t.sql_injection, t.sample_request_enabled, t.cloudwatch_enabled, t.has_xss_protection,
    t.waf_version, t.is_compliant, t.scope, t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM waf_rules_detailed t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per CloudTrail trail.
CREATE VIEW view_cloudtrail_logs AS
SELECT
    t.id, t.account_id, t.name, t.arn, t.is_logging, t.is_multi_region, t.s3_bucket, t.kms_key_id,
    t.log_file_validation, t.latest_delivery_time, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM cloudtrail_logs t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per Secrets Manager secret.
CREATE VIEW view_secrets_manager_secrets AS
SELECT
    t.id, t.account_id, t.name, t.arn, t.description, t.created_date, t.last_changed_date,
    t.rotation_enabled, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM secrets_manager_secrets t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per ACM certificate.
CREATE VIEW view_certificates AS
SELECT
    t.id, t.account_id, t.arn, t.domain_name, t.status, t.type, t.not_after, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM certificates t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per Inspector finding.
CREATE VIEW view_inspector_findings AS
SELECT
    t.id, t.account_id, t.finding_arn, t.severity, t.status, t.type, t.title, t.description,
    t.first_observed_at, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM inspector_findings t
JOIN mao_account_block b ON b.id = t.account_id;
