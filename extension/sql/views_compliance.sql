-- views_compliance.sql: dashboard views over AWS Config reports and their
-- non-compliant resources, followed by the standard account block (see
-- views_common.sql); rows whose account is missing are left out.

-- One row per AWS Config compliance report.
CREATE VIEW view_config_reports AS
SELECT
    t.id, t.account_id, t.date_from, t.date_to, t.compliance_score, t.total_rules,
    t.compliant_rules, t.non_compliant_rules, t.curr_non_compliant, t.curr_compliant, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM config_reports t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per non-compliant resource, attributed through its config report.
CREATE VIEW view_non_compliant_resources AS
SELECT
    t.id, t.config_report_id, t.resource_type, t.resource_id, t.compliance_type, t.rule_name,
    t.created_at, t.annotation, t.evaluation_mode, t.conformance_pack, t.status,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM non_compliant_resources t
JOIN config_reports r ON r.id = t.config_report_id
JOIN mao_account_block b ON b.id = r.account_id;
