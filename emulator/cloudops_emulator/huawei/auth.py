"""Caller authentication: AK/SK (SDK-HMAC-SHA256) and IAM tokens (`X-Auth-Token`).

AK/SK signatures are recomputed with huaweicloudsdkcore's own Signer over the request exactly as
received: method, the raw path (the signer decodes and re-encodes it), the decoded query pairs,
the headers named in `SignedHeaders` with their received values, and the body bytes. Failures get
the API gateway's codes (see docs/dev/emulator.md, "Huawei Cloud services").
"""
import datetime
import hashlib
import hmac
import types
from urllib.parse import urlsplit

from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from ..readings import reading
from .errors import bad_auth, token_expired
from .fixtures import static

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
TOKEN_KIND = "iam.token"


class Identity:
    """Who is calling: the IAM user, their account (domain) and the project the credentials are
    bound to (a token's scope or the `X-Project-Id` header; None for AK/SK without it)."""

    __slots__ = ("method", "access_key", "user", "domain", "project_id")

    def __init__(self, method, user, domain, project_id=None, access_key=None):
        self.method = method
        self.user = user
        self.domain = domain
        self.project_id = project_id
        self.access_key = access_key

    @property
    def rate_key(self):
        """The per-user key of rate limits: the AK, or the IAM user of a token."""
        return "ak:" + self.access_key if self.access_key else "user:" + self.user["id"]


def token_key(token):
    """Tokens are stored by digest, so a state file holds no usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(emu, request):
    authorization = request.headers.get("Authorization")
    if authorization:
        return _aksk(emu, request, authorization.strip())
    token = request.headers.get("X-Auth-Token")
    if token:
        return _token(emu, token.strip())
    raise bad_auth("x-auth-token not found")


def _token(emu, token):
    doc = emu.store.get(TOKEN_KIND, token_key(token))
    if doc is None:
        raise bad_auth("decrypt token fail")
    if emu.now() >= doc["expires_at"]:
        if reading(emu, "iam", "expired_token") == "APIGW.0301":
            raise bad_auth("the token has expired")
        raise token_expired()
    tables = static(emu)
    user = tables.users_by_id.get(doc["user_id"])
    if user is None:
        raise bad_auth("decrypt token fail")
    return Identity("token", user, tables.domain, doc.get("project_id"))


def parse_authorization(value):
    """(access key, signed header names, signature) of an SDK-HMAC-SHA256 Authorization value."""
    algorithm, _separator, rest = value.partition(" ")
    if algorithm != ALGORITHM:
        raise bad_auth("unsupported signing algorithm %s" % algorithm[:40])
    fields = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if not sep:
            raise bad_auth("malformed Authorization header")
        fields[key] = val
    try:
        access, signed, signature = fields["Access"], fields["SignedHeaders"], fields["Signature"]
    except KeyError:
        raise bad_auth("malformed Authorization header") from None
    if not access or not signed or not signature:
        raise bad_auth("malformed Authorization header")
    return access, signed.split(";"), signature


def _aksk(emu, request, authorization):
    access, signed_headers, signature = parse_authorization(authorization)
    tables = static(emu)
    key = tables.access_keys.get(access)
    if key is None:
        raise bad_auth("Get secretKey failed,ak:%s,err:ak not exist" % access)
    sdk_date = request.headers.get("X-Sdk-Date")
    try:
        signed_at = datetime.datetime.strptime(sdk_date or "", DATE_FORMAT)
    except ValueError:
        raise bad_auth("x-sdk-date is missing or not in the format yyyyMMdd'T'HHmmss'Z'") from None
    if "x-sdk-date" not in signed_headers or "host" not in signed_headers:
        raise bad_auth("verify aksk signature fail")
    skew = float(emu.settings.get("huawei_clock_skew", 900))
    server_time = emu.now()
    signed_epoch = signed_at.replace(tzinfo=datetime.timezone.utc).timestamp()
    if abs(server_time - signed_epoch) > skew:
        server = datetime.datetime.fromtimestamp(server_time, datetime.timezone.utc)
        raise bad_auth("signature expired, signature time:%s,server time:%s"
                       % (sdk_date, server.strftime(DATE_FORMAT)))
    expected = _signature(request, key["secret_key"], signed_headers, signed_at)
    if expected is None or not hmac.compare_digest(expected, signature.lower()):
        raise bad_auth("verify aksk signature fail")
    _check_security_token(key, request.headers.get("X-Security-Token"), signed_headers)
    user = tables.users[key["user"]]
    return Identity("aksk", user, tables.domain, request.headers.get("X-Project-Id"), access)


def _signature(request, secret, signed_headers, signed_at):
    headers = {}
    for name, value in request.headers.items():
        headers.setdefault(name.lower(), value)
    if any(name not in headers for name in signed_headers):
        return None
    sdk_request = SdkRequest(method=request.method, schema=request.scheme, host=request.host,
                             resource_path=urlsplit(request.raw_path).path or "/",
                             query_params=list(request.query), header_params=headers,
                             body=request.body)
    # Signer.sign() would stamp its own date and headers; its steps are used one by one instead.
    # pylint: disable=protected-access
    signer = Signer(types.SimpleNamespace(ak="-", sk=secret))
    canonical = signer._process_canonical_request(sdk_request, signed_headers)
    to_sign = signer._process_string_to_sign(canonical, signed_at)
    return signer._sign_string_to_sign(to_sign, secret)


def _check_security_token(key, token, signed_headers):
    """Temporary keys (`sts: true`) need a security token; `security_tokens` lists the only ones
    accepted; long-term keys refuse one."""
    if token is not None and "x-security-token" not in signed_headers:
        raise bad_auth("verify aksk signature fail")
    if key.get("sts") or key.get("security_tokens"):
        if not token:
            raise bad_auth("the security token is required for a temporary access key")
        allowed = key.get("security_tokens")
        if allowed and token not in allowed:
            raise bad_auth("the security token is invalid or expired")
    elif token:
        raise bad_auth("the security token is invalid or expired")
