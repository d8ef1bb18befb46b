#!/usr/bin/env python3
"""Every IAM action in the given CloudFormation templates names a real
operation of its service, as botocore's service models list them.

Actions are found in every policy statement (any mapping with Effect and
Action/NotAction), in AWS::Lambda::Permission's Action, and as
"quicksight:..." strings inside inline function code.  A wildcard must match
at least one operation.  The few IAM actions that authorise an operation
under another name are listed in IAM_ONLY with the operation they stand for.

usage: iam_actions.py TEMPLATE...    (exit 1 and a line per bad action)
"""
import fnmatch
import re
import sys

import botocore.session
from cfnlint.decode import decode

# IAM action -> the API operation it authorises (IAM spells these differently).
IAM_ONLY = {
    "s3:ListBucket": "ListObjectsV2",
    "s3:ListAllMyBuckets": "ListBuckets",
    "lambda:InvokeFunction": "Invoke",
    "quicksight:PassDataSource": "CreateDataSet",   # pass a data source to a data set
    "quicksight:PassDataSet": "CreateAnalysis",     # pass a data set to an analysis
}


def operations_by_prefix():
    """IAM service prefix (the model's signingName, else endpointPrefix) ->
    operation names of every model with that prefix."""
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    ops = {}
    for service in session.get_available_services():
        model = loader.load_service_model(service, "service-2")
        meta = model["metadata"]
        prefix = meta.get("signingName") or meta["endpointPrefix"]
        ops.setdefault(prefix, set()).update(model["operations"])
    return ops


def actions_in(node, out, where="", in_lambda_permission=False):
    if isinstance(node, dict):
        if "Effect" in node:
            for key in ("Action", "NotAction"):
                value = node.get(key)
                for a in value if isinstance(value, list) else [value] if value else []:
                    out.append((where, a))
        for key, value in node.items():
            if key == "ZipFile" and isinstance(value, str):
                for a in re.findall(r'"(quicksight:[A-Za-z]+)"', value):
                    out.append((where + "/ZipFile", a))
            actions_in(value, out, f"{where}/{key}", in_lambda_permission)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            actions_in(value, out, f"{where}[{i}]", in_lambda_permission)


def check(action, ops):
    if not isinstance(action, str) or ":" not in action:
        return f"not a service:action string: {action!r}"
    prefix, name = action.split(":", 1)
    if prefix not in ops:
        return f"unknown service prefix {prefix!r}"
    if action in IAM_ONLY:
        real = IAM_ONLY[action]
        return None if real in ops[prefix] else f"{action} stands for {real}, which {prefix} lacks"
    if "*" in name or "?" in name:
        return None if fnmatch.filter(ops[prefix], name) else f"wildcard {action} matches no operation"
    return None if name in ops[prefix] else f"{prefix} has no operation {name!r}"


def main(paths):
    ops = operations_by_prefix()
    bad = 0
    total = 0
    for path in paths:
        template, matches = decode(path)
        if matches:
            print(f"{path}: cannot parse: {matches}")
            bad += 1
            continue
        found = []
        for name, resource in template.get("Resources", {}).items():
            actions_in(resource, found, f"{name}")
            if resource.get("Type") == "AWS::Lambda::Permission":
                found.append((name, resource["Properties"]["Action"]))
        for where, action in found:
            total += 1
            problem = check(action, ops)
            if problem:
                bad += 1
                print(f"{path}: {where}: {problem}")
    print(f"{total} actions checked in {len(paths)} templates, {bad} bad")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
