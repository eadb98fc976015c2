# -*- coding: utf-8 -*-
"""KSYUN worked signing examples (inputs and expected values below, as kscore signs them), and the
signer's contract: what it adds, what it replaces, what it leaves out of the signature."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils import sigv4

AK = "AKLTEXAMPLEAKID0001"
SK = "ExampleSecretKey0001ExampleSecretKey0001"
WHEN = datetime.datetime(2024, 1, 15, 8, 30, 0)
KCRS = dict(access_key=AK, secret_key=SK, region="cn-beijing-6", service="kcrs", timestamp=WHEN)
DESCRIBE_URL = ("https://kcrs.api.ksyun.com/?Action=DescribeInstance&Version=2021-11-09&MaxResults=10"
                "&InstanceId.1=c0c8391f-d9ad-47fd-96bb-000000000000")
KSCORE_USER_AGENT = "KSCore/1.3.65 Python/3.11.7 Linux/6.1.0"


def kscore_headers(action, version="2021-11-09"):
    return {"Accept": "application/json", "X-Action": action, "X-Version": version,
            "User-Agent": KSCORE_USER_AGENT}


def authorization(scope, signed, signature):
    return "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (AK, scope, signed, signature)


def test_describe_instance_worked_example():
    headers = kscore_headers("DescribeInstance")
    added = sigv4.sign("GET", DESCRIBE_URL, headers, None, **KCRS)

    assert added == {
        "X-Amz-Date": "20240115T083000Z",
        "Authorization": authorization(
            "20240115/cn-beijing-6/kcrs/aws4_request", "accept;host;x-action;x-amz-date;x-version",
            "8f68b58c4d4468a15f2c98e6f2d78ee9295a80c1361bc7dfdac2bdb35efb769e"),
    }
    sent = dict(headers, **{"X-Amz-Date": added["X-Amz-Date"]})
    canonical = sigv4.canonical_request("GET", DESCRIBE_URL, sent, None)
    assert canonical == "\n".join([
        "GET",
        "/",
        "Action=DescribeInstance&InstanceId.1=c0c8391f-d9ad-47fd-96bb-000000000000&MaxResults=10"
        "&Version=2021-11-09",
        "accept:application/json",
        "host:kcrs.api.ksyun.com",
        "x-action:DescribeInstance",
        "x-amz-date:20240115T083000Z",
        "x-version:2021-11-09",
        "",
        "accept;host;x-action;x-amz-date;x-version",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ])
    assert sigv4.string_to_sign(canonical, "20240115T083000Z", "20240115/cn-beijing-6/kcrs/aws4_request") == (
        "AWS4-HMAC-SHA256\n20240115T083000Z\n20240115/cn-beijing-6/kcrs/aws4_request\n"
        "4d7fe16b2d3b67c0f3da6c5e28d300f152763ace3cc802b842659cb2f5f89ef6")


def test_describe_instance_with_session_token():
    added = sigv4.sign("GET", DESCRIBE_URL, kscore_headers("DescribeInstance"), None,
                       security_token="STSEXAMPLETOKEN", **KCRS)
    assert added["X-Amz-Security-Token"] == "STSEXAMPLETOKEN"
    assert added["Authorization"] == authorization(
        "20240115/cn-beijing-6/kcrs/aws4_request", "accept;host;x-action;x-amz-date;x-amz-security-token;x-version",
        "4e0d66d82921f72a881677e958416caa3a5fb31492ef8c2586f58a948336f2ba")


@pytest.mark.parametrize("body", [
    "Action=CreateInstance&Version=2021-11-09&InstanceName=demo-registry&InstanceType=basic"
    "&ChargeType=HourlyInstantSettlement",
    b"Action=CreateInstance&Version=2021-11-09&InstanceName=demo-registry&InstanceType=basic"
    b"&ChargeType=HourlyInstantSettlement",
])
def test_create_instance_post_worked_example(body):
    assert sigv4.payload_hash({}, body) == "b4d74529ef0376db48f14111683e9fd0a73f5e3f08fb97ce9b767bd5e6e5f81d"
    added = sigv4.sign("POST", "https://kcrs.api.ksyun.com/", kscore_headers("CreateInstance"), body, **KCRS)
    assert added["Authorization"] == authorization(
        "20240115/cn-beijing-6/kcrs/aws4_request", "accept;host;x-action;x-amz-date;x-version",
        "02e0949b98a5000608b9587353a5074f9a825b699200d0e9ab1e9a804d433617")


def test_bws_create_band_width_share_with_token():
    url = ("https://bws.api.ksyun.com/?Action=CreateBandWidthShare&Version=2016-03-04"
           "&LineId=15e957ff-5e64-4577-946c-4a396528c67a&BandWidth=10&ChargeType=Peak")
    added = sigv4.sign("GET", url, kscore_headers("CreateBandWidthShare", "2016-03-04"), None,
                       access_key=AK, secret_key=SK, region="cn-beijing-6", service="bws", timestamp=WHEN,
                       security_token="STSEXAMPLETOKEN")
    assert added["Authorization"] == authorization(
        "20240115/cn-beijing-6/bws/aws4_request", "accept;host;x-action;x-amz-date;x-amz-security-token;x-version",
        "5a78112bdd34ed5ef9b3405b07a5b1a2ef73faf6cd6c89bb34cb5d7ca26fef76")


def test_signing_key_is_the_sigv4_derivation():
    # AWS's documented example key derivation (IAM, us-east-1, 20150830)
    key = sigv4.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
    assert key.hex() == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"


def test_stale_signature_headers_are_replaced_not_signed():
    headers = kscore_headers("DescribeInstance")
    fresh = sigv4.sign("GET", DESCRIBE_URL, headers, None, **KCRS)
    stale = dict(headers, **{"authorization": "AWS4-HMAC-SHA256 old", "x-amz-date": "20000101T000000Z"})
    assert sigv4.sign("GET", DESCRIBE_URL, stale, None, **KCRS) == fresh


def test_an_empty_token_is_no_token():
    plain = sigv4.sign("GET", DESCRIBE_URL, kscore_headers("DescribeInstance"), None, **KCRS)
    assert sigv4.sign("GET", DESCRIBE_URL, kscore_headers("DescribeInstance"), None, security_token="", **KCRS) == plain


def test_a_token_header_without_a_token_is_signed_as_given():
    headers = dict(kscore_headers("DescribeInstance"), **{"X-Amz-Security-Token": "STSEXAMPLETOKEN"})
    added = sigv4.sign("GET", DESCRIBE_URL, headers, None, **KCRS)
    assert "X-Amz-Security-Token" not in added
    assert added["Authorization"] == sigv4.sign("GET", DESCRIBE_URL, kscore_headers("DescribeInstance"), None,
                                                security_token="STSEXAMPLETOKEN", **KCRS)["Authorization"]


def test_user_agent_and_hop_by_hop_headers_are_not_signed():
    headers = dict(kscore_headers("DescribeInstance"), Expect="100-continue", Connection="keep-alive")
    added = sigv4.sign("GET", DESCRIBE_URL, headers, None, **KCRS)
    assert "SignedHeaders=accept;host;x-action;x-amz-date;x-version," in added["Authorization"]


def test_a_date_header_is_redated_and_replaces_x_amz_date():
    headers = dict(kscore_headers("DescribeInstance"), Date="Thu, 01 Jan 1970 00:00:00 GMT")
    added = sigv4.sign("GET", DESCRIBE_URL, headers, None, **KCRS)
    assert added["Date"] == "Mon, 15 Jan 2024 08:30:00 -0000"
    assert "X-Amz-Date" not in added
    assert "SignedHeaders=accept;date;host;x-action;x-version," in added["Authorization"]


def test_headers_may_be_pairs_and_repeated_names_keep_their_order():
    url = "https://kcrs.api.ksyun.com/"
    pairs = [("X-Multi", "b"), ("x-multi", " a  c ")]
    canonical = sigv4.canonical_request("GET", url, pairs, None)
    assert "\nx-multi:b,a c\n" in canonical
    assert sigv4.sign("GET", url, pairs, None, **KCRS) != sigv4.sign("GET", url, pairs[::-1], None, **KCRS)


def test_the_query_is_sorted_but_never_re_encoded():
    assert sigv4.canonical_query("b=2&a=%20x&a=+y&c&%E5%90%8D=v") == "%E5%90%8D=v&a=%20x&a=+y&b=2&c="
    assert sigv4.canonical_query("") == ""


def test_an_explicit_content_hash_header_is_used_as_the_payload_hash():
    assert sigv4.payload_hash({"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}, b"data") == "UNSIGNED-PAYLOAD"
    assert sigv4.payload_hash({}, None) == sigv4.payload_hash({}, "") == sigv4.EMPTY_SHA256


def test_the_path_is_normalised_then_quoted():
    assert sigv4.canonical_uri("") == "/"
    assert sigv4.canonical_uri("//a/./b/../c//") == "/a/c/"
    assert sigv4.canonical_uri("/ünï code/$x") == "/%C3%BCn%C3%AF%20code/%24x"
