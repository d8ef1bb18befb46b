-- tables_compliance.sql: AWS Config results of the member accounts.
--
-- The daily compliance summary (config_reports) with the resources that
-- failed a rule (non_compliant_resources), and the Config resource
-- inventory (config_inventory, which the reference's sender never fills but
-- its document format defines).  config_reports and its children keep
-- history (the key contains date_from); config_inventory is latest state.
--
-- Columns, types and defaults are the reference's; natural keys are named
-- <table>_key and targeted by the loader's ON CONFLICT (differences from the
-- reference in docs/compatibility.md).

-- One row per account and evaluation day: rule counts and the compliance
-- score.  Natural key: (account_id, date_from).
CREATE TABLE config_reports (
    id                  SERIAL PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date_from           DATE NOT NULL,
    date_to             DATE NOT NULL,
    compliance_score    NUMERIC(5,2),
    total_rules         INTEGER,
    compliant_rules     INTEGER,
    non_compliant_rules INTEGER,
    curr_non_compliant  INTEGER DEFAULT 0,
    curr_compliant      INTEGER DEFAULT 0,
    created_at          TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT config_reports_key UNIQUE (account_id, date_from)
);

-- One row per report, rule, resource type and resource: one evaluation
-- result.  Natural key: (config_report_id, rule_name, resource_type,
-- resource_id).  The reference had no unique key (and matched on
-- resource_id and rule_name only): resource_type is needed because ids of
-- S3 buckets, ELBs and Auto Scaling groups are plain names that collide
-- across types.  The nullable parts go through coalesce() because a NULL
-- never conflicts in PostgreSQL 13's unique indexes.  resource_id is
-- varchar(1024) instead of 255 because Config reports some resources by
-- full ARN, which can be longer.
CREATE TABLE non_compliant_resources (
    id               SERIAL PRIMARY KEY,
    config_report_id INTEGER REFERENCES config_reports (id) ON DELETE CASCADE,
    resource_type    VARCHAR(255),
    resource_id      VARCHAR(1024),
    compliance_type  VARCHAR(50),
    rule_name        VARCHAR(255),
    created_at       TIMESTAMPTZ DEFAULT now(),
    annotation       TEXT,
    evaluation_mode  TEXT,
    conformance_pack TEXT,
    status           VARCHAR(255) NOT NULL DEFAULT 'OPEN'
);
CREATE UNIQUE INDEX non_compliant_resources_key ON non_compliant_resources (config_report_id, (coalesce(rule_name, '')), (coalesce(resource_type, '')), (coalesce(resource_id, '')));

-- One row per account and Config-recorded resource.  Natural key:
-- (account_id, resource_type, resource_id); the reference's unique index
-- lacked resource_type, so two resources of different types with the same
-- name (a bucket and a load balancer, say) overwrote each other.  No
-- secondary indexes: no view reads this table and senders leave it empty,
-- so the reference's eight single-column indexes would only slow loads.
CREATE TABLE config_inventory (
    id                 SERIAL PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    resource_type      VARCHAR(255) NOT NULL,
    resource_subtype   VARCHAR(255),
    resource_id        VARCHAR(255) NOT NULL,
    resource_name      VARCHAR(255),
    region             VARCHAR(50),
    availability_zone  VARCHAR(50),
    state              VARCHAR(50),
    instance_type      VARCHAR(50),
    instance_class     VARCHAR(100),
    engine             VARCHAR(100),
    vpc_id             VARCHAR(255),
    size_gb            INTEGER,
    volume_type        VARCHAR(50),
    creation_date      TIMESTAMPTZ,
    multi_az           BOOLEAN,
    scheme             VARCHAR(50),
    type               VARCHAR(100),
    instance_count     INTEGER,
    min_size           INTEGER,
    max_size           INTEGER,
    available_ip_count INTEGER,
    created_at         TIMESTAMPTZ DEFAULT now(),
    updated_at         TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT config_inventory_key UNIQUE (account_id, resource_type, resource_id)
);
