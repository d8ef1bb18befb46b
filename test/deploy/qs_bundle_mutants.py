#!/usr/bin/env python3
"""Mutants of the bundle that qs_bundle.py must reject: copies QUICKSUITE_DIR
to WORK once per mutant, breaks one thing, and expects exit status 1 with the
problem named.  usage: qs_bundle_mutants.py QUICKSUITE_DIR WORK"""
import json
import os
import shutil
import subprocess
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))


def first_visual(d):
    return d["Definition"]["Sheets"][0]["Visuals"][0]


MUTANTS = [
    ("unknown member", lambda d: first_visual(d)["KPIVisual"].update(Colour="red"), "Unknown parameter"),
    ("bad enum", lambda d: d["Definition"]["Sheets"][0].update(ContentType="SLIDES"), "is not one of"),
    ("two members of a union", lambda d: first_visual(d).update(PieChartVisual={"VisualId": "x"}), "union"),
    ("missing required member", lambda d: d["Definition"]["Sheets"][0].pop("SheetId"), "Missing required"),
    ("wrong type", lambda d: d["Definition"]["Sheets"][0]["Layouts"][0]["Configuration"]["GridLayout"]
     ["Elements"][0].update(ColumnSpan="9"), "Invalid type"),
    ("column that no data set has", lambda d: first_visual(d)["KPIVisual"]["ChartConfiguration"]["FieldWells"]
     ["Values"][0]["CategoricalMeasureField"]["Column"].update(ColumnName="no_such_column"), "neither a column"),
    ("calculated field reading a missing column", lambda d: d["Definition"]["CalculatedFields"][0].update(
        Expression="ifelse(isNull({severty}), 0, 1)"), "not a column of its data set"),
    ("calculated field with a typo'd function", lambda d: d["Definition"]["CalculatedFields"][0].update(
        Expression="ifels(isNull({severity}), 0, 1)"), "is not a QuickSight function"),
    ("calculated field with unbalanced parentheses", lambda d: d["Definition"]["CalculatedFields"][0].update(
        Expression="ifelse(isNull({severity}, 0, 1)"), "unbalanced"),
]


def main(top, work):
    failures = 0
    for name, mutate, expect in MUTANTS:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(top, work)
        path = os.path.join(work, "bundle", "analysis", "mao-analysis.json")
        doc = json.load(open(path))
        mutate(doc)
        data = json.dumps(doc, indent=1) + "\n"
        open(path, "w").write(data)
        with zipfile.ZipFile(os.path.join(work, "MAO-Analysis.qs"), "w") as z:
            for kind in sorted(os.listdir(os.path.join(work, "bundle"))):
                for f in sorted(os.listdir(os.path.join(work, "bundle", kind))):
                    z.write(os.path.join(work, "bundle", kind, f), f"{kind}/{f}")
        r = subprocess.run([sys.executable, os.path.join(here, "qs_bundle.py"), work], capture_output=True, text=True)
        if r.returncode == 1 and expect in r.stdout:
            print(f"ok: rejected: {name}")
        else:
            failures += 1
            print(f"FAIL: not rejected as expected ({expect!r}): {name}\n{r.stdout}{r.stderr}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
