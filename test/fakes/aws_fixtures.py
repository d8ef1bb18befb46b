#!/usr/bin/env python3
"""A loopback AWS endpoint for the APIs moto lacks, in front of moto for the rest.

Every request must carry a valid SigV4 signature (checked with botocore's
SigV4Auth, see sigv4_verify.py).  The credential scope names the service;
the operation comes from X-Amz-Target (JSON 1.0/1.1), the Action form field
(Query) or the method and path (REST-JSON).  When a fixture answers that
operation, its pages are served; otherwise the request is forwarded to the
upstream (moto_server) byte for byte, so one endpoint serves a whole test.

Fixture files (JSON, every *.json of each --fixtures DIR), one answer each:

  {"service": "health",                         signing name
   "operation": "DescribeEvents",               for stats, injection and logs
   "target": "AWSHealth_20160804.DescribeEvents"   JSON 1.x, or
   "method": "GET", "path": "/services/{id}",      REST-JSON ({x}: one segment), or
   "action": "DescribeReservedDBInstances",        Query (pages are XML text)
   "paging": {"in": "nextToken", "out": "nextToken"},   optional
   "match": {"InstanceId": "i-1"},              optional: request members (JSON
                                                body, query string or form) that
                                                must equal these (an object: the
                                                members it names, recursively)
   "pages": [page, page, ...],                  answers, in order
   "status": 404}                               optional: the HTTP status they
                                                are served with (default 200)

A request without a token gets pages[0]; every page but the last carries the
token paging.out, which the next request sends back as paging.in (in the JSON
body, or the query string / form for GET and Query).  Query pages are XML
text in which "{token}" is replaced by <OUT>token</OUT> or by nothing on the
last page.  An unknown token is an error, as AWS answers it.

Record mode (--record DIR): every forwarded call and the upstream's answer
are added to DIR/<service>.json (rewritten after each call, before the
answer is sent back) as fixtures of the format above, so that the same
calls, served from DIR without an upstream, get the same answers page for
page.  The match is every request member but Action, Version and the
token; a request whose member carries a token found in the last recorded
page of the fixture with the same selector and the other members (a
top-level JSON member, or an XML element) continues that fixture: the
token becomes its paging, taken out of that page (XML: "{token}" in its
place).  A repeated call is not recorded again; calls answered from
fixtures are not recorded at all; an error answer is kept with its status.

Control (unsigned, under /__fixtures/):
  POST /__fixtures/inject  {"service", "operation", "code", "status", "message",
                            "count" (-1: until cleared)}  the next calls fail so;
                           with "answer": {...} instead, they get that JSON
                           page (HTTP 200) in place of the fixture's
  POST /__fixtures/clear   drops every injected error
  GET  /__fixtures/stats   {"calls": {"svc:Op": n}, "forwarded": n,
                            "rejected": n, "injected": n, "max_in_flight": n}
                           (forwarded: the calls no fixture answered, even
                           without an upstream)
  POST /__fixtures/reset   zeroes the stats

  aws_fixtures.py --fixtures DIR [--fixtures DIR2] [--upstream URL]
                  [--latency-ms N] [--record DIR] --port-file FILE
  env MAO_PROXY_CREDENTIALS: "AKID:SECRET[,AKID2:SECRET2...]"
"""
import argparse
import glob
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape as xml_escape

from loopback import serve
from sigv4_verify import Refused, scope, secrets_from_env, verify

LOCK = threading.Lock()
STATS = {"calls": {}, "forwarded": 0, "rejected": 0, "injected": 0, "max_in_flight": 0}
IN_FLIGHT = [0]
INJECT = []
FIXTURES = []
SECRETS = {}
UPSTREAM = None
RECORD = None
RECORDED = {}
RECORDED_TOKENS = set()
LATENCY = 0.0
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


def load_fixtures(dirs):
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "*.json"))):
            with open(path) as f:
                fx = json.load(f)
            items = fx if isinstance(fx, list) else [fx]
            for i, x in enumerate(items):
                for key in ("service", "operation", "pages"):
                    if key not in x:
                        sys.exit("%s[%d]: no %s" % (path, i, key))
                if not x["pages"]:
                    sys.exit("%s[%d]: no pages" % (path, i))
                if "path" in x:
                    x["_re"] = re.compile("^" + re.sub(r"\\\{[^}/]+\\\}", "[^/]+", re.escape(x["path"])) + "$")
                x["_file"] = os.path.basename(path)
                FIXTURES.append(x)


def request_members(method, path, query, headers, body):
    """The members a request sends: JSON body, form fields, or query string."""
    members = {k: v[-1] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
    ctype = headers.get("Content-Type", "")
    if body and "json" in ctype:
        try:
            parsed = json.loads(body)
        except ValueError:
            raise Refused("SerializationException", "the body is not JSON")
        if isinstance(parsed, dict):
            members.update(parsed)
    elif body and "x-www-form-urlencoded" in ctype:
        members.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()})
    return members


def matches(want, got):
    """want's members are in got: objects recursively (members not named are free), the rest equal."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and matches(v, got[k]) for k, v in want.items())
    return want == got


def find_fixture(service, method, path, headers, members):
    target = headers.get("X-Amz-Target")
    for fx in FIXTURES:
        if fx["service"] != service:
            continue
        if "target" in fx:
            if fx["target"] != target:
                continue
        elif "action" in fx:
            if members.get("Action") != fx["action"]:
                continue
        elif "path" in fx:
            if fx.get("method", "GET") != method or not fx["_re"].match(urllib.parse.unquote(path)):
                continue
        else:
            continue
        if matches(fx.get("match", {}), members):
            return fx
    return None


def selector_of(method, path, headers, members):
    """How a fixture recognises this call: its target, action, or method and path."""
    if headers.get("X-Amz-Target"):
        return {"target": headers["X-Amz-Target"]}
    if "Action" in members:
        return {"action": members["Action"]}
    return {"method": method, "path": urllib.parse.unquote(path)}


def token_in(page, token):
    """The member (JSON) or element (XML) of a page that carries token, or None;
    the last one, or one named like a token or marker, if several do."""
    if isinstance(page, dict):
        names = [k for k, v in page.items() if v == token]
    else:
        names = re.findall(r"<([\w:]+)>%s</\1>" % re.escape(xml_escape(token)), page)
    return ([n for n in names if re.search("(?i)token|marker", n)] + names[::-1] or [None])[0]


def recorded(fixtures, selector, match):
    """The recorded fixtures of a call with this selector and match."""
    return [fx for fx in fixtures if all(fx.get(k) == v for k, v in selector.items()) and fx.get("match", {}) == match]


def continued(fixtures, selector, members):
    """(fixture, member, token) when a member carries a token of the last page of
    the fixture recorded with the other members, else (None, None, None)."""
    for name, token in members.items():
        rest = {k: v for k, v in members.items() if k != name}
        for fx in recorded(fixtures, selector, rest) if isinstance(token, str) else []:
            if token_in(fx["pages"][-1], token):
                return fx, name, token
    return None, None, None


def record(service, operation, selector, members, status, data):
    """Adds a forwarded call's answer to RECORD/<service>.json (see the docstring)."""
    text = data.decode("utf-8", "replace")
    page = json.loads(text) if text.lstrip().startswith("{") else text
    members = {k: v for k, v in members.items() if k not in ("Action", "Version")}
    with LOCK:
        fixtures = RECORDED.setdefault(service, [])
        if any(isinstance(v, str) and (service, v) in RECORDED_TOKENS for v in members.values()):
            return  # a page already recorded
        fx, name, token = continued(fixtures, selector, members)
        if fx is not None:
            last = fx["pages"][-1]
            out = token_in(last, token)
            if isinstance(last, dict):
                del last[out]
            else:
                element = "<%s>%s</%s>" % (out, xml_escape(token), out)
                at = last.rindex(element)
                fx["pages"][-1] = last[:at] + "{token}" + last[at + len(element):]
            fx["paging"] = {"in": name, "out": out}
            fx["pages"].append(page)
            RECORDED_TOKENS.add((service, token))
        elif recorded(fixtures, selector, members):
            return  # a call already recorded
        else:
            fx = dict(service=service, operation=operation, **selector)
            if members:
                fx["match"] = members
            fx["pages"] = [page]
            if status != 200:
                fx["status"] = status
            fixtures.append(fx)
        path = os.path.join(RECORD, service + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump(fixtures, f, indent=1)
            f.write("\n")
        os.rename(path + ".tmp", path)


def operation_of(service, method, path, headers, members):
    target = headers.get("X-Amz-Target")
    if target:
        return target.rpartition(".")[2]
    if "Action" in members:
        return members["Action"]
    return "%s %s" % (method, path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("aws_fixtures: " + (fmt % args) + "\n")

    def reply(self, code, body, ctype="application/x-amz-json-1.1", extra=None):
        body = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "fixture-%d" % int(time.time() * 1e6))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def error(self, query_style, code, status, message):
        if query_style:
            return self.reply(status, "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message>"
                              "</Error><RequestId>fixture</RequestId></ErrorResponse>" % (code, message), "text/xml")
        return self.reply(status, json.dumps({"__type": code, "message": message}),
                          extra={"x-amzn-ErrorType": code})

    def control(self, body):
        name = self.path[len("/__fixtures/"):]
        with LOCK:
            if name == "stats":
                return self.reply(200, json.dumps(STATS), "application/json")
            if name == "reset":
                STATS.update({"calls": {}, "forwarded": 0, "rejected": 0, "injected": 0, "max_in_flight": 0})
            elif name == "clear":
                INJECT.clear()
            elif name == "inject":
                rule = json.loads(body)
                rule.setdefault("count", -1)
                rule.setdefault("status", 400)
                rule.setdefault("message", "injected by the test")
                INJECT.append(rule)
            else:
                return self.reply(404, "{}", "application/json")
        return self.reply(200, "{}", "application/json")

    def injected(self, service, operation):
        with LOCK:
            for rule in INJECT:
                if rule["service"] == service and rule.get("operation") in (None, operation) and rule["count"] != 0:
                    if rule["count"] > 0:
                        rule["count"] -= 1
                    STATS["injected"] += 1
                    return rule
        return None

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path.startswith("/__fixtures/"):
            return self.control(body)
        with LOCK:
            IN_FLIGHT[0] += 1
            STATS["max_in_flight"] = max(STATS["max_in_flight"], IN_FLIGHT[0])
        try:
            if LATENCY:
                time.sleep(LATENCY)
            self.serve(body)
        finally:
            with LOCK:
                IN_FLIGHT[0] -= 1

    def serve(self, body):
        path, _, query = self.path.partition("?")
        query_style = "x-www-form-urlencoded" in self.headers.get("Content-Type", "")
        try:
            _, _, _, service, _, _ = scope(self.headers)
            verify(self.command, self.path, self.headers, body, SECRETS, who="aws_fixtures")
            members = request_members(self.command, path, query, self.headers, body)
        except Refused as e:
            with LOCK:
                STATS["rejected"] += 1
            return self.error(query_style, e.code, 403 if "Signature" in e.code or "Token" in e.code else 400,
                              e.message)
        operation = operation_of(service, self.command, path, self.headers, members)
        fx = find_fixture(service, self.command, path, self.headers, members)
        if fx is not None:
            operation = fx["operation"]
        with LOCK:
            key = "%s:%s" % (service, operation)
            STATS["calls"][key] = STATS["calls"].get(key, 0) + 1
        rule = self.injected(service, operation)
        if rule is not None and "answer" in rule:
            return self.reply(200, json.dumps(rule["answer"]), "application/json" if fx and "path" in fx else
                              self.headers.get("Content-Type", "application/x-amz-json-1.1"))
        if rule is not None:
            return self.error(query_style, rule["code"], rule["status"], rule["message"])
        if fx is None:
            return self.forward(body, service, operation, query_style,
                                selector_of(self.command, path, self.headers, members), members)
        paging = fx.get("paging", {})
        token = members.get(paging.get("in", ""), None) if paging else None
        index = 0
        if token:
            m = re.match(r"^fixture-page-(\d+)$", str(token))
            if not m or int(m.group(1)) >= len(fx["pages"]):
                return self.error(query_style, "InvalidNextTokenException" if not query_style else "InvalidParameterValue",
                                  400, "invalid pagination token")
            index = int(m.group(1))
        page = fx["pages"][index]
        nxt = "fixture-page-%d" % (index + 1) if index + 1 < len(fx["pages"]) else None
        if isinstance(page, str):
            out = paging.get("out", "Marker")
            page = page.replace("{token}", "<%s>%s</%s>" % (out, nxt, out) if nxt else "")
            return self.reply(fx.get("status", 200), page, "text/xml")
        page = dict(page)
        if nxt and paging:
            page[paging["out"]] = nxt
        return self.reply(fx.get("status", 200), json.dumps(page), "application/json" if "path" in fx else
                          self.headers.get("Content-Type", "application/x-amz-json-1.1"))

    def forward(self, body, service, operation, query_style, selector, members):
        with LOCK:
            STATS["forwarded"] += 1
        if UPSTREAM is None:
            return self.error(query_style, "UnknownOperationException", 400,
                              "no fixture for %s:%s and no upstream" % (service, operation))
        up = urllib.parse.urlsplit(UPSTREAM)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=120)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                conn.putheader(name, value)
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            data = resp.read()
            if RECORD:
                record(service, operation, selector, members, resp.status, data)
            self.send_response_only(resp.status, resp.reason)
            for name, value in resp.getheaders():
                if name.lower() in HOP_BY_HOP or name.lower() == "content-length":
                    continue
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = handle_any


def main():
    global UPSTREAM, LATENCY, RECORD
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fixtures", action="append", default=[], help="a directory of fixture files (repeatable)")
    ap.add_argument("--upstream", help="where requests without a fixture go (moto_server)")
    ap.add_argument("--latency-ms", type=float, default=0, help="delay every answer by this much")
    ap.add_argument("--record", help="write every forwarded call and its answer as fixtures here")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    UPSTREAM = args.upstream
    LATENCY = args.latency_ms / 1000.0
    RECORD = args.record
    if RECORD:
        os.makedirs(RECORD, exist_ok=True)
    SECRETS.update(secrets_from_env(os.environ.get("MAO_PROXY_CREDENTIALS")))
    load_fixtures(args.fixtures)
    serve(Handler, args.port_file, args.port, request_queue_size=128)


if __name__ == "__main__":
    main()
