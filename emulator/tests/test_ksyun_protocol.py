"""The KSYUN query protocol: parameters, methods, versions, envelopes, XML and JSON."""
import json
import xml.etree.ElementTree as ET

from urllib.parse import urlencode

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from ksyun_support import AK, EIPS, LINE, SK, call, client, error_of, ok

BWS_NS = "{http://bws.api.ksyun.com/doc/2016-03-04/}"


def test_get_and_post_are_both_accepted_for_any_action(emulator):
    assert ok(call(emulator, "kcrs", "DescribeInstance", method="POST"))["TotalCount"] == 0
    created = ok(call(emulator, "kcrs", "CreateInstance",
                      {"InstanceName": "by-get", "InstanceType": "basic"}, method="GET"))
    assert emulator.emu.store.get("kcrs.instance", created["InstanceId"]) is not None


def _signed(emulator, method, target, body=None, headers=None):
    request = AWSRequest(method, emulator.url + target, data=body, headers=headers or {})
    SigV4Auth(Credentials(AK, SK), "kcrs", "cn-beijing-6").add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, headers=dict(prepared.headers),
                            data=prepared.body, timeout=10)


def test_query_and_body_are_merged_as_ksc_sdk_go_sends_them(emulator):
    # ksc-sdk-go POSTs Action/Version in the query and everything again in the body; when a
    # key is in both, the body wins.
    body = urlencode({"Action": "DescribeInstance", "Version": "2021-11-09", "MaxResults": "3"})
    response = _signed(emulator, "POST", "/?Action=DescribeInstance&Version=2021-11-09&"
                       "MaxResults=9", body,
                       {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                        "Accept": "application/json"})
    assert ok(response)["MaxResults"] == 3


def test_json_body_is_accepted(emulator):
    body = json.dumps({"Action": "CreateInstance", "Version": "2021-11-09",
                       "InstanceName": "from-json", "InstanceType": "premium"})
    created = ok(_signed(emulator, "POST", "/", body,
                         {"Content-Type": "application/json; charset=utf-8",
                          "Accept": "application/json"}))
    doc = emulator.emu.store.get("kcrs.instance", created["InstanceId"])
    assert doc["InstanceType"] == "premium"


def test_action_and_version_from_headers(emulator):
    response = _signed(emulator, "GET", "/?MaxResults=4",
                       headers={"X-Action": "DescribeInstance", "X-Version": "2021-11-09",
                                "Accept": "application/json"})
    assert ok(response)["MaxResults"] == 4
    assert emulator.emu.stats.get("kcrs:DescribeInstance") == 1


def test_missing_action_and_wrong_version(emulator):
    response = call(emulator, "kcrs", "", {})
    assert error_of(response) == (400, "MissingParameter",
                                  "An value must be supplied for the input parameter Action.")
    response = call(emulator, "kcrs", "DescribeInstance", {"Version": "2016-03-04"})
    assert error_of(response) == (400, "InvalidParameterValue", "An invalid or out-of-range "
                                  "value was supplied for the input parameter Version.")


def test_unknown_action(emulator):
    assert error_of(call(emulator, "kcrs", "DescribeEverything")) == (
        404, "NoSuchEntity",
        "Request was rejected because it referenced an 'InnerApi' that does not exist.")


def test_invalid_http_method(emulator):
    response = call(emulator, "kcrs", "DescribeInstance", method="PUT")
    assert error_of(response) == (400, "InvalidMethod",
                                  "The method PUT for is not valid for this web service.")


def test_missing_and_invalid_parameters_use_the_common_messages(emulator):
    response = call(emulator, "kcrs", "CreateInstance", {"InstanceType": "basic"})
    assert error_of(response) == (400, "MissingParameter", "An value must be supplied for the "
                                  "input parameter InstanceName.")
    response = call(emulator, "kcrs", "CreateInstance",
                    {"InstanceName": "ok-name", "InstanceType": "deluxe"})
    assert error_of(response) == (400, "InvalidParameterValue", "An invalid or out-of-range "
                                  "value was supplied for the input parameter InstanceType.")


@pytest.mark.parametrize("value", ["100", "0", "-1", "ten"])
def test_max_results_outside_1_to_99_is_invalid(emulator, value):
    response = call(emulator, "kcrs", "DescribeInstance", {"MaxResults": value})
    assert error_of(response)[:2] == (400, "InvalidParameterValue")
    assert "MaxResults" in error_of(response)[2]


def test_dry_run_validates_and_does_nothing(emulator):
    response = call(emulator, "kcrs", "CreateInstance",
                    {"InstanceName": "dry", "InstanceType": "basic", "DryRun": "true"})
    assert error_of(response) == (412, "DryRunOperation",
                                  "Request would have succeeded, but DryRun flag is set")
    assert emulator.emu.store.count("kcrs.instance") == 0
    response = call(emulator, "kcrs", "CreateInstance",
                    {"InstanceName": "dry", "InstanceType": "x", "DryRun": "true"})
    assert error_of(response)[1] == "InvalidParameterValue"


def test_xml_answer_follows_the_bws_samples(emulator):
    bws = client(emulator, "bws")
    share = bws.create_band_width_share(LineId=LINE, BandWidth=10, ChargeType="Peak")
    bws.associate_band_width_share(BandWidthShareId=share["BandWidthShareId"],
                                   AllocationId=EIPS[0])
    response = call(emulator, "bws", "DescribeBandWidthShares", accept=None)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == BWS_NS + "DescribeBandWidthSharesResponse"
    assert root.find(BWS_NS + "RequestId").text == response.headers["X-KSC-Request-Id"]
    items = root.findall("%sBandWidthShareSet/%sitem" % (BWS_NS, BWS_NS))
    assert len(items) == 1
    item = items[0]
    assert item.find(BWS_NS + "BandWidthShareId").text == share["BandWidthShareId"]
    assert item.find(BWS_NS + "BandWidth").text == "10"
    eips = item.findall("%sAssociateBandWidthShareInfoSet/%sitem/%sAllocationId"
                        % (BWS_NS, BWS_NS, BWS_NS))
    assert [e.text for e in eips] == [EIPS[0]]


def test_xml_booleans_and_nulls(emulator):
    bws = client(emulator, "bws")
    share = bws.create_band_width_share(LineId=LINE, BandWidth=3, ChargeType="Daily")
    response = call(emulator, "bws", "DeleteBandWidthShare",
                    {"BandWidthShareId": share["BandWidthShareId"]}, accept="application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == BWS_NS + "DeleteBandWidthShareResponse"
    assert root.find(BWS_NS + "Return").text == "true"
    kcrs = client(emulator, "kcrs")
    kcrs.create_instance(InstanceName="xml-null", InstanceType="basic")
    response = call(emulator, "kcrs", "DescribeInstance", accept=None)
    root = ET.fromstring(response.content)
    ns = "{http://kcrs.api.ksyun.com/doc/2021-11-09/}"
    item = root.find("%sInstanceSet/%sitem" % (ns, ns))
    assert item.find(ns + "ExpiredTime").text is None
    assert item.find(ns + "InstanceName").text == "xml-null"


def test_json_error_envelope_as_kscore_reads_it(emulator):
    response = call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": "nope"})
    body = response.json()
    assert body["RequestId"] == response.headers["X-KSC-Request-Id"]
    assert body["Error"] == {"Type": "Sender", "Code": "BandWidthShareNotFound",
                             "Message": "The shared bandwidth nope does not exist."}


def test_list_index_out_of_range_is_a_malformed_query_parameter(emulator):
    response = call(emulator, "kcrs", "DescribeInstance", {"InstanceId.101": "x"})
    assert error_of(response) == (400, "InvalidQueryParameter", "The query parameter "
                                  "InstanceId.101 is malformed or does not adhere to KSC "
                                  "standards.")


def test_booleans_accepted_in_any_case(emulator):
    for value in ("True", "true", "TRUE", "1"):
        emulator.emu.reset(overrides={})
        response = call(emulator, "kcrs", "DescribeInstance", {"DryRun": value})
        assert error_of(response)[0] == 412
    response = call(emulator, "kcrs", "DescribeInstance", {"DryRun": "yes"})
    assert error_of(response)[:2] == (400, "InvalidParameterValue")
