--
-- setup_aurora: mode "aurora", a fresh database where build/mao-aurora.sql
-- (the same SQL without any C, for Aurora/RDS) is run with psql instead of
-- CREATE EXTENSION.  The tests that follow are the same as in mode
-- "extension", with the same expected output.
--
-- The file is not echoed (it is thousands of lines); it stops at the first
-- error and installs in one transaction.
\set ON_ERROR_STOP 1
\set ECHO none
\i ../build/mao-aurora.sql
\set ECHO all
\unset ON_ERROR_STOP
-- No extension, and no C function anywhere in the schema.
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'mao';
SELECT count(*) AS c_functions
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'public'::regnamespace AND l.lanname = 'c';
SELECT p.oid::regprocedure AS function, l.lanname AS language
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.proname = 'mao_load';
