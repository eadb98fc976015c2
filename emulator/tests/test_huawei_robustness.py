"""Bad input and bad days on the Huawei side: malformed bodies and content types, oversized
bodies, handler crashes, injected faults, routing of every service, secrets kept out of answers
and state."""
import json

import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ServerResponseException
from huaweicloudsdkkps.v3 import (CreateKeypairAction, CreateKeypairRequest,
                                  CreateKeypairRequestBody, Encryption, KeyProtection,
                                  ListKeypairsRequest)

from cloudops_emulator import huawei
from cloudops_emulator.huawei import routing
from cloudops_emulator.http import Request

from huawei_support import KMS_ALIAS, PROJECT, SOUTH_PROJECT, client, login, sdk_error, signed

SERVICES = "/v1/%s/vpc-endpoint-services" % PROJECT


@pytest.mark.parametrize("body, content_type", [
    (b"{", "application/json"), (b"null", "application/json"), (b"[1, 2]", "application/json"),
    (b'{"port_id": "x"}', "application/x-www-form-urlencoded"), (b"", "application/json"),
    (b"\xff\xfe", "application/json"),
])
def test_vpcep_malformed_bodies(emulator, body, content_type):
    response = signed(emulator, "POST", SERVICES, body=body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error_code"] == "EndPoint.1004"
    assert set(response.json()) == {"error_code", "error_msg"}


def test_oversized_body_is_refused_in_the_gateway_shape(emulator):
    response = requests.post(emulator.url + SERVICES, data=b"x" * (12 * 1024 * 1024 + 1),
                             headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 413
    assert response.json()["error_code"] == "APIGW.0201"


def test_handler_crash_becomes_a_500_without_traceback(emulator, monkeypatch):
    target = next(r for r in routing.all_routes() if r.operation == "ListKeypairs")

    def boom(call):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(target, "handler", boom)
    kps = client(emulator, "kps")
    with pytest.raises(ServerResponseException) as info:
        kps.list_keypairs(ListKeypairsRequest())
    assert info.value.status_code == 500
    assert info.value.error_code == "APIGW.0202"
    assert "secret internals" not in info.value.error_msg
    monkeypatch.undo()
    assert kps.list_keypairs(ListKeypairsRequest()).keypairs == []


def test_injected_faults_use_the_gateway_codes(emulator):
    kps = client(emulator, "kps")
    emulator.admin("POST", "/__admin/faults", {"service": "kps", "error_rate": 1.0})
    with pytest.raises(ServerResponseException) as info:
        kps.list_keypairs(ListKeypairsRequest())
    assert (info.value.status_code, info.value.error_code) == (503, "APIGW.0203")
    # other Huawei services are not affected
    assert login(emulator).status_code == 201
    emulator.admin("POST", "/__admin/faults", {"service": "iam", "throttle_rate": 1.0})
    response = login(emulator)
    assert (response.status_code, response.json()["error_code"]) == (429, "APIGW.0308")
    emulator.admin("POST", "/__admin/faults", {})
    assert kps.list_keypairs(ListKeypairsRequest()).keypairs == []


@pytest.mark.parametrize("path, service", [
    ("/v3/auth/tokens", "iam"), ("/v3/projects", "iam"),
    ("/v3/%s/keypairs" % PROJECT, "kps"), ("/v3/%s/keypairs/private-key/export" % PROJECT, "kps"),
    ("/v3/%s/failed-tasks" % PROJECT, "kps"), ("/v3/%s/tasks/abc" % PROJECT, "kps"),
    ("/v1/%s/vpc-endpoint-services/x/connections/action" % PROJECT, "vpcep"),
    ("/v1/%s/endpoint_service/tags" % PROJECT, "vpcep"), ("/v1/%s/quotas" % PROJECT, "vpcep"),
    ("/v1", "vpcep"), ("/v5/%s/container/nodes" % SOUTH_PROJECT, "cgs"),
    ("/v3/%s/unknown" % PROJECT, None), ("/favicon.ico", None),
])
def test_service_of(path, service):
    assert huawei.service_of(Request("GET", path, {})) == service


def test_literal_routes_win_over_names(emulator):
    kps = client(emulator, "kps")
    for name in ("associate", "batch-import"):
        kps.create_keypair(CreateKeypairRequest(body=CreateKeypairRequestBody(
            keypair=CreateKeypairAction(name=name))))
    # GET on a literal POST path is the keypair of that name
    response = signed(emulator, "GET", "/v3/%s/keypairs/associate" % PROJECT)
    assert response.json()["keypair"]["name"] == "associate"
    response = signed(emulator, "GET", "/v1/%s/vpc-endpoint-services/describe" % PROJECT,
                      query={"id": "none"})
    assert response.json()["error_code"] == "EndPoint.0005"


def test_secrets_stay_out_of_state_and_answers(emulator):
    value = login(emulator).headers["X-Subject-Token"]
    kps = client(emulator, "kps")
    created = kps.create_keypair(CreateKeypairRequest(body=CreateKeypairRequestBody(
        keypair=CreateKeypairAction(name="once"))))
    dump = json.dumps([emulator.emu.store.list(kind) for kind in
                       ("iam.token", "kps.keypair", "kps.task")])
    assert value not in dump  # tokens are stored by digest
    assert created.keypair.private_key.split("\n")[1] not in dump  # not hosted: not kept
    listed = signed(emulator, "GET", "/v3/%s/keypairs" % PROJECT).text
    assert "PRIVATE KEY" not in listed
    hosted = kps.create_keypair(CreateKeypairRequest(body=CreateKeypairRequestBody(
        keypair=CreateKeypairAction(name="hosted", key_protection=KeyProtection(
            encryption=Encryption(type="kms", kms_key_name=KMS_ALIAS))))))
    detail = signed(emulator, "GET", "/v3/%s/keypairs/hosted" % PROJECT).text
    assert hosted.keypair.private_key.split("\n")[1] not in detail


def test_unknown_project_in_path(emulator):
    err = sdk_error(client(emulator, "kps", project_id="0" * 32).list_keypairs,
                    ListKeypairsRequest())
    assert (err.status_code, err.error_code) == (403, "APIGW.0302")
