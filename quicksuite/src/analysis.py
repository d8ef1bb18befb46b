"""The MAO QuickSight analysis, in words a person can review.

quicksuite/generate turns this into the asset bundle (quicksuite/bundle/ and
quicksuite/MAO-Analysis.qs): one data source, one data set per view below
(a RelationalTable over the view of the same name in schema public, direct
query), and the analysis.  Data set identifiers are the view names, as in the
reference analysis, so its filters and calculated fields read the same.
"""

from qs import avg, count, date, dcount, dim, sum, value  # noqa: A004

DATA_SOURCE_ID = "mao-database"
ANALYSIS_ID = "mao-analysis"
ANALYSIS_NAME = "MAO Multi-Account Observability"

# The reference analysis's 14 data sets, then the ones our extra sheets use.
DATASETS = [
    "view_product_summary", "view_config_reports", "view_accounts", "view_waf_rules_detailed",
    "view_acct_serv", "view_certificates", "view_acct_security_findings_details", "view_kms_keys",
    "view_inventory_patches", "view_inventory_instances", "view_acct_cost_rep", "view_service_resources",
    "view_secrets_manager_secrets", "view_non_compliant_resources",
    "view_acct_cost_rep_forecast", "view_compute_optimizer", "view_trusted_advisor_checks",
    "view_ri_sp_daily_savings", "view_guard_duty_findings", "view_inspector_findings",
    "view_cloudtrail_logs", "view_inventory_applications",
]

# Calculated fields: (data set, name, result kind, expression).
CALCULATED = [
    ("view_acct_security_findings_details", "calc_severity", "INTEGER",
     "ifelse({severity} = 'CRITICAL', 1, {severity} = 'HIGH', 2, {severity} = 'MEDIUM', 3, "
     "{severity} = 'LOW', 4, 0)"),
    ("view_config_reports", "calc_compliance_score", "DECIMAL",
     "sum({compliant_rules}) / sum({total_rules})"),
    ("view_inventory_instances", "calc_ping_status", "STRING",
     "ifelse(isNull({ping_status}) OR toLower({ping_status}) = 'offline', 'OFFLINE', toUpper({ping_status}))"),
    ("view_inventory_patches", "calc_severity", "STRING",
     "ifelse(isNull({severity}), 'NONE', toUpper({severity}))"),
    ("view_inventory_patches", "calc_state", "STRING",
     "ifelse(isNull({state}), 'NOT INSTALLED', toUpper({state}))"),
    ("view_secrets_manager_secrets", "calc_rotation_enabled", "STRING",
     "ifelse(isNull({rotation_enabled}), 'NO', ifelse({rotation_enabled} = true, 'YES', 'NO'))"),
    ("view_service_resources", "calc_availability_zone", "STRING",
     "ifelse(isNull({availability_zone}), 'AZ Agnostic', split({availability_zone}, ',', 1))"),
    ("view_waf_rules_detailed", "calc_action", "STRING",
     "ifelse(locate(toLower({action}), 'block') > 0, 'BLOCK', locate(toLower({action}), 'count') > 0, 'COUNT', "
     "locate(toLower({action}), 'allow') > 0, 'ALLOW', locate(toLower({action}), 'captcha') > 0, 'CAPTCHA', "
     "locate(toLower({action}), 'challenge') > 0, 'CHALLENGE', 'OTHER')"),
]

# Parameters with a drop-down on every sheet; each filters every data set on
# the column of the same meaning (all views carry these four columns).
PARAMETERS = [
    ("product", "Product", "project_product_name"),
    ("accountCat", "Category", "account_category"),
    ("accountType", "Environment", "account_type"),
    ("account", "Account", "account_full"),
]
PARAMETER_SOURCE = "view_accounts"

ACCOUNT_COLS = ["account", "account_name", "account_type", "account_category"]
ACTIVE_NEW = {"record_state": ["ACTIVE"], "status": ["NEW"]}

# Sheets: (name, [(kind, title, data set, wells, only-these-values filter)]).
SHEETS = [
    ("Overview", [
        ("kpi", "Total Accounts", "view_accounts", {"values": [count("account")]}, None),
        ("kpi", "Total Products", "view_accounts", {"values": [dcount("project_product_name")]}, None),
        ("kpi", "Total Cost (USD)", "view_acct_cost_rep", {"values": [sum("current_period_cost")]}, None),
        ("kpi", "Unique Services", "view_acct_serv", {"values": [dcount("service")]}, None),
        ("kpi", "Compliance Score", "view_config_reports",
         {"values": [value("calc_compliance_score")], "trend": [date("date_to")]}, None),
        ("kpi", "Open Findings", "view_product_summary", {"values": [sum("open_findings")]}, None),
        ("pie", "Accounts by Category", "view_product_summary",
         {"category": [dim("account_category")], "values": [dcount("account")]}, None),
        ("pie", "Accounts by Environment", "view_product_summary",
         {"category": [dim("account_type")], "values": [dcount("account")]}, None),
        ("line", "Total Cost (USD)", "view_acct_cost_rep",
         {"category": [date("date_to", "MONTH")], "values": [sum("current_period_cost")]}, None),
        ("bar", "Cost by Account and Service", "view_acct_serv",
         {"category": [dim("account")], "values": [sum("cost")], "colors": [dim("service")]}, None),
        ("summary", "Account Summary", "view_product_summary",
         {"group": [dim("account_type"), dim("account_category"), dim("account"), dim("account_name")],
          "values": [sum("open_findings"), sum("resolved_findings"), sum("total_service_cost")]}, None),
    ]),
    ("Cost", [
        ("kpi", "Total Cost (USD)", "view_acct_cost_rep", {"values": [sum("current_period_cost")],
                                                            "trend": [date("date_to", "MONTH")]}, None),
        ("kpi", "Previous Period (USD)", "view_acct_cost_rep", {"values": [sum("previous_period_cost")]}, None),
        ("kpi", "Potential Monthly Savings (USD)", "view_acct_cost_rep",
         {"values": [sum("potential_monthly_savings")]}, None),
        ("kpi", "Forecast (USD)", "view_acct_cost_rep_forecast", {"values": [sum("amount")]}, None),
        ("line", "Account Cost", "view_acct_serv",
         {"category": [date("date_to")], "values": [sum("cost")], "colors": [dim("account")]}, None),
        ("line", "Cost Forecast", "view_acct_cost_rep_forecast",
         {"category": [date("period_start", "MONTH")], "values": [sum("amount")], "colors": [dim("account")]}, None),
        ("summary", "Account & Services Cost", "view_acct_serv",
         {"group": [dim("account"), dim("service")], "values": [sum("cost")]}, None),
    ]),
    ("Security", [
        ("kpi", "Active Findings - CRITICAL", "view_acct_security_findings_details",
         {"values": [dcount("finding_id")]}, dict(ACTIVE_NEW, severity=["CRITICAL"])),
        ("kpi", "Active Findings - HIGH", "view_acct_security_findings_details",
         {"values": [dcount("finding_id")]}, dict(ACTIVE_NEW, severity=["HIGH"])),
        ("kpi", "Active Findings - MEDIUM", "view_acct_security_findings_details",
         {"values": [dcount("finding_id")]}, dict(ACTIVE_NEW, severity=["MEDIUM"])),
        ("pie", "Findings by Security Service", "view_acct_security_findings_details",
         {"category": [dim("product_name")], "values": [dcount("finding_id")]}, ACTIVE_NEW),
        ("line", "Findings over Time", "view_acct_security_findings_details",
         {"category": [date("updated_at", "MONTH")], "values": [dcount("finding_id")],
          "colors": [dim("severity")]}, None),
        ("bar", "Security Hub Findings by Account", "view_acct_security_findings_details",
         {"category": [dim("account")], "values": [dcount("finding_id")], "colors": [dim("severity")]}, ACTIVE_NEW),
        ("summary", "Finding Summary", "view_acct_security_findings_details",
         {"group": [dim(c) for c in ACCOUNT_COLS] + [dim("title"), dim("resource_type"),
                                                                      dim("calc_severity"), dim("severity")],
          "values": [dcount("finding_id")]}, ACTIVE_NEW),
        ("table", "GuardDuty Findings", "view_guard_duty_findings",
         {"columns": ACCOUNT_COLS + ["finding_type", "severity", "title", "updated_at"]}, None),
        ("table", "Inspector Findings", "view_inspector_findings",
         {"columns": ACCOUNT_COLS + ["severity", "status", "type", "title", "first_observed_at"]}, None),
        ("table", "AWS KMS Keys", "view_kms_keys",
         {"columns": ACCOUNT_COLS + ["key_id", "description", "key_usage", "key_rotation_enabled", "enabled"]}, None),
        ("table", "AWS Secrets Manager", "view_secrets_manager_secrets",
         {"columns": ACCOUNT_COLS + ["name", "last_changed_date", "calc_rotation_enabled"]}, None),
        ("table", "AWS Certificate Manager", "view_certificates",
         {"columns": ACCOUNT_COLS + ["domain_name", "type", "not_after", "status"]}, None),
        ("table", "AWS WAF Rules", "view_waf_rules_detailed",
         {"columns": ["account", "account_name", "account_type", "rule_name", "statement_type", "calc_action",
                      "logging_enabled", "has_xss_protection", "geo_blocking", "sql_injection",
                      "cloudwatch_enabled", "is_custom_rule", "is_managed_rule"]}, None),
        ("table", "CloudTrail Trails", "view_cloudtrail_logs",
         {"columns": ACCOUNT_COLS + ["name", "is_logging", "is_multi_region", "log_file_validation",
                                     "latest_delivery_time"]}, None),
    ]),
    ("Compliance", [
        ("kpi", "Compliance Score", "view_config_reports",
         {"values": [value("calc_compliance_score")], "trend": [date("date_to")]}, None),
        ("kpi", "Non-Compliant Resources", "view_non_compliant_resources", {"values": [count("resource_id")]}, None),
        ("pie", "Conformance Packs", "view_non_compliant_resources",
         {"category": [dim("conformance_pack")], "values": [count("resource_id")]}, None),
        ("summary", "Configuration Drift", "view_config_reports",
         {"group": [dim(c) for c in ACCOUNT_COLS],
          "values": [avg("compliant_rules"), avg("non_compliant_rules"), avg("total_rules"),
                     value("calc_compliance_score")]}, None),
        ("summary", "Non-Compliant Resources", "view_non_compliant_resources",
         {"group": [dim(c) for c in ACCOUNT_COLS] + [dim("rule_name"), dim("resource_type")],
          "values": [count("resource_id")]}, None),
    ]),
    ("Inventory", [
        ("kpi", "Total Resources", "view_service_resources", {"values": [count("resource_id")]}, None),
        ("kpi", "Availability Zones", "view_service_resources", {"values": [dcount("calc_availability_zone")]}, None),
        ("kpi", "Regions", "view_service_resources", {"values": [dcount("region")]}, None),
        ("kpi", "Managed Instances", "view_inventory_instances", {"values": [dcount("instance_id")]}, None),
        ("pie", "Resources by Availability Zone", "view_service_resources",
         {"category": [dim("calc_availability_zone")], "values": [count("resource_id")]}, None),
        ("pie", "Patches by Severity", "view_inventory_patches",
         {"category": [dim("calc_severity")], "values": [count("account")]}, None),
        ("summary", "Resource Breakdown", "view_service_resources",
         {"group": [dim("account_category"), dim("account_type"), dim("account_region"), dim("account"),
                    dim("account_name"), dim("project_product_name"), dim("service_name"), dim("resource_type")],
          "values": [dcount("resource_id")]}, None),
        ("table", "Systems Manager Instances", "view_inventory_instances",
         {"columns": ACCOUNT_COLS + ["computer_name", "agent_version", "platform", "calc_ping_status"]}, None),
        ("table", "Patch Management", "view_inventory_patches",
         {"columns": ACCOUNT_COLS + ["title", "classification", "calc_state", "calc_severity"]}, None),
        ("table", "Installed Applications", "view_inventory_applications",
         {"columns": ["account", "account_name", "computer_name", "name", "platform"]}, None),
    ]),
    ("Optimisation", [
        ("kpi", "Compute Optimizer Savings (USD/month)", "view_compute_optimizer",
         {"values": [sum("estimated_monthly_savings_usd")]}, None),
        ("kpi", "Trusted Advisor Savings (USD)", "view_trusted_advisor_checks",
         {"values": [sum("potential_savings")]}, None),
        ("kpi", "RI and Savings Plans Net Savings (USD)", "view_ri_sp_daily_savings",
         {"values": [sum("net_savings")]}, None),
        ("bar", "Recommendations by Finding", "view_compute_optimizer",
         {"category": [dim("finding")], "values": [dcount("resource_arn")], "colors": [dim("resource_type")]}, None),
        ("line", "RI and Savings Plans Utilisation (%)", "view_ri_sp_daily_savings",
         {"category": [date("date_from")], "values": [avg("utilization_percentage")],
          "colors": [dim("reservation_type")]}, None),
        ("table", "Compute Optimizer Recommendations", "view_compute_optimizer",
         {"columns": ACCOUNT_COLS + ["resource_type", "resource_name", "finding", "current_instance_type",
                                     "recommended_instance_type", "estimated_monthly_savings_usd"]}, None),
        ("table", "Trusted Advisor Checks", "view_trusted_advisor_checks",
         {"columns": ACCOUNT_COLS + ["check_name", "category", "severity", "affected_resources_count",
                                     "potential_savings"]}, None),
    ]),
]
