-- views_account.sql: dashboard views over accounts, their contacts and the
-- products they belong to.  Views list the base table's columns followed by
-- the standard account block (see views_common.sql).

-- One row per accounts row (one AWS account as seen from one sender region).
-- The raw columns already carry region, name, type and status, so only the
-- remaining account-block columns are appended.
CREATE VIEW view_accounts AS
SELECT
    a.id, a.account_id, a.account_name, a.account_email, a.account_status, a.account_arn,
    a.partner_name, a.customer_name, a.joined_method, a.joined_timestamp, a.account_type, a.csp,
    a.region, a.category, a.created_at, a.updated_at,
    b.account, b.account_category, b.account_partner, b.account_customer, b.account_full,
    b.project_product_name
FROM accounts a
JOIN mao_account_block b ON b.id = a.id;

-- One row per contact_info row: an account's primary (postal) contact.
CREATE VIEW view_contact_info AS
SELECT
    t.id, t.account_id, t.address_line1, t.address_line2, t.address_line3, t.city, t.country_code,
    t.postal_code, t.state_or_region, t.company_name, t.phone_number, t.website_url, t.full_name,
    t.created_at, t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM contact_info t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per alternate contact (billing, operations or security) of an account.
CREATE VIEW view_alternate_contacts AS
SELECT
    t.id, t.account_id, t.contact_type, t.full_name, t.title, t.email, t.phone_number, t.created_at,
    t.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM alternate_contacts t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per product, unrelated to any account: the account-block columns
-- are NULL text, except project_product_name, which is the product's name.
CREATE VIEW view_products AS
SELECT
    p.id, p.name, p.owner, p.position, p.description, p.created_at, p.updated_at,
    NULL::text AS account, NULL::text AS account_region, NULL::text AS account_name,
    NULL::text AS account_type, NULL::text AS account_category, NULL::text AS account_status,
    NULL::text AS account_partner, NULL::text AS account_customer, NULL::text AS account_full,
    p.name AS project_product_name
FROM products p;

-- One row per product-account link; project_product_name is the linked
-- product itself (not the account's first product).
CREATE VIEW view_product_acct AS
SELECT
    pa.id, pa.product_id, pa.account_id, pa.created_at, pa.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full,
    p.name AS project_product_name
FROM product_accounts pa
JOIN products p ON p.id = pa.product_id
JOIN mao_account_block b ON b.id = pa.account_id;

-- One row per product-account link, showing the product; project_product_name
-- is the account's first product, which need not be this one.
CREATE VIEW view_acct_products AS
SELECT
    p.id, p.name, p.owner, p.position, p.description, p.created_at, p.updated_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM product_accounts pa
JOIN products p ON p.id = pa.product_id
JOIN mao_account_block b ON b.id = pa.account_id;
