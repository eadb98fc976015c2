# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: retries, backoff, Retry-After, deadline, error mapping, tracing - over real HTTP."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import ssl

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.cloud_options import (
    DEADLINE,
    DEFAULT_RETRIES,
    build_transport,
    check_transport_options,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import (
    UNANSWERED_HTTP_RETRIES,
    UNREACHABLE_RETRIES,
    CloudError,
    parse_retry_after,
    redact_url,
    retry_kind,
    throttle_window,
)
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import (
    DROP,
    LocalServer,
    Stall,
    Truncated,
    closed_port,
    fake_transport,
    json_answer,
)

from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import FakeClock

SECRET = "SuperSecretKey/with+chars=="


def json_error(response):
    """A minimal parse_error for KSYUN-style and Huawei-style JSON errors."""
    body = json.loads(response.content.decode("utf-8"))
    if "error_code" in body:
        return body["error_code"], body["error_msg"], None
    error = body.get("Error", {})
    return error.get("Code"), error.get("Message"), body.get("RequestId")


make_transport = fake_transport


@pytest.fixture
def clock():
    return FakeClock(start=1000.0)


def call(transport, server, method="GET", path="/", idempotent=True, sign=None, **kwargs):
    return transport.request(method, server.url + path, headers={"Accept": "application/json"}, body=None,
                             sign=sign, service="kcrs", operation="DescribeInstance", parse_error=json_error,
                             idempotent=idempotent, **kwargs)


def throttled():
    return json_answer(409, {"RequestId": "r-throttle", "Error": {"Code": "LimitExceeded", "Message": "slow down"}})


def test_success_returns_body_status_and_headers(server, clock):
    server.add(json_answer(200, {"RequestId": "r1", "Ok": True}, {"X-Request-Id": "r1"}))
    response = call(make_transport(clock), server, path="/?Action=DescribeInstance")
    assert response.status_code == 200
    assert json.loads(response.content) == {"RequestId": "r1", "Ok": True}
    assert response.headers["X-Request-Id"] == "r1"
    sent = server.requests[0]
    assert (sent.method, sent.path, sent.query) == ("GET", "/", [("Action", "DescribeInstance")])
    assert sent.header("Accept") == "application/json"
    assert sent.header("User-Agent").startswith("cloudops.multicloud/")
    assert clock.sleeps == []


def test_every_attempt_is_signed_afresh(server, clock):
    server.add(throttled(), throttled(), json_answer(200, {}))
    seen = []

    def sign(method, url, headers, body):
        seen.append((method, url, dict(headers), body))
        return {"Authorization": "sig-%d" % len(seen)}

    call(make_transport(clock), server, sign=sign, idempotent=False)
    assert [r.header("Authorization") for r in server.requests] == ["sig-1", "sig-2", "sig-3"]
    # The signer saw the headers that were sent, User-Agent included.
    assert seen[0][2]["Accept"] == "application/json" and "User-Agent" in seen[0][2]


def test_write_retried_when_throttled_with_full_jitter_backoff(server, clock):
    server.add(throttled(), throttled(), throttled(), json_answer(200, {"Done": 1}))
    response = call(make_transport(clock), server, method="POST", idempotent=False)
    assert json.loads(response.content) == {"Done": 1}
    assert len(server.requests) == 4
    # rand() = 0.5: half of min(cap 20, 0.5 * 2^(n-1)).
    assert clock.sleeps == [0.25, 0.5, 1.0]


def test_backoff_is_capped(server, clock):
    server.repeat_last = True
    server.add(json_answer(503, {"Error": {"Code": "ServiceUnavailable", "Message": "x"}}))
    transport = make_transport(clock, retries=8, deadline=10000)
    with pytest.raises(CloudError):
        call(transport, server)
    assert clock.sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_huawei_429_and_apigw_code_are_throttling(server, clock):
    server.add(json_answer(429, {"error_code": "APIGW.0308", "error_msg": "throttled"}),
               json_answer(200, {}))
    call(make_transport(clock), server, method="POST", idempotent=False)
    assert len(server.requests) == 2
    assert retry_kind(429, None) == "throttled"
    assert retry_kind(403, "APIGW.0308") == "throttled"
    assert retry_kind(409, "LimitExceeded") == "throttled"
    assert retry_kind(409, "Conflict") is None
    assert retry_kind(502, None) == "server"
    assert retry_kind(404, "NotFound") is None


def test_write_not_retried_after_5xx(server, clock):
    server.add(json_answer(500, {"RequestId": "r5", "Error": {"Code": "ServiceUnavailable", "Message": "boom"}}))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server, method="POST", idempotent=False)
    assert len(server.requests) == 1
    assert clock.sleeps == []
    error = caught.value
    assert (error.status, error.code, error.message, error.request_id) == (500, "ServiceUnavailable", "boom", "r5")
    assert str(error) == "kcrs DescribeInstance failed: ServiceUnavailable: boom (request id r5)"
    assert error.to_dict() == dict(status=500, code="ServiceUnavailable", message="boom", request_id="r5",
                                   service="kcrs", operation="DescribeInstance")


def test_read_retried_after_5xx_until_retries_run_out(server, clock):
    server.repeat_last = True
    server.add(json_answer(503, {"Error": {"Code": "ServiceUnavailable", "Message": "down"}}))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock, retries=2), server)
    assert len(server.requests) == 3
    assert clock.sleeps == [0.25, 0.5]
    assert caught.value.status == 503
    assert "gave up after 3 attempts" in str(caught.value)


def test_client_errors_are_not_retried(server, clock):
    server.add(json_answer(400, {"Error": {"Code": "InvalidParameterValue", "Message": "bad"}}))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server)
    assert len(server.requests) == 1
    assert caught.value.code == "InvalidParameterValue"


def test_retry_after_seconds_is_honoured(server, clock):
    answer = throttled()
    answer[1]["Retry-After"] = "7"
    server.add(answer, json_answer(200, {}))
    call(make_transport(clock), server, idempotent=False)
    assert clock.sleeps == [7.0]


def test_retry_after_http_date_is_honoured(server, clock):
    wall = datetime.datetime(2024, 1, 15, 8, 30, 0, tzinfo=datetime.timezone.utc)
    answer = json_answer(429, {"error_code": "APIGW.0308", "error_msg": "x"},
                         {"Retry-After": "Mon, 15 Jan 2024 08:30:12 GMT"})
    server.add(answer, json_answer(200, {}))
    transport = make_transport(clock, wallclock=wall.timestamp)
    call(transport, server, idempotent=False)
    assert clock.sleeps == [12.0]
    assert parse_retry_after("Mon, 15 Jan 2024 08:29:00 GMT", wall.timestamp()) == 0.0
    assert parse_retry_after("soon", wall.timestamp()) is None


def test_throttling_window_named_by_the_gateway_is_waited_out(server, clock):
    message = "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute"
    server.add(json_answer(429, {"error_code": "APIGW.0308", "error_msg": message}), json_answer(200, {}))
    lines = []
    call(make_transport(clock, lines), server)
    assert clock.sleeps == [60.0]
    assert "429 APIGW.0308" in lines[0] and "retrying in 60.00s" in lines[0]
    assert throttle_window("limit:10,time:30 second") == 30.0
    assert throttle_window("slow down") is None


def test_deadline_stops_retrying(server, clock):
    answer = throttled()
    answer[1]["Retry-After"] = "120"
    server.repeat_last = True
    server.add(answer)
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock, deadline=60), server, idempotent=False)
    assert len(server.requests) == 1  # waiting 120 s would overrun the 60 s deadline
    assert clock.sleeps == []
    assert caught.value.code == "LimitExceeded"


def test_deadline_counts_earlier_sleeps(server, clock):
    server.repeat_last = True
    server.add(throttled())
    transport = make_transport(clock, retries=10, deadline=2.0)
    with pytest.raises(CloudError):
        call(transport, server, idempotent=False)
    # 0.25 + 0.5 + 1.0 = 1.75 s slept; the next 2.0 s sleep would end past the deadline.
    assert clock.sleeps == [0.25, 0.5, 1.0]
    assert len(server.requests) == 4


def test_connection_refused_is_retried_even_for_writes(clock):
    lines = []
    transport = make_transport(clock, lines, retries=2)
    url = "http://127.0.0.1:%d/" % closed_port()
    with pytest.raises(CloudError) as caught:
        transport.request("POST", url, headers={}, body=b"x=1", service="kcrs", operation="CreateInstance",
                          parse_error=json_error, idempotent=False)
    assert len(lines) == 3
    assert clock.sleeps == [0.25, 0.5]
    error = caught.value
    assert error.status is None and error.code == "ConnectionError"
    assert "could not connect to 127.0.0.1:" in error.message and "refused" in error.message
    assert "object at 0x" not in error.message


def default_transport(clock, lines=None):
    return make_transport(clock, lines, retries=DEFAULT_RETRIES, deadline=DEADLINE)


def test_the_default_budget_rides_out_ten_server_errors_on_a_read(server, clock):
    assert (DEFAULT_RETRIES, DEADLINE) == (10, 300.0)
    unavailable = json_answer(503, {"Error": {"Code": "ServiceUnavailable", "Message": "busy"}})
    server.add(*([unavailable] * 10 + [json_answer(200, {"Ok": 1})]))
    assert json.loads(call(default_transport(clock), server).content) == {"Ok": 1}
    assert len(server.requests) == 11
    # rand() = 0.5: half of 0.5 s doubling, capped at 20 s; 55.75 s in all, well within the deadline.
    assert clock.sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0]


def test_the_default_budget_gives_up_after_eleven_attempts(server, clock):
    server.repeat_last = True
    server.add(json_answer(503, {"Error": {"Code": "ServiceUnavailable", "Message": "down"}}))
    with pytest.raises(CloudError) as caught:
        call(default_transport(clock), server)
    assert len(server.requests) == 11
    assert "gave up after 11 attempts" in str(caught.value)


def test_a_throttled_write_is_retried_within_the_default_budget(server, clock):
    server.add(*([throttled()] * 7 + [json_answer(200, {"Done": 1})]))
    response = call(default_transport(clock), server, method="POST", idempotent=False)
    assert json.loads(response.content) == {"Done": 1}
    assert len(server.requests) == 8


def test_an_endpoint_refusing_connections_fails_within_seconds_whatever_the_budget(clock):
    lines = []
    url = "http://127.0.0.1:%d/" % closed_port()
    with pytest.raises(CloudError) as caught:
        default_transport(clock, lines).request("GET", url, headers={}, service="kcrs",
                                                operation="DescribeInstance", parse_error=json_error,
                                                idempotent=True)
    assert UNREACHABLE_RETRIES == 2
    assert len(lines) == 3  # the first attempt and two retries, not eleven
    assert clock.sleeps == [0.25, 0.5]
    message = caught.value.message
    assert "refused" in message and "(check endpoint_url and region)" in message
    assert "gave up after 3 attempts" in message


def test_an_endpoint_that_never_answers_is_tried_three_times(server, clock):
    server.add(*[Stall(0.5, json_answer(200, {"Late": 1}))] * 4)
    transport = make_transport(clock, retries=DEFAULT_RETRIES, deadline=DEADLINE, timeout=0.1)
    with pytest.raises(CloudError) as caught:
        call(transport, server)
    assert len(server.requests) == 3
    assert caught.value.code == "ReadTimeout" and "gave up after 3 attempts" in caught.value.message


def test_unreachable_attempts_do_not_shorten_the_budget_for_a_busy_endpoint(server, clock):
    server.add(Stall(0.5, json_answer(200, {"Late": 1})), Stall(0.5, json_answer(200, {"Late": 1})))
    server.add(*([throttled()] * 6 + [json_answer(200, {"Ok": 1})]))
    transport = make_transport(clock, retries=DEFAULT_RETRIES, deadline=DEADLINE, timeout=0.1)
    assert json.loads(call(transport, server).content) == {"Ok": 1}
    assert len(server.requests) == 9


def test_options_build_the_default_policy():
    transport = build_transport(check_transport_options({}))
    assert (transport.retries, transport.deadline) == (10, 300.0)
    assert (transport.backoff_base, transport.backoff_cap) == (0.5, 20.0)
    # Three unanswered attempts of a long timeout may need longer than five minutes.
    transport = build_transport(check_transport_options({"timeout": 200, "retries": 1}))
    assert transport.deadline == 400.0
    transport = build_transport(check_transport_options({"timeout": 200}))
    assert transport.deadline == 600.0


def test_dropped_connection_retried_for_reads_only(server, clock):
    server.add(DROP, json_answer(200, {"Ok": 1}))
    assert json.loads(call(make_transport(clock), server).content) == {"Ok": 1}
    assert len(server.requests) == 2

    server.requests[:] = []
    server.add(DROP, json_answer(200, {"Ok": 1}))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server, method="POST", idempotent=False)
    assert len(server.requests) == 1  # the server may have acted: never repeat a write
    assert caught.value.code == "ConnectionError"


def test_read_timeout_is_retried_for_reads(server, clock):
    server.add(Stall(0.6, json_answer(200, {"Late": 1})), json_answer(200, {"Ok": 1}))
    transport = make_transport(clock, timeout=0.2)
    assert json.loads(call(transport, server).content) == {"Ok": 1}
    assert len(clock.sleeps) == 1


def test_truncated_answer_becomes_cloud_error_with_status_and_excerpt(server, clock):
    body = '{"RequestId": "r", "InstanceSet": [{"InstanceId": "abc"'
    server.add(Truncated(200, {"Content-Type": "application/json"}, body, claimed=len(body) + 500))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server, method="POST", idempotent=False)
    error = caught.value
    assert error.status == 200 and error.code == "IncompleteResponse"
    assert '{"RequestId": "r", "InstanceSet"' in error.message
    assert len(server.requests) == 1


TOKEN = "5f0c1e9a7b3d4c2e8f6a0b1c2d3e4f5a6b7c8d9e0f1a2b3c"


def fragments(secret, size=8):
    return [secret[i:i + size] for i in range(len(secret) - size + 1)]


def secret_call(transport, server, method="POST"):
    return transport.request(method, server.url + "/", headers={}, body=None, service="kcrs",
                             operation="CreateInstanceToken", parse_error=json_error, idempotent=False,
                             secret_answer=True)


@pytest.mark.parametrize("cut", [20, 40, 60])  # before the token, inside it, after it
def test_a_secret_answer_cut_short_is_unclear_and_quotes_nothing(server, clock, cut):
    body = '{"Username": "2000000000", "Token": "%s", "ExpireTime": null}' % TOKEN
    server.add(Truncated(200, {"Content-Type": "application/json"}, body[:cut], claimed=len(body)))
    with pytest.raises(CloudError) as caught:
        secret_call(make_transport(clock), server)
    error = caught.value
    assert (error.status, error.code, error.ambiguous) == (200, "IncompleteResponse", True)
    assert "answer cut short after %d bytes" % cut in error.message
    shown = str(error) + repr(error.to_dict())
    assert "Username" not in shown and not [f for f in fragments(TOKEN) if f in shown]
    assert len(server.requests) == 1  # a write: settled by the engine's re-read, not sent again


def test_a_secret_answer_that_cannot_be_read_is_not_quoted(server, clock):
    page = "<html>proxy error, upstream said: Token=%s</html>" % TOKEN
    server.add((502, {"Content-Type": "text/html"}, page), (400, {"Content-Type": "text/plain"}, TOKEN))
    for status in (502, 400):
        with pytest.raises(CloudError) as caught:
            secret_call(make_transport(clock), server)
        assert caught.value.status == status
        assert "not shown (the answer of CreateInstanceToken carries a secret)" in caught.value.message
        assert not [f for f in fragments(TOKEN) if f in str(caught.value)]
        assert not caught.value.ambiguous or status == 502  # a 4xx stays a clear refusal


def test_a_secret_answer_error_keeps_the_cloud_code_and_message(server, clock):
    server.add(json_answer(400, {"Error": {"Code": "InvalidParameter", "Message": "TokenTime too large"}}))
    with pytest.raises(CloudError) as caught:
        secret_call(make_transport(clock), server)
    assert (caught.value.code, caught.value.message) == ("InvalidParameter", "TokenTime too large")


def test_a_cut_short_success_is_unclear_even_without_a_secret(server, clock):
    server.add(Truncated(200, {}, '{"InstanceId": "ab', claimed=100), Truncated(404, {}, '{"Err', claimed=100))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server, method="POST", idempotent=False)
    assert caught.value.ambiguous and '{"InstanceId": "ab' in caught.value.message
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server, method="POST", idempotent=False)
    assert not caught.value.ambiguous  # a refusal cut short is still a refusal


@pytest.mark.parametrize("status, error, date, hint", [
    (403, {"Error": {"Code": "SignatureDoesNotMatch",
                     "Message": "Signature expired:20240115T100000Z is now earlier than 20240115T101500Z."}},
     "Mon, 15 Jan 2024 10:26:40 GMT", "the controller's clock is 600 seconds behind the cloud's"),
    (400, {"Error": {"Code": "RequestExpired", "Message": "Request has expired."}},
     "Mon, 15 Jan 2024 10:06:40 GMT", "the controller's clock is 600 seconds ahead of the cloud's"),
    (401, {"error_code": "APIGW.0303", "error_msg": "Incorrect app authentication information"}, None,
     "the controller's clock may be off compared with the cloud's"),
])
def test_a_request_refused_for_its_time_tells_of_the_clock(server, clock, status, error, date, hint):
    server.add(json_answer(status, error, {"Date": date}))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock, wallclock=clock.time), server)  # 2024-01-15 10:16:40 UTC
    assert caught.value.message.startswith(error.get("error_msg") or error["Error"]["Message"])
    assert hint in caught.value.message and "check NTP on the controller" in caught.value.message


def test_other_refusals_get_no_clock_hint(server, clock):
    server.add(json_answer(403, {"Error": {"Code": "SignatureDoesNotMatch", "Message": "does not match"}},
                           {"Date": "Mon, 15 Jan 2024 10:26:40 GMT"}))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server)
    assert caught.value.message == "does not match"


def test_truncated_read_is_retried(server, clock):
    server.add(Truncated(200, {}, '{"a": ', claimed=100), json_answer(200, {"a": 1}))
    assert json.loads(call(make_transport(clock), server).content) == {"a": 1}
    assert len(server.requests) == 2


def test_html_error_page_becomes_cloud_error_with_excerpt(server, clock):
    page = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 500 + "</body></html>"
    server.add((502, {"Content-Type": "text/html"}, page))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), server, method="POST", idempotent=False)
    error = caught.value
    assert error.status == 502 and error.code == "502"
    assert "<title>502 Bad Gateway</title>" in error.message
    assert "text/html" in error.message
    assert "x" * 300 not in error.message  # at most the first 200 bytes
    assert "Traceback" not in str(error)


def test_trace_one_line_per_attempt_with_redacted_url_and_no_headers(server, clock):
    lines = []
    server.add(throttled(), json_answer(200, {}))
    transport = make_transport(clock, lines)
    transport.protect(SECRET)
    url = server.url + "/?Action=DescribeInstance&X-Amz-Credential=AKID%2F20240115&X-Amz-Signature=deadbeef"
    transport.request("GET", url, headers={"X-Amz-Security-Token": SECRET}, sign=lambda *a: {"Authorization": SECRET},
                      service="kcrs", operation="DescribeInstance", parse_error=json_error, idempotent=True)
    assert len(lines) == 2
    first, second = lines
    assert first.startswith("GET %s/?Action=DescribeInstance&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED -> "
                            "409 LimitExceeded in " % server.url)
    assert first.endswith("(kcrs DescribeInstance, attempt 1, retrying in 0.25s)")
    assert " -> 200 in " in second and second.endswith("(kcrs DescribeInstance, attempt 2)")
    for line in lines:
        assert SECRET not in line and "deadbeef" not in line and "AKID" not in line


def test_secrets_echoed_by_the_server_are_scrubbed(server, clock):
    server.add(json_answer(403, {"Error": {"Code": "InvalidClientTokenId", "Message": "token %s is bad" % SECRET}}))
    transport = make_transport(clock)
    transport.protect(SECRET)
    with pytest.raises(CloudError) as caught:
        call(transport, server)
    assert SECRET not in str(caught.value) and SECRET not in json.dumps(caught.value.to_dict())
    assert "token ******** is bad" in caught.value.message


def test_one_session_and_one_connection_for_many_calls(server, clock):
    server.repeat_last = True
    server.add(json_answer(200, {}))
    transport = make_transport(clock)
    for attempt in range(5):
        assert call(transport, server).status_code == 200, attempt
    assert len({r.client_port for r in server.requests}) == 1  # keep-alive over one connection


def test_redact_url_keeps_the_rest_of_the_query_as_sent():
    url = "https://h/?Name=a%20b&x-amz-security-token=t0k&Password=p&Marker=3"
    assert redact_url(url) == "https://h/?Name=a%20b&x-amz-security-token=REDACTED&Password=REDACTED&Marker=3"
    assert redact_url("https://h/v3/projects") == "https://h/v3/projects"


# -- TLS ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "cloudops test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory = tmp_path_factory.mktemp("tls")
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def tls_server(tls_files):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    with LocalServer(tls_context=context) as srv:
        srv.repeat_last = True
        srv.add(json_answer(200, {"Ok": 1}))
        yield srv


def test_tls_unknown_ca_fails_clearly_without_retry(tls_server, clock):
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock), tls_server)
    assert caught.value.code == "TLSError"
    assert "validate_certs" in caught.value.message
    assert clock.sleeps == []


def test_tls_with_ca_bundle_or_without_validation(tls_server, tls_files, clock):
    assert call(make_transport(clock, ca_bundle=tls_files[0]), tls_server).status_code == 200
    assert call(make_transport(clock, validate_certs=False), tls_server).status_code == 200


# -- proxies (from the environment, as curl and requests take them) ------------------------------

def test_http_proxy_gets_the_absolute_url_and_the_origin_host(server, clock, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://user:p%40ss@" + server.url.split("://", 1)[1])
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server.add(json_answer(200, {"ok": 1}))
    transport = make_transport(clock)
    response = transport.request("GET", "http://kcrs.api.ksyun.example/?Action=DescribeInstance", service="kcrs",
                                 operation="DescribeInstance", parse_error=json_error, idempotent=True)
    assert response.status_code == 200
    sent = server.requests[0]
    assert sent.raw_path == "http://kcrs.api.ksyun.example/?Action=DescribeInstance"
    assert sent.header("Host") == "kcrs.api.ksyun.example"
    assert sent.header("Proxy-Authorization") == "Basic dXNlcjpwQHNz"  # user:p@ss


@pytest.mark.parametrize("variable, scheme", [("HTTPS_PROXY", "https"), ("https_proxy", "https"),
                                              ("HTTP_PROXY", "http")])
def test_an_https_proxy_is_refused_before_anything_is_sent_to_it(server, clock, monkeypatch, variable, scheme):
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "https://user:proxy-pass@" + server.url.split("://", 1)[1])
    with pytest.raises(CloudError) as caught:
        make_transport(clock).request("GET", "%s://kcrs.api.ksyun.example/" % scheme, service="kcrs",
                                      operation="DescribeInstance", parse_error=json_error, idempotent=True)
    error = caught.value
    assert error.code == "ProxyError" and error.message == (
        "{0} (or {1}) names a https:// proxy; only http:// proxies are supported (TLS to the endpoint goes through "
        "them end to end): set an http:// proxy URL, or leave kcrs.api.ksyun.example out with NO_PROXY".format(
            variable.upper(), variable.lower()))
    assert "proxy-pass" not in str(error) and server.requests == [] and clock.sleeps == []


def test_no_proxy_hosts_are_reached_directly(server, clock, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server.add(json_answer(200, {}))
    assert call(make_transport(clock), server).status_code == 200
    assert server.requests[0].raw_path == "/"


# -- http:// against a TLS port -------------------------------------------------------------------

def test_plain_http_to_a_tls_port_hints_at_the_scheme(tls_server, clock):
    url = tls_server.url.replace("https://", "http://")
    with pytest.raises(CloudError) as caught:
        make_transport(clock, retries=0).request("GET", url + "/", service="kcrs", operation="DescribeInstance",
                                                 parse_error=json_error, idempotent=True)
    assert caught.value.message.endswith("(if this port serves TLS, use https:// in endpoint_url)")


def test_plain_http_to_a_tls_port_gives_up_after_six_unanswered_attempts(tls_server, clock):
    url = tls_server.url.replace("https://", "http://")
    transport = make_transport(clock, retries=DEFAULT_RETRIES, deadline=DEADLINE)
    with pytest.raises(CloudError) as caught:
        transport.request("GET", url + "/", service="kcrs", operation="DescribeInstance", parse_error=json_error,
                          idempotent=True)
    assert "gave up after %d attempts" % (UNANSWERED_HTTP_RETRIES + 1) in caught.value.message
    assert len(clock.sleeps) == UNANSWERED_HTTP_RETRIES


def test_a_tls_alert_where_an_http_answer_should_be_says_tls_and_is_not_retried(clock):
    import socket
    import threading
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []

    def answer_with_a_tls_alert():
        while True:
            try:
                conn, _peer = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.recv(65536)
            conn.sendall(b"\x15\x03\x01\x00\x02\x02\x46")  # alert: protocol_version
            conn.close()
    threading.Thread(target=answer_with_a_tls_alert, daemon=True).start()
    try:
        with pytest.raises(CloudError) as caught:
            make_transport(clock, retries=DEFAULT_RETRIES, deadline=DEADLINE).request(
                "GET", "http://127.0.0.1:%d/" % listener.getsockname()[1], service="kcrs",
                operation="DescribeInstance", parse_error=json_error, idempotent=True)
    finally:
        listener.close()
    assert caught.value.message.endswith("(the server answered in TLS: use https:// in endpoint_url)")
    assert len(accepted) == 1 and clock.sleeps == []


def test_nginx_answering_plain_http_on_its_tls_port_says_tls(server, clock):
    server.add((400, {"Content-Type": "text/html"}, b"<html><center>The plain HTTP request was sent to HTTPS port"
                                                    b"</center></html>"))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock, retries=0), server)
    assert caught.value.message.endswith("(the server answered in TLS: use https:// in endpoint_url)")


def test_no_hint_over_https_or_for_ordinary_failures(server, clock):
    server.add((500, {"Content-Type": "text/html"}, b"<html>oops</html>"))
    with pytest.raises(CloudError) as caught:
        call(make_transport(clock, retries=0), server)
    assert "https://" not in caught.value.message


def test_a_wait_of_five_seconds_or_more_for_the_rate_limit_is_told_and_a_shorter_one_is_not(server, clock):
    told = []
    long_wait, short_wait = throttled(), throttled()
    long_wait[1]["Retry-After"] = "7"
    short_wait[1]["Retry-After"] = "2"
    server.add(short_wait, long_wait, json_answer(200, {}))
    transport = make_transport(clock)
    transport.warn = told.append
    call(transport, server, idempotent=False)
    assert clock.sleeps == [2.0, 7.0]
    assert len(told) == 1 and told[0].startswith(
        "kcrs DescribeInstance: the cloud refused the call for its rate limit (409 LimitExceeded); waiting 7 s "
        "before attempt 3 of ")
