--
-- load_inventory: the inventory and service_resources sections ->
-- inventory_instances, inventory_applications, inventory_patches,
-- service_resources.
--
--   A  an EC2 and an on-premises managed instance; one package installed
--      for two architectures (two rows), install times "" and "9/14/2021"
--      (not ISO-8601: NULL); EC2, ELB, Auto Scaling (max_size ""), S3 and
--      Lambda (size_gb 0.125) resources, the ELB and the Auto Scaling
--      group both named "shop"
--   B  an IPv6 instance; an application and a patch naming an instance
--      the account never reported (skipped and counted); RDS, EBS, VPC,
--      Auto Scaling, S3 and ELB (both named "logs") and Lambda
--      (size_gb 1.5) resources
--   C  inventory [] and service_resources []: nothing
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CALL regress.reset();
\set doc_a `cat data/account-a-2026-11-20.json`
\set doc_b `cat data/account-b-2026-11-20.json`
\set doc_c `cat data/account-c-2026-11-20.json`
CREATE TEMP TABLE summary (doc text, s jsonb);
INSERT INTO summary SELECT 'A', mao_load(:'doc_a', 'data/111122223333/eu-west-1/2026-11-20_DAILY.json');
INSERT INTO summary SELECT 'B', mao_load(:'doc_b', 'data/444455556666/us-east-1/2026-11-20_DAILY.json');
INSERT INTO summary SELECT 'C', mao_load(:'doc_c', 'data/777788889999/ap-southeast-1/2026-11-20_DAILY.json');
\pset format unaligned
SELECT doc, c.*
  FROM summary,
       regress.counts(s, '{inventory_instances,inventory_applications,inventory_patches,service_resources}') c
 ORDER BY doc, tbl;
-- The skipped rows are said in the summary's messages.
SELECT doc, m.value AS message FROM summary, jsonb_array_elements_text(s -> 'messages') m ORDER BY doc, m.value;
-- inventory_instances: last_ping_date_time (last_ping when it is absent).
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS inventory_instances
  FROM inventory_instances t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.instance_id;
-- Applications and patches hang off their instance (instance_id is the
-- inventory_instances row's id; shown here as the instance's own id).
SELECT a.account_id AS account, i.instance_id AS instance,
       to_jsonb(t) - 'id' - 'account_id' - 'instance_id' - 'created_at' AS inventory_applications
  FROM inventory_applications t JOIN inventory_instances i ON i.id = t.instance_id JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, i.instance_id, t.name, t.architecture NULLS FIRST;
SELECT a.account_id AS account, i.instance_id AS instance,
       to_jsonb(t) - 'id' - 'account_id' - 'instance_id' - 'created_at' AS inventory_patches
  FROM inventory_patches t JOIN inventory_instances i ON i.id = t.instance_id JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, i.instance_id, t.title;
-- Every application and patch row belongs to its instance's account.
SELECT count(*) AS misattached
  FROM (SELECT account_id, instance_id FROM inventory_applications
        UNION ALL SELECT account_id, instance_id FROM inventory_patches) x
  JOIN inventory_instances i ON i.id = x.instance_id
 WHERE i.account_id <> x.account_id;
-- service_resources: size_gb is whole GB (Lambda's fraction rounded);
-- "" in a number field is NULL.
SELECT a.account_id AS account, to_jsonb(t) - 'id' - 'account_id' - 'created_at' AS service_resources
  FROM service_resources t JOIN accounts a ON a.id = t.account_id
 ORDER BY a.account_id, t.service_name, t.resource_type, t.resource_id;
