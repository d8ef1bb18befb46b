--
-- load_account: the account section -> accounts, contact_info,
-- alternate_contacts, products, product_accounts.
--
--   A  account-a-2026-11-20.json  shop-prod, eu-west-1: product list with
--      blanks ("Webshop, Payments ,"), two of three alternate contacts
--   B  account-b-2026-11-20.json  data-platform-dev, us-east-1: every field
--      filled, "payments" (another case of A's product) and "Analytics"
--   C  account-c-2026-11-20.json  reference-style document of a failed run:
--      name null, "None" strings, contact_info {} and alternate_contacts {}
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
-- What each load says about itself.
SELECT doc, s ->> 'account' AS account, s ->> 'region' AS region, s ->> 'source' AS source,
       s ->> 'document_date' AS document_date, s -> 'messages' AS messages
  FROM summary ORDER BY doc;
SELECT doc, c.*
  FROM summary, regress.counts(s, '{accounts,contact_info,alternate_contacts,products,product_accounts}') c
 ORDER BY doc, tbl;
-- accounts: one row per (account, region).  A: the three never-populated
-- fields stay NULL.  B: all filled.  C: account_name falls back to the id,
-- joined_timestamp NULL, the "None" strings kept as sent.  csp is the
-- column default 'AWS' everywhere.
SELECT to_jsonb(a) - 'id' - 'created_at' - 'updated_at' AS accounts
  FROM accounts a ORDER BY a.account_id, a.region;
-- contact_info: A and B only (C sent {}).
SELECT a.account_id AS account, to_jsonb(c) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS contact_info
  FROM contact_info c JOIN accounts a ON a.id = c.account_id
 ORDER BY a.account_id;
-- alternate_contacts: A has billing and security (operations null: no row),
-- B all three; name -> full_name, phone -> phone_number.
SELECT a.account_id AS account, to_jsonb(c) - 'id' - 'account_id' - 'created_at' - 'updated_at' AS alternate_contacts
  FROM alternate_contacts c JOIN accounts a ON a.id = c.account_id
 ORDER BY a.account_id, c.contact_type;
-- products: created on first sight with owner 'System', matched
-- case-insensitively ("payments" from B is A's "Payments"); blanks and
-- "None" are no product.
SELECT to_jsonb(p) - 'id' - 'created_at' - 'updated_at' AS products
  FROM products p ORDER BY lower(p.name);
SELECT a.account_id AS account, p.name AS product
  FROM product_accounts pa
  JOIN accounts a ON a.id = pa.account_id
  JOIN products p ON p.id = pa.product_id
 ORDER BY 1, lower(p.name);
