#!/usr/bin/env python3
"""What the templates promise, read from the templates themselves: the guide's
parameters and outputs, and the least-privilege properties of the issue.

usage: policies_check.py CLOUDFORMATION_DIR    (exit 1 on any problem)
"""
import os
import sys

from cfnlint.decode import decode

GUIDE_PARAMETERS = {
    "MAO-Analytics.yaml": ["Category", "CustomerName", "Environment", "PartnerName", "ProductName",
                           "S3BucketName", "SenderAccounts"],
    "MAO-Sender.yaml": ["S3Bucket", "AnalyticsAccount", "Region", "AnalyticsKMSKey", "CustomerName",
                        "PartnerName", "Category", "Environment"],
    "MAO-QS-Migration.yaml": ["Region", "AuroraClusterArn", "AuroraSecretArn", "S3Bucket", "S3Uri",
                              "NewAnalysisName", "KMSKeyArn"],
}
ANALYTICS = ["MAO-Analytics.yaml", "A360-Analytics.yaml", "A360-Analytics-Custom-VPC.yaml",
             "MAO-PostgreSQL-EC2.yaml"]
AURORA_OUTPUTS = ["S3Bucket", "KMSKeyArn", "VpcId", "PrivateSubnetIds", "QuickSightSecurityGroupId",
                  "AuroraClusterArn", "AuroraEndpoint", "AuroraSecretArn", "DatabaseName"]
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


def as_list(x):
    return x if isinstance(x, list) else [x]


def branches(stmt):
    """A statement, or both branches of an Fn::If choosing between two."""
    if "Fn::If" in stmt:
        return [stmt["Fn::If"][1], stmt["Fn::If"][2]]
    return [stmt]


def by_type(t, kind):
    return {n: r for n, r in t["Resources"].items() if r["Type"] == kind}


def check_analytics(name, t):
    res = t["Resources"]
    key = res["AnalyticsKey"]["Properties"]
    need(key["EnableKeyRotation"] is True, f"{name}: key rotation off")
    for stmt in key["KeyPolicy"]["Statement"]:
        for s in branches(stmt):
            principal = s["Principal"]
            if principal.get("AWS") == {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"} \
                    or "Service" in principal:
                continue
            need(as_list(s["Action"]) == ["kms:GenerateDataKey"],
                 f"{name}: senders get {s['Action']} from the key, not only kms:GenerateDataKey")
            eq = s.get("Condition", {}).get("StringEquals", {})
            own = eq.get("kms:EncryptionContext:mao:account") == "${aws:PrincipalAccount}"
            via_s3 = "kms:ViaService" in eq and "kms:EncryptionContext:aws:s3:arn" in eq
            need(own or via_s3, f"{name}: key statement {s['Sid']} lacks the mao:account (or S3-only) condition")
            if principal.get("AWS") == "*":
                need("aws:PrincipalOrgID" in eq, f"{name}: {s['Sid']} open to '*' without aws:PrincipalOrgID")
    for b in ("DataBucket", "LogsBucket"):
        p = res[b]["Properties"]
        sse = p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        need(sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
             and sse["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == {"Fn::GetAtt": ["AnalyticsKey", "Arn"]},
             f"{name}: {b} not SSE-KMS with the analytics key")
        need(p["VersioningConfiguration"]["Status"] == "Enabled", f"{name}: {b} not versioned")
        need(all(p["PublicAccessBlockConfiguration"][k] is True for k in
                 ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")),
             f"{name}: {b} public access not fully blocked")
        pol = res[b + "Policy"]["Properties"]["PolicyDocument"]["Statement"]
        need(any(s.get("Effect") == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
                 for s in pol), f"{name}: {b} does not deny plain HTTP")
    for stmt in res["DataBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]:
        for s in branches(stmt):
            if s["Effect"] != "Allow":
                continue
            need(as_list(s["Action"]) == ["s3:PutObject"], f"{name}: senders get {s['Action']} on the bucket")
            need(s["Resource"] == {"Fn::Sub": "${DataBucket.Arn}/data/${!aws:PrincipalAccount}/*"},
                 f"{name}: senders may put outside data/<their account>/: {s['Resource']}")
    need(not by_type(t, "AWS::EC2::InternetGateway") and not by_type(t, "AWS::EC2::NatGateway"),
         f"{name}: the VPC has a route to the Internet")
    for n, s in by_type(t, "AWS::EC2::Subnet").items():
        need(s["Properties"].get("MapPublicIpOnLaunch") is False, f"{name}: subnet {n} maps public addresses")
    need(by_type(t, "AWS::EC2::VPCEndpoint"), f"{name}: no VPC endpoints")
    need("QuickSightSecurityGroup" in res, f"{name}: no QuickSight security group")
    for n, c in by_type(t, "AWS::RDS::DBCluster").items():
        p = c["Properties"]
        need("ServerlessV2ScalingConfiguration" in p and p["Engine"] == "aurora-postgresql",
             f"{name}: {n} is not Aurora PostgreSQL Serverless v2")
        need(p.get("StorageEncrypted") is True and p.get("ManageMasterUserPassword") is True,
             f"{name}: {n} unencrypted or without its managed secret")
        for o in AURORA_OUTPUTS:
            need(o in t.get("Outputs", {}), f"{name}: output {o} missing")
    for n, i in by_type(t, "AWS::RDS::DBInstance").items():
        need(i["Properties"].get("PubliclyAccessible") is False, f"{name}: {n} publicly accessible")
    for n, lt in by_type(t, "AWS::EC2::LaunchTemplate").items():
        need(lt["Properties"]["LaunchTemplateData"]["MetadataOptions"]["HttpTokens"] == "required",
             f"{name}: {n} allows IMDSv1")


def check_sender(name, t):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "cloudformation", "src"))
    sys.dont_write_bytecode = True
    import sender_api
    res = t["Resources"]
    f = res["SenderFunction"]["Properties"]
    need(f["Runtime"] == "provided.al2023" and "S3Key" in f["Code"] and "ZipFile" not in f["Code"],
         f"{name}: the sender is not a custom-runtime function from its own package")
    stmts = res["SenderRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    reads = sorted(a for s in stmts if s["Sid"].startswith("ReadOnlyCollectors") for a in as_list(s["Action"]))
    need(reads == sender_api.all_actions(),
         f"{name}: read-only grants differ from the sender's calls: "
         f"{sorted(set(reads) ^ set(sender_api.all_actions()))}")
    need(all("*" not in a for a in reads), f"{name}: wildcard in the sender's read grants")
    everything = [a for s in stmts for a in as_list(s["Action"])]
    need("s3:GetObject" not in everything, f"{name}: the sender may read objects (code fetched at run time?)")
    put = [s for s in stmts if "s3:PutObject" in as_list(s["Action"])]
    need(len(put) == 1 and put[0]["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:s3:::${S3Bucket}/data/${AWS::AccountId}/*"},
        f"{name}: PutObject not limited to data/<own account>/")
    gdk = [s for s in stmts if "kms:GenerateDataKey" in as_list(s["Action"])]
    need(all(s["Condition"]["StringEquals"].get("kms:EncryptionContext:mao:account") == {"Ref": "AWS::AccountId"}
             or "kms:ViaService" in s["Condition"]["StringEquals"] for s in gdk),
         f"{name}: GenerateDataKey without the mao:account or S3-only condition")


def main(top):
    for name in sorted(os.listdir(top)):
        if not name.endswith(".yaml"):
            continue
        t, matches = decode(os.path.join(top, name))
        if matches:
            problems.append(f"{name}: {matches}")
            continue
        for p in GUIDE_PARAMETERS.get(name, []):
            need(p in t.get("Parameters", {}), f"{name}: the guide's parameter {p} is missing")
        if name in ANALYTICS:
            check_analytics(name, t)
        if name == "MAO-Sender.yaml":
            check_sender(name, t)
        if name == "MAO-Sender-StackSet.yaml":
            ss = t["Resources"]["SenderStackSet"]["Properties"]
            body = open(os.path.join(top, "MAO-Sender.yaml")).read()
            need(ss["TemplateBody"] == body, f"{name}: embeds a different MAO-Sender.yaml")
            need(ss["PermissionModel"] == "SERVICE_MANAGED" and ss["AutoDeployment"]["Enabled"] is True,
                 f"{name}: not an organisation-wide auto-deployed StackSet")
    for p in problems:
        print("ERROR:", p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
