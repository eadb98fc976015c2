# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HuaweiClient over real HTTP: requests compared with huaweicloudsdkcore's, signatures recomputed
with its Signer, IAM token and project lookup, error envelopes, pagination and options."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import re
import types

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudops.multicloud.plugins.doc_fragments import huaweicloud as huawei_fragment
from ansible_collections.cloudops.multicloud.plugins.doc_fragments import transport as transport_fragment
from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import READ
from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import OPERATIONS as CGS_OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import (
    HuaweiClient,
    endpoint_for,
    huawei_argument_spec,
    query_pairs,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import tasks
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import OPERATIONS as KPS_OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import UnsafeValue
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import endpoints as vpcep_endpoints
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import OPERATIONS as VPCEP_OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import path_for
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.connections import CONNECTIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError, Transport
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import (
    DROP,
    fake_transport,
    json_answer,
)

AK = "HWEXAMPLEAK0000000001"
SK = "HwExampleSecretKey0000000000000000000001"
TOKEN = "EXAMPLE-STS-TOKEN-secret"
PASSWORD = "Pa55-word/secret"
SUBJECT_TOKEN = "MIIsubjecttoken-secret-value"
PROJECT = "0123456789abcdef0123456789abcdef"
REGION = "cn-north-4"
FROZEN = datetime.datetime(2024, 1, 15, 8, 30, 0)


def transport_for(fake, lines=None, retries=4):
    return fake_transport(fake, lines, retries=retries)


# Every service's operation table, and one listing of made-up things for the paging tests.
OPERATIONS = dict(KPS_OPERATIONS, List=READ, **dict(VPCEP_OPERATIONS, **CGS_OPERATIONS))


def aksk_client(server, fake, service="kps", project_id=PROJECT, token=None, lines=None):
    return HuaweiClient(service, region=REGION, access_key=AK, secret_key=SK, security_token=token,
                        project_id=project_id, endpoint_url=server.url, transport=transport_for(fake, lines),
                        clock=lambda: FROZEN, operations=OPERATIONS)


def password_client(server, fake, service="cgs", project_id=None, lines=None):
    return HuaweiClient(service, region=REGION, auth_username="alice", auth_password=PASSWORD,
                        auth_domain="acme", project_id=project_id, endpoint_url=server.url,
                        transport=transport_for(fake, lines), clock=lambda: FROZEN, operations=OPERATIONS)


def sdk_authorization(recorded, server):
    """Recompute Authorization with huaweicloudsdkcore's Signer from what the server received."""
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    authorization = recorded.header("Authorization")
    signed = re.search(r"SignedHeaders=([^,]+)", authorization).group(1).split(";")
    headers = dict((name, recorded.header(name)) for name in signed)
    request = SdkRequest(method=recorded.method, schema="http", host="127.0.0.1:%d" % server.port,
                         resource_path=recorded.path, query_params=list(recorded.query), header_params=headers,
                         body=recorded.body)
    Signer(types.SimpleNamespace(ak=AK, sk=SK)).sign(request)
    return request.header_params["Authorization"]


def sdk_request(server, monkeypatch, build_client, call, project_id=PROJECT):
    """What the official SDK sends for the same call (clock frozen, endpoint = the local server)."""
    import huaweicloudsdkcore.signer.signer as signer_module
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    class FrozenDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return FROZEN

    monkeypatch.setattr(signer_module, "datetime", FrozenDateTime)
    client = (build_client().with_credentials(BasicCredentials(AK, SK, project_id))
              .with_endpoints([server.url]).build())
    call(client)
    return server.requests[-1]


def test_create_keypair_matches_the_sdk_request_and_signature(server, fake, monkeypatch):
    from huaweicloudsdkkps.v3 import CreateKeypairAction, CreateKeypairRequest, CreateKeypairRequestBody, KpsClient

    server.add(json_answer(200, {"keypair": {"name": "demo1"}}))
    answer = aksk_client(server, fake).request("POST", "/v3/{project_id}/keypairs", operation="CreateKeypair",
                                               body={"keypair": {"name": "demo1", "type": "ssh", "scope": "user"}})
    assert answer == {"keypair": {"name": "demo1"}}
    ours = server.requests[0]
    assert (ours.method, ours.raw_path) == ("POST", "/v3/%s/keypairs" % PROJECT)
    assert ours.body == b'{"keypair": {"name": "demo1", "type": "ssh", "scope": "user"}}'
    assert ours.header("Content-Type") == "application/json;charset=utf-8"
    assert ours.header("X-Project-Id") == PROJECT and ours.header("X-Sdk-Date") == "20240115T083000Z"
    assert "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date," in ours.header("Authorization")
    assert ours.header("Authorization") == sdk_authorization(ours, server)

    server.add(json_answer(200, {"keypair": {"name": "demo1"}}))
    theirs = sdk_request(server, monkeypatch, KpsClient.new_builder, lambda c: c.create_keypair(CreateKeypairRequest(
        body=CreateKeypairRequestBody(keypair=CreateKeypairAction(name="demo1", type="ssh", scope="user")))))
    assert (theirs.method, theirs.raw_path, theirs.body) == (ours.method, ours.raw_path, ours.body)
    assert theirs.header("Content-Type").lower() == ours.header("Content-Type")
    assert theirs.header("X-Project-Id") == ours.header("X-Project-Id")


def test_list_query_matches_the_sdk_canonical_query(server, fake, monkeypatch):
    from huaweicloudsdkvpcep.v1 import ListEndpointServiceRequest, VpcepClient

    server.add(json_answer(200, {"endpoint_services": [], "total_count": 0}))
    aksk_client(server, fake, service="vpcep").request(
        "GET", "/v1/{project_id}/vpc-endpoint-services", operation="ListEndpointService",
        query={"sort_dir": "asc", "endpoint_service_name": "my svc", "limit": 10, "offset": 0, "id": None})
    ours = server.requests[0]
    assert ours.raw_query == "endpoint_service_name=my%20svc&limit=10&offset=0&sort_dir=asc"
    assert ours.header("Content-Type") == "application/json" and ours.body == b""
    assert ours.header("Authorization") == sdk_authorization(ours, server)

    server.add(json_answer(200, {"endpoint_services": [], "total_count": 0}))
    theirs = sdk_request(server, monkeypatch, VpcepClient.new_builder, lambda c: c.list_endpoint_service(
        ListEndpointServiceRequest(endpoint_service_name="my svc", limit=10, offset=0, sort_dir="asc")))
    assert theirs.raw_path == ours.raw_path
    assert theirs.header("Content-Type") == ours.header("Content-Type")


def test_query_pairs_follow_the_sdk_rules():
    assert query_pairs({"a": None, "b": True, "c": False, "d": [3, 1], "e": 5}) == [
        ("b", "true"), ("c", "false"), ("d", "3"), ("d", "1"), ("e", "5")]


def test_path_params_are_percent_encoded(server, fake):
    server.add((204, {}, ""))
    result = aksk_client(server, fake).request("DELETE", "/v3/{project_id}/keypairs/{keypair_name}",
                                               path_params={"keypair_name": "a b/c"}, operation="DeleteKeypair")
    assert result is None
    recorded = server.requests[0]
    assert recorded.raw_path == "/v3/%s/keypairs/a%%20b%%2Fc" % PROJECT
    assert recorded.header("Authorization") == sdk_authorization(recorded, server)


def test_security_token_is_sent_and_signed(server, fake):
    server.add(json_answer(200, {"keypairs": []}))
    aksk_client(server, fake, token=TOKEN).request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs")
    recorded = server.requests[0]
    assert recorded.header("X-Security-Token") == TOKEN
    assert "x-security-token" in recorded.header("Authorization")
    assert recorded.header("Authorization") == sdk_authorization(recorded, server)


# -- project id and IAM --------------------------------------------------------------------------

def projects(*ids):
    return json_answer(200, {"projects": [{"id": i, "name": REGION, "enabled": True} for i in ids],
                             "links": {}}, {"X-Request-Id": "iam-req"})


def test_project_id_is_looked_up_once_per_client(server, fake, monkeypatch):
    server.add(projects(PROJECT), json_answer(200, {"keypairs": []}), json_answer(200, {"keypairs": []}))
    client = aksk_client(server, fake, project_id=None)
    client.request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs")
    client.request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs")
    lookup, first, second = server.requests
    assert (lookup.method, lookup.raw_path) == ("GET", "/v3/projects?name=%s" % REGION)
    # seeds 003 (L279-282) and 004 (L158-159): Content-Type is mandatory on every request
    assert lookup.header("Content-Type") == "application/json" and lookup.header("X-Project-Id") is None
    assert lookup.header("Authorization") == sdk_authorization(lookup, server)
    assert first.raw_path == second.raw_path == "/v3/%s/keypairs" % PROJECT
    assert first.header("X-Project-Id") == PROJECT

    # The SDK looks the project up with the same request (but without Content-Type).
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.region.region import Region
    from huaweicloudsdkkps.v3 import KpsClient

    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", server.url)
    monkeypatch.setattr(BasicCredentials, "_CACHE", {})
    server.add(projects(PROJECT))
    sdk = KpsClient.new_builder().with_credentials(BasicCredentials(AK, SK)).with_region(Region(REGION, server.url))
    assert sdk.build().get_credentials().project_id == PROJECT
    theirs = server.requests[-1]
    assert (theirs.method, theirs.raw_path) == (lookup.method, lookup.raw_path)


@pytest.mark.parametrize("ids, code", [((), "ProjectNotFound"), ((PROJECT, "f" * 32), "AmbiguousProject")])
def test_project_lookup_needs_exactly_one_match(server, fake, ids, code):
    server.add(projects(*ids))
    with pytest.raises(CloudError) as caught:
        aksk_client(server, fake, project_id=None).request("GET", "/v3/{project_id}/keypairs",
                                                           operation="ListKeypairs")
    error = caught.value
    assert (error.service, error.operation, error.code, error.request_id) == (
        "iam", "KeystoneListProjects", code, "iam-req")
    assert "set project_id" in error.message and REGION in error.message


def gateway_error():
    return json_answer(503, {"error_code": "APIGW.0203", "error_msg": "Backend unavailable."})


def test_project_lookup_and_password_login_ride_out_server_errors_and_drops(server, fake):
    server.add(gateway_error(), DROP, projects(PROJECT), json_answer(200, {"keypairs": []}))
    client = aksk_client(server, fake, project_id=None)
    assert client.request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs") == {"keypairs": []}
    assert [r.path for r in server.requests] == ["/v3/projects"] * 3 + ["/v3/%s/keypairs" % PROJECT]

    server.requests[:] = []
    server.add(DROP, gateway_error(), token_answer(), json_answer(200, {"total_num": 0, "data_list": []}))
    client = password_client(server, fake)
    client.request("GET", "/v5/{project_id}/container/nodes", operation="ListContainerNodes")
    assert [r.path for r in server.requests] == ["/v3/auth/tokens"] * 3 + ["/v5/%s/container/nodes" % PROJECT]


def token_answer(project_id=PROJECT):
    body = {"token": {"expires_at": "2024-01-16T08:30:00.000000Z", "methods": ["password"]}}
    if project_id:
        body["token"]["project"] = {"id": project_id, "name": REGION}
    return (201, {"Content-Type": "application/json", "X-Subject-Token": SUBJECT_TOKEN}, json.dumps(body))


def test_password_auth_gets_one_token_and_reuses_it(server, fake):
    lines = []
    server.add(token_answer(), json_answer(200, {"total_num": 0, "data_list": []}),
               json_answer(200, {"total_num": 0, "data_list": []}))
    client = password_client(server, fake, lines=lines)
    client.request("GET", "/v5/{project_id}/container/nodes", operation="ListContainerNodes")
    client.request("GET", "/v5/{project_id}/container/nodes", operation="ListContainerNodes")
    auth, first, second = server.requests
    assert (auth.method, auth.raw_path) == ("POST", "/v3/auth/tokens")
    assert auth.header("Authorization") is None and auth.header("X-Auth-Token") is None
    assert auth.json() == {"auth": {
        "identity": {"methods": ["password"],
                     "password": {"user": {"name": "alice", "password": PASSWORD, "domain": {"name": "acme"}}}},
        "scope": {"project": {"name": REGION}}}}
    for call in (first, second):
        assert call.raw_path == "/v5/%s/container/nodes" % PROJECT  # project id from the token
        assert call.header("X-Auth-Token") == SUBJECT_TOKEN
        assert call.header("Authorization") is None
    assert len(lines) == 3
    assert not any(secret in line for line in lines for secret in (PASSWORD, SUBJECT_TOKEN))


def test_password_auth_with_project_id_scopes_by_id_and_without_project_in_token_looks_up(server, fake):
    server.add(token_answer(project_id=None), json_answer(200, {"total_num": 0, "data_list": []}))
    password_client(server, fake, project_id=PROJECT).request("GET", "/v5/{project_id}/container/nodes",
                                                              operation="ListContainerNodes")
    assert server.requests[0].json()["auth"]["scope"] == {"project": {"id": PROJECT}}

    server.requests[:] = []
    server.add(token_answer(project_id=None), projects(PROJECT), json_answer(200, {"data_list": []}))
    password_client(server, fake).request("GET", "/v5/{project_id}/container/nodes", operation="ListContainerNodes")
    auth, lookup, call = server.requests
    assert lookup.raw_path == "/v3/projects?name=%s" % REGION and lookup.header("X-Auth-Token") == SUBJECT_TOKEN
    assert call.raw_path == "/v5/%s/container/nodes" % PROJECT


def test_wrong_password_gives_the_keystone_error_without_secrets(server, fake):
    server.add(json_answer(401, {"error": {"code": 401, "title": "Unauthorized",
                                           "message": "The request you have made requires authentication."}},
                           {"X-Request-Id": "ks-1"}))
    with pytest.raises(CloudError) as caught:
        password_client(server, fake).request("GET", "/v5/{project_id}/container/nodes",
                                              operation="ListContainerNodes")
    error = caught.value
    assert (error.status, error.code, error.request_id) == (401, "Unauthorized", "ks-1")
    assert str(error) == ("iam KeystoneCreateUserTokenByPassword failed: Unauthorized: The request you have made "
                          "requires authentication. (request id ks-1)")
    assert PASSWORD not in json.dumps(error.to_dict())


def test_token_answer_without_subject_token_is_a_clear_error(server, fake):
    server.add(json_answer(201, {"token": {}}))
    with pytest.raises(CloudError) as caught:
        password_client(server, fake).request("GET", "/v5/{project_id}/container/nodes",
                                              operation="ListContainerNodes")
    assert caught.value.code == "InvalidResponse" and "X-Subject-Token" in caught.value.message


# -- errors and retries --------------------------------------------------------------------------

@pytest.mark.parametrize("status, body, code, message", [
    (400, {"error_code": "KPS.0002", "error_msg": "keypair exists"}, "KPS.0002", "keypair exists"),
    (400, {"errorCode": "VPCEP.0003", "errorMsg": "bad id"}, "VPCEP.0003", "bad id"),
    (404, {"code": "VPCEP.0010", "message": "not found"}, "VPCEP.0010", "not found"),
    (400, {"error": {"code": "HSS.0001", "message": "invalid param error"}}, "HSS.0001", "invalid param error"),
    (403, {"error": {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication"}}, "APIGW.0301",
     "Incorrect IAM authentication"),
])
def test_error_envelopes(server, fake, status, body, code, message):
    server.add(json_answer(status, body, {"X-Request-Id": "hw-req"}))
    with pytest.raises(CloudError) as caught:
        aksk_client(server, fake).request("POST", "/v3/{project_id}/keypairs", body={}, operation="CreateKeypair")
    error = caught.value
    assert (error.status, error.code, error.message, error.request_id) == (status, code, message, "hw-req")
    assert str(error) == "kps CreateKeypair failed: %s: %s (request id hw-req)" % (code, message)


def test_unreadable_answers_are_cloud_errors_with_excerpts(server, fake):
    server.add((502, {"Content-Type": "text/html"}, "<html>Bad Gateway</html>"))
    with pytest.raises(CloudError) as caught:
        aksk_client(server, fake).request("POST", "/v3/{project_id}/keypairs/associate", body={},
                                          operation="AssociateKeypair")
    assert caught.value.status == 502 and caught.value.code == "502" and "<html>Bad Gateway" in caught.value.message

    server.add((200, {"Content-Type": "application/json"}, '{"keypairs": [{"keyp'))
    with pytest.raises(CloudError) as caught:
        aksk_client(server, fake).request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs")
    assert caught.value.status == 200 and caught.value.code == "InvalidResponse"
    assert '{"keypairs": [{"keyp' in caught.value.message


PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"


@pytest.mark.parametrize("operation, path", [("CreateKeypair", "/v3/{project_id}/keypairs"),
                                             ("ExportPrivateKey", "/v3/{project_id}/keypairs/private-key/export"),
                                             ("ImportPrivateKey", "/v3/{project_id}/keypairs/private-key/import")])
def test_unreadable_answers_carrying_a_private_key_are_unclear_and_not_quoted(server, fake, operation, path):
    broken = '{"keypair": {"name": "k", "private_key": "%s"' % PRIVATE_KEY.replace("\n", "\\n")
    server.add((200, {"Content-Type": "application/json"}, broken))
    with pytest.raises(CloudError) as caught:
        aksk_client(server, fake).request("POST", path, body={}, operation=operation)
    error = caught.value
    assert (error.status, error.code, error.ambiguous) == (200, "InvalidResponse", True)
    assert "not shown (the answer of %s carries a secret)" % operation in error.message
    assert "b3BlbnNz" not in str(error) and "PRIVATE KEY" not in str(error)


def test_throttled_write_is_retried_but_a_failed_write_is_not(server, fake):
    server.add(json_answer(429, {"error_code": "APIGW.0308", "error_msg": "throttled"}),
               json_answer(200, {"keypair": {"name": "k"}}))
    aksk_client(server, fake).request("POST", "/v3/{project_id}/keypairs", body={"keypair": {"name": "k"}},
                                      operation="CreateKeypair")
    assert len(server.requests) == 2 and fake.sleeps == [0.25]
    first, second = server.requests
    assert first.header("Authorization") == sdk_authorization(first, server)
    assert second.header("Authorization") == sdk_authorization(second, server)

    server.requests[:] = []
    server.add(json_answer(500, {"error_code": "KPS.9999", "error_msg": "internal"}))
    with pytest.raises(CloudError):
        aksk_client(server, fake).request("POST", "/v3/{project_id}/keypairs", body={}, operation="CreateKeypair")
    assert len(server.requests) == 1

    server.requests[:] = []
    server.add(json_answer(500, {"error_code": "KPS.9999", "error_msg": "internal"}), json_answer(200, {"k": 1}))
    assert aksk_client(server, fake).request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs") == {"k": 1}
    assert len(server.requests) == 2


def test_no_secret_in_errors_or_trace(server, fake):
    lines = []
    server.add(json_answer(403, {"error_code": "APIGW.0301", "error_msg": "bad sk %s token %s" % (SK, TOKEN)}))
    with pytest.raises(CloudError) as caught:
        aksk_client(server, fake, token=TOKEN, lines=lines).request("GET", "/v3/{project_id}/keypairs",
                                                                    operation="ListKeypairs")
    text = str(caught.value) + json.dumps(caught.value.to_dict()) + "\n".join(lines)
    assert SK not in text and TOKEN not in text
    assert lines[0].startswith("GET %s/v3/%s/keypairs -> 403 APIGW.0301 in " % (server.url, PROJECT))


# -- pagination ----------------------------------------------------------------------------------

def kps_listing(count, server_cap=None):
    names = ["kp-%03d" % i for i in range(count)]

    def answer(recorded):
        query = dict(recorded.query)
        limit = int(query["limit"])
        if server_cap:
            limit = min(limit, server_cap)
        start = names.index(query["marker"]) + 1 if "marker" in query else 0
        page = names[start:start + limit]
        page_info = {"current_count": len(page)}
        if start + limit < len(names):
            page_info["next_marker"] = page[-1]
        return json_answer(200, {"keypairs": [{"keypair": {"name": n}} for n in page], "page_info": page_info})
    return names, answer


@pytest.mark.parametrize("count, limit, cap, calls", [
    (120, 50, None, 3),
    (100, 50, None, 2),
    (0, 50, None, 1),
    (120, None, 50, 3),  # the default (large) page size, a server that gives 50 at most
])
def test_paginate_marker_follows_the_last_name(server, fake, count, limit, cap, calls):
    names, answer = kps_listing(count, cap)
    server.repeat_last = True
    server.add(answer)
    items = aksk_client(server, fake).paginate_marker(
        "/v3/{project_id}/keypairs", "keypairs", limit=limit, operation="ListKeypairs",
        marker_of=lambda item: item["keypair"]["name"])
    assert [i["keypair"]["name"] for i in items] == names
    assert len(server.requests) == calls
    markers = [dict(r.query).get("marker") for r in server.requests]
    assert markers[0] is None and markers[1:] == [names[(i + 1) * (cap or limit) - 1] for i in range(calls - 1)]
    assert all(dict(r.query)["limit"] == str(limit or 1000) for r in server.requests)


def offset_listing(count, items_key, total_key):
    rows = [{"id": "row-%04d" % i} for i in range(count)]

    def answer(recorded):
        query = dict(recorded.query)
        offset, limit = int(query["offset"]), int(query["limit"])
        return json_answer(200, {items_key: rows[offset:offset + limit], total_key: count})
    return rows, answer


@pytest.mark.parametrize("service, count, limit, items_key, total_key, calls", [
    ("vpcep", 2500, None, "endpoint_services", "total_count", 3),
    ("vpcep", 2000, None, "endpoint_services", "total_count", 2),
    ("cgs", 25, 10, "data_list", "total_num", 3),
    ("cgs", 0, 10, "data_list", "total_num", 1),
])
def test_paginate_offset_until_the_total(server, fake, service, count, limit, items_key, total_key, calls):
    rows, answer = offset_listing(count, items_key, total_key)
    server.repeat_last = True
    server.add(answer)
    items = aksk_client(server, fake, service=service).paginate_offset(
        "/v1/{project_id}/things", items_key, query={"status": "ok"}, limit=limit, operation="List",
        total_key=total_key)
    assert items == rows
    assert len(server.requests) == calls
    page = limit or 1000
    assert [dict(r.query)["offset"] for r in server.requests] == [str(page * i) for i in range(calls)]
    assert all(dict(r.query)["status"] == "ok" for r in server.requests)


# -- construction and options --------------------------------------------------------------------

def test_endpoints():
    assert endpoint_for("kps", "cn-north-4") == "https://kms.cn-north-4.myhuaweicloud.com"
    assert endpoint_for("vpcep", "ap-southeast-1") == "https://vpcep.ap-southeast-1.myhuaweicloud.com"
    assert endpoint_for("cgs", "cn-south-4") == "https://cgs.cn-south-4.myhuaweicloud.com"
    assert endpoint_for("vpcep", "eu-west-101") == "https://vpcep.eu-west-101.myhuaweicloud.eu"
    client = HuaweiClient("kps", region=REGION, access_key=AK, secret_key=SK, transport=Transport())
    assert (client.endpoint, client.iam_endpoint) == ("https://kms.cn-north-4.myhuaweicloud.com",
                                                      "https://iam.cn-north-4.myhuaweicloud.com")
    client = HuaweiClient("vpcep", region=REGION, access_key=AK, secret_key=SK, endpoint_url="http://127.0.0.1:9/",
                          transport=Transport())
    assert client.endpoint == client.iam_endpoint == "http://127.0.0.1:9"


@pytest.mark.parametrize("endpoint_url, iam_endpoint_url, expected", [
    (None, None, "https://iam.cn-north-4.myhuaweicloud.com"),
    # the emulator serves IAM on its one port
    ("http://127.0.0.1:9/", None, "http://127.0.0.1:9"),
    ("https://localhost:8443", None, "https://localhost:8443"),
    # a service endpoint elsewhere (a VPC endpoint, a proxy) serves no IAM
    ("https://kms.cn-north-4.myhuaweicloud.com", None, "https://iam.cn-north-4.myhuaweicloud.com"),
    ("https://kms-vpc.corp.example", "https://iam.corp.example/", "https://iam.corp.example"),
    ("http://127.0.0.1:9", "https://iam.corp.example", "https://iam.corp.example"),
])
def test_iam_endpoint(endpoint_url, iam_endpoint_url, expected):
    params = dict(BASE, endpoint_url=endpoint_url, iam_endpoint_url=iam_endpoint_url)
    assert HuaweiClient.from_params(params, "kps").iam_endpoint == expected


def test_iam_endpoint_url_takes_the_sdks_variable_and_the_opt_in_for_plain_http(monkeypatch):
    params = validated({"HUAWEICLOUD_SDK_IAM_ENDPOINT": "http://iam.corp.example"}, allow_insecure_http=True,
                       **BASE)
    client = HuaweiClient.from_params(params, "kps")
    assert (client.endpoint, client.iam_endpoint) == ("https://kms.cn-north-4.myhuaweicloud.com",
                                                      "http://iam.corp.example")
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", "http://iam.corp.example")
    with pytest.raises(ValueError) as caught:
        HuaweiClient.from_params(dict(params, allow_insecure_http=False), "kps")
    assert str(caught.value).startswith("iam_endpoint_url: refused plain http:// to iam.corp.example (from the "
                                        "HUAWEICLOUD_SDK_IAM_ENDPOINT environment variable)")


def test_the_lookup_and_the_token_go_to_iam_endpoint_url(server, fake):
    server.add(projects(PROJECT))
    client = HuaweiClient("kps", region=REGION, access_key=AK, secret_key=SK, endpoint_url="http://127.0.0.1:9",
                          iam_endpoint_url=server.url, transport=transport_for(fake), clock=lambda: FROZEN,
                          operations=OPERATIONS)
    assert client.project_id == PROJECT
    assert [r.path for r in server.requests] == ["/v3/projects"]
    ecs = client.for_service("ecs")
    assert ecs.iam_endpoint == server.url.rstrip("/")


def validated(env, **options):
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        result = ArgumentSpecValidator(huawei_argument_spec()).validate(options)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert not result.error_messages
    return result.validated_parameters


def test_env_fallbacks_build_a_client():
    params = validated({"HW_ACCESS_KEY": AK, "HW_SECRET_KEY": SK, "HUAWEICLOUD_SDK_SECURITY_TOKEN": TOKEN,
                        "HW_REGION_NAME": REGION, "HW_PROJECT_ID": PROJECT,
                        "HUAWEICLOUD_ENDPOINT_URL": "http://127.0.0.1:9"})
    client = HuaweiClient.from_params(params, "kps")
    assert (client.region, client.project_id, client.endpoint) == (REGION, PROJECT, "http://127.0.0.1:9")
    assert {SK, TOKEN} <= client.transport.secrets

    params = validated({"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT},
                       region="cn-south-4", timeout=7.5, retries=1, validate_certs=False)
    client = HuaweiClient.from_params(params, "cgs", trace=print)
    assert client.endpoint == "https://cgs.cn-south-4.myhuaweicloud.com"
    assert client.transport.timeout == (7.5, 7.5) and client.transport.retries == 1
    assert client.transport.verify is False and client.transport.trace is print

    params = validated({"HW_REGION_NAME": REGION}, auth_username="alice", auth_password=PASSWORD, auth_domain="acme")
    client = HuaweiClient.from_params(params, "cgs")
    assert PASSWORD in client.transport.secrets


BASE = {"region": REGION, "access_key": AK, "secret_key": SK}


@pytest.mark.parametrize("change, message", [
    ({"region": None}, "region: required; set the region option or the HW_REGION_NAME environment variable"),
    ({"region": "north"}, "region: 'north' is not a Huawei Cloud region name"),
    ({"project_id": "../../etc"}, "project_id: must be letters, digits"),
    ({"access_key": None, "secret_key": None},
     "access_key: required; set access_key and secret_key (or the HUAWEICLOUD_SDK_AK/HW_ACCESS_KEY and "
     "HUAWEICLOUD_SDK_SK/HW_SECRET_KEY environment variables), or auth_username, auth_password and auth_domain"),
    ({"secret_key": None}, "secret_key: required; set the secret_key option or the HUAWEICLOUD_SDK_SK or "
                           "HW_SECRET_KEY environment variable"),
    ({"access_key": None}, "access_key: required; set the access_key option"),
    ({"auth_username": "alice", "auth_password": PASSWORD, "auth_domain": "acme"},
     "access_key: access_key/secret_key and auth_username/auth_password/auth_domain are two ways"),
    ({"access_key": None, "secret_key": None, "auth_username": "alice", "auth_password": PASSWORD},
     "auth_domain: required for password authentication"),
    ({"access_key": None, "secret_key": None, "auth_username": "alice", "auth_domain": "acme"},
     "auth_password: required for password authentication"),
    ({"access_key": None, "secret_key": None, "auth_username": "alice", "auth_password": PASSWORD,
      "auth_domain": "acme", "security_token": TOKEN}, "security_token: only used with access_key and secret_key"),
    ({"secret_key": "has space"}, "secret_key: must be a non-empty string of printable ASCII"),
    ({"endpoint_url": "file:///etc/passwd"}, "endpoint_url: must be an http:// or https:// URL"),
    ({"endpoint_url": "https://user:pw@host"}, "endpoint_url: must not carry a user name or password"),
    ({"iam_endpoint_url": "iam.example.com"}, "iam_endpoint_url: must be an http:// or https:// URL"),
    ({"iam_endpoint_url": "https://user:pw@iam.example.com"},
     "iam_endpoint_url: must not carry a user name or password"),
    ({"iam_endpoint_url": "http://iam.example.com"}, "iam_endpoint_url: refused plain http:// to iam.example.com: "
                                                     "only a loopback host"),
    ({"timeout": 0}, "timeout: must be greater than 0"),
    ({"retries": -2}, "retries: must be 0 or more"),
])
def test_bad_input_names_the_option(change, message):
    params = dict(BASE)
    params.update(change)
    with pytest.raises(ValueError) as caught:
        HuaweiClient.from_params(params, "kps")
    assert str(caught.value).startswith(message)
    for secret in (SK, PASSWORD, TOKEN, "pw@"):
        assert secret not in str(caught.value)


def test_doc_fragments_match_the_argument_spec():
    spec = huawei_argument_spec()
    # The cloud fragment documents the credentials, the transport fragment the rest.
    modules = yaml.safe_load(huawei_fragment.ModuleDocFragment.DOCUMENTATION)["options"]
    modules.update(yaml.safe_load(transport_fragment.ModuleDocFragment.DOCUMENTATION)["options"])
    plugins = yaml.safe_load(huawei_fragment.ModuleDocFragment.PLUGINS)["options"]
    plugins.update(yaml.safe_load(transport_fragment.ModuleDocFragment.PLUGINS)["options"])
    assert set(modules) == set(spec) == set(plugins)
    for name, option in spec.items():
        for doc in (modules[name], plugins[name]):
            assert doc["type"] == option["type"], name
            assert doc.get("default") == option.get("default"), name
            assert doc.get("required", False) == option.get("required", False), name
        fallback_env = option["fallback"][1] if "fallback" in option else []
        assert [e["name"] for e in plugins[name].get("env", [])] == fallback_env, name
        for env_name in fallback_env:
            assert "E(%s)" % env_name in " ".join(modules[name]["description"]), name
    assert spec["secret_key"]["no_log"] and spec["auth_password"]["no_log"] and spec["security_token"]["no_log"]


def test_a_client_for_another_service_shares_session_project_and_token(server, fake):
    server.add(token_answer(), json_answer(200, {"server": {"key_name": ""}}), json_answer(200, {"keypairs": []}))
    kps = password_client(server, fake, service="kps", project_id=PROJECT)
    ecs = kps.for_service("ecs")
    assert ecs.transport is kps.transport and ecs.project_id == PROJECT
    ecs.request("GET", "/v1/{project_id}/cloudservers/{server_id}", path_params={"server_id": "s1"},
                operation="ShowServer")
    kps.request("GET", "/v3/{project_id}/keypairs", operation="ListKeypairs")
    auth, show, listing = server.requests
    assert auth.raw_path == "/v3/auth/tokens"  # one token for both services
    assert show.raw_path == "/v1/%s/cloudservers/s1" % PROJECT and show.header("X-Auth-Token") == SUBJECT_TOKEN
    assert listing.header("X-Auth-Token") == SUBJECT_TOKEN


def test_the_ecs_client_of_a_real_region_talks_to_the_ecs_host(fake):
    kps = HuaweiClient("kps", region=REGION, access_key=AK, secret_key=SK, project_id=PROJECT, operations=OPERATIONS,
                       transport=transport_for(fake), clock=lambda: FROZEN)
    assert kps.endpoint == "https://kms.cn-north-4.myhuaweicloud.com"
    assert kps.for_service("ecs").endpoint == "https://ecs.cn-north-4.myhuaweicloud.com"


# -- ids from the server on their way into paths and headers -------------------------------------

HOSTILE_PROJECT_IDS = ["..", ".", "0123\r\nX-Injected: 1", "0123\x00"]


@pytest.mark.parametrize("project_id", HOSTILE_PROJECT_IDS)
def test_a_hostile_project_id_from_iam_is_refused_before_anything_is_sent(server, fake, project_id):
    server.add(projects(project_id), json_answer(200, {"keypairs": []}))
    with pytest.raises(UnsafeValue) as caught:
        aksk_client(server, fake, project_id=None).request("GET", "/v3/{project_id}/keypairs",
                                                           operation="ListKeypairs")
    assert caught.value.msg.startswith("the project id IAM returned: ")
    assert isinstance(caught.value, ValueError)  # what the inventory plugins report as bad input
    assert [r.path for r in server.requests] == ["/v3/projects"]  # the lookup only


def test_a_hostile_project_id_in_the_iam_token_is_refused(server, fake):
    server.add(token_answer(project_id=".."), json_answer(200, {"data_list": []}))
    with pytest.raises(UnsafeValue) as caught:
        password_client(server, fake).request("GET", "/v5/{project_id}/container/nodes",
                                              operation="ListContainerNodes")
    assert caught.value.msg == ("the project id of the IAM token: '..' cannot be part of a request path (empty, '.' "
                                "and '..' path segments are refused)")
    assert [r.path for r in server.requests] == ["/v3/auth/tokens"]


def test_the_project_id_origin_follows_a_client_for_another_service(server, fake):
    server.add(projects("0123\x01"))
    client = aksk_client(server, fake, project_id=None)
    with pytest.raises(UnsafeValue) as caught:
        client.for_service("ecs").request("GET", "/v1/{project_id}/cloudservers/{server_id}",
                                          path_params={"server_id": "s-1"}, operation="ListKeypairs")
    assert caught.value.msg.startswith("the project id IAM returned: ")


def test_a_token_with_a_control_character_is_refused_without_showing_it(server, fake):
    token = SUBJECT_TOKEN + "\x01"
    server.add((201, {"Content-Type": "application/json", "X-Subject-Token": token},
                json.dumps({"token": {"project": {"id": PROJECT}}})), json_answer(200, {"data_list": []}))
    with pytest.raises(UnsafeValue) as caught:
        password_client(server, fake).request("GET", "/v5/{project_id}/container/nodes",
                                              operation="ListContainerNodes")
    assert caught.value.msg == ("the IAM token (X-Subject-Token) IAM returned: cannot be sent in the X-Auth-Token "
                                "header (it contains the control character U+0001 at position %d)" % len(SUBJECT_TOKEN))
    assert [r.path for r in server.requests] == ["/v3/auth/tokens"]


@pytest.mark.parametrize("task_id", ["..", ".", "", "t\r\n1"])
def test_a_hostile_task_id_goes_nowhere(server, fake, task_id):
    client = aksk_client(server, fake)
    for call in (tasks.task_status, tasks.delete_failed_task):
        with pytest.raises(UnsafeValue) as caught:
            call(client, task_id)
        assert caught.value.msg.startswith("the task id KPS returned: %r cannot be part of a request path" % task_id)
    assert server.requests == []


def test_path_parameters_are_named_by_their_key_or_origin(server, fake):
    client = aksk_client(server, fake)
    with pytest.raises(UnsafeValue) as caught:
        client.request("DELETE", "/v3/{project_id}/keypairs/{keypair_name}", path_params={"keypair_name": ".."},
                       operation="DeleteKeypair")
    assert caught.value.msg.startswith("keypair_name: '..' cannot be part of a request path")
    with pytest.raises(UnsafeValue) as caught:
        vpcep_endpoints.delete_endpoint(client, "..")
    assert caught.value.msg.startswith("the endpoint id VPCEP returned: '..' cannot be part")
    with pytest.raises(UnsafeValue) as caught:
        path_for(CONNECTIONS, service_id=".")
    assert caught.value.msg.startswith("service_id: '.' cannot be part")
    assert server.requests == []
