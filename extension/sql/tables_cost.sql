-- tables_cost.sql: what the member accounts spend.
--
-- Daily (or weekly/monthly) figures from Cost Explorer: cost per service
-- (services), the period summary (cost_reports) with its top services
-- (service_costs) and forecast (cost_forecasts), Reserved Instance and
-- Savings Plan savings (ri_sp_daily_savings) and Marketplace usage
-- (marketplace_usage).  These tables keep history: every natural key
-- contains a date, so each day's load adds rows instead of overwriting the
-- previous day's.
--
-- Columns, types and defaults are the reference's; the natural keys (named
-- <table>_key, targeted by the loader's ON CONFLICT) are ours where the
-- reference had none or a narrower one (see docs/compatibility.md).

-- One row per account, service, usage-type list and period: the cost and
-- usage of one AWS service.  Natural key: (account_id, service, usage_types,
-- date_from); usage_types goes through coalesce() because it is often NULL
-- and a NULL never conflicts in PostgreSQL 13's unique indexes.
CREATE TABLE services (
    id               SERIAL PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service          VARCHAR(255) NOT NULL,
    date_from        DATE NOT NULL,
    date_to          DATE NOT NULL,
    cost             NUMERIC(20,10) NOT NULL,
    currency         VARCHAR(3) DEFAULT 'USD',
    utilization      NUMERIC(20,10),
    utilization_unit VARCHAR(100),
    usage_types      TEXT,
    created_at       TIMESTAMPTZ DEFAULT now(),
    updated_at       TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT date_check CHECK (date_to >= date_from)
);
CREATE UNIQUE INDEX services_key ON services (account_id, service, (coalesce(usage_types, '')), date_from);
-- Cross-account questions ("what did service X cost over time", "last
-- month's spend") filter on the service or the period, not on the account.
CREATE INDEX services_service_idx ON services (service);
CREATE INDEX services_date_from_date_to_idx ON services (date_from, date_to);

-- One row per account, period, granularity and region: the period's cost
-- summary.  Natural key: (account_id, period_start, period_granularity,
-- region).  The granularity is part of the key (the reference's was not) so
-- that a DAILY and a MONTHLY report starting on the same day do not
-- overwrite each other.
CREATE TABLE cost_reports (
    id                         SERIAL PRIMARY KEY,
    account_id                 INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    current_period_cost        NUMERIC(20,10) NOT NULL,
    previous_period_cost       NUMERIC(20,10) NOT NULL,
    cost_difference            NUMERIC(20,10) NOT NULL,
    cost_difference_percentage NUMERIC(20,10) NOT NULL,
    potential_monthly_savings  NUMERIC(20,10) DEFAULT 0,
    anomalies_detected         INTEGER DEFAULT 0,
    saving_opportunities_count INTEGER DEFAULT 0,
    period_start               DATE NOT NULL,
    period_end                 DATE NOT NULL,
    period_granularity         period_granularity_type NOT NULL,
    created_at                 TIMESTAMPTZ DEFAULT now(),
    region                     TEXT DEFAULT 'Global',
    CONSTRAINT cost_reports_key UNIQUE (account_id, period_start, period_granularity, region)
);
-- Date-range filters across all accounts (cost trend charts).
CREATE INDEX cost_reports_period_start_period_end_idx ON cost_reports (period_start, period_end);

-- One row per cost report, service and region: one of the report's top
-- services.  Natural key: (cost_report_id, service_name, region); the
-- reference had no unique key here and collected duplicates.
CREATE TABLE service_costs (
    id             SERIAL PRIMARY KEY,
    cost_report_id INTEGER REFERENCES cost_reports (id) ON DELETE CASCADE,
    service_name   VARCHAR(255) NOT NULL,
    cost           NUMERIC(20,10) NOT NULL,
    created_at     TIMESTAMPTZ DEFAULT now(),
    region         TEXT DEFAULT 'Global',
    CONSTRAINT service_costs_key UNIQUE (cost_report_id, service_name, region)
);

-- One row per cost report, forecast period and region: the forecast cost of
-- one future period.  Natural key: (cost_report_id, period_start, region);
-- the reference had no unique key here.
CREATE TABLE cost_forecasts (
    id                              SERIAL PRIMARY KEY,
    cost_report_id                  INTEGER REFERENCES cost_reports (id) ON DELETE CASCADE,
    period_start                    DATE NOT NULL,
    period_end                      DATE NOT NULL,
    amount                          NUMERIC(20,10) NOT NULL,
    prediction_interval_lower_bound NUMERIC(20,10),
    prediction_interval_upper_bound NUMERIC(20,10),
    created_at                      TIMESTAMPTZ DEFAULT now(),
    region                          TEXT DEFAULT 'Global',
    CONSTRAINT cost_forecasts_key UNIQUE (cost_report_id, period_start, region)
);

-- One row per account, Reserved Instance or Savings Plan subscription,
-- period end and reservation type: the utilisation and savings of one
-- commitment over one period.  Natural key: (account_id, subscription_id,
-- date_to, reservation_type), as in the reference's constraint.
CREATE TABLE ri_sp_daily_savings (
    id                     SERIAL PRIMARY KEY,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date_from              DATE NOT NULL,
    date_to                DATE NOT NULL,
    reservation_type       VARCHAR(50) NOT NULL,
    subscription_id        VARCHAR(255) NOT NULL,
    offering_id            VARCHAR(255),
    savings_plan_arn       VARCHAR(255),
    service                VARCHAR(100),
    instance_type          VARCHAR(100),
    instance_count         INTEGER,
    instance_family        VARCHAR(100),
    instance_tenancy       VARCHAR(50),
    offering_class         VARCHAR(50),
    product_types          TEXT,
    region                 VARCHAR(50),
    utilization_percentage NUMERIC(5,2),
    on_demand_cost         NUMERIC(12,2),
    reservation_cost       NUMERIC(12,2),
    net_savings            NUMERIC(12,2),
    commitment             NUMERIC(12,2),
    upfront_cost           NUMERIC(12,2),
    recurring_cost         NUMERIC(12,2),
    recurring_frequency    VARCHAR(20),
    usage_price            NUMERIC(12,2),
    currency               VARCHAR(10),
    start_date             TIMESTAMPTZ,
    end_date               TIMESTAMPTZ,
    returnable_until       TIMESTAMPTZ,
    duration_seconds       INTEGER,
    offering_type          VARCHAR(50),
    state                  VARCHAR(50),
    description            TEXT,
    created_at             TIMESTAMPTZ DEFAULT now(),
    updated_at             TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT ri_sp_daily_savings_key UNIQUE (account_id, subscription_id, date_to, reservation_type)
);
-- An account's savings over a date range, whatever the subscription (the
-- key leads with subscription_id after the account, so it cannot serve this).
CREATE INDEX ri_sp_daily_savings_account_id_date_to_idx ON ri_sp_daily_savings (account_id, date_to);

-- One row per account, Marketplace product and period: the cost of one
-- Marketplace subscription.  Natural key: (account_id, product_code,
-- period_start), as in the reference.
CREATE TABLE marketplace_usage (
    id            SERIAL PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    product_code  VARCHAR(255),
    product_name  VARCHAR(255),
    cost_consumed NUMERIC(20,10),
    currency      VARCHAR(3) DEFAULT 'USD',
    period_start  DATE,
    period_end    DATE,
    status        VARCHAR(50),
    created_at    TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT marketplace_usage_key UNIQUE (account_id, product_code, period_start)
);
