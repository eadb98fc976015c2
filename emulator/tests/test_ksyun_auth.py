"""KSYUN authentication: SigV4 header and query variants, tokens, and every §A9 auth error."""
import calendar
import copy
import datetime
import time

import pytest
import requests
from kscore.exceptions import ClientError

from ksyun_support import (AK, REGION, SK, STS_AK, STS_SK, call, client, client_error, error_of,
                           ok)

EXAMPLE_AK = "AKLTEXAMPLEAKID0001"
EXAMPLE_SK = "ExampleSecretKey0001ExampleSecretKey0001"
EXAMPLE_TIME = datetime.datetime(2024, 1, 15, 8, 30, 0)


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


@pytest.fixture
def example_account(emulator):
    """The reference's worked-example credentials, with the clock at 2024-01-15 08:30:00 UTC."""
    section = copy.deepcopy(emulator.emu.fixtures["ksyun"])
    section["access_keys"].append({"access_key": EXAMPLE_AK, "secret_key": EXAMPLE_SK,
                                   "security_tokens": ["STSEXAMPLETOKEN"]})
    section["bws"]["lines"].append({"LineId": "15e957ff-5e64-4577-946c-4a396528c67a"})
    emulator.admin("POST", "/__admin/reset", {"ksyun": section})
    offset = calendar.timegm(EXAMPLE_TIME.timetuple()) - time.time()
    emulator.admin("POST", "/__admin/settings", {"clock_offset": offset})
    return emulator


def _raw(emulator, method, target, headers, body=None):
    return requests.request(method, emulator.url + target, headers=headers, data=body,
                            timeout=10)


def _kcrs_headers(action, signature, extra_signed="", token=None):
    headers = {"Host": "kcrs.api.ksyun.com", "Accept": "application/json", "X-Action": action,
               "X-Version": "2021-11-09", "X-Amz-Date": "20240115T083000Z",
               "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20240115/cn-beijing-6/kcrs/"
                                "aws4_request, SignedHeaders=accept;host;x-action;x-amz-date;%s"
                                "x-version, Signature=%s" % (EXAMPLE_AK, extra_signed, signature)}
    if token:
        headers["X-Amz-Security-Token"] = token
    return headers


EXAMPLE_QUERY = ("/?Action=DescribeInstance&Version=2021-11-09&MaxResults=10"
                 "&InstanceId.1=c0c8391f-d9ad-47fd-96bb-000000000000")


def test_reference_worked_example_is_accepted_byte_for_byte(example_account):
    sig = "8f68b58c4d4468a15f2c98e6f2d78ee9295a80c1361bc7dfdac2bdb35efb769e"
    response = _raw(example_account, "GET", EXAMPLE_QUERY, _kcrs_headers("DescribeInstance", sig))
    body = ok(response)
    assert body["TotalCount"] == 0 and body["MaxResults"] == 10 and body["InstanceSet"] == []


def test_reference_example_with_one_signature_digit_changed_is_rejected(example_account):
    sig = "8f68b58c4d4468a15f2c98e6f2d78ee9295a80c1361bc7dfdac2bdb35efb769f"
    response = _raw(example_account, "GET", EXAMPLE_QUERY, _kcrs_headers("DescribeInstance", sig))
    assert error_of(response) == (403, "SignatureDoesNotMatch", "The request signature we "
                                  "calculated does not match the signature you provided.")


def test_reference_example_host_is_signed_with_what_was_sent(example_account):
    sig = "8f68b58c4d4468a15f2c98e6f2d78ee9295a80c1361bc7dfdac2bdb35efb769e"
    headers = _kcrs_headers("DescribeInstance", sig)
    headers["Host"] = "kcrs.api.ksyun.com:443"
    response = _raw(example_account, "GET", EXAMPLE_QUERY, headers)
    assert error_of(response)[1] == "SignatureDoesNotMatch"


def test_reference_example_with_security_token(example_account):
    sig = "4e0d66d82921f72a881677e958416caa3a5fb31492ef8c2586f58a948336f2ba"
    headers = _kcrs_headers("DescribeInstance", sig, "x-amz-security-token;",
                            token="STSEXAMPLETOKEN")
    assert ok(_raw(example_account, "GET", EXAMPLE_QUERY, headers))["TotalCount"] == 0
    headers["X-Amz-Security-Token"] = "OTHERTOKEN"
    response = _raw(example_account, "GET", EXAMPLE_QUERY, headers)
    assert error_of(response)[:2] == (403, "InvalidClientTokenId")


def test_reference_post_example_creates_the_instance(example_account):
    sig = "02e0949b98a5000608b9587353a5074f9a825b699200d0e9ab1e9a804d433617"
    headers = _kcrs_headers("CreateInstance", sig)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = ("Action=CreateInstance&Version=2021-11-09&InstanceName=demo-registry"
            "&InstanceType=basic&ChargeType=HourlyInstantSettlement")
    created = ok(_raw(example_account, "POST", "/", headers, body))
    store = example_account.emu.store
    assert store.get("kcrs.instance", created["InstanceId"])["InstanceName"] == "demo-registry"


def test_reference_bws_example_with_token(example_account):
    headers = {"Host": "bws.api.ksyun.com", "Accept": "application/json",
               "X-Action": "CreateBandWidthShare", "X-Version": "2016-03-04",
               "X-Amz-Date": "20240115T083000Z", "X-Amz-Security-Token": "STSEXAMPLETOKEN",
               "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20240115/cn-beijing-6/bws/"
                                "aws4_request, SignedHeaders=accept;host;x-action;x-amz-date;"
                                "x-amz-security-token;x-version, Signature=5a78112bdd34ed5ef9b3"
                                "405b07a5b1a2ef73faf6cd6c89bb34cb5d7ca26fef76" % EXAMPLE_AK}
    target = ("/?Action=CreateBandWidthShare&Version=2016-03-04&LineId=15e957ff-5e64-4577-946c-"
              "4a396528c67a&BandWidth=10&ChargeType=Peak")
    body = ok(_raw(example_account, "GET", target, headers))
    assert body["BandWidth"] == 10 and body["LineId"] == "15e957ff-5e64-4577-946c-4a396528c67a"


def test_reference_presigned_example(example_account):
    target = ("/?Action=DescribeBandWidthShares&Version=2016-03-04&BandWidthShareId.1=89869da1-"
              "c601-426a-914f-d9287bcc7b80&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
              "AKLTEXAMPLEAKID0001%2F20240115%2Fcn-beijing-6%2Fbws%2Faws4_request&X-Amz-Date="
              "20240115T083000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=accept%3Bhost%3Bx-action"
              "%3Bx-version&X-Amz-Signature=fb38dcf4935a3a5c01c675fe04bcd57d64fd94ad186fed0b6887"
              "cf46b1955221")
    headers = {"Host": "bws.api.ksyun.com", "Accept": "application/json",
               "X-Action": "DescribeBandWidthShares", "X-Version": "2016-03-04"}
    assert ok(_raw(example_account, "GET", target, headers))["BandWidthShareSet"] == []
    assert example_account.emu.stats.get("bws:DescribeBandWidthShares") == 1


def test_kscore_header_and_presigned_clients_are_accepted(emulator):
    header = client(emulator, "kcrs")
    presigned = client(emulator, "kcrs", presign=True)
    created = presigned.create_instance(InstanceName="presigned", InstanceType="basic")
    listed = header.describe_instance(**{"InstanceId.1": created["InstanceId"]})
    assert listed["InstanceSet"][0]["InstanceName"] == "presigned"
    assert presigned.describe_instance()["TotalCount"] == 1


def test_wrong_secret_gives_signature_does_not_match(emulator):
    kcrs = client(emulator, "kcrs", sk="not-the-secret")
    with pytest.raises(ClientError) as exc:
        kcrs.describe_instance()
    assert client_error(exc) == (403, "SignatureDoesNotMatch", "The request signature we "
                                 "calculated does not match the signature you provided.")


def test_tampered_parameter_breaks_the_signature(emulator):
    def tamper(request):
        request.url = request.url.replace("MaxResults=5", "MaxResults=6")
    response = call(emulator, "kcrs", "DescribeInstance", {"MaxResults": "5"}, mutate=tamper)
    assert error_of(response)[:2] == (403, "SignatureDoesNotMatch")


def test_tampered_post_body_breaks_the_signature(emulator):
    def tamper(request):
        request.data = request.data.replace("basic", "premium")
    response = call(emulator, "kcrs", "CreateInstance",
                    {"InstanceName": "x1", "InstanceType": "basic"}, method="POST", mutate=tamper)
    assert error_of(response)[:2] == (403, "SignatureDoesNotMatch")
    assert emulator.emu.store.count("kcrs.instance") == 0


def test_unknown_access_key(emulator):
    kcrs = client(emulator, "kcrs", ak="AKLTNOBODY")
    with pytest.raises(ClientError) as exc:
        kcrs.describe_instance()
    assert client_error(exc) == (403, "InvalidClientTokenId",
                                 "The security token included in the request is invalid.")


def test_missing_authentication(emulator):
    response = requests.get(emulator.url + "/?Action=DescribeInstance&Version=2021-11-09",
                            headers={"Accept": "application/json"}, timeout=10)
    assert error_of(response) == (403, "MissingAuthenticationToken",
                                  "Request is missing Authentication Token.")


@pytest.mark.parametrize("minutes", [-16, 16])
def test_signature_more_than_15_minutes_off_is_expired(emulator, minutes):
    when = _now() + datetime.timedelta(minutes=minutes)
    status, code, message = error_of(call(emulator, "kcrs", "DescribeInstance", when=when))
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert message.startswith("Signature expired:" + when.strftime("%Y%m%dT%H%M%SZ"))


@pytest.mark.parametrize("minutes", [-14, 14])
def test_signature_within_15_minutes_is_accepted(emulator, minutes):
    when = _now() + datetime.timedelta(minutes=minutes)
    assert ok(call(emulator, "kcrs", "DescribeInstance", when=when))["TotalCount"] == 0


def _replace_auth(old, new):
    def mutate(request):
        request.headers.replace_header("Authorization",
                                       request.headers["Authorization"].replace(old, new))
    return mutate


@pytest.mark.parametrize("old,new,message", [
    ("/aws4_request", "/aws4_requests",
     "Credential should be scoped with a valid terminator: 'aws4_request', not: aws4_requests."),
    ("/cn-beijing-6/", "/mars-north-1/",
     "Credential should be scoped to a valid region, not:mars-north-1."),
    ("/kcrs/", "/kec/", "Credential should be scoped to correct service: kec."),
    ("SignedHeaders=accept;host;", "SignedHeaders=accept;",
     "'Host' must be a 'SignedHeader' in the Authorization."),
])
def test_bad_credential_scope_and_signed_headers(emulator, old, new, message):
    response = call(emulator, "kcrs", "DescribeInstance", mutate=_replace_auth(old, new))
    assert error_of(response) == (403, "SignatureDoesNotMatch", message)


def test_scope_date_must_match_request_date(emulator):
    def mutate(request):
        stamp = request.headers["X-Amz-Date"]
        day = datetime.datetime.strptime(stamp[:8], "%Y%m%d") - datetime.timedelta(days=1)
        value = request.headers["Authorization"].replace("/%s/" % stamp[:8],
                                                         "/%s/" % day.strftime("%Y%m%d"))
        request.headers.replace_header("Authorization", value)
    assert error_of(call(emulator, "kcrs", "DescribeInstance", mutate=mutate)) == (
        403, "SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from "
        "ISO-8601 version of date from HTTP.")


@pytest.mark.parametrize("mutate,message", [
    (_replace_auth("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA512 "),
     "Unsupported ksc 'algorithm': AWS4-HMAC-SHA512."),
    (_replace_auth(", Signature=", ", Signature"), "Authorization header format error."),
    (_replace_auth("/%s/kcrs" % REGION, "/kcrs"),
     "Credential must have exactly 5 slash-delimited elements, e.g. "
     "accesskeyid/date/region/service/aws4_request, got: "),
])
def test_malformed_authorization_is_incomplete_signature(emulator, mutate, message):
    status, code, text = error_of(call(emulator, "kcrs", "DescribeInstance", mutate=mutate))
    assert (status, code) == (400, "IncompleteSignature")
    assert text.startswith(message)


def test_authorization_without_signature_names_the_missing_part(emulator):
    def mutate(request):
        value = request.headers["Authorization"]
        request.headers.replace_header("Authorization", value[:value.index(", Signature=")])
    status, code, text = error_of(call(emulator, "kcrs", "DescribeInstance", mutate=mutate))
    assert (status, code) == (400, "IncompleteSignature")
    assert text.startswith("Authorization header requires 'Signature' parameter. Authorization=")


def test_bad_date_format(emulator):
    def mutate(request):
        request.headers.replace_header("X-Amz-Date", "2024-01-15T08:30:00Z")
    assert error_of(call(emulator, "kcrs", "DescribeInstance", mutate=mutate)) == (
        400, "IncompleteSignature", "Date must be in ISO-8601 'basic format'. Got "
        "'2024-01-15T08:30:00Z'. See http://en.wikipedia.org/wiki/ISO_8601.")


def test_missing_date_header(emulator):
    def mutate(request):
        del request.headers["X-Amz-Date"]
    status, code, text = error_of(call(emulator, "kcrs", "DescribeInstance", mutate=mutate))
    assert (status, code) == (400, "IncompleteSignature")
    assert text.startswith("Authorization header requires existence of either a 'X-Amz-Date' "
                           "or a 'Date' header")


@pytest.mark.parametrize("param", ["X-Amz-Algorithm", "X-Amz-SignedHeaders", "X-Amz-Date"])
def test_presigned_request_missing_a_parameter(emulator, param):
    def mutate(request):
        parts = [p for p in request.url.split("&") if not p.startswith(param + "=")]
        request.url = "&".join(parts)
    assert error_of(call(emulator, "kcrs", "DescribeInstance", presign=True, mutate=mutate)) == (
        400, "IncompleteSignature", "KSC query-string parameters must include %s. Re-examine "
        "the query-string parameters." % param)


def test_presigned_request_expires_after_x_amz_expires(emulator):
    when = _now() - datetime.timedelta(minutes=61)  # kscore/botocore presign for 3600 s
    status, code, message = error_of(call(emulator, "kcrs", "DescribeInstance", presign=True,
                                          when=when))
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert message.startswith("Signature expired:")
    recent = _now() - datetime.timedelta(minutes=59)
    assert ok(call(emulator, "kcrs", "DescribeInstance", presign=True, when=recent))


def test_sts_key_requires_a_token_and_accepts_any(emulator):
    without = client(emulator, "bws", ak=STS_AK, sk=STS_SK)
    with pytest.raises(ClientError) as exc:
        without.describe_band_width_shares()
    assert client_error(exc)[:2] == (403, "InvalidClientTokenId")
    with_token = client(emulator, "bws", ak=STS_AK, sk=STS_SK, token="any-session-token")
    assert with_token.describe_band_width_shares()["BandWidthShareSet"] == []


def test_long_term_key_rejects_a_token(emulator):
    response = call(emulator, "kcrs", "DescribeInstance", token="unexpected")
    assert error_of(response)[:2] == (403, "InvalidClientTokenId")


def test_token_in_presigned_query(emulator):
    response = call(emulator, "kcrs", "DescribeInstance", ak=STS_AK, sk=STS_SK,
                    token="presigned-token", presign=True)
    assert ok(response)["TotalCount"] == 0
    assert "X-Amz-Security-Token=presigned-token" in response.request.url


def test_auth_errors_are_xml_without_accept_json(emulator):
    response = call(emulator, "kcrs", "DescribeInstance", sk="wrong", accept=None)
    assert response.headers["Content-Type"].startswith("application/xml")
    assert error_of(response)[:2] == (403, "SignatureDoesNotMatch")
    assert b"<Type>Sender</Type>" in response.content


def test_request_routed_by_scope_service_not_host(emulator):
    # A bws-scoped request answers bws actions whatever the Host.
    response = call(emulator, "bws", "DescribeBandWidthShares", headers={"X-Extra": "1"})
    assert "BandWidthShareSet" in ok(response)
    response = call(emulator, "bws", "DescribeInstance")
    assert error_of(response)[:2] == (404, "NoSuchEntity")


def test_secrets_never_appear_in_error_answers(emulator):
    response = call(emulator, "kcrs", "DescribeInstance", sk="wrong")
    assert SK not in response.text and "wrong" not in response.text
    assert AK not in error_of(response)[2]
