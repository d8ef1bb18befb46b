#!/usr/bin/env python3
"""A few S3 operations with boto3, for end-to-end tests (signed, path-style).

    s3tool.py URL AKID SECRET mb BUCKET
    s3tool.py URL AKID SECRET put BUCKET KEY FILE
    s3tool.py URL AKID SECRET ls BUCKET [PREFIX]      one key per line, sorted
    s3tool.py URL AKID SECRET get BUCKET KEY FILE
"""
import sys

import boto3
from botocore.config import Config


def main():
    url, akid, secret, cmd, bucket = sys.argv[1:6]
    s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                      aws_access_key_id=akid, aws_secret_access_key=secret,
                      config=Config(s3={"addressing_style": "path"}))
    if cmd == "mb":
        s3.create_bucket(Bucket=bucket)
    elif cmd == "put":
        key, path = sys.argv[6:8]
        with open(path, "rb") as f:
            s3.put_object(Bucket=bucket, Key=key, Body=f.read())
    elif cmd == "ls":
        prefix = sys.argv[6] if len(sys.argv) > 6 else ""
        keys = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys += [o["Key"] for o in page.get("Contents", [])]
        print("\n".join(sorted(keys)))
    elif cmd == "get":
        key, path = sys.argv[6:8]
        with open(path, "wb") as f:
            f.write(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
