"""The front door's contract with a cloud package, checked with a stand-in Huawei package.

The stand-in records what the server hands over and answers in the `{"error_code",
"error_msg"}` shape, so routing, fault application and error shaping can be tested here
independently of the real Huawei emulator.
"""
import json
import socket
import sys
import types

import pytest
import requests

from cloudops_emulator.http import json_response

from ksyun_support import call, ok


@pytest.fixture
def standin(monkeypatch):
    module = types.ModuleType("cloudops_emulator.huawei")
    module.seen = []

    def dispatch(emu, request):
        module.seen.append(request)
        if request.path.endswith("/explode"):
            raise RuntimeError("boom")
        emu.stats.count("kps:ListKeypairs")
        return json_response(200, {"keypairs": [], "path": request.path})

    def service_of(request):
        return "kps" if "/keypairs" in request.path else None

    def error_response(status, code, message):
        return json_response(status, {"error_code": code, "error_msg": message})

    module.dispatch = dispatch
    module.service_of = service_of
    module.error_response = error_response
    module.load_fixtures = lambda emu, section: None
    monkeypatch.setitem(sys.modules, "cloudops_emulator.huawei", module)
    return module


def test_non_ksyun_requests_go_to_the_path_routed_cloud(emulator, standin):
    response = requests.post(emulator.url + "/v3/p%201/keypairs?limit=10&marker=a%20b",
                             data=b'{"keypair": {}}', headers={"X-Project-Id": "p1"},
                             timeout=10)
    assert response.json() == {"keypairs": [], "path": "/v3/p 1/keypairs"}
    request = standin.seen[0]
    assert (request.method, request.raw_path) == ("POST", "/v3/p%201/keypairs?limit=10&marker=a%20b")
    assert request.query == [("limit", "10"), ("marker", "a b")]
    assert request.headers["x-project-id"] == "p1"
    assert request.body == b'{"keypair": {}}'
    assert request.host == emulator.url[len("http://"):]
    assert request.scheme == "http"
    # KSYUN requests still go to KSYUN
    assert ok(call(emulator, "kcrs", "DescribeInstance"))["TotalCount"] == 0
    assert len(standin.seen) == 1


def test_faults_on_path_routed_requests_use_that_clouds_shape(emulator, standin):
    emulator.admin("POST", "/__admin/faults", {"service": "kps", "throttle_rate": 1.0})
    response = requests.get(emulator.url + "/v3/p1/keypairs", timeout=10)
    assert response.status_code == 429
    assert response.json()["error_code"] == "APIGW.0308"
    assert standin.seen == []
    assert ok(call(emulator, "kcrs", "DescribeInstance"))  # other services unaffected
    emulator.admin("POST", "/__admin/faults", {"service": "all", "error_rate": 1.0})
    response = requests.get(emulator.url + "/v3/p1/keypairs", timeout=10)
    assert (response.status_code, response.json()["error_code"]) == (503, "APIGW.0203")


def test_path_routed_handler_exception_becomes_its_own_500(emulator, standin):
    response = requests.get(emulator.url + "/v3/p1/explode", timeout=10)
    assert response.status_code == 500
    assert set(response.json()) == {"error_code", "error_msg"}
    assert "boom" not in response.text
    assert requests.get(emulator.url + "/v3/p1/keypairs", timeout=10).status_code == 200


def test_path_routed_oversized_body(emulator, standin):
    port = int(emulator.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"PUT /v1/p1/vpc-endpoint-services HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Length: 20000000\r\n\r\n")
        answer = b""
        while True:  # the server closes the connection after this answer
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _separator, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["error_code"] == "APIGW.0201"
    assert standin.seen == []
