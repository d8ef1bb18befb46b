"""Shared by the checks of suite 91-sender-fixtures (see README.md)."""
import json
import os
import subprocess
import sys
import urllib.request

FAILURES = []


def ok(what):
    print("ok: " + what)


def fail(what):
    print("FAIL: " + what)
    FAILURES.append(what)


def expect(cond, what, detail=""):
    """ok(what) if cond, else fail(what: detail)."""
    if cond:
        ok(what)
    else:
        fail("%s: %s" % (what, detail) if detail else what)


def load(workdir, name="doc.json"):
    with open(os.path.join(workdir, name)) as f:
        return json.load(f)


def control(name, body=None):
    """POST (body given) or GET one of the fixture endpoint's control URLs; the parsed answer."""
    url = os.environ["FIXTURES_URL"] + "/__fixtures/" + name
    data = json.dumps(body).encode() if body is not None else (b"{}" if name != "stats" else None)
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
        return json.loads(r.read() or b"{}")


def inject(service, operation, code, status=400, message="injected by the test", count=-1):
    control("inject", {"service": service, "operation": operation, "code": code, "status": status,
                       "message": message, "count": count})


def answer(service, operation, page, count=-1):
    """The next calls of service:operation get page (HTTP 200) instead of the fixture's pages."""
    control("inject", {"service": service, "operation": operation, "answer": page, "count": count})


def collect(workdir, name, *extra):
    """Runs mao-sender collect into WORKDIR/name (same date and page size as the suite); (rc, doc, stderr)."""
    out = os.path.join(workdir, name)
    p = subprocess.run([os.environ["SENDER"], "collect", "--out", out, "--region", "us-east-1",
                        "--date", "2026-11-20", "--page-size", "5", *extra],
                       capture_output=True, text=True)
    doc = None
    if os.path.exists(out):
        with open(out) as f:
            doc = json.load(f)
    return p.returncode, doc, p.stderr


def messages(doc, area):
    """The texts of logs.message entries under area."""
    return [m[area] for m in doc["logs"]["message"] if area in m]


def finish():
    sys.exit(1 if FAILURES else 0)
