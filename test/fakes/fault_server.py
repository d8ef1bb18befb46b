#!/usr/bin/env python3
"""A loopback HTTP/1.1 server that misbehaves on request, for lib/ tests.

Binds 127.0.0.1 on a free port and writes the port to --port-file once it
is listening.  Keep-alive connections, so connection reuse can be observed.

Every route takes key=K (a counter name) and times=N (misbehave for the
first N requests of that key, then answer 200 with a small JSON body):

  /ok                      200 {"conn": <connection number>, "hits": n}
  /echo                    200 JSON: method, path, query, headers, body length and sha256
  /status?code=503         that HTTP status with an AWS-style XML error body
  /throttle?style=json     400 {"__type": "ThrottlingException", ...}
  /throttle?style=xml      503 <Error><Code>SlowDown</Code>...
  /throttle?style=429      429 TooManyRequestsException (JSON)
  /throttle?style=query    400 <ErrorResponse><Error><Code>Throttling</Code>... (Query protocol)
  /reset                   closes the connection without an answer (RST)
  /stall?secs=S            waits S seconds before answering
  /big?bytes=N             N bytes of 'x' (Content-Length set)
  /copyerr[N]              200 with an S3 <Error> body (CopyObject's failure mode),
                           the first N times only when N is given
  /sigfail                 403 SignatureDoesNotMatch (JSON); never recovers
  /denied                  403 AccessDeniedException (JSON); never recovers
  /skew?offset=S           400 RequestTimeTooSkewed (XML) unless the request's
                           X-Amz-Date is within 5 minutes of (now + S); the
                           Date header always says now + S
  /hits?key=K              200 {"hits": n} without counting itself

Paths may have any prefix, e.g. /svc/throttle, so that an AWS client whose
endpoint is this server with a path can be pointed at a behaviour.
"""
import argparse
import email.utils
import hashlib
import json
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from loopback import serve

HITS = {}
LOCK = threading.Lock()
CONN_COUNTER = [0]


def hit(key):
    with LOCK:
        HITS[key] = HITS.get(key, 0) + 1
        return HITS[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with LOCK:
            CONN_COUNTER[0] += 1
            self.conn_no = CONN_COUNTER[0]

    def log_message(self, fmt, *args):
        sys.stderr.write("fault_server: " + (fmt % args) + "\n")

    def send(self, code, body, ctype="application/json", extra=None):
        if isinstance(body, str):
            body = body.encode()
        extra = dict(extra or {})
        self.log_request(code)
        self.send_response_only(code)
        self.send_header("Date", extra.pop("Date", None) or self.date_time_string())
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "req-%d" % int(time.time() * 1000))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        route = u.path.rstrip("/").rsplit("/", 1)[-1]
        key = q.get("key", route)
        if route == "hits":
            with LOCK:
                return self.send(200, json.dumps({"hits": HITS.get(key, 0)}))
        count = hit(key)
        bad = count <= int(q.get("times", "1000000"))
        if route == "ok":
            return self.send(200, json.dumps({"conn": self.conn_no, "hits": count}))
        if route == "echo":
            return self.send(200, json.dumps({
                "method": self.command, "path": u.path, "query": u.query,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body_len": len(body),
                "body_sha256": hashlib.sha256(body).hexdigest()}))
        if route == "big":
            size = int(q.get("bytes", "0"))
            return self.send(200, b"x" * size, "application/octet-stream")
        if route.startswith("copyerr"):
            # /.../copyerrN: the first N hits (key = the route) fail; plain copyerr always fails
            n = route[len("copyerr"):]
            if n.isdigit() and count > int(n):
                return self.send(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult>"
                                 "<LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                                 "<ETag>&quot;0123&quot;</ETag></CopyObjectResult>", "application/xml")
            return self.send(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
                             "<Message>We encountered an internal error. Please try again.</Message>"
                             "<RequestId>copy-%d</RequestId></Error>" % count, "application/xml")
        if route == "sigfail":
            return self.send(403, json.dumps({
                "__type": "SignatureDoesNotMatch",
                "message": "The request signature we calculated does not match"}))
        if route == "denied":
            return self.send(403, json.dumps({
                "__type": "AccessDeniedException", "Message": "not allowed"}))
        if route == "skew":
            now = time.time() + float(q.get("offset", "0"))
            date = email.utils.formatdate(now, usegmt=True)
            amz = self.headers.get("X-Amz-Date", "")
            try:
                t = time.mktime(time.strptime(amz, "%Y%m%dT%H%M%SZ")) - time.timezone
            except ValueError:
                t = 0
            if abs(t - now) > 300:
                return self.send(400, "<?xml version=\"1.0\"?><Error><Code>RequestTimeTooSkewed</Code>"
                                 "<Message>The difference between the request time and the current "
                                 "time is too large.</Message><RequestId>skew-1</RequestId></Error>",
                                 "application/xml", {"Date": date})
            return self.send(200, json.dumps({"hits": count}), extra={"Date": date})
        if not bad:
            return self.send(200, json.dumps({"hits": count, "recovered": True}))
        if route == "status":
            code = int(q.get("code", "503"))
            name = "ServiceUnavailable" if code >= 500 else "InvalidRequest"
            return self.send(code, "<Error><Code>%s</Code><Message>try again</Message>"
                             "<RequestId>r-%d</RequestId></Error>" % (name, count), "application/xml")
        if route == "throttle":
            style = q.get("style", "json")
            if style == "xml":
                return self.send(503, "<Error><Code>SlowDown</Code><Message>Please reduce your "
                                 "request rate.</Message><RequestId>s3-%d</RequestId></Error>" % count,
                                 "application/xml")
            if style == "query":
                return self.send(400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                                 "<Message>Rate exceeded</Message></Error><RequestId>q-%d</RequestId>"
                                 "</ErrorResponse>" % count, "text/xml")
            if style == "429":
                return self.send(429, json.dumps({"__type": "TooManyRequestsException",
                                                  "message": "slow down"}))
            return self.send(400, json.dumps({"__type": "com.amazonaws.kms#ThrottlingException",
                                              "message": "Rate exceeded"}))
        if route == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return None
        if route == "stall":
            time.sleep(float(q.get("secs", "30")))
            return self.send(200, json.dumps({"hits": count, "stalled": True}))
        return self.send(404, json.dumps({"__type": "NotFound", "message": "no route " + route}))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    serve(Handler, args.port_file)


if __name__ == "__main__":
    main()
