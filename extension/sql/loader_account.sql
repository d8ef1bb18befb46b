-- Loader, part 3: the account section (accounts, contacts, products).
--
-- One accounts row per (AWS account, sender region), as in the reference: its
-- integer id is the account_id of every other row the document loads.

-- Upserts the account row; returns its counts.  The caller has checked that
-- account.account_id is a 12-digit string.
CREATE FUNCTION mao_load_accounts(p_account jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
BEGIN
	RETURN mao_upsert('accounts', '{}.account_id, {}.region',
		ARRAY['account_id', 'account_name', 'account_email', 'account_status', 'account_arn',
			  'partner_name', 'customer_name', 'joined_method', 'joined_timestamp',
			  'account_type', 'csp', 'region', 'category'],
		$src$
		SELECT 'account' AS mao_path, 1 AS mao_ord,
			   a ->> 'account_id' AS account_id,
			   -- The sender falls back to the id when the name is unknown.
			   coalesce(mao_jtext(a, 'account_name', 'account'), a ->> 'account_id') AS account_name,
			   mao_jtext(a, 'account_email', 'account') AS account_email,
			   mao_jtext(a, 'account_status', 'account') AS account_status,
			   mao_jtext(a, 'account_arn', 'account') AS account_arn,
			   mao_jtext(a, 'partner_name', 'account') AS partner_name,
			   mao_jtext(a, 'customer_name', 'account') AS customer_name,
			   mao_jtext(a, 'joined_method', 'account') AS joined_method,
			   mao_jts(a, 'joined_timestamp', 'account') AS joined_timestamp,
			   mao_jtext(a, 'account_type', 'account') AS account_type,
			   NULL::text AS csp,
			   mao_jtext(a, 'region', 'account') AS region,
			   mao_jtext(a, 'category', 'account') AS category
		  FROM (SELECT $1 AS a) doc
		$src$, p_account, NULL);
END
$fn$;

-- Upserts contact_info (when the sender got any contact detail at all) and
-- the alternate contacts (billing, operations, security; null ones skipped).
CREATE FUNCTION mao_load_contacts(p_account jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	tables jsonb := '{}';
BEGIN
	tables := tables || jsonb_build_object('contact_info', mao_upsert('contact_info', '{}.account_id',
		ARRAY['account_id', 'address_line1', 'address_line2', 'address_line3', 'city', 'country_code',
			  'postal_code', 'state_or_region', 'company_name', 'phone_number', 'website_url', 'full_name'],
		$src$
		SELECT 'account.contact_info' AS mao_path, 1 AS mao_ord, $2 AS account_id,
			   mao_jtext(c, 'address_line1', 'account.contact_info') AS address_line1,
			   mao_jtext(c, 'address_line2', 'account.contact_info') AS address_line2,
			   mao_jtext(c, 'address_line3', 'account.contact_info') AS address_line3,
			   mao_jtext(c, 'city', 'account.contact_info') AS city,
			   mao_jtext(c, 'country_code', 'account.contact_info') AS country_code,
			   mao_jtext(c, 'postal_code', 'account.contact_info') AS postal_code,
			   mao_jtext(c, 'state_or_region', 'account.contact_info') AS state_or_region,
			   mao_jtext(c, 'company_name', 'account.contact_info') AS company_name,
			   mao_jtext(c, 'phone_number', 'account.contact_info') AS phone_number,
			   mao_jtext(c, 'website_url', 'account.contact_info') AS website_url,
			   mao_jtext(c, 'full_name', 'account.contact_info') AS full_name
		  FROM (SELECT mao_jobject($1, 'contact_info', 'account') AS c) doc
		 WHERE EXISTS (SELECT 1 FROM jsonb_each(c) f WHERE f.value <> 'null')
		$src$, p_account, p_acct));

	tables := tables || jsonb_build_object('alternate_contacts', mao_upsert('alternate_contacts',
		'{}.account_id, {}.contact_type',
		ARRAY['account_id', 'contact_type', 'full_name', 'title', 'email', 'phone_number'],
		$src$
		SELECT p AS mao_path, 1 AS mao_ord, $2 AS account_id, t.key AS contact_type,
			   mao_jtext(c, 'name', p) AS full_name,
			   mao_jtext(c, 'title', p) AS title,
			   mao_jtext(c, 'email', p) AS email,
			   mao_jtext(c, 'phone', p) AS phone_number
		  FROM jsonb_each(coalesce(mao_jobject($1, 'alternate_contacts', 'account'), '{}')) AS t
		 CROSS JOIN LATERAL (SELECT 'account.alternate_contacts.' || t.key AS p) path
		 CROSS JOIN LATERAL (SELECT mao_jobject(jsonb_build_object(t.key, t.value), t.key,
												'account.alternate_contacts') AS c) contact
		 WHERE c IS NOT NULL
		$src$, p_account, p_acct,
		p_fields => '{"full_name": "name", "phone_number": "phone"}'));
	RETURN tables;
END
$fn$;

-- Links the account to the products named in account.product (a comma-
-- separated list; the sender writes the string "None" when it has none) and
-- removes links to products no longer listed.  Products are created on first
-- sight and never renamed or re-owned here: owner, position and description
-- are for people to maintain.
CREATE FUNCTION mao_load_products(p_account jsonb, p_acct integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
	names text[];
	n_dup bigint;
	n_new bigint;
	links jsonb;
BEGIN
	-- One name per product: names that differ only in case are the same
	-- product; as for any duplicate, the last spelling listed is kept (it
	-- names a product created now) and the others are counted.
	SELECT coalesce(array_agg(n ORDER BY lower(n)), '{}'), coalesce(sum(copies) - count(*), 0)
	  INTO names, n_dup
	  FROM (SELECT DISTINCT ON (lower(n)) n, count(*) OVER (PARTITION BY lower(n)) AS copies
			  FROM (SELECT btrim(x) AS n, i
					  FROM unnest(string_to_array(mao_jtext(p_account, 'product', 'account'), ','))
						   WITH ORDINALITY AS u(x, i)) s
			 WHERE n <> '' AND n <> 'None'
			 ORDER BY lower(n), i DESC) d;

	WITH ins AS (
		INSERT INTO products (name, owner)
		SELECT n, 'System' FROM unnest(names) AS n
		 WHERE NOT EXISTS (SELECT 1 FROM products p WHERE lower(p.name) = lower(n))
		ON CONFLICT DO NOTHING
		RETURNING 1)
	SELECT count(*) INTO n_new FROM ins;

	links := mao_upsert('product_accounts', '{}.product_id, {}.account_id',
		ARRAY['product_id', 'account_id'],
		$src$
		SELECT 'account.product' AS mao_path, p.id AS mao_ord, p.id AS product_id, $2 AS account_id
		  FROM products p
		 WHERE lower(p.name) IN (SELECT lower(n) FROM jsonb_array_elements_text($1) AS n)
		$src$, to_jsonb(names), p_acct, 'account_id');

	RETURN jsonb_build_object(
		'products', jsonb_build_object('inserted', n_new, 'updated', 0,
									   'unchanged', cardinality(names) - n_new, 'duplicates', n_dup),
		'product_accounts', links);
END
$fn$;
