#!/usr/bin/env python3
"""A loopback proxy in front of moto_server's S3 that checks SigV4 itself.

moto's own S3 signature check wrongly rejects correctly signed requests
whose key or query holds + = ~ % or non-ASCII characters, so moto runs with
its check off and this proxy checks every request instead, with botocore's
S3SigV4Auth, after decoding and re-encoding the path and the query the way
AWS does (S3: the path is encoded once, '/' and '~' kept; query keys and
values RFC 3986-encoded, '+' a literal plus).  It also checks that
x-amz-content-sha256 is the body's SHA-256 (or UNSIGNED-PAYLOAD) and that
X-Amz-Date is within 15 minutes.  A request that passes is forwarded to
moto with its bytes unchanged: same request target, same header lines, same
body (nothing added, in particular no default Content-Type, which would
make moto swallow the body).  A request that fails gets a 403
SignatureDoesNotMatch (or the matching AWS code) and never reaches moto.

  s3_sigv4_proxy.py --upstream http://127.0.0.1:PORT --port-file FILE
  env MAO_PROXY_CREDENTIALS: "AKID:SECRET[,AKID2:SECRET2...]"

GET /__proxy/stats answers {"verified": n, "rejected": m} (unsigned).
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from loopback import serve
from sigv4_verify import Refused, secrets_from_env, verify

STATS = {"verified": 0, "rejected": 0}
LOCK = threading.Lock()
SECRETS = {}
UPSTREAM = None
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("s3_sigv4_proxy: " + (fmt % args) + "\n")

    def reply(self, code, body, ctype="application/xml"):
        body = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path == "/__proxy/stats":
            with LOCK:
                return self.reply(200, json.dumps(STATS), "application/json")
        try:
            verify(self.command, self.path, self.headers, body, SECRETS, s3=True, who="s3_sigv4_proxy")
        except Refused as e:
            with LOCK:
                STATS["rejected"] += 1
            return self.reply(403, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code>"
                              "<Message>%s</Message><RequestId>proxy-%d</RequestId></Error>"
                              % (e.code, e.message, int(time.time() * 1000)))
        with LOCK:
            STATS["verified"] += 1
        up = urllib.parse.urlsplit(UPSTREAM)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=120)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                conn.putheader(name, value)
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response_only(resp.status, resp.reason)
            length_sent = False
            for name, value in resp.getheaders():
                ln = name.lower()
                if ln in HOP_BY_HOP:
                    continue
                if ln == "content-length":
                    if self.command != "HEAD":
                        continue
                    length_sent = True
                self.send_header(name, value)
            if not length_sent:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        finally:
            conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def main():
    global UPSTREAM
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0,
                    help="listen on this port (default: any free one); lets a test restart the proxy in place")
    args = ap.parse_args()
    UPSTREAM = args.upstream
    SECRETS.update(secrets_from_env(os.environ.get("MAO_PROXY_CREDENTIALS")))
    serve(Handler, args.port_file, args.port)


if __name__ == "__main__":
    main()
