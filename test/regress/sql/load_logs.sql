--
-- load_logs: the logs section and the loader's own messages -> logs,
-- log_messages.  One logs row per account and document date: the
-- sender's collection time (metadata.collected_at) when the document has
-- one, else the date in the S3 key.
--
--   A  all statuses Pass but support_tickets_status (a status without a
--      column of its own: it becomes a message); two sender messages
--   B  collected_at given; Fail in columns and in extra statuses; a message
--      repeated word for word (collapsed, counted as a duplicate); two
--      different "kms" messages (both kept); the loader's own messages
--      about skipped inventory rows
--   C  the failed run: many Fail statuses and sender messages
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
\set doc_b `cat data/account-b-2026-11-20.json`
\set doc_c `cat data/account-c-2026-11-20.json`
CREATE TEMP TABLE summary (doc text, s jsonb);
INSERT INTO summary SELECT 'A', mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
INSERT INTO summary SELECT 'B', mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json');
INSERT INTO summary SELECT 'C', mao_load(:'doc_c', 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json');
\pset format unaligned
SELECT doc, s ->> 'document_date' AS document_date, c.*
  FROM summary, regress.counts(s, '{logs,log_messages}') c
 ORDER BY doc, tbl;
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS logs
  FROM logs t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.date_created;
-- message_type is the sender's area (the key of the one-key object), the
-- status name for extra statuses that are not Pass, and 'mao_load' for the
-- loader's own messages.
SELECT a.account_id AS account, l.date_created AS log, m.message_type, m.message
  FROM log_messages m JOIN logs l ON l.id = m.log_id JOIN accounts a ON a.id = l.account_id
 ORDER BY a.account_id, l.date_created, m.message_type, m.message;
