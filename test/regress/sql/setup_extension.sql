--
-- setup_extension: mode "extension", the database gets CREATE EXTENSION mao.
-- The tests that follow are the same in both modes, with the same expected
-- output (see setup_aurora for the other mode).
--
CREATE EXTENSION mao;
SELECT extname, extversion, extnamespace::regnamespace AS schema FROM pg_extension WHERE extname = 'mao';
-- mao_load() is plain PL/pgSQL here too, the same as on Aurora.
SELECT p.oid::regprocedure AS function, l.lanname AS language
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.proname = 'mao_load';
