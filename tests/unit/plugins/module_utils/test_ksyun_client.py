# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KsyunClient over real HTTP: what goes on the wire (checked against kscore and botocore), how
answers and errors are read, pagination, and option validation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import glob
import json
import os
import re
import types

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudops.multicloud.plugins.doc_fragments import ksyun as ksyun_fragment
from ansible_collections.cloudops.multicloud.plugins.doc_fragments import transport as transport_fragment
from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import READ, READ_SECRET, WRITE, WRITE_SECRET
from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.api import ACTIONS as BWS_ACTIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import OPERATIONS as CGS_OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import ACTIONS as KCR_ACTIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import OPERATIONS as KPS_OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import OPERATIONS as VPCEP_OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import (
    KsyunClient,
    flatten,
    ksyun_argument_spec,
    parse_xml,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError, Transport
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import (
    fake_transport,
    json_answer,
)

AK = "AKLTEXAMPLEAKID0001"
SK = "ExampleSecretKey0001ExampleSecretKey0001"
TOKEN = "STSEXAMPLETOKEN-secret-part"
FROZEN = datetime.datetime(2024, 1, 15, 8, 30, 0)
INSTANCE = "c0c8391f-d9ad-47fd-96bb-000000000000"

# kscore (the oracle) vendors an old requests that imports the deprecated cgi module.
pytestmark = pytest.mark.filterwarnings("ignore:'cgi' is deprecated:DeprecationWarning")


def make_client(server, fake, service="kcrs", version="2021-11-09", token=None, lines=None, retries=4):
    transport = fake_transport(fake, lines, retries=retries)
    actions = {"kcrs": KCR_ACTIONS, "bws": BWS_ACTIONS}.get(service)
    return KsyunClient(service, version, access_key=AK, secret_key=SK, security_token=token, region="cn-beijing-6",
                       endpoint_url=server.url, transport=transport, clock=lambda: FROZEN, actions=actions)


def ok(extra=None):
    body = {"RequestId": "req-1"}
    body.update(extra or {})
    return json_answer(200, body)


# -- signature oracles ---------------------------------------------------------------------------

def botocore_authorization(recorded, server, service, token=None, region="cn-beijing-6"):
    """Recompute the Authorization header with botocore's SigV4 from what the server received."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    authorization = recorded.header("Authorization")
    signed = re.search(r"SignedHeaders=([^,]+)", authorization).group(1).split(";")
    headers = dict((name, recorded.header(name)) for name in signed if name != "host")
    request = AWSRequest(method=recorded.method, url=server.url + recorded.raw_path, data=recorded.body or None,
                         headers=headers)
    request.context["timestamp"] = recorded.header("X-Amz-Date")
    auth = SigV4Auth(Credentials(AK, SK, token), service, region)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    return "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (
        auth.scope(request), ";".join(signed), signature)


def kscore_request(server, monkeypatch, service, operation, kwargs, token=None):
    """What the official kscore client sends for the same call (clock frozen like ours)."""
    import kscore.auth
    from kscore.session import get_session

    class FrozenDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return cls(2024, 1, 15, 8, 30, 0)

    monkeypatch.setattr(kscore.auth, "datetime", types.SimpleNamespace(datetime=FrozenDateTime))
    client = get_session().create_client(service, "cn-beijing-6", endpoint_url=server.url, use_ssl=False,
                                         ks_access_key_id=AK, ks_secret_access_key=SK, ks_session_token=token)
    server.add(ok())
    getattr(client, operation)(**kwargs)
    return server.requests[-1]


def test_get_matches_kscore_byte_for_byte_and_botocore_signature(server, fake, monkeypatch):
    server.add(ok({"TotalCount": 0, "InstanceSet": []}))
    answer = make_client(server, fake).call("DescribeInstance", {"MaxResults": 10, "InstanceId": [INSTANCE]})
    assert answer == {"RequestId": "req-1", "TotalCount": 0, "InstanceSet": []}
    ours = server.requests[0]
    assert ours.method == "GET" and ours.path == "/"
    assert ours.raw_query == ("Action=DescribeInstance&Version=2021-11-09&MaxResults=10&InstanceId.1=%s" % INSTANCE)
    assert ours.body == b"" and ours.header("Content-Type") is None
    assert (ours.header("Accept"), ours.header("X-Action"), ours.header("X-Version")) == (
        "application/json", "DescribeInstance", "2021-11-09")
    assert ours.header("X-Amz-Date") == "20240115T083000Z"
    assert "SignedHeaders=accept;host;x-action;x-amz-date;x-version," in ours.header("Authorization")
    assert ours.header("Authorization") == botocore_authorization(ours, server, "kcrs")

    theirs = kscore_request(server, monkeypatch, "kcrs", "describe_instance",
                            {"MaxResults": 10, "InstanceId.1": INSTANCE})
    assert theirs.raw_path == ours.raw_path
    assert theirs.header("Authorization") == ours.header("Authorization")


def test_post_matches_kscore_byte_for_byte_and_botocore_signature(server, fake, monkeypatch):
    server.add(ok({"InstanceId": "fc2e0f75"}))
    params = {"InstanceName": "demo registry/ü", "InstanceType": "basic", "ChargeType": "HourlyInstantSettlement"}
    answer = make_client(server, fake).call("CreateInstance", params)
    assert answer["InstanceId"] == "fc2e0f75"
    ours = server.requests[0]
    assert ours.method == "POST" and ours.raw_path == "/"
    assert ours.header("Content-Type") == "application/x-www-form-urlencoded"
    assert ours.body == b"Action=CreateInstance&Version=2021-11-09&InstanceName=demo+registry%2F%C3%BC" \
                        b"&InstanceType=basic&ChargeType=HourlyInstantSettlement"
    assert "content-type" not in ours.header("Authorization")  # added after signing, as kscore does
    assert ours.header("Authorization") == botocore_authorization(ours, server, "kcrs")

    theirs = kscore_request(server, monkeypatch, "kcrs", "create_instance", params)
    assert (theirs.raw_path, theirs.body) == (ours.raw_path, ours.body)
    assert theirs.header("Authorization") == ours.header("Authorization")


def test_security_token_is_sent_and_signed_like_kscore(server, fake, monkeypatch):
    server.add(ok({"BandWidthShareId": "b1"}))
    params = {"LineId": "15e957ff-5e64-4577-946c-4a396528c67a", "BandWidth": 10, "ChargeType": "Peak"}
    make_client(server, fake, service="bws", version="2016-03-04", token=TOKEN).call("CreateBandWidthShare", params)
    ours = server.requests[0]
    assert ours.method == "GET"
    assert ours.header("X-Amz-Security-Token") == TOKEN
    assert "x-amz-security-token" in ours.header("Authorization")
    assert "/cn-beijing-6/bws/aws4_request" in ours.header("Authorization")
    assert ours.header("Authorization") == botocore_authorization(ours, server, "bws", token=TOKEN)
    theirs = kscore_request(server, monkeypatch, "bws", "create_band_width_share", params, token=TOKEN)
    assert theirs.raw_path == ours.raw_path
    assert theirs.header("Authorization") == ours.header("Authorization")


def test_every_attempt_gets_a_fresh_signature_date(server, fake):
    times = iter([datetime.datetime(2024, 1, 15, 8, 30, s) for s in range(10)])
    client = make_client(server, fake)
    client._clock = lambda: next(times)
    server.add(json_answer(409, {"RequestId": "r", "Error": {"Code": "LimitExceeded", "Message": "slow"}}), ok())
    client.call("CreateNamespace", {"InstanceId": INSTANCE, "Namespace": "ns", "Public": False})
    dates = [r.header("X-Amz-Date") for r in server.requests]
    assert dates == ["20240115T083000Z", "20240115T083001Z"]
    assert all(r.header("Authorization") == botocore_authorization(r, server, "kcrs") for r in server.requests)


def test_get_encodes_unicode_and_spaces_as_kscore_does(server, fake):
    server.add(ok())
    make_client(server, fake).call("DescribeNamespace", {"InstanceId": INSTANCE, "Namespace": "a b/c~é"})
    recorded = server.requests[0]
    assert recorded.raw_query.endswith("&Namespace=a%20b%2Fc~%C3%A9")
    assert dict(recorded.query)["Namespace"] == "a b/c~é"
    assert recorded.header("Authorization") == botocore_authorization(recorded, server, "kcrs")


# -- flattening and methods ----------------------------------------------------------------------

def test_flatten_lists_dicts_nested_lists_booleans_none_and_ints():
    params = {
        "InstanceId": INSTANCE,
        "Trigger": {"TriggerName": "t1", "EventType": ["PushImage", "DeleteImage"],
                    "Header": [{"Key": "k1", "Value": ["v1", "v2"]}, {"Key": "k2", "Value": ["v3"]}],
                    "Enabled": True},
        "Public": False,
        "Desc": None,
        "MaxResults": 99,
        "ProjectId": ["0", None, "1"],
        "Filter": [{"Name": "vpc-id", "Value": ["vpc-1"]}],
    }
    assert flatten(params) == [
        ("InstanceId", INSTANCE),
        ("Trigger.TriggerName", "t1"),
        ("Trigger.EventType.1", "PushImage"),
        ("Trigger.EventType.2", "DeleteImage"),
        ("Trigger.Header.1.Key", "k1"),
        ("Trigger.Header.1.Value.1", "v1"),
        ("Trigger.Header.1.Value.2", "v2"),
        ("Trigger.Header.2.Key", "k2"),
        ("Trigger.Header.2.Value.1", "v3"),
        ("Trigger.Enabled", "True"),
        ("Public", "False"),
        ("MaxResults", "99"),
        ("ProjectId.1", "0"),
        ("ProjectId.2", "1"),
        ("Filter.1.Name", "vpc-id"),
        ("Filter.1.Value.1", "vpc-1"),
    ]
    assert flatten(None) == [] and flatten({"InstanceId.1": "x"}) == [("InstanceId.1", "x")]


def test_flattened_nested_params_arrive_in_a_post_body(server, fake):
    server.add(json_answer(200, {"triggerId": 7, "requestId": "camel-1"}))
    answer = make_client(server, fake).call("CreateWebhookTrigger", {
        "InstanceId": INSTANCE, "Namespace": "ns",
        "Trigger": {"TriggerName": "t", "EventType": ["PushImage"], "Header": [{"Key": "k", "Value": ["v"]}]}})
    form = server.requests[0].form()
    assert ("Trigger.Header.1.Key", "k") in form and ("Trigger.Header.1.Value.1", "v") in form
    assert form[:2] == [("Action", "CreateWebhookTrigger"), ("Version", "2021-11-09")]
    assert answer["triggerId"] == 7 and answer["RequestId"] == "camel-1"  # requestId casing normalised


def test_action_methods_cover_kcr_and_bws_and_agree_with_the_kscore_models():
    tables = dict((service, dict((name, action[0]) for name, action in actions.items()))
                  for service, actions in (("kcrs", KCR_ACTIONS), ("bws", BWS_ACTIONS)))
    assert len(tables["kcrs"]) == 33 and len(tables["bws"]) == 6
    import kscore
    data = os.path.join(os.path.dirname(kscore.__file__), "data")
    for service in ("kcrs", "bws"):
        (model_path,) = glob.glob(os.path.join(data, service, "*", "service-2.yaml"))
        with open(model_path) as handle:
            model = yaml.safe_load(handle)
        for name, operation in model["operations"].items():
            assert tables[service][name] == operation["http"]["method"], name
    missing_from_kscore = {"DescribeInternalEndpoint": "GET", "DeleteInternalEndpoint": "GET",
                           "CreateInternalEndpointDns": "POST", "DescribeNamespaceExist": "GET",
                           "DescribeWebhookTriggerLog": "GET"}
    for name, method in missing_from_kscore.items():
        assert tables["kcrs"][name] == method


def test_only_reads_are_declared_safe_to_send_again():
    for actions in (KCR_ACTIONS, BWS_ACTIONS):
        for name, (unused_method, safety) in actions.items():
            assert (safety in (READ, READ_SECRET)) == name.startswith("Describe"), name
            assert safety in (READ, WRITE, READ_SECRET, WRITE_SECRET), name


def test_the_answers_that_carry_secrets_are_declared():
    """The new token (kcr_token returns it no_log), a webhook's header values (secret_headers),
    a generated, exported or echoed private key (ssh_keypair returns it no_log)."""
    declared = dict((name, safety) for name, (unused_method, safety) in KCR_ACTIONS.items()
                    if safety in (READ_SECRET, WRITE_SECRET))
    declared.update((name, safety) for name, safety in KPS_OPERATIONS.items() if safety in (READ_SECRET, WRITE_SECRET))
    assert declared == {"CreateInstanceToken": WRITE_SECRET, "DescribeWebhookTrigger": READ_SECRET,
                        "CreateKeypair": WRITE_SECRET, "ImportPrivateKey": WRITE_SECRET,
                        "ExportPrivateKey": READ_SECRET, "NovaCreateKeypair": WRITE_SECRET}
    assert not [safety for actions in (BWS_ACTIONS, VPCEP_OPERATIONS, CGS_OPERATIONS)
                for safety in (a[1] if isinstance(a, tuple) else a for a in actions.values())
                if safety in (READ_SECRET, WRITE_SECRET)]


def test_an_undeclared_action_is_refused_before_anything_is_sent(server, fake):
    with pytest.raises(ValueError, match="kcrs ModifySomethingNew: not declared in the service's action table"):
        make_client(server, fake).call("ModifySomethingNew", {})
    assert server.requests == []


# -- answers and errors --------------------------------------------------------------------------

BWS_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeBandWidthSharesResponse xmlns="http://bws.api.ksyun.com/doc/2016-03-04/">
  <RequestId>9f5a8e8c-xml</RequestId>
  <BandWidthShareSet>
    <item>
      <BandWidthShareId>89869da1</BandWidthShareId>
      <BandWidth>10</BandWidth>
      <AssociateBandWidthShareInfoSet>
        <item><AllocationId>eip-1</AllocationId></item>
        <item><AllocationId>eip-2</AllocationId></item>
      </AssociateBandWidthShareInfoSet>
    </item>
    <item>
      <BandWidthShareId>5d1e</BandWidthShareId>
      <BandWidth>20</BandWidth>
      <AssociateBandWidthShareInfoSet/>
    </item>
  </BandWidthShareSet>
</DescribeBandWidthSharesResponse>"""


def test_xml_answer_without_response_metadata(server, fake):
    server.add((200, {"Content-Type": "application/xml"}, BWS_XML))
    answer = make_client(server, fake, service="bws", version="2016-03-04").call("DescribeBandWidthShares")
    assert answer == {"RequestId": "9f5a8e8c-xml", "BandWidthShareSet": [
        {"BandWidthShareId": "89869da1", "BandWidth": "10",
         "AssociateBandWidthShareInfoSet": [{"AllocationId": "eip-1"}, {"AllocationId": "eip-2"}]},
        {"BandWidthShareId": "5d1e", "BandWidth": "20", "AssociateBandWidthShareInfoSet": []}]}


def test_xml_answer_with_response_metadata():
    answer = parse_xml(b"<CreateNamespaceResponse><ResponseMetadata><RequestId>meta-1</RequestId>"
                       b"</ResponseMetadata><Namespace>ns</Namespace><ExpiredTime/></CreateNamespaceResponse>")
    assert answer == {"RequestId": "meta-1", "Namespace": "ns", "ExpiredTime": None}
    assert parse_xml(b"<html><body>not an API answer</body></html>") is None
    assert parse_xml(b"<Broken") is None


def test_json_error_envelope(server, fake):
    server.add(json_answer(400, {"RequestId": "68093a99", "Error": {
        "Type": "Sender", "Code": "InvalidParameterValue", "Message": "bad PathPrefix"}}))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake).call("DescribeInstance")
    error = caught.value
    assert (error.status, error.code, error.message, error.request_id) == (
        400, "InvalidParameterValue", "bad PathPrefix", "68093a99")
    assert str(error) == "kcrs DescribeInstance failed: InvalidParameterValue: bad PathPrefix (request id 68093a99)"


def test_xml_error_envelope(server, fake):
    server.add((403, {"Content-Type": "text/xml"},
                "<ErrorResponse><RequestId>e1eac1b3</RequestId><Error><Type>Sender</Type>"
                "<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match"
                "</Message></Error></ErrorResponse>"))
    with pytest.raises(CloudError) as caught:
        client = make_client(server, fake, service="bws", version="2016-03-04")
        client.call("DeleteBandWidthShare", {"BandWidthShareId": "b"})
    error = caught.value
    assert (error.status, error.code, error.request_id) == (403, "SignatureDoesNotMatch", "e1eac1b3")
    assert error.message.startswith("The request signature we calculated")


def test_camel_case_error_envelope(server, fake):
    server.add(json_answer(404, {"requestId": "camel-2", "error": {"code": "NotFound", "message": "gone"}}))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake).call("DescribeWebhookTrigger", {"InstanceId": INSTANCE})
    assert (caught.value.code, caught.value.message, caught.value.request_id) == ("NotFound", "gone", "camel-2")


def test_an_unreadable_answer_carrying_a_token_is_unclear_and_not_quoted(server, fake):
    token = "0123456789abcdef0123456789abcdef0123456789abcdef"
    server.add((200, {"Content-Type": "application/json"}, '{"Username": "2000", "Token": "%s' % token))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake).call("CreateInstanceToken", {"InstanceId": INSTANCE, "Desc": "ci"})
    error = caught.value
    assert (error.status, error.code, error.ambiguous) == (200, "InvalidResponse", True)
    assert "not shown (the answer of CreateInstanceToken carries a secret)" in error.message
    assert token[:8] not in str(error) and "Username" not in str(error)


def test_non_json_success_answer_is_a_cloud_error_with_excerpt(server, fake):
    server.add((200, {"Content-Type": "text/html"}, "<html><body>Welcome to nginx!</body></html>"))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake).call("DescribeInstance")
    error = caught.value
    assert error.status == 200 and error.code == "InvalidResponse"
    assert "Welcome to nginx!" in error.message and "text/html" in error.message

    server.add((200, {"Content-Type": "application/json"}, '{"RequestId": "x", "Instance'))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake).call("DescribeInstance")
    assert caught.value.status == 200 and '{"RequestId": "x", "Instance' in caught.value.message


def test_reads_are_retried_on_5xx_but_writes_are_not(server, fake):
    server.add(json_answer(500, {"RequestId": "a", "Error": {"Code": "ServiceUnavailable", "Message": "x"}}),
               ok({"TotalCount": 0}))
    make_client(server, fake).call("DescribeInstance")
    assert len(server.requests) == 2

    server.requests[:] = []
    server.add(json_answer(500, {"RequestId": "b", "Error": {"Code": "ServiceUnavailable", "Message": "x"}}))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake).call("DeleteNamespace", {"InstanceId": INSTANCE, "Namespace": "ns"})
    assert len(server.requests) == 1 and caught.value.request_id == "b"


def test_one_session_and_connection_for_a_clients_calls(server, fake):
    server.repeat_last = True
    server.add(ok({"TotalCount": 0}))
    client = make_client(server, fake)
    for action in ("DescribeInstance", "CreateNamespace", "DescribeNamespace", "DeleteNamespace"):
        client.call(action, {"InstanceId": INSTANCE})
    assert len(server.requests) == 4
    assert len({r.client_port for r in server.requests}) == 1


def test_throttled_write_is_retried(server, fake):
    server.add(json_answer(409, {"RequestId": "t", "Error": {"Code": "LimitExceeded", "Message": "flow control"}}),
               ok({"InstanceId": "new"}))
    assert make_client(server, fake).call("CreateInstance", {"InstanceName": "x"})["InstanceId"] == "new"
    assert len(server.requests) == 2 and fake.sleeps == [0.25]


def test_no_secret_in_errors_or_trace(server, fake):
    lines = []
    server.add(json_answer(403, {"RequestId": "s", "Error": {
        "Code": "InvalidClientTokenId", "Message": "token %s / key %s rejected" % (TOKEN, SK)}}))
    with pytest.raises(CloudError) as caught:
        make_client(server, fake, token=TOKEN, lines=lines).call("DescribeInstance")
    text = str(caught.value) + json.dumps(caught.value.to_dict()) + "\n".join(lines)
    assert SK not in text and TOKEN not in text
    assert len(lines) == 1 and lines[0].startswith("GET %s/?Action=DescribeInstance&Version=2021-11-09 -> 403 "
                                                   "InvalidClientTokenId in " % server.url)


# -- pagination ----------------------------------------------------------------------------------

def paged_listing(total, report_total=True, xml=False, cap=None):
    """A listing server; ``cap`` = the most items it answers per page whatever MaxResults asked
    (it then echoes MaxResults=cap)."""
    items = [{"Namespace": "ns-%03d" % i} for i in range(total)]

    def answer(recorded):
        query = dict(recorded.query)
        marker, size = int(query["Marker"]), int(query["MaxResults"])
        size = min(size, cap or size)
        page = items[marker:marker + size]
        if xml:
            body = "<DescribeNamespaceResponse><RequestId>p</RequestId><TotalCount>%d</TotalCount>" \
                   "<NamespaceSet>%s</NamespaceSet></DescribeNamespaceResponse>" % (
                       total, "".join("<item><Namespace>%s</Namespace></item>" % i["Namespace"] for i in page))
            return (200, {"Content-Type": "application/xml"}, body)
        body = {"RequestId": "p", "Marker": marker, "MaxResults": size, "NamespaceSet": page}
        if report_total:
            body["TotalCount"] = total
        return json_answer(200, body)
    return items, answer


@pytest.mark.parametrize("total, report_total, xml, calls", [
    (300, True, False, 4),
    (300, False, False, 4),
    (297, True, False, 3),  # TotalCount reached: no empty extra page
    (297, False, False, 4),  # without TotalCount one empty page ends the listing
    (0, True, False, 1),
    (150, True, True, 2),
])
def test_paginate_marker_is_a_record_offset(server, fake, total, report_total, xml, calls):
    items, answer = paged_listing(total, report_total, xml)
    server.repeat_last = True
    server.add(answer)
    got = make_client(server, fake).paginate("DescribeNamespace", {"InstanceId": INSTANCE}, "NamespaceSet")
    assert got == items
    assert len(server.requests) == calls
    markers = [int(dict(r.query)["Marker"]) for r in server.requests]
    assert markers == [99 * i for i in range(calls)]
    assert all(dict(r.query)["MaxResults"] == "99" and dict(r.query)["InstanceId"] == INSTANCE
               for r in server.requests)


@pytest.mark.parametrize("total, cap, report_total, calls", [
    (11, 10, True, 2),  # trigger 11 is on the second page of a server that pages at 10
    (198, None, True, 2),  # exact multiples of 99: TotalCount ends it, no empty extra page
    (297, None, True, 3),
    (198, 10, True, 20),
    (297, 50, True, 6),
    (300, 50, True, 6),
    (11, 10, False, 2),  # no TotalCount: a page shorter than the echoed size ends it
    (20, 10, False, 3),  # ... or an empty page
])
def test_paginate_follows_total_count_whatever_page_size_the_server_chose(server, fake, total, cap,
                                                                          report_total, calls):
    items, answer = paged_listing(total, report_total, cap=cap)
    server.repeat_last = True
    server.add(answer)
    got = make_client(server, fake).paginate("DescribeNamespace", {"InstanceId": INSTANCE}, "NamespaceSet")
    assert got == items
    assert len(server.requests) == calls
    step = min(cap or 99, 99)
    assert [int(dict(r.query)["Marker"]) for r in server.requests] == [step * i for i in range(calls)]
    assert all(dict(r.query)["MaxResults"] == "99" for r in server.requests)


# -- construction and options --------------------------------------------------------------------

def test_default_endpoint_has_no_region_and_scope_carries_it():
    client = KsyunClient("kcrs", "2021-11-09", access_key=AK, secret_key=SK, region="cn-shanghai-2",
                         transport=Transport())
    assert client.endpoint == "https://kcrs.api.ksyun.com/"
    added = client._sign("GET", client.endpoint + "?Action=DescribeInstance&Version=2021-11-09",
                         {"Accept": "application/json", "X-Action": "DescribeInstance", "X-Version": "2021-11-09"},
                         None)
    assert "/cn-shanghai-2/kcrs/aws4_request" in added["Authorization"]


def validated(env, **options):
    """Options as AnsibleModule would hand them over (env fallbacks and defaults applied)."""
    spec = ksyun_argument_spec()
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        result = ArgumentSpecValidator(spec).validate(options)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert not result.error_messages
    return result.validated_parameters


def test_env_fallbacks_and_defaults_build_a_client():
    params = validated({"KS_ACCESS_KEY_ID": AK, "KS_SECRET_ACCESS_KEY": SK, "KSYUN_SECURITY_TOKEN": TOKEN,
                        "KSYUN_ENDPOINT_URL": "http://127.0.0.1:9/"})
    assert params["region"] == "cn-beijing-6" and params["timeout"] == 30 and params["retries"] == 10
    client = KsyunClient.from_params(params, "kcrs", "2021-11-09", trace=print)
    assert client.endpoint == "http://127.0.0.1:9/"
    assert client.region == "cn-beijing-6"
    assert client.transport.timeout == (30.0, 30.0) and client.transport.retries == 10
    assert client.transport.verify is True and client.transport.trace is print
    assert {SK, TOKEN} <= client.transport.secrets

    params = validated({"KSYUN_ACCESS_KEY": AK, "KSYUN_SECRET_KEY": SK, "KSYUN_REGION": "cn-shanghai-2"},
                       timeout=5, retries=0, validate_certs=False)
    client = KsyunClient.from_params(params, "bws", "2016-03-04")
    assert (client.region, client.endpoint) == ("cn-shanghai-2", "https://bws.api.ksyun.com/")
    assert client.transport.timeout == (5.0, 5.0) and client.transport.retries == 0
    assert client.transport.verify is False


@pytest.mark.parametrize("change, message", [
    ({"access_key": None}, "access_key: required; set the access_key option or the KSYUN_ACCESS_KEY or "
                           "KS_ACCESS_KEY_ID environment variable"),
    ({"secret_key": ""}, "secret_key: required; set the secret_key option or the KSYUN_SECRET_KEY or "
                         "KS_SECRET_ACCESS_KEY environment variable"),
    ({"access_key": "AK with space"}, "access_key: must be a non-empty string of printable ASCII"),
    ({"secret_key": SK + "\n"}, "secret_key: must be a non-empty string of printable ASCII"),
    ({"region": "Beijing"}, "region: 'Beijing' is not a KSYUN region name"),
    ({"endpoint_url": "ftp://example.com"}, "endpoint_url: must be an http:// or https:// URL"),
    ({"endpoint_url": "localhost:8080"}, "endpoint_url: must be an http:// or https:// URL"),
    ({"timeout": 0}, "timeout: must be greater than 0"),
    ({"timeout": -1.5}, "timeout: must be greater than 0"),
    ({"retries": -1}, "retries: must be 0 or more"),
    ({"ca_bundle": "/nonexistent/ca.pem"}, "ca_bundle: no such file: /nonexistent/ca.pem"),
])
def test_bad_input_names_the_option(change, message):
    params = {"access_key": AK, "secret_key": SK, "region": "cn-beijing-6"}
    params.update(change)
    with pytest.raises(ValueError) as caught:
        KsyunClient.from_params(params, "kcrs", "2021-11-09")
    assert str(caught.value).startswith(message)
    assert SK not in str(caught.value)


def test_known_regions_outside_the_pattern_are_accepted():
    params = {"access_key": AK, "secret_key": SK, "region": "ksyun-global"}
    assert KsyunClient.from_params(params, "kcrs", "2021-11-09").region == "ksyun-global"


# -- documentation matches the argument spec -------------------------------------------------------

def test_doc_fragments_match_the_argument_spec():
    spec = ksyun_argument_spec()
    # The cloud fragment documents the credentials, the transport fragment the rest.
    modules = yaml.safe_load(ksyun_fragment.ModuleDocFragment.DOCUMENTATION)["options"]
    modules.update(yaml.safe_load(transport_fragment.ModuleDocFragment.DOCUMENTATION)["options"])
    plugins = yaml.safe_load(ksyun_fragment.ModuleDocFragment.PLUGINS)["options"]
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
