"""Injected faults: seeded outcomes, KSYUN-shaped errors, latency, drops, service scoping."""
import json
import time
import urllib.error

import pytest
import requests

from ksyun_support import call, error_of, ok


def _outcomes(emulator, count=24):
    results = []
    for _attempt in range(count):
        try:
            results.append(call(emulator, "kcrs", "DescribeInstance").status_code)
        except requests.ConnectionError:
            results.append("dropped")
    return results


def test_same_seed_gives_the_same_outcomes(emulator):
    config = {"error_rate": 0.3, "throttle_rate": 0.3, "drop_rate": 0.2, "seed": 1234}
    emulator.admin("POST", "/__admin/faults", config)
    first = _outcomes(emulator)
    emulator.admin("POST", "/__admin/faults", config)
    second = _outcomes(emulator)
    assert first == second
    assert {200, 503, 409, "dropped"} == set(first)
    emulator.admin("POST", "/__admin/faults", dict(config, seed=99))
    assert _outcomes(emulator) != first


def test_throttling_is_ksyun_limit_exceeded(emulator):
    emulator.admin("POST", "/__admin/faults", {"throttle_rate": 1.0})
    assert error_of(call(emulator, "kcrs", "DescribeInstance")) == (
        409, "LimitExceeded", "Request was rejected because the request speed of this openAPI "
        "is beyond the current flow control limit.")
    response = call(emulator, "kcrs", "DescribeInstance", accept=None)
    assert response.headers["Content-Type"].startswith("application/xml")
    assert error_of(response)[1] == "LimitExceeded"


def test_server_errors_use_the_configured_status(emulator):
    emulator.admin("POST", "/__admin/faults", {"error_rate": 1.0, "error_status": 500})
    status, code, _message = error_of(call(emulator, "bws", "DescribeBandWidthShares"))
    assert (status, code) == (500, "ServiceUnavailable")


def test_faults_apply_to_the_named_service_only(emulator):
    emulator.admin("POST", "/__admin/faults", {"service": "bws", "error_rate": 1.0})
    assert ok(call(emulator, "kcrs", "DescribeInstance"))["TotalCount"] == 0
    assert call(emulator, "bws", "DescribeBandWidthShares").status_code == 503
    assert emulator.admin("GET", "/__admin/stats")["calls"] == {"kcrs:DescribeInstance": 1}


def test_latency(emulator):
    emulator.admin("POST", "/__admin/faults", {"latency_ms": 300})
    started = time.monotonic()
    ok(call(emulator, "kcrs", "DescribeInstance"))
    assert time.monotonic() - started >= 0.3


def test_dropped_connection_then_server_keeps_serving(emulator):
    emulator.admin("POST", "/__admin/faults", {"drop_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        call(emulator, "kcrs", "DescribeInstance")
    emulator.admin("POST", "/__admin/faults", {})
    assert ok(call(emulator, "kcrs", "DescribeInstance"))["TotalCount"] == 0


def test_admin_api_is_never_faulted(emulator):
    emulator.admin("POST", "/__admin/faults", {"drop_rate": 1.0})
    assert emulator.admin("GET", "/__admin/health") == {"status": "ok"}


def test_lost_answer_means_the_request_was_carried_out(emulator):
    emulator.admin("POST", "/__admin/faults", {"service": "kcrs", "lose_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        call(emulator, "kcrs", "CreateInstance", {"InstanceName": "lost-answer", "InstanceType": "basic",
                                                  "ChargeType": "HourlyInstantSettlement"})
    emulator.admin("POST", "/__admin/faults", {})
    listed = ok(call(emulator, "kcrs", "DescribeInstance", {"InstanceName": "lost-answer"}))
    assert [i["InstanceName"] for i in listed["InstanceSet"]] == ["lost-answer"]


def test_faults_may_apply_to_some_operations_only(emulator):
    emulator.admin("POST", "/__admin/faults", {"service": "kcrs", "operations": ["CreateInstance"],
                                               "lose_rate": 1.0})
    assert emulator.admin("GET", "/__admin/faults")["faults"]["operations"] == ["CreateInstance"]
    ok(call(emulator, "kcrs", "DescribeInstance"))  # another action of the service: served
    with pytest.raises(requests.ConnectionError):
        call(emulator, "kcrs", "CreateInstance", {"InstanceName": "only-this", "InstanceType": "basic",
                                                  "ChargeType": "HourlyInstantSettlement"})
    listed = ok(call(emulator, "kcrs", "DescribeInstance", {"InstanceName": "only-this"}))
    assert [i["InstanceName"] for i in listed["InstanceSet"]] == ["only-this"]


def test_latency_spikes_hit_the_configured_share_of_requests(emulator):
    emulator.admin("POST", "/__admin/faults", {"spike_rate": 0.5, "spike_ms": 250, "seed": 3})
    slow = 0
    for _attempt in range(8):
        started = time.monotonic()
        ok(call(emulator, "kcrs", "DescribeInstance"))
        slow += time.monotonic() - started >= 0.25
    assert 1 <= slow <= 7


def test_late_error_means_the_request_was_carried_out(emulator):
    emulator.admin("POST", "/__admin/faults", {"service": "kcrs", "operations": ["CreateInstance"],
                                               "late_error_rate": 1.0, "error_status": 500})
    response = call(emulator, "kcrs", "CreateInstance", {"InstanceName": "late-error", "InstanceType": "basic",
                                                         "ChargeType": "HourlyInstantSettlement"})
    assert error_of(response)[:2] == (500, "ServiceUnavailable")
    listed = ok(call(emulator, "kcrs", "DescribeInstance", {"InstanceName": "late-error"}))
    assert [i["InstanceName"] for i in listed["InstanceSet"]] == ["late-error"]


def test_a_fault_may_apply_to_the_next_requests_only_with_a_code_of_its_own(emulator):
    emulator.admin("POST", "/__admin/faults", {"service": "kcrs", "operations": ["DescribeInstance"], "times": 1,
                                               "error_rate": 1.0, "error_status": 404,
                                               "error_code": "InstanceNotFound", "error_message": "gone"})
    assert call(emulator, "kcrs", "DescribeInstanceToken", {"InstanceId": "x"}).status_code == 404  # not counted
    assert error_of(call(emulator, "kcrs", "DescribeInstance")) == (404, "InstanceNotFound", "gone")
    assert ok(call(emulator, "kcrs", "DescribeInstance"))["TotalCount"] == 0
    assert emulator.admin("GET", "/__admin/faults")["faults"] == {}


def test_a_4xx_fault_needs_a_code_of_its_own(emulator):
    with pytest.raises(urllib.error.HTTPError) as refused:
        emulator.admin("POST", "/__admin/faults", {"error_rate": 1.0, "error_status": 404})
    assert refused.value.code == 400


def test_a_cut_answer_is_carried_out_and_cut_where_asked(emulator):
    emulator.admin("POST", "/__admin/faults", {"service": "kcrs", "operations": ["CreateInstance"],
                                               "cut_rate": 1.0, "cut_from": '"InstanceId"', "cut_after": 3})
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        call(emulator, "kcrs", "CreateInstance", {"InstanceName": "cut-answer", "InstanceType": "basic",
                                                  "ChargeType": "HourlyInstantSettlement"})
    [masked] = emulator.admin("GET", "/__admin/faults/cuts")["cuts"]
    assert "InstanceId" not in masked["body"]
    [cut] = emulator.admin("GET", "/__admin/faults/cuts?secrets=1")["cuts"]
    assert (cut["operation"], cut["status"]) == ("CreateInstance", 200)
    assert cut["sent"] == cut["body"].index('"InstanceId"') + 3 < len(cut["body"])
    emulator.admin("POST", "/__admin/faults", {})
    listed = ok(call(emulator, "kcrs", "DescribeInstance", {"InstanceName": "cut-answer"}))
    assert [i["InstanceName"] for i in listed["InstanceSet"]] == ["cut-answer"]
    assert [i["InstanceId"] for i in listed["InstanceSet"]] == [json.loads(cut["body"])["InstanceId"]]
    assert len(emulator.admin("GET", "/__admin/faults/cuts")["cuts"]) == 1  # kept until a reset


@pytest.mark.parametrize("config, message", [
    ({"cut_rate": 1.0, "cut_after": "3"}, "cut_after must be an integer"),
    ({"cut_rate": 1.0, "cut_from": ""}, "cut_from must be a string"),
    ({"cut_rate": 0.6, "lose_rate": 0.6}, "must not exceed 1"),
])
def test_a_bad_cut_is_refused(emulator, config, message):
    with pytest.raises(urllib.error.HTTPError) as refused:
        emulator.admin("POST", "/__admin/faults", config)
    assert refused.value.code == 400 and message in refused.value.read().decode()
