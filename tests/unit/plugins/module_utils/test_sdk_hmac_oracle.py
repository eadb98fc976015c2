# -*- coding: utf-8 -*-
"""Our SDK-HMAC-SHA256 signer against huaweicloudsdkcore's ``Signer``, on seeded generated requests.

The SDK side goes through ``BasicCredentials.sign_request`` (which adds X-Project-Id and
X-Security-Token before signing, as a real client call does) with the signer's clock frozen. Our
side gets the URL the SDK would send (resource path + ``canonical_query``) and the same headers.
Compared byte for byte: every header the SDK added (Authorization, X-Sdk-Date, Host,
X-Security-Token, X-Sdk-Content-Sha256) and the request URI.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import datetime
import json
import random
import string
from urllib.parse import quote

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils import sdk_hmac

SEED = 20240115
REQUESTS = 1200
QUERY_CASES = 500

SEGMENTS = ["keypairs", "vpc-endpoint-services", "demo1", "my key", "ключ", "名前", "a:b@c+d=e", "tilde~x",
            "slash/inside", "percent%20", "dot.dash-under_score", "emoji\U0001F600", "(paren)!*'"]
STRINGS = ["", "demo", "my svc", "a&b=c", "/+?#%", "100%", "~-._", "名字", "ünïcödé", "sp ace", "a;b,c",
           "[x]", "$@:", "asc", "desc", "true", "0"]
KEYS = ["name", "endpoint_service_name", "sort_dir", "marker", "名", "key with space", "k&v", "tilde~", "A", "a"]
CONTENT_TYPES = ["application/json", "application/json;charset=utf-8", "application/bson",
                 "application/octet-stream", "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=xyz", "application/xml"]
EXTRA_HEADERS = ["X-Request-Id", "X-Client-Token", "Accept", "X_Custom_Header", "x_trace_id", "X-Language"]
HEADER_VALUES = ["value", "  padded  ", "a b c", "zh-cn", "application/json", "12345", "under_score"]


class FrozenDateTime(datetime.datetime):
    now_value = None

    @classmethod
    def utcnow(cls):
        return cls.now_value


@pytest.fixture
def frozen_sdk_clock(monkeypatch):
    import huaweicloudsdkcore.signer.signer as signer_module

    monkeypatch.setattr(signer_module, "datetime", FrozenDateTime)
    return FrozenDateTime


def random_text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _dummy in range(rng.randint(low, high)))


def mixed_case(rng, name):
    return rng.choice([name, name.lower(), name.upper()])


def random_query(rng):
    """(key, value) pairs as a client hands them to the SDK: strings (keys may repeat), and a few
    keys with an int, a bool or a list of strings (those keys do not repeat)."""
    pairs = []
    for _dummy in range(rng.randint(0, 8)):
        if pairs and rng.random() < 0.25:
            string_keys = [k for k, v in pairs if isinstance(v, str)]
            key = rng.choice(string_keys) if string_keys else rng.choice(KEYS)
        else:
            key = rng.choice(KEYS)
        pairs.append((key, rng.choice(STRINGS)))
    if rng.random() < 0.5:
        pairs.append(("limit", rng.randint(0, 1000)))
    if rng.random() < 0.3:
        pairs.append(("offset", rng.randint(0, 50)))
    if rng.random() < 0.3:
        pairs.append(("enabled", rng.random() < 0.5))
    if rng.random() < 0.3:
        pairs.append(("id", [rng.choice(STRINGS) for _dummy in range(rng.randint(1, 4))]))
    rng.shuffle(pairs)
    return pairs


def random_request(rng):
    scheme = rng.choice(["https", "https", "http"])
    host = rng.choice(["kms.cn-north-4.myhuaweicloud.com", "vpcep.cn-north-4.myhuaweicloud.com",
                       "cgs.cn-south-4.myhuaweicloud.com", "iam.myhuaweicloud.com", "127.0.0.1", "localhost",
                       "KMS.CN-NORTH-4.MyHuaweiCloud.com"])
    netloc = host + rng.choice(["", "", "", ":443", ":8443", ":18443", ":80"])
    project_id = rng.choice([None, "0123456789abcdef0123456789abcdef", random_text(rng, "0123456789abcdef", 32, 32)])
    path = "/" + "/".join(quote(s, safe="") for s in [rng.choice(["v1", "v2", "v3", "v2.1"]), project_id or "x"] +
                          [rng.choice(SEGMENTS) for _dummy in range(rng.randint(0, 3))])
    if rng.random() < 0.1:
        path += "/"
    method = rng.choice(["GET", "GET", "POST", "PUT", "DELETE", "PATCH", "post"])

    headers = {"User-Agent": "huaweicloud-usdk-python/3.0; " + rng.choice(["", "example-agent", "cloudops"])}
    body = None
    kind = rng.choice(["json", "json", "none", "other", "empty-other"])
    if kind == "json":
        headers["Content-Type"] = rng.choice(["application/json", "application/json;charset=utf-8"])
        document = {"keypair": {"name": rng.choice(STRINGS), "type": "ssh", "scope": "user",
                                "public_key": random_text(rng, string.ascii_letters, 0, 40)},
                    "tags": [rng.choice(STRINGS) for _dummy in range(rng.randint(0, 3))],
                    "unicode": "名字 ünï"}
        body = json.dumps(document)
        if rng.random() < 0.7:
            body = body.encode("utf-8")
    elif kind == "none" and rng.random() < 0.7:
        headers["Content-Type"] = "application/json"
    elif kind in ("other", "empty-other"):
        headers[rng.choice(["Content-Type", "Content-Type", "content-type"])] = rng.choice(CONTENT_TYPES)
        if kind == "other":
            body = bytes(rng.randint(0, 255) for _dummy in range(rng.randint(1, 64)))
        else:  # an empty body is hashed as empty even when the payload is declared unsigned
            body = rng.choice([None, b"", ""])
    for _dummy in range(rng.randint(0, 3)):
        name = mixed_case(rng, rng.choice(EXTRA_HEADERS))
        if name.lower() not in {n.lower() for n in headers}:
            headers[name] = rng.choice(HEADER_VALUES)
    if rng.random() < 0.1:
        headers["Host"] = netloc
    if project_id and rng.random() < 0.1:  # a caller that sets the project header itself
        headers["X-Project-Id"] = project_id

    pairs = random_query(rng)
    timestamp = datetime.datetime(2018, 1, 1) + datetime.timedelta(
        seconds=rng.randint(0, 12 * 365 * 86400), microseconds=rng.randint(0, 999999))
    credentials = dict(access_key=random_text(rng, string.ascii_uppercase + string.digits, 20, 20),
                       secret_key=random_text(rng, string.ascii_letters + string.digits, 40, 40),
                       timestamp=timestamp,
                       security_token=random_text(rng, string.ascii_letters + string.digits + "-_=", 30, 90)
                       if rng.random() < 0.3 else None)
    return dict(scheme=scheme, netloc=netloc, path=path, method=method, headers=headers, body=body, pairs=pairs,
                project_id=project_id, credentials=credentials)


def sdk_signed(case, clock):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest

    creds = case["credentials"]
    clock.now_value = creds["timestamp"]
    basic = BasicCredentials(creds["access_key"], creds["secret_key"], case["project_id"])
    if creds["security_token"] is not None:
        basic = basic.with_security_token(creds["security_token"])
    request = SdkRequest(method=case["method"], schema=case["scheme"], host=case["netloc"],
                         resource_path=case["path"], query_params=copy.deepcopy(case["pairs"]),
                         header_params=dict(case["headers"]), body=case["body"])
    return basic.sign_request(request)


def our_signed(case):
    creds = case["credentials"]
    url = "%s://%s%s" % (case["scheme"], case["netloc"], case["path"])
    if case["pairs"]:
        url += "?" + sdk_hmac.canonical_query(case["pairs"])
    headers = dict(case["headers"])
    if case["project_id"]:
        headers["X-Project-Id"] = case["project_id"]
    added = sdk_hmac.sign(case["method"], url, headers, case["body"], **creds)
    return url, added


def test_sdk_agreement_on_generated_requests(frozen_sdk_clock):
    rng = random.Random(SEED)
    compared = 0
    shapes = set()
    for _dummy in range(REQUESTS):
        case = random_request(rng)
        url, ours = our_signed(case)
        theirs = sdk_signed(case, frozen_sdk_clock)
        sdk_added = {name: value for name, value in theirs.header_params.items()
                     if name not in case["headers"] and name != "X-Project-Id"}
        assert ours == sdk_added, case
        assert url == "%s://%s%s" % (case["scheme"], case["netloc"], theirs.uri), case
        compared += 1
        shapes.update(describe(case, ours))
    assert compared == REQUESTS
    assert shapes >= {"json-body", "unsigned-payload", "unicode-path", "unicode-query", "list-query",
                      "underscore-header", "token", "project-id", "port", "bool-query", "repeated-key"}


def describe(case, ours):
    tags = set()
    if "Content-Type" in case["headers"] and case["headers"]["Content-Type"].startswith("application/json") \
            and case["body"]:
        tags.add("json-body")
    if ours.get("X-Sdk-Content-Sha256") == "UNSIGNED-PAYLOAD":
        tags.add("unsigned-payload")
    if "%D0" in case["path"] or "%E5" in case["path"]:
        tags.add("unicode-path")
    keys = [k for k, _v in case["pairs"]]
    if any(isinstance(v, str) and any(ord(c) > 127 for c in k + v) for k, v in case["pairs"]):
        tags.add("unicode-query")
    if any(isinstance(v, list) for _k, v in case["pairs"]):
        tags.add("list-query")
    if any(isinstance(v, bool) for _k, v in case["pairs"]):
        tags.add("bool-query")
    if len(keys) != len(set(keys)):
        tags.add("repeated-key")
    if any("_" in name for name in case["headers"]):
        tags.add("underscore-header")
    if case["credentials"]["security_token"]:
        tags.add("token")
    if case["project_id"]:
        tags.add("project-id")
    if ":" in case["netloc"]:
        tags.add("port")
    return tags


def random_typed_value(rng):
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.randint(-5, 5000)
    if kind == 2:
        return rng.random() < 0.5
    if kind == 3:
        return [rng.choice(STRINGS) for _dummy in range(rng.randint(0, 4))]
    return [rng.randint(0, 100) for _dummy in range(rng.randint(1, 4))]  # the SDK sorts these as numbers


def test_canonical_query_matches_the_sdk_for_typed_values():
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    rng = random.Random(SEED + 1)
    compared = 0
    for _dummy in range(QUERY_CASES):
        keys = rng.sample(KEYS + ["limit", "offset", "tags", "flags"], rng.randint(0, 8))
        pairs = [(key, random_typed_value(rng)) for key in keys]  # distinct keys: mixed types never compared
        expected = Signer.process_canonical_query_string(SdkRequest(query_params=copy.deepcopy(pairs)))
        assert sdk_hmac.canonical_query(pairs) == expected, pairs
        compared += 1
    assert compared == QUERY_CASES
