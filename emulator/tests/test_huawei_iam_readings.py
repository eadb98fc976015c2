"""IAM readings (settings `readings.iam.<point>`): error bodies without a code, login failures
answered 400, and expired tokens answered APIGW.0301, each beside reading A."""
import pytest

from huawei_support import PROJECT, advance, login, token

import requests

SERVICES = "/v1/%s/vpc-endpoint-services" % PROJECT


def read(emulator, **points):
    emulator.admin("POST", "/__admin/settings", {"readings": {"iam": points}})


@pytest.mark.parametrize("reading, status, body", [
    ({}, 401, {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}),
    ({"login_failure_status": 400}, 400,
     {"error": {"code": 400, "message": "The username or password is wrong.", "title": "Bad Request"}}),
    ({"error_code": "absent"}, 401, {"error": {"message": "The username or password is wrong."}}),
])
def test_login_failure(emulator, reading, status, body):
    read(emulator, **reading)
    response = login(emulator, password="wrong")
    assert (response.status_code, response.json()) == (status, body)


@pytest.mark.parametrize("reading, code", [({}, "APIGW.0307"), ({"expired_token": "APIGW.0301"}, "APIGW.0301")])
def test_expired_token(emulator, reading, code):
    read(emulator, **reading)
    value = token(emulator)
    answer = requests.get(emulator.url + SERVICES, headers={"X-Auth-Token": value}, timeout=10)
    assert answer.status_code == 200
    advance(emulator, 24 * 3600 + 1)
    answer = requests.get(emulator.url + SERVICES, headers={"X-Auth-Token": value}, timeout=10)
    assert (answer.status_code, answer.json()["error_code"]) == (401, code)
    fresh = token(emulator)
    assert requests.get(emulator.url + SERVICES, headers={"X-Auth-Token": fresh}, timeout=10).status_code == 200
