#!/usr/bin/env python3
"""Creates the test bucket through test/fakes/s3_sigv4_proxy.py with boto3.

This also checks the proxy against botocore's own requests: objects whose
keys hold + = ~ % spaces and non-ASCII characters are put, read back, copied
and deleted through the proxy, and a request signed with a wrong secret must
be refused.

Usage: s3_setup.py PROXY_URL ACCESS_KEY_ID SECRET BUCKET
"""
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, akid, secret, bucket = sys.argv[1:5]


def client(sec):
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id=akid, aws_secret_access_key=sec,
                        config=Config(s3={"addressing_style": "path"},
                                      retries={"mode": "standard", "max_attempts": 1}))


s3 = client(secret)
s3.create_bucket(Bucket=bucket)
for key in ["boto a b+c%d=e~f", "boto/\u00e9\u4e2d\U0001F600/deep/x", "boto q?x&y=z#h"]:
    s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    s3.copy_object(Bucket=bucket, Key=key + ".copy", CopySource={"Bucket": bucket, "Key": key})
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=key)["Contents"]]
    assert listed == [key, key + ".copy"], listed
    s3.delete_object(Bucket=bucket, Key=key)
    s3.delete_object(Bucket=bucket, Key=key + ".copy")
try:
    client("wrong-secret").list_objects_v2(Bucket=bucket)
    sys.exit("the proxy accepted a request signed with a wrong secret")
except ClientError as e:
    assert e.response["Error"]["Code"] == "SignatureDoesNotMatch", e.response
print("s3_setup: boto3 through the proxy ok; wrong secret refused")
