# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Signature Version 4 (``AWS4-HMAC-SHA256``, header variant), the scheme KSYUN's OpenAPI uses.

The result is byte-identical to botocore's ``SigV4Auth`` (and to kscore's, which is a fork of it)
for the same request, time and credentials. Inputs are what goes on the wire:

* ``url``: the request URL with its query already percent-encoded; the canonical query is built from
  that string by splitting and sorting only, never re-encoding (as botocore does for a URL query).
  The path, by contrast, is normalised and quoted once more, as SigV4 prescribes for non-S3 services
  (``/`` for every KSYUN call).
* ``headers``: a mapping or a sequence of ``(name, value)`` pairs; a repeated name is signed as one
  comma-joined line, in the order given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import hashlib
import hmac
from email.utils import formatdate
from urllib.parse import quote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

# botocore's SIGNED_HEADERS_BLACKLIST: hop-by-hop and tracing headers that proxies may rewrite, and
# User-Agent. kscore excludes only expect and user-agent; the other names never occur in its requests.
UNSIGNED_HEADERS = frozenset((
    "baggage", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "traceparent", "tracestate", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
))
_DEFAULT_PORTS = {"http": 80, "https": 443}


def sign(method, url, headers, body, *, access_key, secret_key, region, service, timestamp, security_token=None):
    """The headers to add to the request: ``Authorization``, ``X-Amz-Date`` and, with a session token,
    ``X-Amz-Security-Token``.

    They replace any header of the same name (compared case-insensitively) in ``headers``; such
    headers are left out of the signature as botocore does. As in botocore, a ``Date`` header given by
    the caller is re-dated to ``timestamp`` and returned instead of ``X-Amz-Date``.
    ``timestamp`` is a naive UTC ``datetime``.
    """
    amz_date = timestamp.strftime(AMZ_DATE_FORMAT)
    replaced = {"authorization", "x-amz-date"}
    if security_token:  # botocore ignores an empty token too
        replaced.add("x-amz-security-token")
    pairs = [(name, value) for name, value in _header_pairs(headers) if name.lower() not in replaced]
    added = {}
    if any(name.lower() == "date" for name, _value in pairs):
        pairs = [(name, value) for name, value in pairs if name.lower() != "date"]
        added["Date"] = formatdate(calendar.timegm(timestamp.timetuple()))
    else:
        added["X-Amz-Date"] = amz_date
    if security_token:
        added["X-Amz-Security-Token"] = security_token
    pairs.extend(added.items())

    canonical = canonical_request(method, url, pairs, body)
    scope = credential_scope(amz_date, region, service)
    to_sign = string_to_sign(canonical, amz_date, scope)
    signature = hmac.new(signing_key(secret_key, amz_date[:8], region, service), to_sign.encode("utf-8"),
                         hashlib.sha256).hexdigest()
    added["Authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, scope, signed_headers(url, pairs), signature)
    return added


def canonical_request(method, url, headers, body):
    """The canonical request for ``headers`` exactly as they will be sent (X-Amz-Date included)."""
    signed = _headers_to_sign(url, headers)
    names = sorted(signed)
    return "\n".join((
        method.upper(),
        canonical_uri(urlsplit(url).path),
        canonical_query(urlsplit(url).query),
        "".join("%s:%s\n" % (name, ",".join(signed[name])) for name in names),
        ";".join(names),
        payload_hash(headers, body),
    ))


def string_to_sign(canonical, amz_date, scope):
    return "\n".join((ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()))


def credential_scope(amz_date, region, service):
    return "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)


def signing_key(secret_key, date, region, service):
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def signed_headers(url, headers):
    return ";".join(sorted(_headers_to_sign(url, headers)))


def canonical_uri(path):
    return quote(_remove_dot_segments(path) if path else "/", safe="/~")


def canonical_query(query):
    """The already-encoded ``query`` with its ``key=value`` pairs sorted; nothing is re-encoded."""
    if not query:
        return ""
    pairs = [pair.partition("=") for pair in query.split("&")]
    return "&".join("%s=%s" % (key, value) for key, value in sorted((k, v) for k, _sep, v in pairs))


def payload_hash(headers, body):
    for name, value in _header_pairs(headers):
        if name.lower() == "x-amz-content-sha256":
            return value
    if not body:
        return EMPTY_SHA256
    if not isinstance(body, bytes):
        body = body.encode("utf-8")
    return hashlib.sha256(body).hexdigest()


def host_from_url(url):
    """``host[:port]`` as an HTTP client sends it: lower case, no user info, default port dropped."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = "%s:%d" % (host, parts.port)
    return host


def _headers_to_sign(url, headers):
    signed = {}
    for name, value in _header_pairs(headers):
        name = name.lower()
        if name not in UNSIGNED_HEADERS:
            # SigV4 "trimall": outer whitespace removed, inner runs collapsed to one space
            signed.setdefault(name, []).append(" ".join(str(value).split()))
    if "host" not in signed:
        signed["host"] = [host_from_url(url)]
    return signed


def _header_pairs(headers):
    if headers is None:
        return []
    if hasattr(headers, "items"):
        return list(headers.items())
    return list(headers)


def _remove_dot_segments(path):
    # RFC 3986 section 5.2.4, plus the removal of empty segments that SigV4 services expect
    segments = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    leading = "/" if path.startswith("/") else ""
    trailing = "/" if path.endswith("/") and segments else ""
    return leading + "/".join(segments) + trailing
