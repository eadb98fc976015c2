# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KSYUN (Kingsoft Cloud) client: the Action/Version query protocol signed with AWS SigV4.

Wire facts (docs/dev/architecture.md, "API facts"; checked against kscore 1.3.65):
- host ``{service}.api.ksyun.com``; the region travels only in the credential scope;
- GET puts ``Action``, ``Version`` and the flattened parameters in the query string, POST in an
  ``application/x-www-form-urlencoded`` body (Content-Type added after signing, as kscore does);
- headers ``Accept: application/json``, ``X-Action``, ``X-Version`` are signed;
- answers are JSON when asked for, XML otherwise; both error envelopes are read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re
from urllib.parse import quote, urlencode

from ansible.module_utils.basic import env_fallback

from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import carries_secret, retry_safe
from ansible_collections.cloudops.multicloud.plugins.module_utils.cloud_options import (
    build_transport,
    check_endpoint_url,
    check_token,
    check_transport_options,
    require,
    transport_argument_spec,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.sigv4 import sign as sigv4_sign
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import Transport, unexpected_answer
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import IdRule

DEFAULT_REGION = "cn-beijing-6"

ACCESS_KEY_ENV = ("KSYUN_ACCESS_KEY", "KS_ACCESS_KEY_ID")
SECRET_KEY_ENV = ("KSYUN_SECRET_KEY", "KS_SECRET_ACCESS_KEY")
SECURITY_TOKEN_ENV = ("KSYUN_SECURITY_TOKEN",)
REGION_ENV = ("KSYUN_REGION",)
ENDPOINT_ENV = "KSYUN_ENDPOINT_URL"

# kscore (regions.py / endpoints.yaml): the listed regions, or anything its region pattern accepts.
KNOWN_REGIONS = frozenset((
    "ksyun-global", "cn-shanghai-2", "cn-beijing-6", "cn-beijing-5", "cn-hongkong-2", "cn-hongkong-1",
    "cn-beijing-1", "cn-beijing-3", "cn-shanghai-1", "cn-shanghai-3",
))
REGION_PATTERN = re.compile(r"[a-z]{2,5}-\w+-\d+", re.ASCII)
# An indexed list parameter (InstanceId.N) takes N from 1 to this: longer lists take several calls.
LIST_PARAM_MAX = 100
# KSYUN project IDs are numbers sent as strings ("0" is the default project).
PROJECT_ID = IdRule("KSYUN project", r"[0-9]{1,19}", "digits only, such as 0 (the default project)")


def ksyun_argument_spec():
    """The options every KSYUN module takes (documented by the ``cloudops.multicloud.ksyun`` fragment)."""
    spec = dict(
        access_key=dict(type="str", no_log=False, fallback=(env_fallback, list(ACCESS_KEY_ENV))),
        secret_key=dict(type="str", no_log=True, fallback=(env_fallback, list(SECRET_KEY_ENV))),
        security_token=dict(type="str", no_log=True, fallback=(env_fallback, list(SECURITY_TOKEN_ENV))),
        region=dict(type="str", default=DEFAULT_REGION, fallback=(env_fallback, list(REGION_ENV))),
    )
    spec.update(transport_argument_spec(ENDPOINT_ENV))
    return spec


class KsyunApi:
    """One KSYUN service at one API version: what a module or plugin declares as its ``api``.

    ``actions`` is the service's table, kept with its code: {action: (HTTP method as the official
    models say, ``api_actions`` safety)}. An action missing from it is refused, never guessed.
    """

    def __init__(self, service, version, actions):
        self.service = service
        self.version = version
        self.actions = actions

    @staticmethod
    def argument_spec():
        return ksyun_argument_spec()

    def client(self, params, trace=None):
        """A client for this service from module/plugin options (ValueError for bad input)."""
        return KsyunClient.from_params(params, self.service, self.version, actions=self.actions, trace=trace)


# -- parameter flattening -------------------------------------------------------------------------

def flatten(params):
    """Query-protocol pairs for nested parameters, in order.

    Lists become ``Key.N`` (from 1), dicts ``Key.Sub``, so ``{"Trigger": {"Header": [{"Key": "k",
    "Value": ["v"]}]}}`` gives ``Trigger.Header.1.Key=k`` and ``Trigger.Header.1.Value.1=v``.
    Booleans are ``True``/``False`` (as the seeds and tf-ksyun send them); None is dropped.
    """
    pairs = []
    for key, value in (params or {}).items():
        _flatten_into(pairs, str(key), value)
    return pairs


def _flatten_into(pairs, name, value):
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten_into(pairs, "%s.%s" % (name, key), item)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate([v for v in value if v is not None], 1):
            _flatten_into(pairs, "%s.%d" % (name, index), item)
    elif isinstance(value, bool):
        pairs.append((name, "True" if value else "False"))
    else:
        pairs.append((name, str(value)))


def encode_query(pairs):
    """GET query string: RFC 3986 unreserved characters kept, space as %20, UTF-8 (as kscore)."""
    return "&".join("%s=%s" % (quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)


# -- answers --------------------------------------------------------------------------------------

def _local_name(tag):
    return tag.rsplit("}", 1)[-1]


def _xml_value(element):
    children = list(element)
    if not children:
        if element.text and element.text.strip():
            return element.text
        # An empty list and an empty scalar look alike in XML; KSYUN names its lists "...Set".
        return [] if _local_name(element.tag).endswith("Set") else None
    names = [_local_name(child.tag) for child in children]
    if all(name == "item" for name in names):
        return [_xml_value(child) for child in children]
    result = {}
    for name, child in zip(names, children):
        value = _xml_value(child)
        if names.count(name) > 1:
            result.setdefault(name, []).append(value)
        else:
            result[name] = value
    return result


def parse_xml(content):
    """A KSYUN XML answer as the dict its JSON form would be, or None if it is not one.

    Roots are ``<{Action}Response>`` or ``<ErrorResponse>``; ``<item>`` children form lists; a
    ``ResponseMetadata/RequestId`` is lifted to ``RequestId``. (ElementTree resolves no external
    entities, and expat >= 2.4.1 refuses entity-expansion bombs.) Imported here: only the rare
    XML answer pays for ElementTree, not every task.
    """
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        return None
    if not _local_name(root.tag).endswith("Response"):
        return None
    result = _xml_value(root)
    if not isinstance(result, dict):
        result = {}
    metadata = result.pop("ResponseMetadata", None)
    if isinstance(metadata, dict) and metadata.get("RequestId") and "RequestId" not in result:
        result["RequestId"] = metadata["RequestId"]
    return result


def decode_answer(content):
    """A JSON or XML answer body as a dict, or None when it is neither."""
    content = content.strip()
    if not content:
        return {}
    if content.startswith(b"<"):
        return parse_xml(content)
    try:
        result = json.loads(content.decode("utf-8"))
    except ValueError:
        return None
    return result if isinstance(result, dict) else None


def request_id_of(answer):
    for key in ("RequestId", "requestId", "RequestID"):
        if answer.get(key):
            return answer[key]
    metadata = answer.get("ResponseMetadata")
    if isinstance(metadata, dict):
        return metadata.get("RequestId")
    return None


def parse_error(response):
    """(code, message, request id) from either KSYUN error envelope, JSON or XML."""
    answer = decode_answer(response.content)
    if not answer:
        return None, None, None
    request_id = request_id_of(answer)
    error = answer.get("Error") or answer.get("error")
    if not isinstance(error, dict):
        errors = answer.get("Errors")
        error = errors.get("Error") if isinstance(errors, dict) else None
    source = error if isinstance(error, dict) else answer
    code = source.get("Code") or source.get("code")
    message = source.get("Message") or source.get("message") or ""
    if not code:
        return None, None, request_id
    return str(code), str(message), request_id


# -- the client -----------------------------------------------------------------------------------

def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


# Headers kscore signs; User-Agent is never signed and Content-Type is added after signing.
_SIGNED_HEADERS = ("Accept", "X-Action", "X-Version")


class KsyunClient:
    """One KSYUN service (``kcrs``, ``bws``) at one API version, for one run."""

    def __init__(self, service, version, *, access_key, secret_key, security_token=None, region=DEFAULT_REGION,
                 endpoint_url=None, transport=None, clock=None, actions=None):
        self.service = service
        self.version = version
        self.actions = actions or {}
        self.region = region or DEFAULT_REGION
        self.endpoint = (endpoint_url.rstrip("/") if endpoint_url else "https://%s.api.ksyun.com" % service) + "/"
        self.transport = transport if transport is not None else Transport()
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self._clock = clock or _utcnow
        self.transport.protect(secret_key, security_token)

    @classmethod
    def from_params(cls, params, service, version, actions=None, trace=None):
        """A client from module/plugin options; ValueError("<option>: <rule>") for bad input."""
        access_key = check_token("access_key", require(params, "access_key", ACCESS_KEY_ENV))
        secret_key = check_token("secret_key", require(params, "secret_key", SECRET_KEY_ENV))
        security_token = check_token("security_token", params.get("security_token") or None)
        region = params.get("region") or DEFAULT_REGION
        if region not in KNOWN_REGIONS and not REGION_PATTERN.fullmatch(region):
            raise ValueError("region: %r is not a KSYUN region name (like cn-beijing-6)" % (region,))
        endpoint_url = check_endpoint_url(params, ENDPOINT_ENV)
        transport = build_transport(check_transport_options(params), trace=trace)
        return cls(service, version, access_key=access_key, secret_key=secret_key,
                   security_token=security_token, region=region, endpoint_url=endpoint_url,
                   transport=transport, actions=actions)

    def call(self, action, params=None):
        """Run one action; return its answer as a dict (JSON or XML alike). What the action table
        declares safe to retry is retried on server and network errors; other writes only when
        the server surely did not act."""
        method, safety = self.actions.get(action, (None, None))
        idempotent = retry_safe(safety, self.service, action)
        secret_answer = carries_secret(safety)
        pairs = [("Action", action), ("Version", self.version)] + flatten(params)
        headers = {"Accept": "application/json", "X-Action": action, "X-Version": self.version}
        if method == "GET":
            url, body = self.endpoint + "?" + encode_query(pairs), None
        else:
            url, body = self.endpoint, urlencode(pairs).encode("utf-8")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.transport.request(
            method, url, headers=headers, body=body, sign=self._sign, service=self.service,
            operation=action, parse_error=parse_error, idempotent=idempotent, secret_answer=secret_answer)
        answer = decode_answer(response.content)
        if answer is None:
            raise unexpected_answer(response, "answer is neither JSON nor a KSYUN XML document",
                                    self.service, action, self.transport.secrets, secret_answer)
        if "RequestId" not in answer and request_id_of(answer):
            answer["RequestId"] = request_id_of(answer)
        return answer

    def paginate(self, action, params, result_key, page_size=99):
        """Every item of a Marker/MaxResults listing (Marker is a record offset), in order.

        The server may answer fewer items than MaxResults asked (the webhook samples echo 10), so
        a short page does not end the listing: ``TotalCount`` does, or an empty page. Only an
        answer without ``TotalCount`` ends at a page shorter than the size it echoes (or asked).
        """
        items = []
        while True:
            page_params = dict(params or {})
            page_params.update(Marker=len(items), MaxResults=page_size)
            answer = self.call(action, page_params)
            page = answer.get(result_key) or []
            items.extend(page)
            total = _as_int(answer.get("TotalCount"))
            if not page or (total is not None and len(items) >= total):
                return items
            if total is None and len(page) < (_as_int(answer.get("MaxResults")) or page_size):
                return items

    def _sign(self, method, url, headers, body):
        signed = dict((k, v) for k, v in headers.items() if k in _SIGNED_HEADERS)
        return sigv4_sign(method, url, signed, body, access_key=self._access_key, secret_key=self._secret_key,
                          region=self.region, service=self.service, timestamp=self._clock(),
                          security_token=self._security_token)


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
