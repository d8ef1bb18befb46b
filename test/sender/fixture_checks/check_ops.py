#!/usr/bin/env python3
"""Operations sections from the fixtures: trusted_advisor, health, application,
resilience_hub and marketplace.

Every expected value is worked out here from the fixture files themselves
(test/fixtures/aws/), so a check only passes when the sender read what the
API answered: every field of every row, the rows across pages, the calls
made, and the loaded tables' row counts.  Then the bad cases, each in its
own collection: not subscribed (skipped), access denied (failed, or partial
for one per-item call), throttled twice (retried, ok); and boto3 reading the
same fixtures through the endpoint (their shapes are the APIs').
"""
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.request

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixturecheck import collect, control, expect, finish, inject, load, messages  # noqa: E402

work = sys.argv[1]
top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
fixtures = os.path.join(top, "test", "fixtures", "aws")
doc, stats, tables = load(work), load(work, "stats.json"), load(work, "tables.json")
secs = doc["metadata"]["sections"]
calls = stats["calls"]
FROM, TO = 1795046400, 1795132800   # the window of --date 2026-11-20: 2026-11-19 00:00 .. 2026-11-20 00:00 UTC


def fx(name):
    with open(os.path.join(fixtures, name)) as f:
        return json.load(f)


def iso(epoch):
    """Epoch seconds as the document writes them."""
    return None if epoch is None else \
        datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat()


def psql(sql):
    return subprocess.run(["psql", "-X", "-At", "-c", sql], capture_output=True, text=True).stdout.strip()


def collect_with(name, injections, *extra):
    """Collects into WORKDIR/name with these errors injected, each (service, operation, code, count, message);
    (document or None, stderr, the endpoint's stats for that collection)."""
    control("reset")
    for svc, op, code, count, message in injections:
        inject(svc, op, code, count=count, message=message)
    try:
        _, d, err = collect(work, name, *extra)
        return d, err, control("stats")
    finally:
        control("clear")


def section_ok(d, key, items):
    s = d["metadata"]["sections"][key]
    return s["status"] == "ok" and s["items"] == items and len(d[key]) == items


# ---- trusted_advisor ---------------------------------------------------------
checks = fx("support-DescribeTrustedAdvisorChecks.json")["pages"][0]["checks"]
results = {r["match"]["checkId"]: r["pages"][0]["result"] for r in fx("support-DescribeTrustedAdvisorCheckResult.json")}
ta_expect = []
for c in checks:
    r = results[c["id"]]
    if r["status"] in ("warning", "error") and r["resourcesSummary"]["resourcesFlagged"] >= 1:
        ta_expect.append({
            "check_name": c["name"], "category": c["category"], "severity": r["status"],
            "recommendation": c["description"], "affected_resources_count": r["resourcesSummary"]["resourcesFlagged"],
            "potential_savings": r["categorySpecificSummary"].get("costOptimizing", {}).get("estimatedMonthlySavings"),
            "timestamp": r["timestamp"].replace("Z", "+00:00")})
expect(len(ta_expect) == 6 and doc["trusted_advisor"] == ta_expect and section_ok(doc, "trusted_advisor", 6),
       "trusted_advisor: the 6 warning/error checks with flagged resources, every field, in the checks' order",
       json.dumps(doc["trusted_advisor"])[:600])
old = [r for r in doc["trusted_advisor"] if r["timestamp"] < "2026-11-19"]
expect(sorted(r["check_name"] for r in old) == ["Idle Load Balancers", "Security Groups - Specific Ports Unrestricted"],
       "trusted_advisor: checks last refreshed before the window are kept, with their own timestamp", str(old))
expect(calls.get("support:DescribeTrustedAdvisorChecks") == 1
       and calls.get("support:DescribeTrustedAdvisorCheckResult") == len(checks),
       "trusted_advisor: one DescribeTrustedAdvisorCheckResult per check (%d)" % len(checks), str(calls))
expect(tables.get("trusted_advisor_checks") == 6, "trusted_advisor: 6 rows loaded into trusted_advisor_checks",
       str(tables.get("trusted_advisor_checks")))
expect(psql("SELECT potential_savings::float8, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
            "FROM trusted_advisor_checks WHERE check_name = 'Low Utilization Amazon EC2 Instances'")
       == "123.45|2026-11-19 06:12:44", "trusted_advisor: savings and timestamp loaded as sent")

# ---- health ------------------------------------------------------------------
hfx = fx("health-DescribeEvents.json")[0]
events = [e for p in hfx["pages"] for e in p["events"]]
h_expect = [{"arn": e["arn"], "service": e["service"], "event_type_code": e["eventTypeCode"],
             "event_type_category": e["eventTypeCategory"], "region": e.get("region"),
             "availability_zone": e.get("availabilityZone"), "start_time": iso(e["startTime"]),
             "end_time": iso(e.get("endTime")), "last_updated_time": iso(e.get("lastUpdatedTime")),
             "status_code": e["statusCode"], "event_scope_code": e.get("eventScopeCode")} for e in events]
expect(len(h_expect) == 12 and doc["health"] == h_expect and section_ok(doc, "health", 12),
       "health: the 12 events of 3 pages, every field (epoch seconds as ISO 8601)", json.dumps(doc["health"])[:600])
expect(hfx["match"]["filter"] == {"startTimes": [{"from": FROM, "to": TO}]} and calls.get("health:DescribeEvents") == 3,
       "health: filter startTimes = the window, maxResults 10, every page via nextToken (3 calls)", str(calls))
expect(tables.get("health_events") == 12, "health: 12 rows loaded into health_events", str(tables.get("health_events")))

# ---- application -------------------------------------------------------------
afx = fx("application-signals-ListServices.json")
day1 = [s for p in afx[0]["pages"] for s in p["ServiceSummaries"]]
a_expect = [{"service_name": s["KeyAttributes"]["Name"], "namespace": s["KeyAttributes"]["Environment"],
             "key_attributes": s["KeyAttributes"]} for s in day1]
expect(len(a_expect) == 8 and doc["application"] == a_expect and section_ok(doc, "application", 8),
       "application: the 8 services of 2 pages as {service_name, namespace = Environment, key_attributes}",
       json.dumps(doc["application"])[:600])
expect(calls.get("application-signals:ListServices") == 2,
       "application: ListServices with StartTime/EndTime = the window and MaxResults, every page", str(calls))
expect(tables.get("application_signals") == 8, "application: 8 rows loaded into application_signals",
       str(tables.get("application_signals")))
expect(psql("SELECT key_attributes->>'Environment' FROM application_signals WHERE service_name = 'checkout' "
            "ORDER BY namespace") == "eks:shop-prod/payments\neks:shop-staging/payments",
       "application: one service name in two environments is two rows")

# ---- resilience_hub ------------------------------------------------------------
apps = [a for p in fx("resiliencehub-ListApps.json")[0]["pages"] for a in p["appSummaries"]]
policy_of = {d["match"]["appArn"]: d["pages"][0]["app"].get("policyArn") for d in fx("resiliencehub-DescribeApp.json")}
az = {p["match"]["policyArn"]: p["pages"][0]["policy"]["policy"]["AZ"] for p in fx("resiliencehub-DescribeResiliencyPolicy.json")}
per_month = {"Monthly": 1, "Hourly": 730, "Daily": 730 / 24, "Yearly": 1 / 12}


def newest_cost(arn):
    for f in fx("resiliencehub-ListAppAssessments.json"):
        if f["match"]["appArn"] == arn:
            for p in f["pages"]:
                for a in p["assessmentSummaries"]:
                    if "cost" in a:
                        return a["cost"]["amount"] * per_month[a["cost"]["frequency"]]
    return None


def kept(a):
    return any(FROM <= a.get(k, -1) < TO for k in ("creationTime", "lastAppComplianceEvaluationTime"))


r_expect = []
for a in filter(kept, apps):
    pol = az.get(policy_of.get(a["appArn"]), {})
    r_expect.append({"app_arn": a["appArn"], "name": a["name"], "description": a.get("description"),
                     "creation_time": iso(a["creationTime"]),
                     "last_assessment_time": iso(a.get("lastAppComplianceEvaluationTime")),
                     "compliance_status": a["complianceStatus"], "resiliency_score": a.get("resiliencyScore"),
                     "status": a["status"], "rpo": pol.get("rpoInSecs"), "rto": pol.get("rtoInSecs"),
                     "last_drill": None, "cost": newest_cost(a["appArn"])})
expect([r["name"] for r in r_expect] == ["checkout-prod", "orders-new", "search-prod", "inventory-prod"]
       and doc["resilience_hub"] == r_expect and section_ok(doc, "resilience_hub", 4),
       "resilience_hub: the 4 of 7 apps (2 pages) created or assessed in the window, every field "
       "(AZ rpo/rto of their policy, the newest assessment's cost per month)", json.dumps(doc["resilience_hub"])[:800])
expect([r["cost"] for r in doc["resilience_hub"]] == [412.8, None, 365.0, 100.0],
       "resilience_hub: cost monthly 412.8, none, hourly 0.5 x 730, yearly 1200 / 12")
expect(calls.get("resiliencehub:ListApps") == 2 and calls.get("resiliencehub:DescribeApp") == 4
       and calls.get("resiliencehub:DescribeResiliencyPolicy") == 2 and calls.get("resiliencehub:ListAppAssessments") == 5,
       "resilience_hub: ListApps every page, DescribeApp per kept app, each policy once, "
       "assessments until the newest with a cost", str(calls))
expect(tables.get("resilience_hub_apps") == 4, "resilience_hub: 4 rows loaded into resilience_hub_apps",
       str(tables.get("resilience_hub_apps")))
expect(psql("SELECT rpo, rto, cost::float8, resiliency_score::float8 FROM resilience_hub_apps WHERE name = 'search-prod'")
       == "3600|14400|365|61", "resilience_hub: rpo, rto, cost and score loaded as sent")

# ---- marketplace -------------------------------------------------------------
mfx = fx("ce-GetCostAndUsage-marketplace.json")
m_expect = [{"product_code": g["Keys"][0], "product_name": g["Keys"][0],
             "cost_consumed": float(g["Metrics"]["UnblendedCost"]["Amount"]),
             "currency": g["Metrics"]["UnblendedCost"]["Unit"], "period_start": r["TimePeriod"]["Start"],
             "period_end": r["TimePeriod"]["End"], "status": "estimated" if r["Estimated"] else "final"}
            for p in mfx["pages"] for r in p["ResultsByTime"] for g in r["Groups"]]
expect(len(m_expect) == 5 and doc["marketplace"] == m_expect and section_ok(doc, "marketplace", 5),
       "marketplace: 5 products' daily cost from 2 pages (BILLING_ENTITY AWS Marketplace, this account, by SERVICE)",
       json.dumps(doc["marketplace"])[:600])
expect(tables.get("marketplace_usage") == 5, "marketplace: 5 rows loaded into marketplace_usage",
       str(tables.get("marketplace_usage")))
expect(psql("SELECT cost_consumed::float8, period_start, status FROM marketplace_usage "
            "WHERE product_code = 'Splunk Cloud Platform'") == "48.3871|2026-11-19|estimated",
       "marketplace: cost, day and status loaded as sent")

# ---- a WEEKLY window: Application Signals asked day by day ---------------------
wk, err, st = collect_with("ops-weekly.json", [], "--interval", "WEEKLY")
st = st["calls"]
names = sorted((r["service_name"], r["namespace"]) for r in (wk or {}).get("application", []))
expect(len(names) == 9 and len(set(names)) == 9 and ("billing", "ecs:shop-cluster") in names
       and st.get("application-signals:ListServices") == 8,
       "application: a week is 7 one-day ListServices spans (8 calls with the 2 pages), a service seen twice kept once",
       "%s %s" % (names, st))

# ---- not subscribed: skipped ---------------------------------------------------
NOT_SUBSCRIBED = "AWS Premium Support Subscription is required"
d, err, _ = collect_with("ops-unsubscribed.json", [
    ("health", "DescribeEvents", "SubscriptionRequiredException", -1, NOT_SUBSCRIBED),
    ("support", "DescribeTrustedAdvisorChecks", "SubscriptionRequiredException", -1, NOT_SUBSCRIBED),
    ("ce", "GetCostAndUsage", "DataUnavailableException", -1, "Data is not available")])
if d is None:
    expect(False, "not subscribed: a document", err)
else:
    for key, area in (("health", "health"), ("trusted_advisor", "trusted_advisor"), ("marketplace", "marketplace")):
        m = messages(d, area)
        expect(d["metadata"]["sections"][key]["status"] == "skipped" and d[key] == [] and d["logs"][key + "_status"] == "Fail"
               and any("not enabled or not subscribed" in x for x in m),
               "%s: not subscribed -> skipped, [], the reason under logs.message.%s" % (key, area), str(m))
    expect(section_ok(d, "application", 8) and section_ok(d, "resilience_hub", 4) and d["metadata"]["sections"]["support_tickets"]["status"] == "ok",
           "not subscribed: the other sections are intact")

# ---- access denied: failed -----------------------------------------------------
DENIED = "User is not authorized to perform this action"
d, err, st = collect_with("ops-denied.json", [
    (svc, op, "AccessDeniedException", -1, DENIED)
    for svc, op in (("health", "DescribeEvents"), ("support", "DescribeTrustedAdvisorCheckResult"),
                    ("resiliencehub", "ListApps"), ("application-signals", "ListServices"), ("ce", "GetCostAndUsage"))],
    "--max-in-flight", "2")
st = st["calls"]
if d is None:
    expect(False, "denied: a document", err)
else:
    for key, area, what in (("health", "health", "health:DescribeEvents"),
                            ("trusted_advisor", "trusted_advisor", "support:DescribeTrustedAdvisorCheckResult"),
                            ("resilience_hub", "resilience_hub", "resiliencehub:ListApps"),
                            ("application", "application_signals", "application-signals:ListServices"),
                            ("marketplace", "marketplace", "ce:GetCostAndUsage")):
        m = messages(d, area)
        expect(d["metadata"]["sections"][key]["status"] == "failed" and d[key] == [] and d["logs"][key + "_status"] == "Fail"
               and any(x.startswith(what) and "access denied" in x for x in m),
               "%s: access denied -> failed, [], '%s: access denied' under logs.message.%s" % (key, what, area), str(m))
    expect(st.get("support:DescribeTrustedAdvisorCheckResult", 0) <= 2,
           "trusted_advisor: a denied result stops the other per-check calls (at most one per worker: "
           "2 at --max-in-flight 2, of %d checks)" % len(fx("support-DescribeTrustedAdvisorChecks.json")["pages"][0]["checks"]), str(st))
    expect(d["metadata"]["sections"]["support_tickets"]["status"] == "ok"
           and d["metadata"]["sections"]["service_resources"]["status"] == "ok"
           and d["metadata"]["sections"]["security"]["status"] == "ok",
           "denied: the rest of the document is intact")

# ---- one per-item call refused: partial ------------------------------------------
d, err, _ = collect_with("ops-partial.json", [
    ("support", "DescribeTrustedAdvisorCheckResult", "InvalidParameterValueException", 1, "Invalid checkId"),
    ("resiliencehub", "DescribeResiliencyPolicy", "AccessDeniedException", 1, DENIED)])
if d is None:
    expect(False, "partial: a document", err)
else:
    ta = d["trusted_advisor"]
    expect(d["metadata"]["sections"]["trusted_advisor"]["status"] == "partial" and len(ta) >= 5
           and all(r in ta_expect for r in ta)
           and any("DescribeTrustedAdvisorCheckResult" in x for x in messages(d, "trusted_advisor")),
           "trusted_advisor: one unreadable result -> partial, the others kept, the check named in logs.message",
           json.dumps(messages(d, "trusted_advisor")))
    rh = d["resilience_hub"]
    expect(d["metadata"]["sections"]["resilience_hub"]["status"] == "partial"
           and [r["app_arn"] for r in rh] == [r["app_arn"] for r in r_expect]
           and any(r["rpo"] is None and r_expect[i]["rpo"] is not None for i, r in enumerate(rh))
           and any("resiliencehub:DescribeResiliencyPolicy: access denied" in x for x in messages(d, "resilience_hub")),
           "resilience_hub: a denied policy -> partial, every app still listed, its rpo/rto null",
           json.dumps(messages(d, "resilience_hub")))

# ---- throttled twice: retried, ok ------------------------------------------------
d, err, st = collect_with("ops-throttled.json", [
    (svc, op, "ThrottlingException", 2, "Rate exceeded")
    for svc, op in (("health", "DescribeEvents"), ("support", "DescribeTrustedAdvisorChecks"),
                    ("support", "DescribeTrustedAdvisorCheckResult"), ("resiliencehub", "DescribeApp"),
                    ("resiliencehub", "ListApps"), ("application-signals", "ListServices"), ("ce", "GetCostAndUsage"))])
injected = st["injected"]
if d is None:
    expect(False, "throttled: a document", err)
else:
    expect(injected == 14 and section_ok(d, "health", 12) and section_ok(d, "trusted_advisor", 6)
           and section_ok(d, "resilience_hub", 4) and section_ok(d, "application", 8)
           and d["marketplace"] == m_expect and d["health"] == h_expect and d["trusted_advisor"] == ta_expect
           and d["resilience_hub"] == r_expect,
           "throttled twice (ThrottlingException x2 per operation, per-item calls of the worker pool included): "
           "retried, every section ok and complete",
           "injected %s, %s" % (injected, {k: d["metadata"]["sections"][k] for k in
                                          ("health", "trusted_advisor", "resilience_hub", "application", "marketplace")}))

# ---- the per-check calls overlap ----------------------------------------------------
# A second endpoint, each answer 150 ms late, serves only the Trusted Advisor fixtures and
# is the only Support endpoint: with one worker (--max-in-flight 2) at most 2 requests are
# ever in flight there (DescribeCases of support_tickets and one Trusted Advisor call);
# with the pool (--max-in-flight 8: up to 8 workers) several results are asked at once.
side = os.path.join(work, "ops-side")
os.makedirs(side, exist_ok=True)
for name in ("support-DescribeTrustedAdvisorChecks.json", "support-DescribeTrustedAdvisorCheckResult.json"):
    with open(os.path.join(side, name), "w") as f:
        json.dump(fx(name), f)
port_file = os.path.join(work, "ops-side.port")
proc = subprocess.Popen([sys.executable, os.path.join(top, "test", "fakes", "aws_fixtures.py"), "--fixtures", side,
                         "--latency-ms", "150", "--port-file", port_file],
                        env=dict(os.environ, MAO_PROXY_CREDENTIALS="%s:%s" % (os.environ["AWS_ACCESS_KEY_ID"],
                                                                             os.environ["AWS_SECRET_ACCESS_KEY"])),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        if os.path.exists(port_file):
            break
        time.sleep(0.1)
    side_url = "http://127.0.0.1:%s" % open(port_file).read().strip()
    seen = {}
    for n in ("2", "8"):
        urllib.request.urlopen(urllib.request.Request(side_url + "/__fixtures/reset", data=b"{}"), timeout=10).read()
        os.environ["AWS_ENDPOINT_URL_SUPPORT"] = side_url
        _, d, err = collect(work, "ops-pool-%s.json" % n, "--max-in-flight", n)
        del os.environ["AWS_ENDPOINT_URL_SUPPORT"]
        with urllib.request.urlopen(side_url + "/__fixtures/stats", timeout=10) as r:
            sst = json.loads(r.read())
        seen[n] = (d["trusted_advisor"] if d else None, d["metadata"]["sections"]["trusted_advisor"]["ms"] if d else None,
                   sst["max_in_flight"], sst["rejected"])
    expect(seen["2"][0] == ta_expect and seen["8"][0] == ta_expect and seen["2"][3] == 0 and seen["8"][3] == 0
           and seen["2"][2] <= 2 and seen["8"][2] >= 3,
           "trusted_advisor: the results are asked several at once by the worker pool, same rows in the same order "
           "(--max-in-flight 2: %s ms, at most %s in flight; 8: %s ms, %s in flight)"
           % (seen["2"][1], seen["2"][2], seen["8"][1], seen["8"][2]), str(seen))
finally:
    proc.terminate()
    proc.wait()

# ---- boto3 reads the same fixtures through the endpoint --------------------------
kw = dict(endpoint_url=os.environ["FIXTURES_URL"], region_name="us-east-1")
try:
    h = boto3.client("health", **kw)
    ev = [e for p in h.get_paginator("describe_events").paginate(
        filter={"startTimes": [{"from": datetime.datetime.fromtimestamp(FROM, datetime.timezone.utc),
                                "to": datetime.datetime.fromtimestamp(TO, datetime.timezone.utc)}]},
        PaginationConfig={"PageSize": 10}) for e in p["events"]]
    sup = boto3.client("support", **kw)
    res = [sup.describe_trusted_advisor_check_result(checkId=c["id"], language="en")["result"]
           for c in sup.describe_trusted_advisor_checks(language="en")["checks"]]
    sig = boto3.client("application-signals", **kw)
    sv = [s for p in sig.get_paginator("list_services").paginate(
        StartTime=datetime.datetime.fromtimestamp(FROM, datetime.timezone.utc),
        EndTime=datetime.datetime.fromtimestamp(TO, datetime.timezone.utc), PaginationConfig={"PageSize": 5})
          for s in p["ServiceSummaries"]]
    rh = boto3.client("resiliencehub", **kw)
    page, ra = rh.list_apps(maxResults=5), []   # boto3 has no paginator for ListApps
    while True:
        ra += page["appSummaries"]
        if "nextToken" not in page:
            break
        page = rh.list_apps(maxResults=5, nextToken=page["nextToken"])
    one = rh.list_app_assessments(appArn=apps[3]["appArn"], assessmentStatus=["Success"], reverseOrder=True, maxResults=5)
    pol = rh.describe_resiliency_policy(policyArn=policy_of[apps[0]["appArn"]])["policy"]
    ce = boto3.client("ce", **kw)
    body = dict(TimePeriod={"Start": "2026-11-19", "End": "2026-11-20"}, Granularity="DAILY", Metrics=["UnblendedCost"],
                GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}], Filter=mfx["match"]["Filter"])
    p1 = ce.get_cost_and_usage(**body)
    p2 = ce.get_cost_and_usage(NextPageToken=p1["NextPageToken"], **body)
    expect(len(ev) == 12 and ev[0]["startTime"].isoformat() == h_expect[0]["start_time"]
           and len(res) == len(checks) and all(isinstance(r["resourcesSummary"]["resourcesFlagged"], int) for r in res)
           and len(sv) == 8 and len(ra) == 7 and ra[0]["creationTime"].isoformat() == r_expect[0]["creation_time"]
           and "nextToken" in one and pol["policy"]["AZ"]["rtoInSecs"] == 900
           and len(p1["ResultsByTime"][0]["Groups"]) + len(p2["ResultsByTime"][0]["Groups"]) == 5,
           "boto3 parses every fixture as the sender read it (shapes of the service models, pages followed)")
except Exception as e:   # noqa: BLE001 - any botocore complaint is the finding
    expect(False, "boto3 parses every fixture", "%s: %s" % (type(e).__name__, e))

finish()
