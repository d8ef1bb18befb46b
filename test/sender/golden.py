#!/usr/bin/env python3
"""The golden test's helpers (test/sender/record-golden, test/suites/97-sender-golden).

  golden.py fixtures SETUP_JSON SINCE UNTIL RAW_DIR OUT_DIR [DOC DOC_OUT]
      The fixtures recorded by aws_fixtures.py --record (RAW_DIR/*.json),
      made deterministic, as OUT_DIR/<service>.json (the *.json already
      there are removed first).  SETUP_JSON is moto_setup.py's file (its
      account and access key); SINCE..UNTIL (epoch seconds) the recording.
      What moto makes up is replaced, as a substring wherever it occurs
      (selectors, matches, pages), so that a key id in a DescribeKey match
      stays the one its ListKeys page gives:
        - ids: UUIDs, EC2-style ids (i-, vol-, subnet-, ...), 32-hex ids,
          IAM-style key and user ids, the suffix of Secrets Manager ARNs,
          RDS resource ids, the account, the access key: numbered in the
          order they first appear (same value, same replacement);
        - times during the recording, or a year later (a certificate's
          expiry; ISO strings, epoch numbers): a fixed instant, or a year
          after it, each in its own format (a fraction that is not zero: .5);
        - digests of what the seeding uploads (Lambda's CodeSha256).
      The order of appearance is that of a walk through the fixtures
      sorted by service, operation and match, a fixture whose match holds
      a value not yet numbered waiting until it is; nothing depends on
      the order the calls came in.  A match member that holds the
      recording's UTC date (a request built from the real date rather than
      --date) is dropped, so that the fixture answers on any day.  With
      DOC (the document collected while recording), DOC_OUT is DOC with the
      same replacements, normalised: what the fixtures must reproduce.
  golden.py doc DOC OUT
      DOC with what varies from run to run normalised, written as OUT.
  golden.py stats STATS_JSON
      Fails unless the fixture endpoint forwarded and refused nothing.
  golden.py stale GOLDEN_DIR OTHER_DIR...
      Fails if a fixture of OTHER_DIR (test/fixtures/aws) would answer the
      call a fixture of GOLDEN_DIR was recorded for: added since, it is not
      in the golden yet (test/sender/record-golden).
  golden.py compare DOC GOLDEN
      DOC, normalised, against GOLDEN, section by section: one ok/FAIL line
      each (17 sections and metadata), the first differing paths of a
      section that differs; fails if any does, if the sections are not
      GOLDEN's in its order, or if a section is not_implemented in GOLDEN
      though the binary implements it.
"""
import datetime
import glob
import json
import os
import re
import sys

SECTIONS = ["account", "config", "service", "cost", "security", "inventory", "marketplace", "trusted_advisor",
            "health", "application", "resilience_hub", "service_resources", "compute_optimizer", "ri_sp_savings",
            "config_inventory", "support_tickets", "logs"]
FIXED_INSTANT = datetime.datetime(2026, 11, 25, 12, 0, 0, tzinfo=datetime.timezone.utc)
FIXED_ACCOUNT = "123456789012"

# what moto makes up: (kind, pattern); group v is replaced, numbered in its kind
IDS = [
    ("uuid", r"\b(?P<v>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"),
    ("ec2", r"\b(?:i|vol|subnet|vpc|ami|eni|eni-attach|sg|r|rtb|acl|igw|snap|dopt|eipalloc|eipassoc|nat|vpce|lt)"
            r"-(?P<v>[0-9a-f]{8,17})\b"),
    ("hex32", r"\b(?P<v>[0-9a-f]{32})\b"),
    ("iam", r"\b(?:AKIA|AIDA|AROA|ASIA|ANPA)(?P<v>[A-Z0-9]{16})\b"),
    ("rds", r"\bdb-(?P<v>[A-Z0-9]{26})\b"),
    ("elb", r":(?:loadbalancer|targetgroup)/(?:app/|net/|gwy/)?[\w-]+/(?P<v>[0-9a-f]{16})\b"),
    ("secret", r":secret:[\w/+=.@-]+?-(?P<v>[A-Za-z0-9]{6})\b"),
    ("mac", r"\b02:00:00:(?P<v>[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2})\b"),
    ("case", r"\bcase-\d+-\d{4}-(?P<v>[A-Za-z0-9]{16})\b"),
    ("member", r'"(?:Serial|CodeSha256)": "(?P<v>[^"]+)"'),
    ("element", r"<(?:UserId|RequestId|requestId)>(?P<v>[^<]+)</"),
]
# lists moto answers in no particular order (it keeps them in sets)
UNORDERED = {"SubjectAlternativeNames", "DomainValidationOptions", "subject_alternative_names"}
ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")


class Replacer:
    """Numbers the made-up values in the order they are first seen."""

    def __init__(self, setup, since, until):
        self.known = {setup["account"]: FIXED_ACCOUNT}
        self.counts = {}
        self.replacing = None
        self.since, self.until = since, until
        self.patterns = [(kind, re.compile(p)) for kind, p in IDS]
        self.volatile_date = {datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d")
                              for t in (since, until)}

    def new(self, kind, value):
        """The number of value in its kind, in value's shape (separators kept;
        a member's, whose length varies, in 32 digits)."""
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        self.replacing = None
        if kind == "member":
            return "%032d" % n
        digits = iter("%0*d" % (sum(c.isalnum() for c in value), n))
        return "".join(next(digits) if c.isalnum() else c for c in value)

    def found(self, text):
        for kind, pattern in self.patterns:
            for m in pattern.finditer(text):
                yield kind, m.group("v")

    def seen(self, text):
        """Numbers the new values in text."""
        for kind, value in self.found(text):
            if value not in self.known:
                self.known[value] = self.new(kind, value)

    def unknown(self, text):
        return any(value not in self.known for _, value in self.found(text))

    def moto_made(self, seconds):
        """A time moto stamped: during the recording, or a year after (a certificate's expiry)."""
        days = round((seconds - self.since) / 86400)
        late = seconds - self.since - days * 86400
        return days in (0, 365, 366) and -600 <= late <= self.until - self.since + 600

    def fixed(self, seconds):
        """The fixed instant, as many whole days after it as seconds is after the recording."""
        return FIXED_INSTANT + datetime.timedelta(days=round((seconds - self.since) / 86400))

    def time(self, m):
        date, clock, frac, zone = m.groups()
        try:
            t = datetime.datetime.fromisoformat(date + "T" + clock).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            return m.group(0)
        offset = datetime.timedelta(0)
        if zone and zone != "Z":
            offset = (-1 if zone[0] == "-" else 1) * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:]))
        if not self.moto_made((t - offset).timestamp()):
            return m.group(0)
        fixed = self.fixed((t - offset).timestamp()) + offset
        if frac:
            frac = "." + ("5" if frac.strip(".0") else "0").ljust(len(frac) - 1, "0")
        return fixed.strftime("%Y-%m-%d") + m.group(0)[10] + fixed.strftime("%H:%M:%S") + (frac or "") + (zone or "")

    def text(self, text):
        if self.replacing is None:  # one pass: a replacement is not replaced again
            self.replacing = re.compile("|".join(map(re.escape, sorted(self.known, key=len, reverse=True))))
        return ISO.sub(self.time, self.replacing.sub(lambda m: self.known[m.group(0)], text))

    def value(self, v, name=None):
        """v (parsed JSON) with every made-up value replaced."""
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, dict):
            return {self.text(k): self.value(x, k) for k, x in v.items()}
        if isinstance(v, list):
            v = [self.value(x) for x in v]
            return sorted(v, key=dumps) if name in UNORDERED else v
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 1e9 and self.moto_made(v):
            return type(v)(self.fixed(v).timestamp() + (0.5 if v % 1 else 0))
        return v


def dumps(v):
    return json.dumps(v, sort_keys=True)


def selects(fx):
    """What tells fixtures of one operation apart: selector and match."""
    return {k: fx[k] for k in ("target", "action", "method", "path", "match") if k in fx}


def fixtures(setup_path, since, until, raw, out, recorded_doc=None, doc_out=None):
    rep = Replacer(json.load(open(setup_path)), float(since), float(until))
    recorded = []
    for path in sorted(glob.glob(os.path.join(raw, "*.json"))):
        recorded += json.load(open(path))
    for fx in recorded:
        match = fx.get("match", {})
        for k in [k for k in match if any(d in dumps(match[k]) for d in rep.volatile_date)]:
            del match[k]
        if "match" in fx and not match:
            del fx["match"]
    todo = recorded
    while todo:
        ready = [fx for fx in todo if not rep.unknown(dumps(selects(fx)))] or todo
        ready.sort(key=lambda fx: (fx["service"], fx["operation"], rep.text(dumps(selects(fx)))))
        for fx in ready:
            rep.seen(dumps(selects(fx)))
            for page in fx["pages"]:
                rep.seen(page if isinstance(page, str) else json.dumps(page))
        todo = [fx for fx in todo if all(fx is not r for r in ready)]
    by_service = {}
    for fx in recorded:
        fx = rep.value(fx)
        by_service.setdefault(fx["service"], []).append(fx)
    if recorded_doc:
        with open(doc_out, "w") as f:
            json.dump(normalised(rep.value(json.load(open(recorded_doc)))), f, indent=1, ensure_ascii=False)
    os.makedirs(out, exist_ok=True)
    for path in glob.glob(os.path.join(out, "*.json")):
        os.remove(path)
    for service, fxs in sorted(by_service.items()):
        fxs.sort(key=lambda fx: (fx["operation"], dumps(selects(fx))))
        with open(os.path.join(out, service + ".json"), "w") as f:
            json.dump(fxs, f, indent=1, ensure_ascii=False)
            f.write("\n")


def normalised(doc):
    """doc with what varies from run to run made constant: the time of the
    collection, durations, request ids in messages."""
    meta = doc.get("metadata", {})
    if "collected_at" in meta:
        meta["collected_at"] = "(collected_at)"
    if "duration_ms" in meta:
        meta["duration_ms"] = 0
    sections = list(meta.get("sections", {}).values())
    while sections:
        s = sections.pop()
        if "ms" in s:
            s["ms"] = 0
        sections += list(s.get("parts", {}).values())
    return json.loads(re.sub(r"request id [^,;)]*", "request id *", json.dumps(doc)))


def doc(path, out):
    with open(out, "w") as f:
        json.dump(normalised(json.load(open(path))), f, indent=1, ensure_ascii=False)
        f.write("\n")


def stats(path):
    st = json.load(open(path))
    if st["forwarded"] or st["rejected"]:
        sys.exit("FAIL: the fixture endpoint forwarded %d requests (no fixture answers them) and refused %d (not "
                 "validly signed)" % (st["forwarded"], st["rejected"]))


def stale(golden_dir, *other_dirs):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    import aws_fixtures
    aws_fixtures.load_fixtures(other_dirs)
    found = []
    for path in sorted(glob.glob(os.path.join(golden_dir, "*.json"))):
        for fx in json.load(open(path)):
            members = dict(fx.get("match", {}), **({"Action": fx["action"]} if "action" in fx else {}))
            headers = {"X-Amz-Target": fx["target"]} if "target" in fx else {}
            other = aws_fixtures.find_fixture(fx["service"], fx.get("method", "POST"), fx.get("path", "/"),
                                              headers, members)
            if other is not None:
                found.append("%s:%s (%s)" % (fx["service"], fx["operation"], other["_file"]))
    if found:
        sys.exit("FAIL: the golden has answers that other fixtures give now (run test/sender/record-golden): " +
                 ", ".join(found))


def differences(a, b, path="", limit=5):
    """The first paths where a and b differ, each with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            if k not in b or k not in a:
                out.append("%s.%s: %s" % (path, k, "missing" if k not in a else "unexpected (%s)" % brief(a[k])))
            else:
                out += differences(a[k], b[k], "%s.%s" % (path, k), limit - len(out))
            if len(out) >= limit:
                break
        return out[:limit]
    if isinstance(a, list) and isinstance(b, list):
        out = [] if len(a) == len(b) else ["%s: %d items, golden %d" % (path, len(a), len(b))]
        for i, (x, y) in enumerate(zip(a, b)):
            if len(out) >= limit:
                break
            out += differences(x, y, "%s[%d]" % (path, i), limit - len(out))
        return out[:limit]
    return [] if a == b and type(a) is type(b) else ["%s: %s, golden %s" % (path, brief(a), brief(b))]


def brief(v):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 80 else s[:77] + "..."


def compare(path, golden_path):
    got, golden = normalised(json.load(open(path))), json.load(open(golden_path))
    failed = 0
    for name in SECTIONS + ["metadata"]:
        diff = differences(got.get(name), golden[name], name) if name in golden else ["%s: not in the golden" % name]
        print(("ok: %s" if not diff else "FAIL: %s differs from the golden") % name)
        for d in diff:
            print("    " + d)
        failed += bool(diff)
    if list(got) != list(golden):
        print("FAIL: the sections, in order: %s; golden %s" % (", ".join(got), ", ".join(golden)))
        failed += 1
    # a section the binary implements must be collected in the golden
    now = got.get("metadata", {}).get("sections", {})
    lazy = [k for k, s in golden["metadata"]["sections"].items()
            if s["status"] == "not_implemented" and now.get(k, {}).get("status") != s["status"]]
    idle = [k for k, s in golden["metadata"]["sections"].items() if s["status"] == "not_implemented"]
    if lazy:
        print("FAIL: not_implemented in the golden but collected now: %s (test/sender/record-golden)" % ", ".join(lazy))
        failed += 1
    elif idle:
        print("ok: not_implemented in the golden only where the binary does not implement them: " + ", ".join(idle))
    else:
        print("ok: no section is not_implemented in the golden")
    return failed


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "fixtures":
        fixtures(*args)
    elif cmd == "doc":
        doc(*args)
    elif cmd == "stats":
        stats(*args)
    elif cmd == "stale":
        stale(*args)
    elif cmd == "compare":
        sys.exit(1 if compare(*args) else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
