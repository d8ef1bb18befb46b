#!/usr/bin/env python3
"""Prepares a moto_server started with INITIAL_NO_AUTH_ACTION_COUNT=0.

moto then checks the SigV4 signature of every request against the access
keys of its IAM users.  This script opens a window of exactly three
unauthenticated actions (POST /moto-api/reset-auth) to create an IAM user,
its access key and an allow-all inline policy, then, signed with that key
(so the checking is on), creates a role to assume and a KMS key.  It writes
a JSON file with the key id and secret of the user, the account, the role
ARN and the KMS key id for the tests.

Usage: moto_setup.py ENDPOINT_URL OUT_JSON
"""
import json
import sys
import urllib.request

import boto3

endpoint, out = sys.argv[1], sys.argv[2]
# (a form Content-Type would make Flask swallow the body)
req = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"3", method="POST",
                             headers={"Content-Type": "text/plain"})
urllib.request.urlopen(req, timeout=10).read()

anon = dict(endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="AKIAIOSFODNN7BOOTSTRAP", aws_secret_access_key="bootstrap")
iam = boto3.client("iam", **anon)
iam.create_user(UserName="mao-test")
key = iam.create_access_key(UserName="mao-test")["AccessKey"]
iam.put_user_policy(UserName="mao-test", PolicyName="all", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))

signed = dict(endpoint_url=endpoint, region_name="us-east-1",
              aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
account = boto3.client("sts", **signed).get_caller_identity()["Account"]
iam = boto3.client("iam", **signed)
role = iam.create_role(RoleName="mao-role", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
iam.put_role_policy(RoleName="mao-role", PolicyName="all", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
kms_key = boto3.client("kms", **signed).create_key(Description="mao test")["KeyMetadata"]
with open(out, "w") as f:
    json.dump({"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"],
               "account": account, "role_arn": role["Role"]["Arn"],
               "key_id": kms_key["KeyId"], "key_arn": kms_key["Arn"]}, f)
