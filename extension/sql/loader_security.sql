-- Loader, part 5: the security section (Security Hub groups and findings,
-- GuardDuty, KMS, WAF web ACLs and rules, CloudTrail, Secrets Manager, ACM,
-- Inspector).  These tables hold the latest state: keyed per account by the
-- resource's own identifier, a new document updates them in place.

CREATE FUNCTION mao_load_security(p_doc jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
	sec jsonb := coalesce(mao_jobject(p_doc, 'security', ''), '{}');
	groups jsonb := mao_jarray(sec, 'security_hub', 'security');
BEGIN
	-- One row per Security Hub product group.
	tables := tables || jsonb_build_object('security', mao_upsert('security',
		'{}.account_id, {}.service',
		ARRAY['account_id', 'service', 'total_findings', 'critical_count', 'high_count', 'medium_count',
			  'low_count', 'informational_count', 'open_findings', 'resolved_findings'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   coalesce(mao_vtext(e_t."service", e.v, 'service', e.path), '') AS service,
			   mao_jint(e.v, 'total_findings', e.path) AS total_findings,
			   mao_jint(sc, 'CRITICAL', e.path || '.severity_counts') AS critical_count,
			   mao_jint(sc, 'HIGH', e.path || '.severity_counts') AS high_count,
			   mao_jint(sc, 'MEDIUM', e.path || '.severity_counts') AS medium_count,
			   mao_jint(sc, 'LOW', e.path || '.severity_counts') AS low_count,
			   mao_jint(sc, 'INFORMATIONAL', e.path || '.severity_counts') AS informational_count,
			   mao_jint(e.v, 'open_findings', e.path) AS open_findings,
			   mao_jint(e.v, 'resolved_findings', e.path) AS resolved_findings
		  FROM mao_jelements($1, 'security.security_hub') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"service" text)
		 CROSS JOIN LATERAL (SELECT coalesce(mao_jobject(e.v, 'severity_counts', e.path), '{}') AS sc) s
		$src$, groups, p_acct,
		p_fields => '{"critical_count": "severity_counts.CRITICAL", "high_count": "severity_counts.HIGH", "medium_count": "severity_counts.MEDIUM", "low_count": "severity_counts.LOW", "informational_count": "severity_counts.INFORMATIONAL"}'));

	-- Findings hang off the group they were listed in (resolved in SQL by the
	-- group's product name).
	tables := tables || jsonb_build_object('findings', mao_upsert('findings',
		'{}.security_id, {}.finding_id',
		ARRAY['security_id', 'finding_id', 'service', 'title', 'description', 'severity', 'status',
			  'resource_type', 'resource_id', 'created_at', 'updated_at', 'recommendation',
			  'compliance_status', 'region', 'workflow_state', 'record_state', 'product_name',
			  'company_name', 'product_arn', 'generator_id', 'generator'],
		$src$
		SELECT f.path AS mao_path, (g.ord << 32) + f.ord AS mao_ord, grp.id AS security_id,
			   mao_vkey(f_t."finding_id", f.v, 'finding_id', f.path) AS finding_id,
			   coalesce(mao_vtext(f_t."service", f.v, 'service', f.path), '') AS service,
			   mao_vtext(f_t."title", f.v, 'title', f.path) AS title,
			   mao_vtext(f_t."description", f.v, 'description', f.path) AS description,
			   mao_vtext(f_t."severity", f.v, 'severity', f.path) AS severity,
			   mao_vtext(f_t."status", f.v, 'status', f.path) AS status,
			   mao_vtext(f_t."resource_type", f.v, 'resource_type', f.path) AS resource_type,
			   mao_vtext(f_t."resource_id", f.v, 'resource_id', f.path) AS resource_id,
			   mao_vts(f_t."created_at", f.v, 'created_at', f.path) AS created_at,
			   mao_vts(f_t."updated_at", f.v, 'updated_at', f.path) AS updated_at,
			   mao_vtext(f_t."recommendation", f.v, 'recommendation', f.path) AS recommendation,
			   mao_vtext(f_t."compliance_status", f.v, 'compliance_status', f.path) AS compliance_status,
			   mao_vtext(f_t."region", f.v, 'region', f.path) AS region,
			   mao_vtext(f_t."workflow_state", f.v, 'workflow_state', f.path) AS workflow_state,
			   mao_vtext(f_t."record_state", f.v, 'record_state', f.path) AS record_state,
			   mao_vtext(f_t."product_name", f.v, 'product_name', f.path) AS product_name,
			   mao_vtext(f_t."company_name", f.v, 'company_name', f.path) AS company_name,
			   mao_vtext(f_t."product_arn", f.v, 'product_arn', f.path) AS product_arn,
			   mao_vtext(f_t."generator_id", f.v, 'generator_id', f.path) AS generator_id,
			   mao_vtext(f_t."generator", f.v, 'generator', f.path) AS generator
		  FROM mao_jelements($1, 'security.security_hub') AS g
		 CROSS JOIN LATERAL mao_jelements(mao_jarray(g.v, 'findings', g.path), g.path || '.findings') AS f
		 CROSS JOIN LATERAL jsonb_to_record(f.v) AS f_t(
				"finding_id" text, "service" text, "title" text, "description" text, "severity" text,
				"status" text, "resource_type" text, "resource_id" text, "created_at" text,
				"updated_at" text, "recommendation" text, "compliance_status" text, "region" text,
				"workflow_state" text, "record_state" text, "product_name" text, "company_name" text,
				"product_arn" text, "generator_id" text, "generator" text)
		  JOIN security grp ON grp.account_id = $2 AND grp.service = coalesce(g.v ->> 'service', '')
		$src$, groups, p_acct));

	tables := tables || jsonb_build_object('guard_duty_findings', mao_upsert('guard_duty_findings',
		'{}.account_id, {}.detector_id',
		ARRAY['account_id', 'detector_id', 'finding_type', 'severity', 'title', 'description',
			  'confidence', 'region', 'created_at', 'updated_at'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   -- The reference names the finding id column detector_id.
			   mao_vkey(e_t."id", e.v, 'id', e.path) AS detector_id,
			   mao_vtext(e_t."type", e.v, 'type', e.path) AS finding_type,
			   mao_jnum(e.v, 'severity', e.path) AS severity,
			   mao_vtext(e_t."title", e.v, 'title', e.path) AS title,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description,
			   mao_jnum(e.v, 'confidence', e.path) AS confidence,
			   mao_vtext(e_t."region", e.v, 'region', e.path) AS region,
			   mao_vts(e_t."created_at", e.v, 'created_at', e.path) AS created_at,
			   mao_vts(e_t."updated_at", e.v, 'updated_at', e.path) AS updated_at
		  FROM mao_jelements($1, 'security.guard_duty') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"id" text, "type" text, "title" text, "description" text, "region" text,
				"created_at" text, "updated_at" text)
		$src$, mao_jarray(sec, 'guard_duty', 'security'), p_acct,
		p_fields => '{"detector_id": "id", "finding_type": "type"}'));

	tables := tables || jsonb_build_object('kms_keys', mao_upsert('kms_keys',
		'{}.account_id, {}.key_id',
		ARRAY['account_id', 'key_id', 'arn', 'description', 'key_usage', 'key_state',
			  'creation_date', 'enabled', 'key_rotation_enabled'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."key_id", e.v, 'key_id', e.path) AS key_id,
			   mao_vtext(e_t."arn", e.v, 'arn', e.path) AS arn,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description,
			   mao_vtext(e_t."key_usage", e.v, 'key_usage', e.path) AS key_usage,
			   mao_vtext(e_t."key_state", e.v, 'key_state', e.path) AS key_state,
			   mao_vts(e_t."creation_date", e.v, 'creation_date', e.path) AS creation_date,
			   mao_jbool(e.v, 'enabled', e.path) AS enabled,
			   mao_jbool(e.v, 'key_rotation_enabled', e.path) AS key_rotation_enabled
		  FROM mao_jelements($1, 'security.kms') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"key_id" text, "arn" text, "description" text, "key_usage" text, "key_state" text,
				"creation_date" text)
		$src$, mao_jarray(sec, 'kms', 'security'), p_acct));

	-- One row per web ACL (the reference's table name notwithstanding).
	tables := tables || jsonb_build_object('waf_rules', mao_upsert('waf_rules',
		'{}.account_id, {}.waf_id',
		ARRAY['account_id', 'name', 'waf_id', 'arn', 'scope', 'description', 'default_action',
			  'rules_count', 'logging_enabled', 'geo_blocking_enabled', 'blocked_countries'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vtext(e_t."name", e.v, 'name', e.path) AS name,
			   mao_vkey(e_t."id", e.v, 'id', e.path) AS waf_id,
			   mao_vtext(e_t."arn", e.v, 'arn', e.path) AS arn,
			   mao_vtext(e_t."scope", e.v, 'scope', e.path) AS scope,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description,
			   mao_jjson(e.v, 'default_action', e.path) AS default_action,
			   mao_jint(e.v, 'rules_count', e.path) AS rules_count,
			   mao_jbool(e.v, 'logging_enabled', e.path) AS logging_enabled,
			   mao_jbool(e.v, 'geo_blocking_enabled', e.path) AS geo_blocking_enabled,
			   mao_jjson_text(e.v, 'blocked_countries', e.path) AS blocked_countries
		  FROM mao_jelements($1, 'security.waf') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"name" text, "id" text, "arn" text, "scope" text, "description" text)
		$src$, mao_jarray(sec, 'waf', 'security'), p_acct,
		p_fields => '{"waf_id": "id"}'));

	tables := tables || jsonb_build_object('waf_rules_detailed', mao_upsert('waf_rules_detailed',
		'{}.account_id, {}.web_acl_name, {}.rule_name, {}.scope',
		ARRAY['account_id', 'web_acl_name', 'rule_name', 'priority', 'action', 'statement_type',
			  'is_managed_rule', 'is_custom_rule', 'rate_limit', 'logging_enabled', 'geo_blocking',
			  'sql_injection', 'sample_request_enabled', 'cloudwatch_enabled', 'has_xss_protection',
			  'waf_version', 'is_compliant', 'scope'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."web_acl_name", e.v, 'web_acl_name', e.path) AS web_acl_name,
			   mao_vkey(e_t."rule_name", e.v, 'rule_name', e.path) AS rule_name,
			   mao_jint(e.v, 'priority', e.path) AS priority,
			   -- Kept as JSON text: dashboards classify rules by searching it.
			   mao_jjson_text(e.v, 'action', e.path) AS action,
			   mao_vtext(e_t."statement_type", e.v, 'statement_type', e.path) AS statement_type,
			   mao_jbool(e.v, 'is_managed_rule', e.path) AS is_managed_rule,
			   mao_jbool(e.v, 'is_custom_rule', e.path) AS is_custom_rule,
			   mao_jbool(e.v, 'rate_limit', e.path) AS rate_limit,
			   mao_jbool(e.v, 'logging_enabled', e.path) AS logging_enabled,
			   mao_jbool(e.v, 'geo_blocking', e.path) AS geo_blocking,
			   mao_jbool(e.v, 'sql_injection', e.path) AS sql_injection,
			   mao_jbool(e.v, 'sample_request_enabled', e.path) AS sample_request_enabled,
			   mao_jbool(e.v, 'cloudwatch_enabled', e.path) AS cloudwatch_enabled,
			   mao_jbool(e.v, 'has_xss_protection', e.path) AS has_xss_protection,
			   mao_vtext(e_t."waf_version", e.v, 'waf_version', e.path) AS waf_version,
			   mao_jbool(e.v, 'is_compliant', e.path) AS is_compliant,
			   mao_vtext(e_t."scope", e.v, 'scope', e.path) AS scope
		  FROM mao_jelements($1, 'security.waf_rules') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"web_acl_name" text, "rule_name" text, "statement_type" text, "waf_version" text,
				"scope" text)
		$src$, mao_jarray(sec, 'waf_rules', 'security'), p_acct));

	tables := tables || jsonb_build_object('cloudtrail_logs', mao_upsert('cloudtrail_logs',
		'{}.account_id, {}.arn',
		ARRAY['account_id', 'name', 'arn', 'is_logging', 'is_multi_region', 's3_bucket', 'kms_key_id',
			  'log_file_validation', 'latest_delivery_time'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vtext(e_t."name", e.v, 'name', e.path) AS name,
			   mao_vkey(e_t."arn", e.v, 'arn', e.path) AS arn,
			   mao_jbool(e.v, 'is_logging', e.path) AS is_logging,
			   mao_jbool(e.v, 'is_multi_region', e.path) AS is_multi_region,
			   mao_vtext(e_t."s3_bucket", e.v, 's3_bucket', e.path) AS s3_bucket,
			   mao_vtext(e_t."kms_key_id", e.v, 'kms_key_id', e.path) AS kms_key_id,
			   mao_jbool(e.v, 'log_file_validation', e.path) AS log_file_validation,
			   mao_vts(e_t."latest_delivery_time", e.v, 'latest_delivery_time', e.path) AS latest_delivery_time
		  FROM mao_jelements($1, 'security.cloudtrail') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"name" text, "arn" text, "s3_bucket" text, "kms_key_id" text,
				"latest_delivery_time" text)
		$src$, mao_jarray(sec, 'cloudtrail', 'security'), p_acct));

	tables := tables || jsonb_build_object('secrets_manager_secrets', mao_upsert('secrets_manager_secrets',
		'{}.account_id, {}.arn',
		ARRAY['account_id', 'name', 'arn', 'description', 'created_date', 'last_changed_date',
			  'rotation_enabled'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vtext(e_t."name", e.v, 'name', e.path) AS name,
			   mao_vkey(e_t."arn", e.v, 'arn', e.path) AS arn,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description,
			   mao_vts(e_t."created_date", e.v, 'created_date', e.path) AS created_date,
			   mao_vts(e_t."last_changed_date", e.v, 'last_changed_date', e.path) AS last_changed_date,
			   mao_jbool(e.v, 'rotation_enabled', e.path) AS rotation_enabled
		  FROM mao_jelements($1, 'security.secrets_manager') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"name" text, "arn" text, "description" text, "created_date" text,
				"last_changed_date" text)
		$src$, mao_jarray(sec, 'secrets_manager', 'security'), p_acct));

	tables := tables || jsonb_build_object('certificates', mao_upsert('certificates',
		'{}.account_id, {}.arn',
		ARRAY['account_id', 'arn', 'domain_name', 'status', 'type', 'not_after'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."arn", e.v, 'arn', e.path) AS arn,
			   mao_vtext(e_t."domain_name", e.v, 'domain_name', e.path) AS domain_name,
			   mao_vtext(e_t."status", e.v, 'status', e.path) AS status,
			   mao_vtext(e_t."type", e.v, 'type', e.path) AS type,
			   mao_vts(e_t."not_after", e.v, 'not_after', e.path) AS not_after
		  FROM mao_jelements($1, 'security.certificate_manager') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"arn" text, "domain_name" text, "status" text, "type" text, "not_after" text)
		$src$, mao_jarray(sec, 'certificate_manager', 'security'), p_acct));

	tables := tables || jsonb_build_object('inspector_findings', mao_upsert('inspector_findings',
		'{}.account_id, {}.finding_arn',
		ARRAY['account_id', 'finding_arn', 'severity', 'status', 'type', 'title', 'description',
			  'first_observed_at'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."finding_arn", e.v, 'finding_arn', e.path) AS finding_arn,
			   mao_vtext(e_t."severity", e.v, 'severity', e.path) AS severity,
			   mao_vtext(e_t."status", e.v, 'status', e.path) AS status,
			   mao_vtext(e_t."type", e.v, 'type', e.path) AS type,
			   mao_vtext(e_t."title", e.v, 'title', e.path) AS title,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description,
			   mao_vts(e_t."first_observed_at", e.v, 'first_observed_at', e.path) AS first_observed_at
		  FROM mao_jelements($1, 'security.inspector') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"finding_arn" text, "severity" text, "status" text, "type" text, "title" text,
				"description" text, "first_observed_at" text)
		$src$, mao_jarray(sec, 'inspector', 'security'), p_acct));

	RETURN tables;
END
$fn$;
