"""IAM: password tokens and the project lookup the SDK does when BasicCredentials has no
project id."""
import pytest
import requests
from huaweicloudsdkcgs.v5 import ListContainerNodesRequest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import SdkException
from huaweicloudsdkkps.v3 import ListKeypairsRequest

from huawei_support import (DOMAIN, DOMAIN_ID, PROJECT, SOUTH_PROJECT, USER, USER_ID, client,
                            login, signed, token)


@pytest.fixture
def iam_endpoint(emulator, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", emulator.url)
    monkeypatch.setattr(BasicCredentials, "_CACHE", {})  # the SDK caches project ids per AK
    return emulator


def test_password_token(emulator):
    response = login(emulator)
    assert response.status_code == 201
    value = response.headers["X-Subject-Token"]
    assert value.startswith("MII") and len(value) > 100
    body = response.json()["token"]
    assert body["methods"] == ["password"]
    assert body["user"]["id"] == USER_ID and body["user"]["name"] == USER
    assert body["user"]["domain"] == {"id": DOMAIN_ID, "name": DOMAIN}
    assert body["project"] == {"id": PROJECT, "name": "cn-north-4",
                               "domain": {"id": DOMAIN_ID, "name": DOMAIN}}
    assert body["expires_at"].endswith("Z") and body["expires_at"] > body["issued_at"]
    assert {entry["type"] for entry in body["catalog"]} >= {"kms", "vpcep", "cgs"}
    assert all(e["url"] == emulator.url for entry in body["catalog"] for e in entry["endpoints"])
    assert emulator.admin("GET", "/__admin/stats")["calls"] == {
        "iam:KeystoneCreateUserTokenByPassword": 1}


def test_nocatalog_and_domain_scope(emulator):
    response = requests.post(emulator.url + "/v3/auth/tokens?nocatalog=true", timeout=30, json={
        "auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": USER, "password": "emulator-password", "domain": {"id": DOMAIN_ID}}}},
            "scope": {"domain": {"name": DOMAIN}}}})
    assert response.status_code == 201
    body = response.json()["token"]
    assert "catalog" not in body and "project" not in body
    assert body["domain"] == {"id": DOMAIN_ID, "name": DOMAIN}


@pytest.mark.parametrize("kwargs", [{"password": "not-the-password-42"}, {"user": "nobody"},
                                    {"domain": "other-account"}])
def test_wrong_credentials_get_the_keystone_401(emulator, kwargs):
    response = login(emulator, **kwargs)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": 401, "message": "The username or password is "
                                         "wrong.", "title": "Unauthorized"}}
    assert "X-Subject-Token" not in response.headers
    assert kwargs.get("password", "emulator-password") not in response.text


@pytest.mark.parametrize("body, status", [
    (b"not json", 400), (b'{"auth": 1}', 400), (b'[]', 400),
    (b'{"auth": {"identity": {"methods": ["token"], "token": {"id": "x"}}}}', 401),
])
def test_bad_token_requests(emulator, body, status):
    response = requests.post(emulator.url + "/v3/auth/tokens", data=body, timeout=30,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "title"}


def test_unknown_project_scope(emulator):
    response = login(emulator, project="xx-nowhere-1")
    assert response.status_code == 400
    assert "xx-nowhere-1" in response.json()["error"]["message"]


def test_list_projects(emulator):
    response = signed(emulator, "GET", "/v3/projects", query={"name": "cn-south-4"},
                      project_id=None, content_type=None)
    assert response.status_code == 200
    projects = response.json()["projects"]
    assert [(p["id"], p["name"], p["domain_id"], p["enabled"]) for p in projects] == [
        (SOUTH_PROJECT, "cn-south-4", DOMAIN_ID, True)]
    everything = requests.get(emulator.url + "/v3/projects", timeout=30,
                              headers={"X-Auth-Token": token(emulator)}).json()["projects"]
    # the fixtures' projects: two Chinese regions and four whose VPCEP reference lacks operations
    assert {p["name"] for p in everything} == {"cn-north-4", "cn-south-4", "ae-ad-1", "eu-west-0",
                                               "my-kualalumpur-1", "tr-west-1"}
    assert signed(emulator, "GET", "/v3/projects", query={"name": "sa-brazil-1"},
                  project_id=None).json()["projects"] == []


def test_list_projects_needs_a_caller(emulator):
    response = requests.get(emulator.url + "/v3/projects", timeout=30)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": 401, "message": "The request you have made "
                                         "requires authentication.", "title": "Unauthorized"}}


def test_sdk_looks_the_project_up_through_iam(iam_endpoint):
    kps = client(iam_endpoint, "kps", project_id=None, region="cn-north-4")
    assert kps.list_keypairs(ListKeypairsRequest()).keypairs == []
    cgs = client(iam_endpoint, "cgs", project_id=None, region="cn-south-4")
    assert cgs.list_container_nodes(ListContainerNodesRequest()).total_num == 3
    calls = iam_endpoint.admin("GET", "/__admin/stats")["calls"]
    assert calls["iam:KeystoneListProjects"] == 2
    assert calls["kps:ListKeypairs"] == 1


def test_sdk_project_lookup_of_an_unknown_region_fails(iam_endpoint):
    with pytest.raises(SdkException, match="Failed to get project id of region 'sa-brazil-1'"):
        client(iam_endpoint, "kps", project_id=None, region="sa-brazil-1")
