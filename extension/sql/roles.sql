-- Roles: least privilege for the two kinds of users MAO has.
--
--   mao_reader  dashboards (QuickSight, BI tools): SELECT on the view_* views
--               and nothing else; the tables stay hidden.
--   mao_writer  loaders (the background worker's mao.role, mao-runner): may
--               call mao_load() and write the tables it loads.
--
-- Both are NOLOGIN group roles, created once per cluster if missing (they
-- outlive DROP EXTENSION, like any role).  Give people logins as members:
--   CREATE ROLE quicksight LOGIN PASSWORD '...' IN ROLE mao_reader;
--   CREATE ROLE loader LOGIN PASSWORD '...' IN ROLE mao_writer;
-- Nothing at run time needs a superuser.

DO $roles$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mao_reader') THEN
		CREATE ROLE mao_reader NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mao_writer') THEN
		CREATE ROLE mao_writer NOLOGIN;
	END IF;
END
$roles$;

GRANT USAGE ON SCHEMA @extschema@ TO mao_reader, mao_writer;

REVOKE ALL ON FUNCTION mao_load(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mao_load(jsonb, text) TO mao_writer;

DO $grants$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS rel, c.relkind
		  FROM pg_class c
		 WHERE c.relnamespace = '@extschema@'::regnamespace
		   AND c.relkind IN ('r', 'v', 'S')
	LOOP
		IF r.relkind = 'v' AND r.rel::text ~ '(^|\.)"?view_' THEN
			EXECUTE format('GRANT SELECT ON %s TO mao_reader', r.rel);
		ELSIF r.relkind = 'r' THEN
			EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO mao_writer', r.rel);
		ELSIF r.relkind = 'S' THEN
			EXECUTE format('GRANT USAGE ON SEQUENCE %s TO mao_writer', r.rel);
		END IF;
	END LOOP;
END
$grants$;
