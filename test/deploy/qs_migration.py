#!/usr/bin/env python3
"""Runs the QuickSight migration function of MAO-QS-Migration.yaml (its
inline code, as Lambda would) against botocore stubs: every request it makes
is validated by botocore against the RDS and QuickSight models before the
stub answers, and the overrides must name the bundle's own data source and
analysis ids.  Runs it with and without the optional parameters, and once
with a failing import job (the function must raise).

usage: qs_migration.py TEMPLATE QUICKSUITE_DIR
"""
import glob
import json
import os
import sys
import types

import boto3
from botocore.stub import ANY, Stubber
from cfnlint.decode import decode

ACCOUNT = "123456789012"
ARN = f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:mao-qs-migration"
VPC = f"arn:aws:quicksight:eu-west-1:{ACCOUNT}:vpcConnection/mao"


def run(code, env, bundle_ids, job_status="SUCCESSFUL"):
    qs = boto3.client("quicksight", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    rds = boto3.client("rds", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    sq, sr = Stubber(qs), Stubber(rds)
    sr.add_response("describe_db_clusters", {"DBClusters": [{
        "Endpoint": "mao.cluster-abc.eu-west-1.rds.amazonaws.com", "Port": 5432}]},
        {"DBClusterIdentifier": env["AURORA_CLUSTER_ARN"]})
    if not env.get("VPC_CONNECTION_ARN"):
        sq.add_response("list_vpc_connections", {"VPCConnectionSummaries": [
            {"Arn": VPC + "-old", "AvailabilityStatus": "UNAVAILABLE"},
            {"Arn": VPC, "AvailabilityStatus": "AVAILABLE"}]}, {"AwsAccountId": ACCOUNT})
    seen = {}

    def capture(params, **_):
        if params.get("AssetBundleImportSource"):
            seen.update(params)
    qs.meta.events.register("provide-client-params.quicksight.StartAssetBundleImportJob", capture)
    sq.add_response("start_asset_bundle_import_job", {"Status": 202},
                    {"AwsAccountId": ACCOUNT, "AssetBundleImportJobId": ANY, "AssetBundleImportSource": ANY,
                     "OverrideParameters": ANY, "FailureAction": "ROLLBACK",
                     **({"OverridePermissions": ANY} if env.get("QS_PRINCIPAL_ARN") else {})})
    sq.add_response("describe_asset_bundle_import_job", {"JobStatus": "IN_PROGRESS"}, None)
    sq.add_response("describe_asset_bundle_import_job", {"JobStatus": job_status,
                                                          "Errors": [{"Message": "x"}] if job_status != "SUCCESSFUL" else []}, None)
    fake_boto3 = types.SimpleNamespace(client=lambda name, region_name=None: {"quicksight": qs, "rds": rds}[name])
    fake_time = types.SimpleNamespace(sleep=lambda s: None, time=lambda: 1700000000)
    module = {}
    os.environ.update(env)
    for k in ("VPC_CONNECTION_ARN", "QS_PRINCIPAL_ARN"):
        if not env.get(k):
            os.environ.pop(k, None)
    exec(compile(code.replace("import os, time, boto3", "import os"), "index.py", "exec"), module)
    module["boto3"], module["time"] = fake_boto3, fake_time
    ctx = types.SimpleNamespace(invoked_function_arn=ARN)
    with sq, sr:
        try:
            result = module["handler"]({}, ctx)
        except RuntimeError as e:
            return None, seen, str(e)
        sq.assert_no_pending_responses()
        sr.assert_no_pending_responses()
    o = seen["OverrideParameters"]
    problems = []
    if [d["DataSourceId"] for d in o["DataSources"]] != [bundle_ids["datasource"]]:
        problems.append(f"overrides data source {o['DataSources']}, the bundle's is {bundle_ids['datasource']}")
    if [a["AnalysisId"] for a in o["Analyses"]] != [bundle_ids["analysis"]]:
        problems.append(f"overrides analysis {o['Analyses']}, the bundle's is {bundle_ids['analysis']}")
    if o["DataSources"][0]["VpcConnectionProperties"]["VpcConnectionArn"] != (env.get("VPC_CONNECTION_ARN") or VPC):
        problems.append("wrong VPC connection chosen")
    return result, seen, "; ".join(problems)


def main(template, top):
    t, m = decode(template)
    fn = t["Resources"]["MigrationFunction"]["Properties"]
    code = fn["Code"]["ZipFile"]
    ids = {"datasource": json.load(open(glob.glob(os.path.join(top, "bundle/datasource/*.json"))[0]))["DataSourceId"],
           "analysis": json.load(open(glob.glob(os.path.join(top, "bundle/analysis/*.json"))[0]))["AnalysisId"]}
    env_names = set(fn["Environment"]["Variables"])
    base = {"REGION": "eu-west-1", "AURORA_CLUSTER_ARN": f"arn:aws:rds:eu-west-1:{ACCOUNT}:cluster:mao",
            "AURORA_SECRET_ARN": f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:rds!cluster-abc",
            "S3_URI": "s3://mao-data/quicksuite/MAO-Analysis.qs", "ANALYSIS_NAME": "MAO", "DB_NAME": "core",
            "VPC_CONNECTION_ARN": "", "QS_PRINCIPAL_ARN": ""}
    failures = 0
    if set(base) != env_names:
        print(f"FAIL: the function's environment {sorted(env_names)} is not what this test sets {sorted(base)}")
        failures += 1
    cases = [("defaults", {}, "SUCCESSFUL"),
             ("VPC connection and principal given",
              {"VPC_CONNECTION_ARN": VPC, "QS_PRINCIPAL_ARN": f"arn:aws:quicksight:eu-west-1:{ACCOUNT}:group/default/admins"},
              "SUCCESSFUL"),
             ("failed import", {}, "FAILED_ROLLBACK_COMPLETED")]
    for name, extra, status in cases:
        try:
            result, seen, problem = run(code, dict(base, **extra), ids, status)
        except Exception as e:  # a request botocore rejects lands here
            print(f"FAIL: {name}: {type(e).__name__}: {e}")
            failures += 1
            continue
        if status != "SUCCESSFUL":
            ok = result is None and status in problem
        else:
            ok = not problem and result and result["status"] == "SUCCESSFUL"
        print(("ok" if ok else "FAIL") + f": {name}" + (f": {problem}" if problem else ""))
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
