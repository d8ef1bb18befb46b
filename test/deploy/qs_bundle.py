#!/usr/bin/env python3
"""The QuickSight asset bundle matches the QuickSight API in botocore's model.

Each file of the bundle is the request of the Create* operation of its kind
(datasource/ -> CreateDataSource, dataset/ -> CreateDataSet, analysis/ ->
CreateAnalysis, without AwsAccountId).  botocore's own parameter validator
checks member names, required members, types, unions and minimum sizes;
this script adds enum values and maximum sizes/lengths, which the validator
leaves to the service.  Also checks the .qs zip holds the same files, and
the cross-references: every data set names the bundle's data source, the
analysis declares exactly the bundle's data sets, and every column it reads
is an input column of its data set or a calculated field of it.

usage: qs_bundle.py QUICKSUITE_DIR
"""
import json
import os
import re
import sys
import zipfile

import botocore.session
from botocore.validate import ParamValidator

# Wrappers of which QuickSight accepts exactly one member (the model marks
# only some of them as unions).
ONE_OF = {"Visual", "DimensionField", "MeasureField", "Filter", "ParameterControl",
          "ParameterDeclaration", "PhysicalTable", "DataSourceParameters", "FilterScopeConfiguration",
          "CategoryFilterConfiguration", "SheetElementConfigurationOverrides", "LayoutConfiguration"}

# QuickSight calculation functions the analysis may use (extend as needed).
QS_FUNCTIONS = {"ifelse", "isNull", "isNotNull", "toUpper", "toLower", "split", "locate", "sum", "avg",
                "count", "distinct_count", "coalesce", "concat", "toString", "round", "min", "max"}

OPERATION = {"datasource": "CreateDataSource", "dataset": "CreateDataSet", "analysis": "CreateAnalysis"}


def extra_checks(shape, value, path, errors):
    t = shape.type_name
    meta = shape.metadata
    if t == "structure" and isinstance(value, dict):
        if (shape.name in ONE_OF or meta.get("union")) and len(value) != 1:
            errors.append(f"{path}: {shape.name} is a union: exactly one of its members, not {sorted(value)}")
        for k, v in value.items():
            if k in shape.members:
                extra_checks(shape.members[k], v, f"{path}.{k}", errors)
    elif t == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: {len(value)} items, at most {meta['max']}")
        for i, v in enumerate(value):
            extra_checks(shape.member, v, f"{path}[{i}]", errors)
    elif t == "map" and isinstance(value, dict):
        for k, v in value.items():
            extra_checks(shape.value, v, f"{path}[{k}]", errors)
    elif t == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            errors.append(f"{path}: {value!r} is not one of {shape.enum}")
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: {len(value)} characters, at most {meta['max']}")
    elif t in ("integer", "long", "double", "float") and isinstance(value, (int, float)):
        if "max" in meta and value > meta["max"]:
            errors.append(f"{path}: {value} above {meta['max']}")
        if "min" in meta and value < meta["min"]:
            errors.append(f"{path}: {value} below {meta['min']}")


def column_refs(node, out):
    if isinstance(node, dict):
        if set(node) == {"DataSetIdentifier", "ColumnName"}:
            out.append((node["DataSetIdentifier"], node["ColumnName"]))
        for v in node.values():
            column_refs(v, out)
    elif isinstance(node, list):
        for v in node:
            column_refs(v, out)


def main(top):
    model = botocore.session.get_session().get_service_model("quicksight")
    validator = ParamValidator()
    unknown = ONE_OF - set(model.shape_names)
    if unknown:
        print("ERROR: ONE_OF names shapes the model lacks:", sorted(unknown))
        return 1
    bundle = os.path.join(top, "bundle")
    files = {}
    for kind in sorted(os.listdir(bundle)):
        for name in sorted(os.listdir(os.path.join(bundle, kind))):
            files[f"{kind}/{name}"] = open(os.path.join(bundle, kind, name), "rb").read()
    errors = []
    with zipfile.ZipFile(os.path.join(top, "MAO-Analysis.qs")) as z:
        if {n: z.read(n) for n in z.namelist()} != files:
            errors.append("MAO-Analysis.qs does not hold exactly the files of bundle/")
    docs = {}
    for name, data in files.items():
        kind = name.split("/")[0]
        doc = json.loads(data)
        docs[name] = doc
        shape = model.operation_model(OPERATION[kind]).input_shape
        report = validator.validate(dict(doc, AwsAccountId="111111111111"), shape)
        if report.has_errors():
            errors.append(f"{name}: {report.generate_report()}")
        extra_checks(shape, doc, name, errors)
    sources = {d["DataSourceId"] for n, d in docs.items() if n.startswith("datasource/")}
    sets = {d["DataSetId"]: d for n, d in docs.items() if n.startswith("dataset/")}
    analyses = [d for n, d in docs.items() if n.startswith("analysis/")]
    columns = {}
    for sid, d in sets.items():
        for table in d["PhysicalTableMap"].values():
            rt = table["RelationalTable"]
            if rt["DataSourceArn"].rsplit("/", 1)[1] not in sources:
                errors.append(f"data set {sid}: data source {rt['DataSourceArn']} is not in the bundle")
            columns[sid] = {c["Name"] for c in rt["InputColumns"]}
    refs = 0
    for a in analyses:
        d = a["Definition"]
        declared = {x["Identifier"]: x["DataSetArn"].rsplit("/", 1)[1] for x in d["DataSetIdentifierDeclarations"]}
        if set(declared.values()) != set(sets):
            errors.append(f"analysis {a['AnalysisId']}: declares {sorted(declared.values())}, bundle has {sorted(sets)}")
        calc = {(c["DataSetIdentifier"], c["Name"]) for c in d.get("CalculatedFields", [])}
        for c in d.get("CalculatedFields", []):
            where = f"calculated field {c['DataSetIdentifier']}.{c['Name']}"
            expr = re.sub(r"'[^']*'", "''", c["Expression"])
            depth = 0
            for ch in expr:
                depth += {"(": 1, ")": -1}.get(ch, 0)
                if depth < 0:
                    break
            if depth != 0:
                errors.append(f"{where}: unbalanced parentheses")
            for col in re.findall(r"\{([^}]*)\}", expr):
                if col not in columns.get(declared.get(c["DataSetIdentifier"]), ()):
                    errors.append(f"{where}: reads {{{col}}}, not a column of its data set")
            for fn in re.findall(r"([A-Za-z_]+)\s*\(", expr):
                if fn not in QS_FUNCTIONS:
                    errors.append(f"{where}: {fn}() is not a QuickSight function this bundle expects")
        found = []
        column_refs(d, found)
        for ident, col in found:
            refs += 1
            if ident not in declared:
                errors.append(f"analysis reads undeclared data set {ident}")
            elif col not in columns.get(declared[ident], ()) and (ident, col) not in calc:
                errors.append(f"analysis reads {ident}.{col}, which is neither a column nor a calculated field")
        visuals = sum(len(s.get("Visuals", [])) for s in d["Sheets"])
        print(f"analysis {a['AnalysisId']}: {len(d['Sheets'])} sheets ({', '.join(s['Name'] for s in d['Sheets'])}), "
              f"{visuals} visuals, {len(d.get('FilterGroups', []))} filter groups, {refs} column references")
    for e in errors:
        print("ERROR:", e)
    print(f"{len(files)} bundle files checked against botocore's QuickSight model, {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
