#!/usr/bin/env python3
"""The `compute_optimizer` and `ri_sp_savings` sections against the fixtures of
test/fixtures/aws/compute_optimizer.json and ri_sp_savings.json (see README.md).

The collection of the suite (DAILY 2026-11-20, pages of 5): exact values of
every row shape (EC2, EBS and Lambda recommendations; EC2 and RDS
reservations and Savings Plans with and without utilisation data, the
reservations without recurring charges), every page read (call counts), the
rows loaded; then collections of its own: the WEEKLY window (several pages
of daily utilisation), Compute Optimizer not opted in, AccessDenied on one
list, throttling that retries overcome, a Cost Explorer that refuses or has
no data; and `mao-sender check`'s probes of these services.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixturecheck import collect, control, expect, finish, inject, load, messages  # noqa: E402

work = sys.argv[1]
doc = load(work)
stats = load(work, "stats.json")["calls"]
tables = load(work, "tables.json")
secs = doc["metadata"]["sections"]
A = "123456789012"

CO_KEYS = ["account_id", "resource_type", "resource_arn", "resource_name", "finding", "current_instance_type",
           "current_memory_size", "current_volume_type", "current_volume_size", "recommended_instance_type",
           "recommended_memory_size", "recommended_volume_type", "recommended_volume_size",
           "savings_opportunity_percentage", "estimated_monthly_savings_usd", "performance_risk",
           "cpu_utilization_max", "memory_utilization_avg", "migration_effort"]
I1, I2, I3 = ("arn:aws:ec2:us-east-1:%s:instance/i-0a1b2c3d4e5f6000%d" % (A, n) for n in (1, 2, 3))
V1, V2 = ("arn:aws:ec2:us-east-1:%s:volume/vol-0b1c2d3e4f5a6000%d" % (A, n) for n in (1, 2))
F1 = "arn:aws:lambda:us-east-1:%s:function:resize-images:$LATEST" % A
F2 = "arn:aws:lambda:us-east-1:%s:function:nightly-report" % A
RI_A, RI_B, RI_C = ("4b2293b4-5813-4cc8-9ce3-1957fc1dcfc8", "e5a2ff3b-7d14-4f90-9a2b-0c3d4e5f6a7b",
                    "9c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5")
SP_A, SP_B, SP_C = ("a1b2c3d4-0000-4000-8000-00000000000" + c for c in "abc")
SP_ARN = "arn:aws:savingsplans::%s:savingsplan/" % A


def co_row(**kw):
    """A compute_optimizer row: every field null but the account and kw."""
    r = dict.fromkeys(CO_KEYS)
    r["account_id"] = A
    r.update(kw)
    return r


def calls(before, after, key):
    return after.get(key, 0) - before.get(key, 0)


def collect_counted(name, *extra):
    """collect() and the fixture endpoint's calls made meanwhile; (rc, doc, stderr, calls)."""
    before = control("stats")["calls"]
    rc, d, err = collect(work, name, *extra)
    after = control("stats")["calls"]
    expect(rc == 0 and d is not None, "collect %s %s: exit 0, a document" % (name, " ".join(extra)), err[-2000:])
    return rc, d, err, {k: calls(before, after, k) for k in after}


# ---- compute_optimizer ---------------------------------------------------------
co = doc["compute_optimizer"]
by_arn = {r["resource_arn"]: r for r in co}
expect([r["resource_arn"] for r in co] == [I1, I2, I3, V1, V2, F1, F2],
       "compute_optimizer: 3 instances, 2 volumes, 2 functions, each over 2 pages, in that order",
       json.dumps([r["resource_arn"] for r in co]))
expect(all(list(r) == CO_KEYS for r in co), "compute_optimizer: the 19 fields of the format, in order")
expect(by_arn.get(I1) == co_row(resource_type="EC2", resource_arn=I1, resource_name="web-1", finding="Overprovisioned",
                                current_instance_type="m5.xlarge", recommended_instance_type="m5.large",
                                savings_opportunity_percentage=48.2, estimated_monthly_savings_usd=70.08,
                                performance_risk=1, cpu_utilization_max=23.75, memory_utilization_avg=41.5),
       "compute_optimizer: EC2 row from the first option; CPU Maximum and Memory Average from utilizationMetrics "
       "(not the reference's 0)", json.dumps(by_arn.get(I1)))
expect(by_arn.get(I2, {}).get("cpu_utilization_max") == 99.5 and by_arn[I2]["memory_utilization_avg"] is None
       and by_arn[I2]["savings_opportunity_percentage"] == 0 and by_arn[I2]["recommended_instance_type"] == "t3.small",
       "compute_optimizer: no Memory metric -> memory_utilization_avg null; 0 savings stay 0",
       json.dumps(by_arn.get(I2)))
expect(by_arn.get(I3) == co_row(resource_type="EC2", resource_arn=I3, resource_name="", finding="Optimized",
                                current_instance_type="c5.large"),
       "compute_optimizer: an instance without options or metrics: recommendation, savings and utilisation null",
       json.dumps(by_arn.get(I3)))
expect(by_arn.get(V1) == co_row(resource_type="EBS", resource_arn=V1, finding="NotOptimized",
                                current_volume_type="gp2", current_volume_size=500, recommended_volume_type="gp3",
                                recommended_volume_size=500, savings_opportunity_percentage=20,
                                estimated_monthly_savings_usd=10, performance_risk=0),
       "compute_optimizer: EBS row (current configuration, first option)", json.dumps(by_arn.get(V1)))
expect(by_arn.get(F1) == co_row(resource_type="Lambda", resource_arn=F1, resource_name="resize-images",
                                finding="NotOptimized", current_memory_size=1024, recommended_memory_size=512,
                                savings_opportunity_percentage=31.5, estimated_monthly_savings_usd=3.21),
       "compute_optimizer: Lambda row; the name from the ARN (the API has no functionName), qualifier dropped",
       json.dumps(by_arn.get(F1)))
expect(by_arn.get(F2) == co_row(resource_type="Lambda", resource_arn=F2, resource_name="nightly-report",
                                finding="Unavailable", current_memory_size=128),
       "compute_optimizer: a function without options", json.dumps(by_arn.get(F2)))
expect(secs["compute_optimizer"] == {**secs["compute_optimizer"], "status": "ok", "items": 7}
       and doc["logs"]["compute_optimizer_status"] == "Pass" and messages(doc, "compute_optimizer") == [],
       "compute_optimizer: ok, 7 items, Pass, nothing said")
expect([stats.get("compute-optimizer:" + op) for op in ("GetEC2InstanceRecommendations",
                                                         "GetEBSVolumeRecommendations",
                                                         "GetLambdaFunctionRecommendations")] == [2, 2, 2],
       "compute_optimizer: every page of the three lists (2 calls each)", json.dumps(stats))
expect(tables.get("compute_optimizer") == 7, "compute_optimizer: 7 rows loaded", json.dumps(tables))
out = subprocess.run(["psql", "-X", "-At", "-c", "SELECT resource_type, cpu_utilization_max, memory_utilization_avg, "
                      "performance_risk FROM compute_optimizer WHERE resource_arn = '%s'" % I1],
                     capture_output=True, text=True)
expect(out.stdout.strip() == "EC2|23.75|41.50|1.00", "compute_optimizer: the loaded row's utilisation",
       out.stdout + out.stderr)

# ---- ri_sp_savings -------------------------------------------------------------
rs = doc["ri_sp_savings"]
WIN = {"date_from": "2026-11-19", "date_to": "2026-11-20"}


def zero(r):
    return {**r, "utilization_percentage": 0, "on_demand_cost": 0, "reservation_cost": 0, "net_savings": 0}


EC2_A = {**WIN, "date": "2026-11-19", "reservation_type": "Reserved Instance", "subscription_id": RI_A,
         "service": "Amazon EC2", "instance_type": "m5.large", "instance_count": 2, "instance_tenancy": "default",
         "offering_class": "standard", "offering_type": "No Upfront", "product_types": "Linux/UNIX",
         "region": "Region", "currency": "USD", "commitment": 45.26, "upfront_cost": 0, "recurring_cost": 0.062,
         "recurring_frequency": "Hourly", "usage_price": 0, "start_date": "2026-01-15T08:30:00+00:00",
         "end_date": "2027-01-15T08:29:59+00:00", "duration_seconds": 31536000, "state": "active",
         "description": "2x m5.large Linux/UNIX", "utilization_percentage": 87.5, "on_demand_cost": 4.03,
         "reservation_cost": 2.98, "net_savings": 1.06}
EC2_B = {**WIN, "date": "2026-11-19", "reservation_type": "Reserved Instance", "subscription_id": RI_B,
         "service": "Amazon EC2", "instance_type": "c5.xlarge", "instance_count": 1, "instance_tenancy": "default",
         "offering_class": "convertible", "offering_type": "All Upfront", "product_types": "Windows",
         "region": "Availability Zone", "currency": "USD", "commitment": 0, "upfront_cost": 1024,
         "recurring_cost": 0, "recurring_frequency": None, "usage_price": 0,
         "start_date": "2025-12-01T00:00:00+00:00", "end_date": "2028-11-30T23:59:59+00:00",
         "duration_seconds": 94608000, "state": "active", "description": "1x c5.xlarge Windows",
         "utilization_percentage": 100, "on_demand_cost": 5.18, "reservation_cost": 2.81, "net_savings": 2.38}
EC2_C = zero({**WIN, "reservation_type": "Reserved Instance", "subscription_id": RI_C, "service": "Amazon EC2",
              "instance_type": "r5.large", "instance_count": 1, "instance_tenancy": "dedicated",
              "offering_class": "standard", "offering_type": "Partial Upfront",
              "product_types": "Linux/UNIX (Amazon VPC)", "region": "Region", "currency": "USD",
              "commitment": 24.82, "upfront_cost": 300.5, "recurring_cost": 0.034, "recurring_frequency": "Hourly",
              "usage_price": 0, "start_date": "2026-06-01T12:00:00.500000+00:00",
              "end_date": "2027-06-01T11:59:59+00:00", "duration_seconds": 31536000, "state": "active",
              "description": "1x r5.large Linux/UNIX (Amazon VPC)"})
RDS_PG = {**WIN, "date": "2026-11-19", "reservation_type": "Reserved Instance", "subscription_id": "mao-pg-reserved",
          "service": "Amazon RDS", "instance_type": "db.r6g.large", "instance_count": 1, "offering_class": None,
          "offering_type": "No Upfront", "product_types": "postgresql", "currency": "USD", "upfront_cost": 0,
          "recurring_cost": 0.173, "recurring_frequency": "Hourly", "usage_price": 0,
          "start_date": "2026-03-01T10:00:00.123000+00:00", "duration_seconds": 31536000, "state": "active",
          "utilization_percentage": 64.29, "on_demand_cost": 3.55, "reservation_cost": 4.15, "net_savings": -0.6}
RDS_MY = {**WIN, "date": "2026-11-19", "reservation_type": "Reserved Instance",
          "subscription_id": "mao-mysql-upfront", "service": "Amazon RDS", "instance_type": "db.m6g.large",
          "instance_count": 2, "offering_class": None, "offering_type": "All Upfront", "product_types": "mysql",
          "currency": "USD", "upfront_cost": 2400, "recurring_cost": 0, "recurring_frequency": None,
          "usage_price": 0, "start_date": "2025-09-10T00:00:00+00:00", "duration_seconds": 94608000,
          "state": "active", "utilization_percentage": 100, "on_demand_cost": 6.53, "reservation_cost": 4.38,
          "net_savings": 2.14}
RDS_OLD = zero({**WIN, "reservation_type": "Reserved Instance", "subscription_id": "mao-old-reserved",
                "service": "Amazon RDS", "instance_type": "db.t3.medium", "instance_count": 1,
                "offering_class": None, "offering_type": "No Upfront", "product_types": "postgresql",
                "currency": "USD", "upfront_cost": 0, "recurring_cost": 0.051, "recurring_frequency": "Hourly",
                "usage_price": 0, "start_date": "2023-01-01T00:00:00+00:00", "duration_seconds": 31536000,
                "state": "retired"})
PLAN_A = {**WIN, "date": "2026-11-19", "reservation_type": "Savings Plan", "subscription_id": SP_A,
          "service": "AWS Savings Plans", "instance_type": "Compute", "instance_family": None,
          "offering_type": "No Upfront", "product_types": "EC2,Fargate,Lambda", "region": "", "currency": "USD",
          "commitment": 1.5, "upfront_cost": 0, "recurring_cost": 1095, "start_date": "2026-02-01T00:00:00.000Z",
          "end_date": "2029-01-31T23:59:59.000Z", "returnable_until": None, "duration_seconds": 94608000,
          "state": "active", "description": "3 year No Upfront Compute Savings Plan", "offering_id": "offer-a",
          "savings_plan_arn": SP_ARN + SP_A, "utilization_percentage": 92, "on_demand_cost": 45.02,
          "reservation_cost": 33.12, "net_savings": 11.9}
PLAN_B = zero({**WIN, "reservation_type": "Savings Plan", "subscription_id": SP_B, "service": "AWS Savings Plans",
               "instance_type": "EC2Instance", "instance_family": "m5", "offering_type": "All Upfront",
               "product_types": "EC2", "region": "us-east-1", "currency": "USD", "commitment": 0.25,
               "upfront_cost": 2190, "recurring_cost": 0, "start_date": "2026-11-20T00:00:00.000Z",
               "end_date": "2027-11-19T23:59:59.000Z", "returnable_until": "2026-11-27T00:00:00.000Z",
               "duration_seconds": 31536000, "state": "active",
               "description": "1 year All Upfront EC2 Instance Savings Plan", "offering_id": "offer-b",
               "savings_plan_arn": SP_ARN + SP_B})
PLAN_C = {**WIN, "date": "2026-11-19", "reservation_type": "Savings Plan", "subscription_id": SP_C,
          "service": "AWS Savings Plans", "instance_type": "SageMaker", "instance_family": None,
          "offering_type": "Partial Upfront", "product_types": "SageMaker", "region": "", "currency": "USD",
          "commitment": 0.8, "upfront_cost": 3504, "recurring_cost": 292, "start_date": "2025-05-01T00:00:00.000Z",
          "end_date": "2026-04-30T23:59:59.000Z", "returnable_until": None, "duration_seconds": 31536000,
          "state": "active", "description": "1 year Partial Upfront SageMaker Savings Plan", "offering_id": "offer-c",
          "savings_plan_arn": SP_ARN + SP_C, "utilization_percentage": 0, "on_demand_cost": 0,
          "reservation_cost": 0, "net_savings": -19.2}
by_sub = {r["subscription_id"]: r for r in rs}
expect([r["subscription_id"] for r in rs] == [RI_A, RI_B, RI_C, "mao-pg-reserved", "mao-mysql-upfront",
                                             "mao-old-reserved", SP_A, SP_B, SP_C],
       "ri_sp_savings: 3 EC2 reservations, 3 RDS ones (2 pages), 3 plans (2 pages), one row each for the day",
       json.dumps([r["subscription_id"] for r in rs]))
for want, what in ((EC2_A, "EC2 reservation used on the day: its per-day row (commitment = hourly charge x 730)"),
                   (EC2_B, "EC2 reservation without recurring charges (All Upfront): written, charges 0, "
                           "frequency null, and the reservations after it too"),
                   (EC2_C, "EC2 reservation with 0% on its only day: the zero row without \"date\""),
                   (RDS_PG, "RDS reservation used on the day (metrics rounded to 2 places, negative savings kept)"),
                   (RDS_MY, "RDS reservation without recurring charges"),
                   (RDS_OLD, "RDS reservation in any state, no utilisation data: the zero row"),
                   (PLAN_A, "Savings Plan with utilisation data"),
                   (PLAN_B, "Savings Plan without utilisation data: the zero row"),
                   (PLAN_C, "Savings Plan's day at 0% is still written (plans keep every day returned)")):
    got = by_sub.get(want["subscription_id"])
    expect(got == want and list(got) == list(want), "ri_sp_savings: " + what, json.dumps(got))
expect(secs["ri_sp_savings"] == {**secs["ri_sp_savings"], "status": "ok", "items": 9}
       and doc["logs"]["ri_sp_savings_status"] == "Pass" and messages(doc, "ri_sp_savings") == [],
       "ri_sp_savings: ok, 9 items, Pass, nothing said")
expect([stats.get(k) for k in ("ec2:DescribeReservedInstances", "rds:DescribeReservedDBInstances",
                               "savingsplans:DescribeSavingsPlans", "ce:GetReservationUtilization",
                               "ce:GetSavingsPlansUtilization")] == [1, 2, 2, 6, 3],
       "ri_sp_savings: the active EC2 reservations (filter state=active), every RDS and Savings Plans page, "
       "one utilisation lookup per reservation and per plan", json.dumps(stats))
expect(tables.get("ri_sp_daily_savings") == 9, "ri_sp_savings: 9 rows loaded", json.dumps(tables))
out = subprocess.run(["psql", "-X", "-At", "-c", "SELECT subscription_id, date_from, date_to, utilization_percentage, "
                      "recurring_cost FROM ri_sp_daily_savings WHERE subscription_id IN ('%s', '%s') "
                      "ORDER BY subscription_id" % (RI_A, RI_B)], capture_output=True, text=True)
expect(out.stdout.split() == ["%s|2026-11-19|2026-11-20|87.50|0.06" % RI_A, "%s|2026-11-19|2026-11-20|100.00|0.00" % RI_B],
       "ri_sp_savings: the loaded per-day rows", out.stdout + out.stderr)

# ---- WEEKLY: daily utilisation over two pages ----------------------------------------
rc, wk, err, n = collect_counted("optim-weekly.json", "--interval", "WEEKLY")
if wk is not None:
    rows = wk["ri_sp_savings"]
    a = [(r.get("date"), r["utilization_percentage"], r["net_savings"]) for r in rows if r["subscription_id"] == RI_A]
    expect(a == [("2026-11-16", 100, 1.06), ("2026-11-17", 95.83, 1.06), ("2026-11-19", 87.5, 1.06),
                 ("2026-11-20", 50, -0.67), ("2026-11-21", 50, -0.67), ("2026-11-22", 50, -0.67)],
           "ri_sp_savings WEEKLY: a reservation's used days from both pages of GetReservationUtilization "
           "(the unused 18th left out)", json.dumps(a))
    p = [r.get("date") for r in rows if r["subscription_id"] == SP_A]
    expect(p == ["2026-11-%02d" % d for d in range(16, 23)], "ri_sp_savings WEEKLY: a plan's 7 days", json.dumps(p))
    z = [r for r in rows if r["subscription_id"] not in (RI_A, SP_A)]
    expect(len(z) == 7 and all("date" not in r and r["date_from"] == "2026-11-16" and r["date_to"] == "2026-11-22"
                               and r["utilization_percentage"] == 0 for r in z),
           "ri_sp_savings WEEKLY: the others without data: one zero row over the week each",
           json.dumps([(r["subscription_id"], r.get("date")) for r in z]))
    expect(n.get("ce:GetReservationUtilization") == 7 and wk["metadata"]["sections"]["ri_sp_savings"]["status"] == "ok",
           "ri_sp_savings WEEKLY: 6 lookups + 1 second page, ok", json.dumps(n))

# ---- errors: not opted in; no Cost Explorer data for plans ---------------------------
inject("compute-optimizer", None, "OptInRequiredException", status=403,
       message="The account is not opted in to AWS Compute Optimizer.")
inject("ce", "GetSavingsPlansUtilization", "DataUnavailableException", message="Data is not available.")
try:
    rc, d, err, n = collect_counted("optim-optin.json")
finally:
    control("clear")
if d is not None:
    m = messages(d, "compute_optimizer")
    expect(d["compute_optimizer"] == [] and d["metadata"]["sections"]["compute_optimizer"]["status"] == "skipped"
           and d["logs"]["compute_optimizer_status"] == "Fail" and len(m) == 1 and "OptInRequiredException" in m[0]
           and "not enabled" in m[0], "compute_optimizer not opted in: [], skipped, the reason said once", json.dumps(m))
    expect(sum(v for k, v in n.items() if k.startswith("compute-optimizer:")) == 1,
           "compute_optimizer not opted in: no call after the first refusal", json.dumps(n))
    plans = [r for r in d["ri_sp_savings"] if r["reservation_type"] == "Savings Plan"]
    expect(len(plans) == 3 and all("date" not in r and r["net_savings"] == 0 for r in plans)
           and d["metadata"]["sections"]["ri_sp_savings"]["status"] == "ok" and messages(d, "ri_sp_savings") == [],
           "ri_sp_savings: DataUnavailableException is no data (zero rows), not a failure",
           json.dumps(d["metadata"]["sections"]["ri_sp_savings"]))

# ---- errors: AccessDenied on one list each ---------------------------------------------
inject("compute-optimizer", "GetEBSVolumeRecommendations", "AccessDeniedException", status=403,
       message="User is not authorized to perform: compute-optimizer:GetEBSVolumeRecommendations")
inject("savingsplans", "DescribeSavingsPlans", "AccessDeniedException", status=403,
       message="User is not authorized to perform: savingsplans:DescribeSavingsPlans")
try:
    rc, d, err, n = collect_counted("optim-denied.json")
finally:
    control("clear")
if d is not None:
    m = messages(d, "compute_optimizer")
    expect([r["resource_type"] for r in d["compute_optimizer"]] == ["EC2"] * 3 + ["Lambda"] * 2
           and d["metadata"]["sections"]["compute_optimizer"]["status"] == "partial"
           and d["logs"]["compute_optimizer_status"] == "Fail" and len(m) == 1
           and "GetEBSVolumeRecommendations: access denied" in m[0],
           "compute_optimizer: EBS denied -> EC2 and Lambda still collected, partial, said", json.dumps(m))
    m = messages(d, "ri_sp_savings")
    expect([r["subscription_id"] for r in d["ri_sp_savings"]] == [x["subscription_id"] for x in rs[:6]]
           and d["metadata"]["sections"]["ri_sp_savings"]["status"] == "partial" and len(m) == 1
           and "savingsplans:DescribeSavingsPlans: access denied" in m[0],
           "ri_sp_savings: Savings Plans denied -> the reservations still written, partial, said", json.dumps(m))

# ---- errors: Cost Explorer refuses the reservation lookups ---------------------------------
inject("ce", "GetReservationUtilization", "AccessDeniedException", status=400,
       message="Linked account doesn't have access to cost explorer.")
try:
    rc, d, err, n = collect_counted("optim-ce-denied.json", "--max-in-flight", "1")
finally:
    control("clear")
if d is not None:
    m = messages(d, "ri_sp_savings")
    got = d["ri_sp_savings"]
    expect(got[:6] == [zero({k: v for k, v in r.items() if k != "date"}) for r in rs[:6]] and got[6:] == rs[6:],
           "ri_sp_savings: reservation lookups refused -> their zero rows, the plans' rows as before",
           json.dumps([(r["subscription_id"], r.get("date")) for r in got]))
    expect(len(m) == 1 and "ce:GetReservationUtilization (utilisation left at 0 for 6 of 6 reservations): "
           "access denied" in m[0] and d["metadata"]["sections"]["ri_sp_savings"]["status"] == "partial",
           "ri_sp_savings: said once, with how many, partial", json.dumps(m))
    expect(n.get("ce:GetReservationUtilization") == 1, "ri_sp_savings: no lookup of that kind after the refusal",
           json.dumps(n))

# ---- errors: throttling twice, then answers -------------------------------------------
inject("compute-optimizer", "GetEC2InstanceRecommendations", "ThrottlingException", message="Rate exceeded", count=2)
inject("ce", "GetReservationUtilization", "ThrottlingException", message="Rate exceeded", count=2)
try:
    rc, d, err, n = collect_counted("optim-throttled.json")
finally:
    control("clear")
if d is not None:
    expect(d["compute_optimizer"] == co and d["metadata"]["sections"]["compute_optimizer"]["status"] == "ok"
           and messages(d, "compute_optimizer") == [] and n.get("compute-optimizer:GetEC2InstanceRecommendations") == 4,
           "compute_optimizer: throttled twice, retried (4 calls for 2 pages): ok, the same rows",
           json.dumps(n))
    expect(d["ri_sp_savings"] == rs and d["metadata"]["sections"]["ri_sp_savings"]["status"] == "ok"
           and messages(d, "ri_sp_savings") == [] and n.get("ce:GetReservationUtilization") == 8,
           "ri_sp_savings: throttled twice, retried (8 calls for 6 lookups): ok, the same rows", json.dumps(n))

# ---- mao-sender check: one probe per call the two sections need ---------------------------
p = subprocess.run([os.environ["SENDER"], "check", "--region", "us-east-1"], capture_output=True, text=True)
lines = {tuple(line.split()[:2]): line.split()[2] for line in p.stdout.splitlines() if len(line.split()) >= 3}
want = [("compute-optimizer", "GetEC2InstanceRecommendations"), ("ec2", "DescribeReservedInstances"),
        ("rds", "DescribeReservedDBInstances"), ("savingsplans", "DescribeSavingsPlans"),
        ("ce", "GetReservationUtilization"), ("ce", "GetSavingsPlansUtilization")]
expect(all(lines.get(k) == "ok" for k in want), "check: the six probes of compute_optimizer and ri_sp_savings are ok",
       p.stdout + p.stderr)
inject("compute-optimizer", None, "OptInRequiredException", status=403, message="not opted in")
try:
    p = subprocess.run([os.environ["SENDER"], "check", "--region", "us-east-1"], capture_output=True, text=True)
finally:
    control("clear")
expect(any(line.split()[:3] == ["compute-optimizer", "GetEC2InstanceRecommendations", "NOT"]
           for line in p.stdout.splitlines()) and p.returncode == 1,
       "check: Compute Optimizer not opted in is NOT ENABLED (exit 1)", p.stdout)

finish()
