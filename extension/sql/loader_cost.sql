-- Loader, part 4: cost (service, cost, ri_sp_savings, marketplace sections).
--
-- Costs are history: services and cost reports are keyed by their period, so
-- every day's document adds rows and a re-sent day updates its own.  A cost
-- report's top services and forecasts are given in full by the document, so
-- the ones it no longer lists are removed.

CREATE FUNCTION mao_load_cost(p_doc jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
	cost jsonb := mao_jobject(p_doc, 'cost', '');
	report_id integer;
BEGIN
	tables := tables || jsonb_build_object('services', mao_upsert('services',
		'{}.account_id, {}.service, (coalesce({}.usage_types, '''')), {}.date_from',
		ARRAY['account_id', 'service', 'date_from', 'date_to', 'cost', 'currency',
			  'utilization', 'utilization_unit', 'usage_types'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."service", e.v, 'service', e.path) AS service,
			   mao_vdate(e_t."date_from", e.v, 'date_from', e.path) AS date_from,
			   mao_vdate(e_t."date_to", e.v, 'date_to', e.path) AS date_to,
			   mao_jnum(e.v, 'cost', e.path) AS cost,
			   mao_vtext(e_t."currency", e.v, 'currency', e.path) AS currency,
			   mao_jnum(e.v, 'utilization', e.path) AS utilization,
			   mao_vtext(e_t."utilization_unit", e.v, 'utilization_unit', e.path) AS utilization_unit,
			   -- A list of usage types is stored comma-joined, as the reference does.
			   CASE WHEN jsonb_typeof(e.v -> 'usage_types') = 'array'
					THEN (SELECT string_agg(u, ',') FROM jsonb_array_elements_text(e.v -> 'usage_types') AS u)
					ELSE mao_vtext(e_t."usage_types", e.v, 'usage_types', e.path)
			   END AS usage_types
		  FROM mao_jelements($1, 'service') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"service" text, "date_from" text, "date_to" text, "currency" text,
				"utilization_unit" text, "usage_types" text)
		$src$, mao_jarray(p_doc, 'service', ''), p_acct));

	IF cost IS NOT NULL THEN
		tables := tables || jsonb_build_object('cost_reports', mao_upsert('cost_reports',
			'{}.account_id, {}.period_start, {}.period_granularity, {}.region',
			ARRAY['account_id', 'current_period_cost', 'previous_period_cost', 'cost_difference',
				  'cost_difference_percentage', 'period_start', 'period_end', 'period_granularity', 'region'],
			$src$
			SELECT 'cost' AS mao_path, 1 AS mao_ord, $2 AS account_id,
				   mao_jnum($1, 'current_period_cost', 'cost') AS current_period_cost,
				   mao_jnum($1, 'previous_period_cost', 'cost') AS previous_period_cost,
				   mao_jnum($1, 'cost_difference', 'cost') AS cost_difference,
				   mao_jnum($1, 'cost_difference_percentage', 'cost') AS cost_difference_percentage,
				   mao_jdate(per, 'start', 'cost.period') AS period_start,
				   mao_jdate(per, 'end', 'cost.period') AS period_end,
				   CASE WHEN mao_jtext(per, 'granularity', 'cost.period') IN ('DAILY', 'WEEKLY', 'MONTHLY')
						THEN per ->> 'granularity'
						ELSE mao_fail('cost.period', 'granularity', 'one of DAILY, WEEKLY, MONTHLY', per -> 'granularity')
				   END AS period_granularity,
				   -- Cost Explorer reports the whole account, not a region.
				   'Global' AS region
			  FROM (SELECT coalesce(mao_jobject($1, 'period', 'cost'), '{}') AS per) p
			$src$, cost, p_acct,
		p_fields => '{"period_start": "period.start", "period_end": "period.end", "period_granularity": "period.granularity"}'));

		SELECT r.id INTO report_id
		  FROM cost_reports r
		 WHERE r.account_id = p_acct AND r.region = 'Global'
		   AND r.period_start = mao_jdate(cost -> 'period', 'start', 'cost.period')
		   AND r.period_granularity::text = cost -> 'period' ->> 'granularity';

		tables := tables || jsonb_build_object('service_costs', mao_upsert('service_costs',
			'{}.cost_report_id, {}.service_name, {}.region',
			ARRAY['cost_report_id', 'service_name', 'cost', 'region'],
			$src$
			SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS cost_report_id,
				   mao_vkey(e_t."service", e.v, 'service', e.path) AS service_name,
				   mao_jnum(e.v, 'cost', e.path) AS cost,
				   'Global' AS region
			  FROM mao_jelements($1, 'cost.top_services') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"service" text)
			$src$, mao_jarray(cost, 'top_services', 'cost'), report_id, 'cost_report_id',
		p_fields => '{"service_name": "service"}'));

		tables := tables || jsonb_build_object('cost_forecasts', mao_upsert('cost_forecasts',
			'{}.cost_report_id, {}.period_start, {}.region',
			ARRAY['cost_report_id', 'period_start', 'period_end', 'amount',
				  'prediction_interval_lower_bound', 'prediction_interval_upper_bound', 'region'],
			$src$
			SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS cost_report_id,
				   mao_jdate(per, 'start', e.path || '.period') AS period_start,
				   mao_jdate(per, 'end', e.path || '.period') AS period_end,
				   mao_jnum(e.v, 'amount', e.path) AS amount,
				   mao_jnum(e.v, 'prediction_interval_lower_bound', e.path) AS prediction_interval_lower_bound,
				   mao_jnum(e.v, 'prediction_interval_upper_bound', e.path) AS prediction_interval_upper_bound,
				   'Global' AS region
			  FROM mao_jelements($1, 'cost.forecast') AS e
			 CROSS JOIN LATERAL (SELECT coalesce(mao_jobject(e.v, 'period', e.path), '{}') AS per) p
			$src$, mao_jarray(cost, 'forecast', 'cost'), report_id, 'cost_report_id',
		p_fields => '{"period_start": "period.start", "period_end": "period.end"}'));
	END IF;

	-- One row per subscription and day.  Per-day rows carry "date": that day
	-- becomes the row's period [date, date + 1), so that several days of one
	-- subscription in a weekly or monthly document stay apart.  Rows without
	-- "date" (no utilisation data) keep the document's window.
	tables := tables || jsonb_build_object('ri_sp_daily_savings', mao_upsert('ri_sp_daily_savings',
		'{}.account_id, {}.subscription_id, {}.date_to, {}.reservation_type',
		ARRAY['account_id', 'date_from', 'date_to', 'reservation_type', 'subscription_id', 'offering_id',
			  'savings_plan_arn', 'service', 'instance_type', 'instance_count', 'instance_family',
			  'instance_tenancy', 'offering_class', 'product_types', 'region', 'utilization_percentage',
			  'on_demand_cost', 'reservation_cost', 'net_savings', 'commitment', 'upfront_cost',
			  'recurring_cost', 'recurring_frequency', 'usage_price', 'currency', 'start_date', 'end_date',
			  'returnable_until', 'duration_seconds', 'offering_type', 'state', 'description'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   coalesce(d.day, mao_vdate(e_t."date_from", e.v, 'date_from', e.path)) AS date_from,
			   coalesce(d.day + 1, mao_vdate(e_t."date_to", e.v, 'date_to', e.path)) AS date_to,
			   mao_vkey(e_t."reservation_type", e.v, 'reservation_type', e.path) AS reservation_type,
			   mao_vkey(e_t."subscription_id", e.v, 'subscription_id', e.path) AS subscription_id,
			   mao_vtext(e_t."offering_id", e.v, 'offering_id', e.path) AS offering_id,
			   mao_vtext(e_t."savings_plan_arn", e.v, 'savings_plan_arn', e.path) AS savings_plan_arn,
			   mao_vtext(e_t."service", e.v, 'service', e.path) AS service,
			   mao_vtext(e_t."instance_type", e.v, 'instance_type', e.path) AS instance_type,
			   mao_jint(e.v, 'instance_count', e.path) AS instance_count,
			   mao_vtext(e_t."instance_family", e.v, 'instance_family', e.path) AS instance_family,
			   mao_vtext(e_t."instance_tenancy", e.v, 'instance_tenancy', e.path) AS instance_tenancy,
			   mao_vtext(e_t."offering_class", e.v, 'offering_class', e.path) AS offering_class,
			   mao_vtext(e_t."product_types", e.v, 'product_types', e.path) AS product_types,
			   mao_vtext(e_t."region", e.v, 'region', e.path) AS region,
			   mao_jnum(e.v, 'utilization_percentage', e.path) AS utilization_percentage,
			   mao_jnum(e.v, 'on_demand_cost', e.path) AS on_demand_cost,
			   mao_jnum(e.v, 'reservation_cost', e.path) AS reservation_cost,
			   mao_jnum(e.v, 'net_savings', e.path) AS net_savings,
			   mao_jnum(e.v, 'commitment', e.path) AS commitment,
			   mao_jnum(e.v, 'upfront_cost', e.path) AS upfront_cost,
			   mao_jnum(e.v, 'recurring_cost', e.path) AS recurring_cost,
			   mao_vtext(e_t."recurring_frequency", e.v, 'recurring_frequency', e.path) AS recurring_frequency,
			   mao_jnum(e.v, 'usage_price', e.path) AS usage_price,
			   mao_vtext(e_t."currency", e.v, 'currency', e.path) AS currency,
			   mao_vts(e_t."start_date", e.v, 'start_date', e.path) AS start_date,
			   mao_vts(e_t."end_date", e.v, 'end_date', e.path) AS end_date,
			   mao_vts(e_t."returnable_until", e.v, 'returnable_until', e.path) AS returnable_until,
			   mao_jint(e.v, 'duration_seconds', e.path) AS duration_seconds,
			   mao_vtext(e_t."offering_type", e.v, 'offering_type', e.path) AS offering_type,
			   mao_vtext(e_t."state", e.v, 'state', e.path) AS state,
			   mao_vtext(e_t."description", e.v, 'description', e.path) AS description
		  FROM mao_jelements($1, 'ri_sp_savings') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"date_from" text, "date_to" text, "reservation_type" text, "subscription_id" text,
				"offering_id" text, "savings_plan_arn" text, "service" text, "instance_type" text,
				"instance_family" text, "instance_tenancy" text, "offering_class" text,
				"product_types" text, "region" text, "recurring_frequency" text, "currency" text,
				"start_date" text, "end_date" text, "returnable_until" text, "offering_type" text,
				"state" text, "description" text, "date" text)
		 CROSS JOIN LATERAL (SELECT mao_vdate(e_t."date", e.v, 'date', e.path) AS day) d
		$src$, mao_jarray(p_doc, 'ri_sp_savings', ''), p_acct));

	tables := tables || jsonb_build_object('marketplace_usage', mao_upsert('marketplace_usage',
		'{}.account_id, {}.product_code, {}.period_start',
		ARRAY['account_id', 'product_code', 'product_name', 'cost_consumed', 'currency',
			  'period_start', 'period_end', 'status'],
		$src$
		SELECT e.path AS mao_path, e.ord AS mao_ord, $2 AS account_id,
			   mao_vkey(e_t."product_code", e.v, 'product_code', e.path) AS product_code,
			   mao_vtext(e_t."product_name", e.v, 'product_name', e.path) AS product_name,
			   mao_jnum(e.v, 'cost_consumed', e.path) AS cost_consumed,
			   mao_vtext(e_t."currency", e.v, 'currency', e.path) AS currency,
			   coalesce(mao_vdate(e_t."period_start", e.v, 'period_start', e.path),
						mao_fail(e.path, 'period_start', 'date', NULL)::date) AS period_start,
			   mao_vdate(e_t."period_end", e.v, 'period_end', e.path) AS period_end,
			   mao_vtext(e_t."status", e.v, 'status', e.path) AS status
		  FROM mao_jelements($1, 'marketplace') AS e
		 CROSS JOIN LATERAL jsonb_to_record(e.v) AS e_t(
				"product_code" text, "product_name" text, "currency" text, "period_start" text,
				"period_end" text, "status" text)
		$src$, mao_jarray(p_doc, 'marketplace', ''), p_acct));

	RETURN tables;
END
$fn$;
