"""IAM readings (settings `readings.iam.<point>`): error bodies without a code, login failures
answered 400, and expired tokens answered APIGW.0301, each beside reading A."""
import pytest

from huawei_support import PROJECT, advance, login, signed, token

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


@pytest.mark.parametrize("reading", ["optional", "required"])
def test_project_lookup_with_or_without_content_type(emulator, reading):
    read(emulator, content_type=reading)
    typed = signed(emulator, "GET", "/v3/projects", query={"name": "cn-north-4"}, project_id=None)
    bare = signed(emulator, "GET", "/v3/projects", query={"name": "cn-north-4"}, project_id=None, content_type=None)
    assert typed.status_code == 200 and [p["name"] for p in typed.json()["projects"]] == ["cn-north-4"]
    if reading == "optional":
        assert bare.json() == typed.json()
    else:
        assert (bare.status_code, bare.json()) == (400, {"error": {
            "code": 400, "message": "The request is missing the Content-Type header.", "title": "Bad Request"}})
