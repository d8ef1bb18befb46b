-- tables_account.sql: the member accounts and what hangs directly off them.
--
-- accounts is the root of everything: every other table reaches an account
-- through an integer account_id (accounts.id), never through the 12-digit
-- AWS account number, and every foreign key cascades on delete, so removing
-- an accounts row removes all data loaded for it.  This file also holds the
-- account's contacts, the products an account belongs to (maintained by the
-- loader from the document's comma-separated "product" string and by hand),
-- and the per-document collection status (logs, log_messages).
--
-- Names, columns, column order, types and defaults follow the reference
-- schema so that views, QuickSight analyses and ad-hoc SQL written for it
-- keep working.  Each table has a natural key named <table>_key that the
-- loader's INSERT ... ON CONFLICT targets; where the reference had no unique
-- key (or a weaker one) ours is documented in docs/compatibility.md.

-- One row per AWS account per sender region (a sender deployed in several
-- regions reports the same account from each).  Natural key: the 12-digit
-- account number and the region.
-- account_email, account_arn, joined_method and joined_timestamp are
-- nullable: senders never fill the first three and send no joined_timestamp
-- when GetAccountInformation fails.  The reference stored invented
-- placeholders instead (unknown@example.com, a made-up ARN, CREATED, 1970);
-- NULL says "unknown" honestly.  account_status and csp get the defaults the
-- reference's receiver wrote as constants, so a row without them reads the
-- same.
CREATE TABLE accounts (
    id               SERIAL PRIMARY KEY,
    account_id       VARCHAR(12) NOT NULL,
    account_name     VARCHAR(255) NOT NULL,
    account_email    VARCHAR(255),
    account_status   VARCHAR(50) NOT NULL DEFAULT 'ACTIVE',
    account_arn      VARCHAR(255),
    partner_name     TEXT DEFAULT 'None',
    customer_name    TEXT DEFAULT 'None',
    joined_method    VARCHAR(50),
    joined_timestamp TIMESTAMPTZ,
    account_type     VARCHAR(50),
    csp              VARCHAR(50) DEFAULT 'AWS',
    region           TEXT DEFAULT 'Global',
    category         TEXT,
    created_at       TIMESTAMPTZ DEFAULT now(),
    updated_at       TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT accounts_key UNIQUE (account_id, region)
);

-- One row per account: its primary contact (postal address, phone, web
-- site) from the Account API.  Natural key: account_id.
-- phone_number is wider than the reference's varchar(20): international
-- numbers with extensions and separators exceed 20 characters.
CREATE TABLE contact_info (
    id              SERIAL PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    address_line1   VARCHAR(255),
    address_line2   VARCHAR(255),
    address_line3   VARCHAR(255),
    city            VARCHAR(100),
    country_code    VARCHAR(2),
    postal_code     VARCHAR(20),
    state_or_region VARCHAR(100),
    company_name    VARCHAR(255),
    phone_number    VARCHAR(50),
    website_url     VARCHAR(255),
    full_name       VARCHAR(255),
    created_at      TIMESTAMPTZ DEFAULT now(),
    updated_at      TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT contact_info_key UNIQUE (account_id)
);

-- One row per account and alternate-contact kind (billing, operations,
-- security).  Natural key: (account_id, contact_type).
-- phone_number widened to varchar(50) for the same reason as contact_info.
CREATE TABLE alternate_contacts (
    id           SERIAL PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_type VARCHAR(50) NOT NULL,
    full_name    VARCHAR(255),
    title        VARCHAR(255),
    email        VARCHAR(255),
    phone_number VARCHAR(50),
    created_at   TIMESTAMPTZ DEFAULT now(),
    updated_at   TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT alternate_contacts_key UNIQUE (account_id, contact_type)
);

-- One row per product (an application or team that owns accounts), shared
-- by all accounts that name it.  Natural key: the name, case-insensitively,
-- because senders spell the same product with varying case and the
-- reference looked products up case-insensitively without enforcing it
-- (which let concurrent loads create duplicates).  The unique index on
-- lower(name) also serves that lookup, so no separate index on name.
CREATE TABLE products (
    id          SERIAL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    owner       VARCHAR(255) NOT NULL,
    position    VARCHAR(255),
    description TEXT,
    created_at  TIMESTAMPTZ DEFAULT now(),
    updated_at  TIMESTAMPTZ DEFAULT now()
);
CREATE UNIQUE INDEX products_key ON products (lower(name));

-- One row per link between a product and an account.  Natural key:
-- (product_id, account_id).  The key covers lookups by product; the views
-- join from the account side, hence the index on account_id.
CREATE TABLE product_accounts (
    id         SERIAL PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ DEFAULT now(),
    updated_at TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT product_accounts_key UNIQUE (product_id, account_id)
);
CREATE INDEX product_accounts_account_id_idx ON product_accounts (account_id);

-- One row per loaded document: the sender's pass/fail status of each
-- collector.  Natural key: (account_id, date_created).  The key also serves
-- "newest log of an account", so no separate index on date_created.
CREATE TABLE logs (
    id                     SERIAL PRIMARY KEY,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date_created           TIMESTAMPTZ DEFAULT now(),
    account_status         VARCHAR(50) DEFAULT 'Pass',
    cost_status            VARCHAR(50) DEFAULT 'Pass',
    service_status         VARCHAR(50) DEFAULT 'Pass',
    security_status        VARCHAR(50) DEFAULT 'Pass',
    config_status          VARCHAR(50) DEFAULT 'Pass',
    inventory_status       VARCHAR(50) DEFAULT 'Pass',
    marketplace_status     VARCHAR(50) DEFAULT 'Pass',
    trusted_advisor_status VARCHAR(50) DEFAULT 'Pass',
    health_status          VARCHAR(50) DEFAULT 'Pass',
    application_status     VARCHAR(50) DEFAULT 'Pass',
    resilience_hub_status  VARCHAR(50) DEFAULT 'Pass',
    created_at             TIMESTAMPTZ DEFAULT now(),
    updated_at             TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT logs_key UNIQUE (account_id, date_created)
);

-- One row per distinct message of a log.  Natural key: (log_id,
-- message_type, message); the reference keyed on (log_id, message_type)
-- only, so a second warning of the same type overwrote the first.  The
-- message goes into the key as md5(message) because a message can be longer
-- than a btree entry may be, and message_type through coalesce() because a
-- NULL never conflicts in PostgreSQL 13's unique indexes.
CREATE TABLE log_messages (
    id           SERIAL PRIMARY KEY,
    log_id       INTEGER NOT NULL REFERENCES logs (id) ON DELETE CASCADE,
    message      TEXT NOT NULL,
    message_type TEXT,
    created_at   TIMESTAMPTZ DEFAULT now()
);
CREATE UNIQUE INDEX log_messages_key ON log_messages (log_id, (coalesce(message_type, '')), (md5(message)));
