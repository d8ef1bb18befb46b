-- tables_inventory.sql: what runs in the member accounts.
--
-- Systems Manager managed instances (inventory_instances) with their
-- installed applications (inventory_applications) and patches
-- (inventory_patches), and the per-service resource list the sender builds
-- from EC2, RDS, EBS, ELB, Auto Scaling, Lambda, S3, VPC, ...
-- (service_resources).  All of them hold the latest state: no natural key
-- contains a date.
--
-- Columns, types and defaults are the reference's, except that
-- service_resources.availability_zone is wider; natural keys are named
-- <table>_key and targeted by the loader's ON CONFLICT (differences from the
-- reference in docs/compatibility.md).

-- One row per account and managed instance.  Natural key: (account_id,
-- instance_id); the reference's key was instance_id alone, which let an
-- account's load re-point another account's row (on-premises "mi-" ids are
-- only unique per account).
CREATE TABLE inventory_instances (
    id                         SERIAL PRIMARY KEY,
    account_id                 INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    instance_id                VARCHAR(255),
    instance_type              VARCHAR(50),
    platform                   VARCHAR(50),
    ip_address                 VARCHAR(45),
    computer_name              VARCHAR(255),
    ping_status                VARCHAR(50),
    last_ping_date_time        TIMESTAMPTZ,
    agent_version              VARCHAR(50),
    created_at                 TIMESTAMPTZ DEFAULT now(),
    platform_type              VARCHAR(255),
    platform_version           VARCHAR(50),
    is_latest_version          BOOLEAN,
    association_status         VARCHAR(255),
    association_execution_date TIMESTAMPTZ,
    association_success_date   TIMESTAMPTZ,
    CONSTRAINT inventory_instances_key UNIQUE (account_id, instance_id)
);

-- One row per instance, application name and architecture: one installed
-- application.  Natural key: (instance_id, name, architecture); the
-- reference had no unique key.  Architecture is part of it because one
-- package can be installed for two architectures side by side (multilib
-- Linux packages such as glibc for i686 and x86_64), and goes through
-- coalesce() because it is often NULL, which never conflicts in PostgreSQL
-- 13's unique indexes.  The key leads with instance_id; account_id gets its
-- own index for the foreign key and the per-account views.
CREATE TABLE inventory_applications (
    id               SERIAL PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    instance_id      INTEGER REFERENCES inventory_instances (id) ON DELETE CASCADE,
    name             VARCHAR(255),
    version          VARCHAR(100),
    publisher        VARCHAR(255),
    architecture     TEXT,
    application_type TEXT,
    install_time     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ DEFAULT now()
);
CREATE UNIQUE INDEX inventory_applications_key ON inventory_applications (instance_id, name, (coalesce(architecture, '')));
CREATE INDEX inventory_applications_account_id_idx ON inventory_applications (account_id);

-- One row per instance and patch title: the patch's state on that instance.
-- Natural key: (instance_id, title); the reference had no unique key.
CREATE TABLE inventory_patches (
    id             SERIAL PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    instance_id    INTEGER REFERENCES inventory_instances (id) ON DELETE CASCADE,
    title          VARCHAR(255),
    classification VARCHAR(100),
    severity       VARCHAR(50),
    state          VARCHAR(50),
    installed_time TIMESTAMPTZ,
    created_at     TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT inventory_patches_key UNIQUE (instance_id, title)
);
CREATE INDEX inventory_patches_account_id_idx ON inventory_patches (account_id);

-- One row per account, service, resource type and resource id: one
-- resource the sender listed.  Natural key: (account_id, service_name,
-- resource_type, resource_id).  The reference had no unique key and matched
-- on resource_id alone, but ids of S3 buckets, load balancers and Auto
-- Scaling groups are plain names that collide across resource types; the
-- nullable parts go through coalesce() because a NULL never conflicts in
-- PostgreSQL 13's unique indexes.  availability_zone is varchar(255)
-- instead of 50: load balancers and Auto Scaling groups report a
-- comma-separated list of zones.  No secondary indexes: the summary view
-- aggregates the whole table and per-account reads use the key.
CREATE TABLE service_resources (
    id                 SERIAL PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_name       VARCHAR(255) NOT NULL,
    resource_type      VARCHAR(255),
    resource_id        VARCHAR(255),
    resource_name      VARCHAR(255),
    region             VARCHAR(50),
    availability_zone  VARCHAR(255),
    state              VARCHAR(50),
    instance_type      VARCHAR(50),
    vpc_id             VARCHAR(255),
    engine             VARCHAR(100),
    instance_class     VARCHAR(100),
    multi_az           BOOLEAN,
    size_gb            INTEGER,
    volume_type        VARCHAR(50),
    creation_date      TIMESTAMPTZ,
    type               VARCHAR(100),
    scheme             VARCHAR(50),
    instance_count     INTEGER,
    min_size           INTEGER,
    max_size           INTEGER,
    available_ip_count INTEGER,
    created_at         TIMESTAMPTZ DEFAULT now()
);
CREATE UNIQUE INDEX service_resources_key ON service_resources (account_id, service_name, (coalesce(resource_type, '')), (coalesce(resource_id, '')));
