"""SigV4 verification with botocore's signers, shared by the loopback fakes.

verify() recomputes the signature of a request exactly as received (the
canonical request built by botocore's SigV4Auth, or S3SigV4Auth for S3,
from the request's own path, query and signed headers) and raises Refused
with the AWS error code a real endpoint would give.  It also checks the
request time (15 minutes), the credential date and, for S3, that
x-amz-content-sha256 is the body's hash.
"""
import hashlib
import sys
import time
import urllib.parse

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def reencode_path(raw):
    """The S3 canonical URI: decode %XX once, encode again keeping '/' and '~'."""
    return urllib.parse.quote(urllib.parse.unquote_to_bytes(raw), safe="/~")


def reencode_query(raw):
    """Each key and value decoded and RFC 3986-encoded ('+' stays a plus)."""
    if not raw:
        return ""
    pairs = []
    for piece in raw.split("&"):
        if not piece:
            continue
        k, _, v = piece.partition("=")
        pairs.append(urllib.parse.quote(urllib.parse.unquote_to_bytes(k), safe="-_.~") + "=" +
                     urllib.parse.quote(urllib.parse.unquote_to_bytes(v), safe="-_.~"))
    return "&".join(pairs)


def scope(headers):
    """(akid, date, region, service, signed headers, signature) from the Authorization header."""
    auth = headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        raise Refused("AccessDenied", "no SigV4 Authorization header")
    fields = {}
    for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = part.strip().partition("=")
        fields[k] = v
    try:
        akid, date, region, service, term = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        given = fields["Signature"]
    except (KeyError, ValueError):
        raise Refused("AuthorizationHeaderMalformed", "malformed Authorization header")
    if term != "aws4_request":
        raise Refused("AuthorizationHeaderMalformed", "credential scope does not end in aws4_request")
    return akid, date, region, service, signed, given


def verify(method, target, headers, body, secrets, s3=False, who="fake"):
    """Raises Refused unless the request is validly signed; returns (akid, region, service)."""
    akid, date, region, service, signed, given = scope(headers)
    if s3 and service != "s3":
        raise Refused("AuthorizationHeaderMalformed", "credential scope is not s3")
    if akid not in secrets:
        raise Refused("InvalidClientTokenId" if not s3 else "InvalidAccessKeyId", "unknown access key id")
    amz_date = headers.get("X-Amz-Date", "")
    try:
        t = time.mktime(time.strptime(amz_date, "%Y%m%dT%H%M%SZ")) - time.timezone
    except ValueError:
        raise Refused("AccessDenied", "no valid X-Amz-Date")
    if abs(time.time() - t) > 900:
        raise Refused("RequestTimeTooSkewed" if s3 else "InvalidSignatureException", "request time too skewed")
    if amz_date[:8] != date:
        raise Refused("SignatureDoesNotMatch", "credential date differs from X-Amz-Date")
    if s3:
        content_sha = headers.get("x-amz-content-sha256")
        if content_sha is None:
            raise Refused("InvalidRequest", "missing x-amz-content-sha256")
        if content_sha != "UNSIGNED-PAYLOAD" and content_sha != hashlib.sha256(body).hexdigest():
            raise Refused("XAmzContentSHA256Mismatch", "x-amz-content-sha256 is not the body's hash")
    if "host" not in signed:
        raise Refused("SignatureDoesNotMatch", "host is not signed")
    raw_path, _, raw_query = target.partition("?")
    # S3 signs the path encoded once; other services sign it encoded twice,
    # which botocore's SigV4Auth does itself from the path as sent.
    url = "http://%s%s" % (headers.get("Host", ""), reencode_path(raw_path) if s3 else raw_path)
    query = reencode_query(raw_query)
    if query:
        url += "?" + query
    req = AWSRequest(method=method, url=url, data=body)
    for name in signed:
        values = headers.get_all(name) or []
        if not values:
            raise Refused("SignatureDoesNotMatch", "signed header %s is missing" % name)
        for v in values:
            req.headers[name] = v
    req.context["timestamp"] = amz_date
    creds = Credentials(akid, secrets[akid], headers.get("X-Amz-Security-Token"))
    signer = (S3SigV4Auth if s3 else SigV4Auth)(creds, service, region)
    if not s3 and "x-amz-content-sha256" in signed and \
            headers.get("x-amz-content-sha256") != hashlib.sha256(body).hexdigest():
        raise Refused("InvalidSignatureException", "x-amz-content-sha256 is not the body's hash")
    canonical = signer.canonical_request(req)
    expected = signer.signature(signer.string_to_sign(req, canonical), req)
    if expected != given:
        sys.stderr.write("%s: signature mismatch; canonical request:\n%s\n" % (who, canonical))
        raise Refused("SignatureDoesNotMatch" if s3 else "InvalidSignatureException",
                      "The request signature we calculated does not match the signature you provided.")
    return akid, region, service


def secrets_from_env(value):
    """{akid: secret} from "AKID:SECRET[,AKID2:SECRET2...]"."""
    out = {}
    for item in (value or "").split(","):
        if ":" in item:
            k, _, s = item.partition(":")
            out[k] = s
    return out
