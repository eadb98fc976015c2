"""Test helpers for the KSYUN half: official-SDK clients and hand-signed requests.

kscore (ksc-sdk-python) is the official client; actions it lacks (DescribeInternalEndpoint,
DeleteInternalEndpoint, CreateInternalEndpointDns, DescribeNamespaceExist,
DescribeWebhookTriggerLog) and deliberately broken requests are signed with botocore's SigV4.
"""
import datetime
import json
import xml.etree.ElementTree as ET
from unittest import mock
from urllib.parse import quote, urlencode

import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from kscore.config import Config
from kscore.session import get_session

AK = "AKLTEMULATOR"
SK = "emulator-ksyun-secret"
STS_AK = "AKLTEMULATORSTS"
STS_SK = "emulator-ksyun-sts-secret"
REGION = "cn-beijing-6"
VERSIONS = {"kcrs": "2021-11-09", "bws": "2016-03-04"}
LINE = "5fc2595f-1bfd-481b-bf64-2d08f116d800"
EIPS = ["9f4b2a10-0000-4000-8000-00000000000%d" % n for n in (1, 2, 3)]
VPC = "31e21dca-c92e-4b06-a8ce-000000000001"
SUBNET = "372bdbac-ea1d-4f99-9c30-000000000001"

_SESSION = get_session()
_HTTP = requests.Session()


def client(emulator, service, region=REGION, ak=AK, sk=SK, token=None, presign=False):
    """A kscore client for `service` pointed at the emulator."""
    config = Config(signature_version="v4-query") if presign else None
    return _SESSION.create_client(service, region, ks_access_key_id=ak, ks_secret_access_key=sk,
                                  ks_session_token=token, endpoint_url=emulator.url,
                                  use_ssl=False, config=config)


def call(emulator, service, action, params=None, method="GET", region=REGION, ak=AK, sk=SK,
         token=None, accept="application/json", when=None, presign=False, headers=None,
         mutate=None, verify=True):
    """Send one request signed with botocore; returns the requests.Response.

    `when` signs at another time (a datetime), `mutate(AWSRequest)` alters the request after
    signing (to break it on purpose), `headers` are added before signing, `verify` is requests'
    (a CA bundle for an HTTPS emulator).
    """
    base_query = {"Action": action, "Version": VERSIONS.get(service, "2021-11-09")}
    if isinstance(params, dict) or params is None:
        base_query.update(params or {})
        query = list(base_query.items())
    else:  # (key, value) pairs, so that a key can be sent twice
        query = list(base_query.items()) + list(params)
    base = {"Accept": accept} if accept else {}
    base.update(headers or {})
    if method == "GET" or presign:
        request = AWSRequest(method, emulator.url + "/?" + urlencode(query, quote_via=quote),
                             headers=base)
    else:
        base["Content-Type"] = "application/x-www-form-urlencoded"
        request = AWSRequest(method, emulator.url + "/", data=urlencode(query), headers=base)
    credentials = Credentials(ak, sk, token)
    signer = SigV4QueryAuth(credentials, service, region) if presign else \
        SigV4Auth(credentials, service, region)
    when = when or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        signer.add_auth(request)
    if mutate:
        mutate(request)
    prepared = request.prepare()
    return _HTTP.request(prepared.method, prepared.url, headers=dict(prepared.headers),
                         data=prepared.body, timeout=10, verify=verify)


def ok(response):
    """The JSON body of a successful answer (fails the test with the body otherwise)."""
    assert response.status_code == 200, response.text
    return response.json()


def error_of(response):
    """(status, code, message) of a JSON or XML error answer."""
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = json.loads(response.text)
        return response.status_code, body["Error"]["Code"], body["Error"]["Message"]
    root = ET.fromstring(response.content)
    assert root.tag == "ErrorResponse"
    return (response.status_code, root.findtext("Error/Code"), root.findtext("Error/Message"))


def client_error(exc_info):
    """(status, code, message) of a kscore ClientError."""
    err = exc_info.value.response
    return (err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"],
            err["Error"]["Message"])


def fast(emulator):
    """Make every asynchronous KSYUN operation complete at once."""
    emulator.admin("POST", "/__admin/settings", {"delays": {
        "kcrs.instance": 0, "kcrs.instance_delete": 0, "kcrs.internal_endpoint": 0,
        "kcrs.dns": 0, "kcrs.scan": 0}})


def advance(emulator, seconds):
    """Move the emulator's clock forward."""
    current = emulator.emu.settings.get("clock_offset", 0)
    emulator.admin("POST", "/__admin/settings", {"clock_offset": current + seconds})


def running_instance(emulator, kcrs, name="registry"):
    """Create an instance and return its id once Running (delays set to 0)."""
    fast(emulator)
    instance_id = kcrs.create_instance(InstanceName=name, InstanceType="basic")["InstanceId"]
    status = kcrs.describe_instance(**{"InstanceId.1": instance_id})["InstanceSet"][0]
    assert status["InstanceStatus"] == "Running"
    return instance_id


def push(emulator, instance_id, namespace, repository, tag, **extra):
    payload = {"instance_id": instance_id, "namespace": namespace, "repository": repository,
               "tag": tag}
    payload.update(extra)
    return emulator.admin("POST", "/__admin/kcr/push", payload)
