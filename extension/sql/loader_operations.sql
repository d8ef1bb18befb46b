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
			   mao_vkey(e_t."check_name", e.v, 'check_name', e.path) AS check_name,
			   mao_vtext(e_t."category", e.v, 'category', e.path) AS category,
			   mao_vtext(e_t."severity", e.v, 'severity', e.path) AS severity,
			   mao_vtext(e_t."recommendation", e.v, 'recommendation', e.path) AS recommendation,
			   mao_jint(e.v, 'affected_resources_count', e.path) AS affected_resources_count,
			   mao_jnum(e.v, 'potential_savings', e.path) AS potential_savings,
			   mao_vts(e_t."timestamp", e.v, 'timestamp', e.path) AS "timestamp"
		  FROM mao_jelements($1, 'trusted_advisor') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"check_name" text, "category" text, "severity" text, "recommendation" text,
				"timestamp" text)
		$src$, mao_jarray(p_doc, 'trusted_advisor', ''), p_acct));

	tables := tables || jsonb_build_object('health_events', mao_upsert('health_events',
		'{}.account_id, {}.arn',
		ARRAY['account_id', 'arn', 'service', 'event_type_code', 'region', 'start_time', 'end_time',
			  'status_code'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."arn", e.v, 'arn', e.path) AS arn,
			   mao_vtext(e_t."service", e.v, 'service', e.path) AS service,
			   mao_vtext(e_t."event_type_code", e.v, 'event_type_code', e.path) AS event_type_code,
			   mao_vtext(e_t."region", e.v, 'region', e.path) AS region,
			   mao_vts(e_t."start_time", e.v, 'start_time', e.path) AS start_time,
			   mao_vts(e_t."end_time", e.v, 'end_time', e.path) AS end_time,
			   mao_vtext(e_t."status_code", e.v, 'status_code', e.path) AS status_code
		  FROM mao_jelements($1, 'health') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"arn" text, "service" text, "event_type_code" text, "region" text, "start_time" text,
				"end_time" text, "status_code" text)
		$src$, mao_jarray(p_doc, 'health', ''), p_acct));

	tables := tables || jsonb_build_object('application_signals', mao_upsert('application_signals',
		'{}.account_id, {}.service_name, (coalesce({}.namespace, ''''))',
		ARRAY['account_id', 'service_name', 'namespace', 'key_attributes'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."service_name", e.v, 'service_name', e.path) AS service_name,
			   mao_vtext(e_t."namespace", e.v, 'namespace', e.path) AS namespace,
			   mao_jjson(e.v, 'key_attributes', e.path) AS key_attributes
		  FROM mao_jelements($1, 'application') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"service_name" text, "namespace" text)
		$src$, mao_jarray(p_doc, 'application', ''), p_acct));

	tables := tables || jsonb_build_object('resilience_hub_apps', mao_upsert('resilience_hub_apps',
		'{}.account_id, {}.app_arn',
		ARRAY['account_id', 'app_arn', 'name', 'compliance_status', 'resiliency_score', 'status', 'cost',
			  'description', 'creation_time', 'last_assessment_time', 'rpo', 'rto', 'last_drill'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."app_arn", e.v, 'app_arn', e.path) AS app_arn,
			   mao_vtext(e_t."name", e.v, 'name', e.path) AS name,
			   mao_vtext(e_t."compliance_status", e.v, 'compliance_status', e.path) AS compliance_status,
			   mao_jnum(e.v, 'resiliency_score', e.path) AS resiliency_score,
			   mao_vtext(e_t."status", e.v, 'status', e.path) AS status,
			   mao_jnum(e.v, 'cost', e.path) AS cost,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description,
			   mao_vts(e_t."creation_time", e.v, 'creation_time', e.path) AS creation_time,
			   mao_vts(e_t."last_assessment_time", e.v, 'last_assessment_time', e.path) AS last_assessment_time,
			   mao_jint(e.v, 'rpo', e.path) AS rpo,
			   mao_jint(e.v, 'rto', e.path) AS rto,
			   mao_vts(e_t."last_drill", e.v, 'last_drill', e.path) AS last_drill
		  FROM mao_jelements($1, 'resilience_hub') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"app_arn" text, "name" text, "compliance_status" text, "status" text,
				"description" text, "creation_time" text, "last_assessment_time" text,
				"last_drill" text)
		$src$, mao_jarray(p_doc, 'resilience_hub', ''), p_acct));

	tables := tables || jsonb_build_object('support_tickets', mao_upsert('support_tickets',
		'{}.account_id, {}.case_id',
		ARRAY['account_id', 'case_id', 'display_id', 'subject', 'status', 'severity_code', 'service_code',
			  'category_code', 'time_created', 'submitted_by', 'language', 'date_from', 'date_to'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."case_id", e.v, 'case_id', e.path) AS case_id,
			   mao_vtext(e_t."display_id", e.v, 'display_id', e.path) AS display_id,
			   mao_vtext(e_t."subject", e.v, 'subject', e.path) AS subject,
			   mao_vtext(e_t."status", e.v, 'status', e.path) AS status,
			   mao_vtext(e_t."severity_code", e.v, 'severity_code', e.path) AS severity_code,
			   mao_vtext(e_t."service_code", e.v, 'service_code', e.path) AS service_code,
			   mao_vtext(e_t."category_code", e.v, 'category_code', e.path) AS category_code,
			   mao_vts(e_t."time_created", e.v, 'time_created', e.path) AS time_created,
			   mao_vtext(e_t."submitted_by", e.v, 'submitted_by', e.path) AS submitted_by,
			   mao_vtext(e_t."language", e.v, 'language', e.path) AS language,
			   mao_vdate(e_t."date_from", e.v, 'date_from', e.path) AS date_from,
			   mao_vdate(e_t."date_to", e.v, 'date_to', e.path) AS date_to
		  FROM mao_jelements($1, 'support_tickets') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"case_id" text, "display_id" text, "subject" text, "status" text,
				"severity_code" text, "service_code" text, "category_code" text, "time_created" text,
				"submitted_by" text, "language" text, "date_from" text, "date_to" text)
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
			   mao_vtext(e_t."resource_type", e.v, 'resource_type', e.path) AS resource_type,
			   mao_vkey(e_t."resource_arn", e.v, 'resource_arn', e.path) AS resource_arn,
			   mao_vtext(e_t."resource_name", e.v, 'resource_name', e.path) AS resource_name,
			   mao_vtext(e_t."finding", e.v, 'finding', e.path) AS finding,
			   mao_vtext(e_t."current_instance_type", e.v, 'current_instance_type', e.path) AS current_instance_type,
			   mao_jint(e.v, 'current_memory_size', e.path) AS current_memory_size,
			   mao_vtext(e_t."current_volume_type", e.v, 'current_volume_type', e.path) AS current_volume_type,
			   mao_jint(e.v, 'current_volume_size', e.path) AS current_volume_size,
			   mao_vtext(e_t."recommended_instance_type", e.v, 'recommended_instance_type', e.path) AS recommended_instance_type,
			   mao_jint(e.v, 'recommended_memory_size', e.path) AS recommended_memory_size,
			   mao_vtext(e_t."recommended_volume_type", e.v, 'recommended_volume_type', e.path) AS recommended_volume_type,
			   mao_jint(e.v, 'recommended_volume_size', e.path) AS recommended_volume_size,
			   mao_jnum(e.v, 'savings_opportunity_percentage', e.path) AS savings_opportunity_percentage,
			   mao_jnum(e.v, 'estimated_monthly_savings_usd', e.path) AS estimated_monthly_savings_usd,
			   mao_jnum(e.v, 'performance_risk', e.path) AS performance_risk,
			   mao_jnum(e.v, 'cpu_utilization_max', e.path) AS cpu_utilization_max,
			   mao_jnum(e.v, 'memory_utilization_avg', e.path) AS memory_utilization_avg,
			   mao_vtext(e_t."migration_effort", e.v, 'migration_effort', e.path) AS migration_effort
		  FROM mao_jelements($1, 'compute_optimizer') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"resource_type" text, "resource_arn" text, "resource_name" text, "finding" text,
				"current_instance_type" text, "current_volume_type" text,
				"recommended_instance_type" text, "recommended_volume_type" text,
				"migration_effort" text)
		$src$, mao_jarray(p_doc, 'compute_optimizer', ''), p_acct));

	RETURN tables;
END
$fn$;
