#!/usr/bin/env python3
"""account, service and cost from the fixtures: every field, the pages of
Cost Explorer's service groups, the loaded rows, and the failures (denied
contact information; Cost Explorer denied; the forecast throttled twice)."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixturecheck import collect, control, expect, finish, inject, load, messages  # noqa: E402

work = sys.argv[1]
doc = load(work)
tables = load(work, "tables.json")
account = os.environ["MAO_TEST_ACCOUNT"]
FX = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "aws")


def fixture(name):
    with open(os.path.join(FX, name)) as f:
        return json.load(f)


a = doc["account"]
info = fixture("account-GetAccountInformation.json")["pages"][0]
ci = fixture("account-GetContactInformation.json")["pages"][0]["ContactInformation"]
expect(a["account_id"] == account and a["account_name"] == info["AccountName"]
       and a["joined_timestamp"] == "2020-02-01T00:00:00+00:00" and a["account_status"] == "ACTIVE"
       and a["region"] == "us-east-1" and a["partner_name"] == "None" and len(a) == 15,
       "account: id, name and creation date from GetAccountInformation, 15 fields", a)
want_ci = {"address_line1": ci["AddressLine1"], "address_line2": ci["AddressLine2"], "address_line3": None,
           "city": ci["City"], "country_code": ci["CountryCode"], "postal_code": ci["PostalCode"],
           "state_or_region": None, "company_name": ci["CompanyName"], "phone_number": ci["PhoneNumber"],
           "website_url": ci["WebsiteUrl"], "full_name": ci["FullName"]}
expect(a["contact_info"] == want_ci, "account.contact_info: the 11 fields, absent ones null", a["contact_info"])
billing = fixture("account-GetAlternateContact-billing.json")["pages"][0]["AlternateContact"]
expect(a["alternate_contacts"] == {
    "billing": {"name": billing["Name"], "title": billing["Title"], "email": billing["EmailAddress"],
                "phone": billing["PhoneNumber"]},
    "operations": None,
    "security": {"name": "Marta Lopes", "title": "CISO", "email": "security@retail.example",
                 "phone": "+351210000002"}},
    "account.alternate_contacts: billing and security, operations null (moto: not found)", a["alternate_contacts"])
expect(doc["metadata"]["sections"]["account"]["status"] == "ok" and not messages(doc, "account"),
       "account: ok, no message", doc["metadata"]["sections"]["account"])

# service: both pages of groups, highest cost first
pages = fixture("ce-GetCostAndUsage-1-by-service.json")["pages"]
groups = [g for p in pages for r in p["ResultsByTime"] for g in r["Groups"]]
want = sorted(((g["Keys"][0], float(g["Metrics"]["UnblendedCost"]["Amount"])) for g in groups),
              key=lambda x: -x[1])
got = [(r["service"], r["cost"]) for r in doc["service"]]
expect(got == want, "service: every group of both pages, highest cost first (%d rows)" % len(want), got)
r0 = doc["service"][0]
expect(r0 == {"service": "Amazon Elastic Compute Cloud - Compute", "usage_types": "Aggregated",
              "date_from": "2026-11-19", "date_to": "2026-11-20", "cost": 41.2093, "currency": "USD",
              "utilization": None, "utilization_unit": None}, "service: a row's 8 fields", r0)

c = doc["cost"]
expect(c["current_period_cost"] == 73.9635 and c["previous_period_cost"] == 64.3
       and abs(c["cost_difference"] - 9.6635) < 1e-9 and c["cost_difference_percentage"] == 15.03,
       "cost: current and previous totals, difference and percentage", c)
expect([x["service"] for x in c["top_services"]] == [w[0] for w in want[:5]],
       "cost.top_services: the five highest across both pages of the period", c["top_services"])
expect(c["period"] == {"start": "2026-11-19", "end": "2026-11-20", "granularity": "DAILY"}, "cost.period", c["period"])
expect(c["forecast"] == [{"period": {"start": "2026-11-26", "end": "2026-12-01"}, "amount": 368.75},
                         {"period": {"start": "2026-12-01", "end": "2026-12-26"}, "amount": 1843.75}],
       "cost.forecast: both periods' mean values", c["forecast"])

expect(tables.get("accounts") == 1 and tables.get("contact_info") == 1 and tables.get("alternate_contacts") == 2,
       "loaded: accounts 1, contact_info 1, alternate_contacts 2", {k: tables.get(k) for k in
                                                                   ("accounts", "contact_info", "alternate_contacts")})
expect(tables.get("services") == len(want) and tables.get("cost_reports") == 1 and tables.get("cost_forecasts") == 2,
       "loaded: services %d, cost_reports 1, cost_forecasts 2" % len(want),
       {k: tables.get(k) for k in ("services", "cost_reports", "cost_forecasts")})
q = subprocess.run(["psql", "-X", "-At", "-c", "SELECT account_name, company_name, city FROM accounts a "
                    "JOIN contact_info c ON c.account_id = a.id"], capture_output=True, text=True)
q = q.stdout.strip() or q.stderr.strip()
expect(q == "Retail Production|Example Retail Lda|Lisboa", "loaded: the account's name and contact", q)

# contact information denied: the rest of account stands
inject("account", "GetContactInformation", "AccessDeniedException", 403, "User is not authorized to perform account:GetContactInformation")
rc, d, err = collect(work, "denied-contact.json")
control("clear")
expect(rc == 0 and d["account"]["contact_info"] == {} and d["account"]["account_name"] == "Retail Production"
       and d["metadata"]["sections"]["account"]["status"] == "partial"
       and any("GetContactInformation" in m and "not authorized" in m for m in messages(d, "account")),
       "GetContactInformation denied: contact_info {}, account partial, said under account",
       (rc, d and d["account"].get("contact_info"), d and messages(d, "account"), err[-300:]))

# Cost Explorer denied: service and cost failed in the reference's failed forms, the rest intact
inject("ce", "GetCostAndUsage", "AccessDeniedException", 400, "User is not authorized to perform ce:GetCostAndUsage")
rc, d, err = collect(work, "denied-ce.json")
control("clear")
secs = d["metadata"]["sections"] if d else {}
expect(rc == 0 and d["service"] == [] and d["cost"] == [] and secs["service"]["status"] == "failed"
       and secs["cost"]["status"] == "failed" and any("not authorized" in m for m in messages(d, "services_data"))
       and d["logs"]["service_status"] == "Fail" and d["account"] == doc["account"],
       "Cost Explorer denied: service and cost failed ([]), said under services_data, account intact",
       (rc, secs.get("service"), secs.get("cost"), d and messages(d, "services_data")))

# the forecast throttled twice: retried, the same forecast
control("reset")
inject("ce", "GetCostForecast", "ThrottlingException", 400, "Rate exceeded", count=2)
rc, d, err = collect(work, "throttled-forecast.json")
stats = control("stats")
control("clear")
expect(rc == 0 and d["cost"]["forecast"] == c["forecast"] and d["metadata"]["sections"]["cost"]["status"] == "ok"
       and stats["injected"] == 2, "GetCostForecast throttled twice: retried, forecast complete, cost ok",
       (rc, d and d["metadata"]["sections"]["cost"], stats["injected"]))
finish()
