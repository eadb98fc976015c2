# -*- coding: utf-8 -*-
"""Huawei worked signing examples (inputs and expected values below, as huaweicloudsdkcore signs
them), and the signer's contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils import sdk_hmac

AK = "HWEXAMPLEAK0000000001"
SK = "HwExampleSecretKey0000000000000000000001"
PROJECT = "0123456789abcdef0123456789abcdef"
WHEN = datetime.datetime(2024, 1, 15, 8, 30, 0)
CREDS = dict(access_key=AK, secret_key=SK, timestamp=WHEN)
USER_AGENT = "huaweicloud-usdk-python/3.0; example-agent"
KEYPAIRS_URL = "https://kms.cn-north-4.myhuaweicloud.com/v3/%s/keypairs" % PROJECT
KEYPAIR_BODY = b'{"keypair": {"name": "demo1", "type": "ssh", "scope": "user"}}'


def keypair_headers():
    return {"Content-Type": "application/json;charset=utf-8", "User-Agent": USER_AGENT, "X-Project-Id": PROJECT}


def authorization(signed, signature):
    return "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (AK, signed, signature)


def test_create_keypair_worked_example():
    added = sdk_hmac.sign("POST", KEYPAIRS_URL, keypair_headers(), KEYPAIR_BODY, **CREDS)

    assert added == {
        "X-Sdk-Date": "20240115T083000Z",
        "Host": "kms.cn-north-4.myhuaweicloud.com",
        "Authorization": authorization("content-type;host;user-agent;x-project-id;x-sdk-date",
                                       "27d3554704e39f86bec720ba6584932578d83c817fa7dccfffdba19dcdfaa629"),
    }
    sent = dict(keypair_headers(), **added)
    del sent["Authorization"]
    canonical = sdk_hmac.canonical_request("POST", KEYPAIRS_URL, sent, KEYPAIR_BODY)
    assert canonical == "\n".join([
        "POST",
        "/v3/0123456789abcdef0123456789abcdef/keypairs/",
        "",
        "content-type:application/json;charset=utf-8",
        "host:kms.cn-north-4.myhuaweicloud.com",
        "user-agent:huaweicloud-usdk-python/3.0; example-agent",
        "x-project-id:0123456789abcdef0123456789abcdef",
        "x-sdk-date:20240115T083000Z",
        "",
        "content-type;host;user-agent;x-project-id;x-sdk-date",
        "2f579ee5879002891a2c3a9c3324f4c75c1b2ecc68c749e11740fe118fa14ff9",
    ])
    assert sdk_hmac.string_to_sign(canonical, "20240115T083000Z") == (
        "SDK-HMAC-SHA256\n20240115T083000Z\ndd58e4e47fe364251faf8d8aef98904f2b60c3f25a201e05b1017145fbf274f3")


def test_create_keypair_with_security_token():
    added = sdk_hmac.sign("POST", KEYPAIRS_URL, keypair_headers(), KEYPAIR_BODY.decode("utf-8"),
                          security_token="EXAMPLE-STS-TOKEN", **CREDS)
    assert added["X-Security-Token"] == "EXAMPLE-STS-TOKEN"
    assert added["Authorization"] == authorization(
        "content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token",
        "e1737cf10f7e5c738bd30298c24a755addd1cb9f1ad21d97c982531409cdb5d5")


def test_list_endpoint_service_worked_example():
    query = sdk_hmac.canonical_query([("endpoint_service_name", "my svc"), ("limit", 10), ("offset", 0),
                                      ("sort_dir", "asc")])
    assert query == "endpoint_service_name=my%20svc&limit=10&offset=0&sort_dir=asc"
    url = "https://vpcep.cn-north-4.myhuaweicloud.com/v1/%s/vpc-endpoint-services?%s" % (PROJECT, query)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Project-Id": PROJECT}
    added = sdk_hmac.sign("GET", url, headers, None, **CREDS)
    assert added["Authorization"] == authorization("content-type;host;user-agent;x-project-id;x-sdk-date",
                                                   "9a17b2a162f49af040834ce7509ee00bef787ea88736dab20b0934a02f7711ca")
    canonical = sdk_hmac.canonical_request("GET", url, dict(headers, **{"X-Sdk-Date": "20240115T083000Z"}), None)
    assert canonical.split("\n")[1:3] == ["/v1/%s/vpc-endpoint-services/" % PROJECT, query]
    assert sdk_hmac.string_to_sign(canonical, "20240115T083000Z").endswith(
        "f9228032da44ab9d3ee85186ed85aedaf50961f87e025fa56af83523c2d14fc3")


@pytest.mark.parametrize("content_type, unsigned", [
    ("application/json", False), ("application/json;charset=utf-8", False), ("application/bson", False),
    ("application/octet-stream", True), ("text/plain", True), (None, False),
])
def test_payload_is_declared_unsigned_for_non_json_content(content_type, unsigned):
    headers = {"Content-Type": content_type} if content_type else {}
    added = sdk_hmac.sign("PUT", KEYPAIRS_URL, headers, b"\x00\x01binary", **CREDS)
    assert ("X-Sdk-Content-Sha256" in added) is unsigned
    final = dict(headers, **added)
    del final["Authorization"]
    payload = sdk_hmac.canonical_request("PUT", KEYPAIRS_URL, final, b"\x00\x01binary").rsplit("\n", 1)[1]
    assert (payload == "UNSIGNED-PAYLOAD") is unsigned


def test_headers_with_an_underscore_are_sent_but_not_signed():
    headers = dict(keypair_headers(), X_Trace_Id="abc")
    added = sdk_hmac.sign("POST", KEYPAIRS_URL, headers, KEYPAIR_BODY, **CREDS)
    assert added["Authorization"] == sdk_hmac.sign("POST", KEYPAIRS_URL, keypair_headers(), KEYPAIR_BODY,
                                                   **CREDS)["Authorization"]


def test_host_keeps_the_port_and_a_given_host_header_wins():
    added = sdk_hmac.sign("GET", "https://127.0.0.1:8443/v3/x", {}, None, **CREDS)
    assert added["Host"] == "127.0.0.1:8443"
    given = sdk_hmac.sign("GET", "https://127.0.0.1:8443/v3/x", {"host": "127.0.0.1:8443"}, None, **CREDS)
    assert "Host" not in given and given["Authorization"] == added["Authorization"]


def test_stale_signature_headers_are_replaced():
    fresh = sdk_hmac.sign("POST", KEYPAIRS_URL, keypair_headers(), KEYPAIR_BODY, **CREDS)
    stale = dict(keypair_headers(), **{"authorization": "SDK-HMAC-SHA256 old", "x-sdk-date": "20000101T000000Z"})
    assert sdk_hmac.sign("POST", KEYPAIRS_URL, stale, KEYPAIR_BODY, **CREDS) == fresh


def test_canonical_uri_encodes_each_decoded_segment_and_ends_with_a_slash():
    assert sdk_hmac.canonical_uri("/v3/p/keypairs") == "/v3/p/keypairs/"
    assert sdk_hmac.canonical_uri("/v3/p/keypairs/") == "/v3/p/keypairs/"
    assert sdk_hmac.canonical_uri("/v3/p/my%20key:%40+=") == "/v3/p/my%20key%3A%40%2B%3D/"
    assert sdk_hmac.canonical_uri("/v3/%E5%90%8D~") == "/v3/%E5%90%8D~/"
    assert sdk_hmac.canonical_uri("") == "/"


def test_canonical_query_sorts_expands_lists_and_lowers_booleans():
    assert sdk_hmac.canonical_query([("b", ["z", "a"]), ("a", True), ("c", "x y~/"), ("名", "")]) == \
        "a=true&b=a&b=z&c=x%20y~%2F&%E5%90%8D="


def test_sign_reads_back_the_query_built_by_canonical_query():
    pairs = [("name", "my key"), ("tags", ["b", "a"]), ("k&v", "a=b")]
    url = "https://kms.example.com/v3/p/keypairs?" + sdk_hmac.canonical_query(pairs)
    canonical = sdk_hmac.canonical_request("GET", url, {"X-Sdk-Date": "20240115T083000Z"}, None)
    assert canonical.split("\n")[2] == url.split("?", 1)[1]
