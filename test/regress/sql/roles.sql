--
-- roles: least privilege.  mao_reader (dashboards) may read the view_*
-- views and nothing else; mao_writer (loaders) may call mao_load(); PUBLIC
-- may not call mao_load().  Both group roles are created by the install
-- (CREATE EXTENSION or mao-aurora.sql); this test takes them on with SET
-- ROLE, and uses one extra login role that is in neither group.  Runs in
-- both modes: the grants are the same SQL in both.
--
SET TimeZone = 'UTC';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
DROP ROLE IF EXISTS regress_nobody;
CREATE ROLE regress_nobody LOGIN;
SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb
  FROM pg_roles WHERE rolname IN ('mao_reader', 'mao_writer') ORDER BY 1;
-- No EXECUTE for PUBLIC on mao_load(): only its owner and mao_writer.
SELECT a.grantee::regrole AS grantee, a.privilege_type
  FROM pg_proc p, aclexplode(p.proacl) a
 WHERE p.proname = 'mao_load' AND a.grantee <> p.proowner
 ORDER BY 1::text;
SELECT has_function_privilege('regress_nobody', 'mao_load(jsonb,text)', 'EXECUTE') AS nobody_can_load;
-- mao_writer: loads.
SET ROLE mao_writer;
SELECT mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json') -> 'totals' AS writer_load;
RESET ROLE;
-- mao_reader: the views yes, the tables and the loader no.
SET ROLE mao_reader;
SELECT account_full, account_type FROM view_accounts ORDER BY 1;
SELECT count(*) AS findings FROM view_acct_security_findings_details;
SELECT * FROM accounts;
SELECT * FROM findings;
SELECT mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
INSERT INTO products (name, owner) VALUES ('x', 'y');
RESET ROLE;
-- Nor can the reader see the mao_ internal views.
SELECT count(*) AS reader_on_internal_views
  FROM pg_class c
 WHERE c.relkind = 'v' AND c.relname LIKE 'mao\_%'
   AND has_table_privilege('mao_reader', c.oid, 'SELECT');
-- Every view_* view is readable by mao_reader, no table is.
SELECT c.relkind, count(*) FILTER (WHERE has_table_privilege('mao_reader', c.oid, 'SELECT')) AS readable, count(*) AS total
  FROM pg_class c
 WHERE c.relnamespace = (SELECT pronamespace FROM pg_proc WHERE proname = 'mao_load')
   AND (c.relkind = 'r' OR (c.relkind = 'v' AND c.relname LIKE 'view\_%'))
 GROUP BY 1 ORDER BY 1;
-- A role in neither group: no loading.
SET ROLE regress_nobody;
SELECT mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
RESET ROLE;
DROP ROLE regress_nobody;
