--
-- idempotency: loading the same document twice.  The second load reports
-- every row unchanged (nothing inserted, updated or deleted) and leaves
-- every table byte-for-byte identical: a checksum of each of the 36 tables
-- (every column, ids and timestamps included) and of each id sequence's
-- position, taken before and after, must match.  Done for every test
-- document, each on top of the ones before.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
\set doc_a2 `cat data/account-a-2026-11-21.json`
\set doc_b `cat data/account-b-2026-11-20.json`
\set doc_c `cat data/account-c-2026-11-20.json`
\set doc_dup `cat data/duplicates-2026-11-20.json`
\set doc_nulls `cat data/nulls-2026-11-20.json`
CREATE TEMP TABLE loads (n serial, doc text, s jsonb);
\pset format unaligned
-- The checksums cover every table and sequence.
CALL regress.snapshot('empty');
SELECT count(*) FILTER (WHERE obj NOT LIKE 'sequence %') AS tables,
       count(*) FILTER (WHERE obj LIKE 'sequence %') AS sequences
  FROM regress.snapshots WHERE label = 'empty';
-- ... and see a change (rolled back).
BEGIN;
INSERT INTO products (name, owner) VALUES ('probe', 'regress');
SELECT * FROM regress.changed('empty');
ROLLBACK;
-- Each document: first load, checksums, second load, checksums.
INSERT INTO loads (doc, s) SELECT 'A first', mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
CALL regress.snapshot('A');
INSERT INTO loads (doc, s) SELECT 'A again', mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
SELECT * FROM regress.changed('A');
INSERT INTO loads (doc, s) SELECT 'B first', mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json');
CALL regress.snapshot('B');
INSERT INTO loads (doc, s) SELECT 'B again', mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json');
SELECT * FROM regress.changed('B');
INSERT INTO loads (doc, s) SELECT 'C first', mao_load(:'doc_c', 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json');
CALL regress.snapshot('C');
INSERT INTO loads (doc, s) SELECT 'C again', mao_load(:'doc_c', 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json');
SELECT * FROM regress.changed('C');
INSERT INTO loads (doc, s) SELECT 'duplicates first', mao_load(:'doc_dup', 'data/555566667777/eu-central-1/2026-11-20_DAILY.json');
CALL regress.snapshot('duplicates');
INSERT INTO loads (doc, s) SELECT 'duplicates again', mao_load(:'doc_dup', 'data/555566667777/eu-central-1/2026-11-20_DAILY.json');
SELECT * FROM regress.changed('duplicates');
INSERT INTO loads (doc, s) SELECT 'nulls first', mao_load(:'doc_nulls', 'data/121212121212/Global/2026-11-20_DAILY.json');
CALL regress.snapshot('nulls');
INSERT INTO loads (doc, s) SELECT 'nulls again', mao_load(:'doc_nulls', 'data/121212121212/Global/2026-11-20_DAILY.json');
SELECT * FROM regress.changed('nulls');
INSERT INTO loads (doc, s) SELECT 'A next day first', mao_load(:'doc_a2', 'data/111122223333/eu-west-1/2026-11-21_DAILY.json');
CALL regress.snapshot('A next day');
INSERT INTO loads (doc, s) SELECT 'A next day again', mao_load(:'doc_a2', 'data/111122223333/eu-west-1/2026-11-21_DAILY.json');
SELECT * FROM regress.changed('A next day');
-- The totals of every load: the second ones insert, update and delete
-- nothing (duplicates and skipped rows are properties of the document and
-- repeat).
SELECT n, doc, s -> 'totals' AS totals FROM loads ORDER BY n;
-- No table of a second load reports anything but unchanged rows.
SELECT l.doc, c.*
  FROM loads l, regress.counts(l.s) c
 WHERE l.doc LIKE '% again'
   AND (c.inserted > 0 OR c.updated > 0 OR coalesce(c.deleted, 0) > 0)
 ORDER BY l.n, c.tbl;
-- And each second load's unchanged count per table equals the rows its
-- first load inserted or updated (every row of the document was matched).
SELECT f.doc, c1.tbl, c1.inserted + c1.updated + c1.unchanged AS first_rows, c2.unchanged AS second_unchanged
  FROM loads f
  JOIN loads g ON g.n = f.n + 1
  CROSS JOIN LATERAL regress.counts(f.s) c1
  JOIN LATERAL regress.counts(g.s) c2 ON c2.tbl = c1.tbl
 WHERE f.doc LIKE '% first'
   AND c1.inserted + c1.updated + c1.unchanged <> c2.unchanged
 ORDER BY f.n, c1.tbl;
