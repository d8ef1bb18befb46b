#!/usr/bin/env python3
"""QuickSight data sets against the views of a live database (libpq's
environment names it; schema public).

1. Every input column of every data set of the bundle exists in the view of
   the same name, with the type QuickSight infers for the column's
   PostgreSQL type (the mapping of quicksuite/generate).
2. The reference analysis (test/deploy/reference-analysis.tsv) finds every
   view it uses and every column it reads, with the QuickSight type it
   declares under the reference migration's own mapping; its other declared
   columns are checked the same way.

usage: views_check.py QUICKSUITE_DIR REFERENCE_TSV [DBNAME]
"""
import glob
import json
import os
import subprocess
import sys

# The reference migration's mapping from information_schema data_type.
def reference_type(pg):
    if pg in ("text", "character varying", "character", "USER-DEFINED"):
        return "STRING"
    if pg in ("integer", "bigint"):
        return "INTEGER"
    if pg == "boolean":
        return "BOOLEAN"
    if pg in ("numeric", "real", "double precision"):
        return "DECIMAL"
    return "DATETIME"


def main(top, ref_tsv, dbname=None):
    sys.path.insert(0, os.path.join(top, "src"))
    sys.dont_write_bytecode = True
    from qs import QS_TYPE as qs_type
    cmd = ["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"] + (["-d", dbname] if dbname else []) + [
        "-c", "SELECT c.table_name, c.column_name, c.data_type, t.table_type FROM information_schema.columns c "
              "JOIN information_schema.tables t USING (table_schema, table_name) WHERE c.table_schema = 'public'"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    live, kinds = {}, {}
    for line in out.splitlines():
        rel, col, pg, kind = line.split("\t")
        live.setdefault(rel, {})[col] = pg
        kinds[rel] = kind
    errors, n = [], 0
    for path in sorted(glob.glob(os.path.join(top, "bundle", "dataset", "*.json"))):
        d = json.load(open(path))
        for table in d["PhysicalTableMap"].values():
            rt = table["RelationalTable"]
            view = rt["Name"]
            if view not in live:
                errors.append(f"data set {d['DataSetId']}: no relation public.{view}")
                continue
            if kinds[view] != "VIEW":
                errors.append(f"data set {d['DataSetId']}: public.{view} is not a view")
            for c in rt["InputColumns"]:
                n += 1
                pg = live[view].get(c["Name"])
                if pg is None:
                    errors.append(f"{view}.{c['Name']}: no such column")
                elif qs_type.get(pg) != c["Type"]:
                    errors.append(f"{view}.{c['Name']}: {c['Type']} in the data set, QuickSight infers "
                                  f"{qs_type.get(pg)} from {pg}")
    print(f"bundle: {n} data set columns checked")
    n = read = 0
    for line in open(ref_tsv):
        if line.startswith("#"):
            continue
        view, col, qtype, used = line.rstrip("\n").split("\t")
        n += 1
        read += used == "read"
        what = "reads" if used == "read" else "declares"
        pg = live.get(view, {}).get(col)
        if view not in live:
            errors.append(f"reference analysis uses {view}, which does not exist")
        elif pg is None:
            errors.append(f"reference analysis {what} {view}.{col}, which does not exist")
        elif reference_type(pg) != qtype:
            errors.append(f"reference analysis {what} {view}.{col} as {qtype}; the view gives {pg} "
                          f"-> {reference_type(pg)}")
    print(f"reference analysis: {n} declared columns checked, {read} of them read by it")
    for e in sorted(set(errors)):
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
