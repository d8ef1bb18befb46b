-- Loader, part 2: the one set-based upsert every table goes through.
--
-- mao_upsert() takes a source query that turns one part of a document into
-- rows (one column per target column, plus mao_path, the row's place in the
-- document, and mao_ord, its position for "last one wins") and writes them
-- into a table in a single statement:
--
--   * each value is brought to the column's exact type; a NULL becomes the
--     column's default where it has one (but where the default is the load
--     time, an existing row keeps its value); a NULL in a NOT NULL column
--     without default, a string longer than a varchar allows or a number that
--     does not fit a numeric(p,s) is an error naming the document path and
--     field (p_fields maps a column to its field where the names differ);
--   * rows with the same natural key inside one document are collapsed, the
--     last one winning, and counted as duplicates;
--   * existing rows are matched on the natural key; only rows whose content
--     differs are updated (updated_at is then set), new rows are inserted, and
--     identical rows are left alone: not rewritten, not locked, and no
--     sequence value is spent on them;
--   * optionally (p_scope), rows of the same parent that the document no longer
--     lists are deleted: used for the children of a dated report, whose list
--     the document gives in full.
--
-- The natural key is given as a template in which {} stands for the row
-- alias, e.g. '{}.account_id, {}.service, (coalesce({}.usage_types, ''''))';
-- without the aliases it must be exactly the column list of the table's
-- unique constraint or index, which ON CONFLICT names as a safety net when a
-- concurrent load inserts the same row first.
--
-- The source query may use $1 (p_arg, a JSON value) and $2 (p_parent, the
-- integer id of the owning account or parent row).
--
-- Returns {"inserted": n, "updated": n, "unchanged": n, "duplicates": n}
-- plus "deleted" when p_scope is given.

-- The default of column p_col when it yields a different value at every
-- load (now(), CURRENT_TIMESTAMP, ...), else NULL.  A NULL from the
-- document must not fall back to such a default when the row exists: the
-- row would differ at every load and never be "unchanged".
CREATE FUNCTION mao_moving_default(p_rel regclass, p_col text)
RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT d.def
	  FROM (SELECT pg_get_expr(ad.adbin, ad.adrelid) AS def
			  FROM pg_attribute a
			  JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			 WHERE a.attrelid = p_rel AND a.attname = p_col) d
	 WHERE d.def ~* '\m(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|nextval)\s*\(|\mCURRENT_(TIMESTAMP|DATE|TIME)\M|\mLOCALTIME'
$$;

-- Builds the typed expression for one target column from the source row r.
-- p_field is the column's field in the document, for error messages, when
-- it is not named like the column.
CREATE FUNCTION mao_typed_column(p_rel regclass, p_col text, p_field text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	att record;
	expr text;
	prec integer;
	scale integer;
	field text := coalesce(p_field, p_col);
BEGIN
	SELECT a.attnotnull, a.atttypid, a.atttypmod,
		   format_type(a.atttypid, a.atttypmod) AS typ,
		   pg_get_expr(d.adbin, d.adrelid) AS def
	  INTO att
	  FROM pg_attribute a
	  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	 WHERE a.attrelid = p_rel AND a.attname = p_col AND a.attnum > 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'mao_upsert: table % has no column %', p_rel, p_col;
	END IF;

	-- Bring the source value to the column's type first (so that it meets its
	-- default on equal terms), but without a length or precision: those are
	-- checked below rather than silently truncated or rounded away.
	IF att.atttypid = 'character varying'::regtype THEN
		expr := format('r.%I::text', p_col);
	ELSIF att.atttypid = 'numeric'::regtype THEN
		expr := format('r.%I::numeric', p_col);
	ELSE
		expr := format('r.%I::%s', p_col, att.typ);
	END IF;
	-- A moving default (now()) is applied by mao_upsert on insert only.
	IF att.def IS NOT NULL AND mao_moving_default(p_rel, p_col) IS NULL THEN
		expr := format('coalesce(%s, %s)', expr, att.def);
	END IF;

	IF att.atttypid = 'character varying'::regtype AND att.atttypmod > 4 THEN
		-- An explicit cast to varchar(n) would silently truncate: refuse instead.
		expr := format(
			'CASE WHEN length(%1$s) > %2$s THEN mao_fail(r.mao_path, %3$L, %4$L, to_jsonb(left(%1$s, 100))) ELSE %1$s END',
			expr, att.atttypmod - 4, field, format('text of at most %s characters', att.atttypmod - 4));
	ELSIF att.atttypid = 'numeric'::regtype AND att.atttypmod > 4 THEN
		prec := ((att.atttypmod - 4) >> 16) & 65535;
		scale := (att.atttypmod - 4) & 65535;
		expr := format(
			'CASE WHEN abs(round(%1$s, %2$s)) >= 1e%3$s THEN mao_fail(r.mao_path, %4$L, %5$L, to_jsonb(%1$s))::numeric ELSE %1$s END',
			expr, scale, prec - scale, field, format('number below 10^%s', prec - scale));
	END IF;

	IF att.attnotnull AND att.def IS NULL THEN
		expr := format('coalesce(%s, mao_fail(r.mao_path, %L, %L, NULL)::%s)',
					   expr, field, 'value', att.typ);
	END IF;

	RETURN format('(%s)::%s AS %I', expr, att.typ, p_col);
END
$$;

CREATE FUNCTION mao_upsert(p_table text, p_key text, p_cols text[], p_src text,
						   p_arg jsonb, p_parent integer, p_scope text DEFAULT NULL,
						   p_fields jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	rel regclass := p_table::regclass;
	typed text;
	cols text;
	s_cols text;
	t_cols text;
	x_cols text;
	m_cols text;
	i_cols text;
	touch text := '';
	del_cte text := '';
	del_count text := '0';
	stmt text;
	n_rows bigint;
	n_distinct bigint;
	n_ins bigint;
	n_upd bigint;
	n_del bigint;
	result jsonb;
	e_state text;
	e_msg text;
	e_detail text;
	e_hint text;
BEGIN
	-- Columns with a moving default (md): a NULL from the document keeps the
	-- existing row's value and gets the default only when the row is new.
	SELECT string_agg(mao_typed_column(rel, c, p_fields ->> c), E',\n\t\t' ORDER BY i),
		   string_agg(quote_ident(c), ', ' ORDER BY i),
		   string_agg(CASE WHEN md IS NULL THEN format('s.%I', c) ELSE format('coalesce(s.%1$I, t.%1$I)', c) END,
					  ', ' ORDER BY i),
		   string_agg('t.' || quote_ident(c), ', ' ORDER BY i),
		   string_agg('EXCLUDED.' || quote_ident(c), ', ' ORDER BY i),
		   string_agg(CASE WHEN md IS NULL THEN format('m.%I', c) ELSE format('coalesce(m.%1$I, t.%1$I)', c) END,
					  ', ' ORDER BY i),
		   string_agg(CASE WHEN md IS NULL THEN format('m.%I', c) ELSE format('coalesce(m.%I, %s)', c, md) END,
					  ', ' ORDER BY i)
	  INTO typed, cols, s_cols, t_cols, x_cols, m_cols, i_cols
	  FROM unnest(p_cols) WITH ORDINALITY AS u(c, i)
	 CROSS JOIN LATERAL (SELECT mao_moving_default(rel, c) AS md) d;

	-- The scope delete uses NOT IN (keys are never NULL: key columns are
	-- required or coalesced) rather than NOT EXISTS: the planner cannot know
	-- how many rows a document holds, and with NOT IN it hashes the document's
	-- keys whatever its estimate, where an anti-join misjudged as small
	-- becomes a nested loop, quadratic in the number of rows.

	-- Tables that track changes get updated_at set when a row really changes
	-- (unless the document itself supplies updated_at).
	IF NOT 'updated_at' = ANY (p_cols) AND EXISTS (
		SELECT 1 FROM pg_attribute
		 WHERE attrelid = rel AND attname = 'updated_at' AND NOT attisdropped) THEN
		touch := ', updated_at = now()';
	END IF;

	IF p_scope IS NOT NULL THEN
		del_cte := format(
			$f$,
	gone AS (
		DELETE FROM %1$s t
		 WHERE t.%2$I = $2
		   AND (%3$s) NOT IN (SELECT %4$s FROM src s)
		RETURNING 1)$f$,
			rel, p_scope, replace(p_key, '{}', 't'), replace(p_key, '{}', 's'));
		del_count := '(SELECT count(*) FROM gone)';
	END IF;

	stmt := format(
		$f$
	WITH raw AS (
%1$s
	),
	typed AS (
		SELECT r.mao_path, r.mao_ord,
		%2$s
		  FROM raw r
	),
	src AS (
		SELECT DISTINCT ON (%3$s) *
		  FROM typed s
		 ORDER BY %3$s, s.mao_ord DESC
	),
	m AS (
		SELECT s.*, t.id AS mao_id, ((%4$s) IS DISTINCT FROM (%5$s)) AS mao_changed
		  FROM src s
		  LEFT JOIN %6$s t ON (%7$s) = (%3$s)
	),
	upd AS (
		UPDATE %6$s t
		   SET (%8$s) = ROW(%9$s)%10$s
		  FROM m
		 WHERE t.id = m.mao_id AND m.mao_changed
		RETURNING 1
	),
	ins AS (
		INSERT INTO %6$s AS t (%8$s)
		SELECT %15$s FROM m WHERE m.mao_id IS NULL
		ON CONFLICT (%11$s) DO UPDATE SET (%8$s) = ROW(%12$s)
		RETURNING 1
	)%13$s
	SELECT (SELECT count(*) FROM typed), (SELECT count(*) FROM src),
		   (SELECT count(*) FROM ins), (SELECT count(*) FROM upd), %14$s
	$f$,
		p_src,										-- 1
		typed,										-- 2
		replace(p_key, '{}', 's'),					-- 3
		t_cols,										-- 4
		s_cols,										-- 5
		rel,										-- 6
		replace(p_key, '{}', 't'),					-- 7
		cols,										-- 8
		m_cols,										-- 9
		touch,										-- 10
		replace(p_key, '{}.', ''),					-- 11
		x_cols,										-- 12
		del_cte,									-- 13
		del_count,									-- 14
		i_cols);									-- 15

	-- Diagnostics: SET mao.explain_loader = plan shows each statement's plan;
	-- = analyze also runs it (then twice) and shows actual rows and times.
	IF current_setting('mao.explain_loader', true) IN ('plan', 'analyze') THEN
		DECLARE
			explain text;
			line text;
		BEGIN
			explain := format('EXPLAIN (ANALYZE %s) %s',
							  (current_setting('mao.explain_loader') = 'analyze')::text, stmt);
			FOR line IN EXECUTE explain USING p_arg, p_parent LOOP
				RAISE NOTICE '%: %', p_table, line;
			END LOOP;
		END;
	END IF;

	BEGIN
		EXECUTE stmt INTO n_rows, n_distinct, n_ins, n_upd, n_del USING p_arg, p_parent;
	EXCEPTION WHEN OTHERS THEN
		-- Re-raise without the generated statement as context; errors of our
		-- own (invalid_parameter_value) already name the place, others get
		-- the table they happened in.
		GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_msg = MESSAGE_TEXT,
								e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
		IF e_state <> '22023' THEN
			e_msg := format('invalid MAO document: loading table %s failed: %s', p_table, e_msg);
		END IF;
		e_detail := coalesce(nullif(e_detail, ''), format('While loading table %s.', p_table));
		IF e_hint = '' THEN
			RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_msg, DETAIL = e_detail;
		END IF;
		RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_msg, DETAIL = e_detail, HINT = e_hint;
	END;

	result := jsonb_build_object(
		'inserted', n_ins,
		'updated', n_upd,
		'unchanged', n_distinct - n_ins - n_upd,
		'duplicates', n_rows - n_distinct);
	IF p_scope IS NOT NULL THEN
		result := result || jsonb_build_object('deleted', n_del);
	END IF;
	RETURN result;
END
$$;

-- Adds the counts of one table to a summary's "tables" object (summing when
-- the same table is loaded in several steps).
CREATE FUNCTION mao_add_counts(p_tables jsonb, p_table text, p_counts jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT p_tables || jsonb_build_object(p_table, (
		SELECT jsonb_object_agg(k, coalesce((p_tables -> p_table ->> k)::bigint, 0) + coalesce((p_counts ->> k)::bigint, 0))
		  FROM (SELECT jsonb_object_keys(coalesce(p_tables -> p_table, '{}') || p_counts) AS k) keys))
$$;
