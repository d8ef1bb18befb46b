-- tables_security.sql: the security posture of the member accounts.
--
-- Security Hub summaries per product (security) and their findings
-- (findings), GuardDuty findings, KMS keys, WAF web ACLs and their rules,
-- CloudTrail trails, Secrets Manager secrets, ACM certificates and
-- Inspector findings.  These tables hold the latest state only: no natural
-- key contains a date, so each day's load updates the rows in place.
--
-- Columns, types and defaults are the reference's.  Its keys on a bare ARN
-- or finding id are replaced by per-account keys (named <table>_key,
-- targeted by the loader's ON CONFLICT): the same ARN is legitimately
-- reported by several accounts (an organisation trail, a resource shared
-- through RAM, a finding aggregated into a delegated administrator), and a
-- global key made the last account to report it steal the row from the
-- others.  See docs/compatibility.md.

-- One row per account and Security Hub product group (Security Hub itself,
-- GuardDuty, Inspector, ...): finding counts by severity and state.
-- Natural key: (account_id, service).
CREATE TABLE security (
    id                  SERIAL PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service             VARCHAR(255) NOT NULL,
    total_findings      INTEGER NOT NULL DEFAULT 0,
    critical_count      INTEGER NOT NULL DEFAULT 0,
    high_count          INTEGER NOT NULL DEFAULT 0,
    medium_count        INTEGER NOT NULL DEFAULT 0,
    low_count           INTEGER NOT NULL DEFAULT 0,
    informational_count INTEGER NOT NULL DEFAULT 0,
    open_findings       INTEGER NOT NULL DEFAULT 0,
    resolved_findings   INTEGER NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ DEFAULT now(),
    updated_at          TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT security_key UNIQUE (account_id, service)
);

-- One row per Security Hub finding as seen by one account's product group.
-- Natural key: (security_id, finding_id), so per account: the reference's
-- global finding_id key moved a finding aggregated into several accounts to
-- whichever loaded last.  resource_id is varchar(1024) instead of 255
-- because it receives full resource ARNs, which can be longer.
CREATE TABLE findings (
    id                SERIAL PRIMARY KEY,
    security_id       INTEGER NOT NULL REFERENCES security (id) ON DELETE CASCADE,
    finding_id        VARCHAR(255) NOT NULL,
    service           VARCHAR(255) NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT,
    severity          VARCHAR(50) NOT NULL,
    status            VARCHAR(50) NOT NULL,
    resource_type     VARCHAR(255),
    resource_id       VARCHAR(1024),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    recommendation    TEXT,
    compliance_status VARCHAR(50),
    region            VARCHAR(50),
    workflow_state    VARCHAR(50),
    record_state      VARCHAR(50),
    product_name      VARCHAR(255),
    company_name      VARCHAR(255),
    product_arn       VARCHAR(255),
    generator_id      VARCHAR(255),
    generator         VARCHAR(255),
    CONSTRAINT findings_key UNIQUE (security_id, finding_id)
);
-- The dashboards filter findings by severity and by status across accounts.
CREATE INDEX findings_severity_idx ON findings (severity);
CREATE INDEX findings_status_idx ON findings (status);

-- One row per account and GuardDuty finding.  Natural key: (account_id,
-- detector_id); despite its name, detector_id holds the finding id (the
-- reference's naming, kept for compatibility).  The reference had no unique
-- key here and collected duplicates.
CREATE TABLE guard_duty_findings (
    id           SERIAL PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    detector_id  VARCHAR(255),
    finding_type VARCHAR(255),
    severity     NUMERIC(3,1),
    title        TEXT,
    description  TEXT,
    confidence   NUMERIC(3,1),
    region       VARCHAR(50),
    created_at   TIMESTAMPTZ DEFAULT now(),
    updated_at   TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT guard_duty_findings_key UNIQUE (account_id, detector_id)
);

-- One row per account and KMS key.  Natural key: (account_id, key_id); the
-- reference had no unique key here.
CREATE TABLE kms_keys (
    id                   SERIAL PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_id               VARCHAR(255),
    arn                  VARCHAR(255),
    description          TEXT,
    key_usage            VARCHAR(50),
    key_state            VARCHAR(50),
    creation_date        TIMESTAMPTZ,
    enabled              BOOLEAN DEFAULT TRUE,
    key_rotation_enabled BOOLEAN DEFAULT FALSE,
    created_at           TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT kms_keys_key UNIQUE (account_id, key_id)
);

-- One row per account and WAF web ACL (not per rule, despite the table's
-- name).  Natural key: (account_id, waf_id); the reference had no unique
-- key here.
CREATE TABLE waf_rules (
    id                   SERIAL PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                 VARCHAR(255),
    waf_id               VARCHAR(255),
    arn                  VARCHAR(255),
    scope                VARCHAR(50),
    description          TEXT,
    default_action       JSONB,
    rules_count          INTEGER DEFAULT 0,
    logging_enabled      BOOLEAN DEFAULT FALSE,
    geo_blocking_enabled BOOLEAN DEFAULT FALSE,
    blocked_countries    TEXT,
    created_at           TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT waf_rules_key UNIQUE (account_id, waf_id)
);

-- One row per account, web ACL, rule and scope: one rule of a web ACL.
-- Natural key: (account_id, web_acl_name, rule_name, scope); scope is part
-- of it (the reference's key lacked it) because a REGIONAL and a CLOUDFRONT
-- web ACL may carry the same name and rule names.
CREATE TABLE waf_rules_detailed (
    id                     SERIAL PRIMARY KEY,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    web_acl_name           VARCHAR(255) NOT NULL,
    rule_name              VARCHAR(255) NOT NULL,
    priority               INTEGER NOT NULL,
    action                 TEXT,
    statement_type         VARCHAR(100),
    is_managed_rule        BOOLEAN DEFAULT FALSE,
    is_custom_rule         BOOLEAN DEFAULT TRUE,
    rate_limit             BOOLEAN DEFAULT FALSE,
    logging_enabled        BOOLEAN DEFAULT FALSE,
    geo_blocking           BOOLEAN DEFAULT FALSE,
    sql_injection          BOOLEAN DEFAULT FALSE,
    sample_request_enabled BOOLEAN DEFAULT FALSE,
    cloudwatch_enabled     BOOLEAN DEFAULT FALSE,
    has_xss_protection     BOOLEAN DEFAULT FALSE,
    waf_version            VARCHAR(10) DEFAULT 'v2',
    is_compliant           BOOLEAN DEFAULT FALSE,
    scope                  VARCHAR(20) DEFAULT 'REGIONAL',
    created_at             TIMESTAMPTZ DEFAULT now(),
    updated_at             TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT waf_rules_detailed_key UNIQUE (account_id, web_acl_name, rule_name, scope)
);

-- One row per account and CloudTrail trail visible to it.  Natural key:
-- (account_id, arn): an organisation trail has one ARN but is reported by
-- every member account.
CREATE TABLE cloudtrail_logs (
    id                   SERIAL PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                 VARCHAR(255),
    arn                  VARCHAR(255),
    is_logging           BOOLEAN DEFAULT FALSE,
    is_multi_region      BOOLEAN DEFAULT FALSE,
    s3_bucket            VARCHAR(255),
    kms_key_id           VARCHAR(255),
    log_file_validation  BOOLEAN DEFAULT FALSE,
    latest_delivery_time TIMESTAMPTZ,
    created_at           TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT cloudtrail_logs_key UNIQUE (account_id, arn)
);

-- One row per account and Secrets Manager secret.  Natural key:
-- (account_id, arn); per account because the loader attaches rows to the
-- account of the document, and one account's rows must never move another's.
CREATE TABLE secrets_manager_secrets (
    id                SERIAL PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name              VARCHAR(255),
    arn               VARCHAR(255),
    description       TEXT,
    created_date      TIMESTAMPTZ,
    last_changed_date TIMESTAMPTZ,
    rotation_enabled  BOOLEAN DEFAULT FALSE,
    created_at        TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT secrets_manager_secrets_key UNIQUE (account_id, arn)
);

-- One row per account and ACM certificate.  Natural key: (account_id, arn),
-- per account for the same reason as secrets_manager_secrets.
CREATE TABLE certificates (
    id          SERIAL PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    arn         VARCHAR(255),
    domain_name VARCHAR(255),
    status      VARCHAR(50),
    type        VARCHAR(50),
    not_after   TIMESTAMPTZ,
    created_at  TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT certificates_key UNIQUE (account_id, arn)
);

-- One row per account and Inspector finding.  Natural key: (account_id,
-- finding_arn): a delegated Inspector administrator sees its members'
-- findings under the same ARNs.
CREATE TABLE inspector_findings (
    id                SERIAL PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    finding_arn       VARCHAR(255),
    severity          VARCHAR(50),
    status            VARCHAR(50),
    type              VARCHAR(100),
    title             TEXT,
    description       TEXT,
    first_observed_at TIMESTAMPTZ,
    created_at        TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT inspector_findings_key UNIQUE (account_id, finding_arn)
);
