--
-- helpers: functions the other suites use to reset the tables, summarise a
-- mao_load() result and detect changes.  They live in schema "regress" so
-- that they never mix with the objects under test.  Same in both modes.
--
CREATE SCHEMA regress;

-- The tables MAO installed: every base table in the schema of mao_load().
CREATE FUNCTION regress.tables()
RETURNS SETOF regclass
LANGUAGE sql STABLE
AS $$
	SELECT c.oid::regclass
	  FROM pg_class c
	 WHERE c.relkind = 'r'
	   AND c.relnamespace = (SELECT pronamespace FROM pg_proc WHERE proname = 'mao_load')
	   AND c.relname NOT LIKE 'mao\_%'	-- the receivers' ledger is not document data
	 ORDER BY c.relname
$$;

-- Empties every table and restarts every id sequence, so that each suite
-- starts from the same state whatever ran before it.
CREATE PROCEDURE regress.reset()
LANGUAGE plpgsql
AS $$
BEGIN
	EXECUTE 'TRUNCATE ' || (SELECT string_agg(t::text, ', ') FROM regress.tables() t)
		|| ' RESTART IDENTITY CASCADE';
END
$$;

-- The per-table counts of a mao_load() summary, one row per table (all
-- tables, or those listed in p_tables).  Keys a table does not report
-- (skipped, deleted) are left empty.
CREATE FUNCTION regress.counts(p_summary jsonb, p_tables text[] DEFAULT NULL)
RETURNS TABLE (tbl text, inserted int, updated int, unchanged int, duplicates int, skipped int, deleted int)
LANGUAGE sql STABLE
AS $$
	SELECT t.key, (t.value ->> 'inserted')::int, (t.value ->> 'updated')::int, (t.value ->> 'unchanged')::int,
		   (t.value ->> 'duplicates')::int, (t.value ->> 'skipped')::int, (t.value ->> 'deleted')::int
	  FROM jsonb_each(p_summary -> 'tables') AS t
	 WHERE p_tables IS NULL OR t.key = ANY (p_tables)
	 ORDER BY t.key
$$;

-- A checksum of every table (all columns, ids and timestamps included) and
-- of every sequence's position: any write shows up here.
CREATE FUNCTION regress.checksums()
RETURNS TABLE (obj text, n_rows bigint, md5 text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	t regclass;
	s regclass;
BEGIN
	FOR t IN SELECT * FROM regress.tables() LOOP
		obj := t::text;
		EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, ''|'' ORDER BY x::text), '''')) FROM %s x', t)
			INTO n_rows, md5;
		RETURN NEXT;
	END LOOP;
	FOR s IN SELECT c.oid::regclass FROM pg_class c
			  WHERE c.relkind = 'S'
				AND c.relnamespace = (SELECT pronamespace FROM pg_proc WHERE proname = 'mao_load')
				AND c.relname NOT LIKE 'mao\_%'
			  ORDER BY c.relname LOOP
		obj := 'sequence ' || s::text;
		EXECUTE format('SELECT 1, md5(last_value::text || is_called::text) FROM %s', s) INTO n_rows, md5;
		RETURN NEXT;
	END LOOP;
END
$$;

CREATE TABLE regress.snapshots (label text, obj text, n_rows bigint, md5 text, PRIMARY KEY (label, obj));

-- Remembers the current checksums under a label (replacing an older one).
CREATE PROCEDURE regress.snapshot(p_label text)
LANGUAGE sql
AS $$
	DELETE FROM regress.snapshots WHERE label = p_label;
	INSERT INTO regress.snapshots SELECT p_label, c.* FROM regress.checksums() c;
$$;

-- The tables and sequences that differ from the snapshot p_label, with
-- their row counts then and now; no rows means nothing changed.
CREATE FUNCTION regress.changed(p_label text)
RETURNS TABLE (obj text, rows_before bigint, rows_after bigint)
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(s.obj, c.obj), s.n_rows, c.n_rows
	  FROM (SELECT * FROM regress.snapshots WHERE label = p_label) s
	  FULL JOIN regress.checksums() c ON c.obj = s.obj
	 WHERE s.md5 IS DISTINCT FROM c.md5
	 ORDER BY 1
$$;

-- How many tables (sequences left out) differ from the snapshot p_label.
-- A failed load rolls back every row it wrote, but not the sequence values
-- it drew (nextval() is not transactional), so the bad-input cases count
-- tables only.
CREATE FUNCTION regress.tables_changed(p_label text)
RETURNS bigint
LANGUAGE sql STABLE
AS $$
	SELECT count(*) FROM regress.changed(p_label) WHERE obj NOT LIKE 'sequence %'
$$;

-- Checksums of the rows that belong to one AWS account (12-digit id), table
-- by table: rows with the account's accounts.id, or whose parent row (cost
-- report, config report, Security Hub group, log, instance) has it.
-- products is shared by all accounts and left out.
CREATE FUNCTION regress.account_checksums(p_account text)
RETURNS TABLE (obj text, n_rows bigint, md5 text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	t regclass;
	cond text;
BEGIN
	FOR t IN SELECT * FROM regress.tables() LOOP
		cond := CASE t::text
			WHEN 'accounts' THEN 'x.account_id = $1'
			WHEN 'products' THEN NULL
			WHEN 'findings' THEN 'x.security_id IN (SELECT s.id FROM security s WHERE s.account_id IN (SELECT a.id FROM accounts a WHERE a.account_id = $1))'
			WHEN 'service_costs' THEN 'x.cost_report_id IN (SELECT r.id FROM cost_reports r WHERE r.account_id IN (SELECT a.id FROM accounts a WHERE a.account_id = $1))'
			WHEN 'cost_forecasts' THEN 'x.cost_report_id IN (SELECT r.id FROM cost_reports r WHERE r.account_id IN (SELECT a.id FROM accounts a WHERE a.account_id = $1))'
			WHEN 'non_compliant_resources' THEN 'x.config_report_id IN (SELECT r.id FROM config_reports r WHERE r.account_id IN (SELECT a.id FROM accounts a WHERE a.account_id = $1))'
			WHEN 'log_messages' THEN 'x.log_id IN (SELECT l.id FROM logs l WHERE l.account_id IN (SELECT a.id FROM accounts a WHERE a.account_id = $1))'
			ELSE 'x.account_id IN (SELECT a.id FROM accounts a WHERE a.account_id = $1)'
		END;
		CONTINUE WHEN cond IS NULL;
		obj := t::text;
		EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, ''|'' ORDER BY x::text), '''')) FROM %s x WHERE %s', t, cond)
			INTO n_rows, md5 USING p_account;
		RETURN NEXT;
	END LOOP;
END
$$;

-- The installed tables (36, as in the reference) and helpers in place.
SELECT count(*) AS tables FROM regress.tables();
