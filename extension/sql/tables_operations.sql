-- tables_operations.sql: how the member accounts are run.
--
-- Trusted Advisor checks, AWS Health events, CloudWatch Application Signals
-- services, Resilience Hub applications, Support cases and Compute
-- Optimizer recommendations.  All hold the latest state: no natural key
-- contains a date, so each day's load updates the rows in place.
--
-- Columns, types and defaults are the reference's.  Its keys on a bare ARN
-- or case id, and its missing key on compute_optimizer, are replaced by
-- per-account keys (named <table>_key, targeted by the loader's ON
-- CONFLICT); see docs/compatibility.md.

-- One row per account and Trusted Advisor check: its latest result.
-- Natural key: (account_id, check_name).
CREATE TABLE trusted_advisor_checks (
    id                       SERIAL PRIMARY KEY,
    account_id               INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    check_name               VARCHAR(255),
    category                 VARCHAR(100),
    severity                 VARCHAR(50),
    recommendation           TEXT,
    affected_resources_count INTEGER DEFAULT 0,
    potential_savings        NUMERIC(20,10),
    timestamp                TIMESTAMPTZ,
    created_at               TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT trusted_advisor_checks_key UNIQUE (account_id, check_name)
);

-- One row per account and AWS Health event that affects it.  Natural key:
-- (account_id, arn): public events (a service issue in a region) carry one
-- ARN for every account they affect, so the reference's global arn key left
-- the event attached only to the account that loaded last.
CREATE TABLE health_events (
    id              SERIAL PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    arn             VARCHAR(255),
    service         VARCHAR(100),
    event_type_code VARCHAR(255),
    region          VARCHAR(50),
    start_time      TIMESTAMPTZ,
    end_time        TIMESTAMPTZ,
    status_code     VARCHAR(50),
    created_at      TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT health_events_key UNIQUE (account_id, arn)
);

-- One row per account, service and namespace known to CloudWatch
-- Application Signals.  Natural key: (account_id, service_name, namespace);
-- the namespace is part of it (the reference's key lacked it) because the
-- same service name can exist in several environments, and goes through
-- coalesce() because a NULL never conflicts in PostgreSQL 13's unique
-- indexes.
CREATE TABLE application_signals (
    id             SERIAL PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_name   VARCHAR(255),
    namespace      VARCHAR(255),
    key_attributes JSONB,
    created_at     TIMESTAMPTZ DEFAULT now()
);
CREATE UNIQUE INDEX application_signals_key ON application_signals (account_id, service_name, (coalesce(namespace, '')));

-- One row per account and Resilience Hub application: its latest
-- assessment.  Natural key: (account_id, app_arn); per account so that one
-- account's load never re-points another account's row.
CREATE TABLE resilience_hub_apps (
    id                   SERIAL PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app_arn              VARCHAR(255),
    name                 VARCHAR(255),
    compliance_status    VARCHAR(50),
    resiliency_score     NUMERIC(5,2),
    status               VARCHAR(50),
    cost                 NUMERIC(20,10),
    created_at           TIMESTAMPTZ DEFAULT now(),
    description          TEXT,
    creation_time        TIMESTAMPTZ,
    last_assessment_time TIMESTAMPTZ,
    rpo                  INTEGER,
    rto                  INTEGER,
    last_drill           TIMESTAMPTZ,
    CONSTRAINT resilience_hub_apps_key UNIQUE (account_id, app_arn)
);

-- One row per account and AWS Support case.  Natural key: (account_id,
-- case_id), per account like every other key so that one account's load can
-- never re-point another account's row (the reference keyed on case_id).
CREATE TABLE support_tickets (
    id            SERIAL PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    case_id       VARCHAR(255) NOT NULL,
    display_id    VARCHAR(50) NOT NULL,
    subject       TEXT NOT NULL,
    status        VARCHAR(50) NOT NULL,
    severity_code VARCHAR(50) NOT NULL,
    service_code  VARCHAR(255),
    category_code VARCHAR(50) NOT NULL,
    time_created  TIMESTAMPTZ NOT NULL,
    submitted_by  VARCHAR(255),
    language      VARCHAR(10) DEFAULT 'en',
    date_from     DATE NOT NULL,
    date_to       DATE NOT NULL,
    created_at    TIMESTAMPTZ DEFAULT now(),
    updated_at    TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT support_tickets_key UNIQUE (account_id, case_id),
    CONSTRAINT date_check CHECK (date_to >= date_from)
);
-- An account's cases, newest first.
CREATE INDEX support_tickets_account_id_time_created_idx ON support_tickets (account_id, time_created);

-- One row per account and resource with a Compute Optimizer
-- recommendation (EC2 instance, Auto Scaling group, EBS volume, Lambda
-- function).  Natural key: (account_id, resource_arn); the reference had no
-- unique key and matched on the ARN alone.  No secondary indexes: the
-- summary view aggregates the whole table and per-account reads use the key.
CREATE TABLE compute_optimizer (
    id                             SERIAL PRIMARY KEY,
    account_id                     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    resource_type                  VARCHAR(50) NOT NULL,
    resource_arn                   VARCHAR(255) NOT NULL,
    resource_name                  VARCHAR(255),
    finding                        VARCHAR(50),
    current_instance_type          VARCHAR(50),
    current_memory_size            INTEGER,
    current_volume_type            VARCHAR(50),
    current_volume_size            INTEGER,
    recommended_instance_type      VARCHAR(50),
    recommended_memory_size        INTEGER,
    recommended_volume_type        VARCHAR(50),
    recommended_volume_size        INTEGER,
    savings_opportunity_percentage NUMERIC(5,2),
    estimated_monthly_savings_usd  NUMERIC(10,2),
    performance_risk               NUMERIC(3,2),
    cpu_utilization_max            NUMERIC(5,2),
    memory_utilization_avg         NUMERIC(5,2),
    migration_effort               VARCHAR(50),
    created_at                     TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT compute_optimizer_key UNIQUE (account_id, resource_arn)
);
