-- views_inventory.sql: dashboard views over service resources and the SSM
-- inventory (instances, their applications and patches).  Views list the
-- base table's columns followed by the standard account block (see
-- views_common.sql); rows whose account or instance is missing are left out.

-- One row per service resource (EC2, RDS, EBS, ELB, ASG, subnet, ...).
CREATE VIEW view_service_resources AS
SELECT
    t.id, t.account_id, t.service_name, t.resource_type, t.resource_id, t.resource_name, t.region,
    t.availability_zone, t.state, t.instance_type, t.vpc_id, t.engine, t.instance_class, t.multi_az,
    t.size_gb, t.volume_type, t.creation_date, t.type, t.scheme, t.instance_count, t.min_size,
    t.max_size, t.available_ip_count, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM service_resources t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per SSM-managed instance.
CREATE VIEW view_inventory_instances AS
SELECT
    t.id, t.account_id, t.instance_id, t.instance_type, t.platform, t.ip_address, t.computer_name,
    t.ping_status, t.last_ping_date_time, t.agent_version, t.created_at, t.platform_type,
    t.platform_version, t.is_latest_version, t.association_status, t.association_execution_date,
    t.association_success_date,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM inventory_instances t
JOIN mao_account_block b ON b.id = t.account_id;

-- One row per installed application, joined to its instance and, through the
-- instance, to the account.  Only the application's name is shown; instance
-- columns whose names would clash carry an ii_ prefix.
CREATE VIEW view_inventory_applications AS
SELECT
    ap.name,
    ii.id AS ii_id, ii.account_id AS ii_account_id, ii.instance_id AS ii_instance_id,
    ii.instance_type, ii.platform, ii.ip_address, ii.computer_name, ii.ping_status,
    ii.last_ping_date_time, ii.agent_version, ii.platform_type, ii.platform_version,
    ii.is_latest_version, ii.association_status, ii.association_execution_date,
    ii.association_success_date, ii.created_at AS ii_created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name
FROM inventory_applications ap
JOIN inventory_instances ii ON ii.id = ap.instance_id
JOIN mao_account_block b ON b.id = ii.account_id;

-- One row per patch of an instance, with the instance's id string as
-- instance_name and its instance_type.
CREATE VIEW view_inventory_patches AS
SELECT
    t.id, t.account_id, t.instance_id, t.title, t.classification, t.severity, t.state,
    t.installed_time, t.created_at,
    b.account, b.account_region, b.account_name, b.account_type, b.account_category,
    b.account_status, b.account_partner, b.account_customer, b.account_full, b.project_product_name,
    ii.instance_id AS instance_name, ii.instance_type
FROM inventory_patches t
JOIN inventory_instances ii ON ii.id = t.instance_id
JOIN mao_account_block b ON b.id = t.account_id;
