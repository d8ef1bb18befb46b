#!/usr/bin/env python3
"""Checks a mao-sender document against what seed.py seeded.

    check_doc.py DOC EXPECT_JSON full       every implemented section complete
    check_doc.py DOC EXPECT_JSON no-kms     KMS denied: only security.kms failed

Prints one "ok:"/"FAIL:" line per check; exit status 1 if any failed.
"""
import json
import sys

doc_path, expect_path, mode = sys.argv[1:4]
doc = json.load(open(doc_path))
exp = json.load(open(expect_path))
bad = 0


def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond


ORDER = ["account", "config", "service", "cost", "security", "inventory", "marketplace",
         "trusted_advisor", "health", "application", "resilience_hub", "service_resources",
         "compute_optimizer", "ri_sp_savings", "config_inventory", "support_tickets", "logs", "metadata"]
check(list(doc) == ORDER, "the 17 sections of the format in order, then metadata")
meta = doc["metadata"]
secs = meta["sections"]
check(meta["sender"] == "mao-sender" and meta["sender_version"] and meta["collected_at"].endswith("+00:00"),
      "metadata: sender, version, collected_at")
check(meta["window"] == {"start": "2026-11-19", "end": "2026-11-20"} and meta["interval"] == "DAILY",
      "metadata: the DAILY window of 2026-11-20")
# moto answers HTTP 500 to every Compute Optimizer, Savings Plans and reserved-capacity call, so these
# sections fail here (test/suites/91-sender-fixtures checks them against fixtures)
moto_lacks = ("compute_optimizer", "ri_sp_savings", "inventory")
# moto's account has no AWS Config recorder: config and config_inventory are skipped, said
no_recorder = ("config", "config_inventory")
check(all(doc[k] == [] and secs[k]["status"] == "failed" and doc["logs"][k + "_status"] == "Fail"
          and any(k in m for m in doc["logs"]["message"]) for k in moto_lacks),
      "compute_optimizer, ri_sp_savings and inventory: moto lacks their APIs: [], failed, said")
check(all(doc[k] == [] and secs[k]["status"] == "skipped" and doc["logs"][k + "_status"] == "Fail"
          and any("no configuration recorder" in m.get(k, "") for m in doc["logs"]["message"]) for k in no_recorder),
      "config and config_inventory: no configuration recorder in moto: [], skipped, the reason said")
check(all(secs[k]["status"] != "not_implemented" for k in ORDER[:16]) and "security" in secs,
      "every section has a collector (none not_implemented)")
logs = doc["logs"]
check(len([k for k in logs if k.endswith("_status")]) == 16
      and all(logs[k + "_status"] == "Fail" for k in moto_lacks + no_recorder)
      and logs["service_resources_status"] == "Pass", "logs: 16 statuses, Fail for what could not be collected")
areas = [next(iter(m)) for m in logs["message"]]
check(doc["support_tickets"] == [] and secs["support_tickets"]["status"] == "ok",
      "support_tickets: none created in the window (the cases are from today)")
check(all(len(m) == 1 for m in logs["message"]) and "config" in areas and "inventory" in areas,
      "logs.message: one-key objects naming what was not collected")

# the operations sections: Health, Trusted Advisor, Application Signals and the Marketplace
# query from the fixture endpoint (test/sender/fixture_checks/check_ops.py checks their
# values), Resilience Hub from moto, where nothing is seeded
check(all(secs[k]["status"] == "ok" and secs[k]["items"] == n and len(doc[k]) == n
          for k, n in (("trusted_advisor", 6), ("health", 12), ("application", 8), ("marketplace", 5),
                       ("resilience_hub", 0))),
      "trusted_advisor, health, application, marketplace, resilience_hub collected")

acct = doc["account"]
check(acct["account_id"] == exp["account"] and acct["partner_name"] == "Partner One"
      and acct["customer_name"] == "None" and acct["region"] == "us-east-1" and len(acct) == 15,
      "account: id from STS, metadata parameters, 15 fields")
check(acct["alternate_contacts"] == {"billing": {"name": "Ada Billing", "title": "CFO",
                                                 "email": "billing@example.com", "phone": "+1-555-0100"},
                                     "operations": None, "security": None},
      "account: alternate contacts (billing seeded, others null)")

svc = doc["service"]
check([[r["service"], r["cost"]] for r in svc] == exp["service"]
      and all(len(r) == 8 and r["usage_types"] == "Aggregated" and r["currency"] == "USD"
              and r["date_from"] == "2026-11-19" and r["date_to"] == "2026-11-20" for r in svc)
      and secs["service"]["status"] == "ok",
      "service: one row per service from Cost Explorer, highest cost first, 8 fields")
cost = doc["cost"]
check(cost["account_id"] == exp["account"] and cost["current_period_cost"] == 79.25
      and cost["previous_period_cost"] == 63.4 and abs(cost["cost_difference"] - 15.85) < 1e-9
      and cost["cost_difference_percentage"] == 25.0
      and cost["period"] == {"start": "2026-11-19", "end": "2026-11-20", "granularity": "DAILY"},
      "cost: window and previous window totals, difference, percentage, period")
check(cost["top_services"] == [{"service": n, "cost": c} for n, c in exp["service"][:5]],
      "cost: the top 5 services")
check(cost["forecast"] == [] and any("Forecast unavailable" in m for m in logs["message"])
      and secs["cost"]["status"] == "partial",
      "cost: moto has no GetCostForecast: forecast [] and 'Forecast unavailable' said, status partial")

rows = doc["service_resources"]
check(all(len(r) == 21 for r in rows), "service_resources: 21 fields per row")
by = {}
for r in rows:
    by.setdefault(r["service_name"], []).append(r)
for svc in ["EC2", "EBS", "VPC", "RDS", "ELB", "AutoScaling", "Lambda"]:
    got = sorted(r["resource_id"] for r in by.get(svc, []))
    check(got == exp[svc], f"service_resources: every {svc} resource ({len(exp[svc])}, several pages)")
# S3 goes to AWS_ENDPOINT_URL_S3, the proxy in front of the upload bucket's moto
s3rows = by.get("S3", [])
check([r["resource_id"] for r in s3rows] == ["mao-data"] and s3rows[0]["state"] == "Active"
      and s3rows[0]["creation_date"].endswith("+00:00") and s3rows[0]["availability_zone"] is None,
      "service_resources: S3 buckets (ListBuckets through the S3 endpoint)")
vm = [r for r in by.get("EC2", []) if r["resource_name"] == "mao-vm-3"]
check(len(vm) == 1 and vm[0]["instance_type"] == "t3.micro" and vm[0]["vpc_id"].startswith("vpc-")
      and vm[0]["state"] == "running" and vm[0]["availability_zone"].startswith("us-east-1"),
      "service_resources: an EC2 row's fields")
db = [r for r in by.get("RDS", []) if r["resource_id"] == "mao-db-04"]
check(len(db) == 1 and db[0]["engine"] == "postgres" and db[0]["instance_class"] == "db.t3.micro"
      and db[0]["multi_az"] is True, "service_resources: an RDS row's fields")
vol = [r for r in by.get("EBS", []) if r["resource_name"] == "mao-vol-5"]
check(len(vol) == 1 and vol[0]["size_gb"] == 15 and vol[0]["volume_type"] == "gp3", "service_resources: an EBS row")
fn = [r for r in by.get("Lambda", []) if r["resource_name"] == "mao-fn-01"]
check(len(fn) == 1 and fn[0]["size_gb"] == 0.25 and fn[0]["engine"] == "python3.12"
      and fn[0]["availability_zone"] == "Generic", "service_resources: a Lambda row (the reference's columns)")
g = {r["resource_id"]: r for r in by.get("AutoScaling", [])}
check(g.get("mao-asg-0", {}).get("state") == "Active" and g.get("mao-asg-5", {}).get("state") == "Inactive"
      and g["mao-asg-5"]["max_size"] == 3, "service_resources: Auto Scaling groups' state and sizes")
check(secs["service_resources"]["status"] == "ok" and secs["service_resources"]["items"] == len(rows),
      "metadata: service_resources ok with its item count")

sec = doc["security"]
check(list(sec) == ["security_hub", "guard_duty", "kms", "waf", "waf_rules", "cloudtrail",
                    "secrets_manager", "certificate_manager", "inspector"], "security: the 9 keys in order")
parts = secs["security"]["parts"]
check(sorted(s["name"] for s in sec["secrets_manager"]) == exp["secrets_manager"]
      and all(len(s) == 10 and s["tags"] == [{"Key": "team", "Value": "mao"}] for s in sec["secrets_manager"]),
      "security.secrets_manager: every secret, 10 fields")
check(sorted(c["arn"] for c in sec["certificate_manager"]) == exp["certificate_manager"]
      and all(len(c) == 14 for c in sec["certificate_manager"])
      and any("www.app3.example.com" in c["subject_alternative_names"] for c in sec["certificate_manager"]),
      "security.certificate_manager: every certificate, 14 fields")
check(sorted(t["name"] for t in sec["cloudtrail"]) == exp["cloudtrail"]
      and [t["is_logging"] for t in sorted(sec["cloudtrail"], key=lambda t: t["name"])] == [True, False],
      "security.cloudtrail: every trail with its status")
shub = sec["security_hub"]
check([(g["service"], g["total_findings"]) for g in shub] == sorted(exp["security_hub"].items(), key=lambda x: -x[1])
      and all(len(g) == 6 and len(g["severity_counts"]) == 5 for g in shub)
      and all(len(f) == 20 for g in shub for f in g["findings"]),
      "security.security_hub: findings grouped by product, largest first, deduplicated, 20 fields")
gd = shub[0] if shub else {}
check(gd.get("severity_counts") == {"CRITICAL": 2, "HIGH": 2, "MEDIUM": 2, "LOW": 1, "INFORMATIONAL": 0}
      and gd.get("resolved_findings") == 2 and gd.get("open_findings") == 5
      and next(f for f in gd["findings"] if f["finding_id"] == "mao-finding-01")["recommendation"] == "fix 1"
      and next(f for f in gd["findings"] if f["finding_id"] == "mao-finding-01")["service"] == "AwsEc2Instance",
      "security.security_hub: severity counts, open and resolved, a finding's fields")
# no GuardDuty detector (moto has no ListFindings) and no Inspector findings (moto cannot make them)
check(sec["guard_duty"] == [] and sec["inspector"] == [], "security.guard_duty and inspector: asked, nothing there")
acls = {a["name"]: a for a in sec["waf"]}
check(sorted(acls) == sorted([f"mao-acl-{i}" for i in range(7)] + ["mao-cf"])
      and all(len(a) == 23 for a in sec["waf"]), "security.waf: every web ACL of both scopes, 23 fields")
a0 = acls.get("mao-acl-0", {})
check(a0.get("scope") == "REGIONAL" and a0.get("rules_count") == 4 and a0.get("managed_rules_count") == 1
      and a0.get("rate_limit_rules_count") == 1 and a0.get("custom_rules_count") == 2
      and a0.get("logging_enabled") is True
      and len(a0.get("log_destinations", [])) == 1 and a0.get("geo_blocking_enabled") is True
      and sorted(a0.get("blocked_countries", [])) == ["IR", "KP"] and len(a0.get("ip_sets", [])) == 1
      and a0.get("default_action") == {"Allow": {}},
      "security.waf: an ACL's counts, logging, geo blocking and IP sets")
# moto 5.2 has no ListResourcesForWebACL (HTTP 500): said, and the part is partial
check(a0.get("associated_resources") == [] and parts["waf"]["status"] == "partial"
      and len([m for m in logs["message"] if "ListResourcesForWebACL" in m.get("waf", "")]) == 7,
      "security.waf: moto lacks ListResourcesForWebACL: said once per regional ACL, part partial")
check(acls.get("mao-cf", {}).get("scope") == "CLOUDFRONT" and acls["mao-cf"]["default_action"] == {"Block": {}},
      "security.waf: the CloudFront ACL (us-east-1)")
wr = [r for r in sec["waf_rules"] if r["web_acl_name"] == "mao-acl-0"]
byname = {r["rule_name"]: r for r in wr}
check(len(sec["waf_rules"]) == 4 + 6 + 1 and all(len(r) == 17 for r in sec["waf_rules"])
      and byname["aws-common"]["is_managed_rule"] and byname["aws-common"]["sql_injection"]
      and byname["aws-common"]["action"] == {"None": {}} and byname["rate"]["rate_limit"]
      and byname["geo"]["geo_blocking"] and byname["ips"]["is_compliant"]
      and byname["ips"]["statement_type"] == "IPSetReferenceStatement" and byname["geo"]["logging_enabled"],
      "security.waf_rules: one row per rule, 17 fields, the rule flags")
if mode == "full":
    check(sorted(k["key_id"] for k in sec["kms"]) == exp["kms"] and all(len(k) == 8 for k in sec["kms"]),
          "security.kms: every key with a rotation status (the asymmetric one skipped), 8 fields")
    check(secs["security"]["status"] == "partial" and logs["security_status"] == "Fail",
          "security: partial (waf), logs Fail")
    check(all(parts[p]["status"] == "ok"
              for p in ["kms", "secrets_manager", "certificate_manager", "cloudtrail", "security_hub",
                        "guard_duty", "inspector"]),
          "metadata: the implemented security parts ok")
else:
    check(sec["kms"] == [] and parts["kms"]["status"] == "failed" and secs["security"]["status"] == "partial",
          "no-kms: security.kms failed and empty, security partial")
    kms_msgs = [m["kms"] for m in logs["message"] if "kms" in m]
    check(len(kms_msgs) == 1 and "access denied" in kms_msgs[0] and "AccessDenied" in kms_msgs[0],
          "no-kms: one logs.message under kms saying access denied")
    check(all(parts[p]["status"] == "ok" for p in ["secrets_manager", "certificate_manager", "cloudtrail"])
          and secs["service_resources"]["status"] == "ok",
          "no-kms: every other part and section as before")
sys.exit(1 if bad else 0)
