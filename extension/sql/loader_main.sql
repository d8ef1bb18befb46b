-- Loader, part 9: mao_load(), the entry point, and the processing log.
--
-- mao_load(doc, source) loads one account's document in one call: every
-- section, set-based, all or nothing (any error rolls back everything the
-- call wrote, as PostgreSQL does for a failing statement).  It returns a
-- summary: per-table counts of inserted, updated and unchanged rows (plus
-- duplicates collapsed, rows skipped and rows deleted where those apply),
-- the account, and the loader's own messages.  The same messages, with the
-- sender's, go to logs/log_messages.

-- The sections of the document format; anything else is ignored (and said).
CREATE FUNCTION mao_known_sections()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT ARRAY['account', 'config', 'service', 'cost', 'security', 'inventory', 'marketplace',
				 'trusted_advisor', 'health', 'application', 'resilience_hub', 'service_resources',
				 'compute_optimizer', 'ri_sp_savings', 'config_inventory', 'support_tickets', 'logs',
				 'metadata']
$$;

-- The moment the document describes, which keys its processing-log row: the
-- sender's collection time when it gives one (metadata.collected_at), else
-- the date in the S3 key (.../<YYYY-MM-DD>_<INTERVAL>...), else the end of
-- the config or cost window, else today.  Deterministic for a given document
-- and source, so that loading it again finds the same row.
CREATE FUNCTION mao_document_date(p_doc jsonb, p_source text)
RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(
		mao_jts(mao_jobject(p_doc, 'metadata', ''), 'collected_at', 'metadata'),
		(substring(p_source FROM '(\d{4}-\d{2}-\d{2})_(?:DAILY|WEEKLY|MONTHLY|YEARLY)'))::timestamptz,
		mao_jdate(mao_jobject(p_doc, 'config', ''), 'date_to', 'config')::timestamptz,
		mao_jdate(mao_jobject(mao_jobject(p_doc, 'cost', ''), 'period', 'cost'), 'end', 'cost.period')::timestamptz,
		date_trunc('day', now()))
$$;

-- Writes the logs row for this document (the sender's per-collector statuses)
-- and its messages: the sender's, the statuses that have no column of their
-- own when they are not "Pass", and the loader's.
CREATE FUNCTION mao_load_logs(p_doc jsonb, p_acct integer, p_date timestamptz, p_messages jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
	logs jsonb := coalesce(mao_jobject(p_doc, 'logs', ''), '{}');
	log_id integer;
	msgs jsonb;
BEGIN
	tables := tables || jsonb_build_object('logs', mao_upsert('logs', '{}.account_id, {}.date_created',
		ARRAY['account_id', 'date_created', 'account_status', 'cost_status', 'service_status',
			  'security_status', 'config_status', 'inventory_status', 'marketplace_status',
			  'trusted_advisor_status', 'health_status', 'application_status', 'resilience_hub_status'],
		$src$
		SELECT 'logs' AS mao_path, 1 AS mao_ord, $2 AS account_id,
			   ($1 ->> 'date')::timestamptz AS date_created,
			   mao_jtext(l, 'account_status', 'logs') AS account_status,
			   mao_jtext(l, 'cost_status', 'logs') AS cost_status,
			   mao_jtext(l, 'service_status', 'logs') AS service_status,
			   mao_jtext(l, 'security_status', 'logs') AS security_status,
			   mao_jtext(l, 'config_status', 'logs') AS config_status,
			   mao_jtext(l, 'inventory_status', 'logs') AS inventory_status,
			   mao_jtext(l, 'marketplace_status', 'logs') AS marketplace_status,
			   mao_jtext(l, 'trusted_advisor_status', 'logs') AS trusted_advisor_status,
			   mao_jtext(l, 'health_status', 'logs') AS health_status,
			   mao_jtext(l, 'application_status', 'logs') AS application_status,
			   mao_jtext(l, 'resilience_hub_status', 'logs') AS resilience_hub_status
		  FROM (SELECT $1 -> 'logs' AS l) doc
		$src$, jsonb_build_object('logs', logs, 'date', p_date), p_acct));

	SELECT l.id INTO log_id FROM logs l WHERE l.account_id = p_acct AND l.date_created = p_date;

	-- Sender messages are single-key objects {area: text}; a plain string is
	-- an INFO message.  Non-string texts are kept as their JSON text.
	SELECT coalesce(jsonb_agg(jsonb_build_object('type', t, 'text', x, 'path', p) ORDER BY o1, o2), '[]')
	  INTO msgs
	  FROM (
		SELECT m.ord AS o1, k.ord AS o2, 'logs.message[' || (m.ord - 1) || ']' AS p,
			   CASE WHEN jsonb_typeof(m.v) = 'object' THEN k.key ELSE 'INFO' END AS t,
			   CASE WHEN jsonb_typeof(coalesce(k.value, m.v)) = 'string' THEN coalesce(k.value, m.v) #>> '{}'
					ELSE coalesce(k.value, m.v)::text END AS x
		  FROM jsonb_array_elements(mao_jarray(logs, 'message', 'logs')) WITH ORDINALITY AS m(v, ord)
		  LEFT JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(m.v) = 'object' THEN m.v END)
				WITH ORDINALITY AS k(key, value, ord) ON true
		 WHERE jsonb_typeof(m.v) <> 'null'
		UNION ALL
		SELECT 1000000, s.ord, 'logs.' || s.key, s.key, mao_jtext(logs, s.key, 'logs')
		  FROM unnest(ARRAY['compute_optimizer_status', 'ri_sp_savings_status', 'service_resources_status',
							'config_inventory_status', 'support_tickets_status']) WITH ORDINALITY AS s(key, ord)
		 WHERE coalesce(mao_jtext(logs, s.key, 'logs'), 'Pass') <> 'Pass'
		UNION ALL
		SELECT 2000000, m.ord, 'mao_load', 'mao_load', m.v #>> '{}'
		  FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS m(v, ord)
	  ) all_messages;

	tables := tables || jsonb_build_object('log_messages', mao_upsert('log_messages',
		'{}.log_id, (coalesce({}.message_type, '''')), (md5({}.message))',
		ARRAY['log_id', 'message', 'message_type'],
		$src$
		SELECT m.v ->> 'path' AS mao_path, m.ord AS mao_ord, $2 AS log_id,
			   m.v ->> 'text' AS message, m.v ->> 'type' AS message_type
		  FROM jsonb_array_elements($1) WITH ORDINALITY AS m(v, ord)
		$src$, msgs, log_id, 'log_id'));
	RETURN tables;
END
$fn$;

CREATE FUNCTION mao_load(doc jsonb, source text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, @extschema@, pg_temp
SET TimeZone = 'UTC'
-- Plans are short-lived and simple: JIT compilation only costs time here;
-- large documents sort in memory rather than on disk.
SET jit = off
SET work_mem = '64MB'
AS $fn$
DECLARE
	account jsonb;
	v_account_id text;
	v_region text;
	acct integer;
	doc_date timestamptz;
	tables jsonb := '{}';
	messages jsonb := '[]';
	ignored text[];
	t record;
	totals jsonb;
BEGIN
	IF doc IS NULL THEN
		RAISE EXCEPTION 'invalid MAO document: the document is NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF jsonb_typeof(doc) <> 'object' THEN
		RAISE EXCEPTION 'invalid MAO document: expected a JSON object at the top level, got %', jsonb_typeof(doc)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	account := mao_jobject(doc, 'account', '');
	IF account IS NULL OR account = '{}' THEN
		RAISE EXCEPTION 'invalid MAO document: account: the section is missing or empty'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Every document must say which AWS account it describes (account.account_id).';
	END IF;
	v_account_id := mao_jkey(account, 'account_id', 'account');
	IF v_account_id !~ '^\d{12}$' THEN
		PERFORM mao_fail('account', 'account_id', 'a 12-digit AWS account id', account -> 'account_id');
	END IF;
	v_region := coalesce(mao_jtext(account, 'region', 'account'), 'Global');
	doc_date := mao_document_date(doc, source);

	SELECT array_agg(k ORDER BY k) INTO ignored
	  FROM jsonb_object_keys(doc) AS k
	 WHERE NOT k = ANY (mao_known_sections());
	IF ignored IS NOT NULL THEN
		messages := messages || to_jsonb(format('ignored unknown top-level section(s): %s',
												array_to_string(ignored, ', ')));
	END IF;

	tables := jsonb_build_object('accounts', mao_load_accounts(account));
	SELECT a.id INTO acct FROM accounts a WHERE a.account_id = v_account_id AND a.region = v_region;

	tables := tables
		|| mao_load_contacts(account, acct)
		|| mao_load_products(account, acct)
		|| mao_load_cost(doc, acct)
		|| mao_load_security(doc, acct)
		|| mao_load_compliance(doc, acct)
		|| mao_load_inventory(doc, acct)
		|| mao_load_operations(doc, acct);

	FOR t IN SELECT key, value FROM jsonb_each(tables) ORDER BY key LOOP
		IF (t.value ->> 'duplicates')::bigint > 0 THEN
			messages := messages || to_jsonb(format(
				'%s: %s row(s) repeated a key listed earlier in the document; the last one was kept',
				t.key, t.value ->> 'duplicates'));
		END IF;
		IF (t.value ->> 'skipped')::bigint > 0 THEN
			messages := messages || to_jsonb(format(
				'%s: %s row(s) name an instance this account has not reported; skipped',
				t.key, t.value ->> 'skipped'));
		END IF;
	END LOOP;

	tables := tables || mao_load_logs(doc, acct, doc_date, messages);

	SELECT jsonb_object_agg(k, s) INTO totals
	  FROM (SELECT c.key AS k, sum(c.value::bigint) AS s
			  FROM jsonb_each(tables) AS tb, jsonb_each_text(tb.value) AS c
			 GROUP BY c.key) x;

	RETURN jsonb_build_object(
		'account', v_account_id,
		'region', v_region,
		'source', source,
		'document_date', doc_date,
		'tables', tables,
		'totals', totals,
		'messages', messages);
END
$fn$;

COMMENT ON FUNCTION mao_load(jsonb, text) IS
	'Loads one MAO/reference-format account document (all sections, set-based, all or nothing); returns per-table counts';

-- The version of the installed schema and loader (also without the C extension).
CREATE FUNCTION mao_schema_version()
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT '0.1'::text $$;
