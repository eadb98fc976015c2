# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HuaweiClient under the IAM readings: an error body's code may be an integer or absent, a login
failure may be 400 or 401, and any 401 on a token means logging in again (once)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import json_answer
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.test_huaweicloud_client import (
    PASSWORD,
    PROJECT,
    password_client,
)

SERVICES = "/v1/{project_id}/vpc-endpoint-services"
LISTING = json_answer(200, {"endpoint_services": [], "total_count": 0})


def token(value):
    body = {"token": {"methods": ["password"], "project": {"id": PROJECT, "name": "cn-north-4"}}}
    return (201, {"Content-Type": "application/json", "X-Subject-Token": value}, json.dumps(body))


@pytest.mark.parametrize("refusal", [
    {"error_code": "APIGW.0307", "error_msg": "The token must be updated."},
    {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: decrypt token fail"},
    {"error": {"message": "The request you have made requires authentication."}},
])
def test_a_401_on_a_token_logs_in_again_and_sends_again(server, fake, refusal):
    server.add(token("MIIfirst"), LISTING, json_answer(401, refusal), token("MIIsecond"), LISTING)
    client = password_client(server, fake, service="vpcep")
    client.request("GET", SERVICES, operation="ListEndpointService")
    client.request("GET", SERVICES, operation="ListEndpointService")
    listing = "/v1/%s/vpc-endpoint-services" % PROJECT
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/v3/auth/tokens"), ("GET", listing), ("GET", listing), ("POST", "/v3/auth/tokens"), ("GET", listing)]
    assert [r.header("X-Auth-Token") for r in server.requests] == [None, "MIIfirst", "MIIfirst", None, "MIIsecond"]


def test_a_write_refused_for_its_token_is_sent_once_more(server, fake):
    created = json_answer(200, {"id": "s1", "status": "creating"})
    server.add(token("MIIfirst"), LISTING, json_answer(401, {"error_code": "APIGW.0307", "error_msg": "x"}),
               token("MIIsecond"), created)
    client = password_client(server, fake, service="vpcep")
    client.request("GET", SERVICES, operation="ListEndpointService")
    assert client.request("POST", SERVICES, body={}, operation="CreateEndpointService")["id"] == "s1"
    assert [r.method for r in server.requests] == ["POST", "GET", "POST", "POST", "POST"]


def test_a_new_token_refused_at_once_is_not_a_loop(server, fake):
    server.add(token("MIIfirst"), json_answer(401, {"error_code": "APIGW.0301", "error_msg": "bad token"}))
    with pytest.raises(CloudError) as caught:
        password_client(server, fake, service="vpcep").request("GET", SERVICES, operation="ListEndpointService")
    assert (caught.value.status, caught.value.code) == (401, "APIGW.0301")
    assert len(server.requests) == 2


@pytest.mark.parametrize("status, body, code, message", [
    (401, {"error": {"code": 401, "title": "Unauthorized", "message": "The username or password is wrong."}},
     "Unauthorized", "The username or password is wrong."),
    (401, {"error": {"code": 401, "message": "The username or password is wrong."}},
     "401", "The username or password is wrong."),
    (400, {"error": {"message": "The username or password is wrong."}}, "400", "The username or password is wrong."),
])
def test_a_failed_login_is_reported_whatever_its_status_and_code(server, fake, status, body, code, message):
    server.add(json_answer(status, body))
    with pytest.raises(CloudError) as caught:
        password_client(server, fake, service="vpcep").request("GET", SERVICES, operation="ListEndpointService")
    error = caught.value
    assert (error.status, error.code, error.message) == (status, code, message)
    assert error.operation == "KeystoneCreateUserTokenByPassword"
    assert len(server.requests) == 1
    assert PASSWORD not in json.dumps(error.to_dict())


@pytest.mark.parametrize("content_type", ["optional", "required"])
def test_the_project_lookup_holds_where_iam_requires_content_type(cloud, content_type):
    from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import HuaweiClient
    from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import OPERATIONS

    cloud.settings({"readings": {"iam": {"content_type": content_type}}})
    cloud.admit("huawei", "HWEMULATOR", "emulator-huawei-secret")
    client = cloud.attach(HuaweiClient("kps", region="cn-north-4", access_key="HWEMULATOR",
                                       secret_key="emulator-huawei-secret", operations=OPERATIONS))

    assert client.project_id == cloud.project_id("cn-north-4")
    assert [call.operation for call in cloud.calls] == ["KeystoneListProjects"]
