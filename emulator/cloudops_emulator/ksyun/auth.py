"""KSYUN request authentication: AWS Signature V4 checked with botocore's SigV4 implementation.

The signature is recomputed by `botocore.auth.SigV4Auth` over the request as received: method,
path and query as sent, the headers named in SignedHeaders with their received values (Host
exactly as sent, port included), and the body. Both variants are accepted: the Authorization
header, and the query-string ("presigned") form with `X-Amz-*` parameters.

Security tokens (`X-Amz-Security-Token`): an access key in the fixtures may list the tokens it
accepts (`security_tokens:`), or be flagged `sts: true`, in which case it requires a token and
accepts any. A token sent with a key that has neither is rejected.

Checks run in this order, each with the error of the KSYUN common error table: the shape of the
Authorization (IncompleteSignature, 400), the credential scope (SignatureDoesNotMatch, 403), the
access key (InvalidClientTokenId, 403), Host signed, date and expiry, token, signature.
"""
import datetime
import hashlib
import hmac
import threading
from email.utils import parsedate_to_datetime

from botocore.auth import EMPTY_SHA256_HASH, SIGV4_TIMESTAMP, SigV4Auth
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from .errors import KsyunError

ALGORITHM = "AWS4-HMAC-SHA256"
TERMINATOR = "aws4_request"
PRESIGN_REQUIRED = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Date",
                    "X-Amz-Signature")
MAX_EXPIRES = 7 * 24 * 3600


class Identity:
    __slots__ = ("access_key", "region", "service", "security_token")

    def __init__(self, access_key, region, service, security_token=None):
        self.access_key = access_key
        self.region = region
        self.service = service
        self.security_token = security_token


def _incomplete(message):
    return KsyunError(400, "IncompleteSignature", message)


def _mismatch(message):
    return KsyunError(403, "SignatureDoesNotMatch", message)


def _missing_token(message):
    return KsyunError(403, "MissingAuthenticationToken", message)


def _invalid_key():
    return KsyunError(403, "InvalidClientTokenId",
                      "The security token included in the request is invalid.")


NO_MATCH = ("The request signature we calculated does not match the signature you provided.")


class _ReceivedRequest:
    """The attributes botocore's SigV4Auth reads, taken from the request as received."""

    __slots__ = ("method", "url", "headers", "params", "context", "body")

    def __init__(self, method, path_and_query, headers, body, timestamp):
        self.method = method
        self.url = "http://emulator" + path_and_query  # only path and query are read from it
        self.headers = headers
        self.params = {}
        self.context = {"timestamp": timestamp, "payload_signing_enabled": True}
        self.body = body


class _Verifier(SigV4Auth):
    """botocore's SigV4 with two changes for verifying: the headers signed are exactly the
    ones the client named (even names botocore would skip), and derived keys are cached."""

    _keys = {}
    _keys_lock = threading.Lock()

    def headers_to_sign(self, request):
        return request.headers

    def payload(self, request):
        return hashlib.sha256(request.body).hexdigest() if request.body else EMPTY_SHA256_HASH

    def signature(self, string_to_sign, request):
        date = request.context["timestamp"][0:8]
        cache_key = (self.credentials.secret_key, date, self._region_name, self._service_name)
        key = self._keys.get(cache_key)
        if key is None:
            k_date = self._sign(("AWS4" + self.credentials.secret_key).encode(), date)
            k_region = self._sign(k_date, self._region_name)
            k_service = self._sign(k_region, self._service_name)
            key = self._sign(k_service, TERMINATOR)
            with self._keys_lock:
                if len(self._keys) > 4096:
                    self._keys.clear()
                self._keys[cache_key] = key
        return self._sign(key, string_to_sign, hex=True)


def is_presigned(query_pairs):
    return any(key == "X-Amz-Credential" for key, _value in query_pairs)


def scope_service(request):
    """The service named in the request's credential scope, or None (no verification)."""
    auth = request.headers.get("Authorization") or ""
    credential = None
    if auth.startswith(ALGORITHM):
        start = auth.find("Credential=")
        if start >= 0:
            credential = auth[start + 11:].split(",", 1)[0].strip()
    else:
        for key, value in request.query:
            if key == "X-Amz-Credential":
                credential = value
                break
    if credential:
        parts = credential.split("/")
        if len(parts) == 5:
            return parts[3]
    return None


def authenticate(keyring, regions, services, request, params, now, skew):
    """Verify the request; returns an Identity or raises KsyunError.

    `keyring` maps access keys to their fixture entries, `regions`/`services` are the valid
    scope values, `params` the merged request parameters, `now` epoch seconds.
    """
    if not request.host:
        raise _missing_token("Request is missing 'Host' header.")
    authorization = request.headers.get("Authorization")
    if authorization:
        return _authenticate_header(keyring, regions, services, request, authorization, now,
                                    skew)
    if "X-Amz-Credential" in params or "X-Amz-Signature" in params:
        return _authenticate_query(keyring, regions, services, request, params, now, skew)
    raise _missing_token("Request is missing Authentication Token.")


def _parse_authorization(value):
    algorithm, _separator, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete("Unsupported ksc 'algorithm': %s." % algorithm)
    fields = {}
    for part in rest.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, field = part.partition("=")
        if not sep or not name or name in fields:
            raise _incomplete("Authorization header format error.")
        fields[name] = field
    for name in ("Credential", "Signature", "SignedHeaders"):
        if not fields.get(name):
            raise _incomplete("Authorization header requires '%s' parameter. Authorization=%s%s"
                              % (name, value, "." if name == "Credential" else ""))
    return fields


def _authenticate_header(keyring, regions, services, request, authorization, now, skew):
    fields = _parse_authorization(authorization)
    access_key, scope_date, region, service = _check_scope(fields["Credential"], regions,
                                                           services)
    entry = keyring.get(access_key)
    if entry is None:
        raise _invalid_key()
    amz_date = request.headers.get("X-Amz-Date")
    if amz_date is None:
        date_header = request.headers.get("Date")
        if date_header is None:
            raise _incomplete("Authorization header requires existence of either a 'X-Amz-Date' "
                              "or a 'Date' header, Authorization=%s" % authorization)
        try:
            timestamp = parsedate_to_datetime(date_header).astimezone(datetime.timezone.utc)
        except (TypeError, ValueError):
            raise _incomplete(_bad_date(date_header)) from None
        amz_date = timestamp.strftime(SIGV4_TIMESTAMP)
    signed = _signed_headers(fields["SignedHeaders"], request)
    signed_at = _parse_amz_date(amz_date)
    _check_date(scope_date, amz_date, signed_at, now, skew, None)
    token = request.headers.get("X-Amz-Security-Token")
    _check_token(entry, token)
    _check_signature(entry, region, service, request, request.raw_path, signed, request.body,
                     amz_date, fields["Signature"])
    return Identity(access_key, region, service, token)


def _authenticate_query(keyring, regions, services, request, params, now, skew):
    for name in PRESIGN_REQUIRED:
        if not params.raw(name):
            raise _incomplete("KSC query-string parameters must include %s. Re-examine the "
                              "query-string parameters." % name)
    algorithm = params.raw("X-Amz-Algorithm")
    if algorithm != ALGORITHM:
        raise _incomplete("Unsupported ksc 'algorithm': %s." % algorithm)
    access_key, scope_date, region, service = _check_scope(params.raw("X-Amz-Credential"),
                                                           regions, services)
    entry = keyring.get(access_key)
    if entry is None:
        raise _invalid_key()
    signed = _signed_headers(params.raw("X-Amz-SignedHeaders"), request)
    amz_date = params.raw("X-Amz-Date")
    signed_at = _parse_amz_date(amz_date)
    expires = None
    if params.raw("X-Amz-Expires") is not None:
        expires = params.integer("X-Amz-Expires", minimum=1, maximum=MAX_EXPIRES)
    _check_date(scope_date, amz_date, signed_at, now, skew, expires)
    token = params.raw("X-Amz-Security-Token")
    _check_token(entry, token)
    if is_presigned(request.query):
        # The canonical query is the query as sent, minus the signature itself.
        path, _separator, query = request.raw_path.partition("?")
        kept = [pair for pair in query.split("&") if not pair.startswith("X-Amz-Signature=")]
        target, body = path + ("?" + "&".join(kept) if kept else ""), request.body
    else:
        # Presigned parameters sent in a form body: they stand for the query that was signed.
        path = request.raw_path.partition("?")[0]
        kept = [pair for pair in request.body.decode("utf-8").split("&")
                if pair and not pair.startswith("X-Amz-Signature=")]
        target, body = path + "?" + "&".join(kept), b""
    _check_signature(entry, region, service, request, target, signed, body, amz_date,
                     params.raw("X-Amz-Signature"))
    return Identity(access_key, region, service, token)


def _check_scope(credential, regions, services):
    parts = credential.split("/")
    if len(parts) != 5:
        raise _incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                          "accesskeyid/date/region/service/aws4_request, got: %s." % credential)
    access_key, scope_date, region, service, terminator = parts
    if terminator != TERMINATOR:
        raise _mismatch("Credential should be scoped with a valid terminator: 'aws4_request', "
                        "not: %s." % terminator)
    if region not in regions:
        raise _mismatch("Credential should be scoped to a valid region, not:%s." % region)
    if service not in services:
        raise _mismatch("Credential should be scoped to correct service: %s." % service)
    return access_key, scope_date, region, service


def _signed_headers(names, request):
    """The signed headers with their received values; Host must be among them."""
    wanted = [name.strip().lower() for name in names.split(";") if name.strip()]
    if "host" not in wanted:
        raise _mismatch("'Host' must be a 'SignedHeader' in the Authorization.")
    headers = HTTPHeaders()
    for name in wanted:
        values = request.headers.get_all(name)
        if values is None:
            raise _missing_token("%s not in Http Header." % name)
        for value in values:
            headers[name] = value
    return headers


def _bad_date(value):
    return ("Date must be in ISO-8601 'basic format'. Got '%s'. See "
            "http://en.wikipedia.org/wiki/ISO_8601." % value)


def _parse_amz_date(value):
    try:
        parsed = datetime.datetime.strptime(value, SIGV4_TIMESTAMP)
    except (TypeError, ValueError):
        raise _incomplete(_bad_date(value)) from None
    return parsed.replace(tzinfo=datetime.timezone.utc).timestamp()


def _stamp(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(SIGV4_TIMESTAMP)


def _check_date(scope_date, amz_date, signed_at, now, skew, expires):
    if scope_date != amz_date[:8]:
        raise _mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                        "of date from HTTP.")
    minutes = int(skew // 60)
    if signed_at < now - skew and expires is None:
        raise _mismatch("Signature expired:%s is now earlier than %s (%s - %d min.)."
                        % (amz_date, _stamp(now - skew), _stamp(now), minutes))
    if expires is not None and now > signed_at + expires:
        raise _mismatch("Signature expired:%s is now later than %s (%s + %d sec.)."
                        % (_stamp(now), _stamp(signed_at + expires), amz_date, expires))
    if signed_at > now + skew:
        raise _mismatch("Signature expired:%s is now later than %s (%s + %d min.)."
                        % (amz_date, _stamp(now + skew), _stamp(now), minutes))


def _check_token(entry, token):
    accepted = entry.get("security_tokens") or []
    if token is None:
        if entry.get("sts"):
            raise _invalid_key()
        return
    if entry.get("sts") or token in accepted:
        return
    raise _invalid_key()


def _check_signature(entry, region, service, request, target, signed, body, amz_date, given):
    verifier = _Verifier(Credentials(entry["access_key"], entry["secret_key"]), service, region)
    received = _ReceivedRequest(request.method, target, signed, body, amz_date)
    canonical = verifier.canonical_request(received)
    expected = verifier.signature(verifier.string_to_sign(received, canonical), received)
    if not hmac.compare_digest(expected, given.strip().lower() if given else ""):
        raise _mismatch(NO_MATCH)
