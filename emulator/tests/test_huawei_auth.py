"""Huawei authentication: AK/SK signatures checked with huaweicloudsdkcore's signer (the
reference's worked examples replayed byte for byte), security tokens, IAM tokens, project
checks and the gateway's answers to bad callers."""
import datetime
import time

import pytest
import requests
from huaweicloudsdkkps.v3 import ListKeypairsRequest

from huawei_support import (AK, PROJECT, SK, SOUTH_PROJECT, STS_AK, STS_SK, client,
                            default_section, sdk_error, signed, token, utcnow)

KEYPAIRS = "/v3/%s/keypairs" % PROJECT

# Fixed inputs of the worked Huawei signing example (a KPS CreateKeypair as huaweicloudsdkcore signs it)
EXAMPLE_AK = "HWEXAMPLEAK0000000001"
EXAMPLE_SK = "HwExampleSecretKey0000000000000000000001"
EXAMPLE_PROJECT = "0123456789abcdef0123456789abcdef"
EXAMPLE_TIME = datetime.datetime(2024, 1, 15, 8, 30, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def example_account(emulator):
    """The worked example's key and project, with the clock at 2024-01-15 08:30:00 UTC."""
    section = default_section()
    section["access_keys"] += [
        {"access_key": EXAMPLE_AK, "secret_key": EXAMPLE_SK, "user": "emulator"},
        {"access_key": "HWEXAMPLESTS", "secret_key": EXAMPLE_SK, "user": "emulator",
         "security_tokens": ["EXAMPLE-STS-TOKEN"]}]
    section["projects"].append({"name": "cn-north-1", "id": EXAMPLE_PROJECT})
    emulator.admin("POST", "/__admin/reset",
                   {"huawei": section,
                    "settings": {"clock_offset": EXAMPLE_TIME.timestamp() - time.time()}})
    return emulator


def _example_create(emulator, authorization, extra=None):
    headers = {"Content-Type": "application/json;charset=utf-8",
               "User-Agent": "huaweicloud-usdk-python/3.0; example-agent",
               "X-Project-Id": EXAMPLE_PROJECT, "X-Sdk-Date": "20240115T083000Z",
               "Host": "kms.cn-north-4.myhuaweicloud.com", "Authorization": authorization}
    headers.update(extra or {})
    return requests.post(emulator.url + "/v3/%s/keypairs" % EXAMPLE_PROJECT, headers=headers,
                         data=b'{"keypair": {"name": "demo1", "type": "ssh", "scope": "user"}}',
                         timeout=30)


def test_worked_example_create_keypair_is_accepted_byte_for_byte(example_account):
    response = _example_create(example_account, (
        "SDK-HMAC-SHA256 Access=HWEXAMPLEAK0000000001, SignedHeaders=content-type;host;"
        "user-agent;x-project-id;x-sdk-date, Signature=27d3554704e39f86bec720ba6584932578d83c81"
        "7fa7dccfffdba19dcdfaa629"))
    assert response.status_code == 200, response.text
    assert response.json()["keypair"]["name"] == "demo1"
    assert response.headers["X-Request-Id"]


def test_worked_example_with_security_token(example_account):
    authorization = ("SDK-HMAC-SHA256 Access=HWEXAMPLESTS, SignedHeaders=content-type;host;"
                     "user-agent;x-project-id;x-sdk-date;x-security-token, Signature=e1737cf10f7e5c"
                     "738bd30298c24a755addd1cb9f1ad21d97c982531409cdb5d5")
    response = _example_create(example_account, authorization,
                               {"X-Security-Token": "EXAMPLE-STS-TOKEN"})
    assert response.status_code == 200, response.text
    # the same signature over another token value does not verify
    response = _example_create(example_account, authorization,
                               {"X-Security-Token": "OTHER-STS-TOKEN"})
    assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0301")


def test_worked_example_vpcep_listing_with_query(example_account):
    response = requests.get(
        example_account.url + "/v1/%s/vpc-endpoint-services?endpoint_service_name=my%%20svc"
        "&limit=10&offset=0&sort_dir=asc" % EXAMPLE_PROJECT,
        headers={"Content-Type": "application/json",
                 "User-Agent": "huaweicloud-usdk-python/3.0; example-agent",
                 "X-Project-Id": EXAMPLE_PROJECT, "X-Sdk-Date": "20240115T083000Z",
                 "Host": "vpcep.cn-north-4.myhuaweicloud.com",
                 "Authorization": (
                     "SDK-HMAC-SHA256 Access=HWEXAMPLEAK0000000001, SignedHeaders=content-type;"
                     "host;user-agent;x-project-id;x-sdk-date, Signature=9a17b2a162f49af040834c"
                     "e7509ee00bef787ea88736dab20b0934a02f7711ca")},
        timeout=30)
    assert response.status_code == 200, response.text
    assert response.json() == {"endpoint_services": [], "total_count": 0}


def test_worked_example_signature_breaks_when_anything_changes(example_account):
    good = ("SDK-HMAC-SHA256 Access=HWEXAMPLEAK0000000001, SignedHeaders=content-type;host;"
            "user-agent;x-project-id;x-sdk-date, Signature=27d3554704e39f86bec720ba6584932578d83c81"
            "7fa7dccfffdba19dcdfaa629")
    for change in ({"User-Agent": "another-agent"}, {"Host": "kms.cn-north-1.myhuaweicloud.com"},
                   {"Content-Type": "application/json"}):
        response = _example_create(example_account, good, change)
        assert response.status_code == 401
        assert response.json()["error_msg"] == \
            "Incorrect IAM authentication information: verify aksk signature fail"


def test_sdk_client_with_and_without_security_token(emulator):
    listing = client(emulator, "kps", ak=STS_AK, sk=STS_SK, security_token="any-sts-token")
    assert listing.list_keypairs(ListKeypairsRequest()).keypairs == []
    err = sdk_error(client(emulator, "kps", ak=STS_AK, sk=STS_SK).list_keypairs,
                    ListKeypairsRequest())
    assert (err.status_code, err.error_code) == (401, "APIGW.0301")
    assert "security token is required" in err.error_msg
    err = sdk_error(client(emulator, "kps", security_token="stray").list_keypairs,
                    ListKeypairsRequest())
    assert (err.status_code, err.error_code) == (401, "APIGW.0301")


@pytest.mark.parametrize("ak, sk, message", [
    (AK, "wrong-secret", "Incorrect IAM authentication information: verify aksk signature fail"),
    ("HWNOSUCHKEY", SK, "Incorrect IAM authentication information: Get secretKey failed,"
                        "ak:HWNOSUCHKEY,err:ak not exist"),
])
def test_wrong_secret_and_unknown_key(emulator, ak, sk, message):
    err = sdk_error(client(emulator, "kps", ak=ak, sk=sk).list_keypairs, ListKeypairsRequest())
    assert (err.status_code, err.error_code, err.error_msg) == (401, "APIGW.0301", message)
    assert err.request_id


def test_missing_authentication(emulator):
    response = requests.get(emulator.url + KEYPAIRS, timeout=30)
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["error_msg"] == "Incorrect IAM authentication information: x-auth-token not found"
    assert body["request_id"] == response.headers["X-Request-Id"]


@pytest.mark.parametrize("authorization, detail", [
    ("SDK-HMAC-SHA256 Access=HWEMULATOR", "malformed Authorization header"),
    ("SDK-HMAC-SHA256 Access=HWEMULATOR, SignedHeaders=host, Signature=", "malformed"),
    ("AWS-HMAC Access=HWEMULATOR, SignedHeaders=host, Signature=00", "unsupported signing"),
    ("V11-HMAC-SHA256 Credential=HWEMULATOR/20240101/cn-north-4/kps, SignedHeaders=host, "
     "Signature=00", "unsupported signing"),
])
def test_malformed_authorization(emulator, authorization, detail):
    response = requests.get(emulator.url + KEYPAIRS, timeout=30, headers={
        "Authorization": authorization, "X-Sdk-Date": utcnow().strftime("%Y%m%dT%H%M%SZ")})
    assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0301")
    assert detail in response.json()["error_msg"]


def test_signature_time_window_is_fifteen_minutes(emulator):
    now = utcnow()
    assert signed(emulator, "GET", KEYPAIRS, when=now - datetime.timedelta(minutes=14)) \
        .status_code == 200
    assert signed(emulator, "GET", KEYPAIRS, when=now + datetime.timedelta(minutes=14)) \
        .status_code == 200
    for skew in (16, -16):
        response = signed(emulator, "GET", KEYPAIRS, when=now - datetime.timedelta(minutes=skew))
        assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0301")
        assert "signature expired, signature time:" in response.json()["error_msg"]


@pytest.mark.parametrize("date", [None, "2024-01-15 08:30:00", "20240115T083000"])
def test_missing_or_malformed_sdk_date(emulator, date):
    headers = {"Authorization": "SDK-HMAC-SHA256 Access=HWEMULATOR, SignedHeaders=host;"
                                "x-sdk-date, Signature=" + "0" * 64}
    if date:
        headers["X-Sdk-Date"] = date
    response = requests.get(emulator.url + KEYPAIRS, headers=headers, timeout=30)
    assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0301")
    assert "x-sdk-date is missing or not in the format" in response.json()["error_msg"]


def test_host_and_date_must_be_signed(emulator):
    response = signed(emulator, "GET", KEYPAIRS)
    headers = dict(response.request.headers)
    headers["Authorization"] = headers["Authorization"].replace("host;", "")
    response = requests.get(response.request.url, headers=headers, timeout=30)
    assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0301")


def test_tampered_request_is_refused(emulator):
    # signed for one query, sent with another
    response = signed(emulator, "GET", KEYPAIRS, query={"limit": "5"})
    assert response.status_code == 200
    request = response.request
    tampered = requests.get(request.url.replace("limit=5", "limit=6"), headers=request.headers,
                            timeout=30)
    assert (tampered.status_code, tampered.json()["error_code"]) == (401, "APIGW.0301")
    # body changed after signing
    response = signed(emulator, "POST", KEYPAIRS, body={"keypair": {"name": "a"}})
    assert response.status_code == 200
    replay = requests.post(emulator.url + KEYPAIRS, headers=response.request.headers,
                           data=b'{"keypair": {"name": "b"}}', timeout=30)
    assert replay.status_code == 401


def test_token_auth_lifecycle(emulator):
    value = token(emulator)
    kps = client(emulator, "kps", token=value)
    assert kps.list_keypairs(ListKeypairsRequest()).keypairs == []
    err = sdk_error(client(emulator, "kps", token="MIInot-a-token").list_keypairs,
                    ListKeypairsRequest())
    assert (err.status_code, err.error_code, err.error_msg) == (
        401, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail")
    emulator.admin("POST", "/__admin/settings", {"clock_offset": 24 * 3600 + 1})
    err = sdk_error(kps.list_keypairs, ListKeypairsRequest())
    assert (err.status_code, err.error_code, err.error_msg) == (
        401, "APIGW.0307", "The token must be updated.")


def test_token_is_bound_to_its_project(emulator):
    south = token(emulator, project="cn-south-4")
    err = sdk_error(client(emulator, "kps", token=south).list_keypairs, ListKeypairsRequest())
    assert (err.status_code, err.error_code) == (403, "APIGW.0302")
    assert client(emulator, "kps", token=south, project_id=SOUTH_PROJECT) \
        .list_keypairs(ListKeypairsRequest()).keypairs == []
    domain_token = token(emulator, project=None)
    err = sdk_error(client(emulator, "kps", token=domain_token).list_keypairs,
                    ListKeypairsRequest())
    assert (err.status_code, err.error_code) == (403, "APIGW.0302")


def test_aksk_project_header_must_match_the_path(emulator):
    response = signed(emulator, "GET", KEYPAIRS, project_id=SOUTH_PROJECT)
    assert (response.status_code, response.json()["error_code"]) == (403, "APIGW.0302")
    # without X-Project-Id any project of the account will do, an unknown one will not
    assert signed(emulator, "GET", KEYPAIRS, project_id=None).status_code == 200
    response = signed(emulator, "GET", "/v3/%s/keypairs" % ("f" * 32), project_id=None)
    assert (response.status_code, response.json()["error_code"]) == (403, "APIGW.0302")


def test_unknown_paths_and_methods(emulator):
    response = signed(emulator, "GET", "/v3/%s/nothing-here" % PROJECT)
    assert (response.status_code, response.json()["error_code"]) == (404, "APIGW.0101")
    assert response.json()["error_msg"] == \
        "The API does not exist or has not been published in the environment."
    response = signed(emulator, "PATCH", KEYPAIRS)
    assert (response.status_code, response.json()["error_code"]) == (404, "APIGW.0101")
    assert response.json()["error_msg"] == "The API does not exist."
    # an unknown path answers before authentication and is not counted
    assert requests.get(emulator.url + "/v9/x", timeout=30).json()["error_code"] == "APIGW.0101"
    assert emulator.admin("GET", "/__admin/stats")["calls"] == {}


def test_every_routed_call_is_counted_failed_ones_too(emulator):
    client(emulator, "kps").list_keypairs(ListKeypairsRequest())
    sdk_error(client(emulator, "kps", sk="bad").list_keypairs, ListKeypairsRequest())
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert calls["kps:ListKeypairs"] == 2
