"""Test helpers for the Huawei half: official-SDK clients (AK/SK and IAM-token credentials) and
requests signed with huaweicloudsdkcore's Signer, for what the SDK will not send on purpose."""
import copy
import datetime
import json
import os
from urllib.parse import urlsplit

import cloudops_emulator
import pytest
import requests
import yaml
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from huaweicloudsdkcgs.v5 import CgsClient
from huaweicloudsdkkps.v3 import KpsClient
from huaweicloudsdkvpcep.v1 import VpcepClient

AK = "HWEMULATOR"
SK = "emulator-huawei-secret"
STS_AK = "HWEMULATORSTS"
STS_SK = "emulator-huawei-sts-secret"
REGION = "cn-north-4"
PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SOUTH = "cn-south-4"
SOUTH_PROJECT = "5c4b3a2918074f6e8d7c6b5a4f3e2d1c"
DOMAIN = "emulator"
DOMAIN_ID = "0e1d2c3b4a5948576675849302a1b0c9"
USER = "emulator"
USER_ID = "1a2b3c4d5e6f47788990aabbccddeeff"
PASSWORD = "emulator-password"
VPC = "4dfe5c6e-0000-4000-8000-000000000001"
SUBNET = "5e6f7a8b-0000-4000-8000-000000000001"
PORT1 = "a1b2c3d4-0000-4000-8000-000000000001"
PORT2 = "a1b2c3d4-0000-4000-8000-000000000002"
KMS_ID = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
KMS_ALIAS = "kps/demo"
SERVERS = ["e1c50000-0000-4000-8000-00000000000%d" % n for n in (1, 2, 3)]
CONSUMERS = ["b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b", "c8f4d5b2e3a75f6b0d9c8b7a6f5e4d3c"]
CLIENTS = {"kps": KpsClient, "vpcep": VpcepClient, "cgs": CgsClient}

_HTTP = requests.Session()


def _config():
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    config.timeout = (5, 30)
    return config


class _TokenCredentials(BasicCredentials):
    """BasicCredentials that send an IAM token (`X-Auth-Token`) instead of signing, so the
    official clients can be driven with token auth too."""

    def __init__(self, token, project_id):
        super().__init__("unused-ak", "unused-sk", project_id)
        self.token = token

    def sign_request(self, request):
        request.header_params["X-Auth-Token"] = self.token
        Signer.process_request_uri(request)
        return request


# The client builder accepts credentials by class name.
_TokenCredentials.__name__ = "BasicCredentials"


def client(emulator, service, ak=AK, sk=SK, project_id=PROJECT, token=None,
           security_token=None, region=None):
    """An official SDK client for `service` pointed at the emulator.

    With `region` (and no project id) the SDK looks the project up through IAM, which
    HUAWEICLOUD_SDK_IAM_ENDPOINT must point at (see the `iam_endpoint` fixture)."""
    if token is not None:
        credentials = _TokenCredentials(token, project_id)
    else:
        credentials = BasicCredentials(ak, sk, project_id)
        if security_token:
            credentials.with_security_token(security_token)
    builder = CLIENTS[service].new_builder().with_http_config(_config()) \
        .with_credentials(credentials)
    if region:
        builder = builder.with_region(Region(region, emulator.url))
    else:
        builder = builder.with_endpoints([emulator.url])
    return builder.build()


def sdk_error(call, *args, **kwargs):
    """The ClientRequestException that `call(*args, **kwargs)` raises."""
    with pytest.raises(ClientRequestException) as info:
        call(*args, **kwargs)
    return info.value


def signed(emulator, method, path, query=None, body=None, headers=None, ak=AK, sk=SK,
           when=None, project_id=PROJECT, content_type="application/json"):
    """Send a request signed with huaweicloudsdkcore's Signer; returns the requests.Response.

    `body` may be a dict/list (serialised as the SDK does) or bytes; `when` signs at another
    time (a datetime in UTC)."""
    header_params = {}
    if content_type:
        header_params["Content-Type"] = content_type
    if project_id:
        header_params["X-Project-Id"] = project_id
    if when is not None:
        header_params["X-Sdk-Date"] = when.strftime("%Y%m%dT%H%M%SZ")
    header_params.update(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode("utf-8")
    netloc = urlsplit(emulator.url).netloc
    request = SdkRequest(method=method, schema="http", host=netloc, resource_path=path,
                         query_params=list((query or {}).items()), header_params=header_params,
                         body=body or b"")
    Signer(BasicCredentials(ak, sk)).sign(request)
    return _HTTP.request(method, emulator.url + request.uri, headers=request.header_params,
                         data=request.body or None, timeout=30)


def login(emulator, project=REGION, password=PASSWORD, user=USER, domain=DOMAIN):
    """POST /v3/auth/tokens; returns the requests.Response."""
    scope = {"project": {"name": project}} if project else None
    auth = {"identity": {"methods": ["password"],
                         "password": {"user": {"name": user, "password": password,
                                               "domain": {"name": domain}}}}}
    if scope:
        auth["scope"] = scope
    return _HTTP.post(emulator.url + "/v3/auth/tokens", json={"auth": auth}, timeout=30)


def token(emulator, project=REGION):
    response = login(emulator, project)
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"]


def advance(emulator, seconds):
    """Move the emulator's clock forward."""
    offset = float(emulator.emu.settings.get("clock_offset") or 0) + seconds
    emulator.admin("POST", "/__admin/settings", {"clock_offset": offset})


def set_delays(emulator, **delays):
    emulator.admin("POST", "/__admin/settings",
                   {"delays": {key.replace("_", ".", 1): value for key, value in delays.items()}})


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def default_section():
    """A copy of the default `huawei:` fixture section (to extend in a reset override)."""
    path = os.path.join(os.path.dirname(cloudops_emulator.__file__), "fixtures", "huawei.yaml")
    with open(path, encoding="utf-8") as handle:
        return copy.deepcopy(yaml.safe_load(handle)["huawei"])
