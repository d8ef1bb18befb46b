#!/usr/bin/env python3
"""Seeds a signature-checking moto_server with what mao-sender collects.

Signed with the IAM user of test/fakes/moto_setup.py (its JSON file), in one
region: EC2 instances, volumes and subnets, RDS instances, ELBv2 load
balancers, Auto Scaling groups, Lambda functions, KMS keys, Secrets Manager
secrets, ACM certificates, CloudTrail trails and an alternate contact, each
more than a page of --page-size 5 (RDS more than its smallest page, 20).
Then lists everything back with boto3 (all pages) and writes what the
sender should find, and a second IAM user whose policy denies kms:*.

Lambda goes to LAMBDA_ENDPOINT_URL, a second moto_server without the
signature check: moto 5.2's check rejects every signed ListFunctions (GET
/2015-03-31/functions/, with or without the slash), boto3's included.

Usage: seed.py ENDPOINT_URL SETUP_JSON REGION OUT_JSON LAMBDA_ENDPOINT_URL
"""
import io
import json
import sys
import urllib.request
import zipfile

import boto3

endpoint, setup_path, region, out, lambda_endpoint = sys.argv[1:6]
setup = json.load(open(setup_path))
kw = dict(endpoint_url=endpoint, region_name=region,
          aws_access_key_id=setup["access_key_id"], aws_secret_access_key=setup["secret_access_key"])
c = lambda name: boto3.client(name, **kw)  # noqa: E731
N = 12
expect = {"account": setup["account"]}

ec2 = c("ec2")
ami = ec2.describe_images()["Images"][0]["ImageId"]
vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:3]
subnets = []
for i in range(N):
    s = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=azs[i % 3])["Subnet"]
    ec2.create_tags(Resources=[s["SubnetId"]], Tags=[{"Key": "Name", "Value": f"mao-subnet-{i}"}])
    subnets.append(s["SubnetId"])
for i in range(N):
    ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnets[i],
                      TagSpecifications=[{"ResourceType": "instance",
                                          "Tags": [{"Key": "Name", "Value": f"mao-vm-{i}"}]}])
for i in range(N):
    ec2.create_volume(AvailabilityZone=azs[i % 3], Size=10 + i, VolumeType="gp3",
                      TagSpecifications=[{"ResourceType": "volume",
                                          "Tags": [{"Key": "Name", "Value": f"mao-vol-{i}"}]}])

rds = c("rds")
for i in range(25):
    rds.create_db_instance(DBInstanceIdentifier=f"mao-db-{i:02d}", DBInstanceClass="db.t3.micro",
                           Engine="postgres", AllocatedStorage=20, MasterUsername="mao",
                           MasterUserPassword="not-a-secret-1", MultiAZ=(i % 2 == 0))

elb = c("elbv2")
for i in range(7):
    elb.create_load_balancer(Name=f"mao-lb-{i}", Subnets=subnets[:2], Scheme="internal",
                             Type="application")

asg = c("autoscaling")
asg.create_launch_configuration(LaunchConfigurationName="mao-lc", ImageId=ami, InstanceType="t3.micro")
for i in range(7):
    asg.create_auto_scaling_group(AutoScalingGroupName=f"mao-asg-{i}", LaunchConfigurationName="mao-lc",
                                  MinSize=0, MaxSize=3, DesiredCapacity=1 if i < 2 else 0,
                                  VPCZoneIdentifier=subnets[i % 3])

iam = c("iam")
lkw = dict(kw, endpoint_url=lambda_endpoint)
role = boto3.client("iam", **lkw).create_role(RoleName="mao-lambda", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w") as z:
    z.writestr("index.py", "def handler(e, c):\n    return 1\n")
lam = boto3.client("lambda", **lkw)
arns = []
for i in range(N):
    arns += [lam.create_function(FunctionName=f"mao-fn-{i:02d}", Runtime="python3.12", Role=role,
                        Handler="index.handler", Code={"ZipFile": zbuf.getvalue()},
                        MemorySize=128 * (1 + i % 4))["FunctionArn"]]

kms = c("kms")
for i in range(8):
    kms.create_key(Description=f"mao key {i}")
kms.create_key(Description="mao asymmetric", KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")

sm = c("secretsmanager")
for i in range(N):
    sm.create_secret(Name=f"mao/secret-{i:02d}", SecretString="x", Description=f"secret {i}",
                     Tags=[{"Key": "team", "Value": "mao"}])

acm = c("acm")
for i in range(7):
    acm.request_certificate(DomainName=f"app{i}.example.com",
                            SubjectAlternativeNames=[f"app{i}.example.com", f"www.app{i}.example.com"])

s3 = c("s3")
create = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
s3.create_bucket(Bucket="mao-trail-logs", **create)
ct = c("cloudtrail")
for i in range(2):
    ct.create_trail(Name=f"mao-trail-{i}", S3BucketName="mao-trail-logs", IsMultiRegionTrail=(i == 0))
ct.start_logging(Name="mao-trail-0")

acct = c("account")
acct.put_alternate_contact(AlternateContactType="BILLING", Name="Ada Billing", Title="CFO",
                           EmailAddress="billing@example.com", PhoneNumber="+1-555-0100")

# WAFv2: seven regional web ACLs (more than a page of 5) and one for CloudFront
waf = c("wafv2")
vis = lambda n: {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": n}  # noqa: E731
ipset = waf.create_ip_set(Name="mao-block", Scope="REGIONAL", IPAddressVersion="IPV4",
                          Addresses=["192.0.2.0/24"])["Summary"]["ARN"]
rules = [
    {"Name": "aws-common", "Priority": 0, "OverrideAction": {"None": {}}, "VisibilityConfig": vis("c"),
     "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesSQLiRuleSet"}}},
    {"Name": "rate", "Priority": 1, "Action": {"Block": {}}, "VisibilityConfig": vis("r"),
     "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}}},
    {"Name": "geo", "Priority": 2, "Action": {"Block": {}}, "VisibilityConfig": vis("g"),
     "Statement": {"GeoMatchStatement": {"CountryCodes": ["KP", "IR"]}}},
    {"Name": "ips", "Priority": 3, "Action": {"Block": {}}, "VisibilityConfig": vis("i"),
     "Statement": {"IPSetReferenceStatement": {"ARN": ipset}}},
]
acl_arns = []
for i in range(7):
    acl_arns.append(waf.create_web_acl(Name=f"mao-acl-{i}", Scope="REGIONAL", DefaultAction={"Allow": {}},
                                       Description=f"acl {i}", VisibilityConfig=vis(f"acl{i}"),
                                       Rules=rules if i == 0 else rules[1:2])["Summary"]["ARN"])
waf.create_web_acl(Name="mao-cf", Scope="CLOUDFRONT", DefaultAction={"Block": {}}, VisibilityConfig=vis("cf"),
                   Rules=rules[2:3])
lb0 = elb.describe_load_balancers(Names=["mao-lb-0"])["LoadBalancers"][0]["LoadBalancerArn"]
waf.associate_web_acl(WebACLArn=acl_arns[0], ResourceArn=lb0)
waf.put_logging_configuration(LoggingConfiguration={
    "ResourceArn": acl_arns[0],
    "LogDestinationConfigs": [f"arn:aws:logs:{region}:{setup['account']}:log-group:aws-waf-logs-mao"]})
expect["waf_lb0"] = lb0

# Security Hub: twelve findings of two products (moto ignores GetFindings' filters)
sh = c("securityhub")
sh.enable_security_hub()
findings = []
for i in range(12):
    prod = "GuardDuty" if i < 7 else "Inspector"
    findings.append({
        "SchemaVersion": "2018-10-08", "Id": f"mao-finding-{i:02d}",
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/{prod.lower()}",
        "ProductName": prod, "CompanyName": "AWS", "GeneratorId": f"gen-{i % 3}", "AwsAccountId": setup["account"],
        "Types": ["Software and Configuration Checks"], "Region": region,
        "CreatedAt": "2026-11-19T10:00:00.000Z", "UpdatedAt": "2026-11-19T11:00:00.000Z",
        "Severity": {"Label": ["CRITICAL", "HIGH", "MEDIUM", "LOW"][i % 4]},
        "Workflow": {"Status": "RESOLVED" if i % 5 == 0 else "NEW"}, "RecordState": "ACTIVE",
        "Title": f"finding {i}", "Description": f"what finding {i} is about",
        "Remediation": {"Recommendation": {"Text": f"fix {i}"}},
        "Resources": [{"Type": "AwsEc2Instance", "Id": f"arn:aws:ec2:{region}:{setup['account']}:instance/i-{i:017x}"}],
    })
sh.batch_import_findings(Findings=findings)
expect["security_hub"] = {"GuardDuty": 7, "Inspector": 5}

# Support: three cases, created now (moto stamps the current time)
sup = c("support")
expect["support_cases"] = sorted(sup.create_case(subject=f"mao case {i}", serviceCode="amazon-ec2",
                                                 severityCode="low", categoryCode="other",
                                                 communicationBody=f"case {i}", language="en")["caseId"]
                                 for i in range(3))

# Cost Explorer: moto answers GetCostAndUsage from a queue, one result per
# distinct request in the order they come; mao-sender asks by service, then the
# window's total, then the previous window's total.
services = [("Amazon Elastic Compute Cloud - Compute", "41.5"), ("Amazon Relational Database Service", "30.25"),
            ("AWS Lambda", "0.75"), ("Amazon Simple Storage Service", "3.5"), ("AWS Key Management Service", "1"),
            ("Amazon CloudWatch", "2.25"), ("AWS CloudTrail", "0")]
period = {"Start": "2026-11-19", "End": "2026-11-20"}
ce_results = [
    {"ResultsByTime": [{"TimePeriod": period, "Total": {}, "Estimated": False,
                        "Groups": [{"Keys": [n], "Metrics": {"UnblendedCost": {"Amount": a, "Unit": "USD"}}}
                                   for n, a in services]}]},
    {"ResultsByTime": [{"TimePeriod": period, "Groups": [], "Estimated": False,
                        "Total": {"UnblendedCost": {"Amount": "79.25", "Unit": "USD"}}}]},
    {"ResultsByTime": [{"TimePeriod": {"Start": "2026-11-18", "End": "2026-11-19"}, "Groups": [], "Estimated": False,
                        "Total": {"UnblendedCost": {"Amount": "63.4", "Unit": "USD"}}}]},
]
req = urllib.request.Request(endpoint + "/moto-api/static/ce/cost-and-usage-results",
                             data=json.dumps({"account_id": setup["account"], "results": ce_results}).encode(),
                             method="POST", headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()

# ---- what the sender should find (boto3, all pages) ----
def pages(client, op, key, **args):
    items = []
    for p in client.get_paginator(op).paginate(**args):
        items += p[key]
    return items

expect["EC2"] = sorted(i["InstanceId"] for r in pages(ec2, "describe_instances", "Reservations")
                       for i in r["Instances"])
expect["EBS"] = sorted(v["VolumeId"] for v in pages(ec2, "describe_volumes", "Volumes"))
expect["VPC"] = sorted(s["SubnetId"] for s in pages(ec2, "describe_subnets", "Subnets"))
expect["RDS"] = sorted(d["DBInstanceIdentifier"] for d in pages(rds, "describe_db_instances", "DBInstances"))
expect["ELB"] = sorted(lb["LoadBalancerName"] for lb in pages(elb, "describe_load_balancers", "LoadBalancers"))
expect["AutoScaling"] = sorted(g["AutoScalingGroupName"]
                               for g in pages(asg, "describe_auto_scaling_groups", "AutoScalingGroups"))
expect["Lambda"] = sorted(f["FunctionArn"] for f in pages(lam, "list_functions", "Functions"))
assert sorted(arns) == expect["Lambda"]
keys = []
for k in pages(kms, "list_keys", "Keys"):
    try:
        kms.get_key_rotation_status(KeyId=k["KeyId"])
        keys.append(k["KeyId"])
    except Exception:
        pass
expect["kms"] = sorted(keys)
expect["secrets_manager"] = sorted(s["Name"] for s in pages(sm, "list_secrets", "SecretList"))
expect["certificate_manager"] = sorted(x["CertificateArn"]
                                       for x in pages(acm, "list_certificates", "CertificateSummaryList"))
expect["service"] = [[n, float(a)] for n, a in sorted(services, key=lambda x: -float(x[1]))]
expect["cloudtrail"] = sorted(t["Name"] for t in ct.describe_trails()["trailList"])

# a user whose policy allows everything but KMS
iam.create_user(UserName="mao-no-kms")
k2 = iam.create_access_key(UserName="mao-no-kms")["AccessKey"]
iam.put_user_policy(UserName="mao-no-kms", PolicyName="all-but-kms", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "kms:*", "Resource": "*"}]}))
expect["no_kms_user"] = [k2["AccessKeyId"], k2["SecretAccessKey"]]
json.dump(expect, open(out, "w"), indent=1)
