#!/usr/bin/env python3
"""The `config`, `config_inventory` and `inventory` sections against the
fixtures of test/fixtures/aws/config.json and ssm.json (see README.md).

The collection of the suite (DAILY 2026-11-20, pages of 5): exact values,
every page read (call counts), the rows loaded; then collections of its own
with injected errors or answers: no configuration recorder, AccessDenied on
each level, items gone between listing and reading, an expression AWS
refuses; the WEEKLY and MONTHLY windows; and `mao-sender check`'s two probes.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixturecheck import (FAILURES, answer, collect, control, expect, fail, finish, inject, load,  # noqa: E402
                          messages)

work = sys.argv[1]
doc = load(work)
stats = load(work, "stats.json")["calls"]
tables = load(work, "tables.json")
secs = doc["metadata"]["sections"]

V = "s3-bucket-versioning-enabled-conformance-pack-aaa111"
SSL = "s3-bucket-ssl-requests-only-conformance-pack-aaa111"
EBS = "ec2-ebs-encryption-by-default-conformance-pack-bbb222"
NPI = "ec2-instance-no-public-ip-conformance-pack-bbb222"
TAGS = "required-tags"
LONG_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/" + "t" * 250 + ":1"
A1, B2, MI = "i-0aaa0000000000001", "i-0bbb0000000000002", "mi-0123456789abcdef0"

# ---- config ------------------------------------------------------------------
cfg = doc["config"]
expect({k: v for k, v in cfg.items() if k != "non_compliant_resources"} ==
       {"date_from": "2026-11-19", "date_to": "2026-11-20", "compliance_score": 42.86, "total_rules": 7,
        "compliant_rules": 3, "non_compliant_rules": 4, "curr_non_compliant": 3, "curr_compliant": 1},
       "config: counts of 7 rules over 3 pages (INSUFFICIENT_DATA left out), score 3/7, rules with results in the day",
       json.dumps({k: v for k, v in cfg.items() if k != "non_compliant_resources"}))
rows = cfg["non_compliant_resources"]
got = [(r["rule_name"], r["resource_type"], r["resource_id"], r["config_rule_invoked_time"], r["conformance_pack"],
        r["compliance_type"]) for r in rows]
want = [(V, "AWS::S3::Bucket", "logs-bucket", "2026-11-19T08:00:00+00:00", "OBP-S3", "NON_COMPLIANT"),
        (SSL, "AWS::S3::Bucket", "logs-bucket", "2026-11-19T00:00:00+00:00", "OBP-S3", "COMPLIANT"),
        (SSL, "AWS::S3::Bucket", "web-bucket", "2026-11-19T23:59:59.999000+00:00", "OBP-S3", "COMPLIANT"),
        (NPI, "AWS::EC2::Instance", A1, "2026-11-19T01:02:03+00:00", "OBP-EC2", "NON_COMPLIANT"),
        (NPI, "AWS::EC2::Instance", B2, "2026-11-19T04:05:06+00:00", "OBP-EC2", "NON_COMPLIANT"),
        (TAGS, "AWS::EC2::Instance", A1, "2026-11-19T10:00:00+00:00", "Standalone", "NON_COMPLIANT"),
        (TAGS, "AWS::S3::Bucket", "logs-bucket", "2026-11-19T10:00:00+00:00", "Standalone", "NON_COMPLIANT"),
        (TAGS, "AWS::ECS::TaskDefinition", LONG_ARN, "2026-11-19T10:00:00+00:00", "Standalone", "NON_COMPLIANT")]
expect(got == want, "config: the 8 results recorded on 2026-11-19 (boundaries: 00:00:00 in, 23:59:59.5 the day "
       "before and 00:00:00 the day after out), the one on page 3 of 3 included, in rule order, packs from both "
       "pack pages", json.dumps(got))
expect(all(list(r) == ["rule_name", "resource_id", "resource_type", "config_rule_invoked_time", "conformance_pack",
                       "compliance_type", "annotation", "evaluation_mode"] for r in rows),
       "config: 8 fields per result, in the reference's order")
expect([r["annotation"] for r in rows[:1] + rows[3:4]] == ["Versioning is not enabled.", "The instance has a public IP."]
       and rows[1]["annotation"] is None and rows[7]["evaluation_mode"] == "PROACTIVE"
       and rows[0]["evaluation_mode"] == "DETECTIVE", "config: annotation (null when absent), evaluation mode")
expect(secs["config"] == {**secs["config"], "status": "ok", "items": 8} and doc["logs"]["config_status"] == "Pass"
       and messages(doc, "config") == [], "config: ok, 8 items, Pass, nothing said")

# ---- config_inventory --------------------------------------------------------
inv = {r["resource_id"]: r for r in doc["config_inventory"]}
expect(len(doc["config_inventory"]) == 10 and len(inv) == 10
       and all(len(r) == 21 for r in doc["config_inventory"]),
       "config_inventory: 10 resources over 3 pages, 21 fields each",
       json.dumps(sorted(inv)))
expect(not any(k in inv for k in ("AWS::S3::Bucket/logs-bucket", "i-0fff0000000000009", LONG_ARN)),
       "config_inventory: Config's compliance records, deleted resources and a 300-character id left out")
expect(messages(doc, "config_inventory") == ["config:SelectResourceConfig: 1 resource(s) left out: resource id or type "
                                             "longer than the table's 255 characters"],
       "config_inventory: the left-out id said once", json.dumps(messages(doc, "config_inventory")))
ec2 = inv.get(A1, {})
expect(ec2 == {"resource_type": "AWS::EC2::Instance", "resource_subtype": None, "resource_id": A1,
               "resource_name": "web-1", "region": "us-east-1", "availability_zone": "us-east-1a", "state": "running",
               "instance_type": "t3.micro", "instance_class": None, "engine": None, "vpc_id": "vpc-0a1",
               "size_gb": None, "volume_type": None, "creation_date": "2026-01-02T03:04:05.000Z", "multi_az": None,
               "scheme": None, "type": None, "instance_count": None, "min_size": None, "max_size": None,
               "available_ip_count": None}, "config_inventory: an EC2 instance row", json.dumps(ec2))
vol, sub, db = inv.get("vol-0aaa0000000000001", {}), inv.get("subnet-0aaa0000000000001", {}), inv.get("db-ABCDEFGHIJKLMNOP", {})
expect((vol.get("size_gb"), vol.get("volume_type"), vol.get("state")) == (100, "gp3", "in-use")
       and (sub.get("available_ip_count"), sub.get("state"), sub.get("vpc_id")) == (250, "available", "vpc-0a1")
       and (db.get("instance_class"), db.get("engine"), db.get("multi_az"), db.get("size_gb"), db.get("state"),
            db.get("vpc_id")) == ("db.t3.micro", "postgres", True, 20, "available", "vpc-0a1"),
       "config_inventory: volume (size 100.0 -> 100), subnet and RDS rows")
lb = next((r for r in doc["config_inventory"] if r["resource_type"].startswith("AWS::ElasticLoadBalancingV2")), {})
asg = {r["resource_name"]: r for r in doc["config_inventory"] if r["resource_type"] == "AWS::AutoScaling::AutoScalingGroup"}
expect((lb.get("scheme"), lb.get("type"), lb.get("state"), lb.get("availability_zone")) ==
       ("internet-facing", "application", "active", "Multiple Availability Zones")
       and [(asg[n]["instance_count"], asg[n]["min_size"], asg[n]["max_size"]) for n in ("web-asg", "idle-asg")]
       == [(2, 1, 3), (0, 0, 2)], "config_inventory: load balancer and Auto Scaling rows")
doc_row = inv.get("/mao/" + "p" * 20, {})
expect(doc_row.get("resource_name") == "n" * 255 and doc_row.get("creation_date") is None
       and doc_row.get("type") == "Command" and inv.get("AROAEXAMPLEROLEID0001", {}).get("region") == "global",
       "config_inventory: a 300-character name cut to the column's 255, a creation time that is no date -> null")
expect(secs["config_inventory"] == {**secs["config_inventory"], "status": "ok", "items": 10}
       and doc["logs"]["config_inventory_status"] == "Pass", "config_inventory: ok, 10 items, Pass")

# ---- inventory -------------------------------------------------------------------
iv = doc["inventory"]
expect(list(iv) == ["instances", "applications", "patches", "services", "users", "processes", "network_ports",
                    "certificates"] and all(iv[k] == [] for k in list(iv)[3:]),
       "inventory: the 8 keys in order; the 5 the loader has no table for stay []")
expect([i["instance_id"] for i in iv["instances"]] == [A1, B2, MI, "i-0ccc0000000000003", "i-0ddd0000000000004",
                                                       "i-0eee0000000000005"]
       and all(len(i) == 15 for i in iv["instances"]),
       "inventory.instances: 6 over 3 pages, 15 fields")
i0 = iv["instances"][0]
expect(i0 == {"instance_id": A1, "platform": "Amazon Linux", "platform_type": "Linux", "platform_version": "2023",
              "agent_version": "3.3.1142.0", "is_latest_version": True, "last_ping": "2026-11-19T22:00:00.250000+00:00",
              "computer_name": "ip-10-0-1-10.ec2.internal", "instance_type": "EC2Instance", "ip_address": "10.0.1.10",
              "ping_status": "Online", "last_ping_date_time": "2026-11-19T22:00:00.250000+00:00",
              "association_status": "Success", "association_execution_date": "2026-11-19T21:00:00+00:00",
              "association_success_date": "2026-11-19T21:00:00+00:00"}, "inventory.instances: a row", json.dumps(i0))
expect(iv["instances"][5]["platform"] == "SUSE Linux Enterprise Server for SAP Applications "
       and iv["instances"][2]["instance_type"] == "ManagedInstance" and iv["instances"][1]["is_latest_version"] is False,
       "inventory.instances: a platform name cut to its column's 50 characters, managed instance, not latest agent")
apps = [(a["instance_id"], a["name"], a["architecture"]) for a in iv["applications"]]
expect(apps == [(A1, "bash", "x86_64"), (A1, "glibc", "x86_64"), (A1, "glibc", "i686"), (A1, "openssl", "x86_64"),
                (A1, "python3", "x86_64"), (B2, "Microsoft Edge", ""), (B2, "7-Zip", "x86_64"), (MI, "nginx", "amd64")],
       "inventory.applications: both pages of one instance, the nameless entry left out, instance order",
       json.dumps(apps))
z = iv["applications"][6]
expect(len(z["version"]) == 100 and z["version"].startswith("24.08 x") and z["install_time"] == "20240801"
       and iv["applications"][4]["install_time"] == "" and all(len(a) == 7 for a in iv["applications"]),
       "inventory.applications: 7 fields, a version cut to 100, install times passed through as SSM stores them")
pt = [(p["instance_id"], p["title"], p["classification"], p["severity"], p["state"], p["installed_time"])
      for p in iv["patches"]]
expect(pt == [(A1, "kernel.x86_64:0:6.1.112-122.189.amzn2023", "Security", "Important", "Installed",
               "2026-11-19T03:00:00+00:00"),
              (A1, "openssl-libs.x86_64:1:3.0.8-1.amzn2023", "Normal", "None", "InstalledPendingReboot",
               "2026-11-19T23:59:59+00:00"),
              (B2, "2026-11 Cumulative Update for Microsoft server operating system version 21H2 for x64-based "
                   "Systems (KB5000001)", "SecurityUpdates", "Critical", "Installed", "2026-11-19T05:00:00+00:00"),
              (B2, "KB5000002", "Updates", "None", "InstalledOther", "2026-11-19T06:00:00+00:00")],
       "inventory.patches: installed on 2026-11-19, every page; empty classification/severity -> Normal/None; "
       "no title -> the KB id; neither -> left out", json.dumps(pt))
expect(secs["inventory"] == {**secs["inventory"], "status": "ok", "items": 18} and doc["logs"]["inventory_status"] == "Pass"
       and messages(doc, "inventory") == [], "inventory: ok, 18 items, Pass")

# ---- calls: every page, per-item calls, no GetInventory --------------------------
calls = {k: v for k, v in stats.items() if k.startswith(("config:", "ssm:"))}
expect(calls == {"config:DescribeConfigurationRecorders": 2, "config:DescribeConformancePacks": 2,
                 "config:DescribeConformancePackCompliance": 3, "config:DescribeComplianceByConfigRule": 3,
                 "config:GetComplianceDetailsByConfigRule": 10, "config:SelectResourceConfig": 3,
                 "ssm:DescribeInstanceInformation": 3, "ssm:ListInventoryEntries": 7,
                 "ssm:DescribeInstancePatches": 9},
       "calls: every page of every list, one walk per rule / pack / instance, no ssm:GetInventory pre-check",
       json.dumps(calls))

# ---- loaded --------------------------------------------------------------------
want_rows = {"config_reports": 1, "non_compliant_resources": 8, "config_inventory": 10, "inventory_instances": 6,
             "inventory_applications": 8, "inventory_patches": 4}
expect({k: tables.get(k) for k in want_rows} == want_rows, "loaded: the rows of the six tables",
       json.dumps({k: tables.get(k) for k in want_rows}))


def sql(q):
    p = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", q], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else "ERROR " + p.stderr.strip()


expect(sql("SELECT compliance_score, total_rules, curr_non_compliant, curr_compliant FROM config_reports") == "42.86|7|3|1"
       and sql("SELECT count(*) FROM non_compliant_resources WHERE conformance_pack = 'Standalone'") == "3",
       "loaded: config_reports' score and counts, the standalone rule's results")
expect(sql("SELECT i.instance_id, count(*) FROM inventory_patches p JOIN inventory_instances i ON i.id = p.instance_id "
           "GROUP BY 1 ORDER BY 1") == f"{A1}|2\n{B2}|2"
       and sql("SELECT count(*) FROM inventory_applications WHERE install_time IS NOT NULL") == "5"
       and sql("SELECT size_gb, volume_type FROM config_inventory WHERE resource_id = 'vol-0aaa0000000000001'") == "100|gp3",
       "loaded: patches per instance, ISO install times read (5 of 8), a Config volume")

# ---- errors and answers ------------------------------------------------------------


def sub(name, setup, *extra):
    """Collects WORKDIR/name with the injections setup() makes; the document and the calls made."""
    control("clear")
    control("reset")
    setup()
    rc, d, err = collect(work, name, *extra)
    st = control("stats")["calls"]
    control("clear")
    if rc != 0 or d is None:
        fail("%s: collect exit %s: %s" % (name, rc, err[-500:]))
        return None, {}
    return d, st


d, st = sub("cfg-none.json", lambda: (answer("config", "DescribeConfigurationRecorders", {"ConfigurationRecorders": []}),
                                      inject("ssm", "DescribeInstanceInformation", "AccessDeniedException")))
if d:
    s = d["metadata"]["sections"]
    cm, im = messages(d, "config"), messages(d, "config_inventory")
    expect(d["config"] == [] and d["config_inventory"] == [] and s["config"]["status"] == "skipped"
           and s["config_inventory"]["status"] == "skipped" and d["logs"]["config_status"] == "Fail"
           and len(cm) == 1 and len(im) == 1 and "not enabled in us-east-1 (no configuration recorder)" in cm[0],
           "no configuration recorder: config and config_inventory skipped ([]), the reason said", json.dumps(cm + im))
    expect({k: v for k, v in st.items() if k.startswith("config:")} == {"config:DescribeConfigurationRecorders": 2},
           "no configuration recorder: nothing else asked of AWS Config", json.dumps(st))
    msg = messages(d, "inventory")
    expect(d["inventory"] == [] and s["inventory"]["status"] == "failed" and len(msg) == 1
           and "ssm:DescribeInstanceInformation: access denied" in msg[0]
           and not any(k.startswith("ssm:") and k != "ssm:DescribeInstanceInformation" for k in st),
           "ssm:DescribeInstanceInformation denied: inventory failed ([]), said, no per-instance call", json.dumps(msg))

d, st = sub("cfg-denied.json", lambda: (inject("config", "DescribeConfigurationRecorders", "AccessDeniedException"),
                                        inject("ssm", "DescribeInstancePatches", "AccessDeniedException")))
if d:
    s = d["metadata"]["sections"]
    cm, im = messages(d, "config"), messages(d, "config_inventory")
    expect(d["config"] == [] and d["config_inventory"] == [] and s["config"]["status"] == "failed"
           and s["config_inventory"]["status"] == "failed" and len(cm) == 1 and len(im) == 1
           and all("config:DescribeConfigurationRecorders: access denied" in m for m in cm + im),
           "AWS Config denied: config and config_inventory failed ([]), said", json.dumps(cm + im))
    msg = messages(d, "inventory")
    iv2 = d["inventory"]
    expect(s["inventory"]["status"] == "partial" and iv2["patches"] == [] and len(iv2["applications"]) == 8
           and len(iv2["instances"]) == 6 and len(msg) == 6
           and all("ssm:DescribeInstancePatches: access denied" in m for m in msg)
           and d["logs"]["inventory_status"] == "Fail",
           "ssm:DescribeInstancePatches denied: inventory partial, patches [], applications kept, said per instance",
           json.dumps(msg))

d, st = sub("cfg-details.json", lambda: (inject("config", "GetComplianceDetailsByConfigRule", "AccessDeniedException"),
                                         inject("config", "SelectResourceConfig", "InvalidExpressionException"),
                                         inject("ssm", "ListInventoryEntries", "InvalidInstanceId")))
if d:
    s = d["metadata"]["sections"]
    cm = messages(d, "config")
    expect(s["config"]["status"] == "partial" and d["config"]["non_compliant_resources"] == []
           and d["config"]["total_rules"] == 7 and d["config"]["curr_non_compliant"] == 0 and len(cm) == 7
           and all("config:GetComplianceDetailsByConfigRule: access denied" in m for m in cm),
           "GetComplianceDetailsByConfigRule denied: config partial, rule counts kept, said per rule", json.dumps(cm))
    im = messages(d, "config_inventory")
    expect(s["config_inventory"]["status"] == "failed" and d["config_inventory"] == [] and len(im) == 1
           and im[0].startswith("config:SelectResourceConfig: "),
           "SelectResourceConfig refused (InvalidExpressionException): config_inventory failed ([]), said", json.dumps(im))
    expect(s["inventory"]["status"] == "ok" and d["inventory"]["applications"] == []
           and len(d["inventory"]["patches"]) == 4 and messages(d, "inventory") == [],
           "ListInventoryEntries InvalidInstanceId (instances gone meanwhile): no applications, nothing said, ok")

d, st = sub("cfg-gone.json", lambda: (inject("config", "GetComplianceDetailsByConfigRule", "NoSuchConfigRuleException"),
                                      inject("config", "DescribeConformancePacks", "AccessDeniedException")))
if d:
    s = d["metadata"]["sections"]
    cm = messages(d, "config")
    expect(s["config"]["status"] == "partial" and d["config"]["non_compliant_resources"] == [] and len(cm) == 1
           and "config:DescribeConformancePacks: access denied" in cm[0] and d["config"]["compliant_rules"] == 3,
           "rules gone meanwhile (NoSuchConfigRuleException): no results, nothing said; packs denied: said, partial",
           json.dumps(cm))
    expect(st.get("config:DescribeConformancePackCompliance") is None, "packs denied: no per-pack call")

d, st = sub("cfg-nopacks.json", lambda: inject("config", "DescribeConformancePacks", "AccessDeniedException"))
if d:
    r = d["config"]["non_compliant_resources"]
    expect(len(r) == 8 and all(x["conformance_pack"] is None for x in r)
           and d["metadata"]["sections"]["config"]["status"] == "partial",
           "packs unknown: every result's conformance_pack null (not a wrong 'Standalone'), partial")

d, st = sub("cfg-packgone.json", lambda: inject("config", "DescribeConformancePackCompliance",
                                                "NoSuchConformancePackException"))
if d:
    r = d["config"]["non_compliant_resources"]
    expect(len(r) == 8 and all(x["conformance_pack"] == "Standalone" for x in r) and messages(d, "config") == []
           and d["metadata"]["sections"]["config"]["status"] == "ok",
           "packs gone meanwhile (NoSuchConformancePackException): their rules standalone, ok, nothing said")

d, st = sub("cfg-norules.json", lambda: inject("config", "DescribeComplianceByConfigRule", "AccessDeniedException"))
if d:
    cm = messages(d, "config")
    expect(d["config"] == [] and d["metadata"]["sections"]["config"]["status"] == "failed" and len(cm) == 1
           and "config:DescribeComplianceByConfigRule: access denied" in cm[0]
           and "config:GetComplianceDetailsByConfigRule" not in st
           and d["metadata"]["sections"]["config_inventory"]["status"] == "ok",
           "DescribeComplianceByConfigRule denied: config failed ([]), said; config_inventory unaffected",
           json.dumps(cm))

# ---- other windows --------------------------------------------------------------------
d, st = sub("cfg-weekly.json", lambda: None, "--interval", "WEEKLY")
if d:
    c = d["config"]
    expect((c["date_from"], c["date_to"], len(c["non_compliant_resources"]), c["curr_non_compliant"],
            c["curr_compliant"], len(d["inventory"]["patches"])) == ("2026-11-16", "2026-11-22", 10, 3, 2, 5),
           "WEEKLY: results and patches of Monday 16 to Sunday 22 November",
           json.dumps([c["date_from"], c["date_to"], len(c["non_compliant_resources"]), c["curr_non_compliant"],
                       c["curr_compliant"], len(d["inventory"]["patches"])]))
d, st = sub("cfg-monthly.json", lambda: None, "--interval", "MONTHLY")
if d:
    c = d["config"]
    expect((c["date_from"], c["date_to"], len(c["non_compliant_resources"]), c["curr_non_compliant"],
            c["curr_compliant"], len(d["inventory"]["patches"])) == ("2026-11-01", "2026-11-30", 14, 4, 2, 6),
           "MONTHLY: results and patches of all November (1 November 00:00:00 in)",
           json.dumps([c["date_from"], c["date_to"], len(c["non_compliant_resources"]), c["curr_non_compliant"],
                       c["curr_compliant"], len(d["inventory"]["patches"])]))

# ---- check --------------------------------------------------------------------------
control("clear")
p = subprocess.run([os.environ["SENDER"], "check", "--region", "us-east-1"], capture_output=True, text=True)
lines = p.stdout.splitlines()
expect(any(l.split()[:3] == ["config", "DescribeConfigurationRecorders", "ok"] for l in lines if l.strip())
       and any(l.split()[:3] == ["ssm", "DescribeInstanceInformation", "ok"] for l in lines if l.strip()),
       "check: the config and ssm probes", p.stdout[-1500:])
control("clear")
inject("ssm", "DescribeInstanceInformation", "AccessDeniedException")
p = subprocess.run([os.environ["SENDER"], "check", "--region", "us-east-1"], capture_output=True, text=True)
control("clear")
expect(any(l.split()[:4] == ["ssm", "DescribeInstanceInformation", "DENIED", "(AccessDeniedException)"]
           for l in p.stdout.splitlines() if l.strip()) and p.returncode == 1,
       "check: a denied ssm probe says DENIED, exit 1", p.stdout[-1500:])

finish()
