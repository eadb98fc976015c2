# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud client: REST/JSON signed with SDK-HMAC-SHA256 (AK/SK) or carrying an IAM token.

Wire facts (docs/dev/architecture.md, "API facts"; checked against huaweicloudsdkcore 3.1.219):
- host ``{service}.{region}.myhuaweicloud.com``, except KPS which is served by the ``kms`` host;
- ``Content-Type: application/json;charset=utf-8`` with a body, ``application/json`` without;
- AK/SK requests carry ``X-Project-Id`` (signed) once the project is known; the project is looked up
  through IAM (``GET /v3/projects?name={region}``, with ``Content-Type: application/json``, which
  seeds 003 and 004 mark mandatory on every request) when not given, once per client;
- IAM calls go to ``iam_endpoint_url``, else to ``endpoint_url`` when that is a loopback URL (the
  emulator serves IAM on its one port), else to ``https://iam.{region}.myhuaweicloud.com``: a
  service endpoint elsewhere serves no IAM (``iam_endpoint_for``);
- password auth gets a token from ``POST /v3/auth/tokens`` (``X-Subject-Token`` header), sent as
  ``X-Auth-Token`` on every later call;
- errors: ``{"error_code", "error_msg"}``, the Keystone ``{"error": {"message", "title"}}``, and
  huaweicloudsdkcore's fallbacks; request id from ``X-Request-Id``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re

from ansible.module_utils.basic import env_fallback

from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import carries_secret, retry_safe
from ansible_collections.cloudops.multicloud.plugins.module_utils.cloud_options import (
    build_transport,
    check_endpoint_url,
    check_token,
    is_loopback_url,
    check_transport_options,
    require,
    transport_argument_spec,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.sdk_hmac import canonical_query
from ansible_collections.cloudops.multicloud.plugins.module_utils.sdk_hmac import sign as sdk_hmac_sign
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import (
    CloudError,
    Transport,
    unexpected_answer,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import Sourced, header_value, path_segment

ACCESS_KEY_ENV = ("HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY")
SECRET_KEY_ENV = ("HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY")
SECURITY_TOKEN_ENV = ("HUAWEICLOUD_SDK_SECURITY_TOKEN",)
PROJECT_ID_ENV = ("HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID")
REGION_ENV = ("HW_REGION_NAME",)
ENDPOINT_ENV = "HUAWEICLOUD_ENDPOINT_URL"
# The IAM endpoint's variable as huaweicloudsdkcore 3.1.219 names it (IamHelper.IAM_ENDPOINT_ENV_NAME).
IAM_ENDPOINT_ENV = "HUAWEICLOUD_SDK_IAM_ENDPOINT"

REGION_PATTERN = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")
PROJECT_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")

# KPS is part of DEW and served by the KMS host (huaweicloudsdkkps KpsRegion); no kps.* host exists.
SERVICE_HOSTS = {"kps": "kms"}

# Page sizes the pagination helpers use unless told otherwise. VPCEP documents limit 0-1000. KPS
# (default 50) and CGS (default 10) document no maximum: 1000 keeps CGS's 5 calls a minute for 5,000
# nodes, and the helpers follow next_marker / total counts, so a server that caps the page lower is
# still read completely.
MAX_PAGE_SIZE = {"vpcep": 1000, "kps": 1000, "cgs": 1000}

IAM_TOKEN_OPERATION = "KeystoneCreateUserTokenByPassword"
IAM_PROJECTS_OPERATION = "KeystoneListProjects"

# Where the project id and the token came from, for the errors of values that cannot go into a
# request path or header (validation.path_segment, header_value).
PROJECT_ID_OPTION = "project_id"
PROJECT_ID_FROM_TOKEN = "the project id of the IAM token"
PROJECT_ID_FROM_LOOKUP = "the project id IAM returned"
TOKEN_FROM_IAM = "the IAM token (X-Subject-Token) IAM returned"


def huawei_argument_spec():
    """The options every Huawei Cloud module takes (fragment ``cloudops.multicloud.huaweicloud``)."""
    spec = dict(
        access_key=dict(type="str", no_log=False, fallback=(env_fallback, list(ACCESS_KEY_ENV))),
        secret_key=dict(type="str", no_log=True, fallback=(env_fallback, list(SECRET_KEY_ENV))),
        security_token=dict(type="str", no_log=True, fallback=(env_fallback, list(SECURITY_TOKEN_ENV))),
        region=dict(type="str", fallback=(env_fallback, list(REGION_ENV))),
        project_id=dict(type="str", fallback=(env_fallback, list(PROJECT_ID_ENV))),
        auth_username=dict(type="str"),
        auth_password=dict(type="str", no_log=True),
        auth_domain=dict(type="str"),
        iam_endpoint_url=dict(type="str", fallback=(env_fallback, [IAM_ENDPOINT_ENV])),
    )
    spec.update(transport_argument_spec(ENDPOINT_ENV))
    return spec


class HuaweiApi:
    """One Huawei Cloud service: what a module or plugin declares as its ``api``.

    ``operations`` is the service's table, kept with its code: {operation name: ``api_actions``
    safety}, for its own host and any other it reaches (``for_service``). An operation missing
    from it is refused, never guessed from its method.

    ``rate_limit``: the service's call budget, a ``pacing.RateLimit`` (CGS: 5 calls per minute per
    user), or None. Every client of a rate-limited service sends through a ``pacing.CallPacer`` at
    the ``rate_limit_per_minute`` option's value (the declared limit when the option is absent;
    0 = no pacing). Declared where the service is, so only its modules carry pacing.py."""

    def __init__(self, service, operations, rate_limit=None):
        self.service = service
        self.operations = operations
        self.rate_limit = rate_limit

    @staticmethod
    def argument_spec():
        return huawei_argument_spec()

    def client(self, params, trace=None, notify=None, pacer=None):
        """A client for this service from module/plugin options (ValueError for bad input). For a
        rate-limited service its calls are paced: by ``pacer`` (another client's), else by a new
        pacer counting in the account's budget at the client's endpoint, shared by every process
        of the controller, whose -v lines (waits, throttling) go to ``notify``."""
        client = HuaweiClient.from_params(params, self.service, operations=self.operations, trace=trace)
        if self.rate_limit is not None:
            client.transport.pacer = pacer if pacer is not None else self.new_pacer(params, notify, client.endpoint)
        return client

    def pacer_of(self, client, notify=None, sleep=None, monotonic=None, warn=None, who=None):
        """The pacer ``client()`` attached to ``client`` (None for a service without a rate
        limit). ``notify``, ``sleep``, ``monotonic``, ``warn`` and ``who``, when given, replace
        its line sink, clock, warning sink (waits of 5 s or more) and the caller's name in the
        account's window: the run's (a module's injectable clock)."""
        pacer = client.transport.pacer if self.rate_limit is not None else None
        if pacer is not None:
            pacer.use(notify=notify, sleep=sleep, monotonic=monotonic, warn=warn, who=who)
        return pacer

    def new_pacer(self, params, notify=None, endpoint=None):
        """A new ``pacing.CallPacer`` for this service at params' ``rate_limit_per_minute`` (the
        declared limit when absent or None). With ``endpoint``, it counts in the account's budget
        there, shared by every process of the controller (``pacing.SharedWindow``)."""
        account = account_of(params) if endpoint else None
        return self.rate_limit.pacer(self.service, params.get("rate_limit_per_minute"), notify=notify,
                                     endpoint=endpoint, account=account)


def account_of(params):
    """Whose budget the calls spend: the access key, or the IAM user in its domain."""
    if params.get("access_key"):
        return "ak:" + params["access_key"]
    return "user:%s/%s" % (params.get("auth_domain") or "", params.get("auth_username") or "")


def endpoint_for(service, region):
    """The public endpoint of ``service`` (``kps``, ``vpcep``, ``cgs``, ``iam``) in ``region``."""
    domain = "myhuaweicloud.eu" if region == "eu-west-101" else "myhuaweicloud.com"
    return "https://%s.%s.%s" % (SERVICE_HOSTS.get(service, service), region, domain)


def iam_endpoint_for(region, endpoint_url=None, iam_endpoint_url=None):
    """Where the token and project calls go: ``iam_endpoint_url``; else ``endpoint_url`` when it
    is a loopback URL (the emulator, which serves IAM on the same port); else IAM's public
    endpoint of ``region`` (a service endpoint elsewhere, a proxy or a VPC endpoint, serves no IAM)."""
    if iam_endpoint_url:
        return iam_endpoint_url.rstrip("/")
    if endpoint_url and is_loopback_url(endpoint_url):
        return endpoint_url.rstrip("/")
    return endpoint_for("iam", region)


def query_pairs(query):
    """(key, value) pairs as huaweicloudsdkcore sends them: None dropped, lists repeated, booleans
    ``true``/``false``."""
    items = query.items() if isinstance(query, dict) else (query or [])
    pairs = []
    for key, value in items:
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is None:
                continue
            pairs.append((str(key), ("true" if item else "false") if isinstance(item, bool) else str(item)))
    return pairs


def _error_pair(obj):
    for code_key, message_key in (("error_code", "error_msg"), ("errorCode", "errorMsg"),
                                  ("title", "message"), ("code", "message")):
        if code_key in obj and message_key in obj and obj[code_key] not in (None, ""):
            return obj[code_key], obj[message_key]
    return None


def _bare_message(answer):
    """The message of an error body that names no code (IAM may send ``{"error": {"message"}}``)."""
    for obj in [answer] + [v for v in answer.values() if isinstance(v, dict)]:
        if isinstance(obj.get("message"), str) and obj["message"]:
            return obj["message"]
    return None


def parse_error(response):
    """(code, message, request id) from a Huawei error answer: ``error_code``/``error_msg``,
    ``errorCode``/``errorMsg``, Keystone's ``title``/``message`` or ``code``/``message``, at the
    top level or one object down (as huaweicloudsdkcore reads them)."""
    request_id = response.headers.get("X-Request-Id")
    try:
        answer = json.loads(response.content.decode("utf-8"))
    except ValueError:
        return None, None, request_id
    if not isinstance(answer, dict):
        return None, None, request_id
    found = _error_pair(answer)
    if found is None:
        for value in answer.values():
            if isinstance(value, dict):
                found = _error_pair(value)
                if found is not None:
                    break
    if found is None:
        # An error body whose code is absent: the HTTP status stands in for the code.
        message = _bare_message(answer)
        if message is None:
            return None, None, request_id
        return str(response.status_code), message, request_id
    return str(found[0]), "" if found[1] is None else str(found[1]), request_id


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class HuaweiClient:
    """One Huawei Cloud service (``kps``, ``vpcep``, ``cgs``) in one region, for one run."""

    def __init__(self, service, *, region, access_key=None, secret_key=None, security_token=None,
                 project_id=None, auth_username=None, auth_password=None, auth_domain=None,
                 endpoint_url=None, iam_endpoint_url=None, transport=None, clock=None, operations=None):
        self.service = service
        self.operations = operations or {}
        self.region = region
        self._endpoint_url = endpoint_url
        self.endpoint = endpoint_url.rstrip("/") if endpoint_url else endpoint_for(service, region)
        self._iam_endpoint_url = iam_endpoint_url
        self.iam_endpoint = iam_endpoint_for(region, endpoint_url, iam_endpoint_url)
        self.transport = transport if transport is not None else Transport()
        self._project_id = project_id
        self._project_id_origin = PROJECT_ID_OPTION
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self._username, self._password, self._domain = auth_username, auth_password, auth_domain
        self._password_auth = bool(auth_username)
        self._token = None
        self._token_worked = False
        self._clock = clock or _utcnow
        self.transport.protect(secret_key, security_token, auth_password)

    @classmethod
    def from_params(cls, params, service, operations=None, trace=None):
        """A client from module/plugin options; ValueError("<option>: <rule>") for bad input."""
        region = require(params, "region", REGION_ENV)
        if not REGION_PATTERN.fullmatch(region):
            raise ValueError("region: %r is not a Huawei Cloud region name (like cn-north-4)" % (region,))
        project_id = params.get("project_id") or None
        if project_id is not None and not PROJECT_ID_PATTERN.fullmatch(project_id):
            raise ValueError("project_id: must be letters, digits, '-' or '_' (1 to 64), got %r" % (project_id,))
        credentials = _check_credentials(params)
        endpoint_url = check_endpoint_url(params, ENDPOINT_ENV)
        iam_endpoint_url = check_endpoint_url(params, IAM_ENDPOINT_ENV, option="iam_endpoint_url")
        transport = build_transport(check_transport_options(params), trace=trace)
        return cls(service, region=region, project_id=project_id, endpoint_url=endpoint_url,
                   iam_endpoint_url=iam_endpoint_url, transport=transport, operations=operations, **credentials)

    def for_service(self, service):
        """A client for another service (``ecs`` beside ``kps``) of the same account and region,
        sharing this one's HTTP session, credentials, project id and IAM token."""
        if self._password_auth and self._token is None:
            self._authenticate()  # one IAM token for both clients
        project_id = self.project_id  # looked up once, for both
        other = HuaweiClient(service, region=self.region, access_key=self._access_key,
                             secret_key=self._secret_key, security_token=self._security_token,
                             project_id=project_id, endpoint_url=self._endpoint_url,
                             iam_endpoint_url=self._iam_endpoint_url, transport=self.transport, clock=self._clock, operations=self.operations)
        other._project_id_origin = self._project_id_origin
        if self._password_auth:
            other._password_auth, other._token = True, self._token
            other._username, other._password, other._domain = self._username, self._password, self._domain
        return other

    # -- identity -------------------------------------------------------------------------------

    @property
    def project_id(self):
        """The project id: given, taken from the IAM token, or looked up once by region name."""
        if self._project_id is None:
            if self._password_auth and self._token is None:
                self._authenticate()
            if self._project_id is None:
                self._project_id = self._lookup_project_id()
                self._project_id_origin = PROJECT_ID_FROM_LOOKUP
        return self._project_id

    def _authenticate(self):
        scope = {"id": self._project_id} if self._project_id else {"name": self.region}
        body = {"auth": {"identity": {"methods": ["password"],
                                      "password": {"user": {"name": self._username, "password": self._password,
                                                            "domain": {"name": self._domain}}}},
                         "scope": {"project": scope}}}
        # Asking for a token twice is harmless, so the token call may be retried like a read.
        response = self._send(self.iam_endpoint, "POST", "/v3/auth/tokens", [], body, "iam",
                              IAM_TOKEN_OPERATION, idempotent=True, authenticated=False)
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise CloudError("IAM answered without an X-Subject-Token header", status=response.status_code,
                             code="InvalidResponse", service="iam", operation=IAM_TOKEN_OPERATION,
                             request_id=response.headers.get("X-Request-Id"))
        self.transport.protect(token)
        self._token = token
        self._token_worked = False
        answer = self._decode(response, "iam", IAM_TOKEN_OPERATION) or {}
        project = (answer.get("token") or {}).get("project") or {}
        if self._project_id is None and project.get("id"):
            self._project_id = project["id"]
            self._project_id_origin = PROJECT_ID_FROM_TOKEN

    def _lookup_project_id(self):
        response = self._send(self.iam_endpoint, "GET", "/v3/projects", [("name", self.region)], None, "iam",
                              IAM_PROJECTS_OPERATION, idempotent=True)
        answer = self._decode(response, "iam", IAM_PROJECTS_OPERATION) or {}
        matches = [p for p in answer.get("projects") or [] if p.get("name") == self.region]
        if len(matches) != 1:
            raise CloudError("%s IAM projects are named %r; set project_id to choose one"
                             % ("no" if not matches else len(matches), self.region),
                             code="ProjectNotFound" if not matches else "AmbiguousProject",
                             request_id=response.headers.get("X-Request-Id"),
                             service="iam", operation=IAM_PROJECTS_OPERATION)
        return matches[0]["id"]

    # -- calls ----------------------------------------------------------------------------------

    def request(self, method, path, *, query=None, body=None, operation, path_params=None):
        """One API call. ``{project_id}`` and ``path_params`` are filled in (percent-encoded;
        UnsafeValue for a value that cannot be a path segment, named by its key or, for a
        ``validation.Sourced`` value, by its origin); returns the decoded JSON answer, or None for
        an empty one. Whether it may be sent again after an unclear answer, and whether its answer
        carries a secret, is what the operation table declares."""
        safety = self.operations.get(operation)
        idempotent = retry_safe(safety, self.service, operation)
        secret_answer = carries_secret(safety)
        if "{project_id}" in path:
            path = path.replace("{project_id}", path_segment(self.project_id, self._project_id_origin))
        for key, value in (path_params or {}).items():
            value, origin = value if isinstance(value, Sourced) else (value, key)
            path = path.replace("{%s}" % key, path_segment(value, origin))
        response = self._send(self.endpoint, method.upper(), path, query_pairs(query), body, self.service,
                              operation, idempotent=idempotent, secret_answer=secret_answer)
        return self._decode(response, self.service, operation, secret_answer)

    def paginate_marker(self, path, items_key, *, query=None, limit=None, operation, marker_of):
        """Every item of a ``limit``/``marker`` listing (KPS). The next marker is ``marker_of(last
        item)``; a missing or empty ``page_info.next_marker`` ends the listing."""
        limit = limit or MAX_PAGE_SIZE.get(self.service, 1000)
        items, marker, seen = [], None, set()
        while True:
            page_query = dict(query or {})
            page_query.update(limit=limit, marker=marker)
            answer = self.request("GET", path, query=page_query, operation=operation) or {}
            page = answer.get(items_key) or []
            items.extend(page)
            if not page or not (answer.get("page_info") or {}).get("next_marker"):
                return items
            marker = marker_of(page[-1])
            if marker in seen:
                raise CloudError("the listing returned marker %r twice" % (marker,), code="PaginationError",
                                 service=self.service, operation=operation)
            seen.add(marker)

    def paginate_offset(self, path, items_key, *, query=None, limit=None, operation, total_key="total_count"):
        """Every item of a ``limit``/``offset`` listing (VPCEP ``total_count``; CGS passes
        ``total_key="total_num"``). Ends on an empty page, when the total is reached, or - when
        the answer has no total - on a short page."""
        limit = limit or MAX_PAGE_SIZE.get(self.service, 1000)
        items = []
        while True:
            page_query = dict(query or {})
            page_query.update(limit=limit, offset=len(items))
            answer = self.request("GET", path, query=page_query, operation=operation) or {}
            page = answer.get(items_key) or []
            items.extend(page)
            total = _as_int(answer.get(total_key))
            if not page or (total is not None and len(items) >= total) or (total is None and len(page) < limit):
                return items

    # -- the wire ---------------------------------------------------------------------------------

    def _send(self, base, method, path, pairs, body, service, operation, idempotent, authenticated=True,
              secret_answer=False):
        url = base + path + ("?" + canonical_query(pairs) if pairs else "")
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json;charset=utf-8"
        else:
            headers["Content-Type"] = "application/json"
        sign = None
        if authenticated and self._password_auth:
            return self._send_with_token(method, url, headers, data, service, operation, idempotent, secret_answer)
        if authenticated:
            if self._project_id:
                headers["X-Project-Id"] = header_value(self._project_id, self._project_id_origin, "X-Project-Id")
            sign = self._sign
        return self.transport.request(method, url, headers=headers, body=data, sign=sign, service=service,
                                      operation=operation, parse_error=parse_error, idempotent=idempotent,
                                      secret_answer=secret_answer)

    def _send_with_token(self, method, url, headers, data, service, operation, idempotent, secret_answer):
        """Send with the IAM token. A 401 for a token that worked before means it is no longer good
        (expired, revoked, whatever code the gateway gives): log in again once and send again (the
        gateway refused the call, so even a write did not act). A 401 for a token that never
        worked, and a failing login, are reported as they are."""
        for attempt in (1, 2):
            if self._token is None:
                self._authenticate()
            headers["X-Auth-Token"] = header_value(self._token, TOKEN_FROM_IAM, "X-Auth-Token")
            try:
                response = self.transport.request(method, url, headers=headers, body=data, service=service,
                                                  operation=operation, parse_error=parse_error,
                                                  idempotent=idempotent, secret_answer=secret_answer)
            except CloudError as exc:
                if exc.status != 401 or attempt == 2 or not self._token_worked:
                    raise
                self._token = None
                continue
            self._token_worked = True
            return response

    def _sign(self, method, url, headers, body):
        return sdk_hmac_sign(method, url, headers, body, access_key=self._access_key,
                             secret_key=self._secret_key, timestamp=self._clock(),
                             security_token=self._security_token)

    def _decode(self, response, service, operation, secret_answer=False):
        if response.status_code == 204 or not response.content.strip():
            return None
        try:
            answer = json.loads(response.content.decode("utf-8"))
        except ValueError:
            raise unexpected_answer(response, "answer is not JSON", service, operation, self.transport.secrets,
                                    secret_answer)
        if not isinstance(answer, (dict, list)):
            raise unexpected_answer(response, "answer is not a JSON object", service, operation,
                                    self.transport.secrets, secret_answer)
        return answer


def _check_credentials(params):
    """AK/SK (+ security token) or IAM user/password/domain, exactly one of them, complete."""
    access_key, secret_key = params.get("access_key") or None, params.get("secret_key") or None
    token = params.get("security_token") or None
    user = params.get("auth_username") or None
    password = params.get("auth_password") or None
    domain = params.get("auth_domain") or None
    use_keys = bool(access_key or secret_key)
    use_password = bool(user or password or domain)
    if use_keys and use_password:
        raise ValueError("access_key: access_key/secret_key and auth_username/auth_password/auth_domain are "
                         "two ways to sign in; give only one of them")
    if use_password:
        for option, value in (("auth_username", user), ("auth_password", password), ("auth_domain", domain)):
            if not value:
                raise ValueError("%s: required for password authentication (auth_username, auth_password and "
                                 "auth_domain go together)" % option)
        if token:
            raise ValueError("security_token: only used with access_key and secret_key")
        return dict(auth_username=user, auth_password=password, auth_domain=domain)
    if not use_keys:
        raise ValueError("access_key: required; set access_key and secret_key (or the %s and %s environment "
                         "variables), or auth_username, auth_password and auth_domain"
                         % ("/".join(ACCESS_KEY_ENV), "/".join(SECRET_KEY_ENV)))
    require(params, "access_key", ACCESS_KEY_ENV)
    require(params, "secret_key", SECRET_KEY_ENV)
    return dict(access_key=check_token("access_key", access_key), secret_key=check_token("secret_key", secret_key),
                security_token=check_token("security_token", token))


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
