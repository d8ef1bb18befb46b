#!/usr/bin/env python3
"""A fake AWS Lambda Runtime API for tests.

    runtime_api.py --events EVENTS.json --record OUT.jsonl --port-file FILE

Serves the events of EVENTS.json (a JSON array), one per
GET /2018-06-01/runtime/invocation/next, with a Lambda-Runtime-Aws-Request-Id
header (req-0, req-1, ...).  Every POST to .../invocation/<id>/response,
.../invocation/<id>/error and .../init/error is appended to OUT.jsonl as
{"kind": "response"|"error"|"init-error", "id": ..., "body": <parsed JSON>,
"error_type": <Lambda-Runtime-Function-Error-Type header>}.  When the events
are used up, /next answers 410 Gone, which makes a runtime exit; with
--hold it never answers instead (an idle runtime, as Lambda freezes it), so
that a test can stop the runtime with a signal while it waits.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from loopback import serve  # noqa: E402

PREFIX = "/2018-06-01/runtime"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--hold", action="store_true", help="hold /next open when the events are used up")
    args = ap.parse_args()
    events = json.load(open(args.events))
    lock = threading.Lock()
    state = {"next": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path != PREFIX + "/invocation/next":
                self.send_error(404)
                return
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= len(events) and args.hold:
                while True:
                    time.sleep(3600)
            if i >= len(events):
                self.send_response(410)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = json.dumps(events[i]).encode()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "req-%d" % i)
            self.send_header("Lambda-Runtime-Deadline-Ms", "9999999999999")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n)
            parts = self.path[len(PREFIX):].strip("/").split("/")
            if parts == ["init", "error"]:
                kind, rid = "init-error", None
            elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                kind, rid = parts[2], parts[1]
            else:
                self.send_error(404)
                return
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"unparsable": raw.decode("utf-8", "replace")}
            with lock, open(args.record, "a") as f:
                f.write(json.dumps({"kind": kind, "id": rid, "body": body,
                                    "error_type": self.headers.get("Lambda-Runtime-Function-Error-Type")}) + "\n")
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    serve(Handler, args.port_file)


if __name__ == "__main__":
    main()
