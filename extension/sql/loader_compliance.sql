-- Loader, part 6: compliance (AWS Config report and its evaluation results,
-- Config inventory).  A config report is history, one per day; its list of
-- evaluation results is given in full by the document.

CREATE FUNCTION mao_load_compliance(p_doc jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
	config jsonb := mao_jobject(p_doc, 'config', '');
	report_id integer;
BEGIN
	IF config IS NOT NULL THEN
		tables := tables || jsonb_build_object('config_reports', mao_upsert('config_reports',
			'{}.account_id, {}.date_from',
			ARRAY['account_id', 'date_from', 'date_to', 'compliance_score', 'total_rules',
				  'compliant_rules', 'non_compliant_rules', 'curr_non_compliant', 'curr_compliant'],
			$src$
			SELECT 'config' AS mao_path, 1 AS mao_ord, $2 AS account_id,
				   mao_jdate($1, 'date_from', 'config') AS date_from,
				   mao_jdate($1, 'date_to', 'config') AS date_to,
				   mao_jnum($1, 'compliance_score', 'config') AS compliance_score,
				   mao_jint($1, 'total_rules', 'config') AS total_rules,
				   mao_jint($1, 'compliant_rules', 'config') AS compliant_rules,
				   mao_jint($1, 'non_compliant_rules', 'config') AS non_compliant_rules,
				   mao_jint($1, 'curr_non_compliant', 'config') AS curr_non_compliant,
				   mao_jint($1, 'curr_compliant', 'config') AS curr_compliant
			$src$, config, p_acct));

		SELECT r.id INTO report_id
		  FROM config_reports r
		 WHERE r.account_id = p_acct AND r.date_from = mao_jdate(config, 'date_from', 'config');

		-- Despite the name the list holds COMPLIANT results too; the time the
		-- result was recorded becomes created_at, as in the reference.
		tables := tables || jsonb_build_object('non_compliant_resources', mao_upsert('non_compliant_resources',
			'{}.config_report_id, (coalesce({}.rule_name, '''')), (coalesce({}.resource_type, '''')), (coalesce({}.resource_id, ''''))',
			ARRAY['config_report_id', 'resource_type', 'resource_id', 'compliance_type', 'rule_name',
				  'created_at', 'annotation', 'evaluation_mode', 'conformance_pack', 'status'],
			$src$
			SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS config_report_id,
				   mao_vtext(e_t."resource_type", e.v, 'resource_type', e.path) AS resource_type,
				   mao_vtext(e_t."resource_id", e.v, 'resource_id', e.path) AS resource_id,
				   mao_vtext(e_t."compliance_type", e.v, 'compliance_type', e.path) AS compliance_type,
				   mao_vtext(e_t."rule_name", e.v, 'rule_name', e.path) AS rule_name,
				   mao_vts(e_t."config_rule_invoked_time", e.v, 'config_rule_invoked_time', e.path) AS created_at,
				   mao_vtext(e_t."annotation", e.v, 'annotation', e.path) AS annotation,
				   mao_vtext(e_t."evaluation_mode", e.v, 'evaluation_mode', e.path) AS evaluation_mode,
				   mao_vtext(e_t."conformance_pack", e.v, 'conformance_pack', e.path) AS conformance_pack,
				   mao_vtext(e_t."status", e.v, 'status', e.path) AS status
			  FROM mao_jelements($1, 'config.non_compliant_resources') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"resource_type" text, "resource_id" text, "compliance_type" text, "rule_name" text,
				"config_rule_invoked_time" text, "annotation" text, "evaluation_mode" text,
				"conformance_pack" text, "status" text)
			$src$, mao_jarray(config, 'non_compliant_resources', 'config'), report_id, 'config_report_id',
		p_fields => '{"created_at": "config_rule_invoked_time"}'));
	END IF;

	tables := tables || jsonb_build_object('config_inventory', mao_upsert('config_inventory',
		'{}.account_id, {}.resource_type, {}.resource_id',
		ARRAY['account_id', 'resource_type', 'resource_subtype', 'resource_id', 'resource_name', 'region',
			  'availability_zone', 'state', 'instance_type', 'instance_class', 'engine', 'vpc_id',
			  'size_gb', 'volume_type', 'creation_date', 'multi_az', 'scheme', 'type',
			  'instance_count', 'min_size', 'max_size', 'available_ip_count'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."resource_type", e.v, 'resource_type', e.path) AS resource_type,
			   mao_vtext(e_t."resource_subtype", e.v, 'resource_subtype', e.path) AS resource_subtype,
			   mao_vkey(e_t."resource_id", e.v, 'resource_id', e.path) AS resource_id,
			   mao_vtext(e_t."resource_name", e.v, 'resource_name', e.path) AS resource_name,
			   mao_vtext(e_t."region", e.v, 'region', e.path) AS region,
			   mao_vtext(e_t."availability_zone", e.v, 'availability_zone', e.path) AS availability_zone,
			   mao_vtext(e_t."state", e.v, 'state', e.path) AS state,
			   mao_vtext(e_t."instance_type", e.v, 'instance_type', e.path) AS instance_type,
			   mao_vtext(e_t."instance_class", e.v, 'instance_class', e.path) AS instance_class,
			   mao_vtext(e_t."engine", e.v, 'engine', e.path) AS engine,
			   mao_vtext(e_t."vpc_id", e.v, 'vpc_id', e.path) AS vpc_id,
			   mao_jint(e.v, 'size_gb', e.path) AS size_gb,
			   mao_vtext(e_t."volume_type", e.v, 'volume_type', e.path) AS volume_type,
			   mao_vts(e_t."creation_date", e.v, 'creation_date', e.path) AS creation_date,
			   mao_jbool(e.v, 'multi_az', e.path) AS multi_az,
			   mao_vtext(e_t."scheme", e.v, 'scheme', e.path) AS scheme,
			   mao_vtext(e_t."type", e.v, 'type', e.path) AS type,
			   mao_jint(e.v, 'instance_count', e.path) AS instance_count,
			   mao_jint(e.v, 'min_size', e.path) AS min_size,
			   mao_jint(e.v, 'max_size', e.path) AS max_size,
			   mao_jint(e.v, 'available_ip_count', e.path) AS available_ip_count
		  FROM mao_jelements($1, 'config_inventory') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"resource_type" text, "resource_subtype" text, "resource_id" text,
				"resource_name" text, "region" text, "availability_zone" text, "state" text,
				"instance_type" text, "instance_class" text, "engine" text, "vpc_id" text,
				"volume_type" text, "creation_date" text, "scheme" text, "type" text)
		$src$, mao_jarray(p_doc, 'config_inventory', ''), p_acct));

	RETURN tables;
END
$fn$;
