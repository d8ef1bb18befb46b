#!/usr/bin/env python3
"""Loopback fakes of the EC2 instance metadata service (IMDSv2 only) and of
the ECS/EKS container credentials endpoint, for the credentials chain tests.

IMDS (token required, as with HttpTokens=required):
  PUT /latest/api/token            needs X-aws-ec2-metadata-token-ttl-seconds;
                                   answers a fresh token
  GET /latest/meta-data/...        401 without a valid X-aws-ec2-metadata-token
      iam/security-credentials/           the role name
      iam/security-credentials/<role>     JSON credentials, a new AccessKeyId
                                          (ASIAIMDS0001, 0002, ...) each time
      placement/region                    the region (--region)
Container:
  GET /creds/...                   401 unless Authorization equals --container-token;
                                   JSON credentials ASIAECS0001, ...
Both: Expiration = now + --expires seconds.
With --mint SETUP_JSON --mint-endpoint URL (a moto_server with signature
checking and the admin user of test/fakes/moto_setup.py's SETUP_JSON), every
credentials answer is a real access key of a new allow-all IAM user there,
deleted again --revoke-after seconds later (a real expiry: requests signed
with it are then refused), so a test can watch a long run refresh its
credentials without waiting for the SDKs' ten-minute refresh window.
  GET /__stats                     JSON counters (tokens, imds_creds,
                                   container_creds, unauthorized, revoked) and
                                   the minted keys ("minted": [[akid, secret]])
"""
import argparse
import datetime
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler

from loopback import serve

ROLE = "mao-instance-role"
LOCK = threading.Lock()
STATS = {"tokens": 0, "imds_creds": 0, "container_creds": 0, "unauthorized": 0, "revoked": 0}
TOKENS = set()
MINT_IAM = []  # the IAM client of --mint, made once at start
MINTED = []  # [akid, secret] of every minted key, for the test to try them
ARGS = None


def mint(n):
    """A new IAM user's access key in moto, revoked after --revoke-after seconds."""
    iam = MINT_IAM[0]
    user = "mao-minted-%d" % n
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    with LOCK:
        MINTED.append([key["AccessKeyId"], key["SecretAccessKey"]])

    def revoke():
        iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
        with LOCK:
            STATS["revoked"] += 1
        sys.stderr.write("metadata_server: revoked %s\n" % key["AccessKeyId"])
    t = threading.Timer(ARGS.revoke_after, revoke)
    t.daemon = True
    t.start()
    return key["AccessKeyId"], key["SecretAccessKey"]


def creds(prefix, n):
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=ARGS.expires)
    akid, secret = ("%s%04d" % (prefix, n), "secret-%s-%d" % (prefix, n))
    if ARGS.mint:
        akid, secret = mint(n)
    answer = {
        "Code": "Success", "Type": "AWS-HMAC",
        "AccessKeyId": akid,
        "SecretAccessKey": secret,
        "Token": "token-%s-%d" % (prefix, n),
        "Expiration": exp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "LastUpdated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if ARGS.mint:
        del answer["Token"]   # moto takes a key sent with a token for an assumed role's
    return json.dumps(answer)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("metadata_server: " + (fmt % args) + "\n")

    def send(self, code, body, ctype="text/plain"):
        body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def count(self, key):
        with LOCK:
            STATS[key] += 1
            return STATS[key]

    def do_PUT(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if self.path != "/latest/api/token":
            return self.send(404, "not found")
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.send(400, "missing ttl")
        tok = secrets.token_urlsafe(24)
        with LOCK:
            TOKENS.add(tok)
        self.count("tokens")
        return self.send(200, tok)

    def do_GET(self):
        if self.path == "/__stats":
            with LOCK:
                return self.send(200, json.dumps(dict(STATS, minted=MINTED)), "application/json")
        if self.path.startswith("/creds/"):
            if self.headers.get("Authorization") != ARGS.container_token:
                self.count("unauthorized")
                return self.send(401, "unauthorized")
            return self.send(200, creds("ASIAECS", self.count("container_creds")), "application/json")
        if self.path.startswith("/latest/meta-data/"):
            with LOCK:
                ok = self.headers.get("X-aws-ec2-metadata-token") in TOKENS
            if not ok:
                self.count("unauthorized")
                return self.send(401, "")
            rest = self.path[len("/latest/meta-data/"):]
            if rest == "iam/security-credentials/":
                return self.send(200, ROLE)
            if rest == "iam/security-credentials/" + ROLE:
                return self.send(200, creds("ASIAIMDS", self.count("imds_creds")), "text/plain")
            if rest == "placement/region":
                return self.send(200, ARGS.region)
        return self.send(404, "not found")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--container-token", default="Bearer container-secret-token")
    ap.add_argument("--region", default="eu-west-3")
    ap.add_argument("--expires", type=int, default=3600)
    ap.add_argument("--mint", help="moto_setup.py's JSON: hand out real moto keys")
    ap.add_argument("--mint-endpoint", help="the moto_server those keys belong to")
    ap.add_argument("--revoke-after", type=float, default=3600)
    ARGS = ap.parse_args()
    if ARGS.mint:
        import boto3
        setup = json.load(open(ARGS.mint))
        MINT_IAM.append(boto3.client("iam", endpoint_url=ARGS.mint_endpoint, region_name="us-east-1",
                                     aws_access_key_id=setup["access_key_id"],
                                     aws_secret_access_key=setup["secret_access_key"]))
    serve(Handler, ARGS.port_file)


if __name__ == "__main__":
    main()
