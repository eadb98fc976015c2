"""The admin API: counters, reset, settings, faults configuration, routing errors."""
import json
import urllib.request
from urllib.error import HTTPError

import pytest
from kscore.exceptions import ClientError

from ksyun_support import advance, client, client_error


def _raw(emulator, method, path, body):
    request = urllib.request.Request(emulator.url + path, data=body, method=method)
    with pytest.raises(HTTPError) as exc:
        urllib.request.urlopen(request, timeout=10)
    return exc.value.code, json.loads(exc.value.read())


def test_stats_count_each_operation_and_can_be_cleared(emulator):
    kcrs = client(emulator, "kcrs")
    for _attempt in range(3):
        kcrs.describe_instance()
    kcrs.create_instance(InstanceName="counted", InstanceType="basic")
    with pytest.raises(ClientError) as exc:
        kcrs.create_instance(InstanceName="counted", InstanceType="basic")
    assert client_error(exc)[:2] == (409, "InstanceNameAlreadyExists")
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert calls == {"kcrs:DescribeInstance": 3, "kcrs:CreateInstance": 2}
    assert emulator.admin("DELETE", "/__admin/stats") == {"calls": {}}
    assert emulator.admin("GET", "/__admin/stats") == {"calls": {}}


def test_state_dumps_one_service_raw(emulator):
    kcrs = client(emulator, "kcrs")
    instance_id = kcrs.create_instance(InstanceName="dumped", InstanceType="basic")["InstanceId"]
    state = emulator.admin("GET", "/__admin/state/kcrs")
    assert state["service"] == "kcrs"
    assert set(state["kinds"]) == {"kcrs.instance"}
    [record] = state["kinds"]["kcrs.instance"]
    assert (record["id"], record["parent"], record["name"]) == (instance_id, "", "dumped")
    assert record["doc"]["InstanceStatus"] == "Creating"
    assert "_ready_at" in record["doc"]  # raw: internal fields too, no status refresh
    # Another service's records are not mixed in, and reading the dump is not an API call.
    assert "kcrs.instance" not in emulator.admin("GET", "/__admin/state/bws")["kinds"]
    assert emulator.admin("GET", "/__admin/stats")["calls"] == {"kcrs:CreateInstance": 1}
    kcrs.delete_instance(InstanceId=instance_id)
    advance(emulator, 60)
    kcrs.describe_instance()
    assert emulator.admin("GET", "/__admin/state/kcrs")["kinds"] == {}


def test_state_of_an_unknown_service_is_404(emulator):
    status, body = _raw(emulator, "GET", "/__admin/state/kcr", None)
    assert status == 404
    assert body["error"] == "no service 'kcr'; known: bws, cgs, ecs, iam, kcrs, kps, ksyun, vpcep"
    status, _body = _raw(emulator, "POST", "/__admin/state/kcrs", b"{}")
    assert status == 405


def test_reset_clears_state_and_can_load_fixtures(emulator):
    kcrs = client(emulator, "kcrs")
    kcrs.create_instance(InstanceName="gone-after-reset", InstanceType="basic")
    assert emulator.admin("POST", "/__admin/reset") == {"reset": True}
    assert kcrs.describe_instance()["TotalCount"] == 0
    section = dict(emulator.emu.fixtures["ksyun"],
                   kcrs={"instances": [{"InstanceName": "seeded", "InstanceId": "seed-1",
                                        "namespaces": [{"Namespace": "lib", "Public": True,
                                                        "images": [{"repository": "base",
                                                                    "tag": "1.0"}]}]}]})
    emulator.admin("POST", "/__admin/reset", {"ksyun": section})
    instance = kcrs.describe_instance()["InstanceSet"][0]
    assert (instance["InstanceId"], instance["InstanceStatus"]) == ("seed-1", "Running")
    images = kcrs.describe_images(InstanceId="seed-1", Namespace="lib", RepoName="base")
    assert images["ImageSet"][0]["TagNames"] == ["1.0"]


def test_bad_fixtures_are_refused_with_a_message(emulator):
    status, body = _raw(emulator, "POST", "/__admin/reset",
                        json.dumps({"ksyun": {"kcrs": {"instances": [{"InstanceName": "B@d"}]}}})
                        .encode())
    assert status == 400
    assert body["error"].startswith("ksyun fixtures: InvalidParameterValue")
    status, body = _raw(emulator, "POST", "/__admin/reset", b'{"aws": {}}')
    assert (status, body) == (400, {"error": "unknown fixture sections: aws"})


def test_failed_reset_leaves_state_untouched(emulator):
    kcrs = client(emulator, "kcrs")
    kcrs.create_instance(InstanceName="survivor", InstanceType="basic")
    bad = {"ksyun": dict(emulator.emu.fixtures["ksyun"],
                         generate={"kcrs.namespace": {"instance": "absent", "count": 1}})}
    status, body = _raw(emulator, "POST", "/__admin/reset", json.dumps(bad).encode())
    assert status == 400 and "no instance named absent" in body["error"]
    assert kcrs.describe_instance()["InstanceSet"][0]["InstanceName"] == "survivor"
    emulator.admin("POST", "/__admin/reset")  # later resets use the last good fixtures
    assert kcrs.describe_instance()["TotalCount"] == 0


def test_settings_merge(emulator):
    before = emulator.admin("GET", "/__admin/settings")["settings"]
    assert before["delays"]["kcrs.instance"] == 2
    assert before["kcrs"] == {"namespace_quota": 50, "repo_quota": 1000}
    after = emulator.admin("POST", "/__admin/settings",
                           {"delays": {"kcrs.instance": 0}, "cgs_rate_limit": 0})["settings"]
    assert after["delays"]["kcrs.instance"] == 0
    assert after["delays"]["kcrs.dns"] == 2  # untouched keys survive the merge
    assert after["cgs_rate_limit"] == 0
    assert emulator.emu.settings["delays"]["kcrs.instance"] == 0
    emulator.admin("POST", "/__admin/reset")
    assert emulator.emu.settings["delays"]["kcrs.instance"] == 2


def test_faults_configuration(emulator):
    assert emulator.admin("GET", "/__admin/faults") == {"faults": {}}
    config = emulator.admin("POST", "/__admin/faults",
                            {"service": "kcrs", "latency_ms": 5, "throttle_rate": 0.25,
                             "seed": 7})["faults"]
    assert config == {"service": "kcrs", "latency_ms": 5, "throttle_rate": 0.25, "seed": 7,
                      "error_rate": 0.0, "drop_rate": 0.0, "lose_rate": 0.0, "late_error_rate": 0.0,
                      "error_status": 503, "spike_rate": 0.0, "spike_ms": 0, "operations": [],
                      "cut_rate": 0.0, "cut_after": 0}
    assert emulator.admin("GET", "/__admin/faults")["faults"] == config
    assert emulator.admin("POST", "/__admin/faults", {}) == {"faults": {}}


@pytest.mark.parametrize("payload,fragment", [
    ({"error_rate": 2}, "between 0 and 1"),
    ({"error_rate": 0.6, "drop_rate": 0.6}, "must not exceed 1"),
    ({"latency": 5}, "unknown fault keys: latency"),
    ({"error_status": 404}, "5xx"),
    ({"operations": "CreateInstance"}, "operations must be a list of operation names"),
    ({"operations": [""]}, "operations must be a list of operation names"),
])
def test_invalid_faults_are_refused(emulator, payload, fragment):
    status, body = _raw(emulator, "POST", "/__admin/faults", json.dumps(payload).encode())
    assert status == 400 and fragment in body["error"]


def test_admin_routing_errors(emulator):
    assert _raw(emulator, "GET", "/__admin/nothing", None)[0] == 404
    assert _raw(emulator, "PUT", "/__admin/stats", None)[0] == 405
    assert _raw(emulator, "POST", "/__admin/settings", b"{not json")[1] == {
        "error": "the body is not valid JSON"}
    assert _raw(emulator, "POST", "/__admin/settings", b"[1, 2]")[1] == {
        "error": "the body must be a JSON object"}
    assert emulator.admin("GET", "/__admin/health") == {"status": "ok"}
