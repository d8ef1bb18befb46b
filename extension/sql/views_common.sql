-- views_common.sql: the standard account block shared by the dashboard views.
--
-- Every per-table view appends the same ten "account block" columns, taken
-- from the accounts row that owns the data.  They are computed once here;
-- the views join this relation on accounts.id and list the columns they need
-- explicitly, so that a column added to a table later never changes a view.

-- One row per accounts row: its id plus the ten account-block columns.
-- project_product_name is the name of the account's first product, i.e. the
-- product whose product_accounts link has the lowest id (NULL without one).
-- The first links are found in one pass over product_accounts (DISTINCT ON),
-- not once per row of the table a view joins this to; a query that does not
-- read project_product_name skips the lookup altogether.
CREATE VIEW mao_account_block AS
SELECT
    a.id,
    a.account_id AS account,
    a.region AS account_region,
    a.account_name,
    a.account_type,
    a.category AS account_category,
    a.account_status,
    a.partner_name AS account_partner,
    a.customer_name AS account_customer,
    a.account_id || '-' || a.account_name AS account_full,
    fp.name AS project_product_name
FROM accounts a
LEFT JOIN (
    SELECT DISTINCT ON (pa.account_id) pa.account_id, p.name
    FROM product_accounts pa
    JOIN products p ON p.id = pa.product_id
    ORDER BY pa.account_id, pa.id
) fp ON fp.account_id = a.id;

COMMENT ON VIEW mao_account_block IS
    'MAO internal: accounts.id with the account-block columns the dashboard views share';
