#!/usr/bin/env python3
"""A loopback HTTP/1.1 relay that end-to-end tests can stop, restart and stall.

Forwards every request to --upstream with its method, request target,
header lines and body unchanged (so SigV4 signatures still verify
upstream), and the answer back.  Stopping the relay makes the service
behind it unreachable without losing the service's state (moto keeps its
keys in memory); --port restarts it in the same place.

While the file given with --stall-get-file exists, a GET of an object
(a GET whose query has no list-type=, i.e. not ListObjectsV2) is never
answered: the connection stays open and silent, as a stalled download.

  http_relay.py --upstream http://127.0.0.1:PORT --port-file FILE [--port N]
                [--stall-get-file FLAG]
"""
import argparse
import http.client
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from loopback import serve  # noqa: E402

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}
ARGS = None


class Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("relay: " + (fmt % args) + "\n")

    def _stalls(self):
        if self.command != "GET" or not ARGS.stall_get_file or not os.path.exists(ARGS.stall_get_file):
            return False
        query = urllib.parse.urlsplit(self.path).query
        return "list-type=" not in query

    def _relay(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self._stalls():
            sys.stderr.write("relay: stalling %s %s\n" % (self.command, self.path))
            while True:
                time.sleep(1)
        up = urllib.parse.urlsplit(ARGS.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for k, v in self.headers.items():
            if k.lower() not in HOP_BY_HOP:
                conn.putheader(k, v)
        conn.endheaders(body if body else None)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--stall-get-file")
    ARGS = ap.parse_args()
    serve(Relay, ARGS.port_file, ARGS.port)


if __name__ == "__main__":
    main()
