# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud's ``SDK-HMAC-SHA256`` request signature (AK/SK authentication).

The result is byte-identical to huaweicloudsdkcore's ``Signer`` for the same request and time.
Unlike SigV4 there is no key derivation and no credential scope: the string to sign is the
algorithm, the date and the canonical request's hash, HMAC'd with the raw secret key.

The SDK builds the query string it sends with the same function that builds the canonical query, so
callers should build URLs with :func:`canonical_query`; :func:`sign` re-derives the canonical query
from the URL's decoded pairs, which gives that same string back.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
from urllib.parse import quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_SIGNED_CONTENT_TYPES = ("application/json", "application/bson")


def sign(method, url, headers, body, *, access_key, secret_key, timestamp, security_token=None):
    """The headers to add to the request: ``Authorization``, ``X-Sdk-Date``, ``Host`` (the URL's
    ``host[:port]``, unless a Host header is given), ``X-Security-Token`` with a token, and
    ``X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`` when the Content-Type is neither JSON nor BSON.

    They replace any header of the same name (compared case-insensitively) in ``headers``.
    ``timestamp`` is a naive UTC ``datetime``.
    """
    added = {}
    # The SDK looks this header up by its exact spelling; so do we, to sign what it signs.
    content_type = dict(_header_pairs(headers)).get("Content-Type")
    if content_type and not content_type.startswith(_SIGNED_CONTENT_TYPES):
        added["X-Sdk-Content-Sha256"] = UNSIGNED_PAYLOAD
    added["X-Sdk-Date"] = timestamp.strftime(SDK_DATE_FORMAT)
    if not any(name.lower() == "host" for name, _value in _header_pairs(headers)):
        # The SDK sends the Host header it signed; an HTTP client would drop a default port.
        added["Host"] = urlsplit(url).netloc
    if security_token is not None:
        added["X-Security-Token"] = security_token

    replaced = {name.lower() for name in added} | {"authorization"}
    final = [(name, value) for name, value in _header_pairs(headers) if name.lower() not in replaced]
    final.extend(added.items())
    canonical = canonical_request(method, url, final, body)
    signature = hmac.new(secret_key.encode("utf-8"), string_to_sign(canonical, added["X-Sdk-Date"]).encode("utf-8"),
                         hashlib.sha256).hexdigest()
    added["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, ";".join(signed_headers(final)), signature)
    return added


def canonical_request(method, url, headers, body):
    """The canonical request for ``headers`` exactly as they will be sent (X-Sdk-Date and Host
    included; a missing Host is taken from the URL)."""
    pairs = _header_pairs(headers)
    if not any(name.lower() == "host" for name, _value in pairs):
        pairs.append(("Host", urlsplit(url).netloc))
    names = signed_headers(pairs)
    values = dict((name.lower(), str(value).strip()) for name, value in pairs)  # last spelling wins
    parts = urlsplit(url)
    return "\n".join((
        method.upper(),
        canonical_uri(parts.path),
        canonical_query(_decoded_query(parts.query)),
        "".join("%s:%s\n" % (name, values[name]) for name in names),
        ";".join(names),
        payload_hash(pairs, body),
    ))


def string_to_sign(canonical, sdk_date):
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def signed_headers(headers):
    """Every header name, lower-cased and sorted, except those containing ``_``."""
    return sorted(name.lower() for name, _value in _header_pairs(headers) if "_" not in name)


def canonical_uri(path):
    """Each decoded segment quoted with only ``~`` safe, always ending in ``/``."""
    uri = "/".join(_encode(segment) for segment in unquote(path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs):
    """``key=value`` pairs sorted and quoted with only ``~`` safe, as the SDK signs and sends them.

    A list value becomes one pair per item (sorted), a boolean ``true``/``false``; anything else is
    ``str()``-ed.
    """
    parts = []
    for key, value in sorted(pairs):
        key = _encode(key)
        if isinstance(value, list):
            parts.extend("%s=%s" % (key, _encode(str(item))) for item in sorted(value))
        elif isinstance(value, bool):
            parts.append("%s=%s" % (key, "true" if value else "false"))
        else:
            parts.append("%s=%s" % (key, _encode(str(value))))
    return "&".join(parts)


def payload_hash(headers, body):
    if not body:
        return EMPTY_SHA256
    for name, value in _header_pairs(headers):
        if name.lower() == "x-sdk-content-sha256" and value:
            return value
    if not isinstance(body, bytes):
        body = body.encode("utf-8")
    return hashlib.sha256(body).hexdigest()


def _decoded_query(query):
    pairs = []
    for piece in query.split("&"):
        if piece:
            key, _sep, value = piece.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def _encode(text):
    return quote(text, safe="~")


def _header_pairs(headers):
    if headers is None:
        return []
    if hasattr(headers, "items"):
        return list(headers.items())
    return list(headers)
