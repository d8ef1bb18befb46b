#!/usr/bin/env python3
"""Compares the rows of a loaded cluster with what a document says they are.

    table_counts.py DOC.json

DOC is a mao-sender document (plain JSON) that was loaded, alone, into the
empty tables of the database psql reaches (PG* in the environment).
Each table that one list of the document fills must hold exactly as many
rows as that list has items (a table the document leaves empty must be
empty too), so a list lost or duplicated anywhere between the sender and
mao_load shows up here.  Prints ok:/FAIL: lines; exits 1 on any FAIL.
"""
import json
import subprocess
import sys

# table -> the list that fills it (dotted path in the document), one row per item
LISTS = {
    "service_resources": "service_resources",
    "services": "service",
    "service_costs": "cost.top_services",
    "cost_forecasts": "cost.forecast",
    "security": "security.security_hub",
    "guard_duty_findings": "security.guard_duty",
    "kms_keys": "security.kms",
    "waf_rules": "security.waf",
    "waf_rules_detailed": "security.waf_rules",
    "cloudtrail_logs": "security.cloudtrail",
    "secrets_manager_secrets": "security.secrets_manager",
    "certificates": "security.certificate_manager",
    "inspector_findings": "security.inspector",
    "support_tickets": "support_tickets",
    "trusted_advisor_checks": "trusted_advisor",
    "health_events": "health",
    "application_signals": "application",
    "resilience_hub_apps": "resilience_hub",
    "compute_optimizer": "compute_optimizer",
    "ri_sp_daily_savings": "ri_sp_savings",
    "marketplace_usage": "marketplace",
    "config_inventory": "config_inventory",
    "inventory_instances": "inventory.instances",
    "inventory_applications": "inventory.applications",
    "inventory_patches": "inventory.patches",
    "non_compliant_resources": "config.non_compliant_resources",
}


def at(doc, path):
    v = doc
    for part in path.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v if isinstance(v, list) else []


def row_counts():
    """{table: rows} of every table of schema public but mao's own."""
    sql = ("SELECT string_agg(format('SELECT %L, count(*) FROM %I', tablename, tablename), ' UNION ALL ') "
           "FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'mao\\_%'")
    psql = ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-F", "\t"]
    union = subprocess.run(psql + ["-c", sql], check=True, capture_output=True, text=True).stdout.strip()
    out = subprocess.run(psql + ["-c", union], check=True, capture_output=True, text=True).stdout
    return {t: int(n) for t, n in (line.split("\t") for line in out.splitlines())}


def main():
    doc = json.load(open(sys.argv[1]))
    tables = row_counts()
    want = {t: len(at(doc, p)) for t, p in LISTS.items()}
    # Security Hub findings hang off their product group
    want["findings"] = sum(len(g.get("findings") or []) for g in at(doc, "security.security_hub"))
    want["accounts"] = 1
    want["logs"] = 1
    fails = 0
    for table, n in sorted(want.items()):
        got = tables.get(table)
        if got == n:
            print("ok: %s: %d rows" % (table, n))
        else:
            print("FAIL: %s: %s rows, the document has %d" % (table, got, n))
            fails += 1
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
