-- Loader, part 8: operations and optimisation (Trusted Advisor, Health,
-- Application Signals, Resilience Hub, support tickets, Compute Optimizer).
-- Latest state, keyed per account by the item's own identifier.

CREATE FUNCTION mao_load_operations(p_doc jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
BEGIN
	tables := tables || jsonb_build_object('trusted_advisor_checks', mao_upsert('trusted_advisor_checks',
		'{}.account_id, {}.check_name',
		ARRAY['account_id', 'check_name', 'category', 'severity', 'recommendation',
			  'affected_resources_count', 'potential_savings', 'timestamp'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_jkey(e.v, 'check_name', e.path) AS check_name,
			   mao_jtext(e.v, 'category', e.path) AS category,
			   mao_jtext(e.v, 'severity', e.path) AS severity,
			   mao_jtext(e.v, 'recommendation', e.path) AS recommendation,
			   mao_jint(e.v, 'affected_resources_count', e.path) AS affected_resources_count,
			   mao_jnum(e.v, 'potential_savings', e.path) AS potential_savings,
			   mao_jts(e.v, 'timestamp', e.path) AS "timestamp"
		  FROM mao_jelements($1, 'trusted_advisor') AS e
		$src$, mao_jarray(p_doc, 'trusted_advisor', ''), p_acct));

	tables := tables || jsonb_build_object('health_events', mao_upsert('health_events',
		'{}.account_id, {}.arn',
		ARRAY['account_id', 'arn', 'service', 'event_type_code', 'region', 'start_time', 'end_time',
			  'status_code'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_jkey(e.v, 'arn', e.path) AS arn,
			   mao_jtext(e.v, 'service', e.path) AS service,
			   mao_jtext(e.v, 'event_type_code', e.path) AS event_type_code,
			   mao_jtext(e.v, 'region', e.path) AS region,
			   mao_jts(e.v, 'start_time', e.path) AS start_time,
			   mao_jts(e.v, 'end_time', e.path) AS end_time,
			   mao_jtext(e.v, 'status_code', e.path) AS status_code
		  FROM mao_jelements($1, 'health') AS e
		$src$, mao_jarray(p_doc, 'health', ''), p_acct));

	tables := tables || jsonb_build_object('application_signals', mao_upsert('application_signals',
		'{}.account_id, {}.service_name, (coalesce({}.namespace, ''''))',
		ARRAY['account_id', 'service_name', 'namespace', 'key_attributes'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_jkey(e.v, 'service_name', e.path) AS service_name,
			   mao_jtext(e.v, 'namespace', e.path) AS namespace,
			   mao_jjson(e.v, 'key_attributes', e.path) AS key_attributes
		  FROM mao_jelements($1, 'application') AS e
		$src$, mao_jarray(p_doc, 'application', ''), p_acct));

	tables := tables || jsonb_build_object('resilience_hub_apps', mao_upsert('resilience_hub_apps',
		'{}.account_id, {}.app_arn',
		ARRAY['account_id', 'app_arn', 'name', 'compliance_status', 'resiliency_score', 'status', 'cost',
			  'description', 'creation_time', 'last_assessment_time', 'rpo', 'rto', 'last_drill'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_jkey(e.v, 'app_arn', e.path) AS app_arn,
			   mao_jtext(e.v, 'name', e.path) AS name,
			   mao_jtext(e.v, 'compliance_status', e.path) AS compliance_status,
			   mao_jnum(e.v, 'resiliency_score', e.path) AS resiliency_score,
			   mao_jtext(e.v, 'status', e.path) AS status,
			   mao_jnum(e.v, 'cost', e.path) AS cost,
			   mao_jtext(e.v, 'description', e.path) AS description,
			   mao_jts(e.v, 'creation_time', e.path) AS creation_time,
			   mao_jts(e.v, 'last_assessment_time', e.path) AS last_assessment_time,
			   mao_jint(e.v, 'rpo', e.path) AS rpo,
			   mao_jint(e.v, 'rto', e.path) AS rto,
			   mao_jts(e.v, 'last_drill', e.path) AS last_drill
		  FROM mao_jelements($1, 'resilience_hub') AS e
		$src$, mao_jarray(p_doc, 'resilience_hub', ''), p_acct));

	tables := tables || jsonb_build_object('support_tickets', mao_upsert('support_tickets',
		'{}.account_id, {}.case_id',
		ARRAY['account_id', 'case_id', 'display_id', 'subject', 'status', 'severity_code', 'service_code',
			  'category_code', 'time_created', 'submitted_by', 'language', 'date_from', 'date_to'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_jkey(e.v, 'case_id', e.path) AS case_id,
			   mao_jtext(e.v, 'display_id', e.path) AS display_id,
			   mao_jtext(e.v, 'subject', e.path) AS subject,
			   mao_jtext(e.v, 'status', e.path) AS status,
			   mao_jtext(e.v, 'severity_code', e.path) AS severity_code,
			   mao_jtext(e.v, 'service_code', e.path) AS service_code,
			   mao_jtext(e.v, 'category_code', e.path) AS category_code,
			   mao_jts(e.v, 'time_created', e.path) AS time_created,
			   mao_jtext(e.v, 'submitted_by', e.path) AS submitted_by,
			   mao_jtext(e.v, 'language', e.path) AS language,
			   mao_jdate(e.v, 'date_from', e.path) AS date_from,
			   mao_jdate(e.v, 'date_to', e.path) AS date_to
		  FROM mao_jelements($1, 'support_tickets') AS e
		$src$, mao_jarray(p_doc, 'support_tickets', ''), p_acct));

	tables := tables || jsonb_build_object('compute_optimizer', mao_upsert('compute_optimizer',
		'{}.account_id, {}.resource_arn',
		ARRAY['account_id', 'resource_type', 'resource_arn', 'resource_name', 'finding',
			  'current_instance_type', 'current_memory_size', 'current_volume_type', 'current_volume_size',
			  'recommended_instance_type', 'recommended_memory_size', 'recommended_volume_type',
			  'recommended_volume_size', 'savings_opportunity_percentage', 'estimated_monthly_savings_usd',
			  'performance_risk', 'cpu_utilization_max', 'memory_utilization_avg', 'migration_effort'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_jtext(e.v, 'resource_type', e.path) AS resource_type,
			   mao_jkey(e.v, 'resource_arn', e.path) AS resource_arn,
			   mao_jtext(e.v, 'resource_name', e.path) AS resource_name,
			   mao_jtext(e.v, 'finding', e.path) AS finding,
			   mao_jtext(e.v, 'current_instance_type', e.path) AS current_instance_type,
			   mao_jint(e.v, 'current_memory_size', e.path) AS current_memory_size,
			   mao_jtext(e.v, 'current_volume_type', e.path) AS current_volume_type,
			   mao_jint(e.v, 'current_volume_size', e.path) AS current_volume_size,
			   mao_jtext(e.v, 'recommended_instance_type', e.path) AS recommended_instance_type,
			   mao_jint(e.v, 'recommended_memory_size', e.path) AS recommended_memory_size,
			   mao_jtext(e.v, 'recommended_volume_type', e.path) AS recommended_volume_type,
			   mao_jint(e.v, 'recommended_volume_size', e.path) AS recommended_volume_size,
			   mao_jnum(e.v, 'savings_opportunity_percentage', e.path) AS savings_opportunity_percentage,
			   mao_jnum(e.v, 'estimated_monthly_savings_usd', e.path) AS estimated_monthly_savings_usd,
			   mao_jnum(e.v, 'performance_risk', e.path) AS performance_risk,
			   mao_jnum(e.v, 'cpu_utilization_max', e.path) AS cpu_utilization_max,
			   mao_jnum(e.v, 'memory_utilization_avg', e.path) AS memory_utilization_avg,
			   mao_jtext(e.v, 'migration_effort', e.path) AS migration_effort
		  FROM mao_jelements($1, 'compute_optimizer') AS e
		$src$, mao_jarray(p_doc, 'compute_optimizer', ''), p_acct));

	RETURN tables;
END
$fn$;
