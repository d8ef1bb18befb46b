-- Loader, part 7: inventory (SSM managed instances with their applications
-- and patches, and the service_resources section).  Latest state, keyed per
-- account by the resource's own identifier.

CREATE FUNCTION mao_load_inventory(p_doc jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
	inv jsonb := coalesce(mao_jobject(p_doc, 'inventory', ''), '{}');
BEGIN
	tables := tables || jsonb_build_object('inventory_instances', mao_upsert('inventory_instances',
		'{}.account_id, {}.instance_id',
		ARRAY['account_id', 'instance_id', 'instance_type', 'platform', 'ip_address', 'computer_name',
			  'ping_status', 'last_ping_date_time', 'agent_version', 'platform_type', 'platform_version',
			  'is_latest_version', 'association_status', 'association_execution_date',
			  'association_success_date'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."instance_id", e.v, 'instance_id', e.path) AS instance_id,
			   mao_vtext(e_t."instance_type", e.v, 'instance_type', e.path) AS instance_type,
			   mao_vtext(e_t."platform", e.v, 'platform', e.path) AS platform,
			   mao_vtext(e_t."ip_address", e.v, 'ip_address', e.path) AS ip_address,
			   mao_vtext(e_t."computer_name", e.v, 'computer_name', e.path) AS computer_name,
			   mao_vtext(e_t."ping_status", e.v, 'ping_status', e.path) AS ping_status,
			   coalesce(mao_vts(e_t."last_ping_date_time", e.v, 'last_ping_date_time', e.path),
						mao_vts(e_t."last_ping", e.v, 'last_ping', e.path)) AS last_ping_date_time,
			   mao_vtext(e_t."agent_version", e.v, 'agent_version', e.path) AS agent_version,
			   mao_vtext(e_t."platform_type", e.v, 'platform_type', e.path) AS platform_type,
			   mao_vtext(e_t."platform_version", e.v, 'platform_version', e.path) AS platform_version,
			   mao_jbool(e.v, 'is_latest_version', e.path) AS is_latest_version,
			   mao_vtext(e_t."association_status", e.v, 'association_status', e.path) AS association_status,
			   mao_vts(e_t."association_execution_date", e.v, 'association_execution_date', e.path) AS association_execution_date,
			   mao_vts(e_t."association_success_date", e.v, 'association_success_date', e.path) AS association_success_date
		  FROM mao_jelements($1, 'inventory.instances') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"instance_id" text, "instance_type" text, "platform" text, "ip_address" text,
				"computer_name" text, "ping_status" text, "last_ping_date_time" text,
				"last_ping" text, "agent_version" text, "platform_type" text,
				"platform_version" text, "association_status" text,
				"association_execution_date" text, "association_success_date" text)
		$src$, mao_jarray(inv, 'instances', 'inventory'), p_acct));

	-- Applications and patches belong to the instance their instance_id names
	-- (resolved in SQL); those naming an instance this account has never
	-- reported are skipped and counted.
	tables := tables || jsonb_build_object('inventory_applications', mao_upsert('inventory_applications',
		'{}.instance_id, {}.name, (coalesce({}.architecture, ''''))',
		ARRAY['account_id', 'instance_id', 'name', 'version', 'publisher', 'architecture',
			  'application_type', 'install_time'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id, i.id AS instance_id,
			   mao_vkey(e_t."name", e.v, 'name', e.path) AS name,
			   mao_vtext(e_t."version", e.v, 'version', e.path) AS version,
			   mao_vtext(e_t."publisher", e.v, 'publisher', e.path) AS publisher,
			   mao_vtext(e_t."architecture", e.v, 'architecture', e.path) AS architecture,
			   mao_vtext(e_t."application_type", e.v, 'application_type', e.path) AS application_type,
			   mao_vts_loose(e_t."install_time", e.v, 'install_time', e.path) AS install_time
		  FROM mao_jelements($1, 'inventory.applications') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"name" text, "version" text, "publisher" text, "architecture" text,
				"application_type" text, "install_time" text, "instance_id" text)
		  JOIN inventory_instances i ON i.account_id = $2
									AND i.instance_id = mao_vkey(e_t."instance_id", e.v, 'instance_id', e.path)
		$src$, mao_jarray(inv, 'applications', 'inventory'), p_acct));

	tables := tables || jsonb_build_object('inventory_patches', mao_upsert('inventory_patches',
		'{}.instance_id, {}.title',
		ARRAY['account_id', 'instance_id', 'title', 'classification', 'severity', 'state', 'installed_time'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id, i.id AS instance_id,
			   mao_vkey(e_t."title", e.v, 'title', e.path) AS title,
			   mao_vtext(e_t."classification", e.v, 'classification', e.path) AS classification,
			   mao_vtext(e_t."severity", e.v, 'severity', e.path) AS severity,
			   mao_vtext(e_t."state", e.v, 'state', e.path) AS state,
			   mao_vts(e_t."installed_time", e.v, 'installed_time', e.path) AS installed_time
		  FROM mao_jelements($1, 'inventory.patches') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"title" text, "classification" text, "severity" text, "state" text,
				"installed_time" text, "instance_id" text)
		  JOIN inventory_instances i ON i.account_id = $2
									AND i.instance_id = mao_vkey(e_t."instance_id", e.v, 'instance_id', e.path)
		$src$, mao_jarray(inv, 'patches', 'inventory'), p_acct));

	tables := jsonb_set(tables, '{inventory_applications,skipped}', to_jsonb((
		SELECT count(*) FROM mao_jelements(mao_jarray(inv, 'applications', 'inventory'), 'inventory.applications') e
		 WHERE NOT EXISTS (SELECT 1 FROM inventory_instances i
							WHERE i.account_id = p_acct AND i.instance_id = e.v ->> 'instance_id'))));
	tables := jsonb_set(tables, '{inventory_patches,skipped}', to_jsonb((
		SELECT count(*) FROM mao_jelements(mao_jarray(inv, 'patches', 'inventory'), 'inventory.patches') e
		 WHERE NOT EXISTS (SELECT 1 FROM inventory_instances i
							WHERE i.account_id = p_acct AND i.instance_id = e.v ->> 'instance_id'))));

	tables := tables || jsonb_build_object('service_resources', mao_upsert('service_resources',
		'{}.account_id, {}.service_name, (coalesce({}.resource_type, '''')), (coalesce({}.resource_id, ''''))',
		ARRAY['account_id', 'service_name', 'resource_type', 'resource_id', 'resource_name', 'region',
			  'availability_zone', 'state', 'instance_type', 'vpc_id', 'engine', 'instance_class',
			  'multi_az', 'size_gb', 'volume_type', 'creation_date', 'type', 'scheme',
			  'instance_count', 'min_size', 'max_size', 'available_ip_count'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."service_name", e.v, 'service_name', e.path) AS service_name,
			   mao_vtext(e_t."resource_type", e.v, 'resource_type', e.path) AS resource_type,
			   mao_vtext(e_t."resource_id", e.v, 'resource_id', e.path) AS resource_id,
			   mao_vtext(e_t."resource_name", e.v, 'resource_name', e.path) AS resource_name,
			   mao_vtext(e_t."region", e.v, 'region', e.path) AS region,
			   mao_vtext(e_t."availability_zone", e.v, 'availability_zone', e.path) AS availability_zone,
			   mao_vtext(e_t."state", e.v, 'state', e.path) AS state,
			   mao_vtext(e_t."instance_type", e.v, 'instance_type', e.path) AS instance_type,
			   mao_vtext(e_t."vpc_id", e.v, 'vpc_id', e.path) AS vpc_id,
			   mao_vtext(e_t."engine", e.v, 'engine', e.path) AS engine,
			   mao_vtext(e_t."instance_class", e.v, 'instance_class', e.path) AS instance_class,
			   mao_jbool(e.v, 'multi_az', e.path) AS multi_az,
			   -- Lambda reports memory as a fraction of a GB; the column is whole GB.
			   round(mao_jnum(mao_blank_to_null(e.v, 'size_gb'), 'size_gb', e.path))::integer AS size_gb,
			   mao_vtext(e_t."volume_type", e.v, 'volume_type', e.path) AS volume_type,
			   mao_vts(e_t."creation_date", e.v, 'creation_date', e.path) AS creation_date,
			   mao_vtext(e_t."type", e.v, 'type', e.path) AS type,
			   mao_vtext(e_t."scheme", e.v, 'scheme', e.path) AS scheme,
			   mao_jint(mao_blank_to_null(e.v, 'instance_count'), 'instance_count', e.path) AS instance_count,
			   mao_jint(mao_blank_to_null(e.v, 'min_size'), 'min_size', e.path) AS min_size,
			   mao_jint(mao_blank_to_null(e.v, 'max_size'), 'max_size', e.path) AS max_size,
			   mao_jint(mao_blank_to_null(e.v, 'available_ip_count'), 'available_ip_count', e.path) AS available_ip_count
		  FROM mao_jelements($1, 'service_resources') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"service_name" text, "resource_type" text, "resource_id" text, "resource_name" text,
				"region" text, "availability_zone" text, "state" text, "instance_type" text,
				"vpc_id" text, "engine" text, "instance_class" text, "volume_type" text,
				"creation_date" text, "type" text, "scheme" text)
		$src$, mao_jarray(p_doc, 'service_resources', ''), p_acct));

	RETURN tables;
END
$fn$;
