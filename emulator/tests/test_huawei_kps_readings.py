"""KPS readings (`readings.kps.<point>`): each second reading of a point the KPS sources leave
open, as a client sees it on the wire; the Nova `os-keypairs` v2.1 API and ECS ShowServer over the
same keypairs and servers; the documented `operate_type` values of the task lists."""
import base64
import hashlib
import json
from urllib.error import HTTPError

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from huawei_support import KMS_ID, PROJECT, SERVERS, advance, set_delays, signed

KEYPAIRS = "/v3/%s/keypairs" % PROJECT
NOVA = "/v2.1/%s/os-keypairs" % PROJECT
WEB1, WEB2, STOPPED = SERVERS


def read(emulator, **points):
    emulator.admin("POST", "/__admin/settings", {"readings": {"kps": points}})


def public_key():
    return ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " me@host\n"


def create(emulator, name, **fields):
    return signed(emulator, "POST", KEYPAIRS, body={"keypair": dict(name=name, **fields)})


def detail(emulator, name):
    return signed(emulator, "GET", KEYPAIRS + "/" + name, content_type=None)


def listing(emulator, **query):
    return signed(emulator, "GET", KEYPAIRS, query=query, content_type=None)


def test_reading_a_is_what_the_sdk_models_say(emulator):
    assert create(emulator, "k1", public_key=public_key()).status_code == 200
    assert create(emulator, "k1", public_key=public_key()).status_code == 409
    assert detail(emulator, "nope").status_code == 404
    assert create(emulator, "x" * 65).status_code == 400
    entry = listing(emulator).json()["keypairs"][0]["keypair"]
    assert entry["frozen_state"] == "0" and "id" not in entry
    got = detail(emulator, "k1").json()["keypair"]
    assert got["frozen_state"] == 0 and got["create_time"] < 10 ** 11
    assert got["public_key"].endswith(" me@host\n") and got["scope"] == "user"
    update = signed(emulator, "PUT", KEYPAIRS + "/k1", body={"keypair": {"description": "d"}})
    assert (update.status_code, update.content) == (204, b"")


def test_name_limit_of_the_create_model(emulator):
    read(emulator, name_max=255)
    assert create(emulator, "x" * 255, public_key=public_key()).status_code == 200
    answer = create(emulator, "x" * 256, public_key=public_key())
    assert (answer.status_code, answer.json()["error_code"]) == (400, "KPS.0003")


def test_duplicate_and_not_found_as_400(emulator):
    read(emulator, duplicate_status=400, not_found_status=400)
    create(emulator, "k1", public_key=public_key())
    assert create(emulator, "k1", public_key=public_key()).status_code == 400
    assert detail(emulator, "nope").status_code == 400
    assert signed(emulator, "DELETE", KEYPAIRS + "/nope", content_type=None).status_code == 400


@pytest.mark.parametrize("kind, body", [("200", b""), ("200-json", b"{}")])
def test_writes_answer_200_with_or_without_a_body(emulator, kind, body):
    read(emulator, no_content=kind)
    create(emulator, "k1", public_key=public_key())
    update = signed(emulator, "PUT", KEYPAIRS + "/k1", body={"keypair": {"description": "d"}})
    delete = signed(emulator, "DELETE", KEYPAIRS + "/k1", content_type=None)
    assert [(r.status_code, r.content) for r in (update, delete)] == [(200, body)] * 2


def _names(emulator, count):
    for index in range(count):
        create(emulator, "k%02d" % index, public_key=public_key())


def test_page_size_cap_refuses_or_clamps(emulator):
    _names(emulator, 5)
    read(emulator, max_limit=2)
    assert listing(emulator, limit=3).status_code == 400
    read(emulator, over_limit="clamp")
    page = listing(emulator, limit=1000).json()
    assert [e["keypair"]["name"] for e in page["keypairs"]] == ["k00", "k01"]
    assert page["page_info"]["next_marker"] == "k01"


def test_marker_as_id_and_next_marker_styles(emulator):
    _names(emulator, 3)
    read(emulator, marker="id", next_marker="absent")
    first = listing(emulator, limit=2).json()
    ids = [e["keypair"]["id"] for e in first["keypairs"]]
    assert "next_marker" not in first["page_info"] and len(ids) == 2
    rest = listing(emulator, limit=2, marker=str(ids[-1])).json()["keypairs"]
    assert [e["keypair"]["name"] for e in rest] == ["k02"]
    read(emulator, marker="name", next_marker="always")
    last = listing(emulator, limit=2, marker="k01").json()
    assert last["page_info"]["next_marker"] == "k02"  # present on the last page
    read(emulator, next_marker="url")
    assert listing(emulator, limit=2).json()["page_info"]["next_marker"].startswith(KEYPAIRS + "?")


def test_frozen_state_swapped_and_times_in_milliseconds(emulator):
    read(emulator, frozen_state="swapped", time_unit="ms")
    create(emulator, "k1", public_key=public_key())
    assert listing(emulator).json()["keypairs"][0]["keypair"]["frozen_state"] == 0
    got = detail(emulator, "k1").json()["keypair"]
    assert got["frozen_state"] == "0" and got["create_time"] > 10 ** 12


def test_paging_ignored_refused_or_limit_only(emulator):
    _names(emulator, 3)
    read(emulator, paging="ignored")
    for query in ({}, {"limit": 1}, {"limit": 1, "marker": "k02"}):
        answer = listing(emulator, **query).json()
        assert [e["keypair"]["name"] for e in answer["keypairs"]] == ["k00", "k01", "k02"]
        assert "page_info" not in answer
    read(emulator, paging="refused")
    assert listing(emulator, limit=1).status_code == 400
    assert listing(emulator, marker="k00").status_code == 400
    assert len(listing(emulator).json()["keypairs"]) == 3
    read(emulator, paging="limit_only")
    for query in ({"limit": 2}, {"limit": 2, "marker": "k01"}):
        assert [e["keypair"]["name"] for e in listing(emulator, **query).json()["keypairs"]] == ["k00", "k01"]


def test_documented_fields_iso_times_and_the_kms_key_in_key_protection(emulator):
    read(emulator, keypair_fields="documented", time_unit="iso")
    made = create(emulator, "k1").json()["keypair"]
    assert sorted(made) == ["fingerprint", "name", "private_key", "public_key", "user_id"]
    assert sorted(listing(emulator).json()["keypairs"][0]["keypair"]) == [
        "fingerprint", "is_key_protection", "name", "public_key"]
    got = detail(emulator, "k1").json()["keypair"]
    assert sorted(got) == ["created_at", "deleted", "deleted_at", "description", "fingerprint", "id",
                           "is_key_protection", "name", "public_key", "updated_at", "user_id"]
    assert isinstance(got["id"], str) and got["created_at"][4] == "-" and "T" in got["created_at"]
    read(emulator, keypair_fields="sdk", kms_key_field="key_protection")
    create(emulator, "k2", key_protection={"encryption": {"type": "kms", "kms_key_id": KMS_ID}})
    got = detail(emulator, "k2").json()["keypair"]
    assert "key_id" not in got and got["key_protection"]["encryption"]["kms_key_id"] == KMS_ID


def test_public_keys_normalised_private_keys_pkcs8_scope_domain(emulator):
    read(emulator, public_key="normalised", private_key_format="pkcs8", default_scope="domain")
    line = public_key()
    create(emulator, "imported", public_key=line)
    kept = detail(emulator, "imported").json()["keypair"]
    assert kept["public_key"] == " ".join(line.split()[:2]) and kept["scope"] == "domain"
    digest = hashlib.md5(base64.b64decode(line.split()[1])).hexdigest()
    assert kept["fingerprint"].replace(":", "") == digest
    generated = create(emulator, "generated").json()["keypair"]
    assert generated["private_key"].startswith("-----BEGIN PRIVATE KEY-----")


def _bind(emulator, name, server):
    return signed(emulator, "POST", KEYPAIRS + "/associate",
                  body={"keypair_name": name, "server": {"id": server}}).json()


def _status(emulator, task_id):
    return signed(emulator, "GET", "/v3/%s/tasks/%s" % (PROJECT, task_id),
                  content_type=None).json()["task_status"]


def test_tasks_ready_first_and_replace_ending_as_replace(emulator):
    set_delays(emulator, kps_task=10)
    read(emulator, task_ready=True, replace_status="REPLACE")
    first = create(emulator, "first").json()["keypair"]
    create(emulator, "second")
    task = _bind(emulator, "first", WEB1)["task_id"]
    assert _status(emulator, task) == "READY_RESET"
    advance(emulator, 6)
    assert _status(emulator, task) == "RUNNING_RESET"
    advance(emulator, 5)
    assert _status(emulator, task) == "SUCCESS_RESET"
    replace = signed(emulator, "POST", KEYPAIRS + "/associate", body={
        "keypair_name": "second", "server": {"id": WEB1, "auth": {
            "type": "keypair", "key": first["private_key"]}}}).json()["task_id"]
    assert _status(emulator, replace) == "READY_REPLACE"
    advance(emulator, 11)
    assert _status(emulator, replace) == "SUCCESS_REPLACE"


def test_running_tasks_use_the_documented_operate_type(emulator):
    set_delays(emulator, kps_task=10)
    create(emulator, "k1")
    _bind(emulator, "k1", WEB1)
    running = signed(emulator, "GET", "/v3/%s/running-tasks" % PROJECT, content_type=None).json()
    assert [t["operate_type"] for t in running["tasks"]] == ["FAILED_RESET"]
    signed(emulator, "POST", KEYPAIRS + "/disassociate", body={"server": {"id": WEB2}})
    advance(emulator, 11)
    unbind = signed(emulator, "POST", KEYPAIRS + "/disassociate", body={"server": {"id": WEB1}}).json()
    running = signed(emulator, "GET", "/v3/%s/running-tasks" % PROJECT, content_type=None).json()
    assert [(t["task_id"], t["operate_type"]) for t in running["tasks"]] == [(unbind["task_id"], "FAILED_UNBIND")]


def test_batch_associate_refused_as_a_whole(emulator):
    set_delays(emulator, kps_task=0)
    read(emulator, batch_associate="reject")
    create(emulator, "k1")
    answer = signed(emulator, "POST", KEYPAIRS + "/batch-associate", body={"batch_keypairs": [
        {"keypair_name": "k1", "server": {"id": WEB1}},
        {"keypair_name": "k1", "server": {"id": "00000000-0000-4000-8000-000000000000"}}]})
    assert answer.status_code == 404
    running = signed(emulator, "GET", "/v3/%s/running-tasks" % PROJECT, content_type=None).json()
    failed = signed(emulator, "GET", "/v3/%s/failed-tasks" % PROJECT, content_type=None).json()
    assert running["total"] == failed["total"] == 0  # nothing was submitted
    show = signed(emulator, "GET", "/v1/%s/cloudservers/%s" % (PROJECT, WEB1), content_type=None).json()
    assert show["server"]["key_name"] == ""


@pytest.mark.parametrize("reading", ["error", "answer"])
def test_a_refused_single_associate_under_each_reading(emulator, reading):
    read(emulator, associate_failure=reading)
    create(emulator, "k1")
    missing = "00000000-0000-4000-8000-000000000000"
    answer = signed(emulator, "POST", KEYPAIRS + "/associate",
                    body={"keypair_name": "k1", "server": {"id": missing}})
    if reading == "error":
        assert answer.status_code == 404 and answer.json()["error_code"] == "KPS.0011"
    else:
        assert answer.status_code == 200
        assert answer.json() == {"task_id": "", "server_id": missing, "status": "FAILED", "error_code": "KPS.0011",
                                 "error_msg": "The server %s does not exist." % missing}
    running = signed(emulator, "GET", "/v3/%s/running-tasks" % PROJECT, content_type=None).json()
    assert running["total"] == 0


# -- Nova os-keypairs and ECS ShowServer over the same store ------------------------------------

def test_nova_keypairs_are_kps_keypairs(emulator):
    made = signed(emulator, "POST", NOVA, body={"keypair": {"name": "nova-made"}})
    assert made.status_code == 200
    nova = made.json()["keypair"]
    assert nova["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    kps = detail(emulator, "nova-made").json()["keypair"]
    assert (kps["fingerprint"], kps["public_key"]) == (nova["fingerprint"], nova["public_key"])
    create(emulator, "kps-made", public_key=public_key())
    listed = signed(emulator, "GET", NOVA, content_type=None).json()["keypairs"]
    assert [e["keypair"]["name"] for e in listed] == ["kps-made", "nova-made"]
    assert set(listed[0]["keypair"]) == {"fingerprint", "name", "public_key", "is_key_protection"}
    signed(emulator, "PUT", KEYPAIRS + "/kps-made", body={"keypair": {"description": "from kps"}})
    shown = signed(emulator, "GET", NOVA + "/kps-made", content_type=None).json()["keypair"]
    assert shown["description"] == "from kps" and isinstance(shown["id"], int)
    assert shown["deleted"] is False and shown["deleted_at"] is None and "T" in shown["created_at"]
    assert signed(emulator, "DELETE", NOVA + "/kps-made", content_type=None).status_code == 204
    assert detail(emulator, "kps-made").status_code == 404
    gone = signed(emulator, "GET", NOVA + "/kps-made", content_type=None)
    assert gone.status_code == 404 and gone.json()["itemNotFound"]["code"] == 404
    dup = signed(emulator, "POST", NOVA, body={"keypair": {"name": "nova-made"}})
    assert dup.status_code == 409 and "conflictingRequest" in dup.json()
    assert emulator.admin("GET", "/__admin/stats")["calls"]["ecs:NovaCreateKeypair"] == 2


def test_nova_custody_uses_the_same_kms_keys(emulator):
    made = signed(emulator, "POST", NOVA, body={"keypair": {"name": "escrowed", "key_protection": {
        "encryption": {"type": "kms", "kms_key_id": KMS_ID}}}})
    assert made.status_code == 200
    assert detail(emulator, "escrowed").json()["keypair"]["is_key_protection"] is True


def test_without_kps_v3_every_v3_call_answers_404_apigw_and_nova_still_serves(emulator):
    create(emulator, "k1", public_key=public_key())
    read(emulator, keypairs_api="absent")
    for answer in (detail(emulator, "k1"), listing(emulator), create(emulator, "k2"),
                   signed(emulator, "POST", "/v3/%s/keypairs" % PROJECT, body={}, ak="nobody", sk="wrong")):
        assert (answer.status_code, answer.json()["error_code"]) == (404, "APIGW.0101")
    shown = signed(emulator, "GET", NOVA + "/k1", content_type=None)
    assert shown.status_code == 200 and shown.json()["keypair"]["name"] == "k1"
    assert signed(emulator, "POST", NOVA, body={"keypair": {"name": "k2"}}).status_code == 200


def test_kps_v3_forbidden_answers_403_after_authentication_and_nova_still_serves(emulator):
    create(emulator, "k1", public_key=public_key())
    read(emulator, keypairs_api="forbidden")
    for answer in (detail(emulator, "k1"), listing(emulator), create(emulator, "k2")):
        assert (answer.status_code, answer.json()["error_code"]) == (403, "APIGW.0302")
    bad = signed(emulator, "GET", KEYPAIRS, content_type=None, ak="nobody", sk="wrong")
    assert bad.status_code == 401  # the caller is authenticated before the policy is applied
    listed = signed(emulator, "GET", NOVA, content_type=None).json()["keypairs"]
    assert [e["keypair"]["name"] for e in listed] == ["k1"]
    read(emulator, keypairs_api="served")
    assert detail(emulator, "k1").status_code == 200


def test_show_server_reports_the_bound_keypair(emulator):
    set_delays(emulator, kps_task=0)
    create(emulator, "k1")
    _bind(emulator, "k1", WEB2)
    show = signed(emulator, "GET", "/v1/%s/cloudservers/%s" % (PROJECT, WEB2), content_type=None)
    assert show.json()["server"]["key_name"] == "k1" and show.json()["server"]["name"] == "ecs-web-2"
    missing = signed(emulator, "GET", "/v1/%s/cloudservers/nope" % PROJECT, content_type=None)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "Ecs.0114"


def test_list_servers_details_pages_by_page_number_and_shows_each_keypair(emulator):
    set_delays(emulator, kps_task=0)
    create(emulator, "k1")
    _bind(emulator, "k1", WEB2)
    base = "/v1/%s/cloudservers/detail" % PROJECT
    whole = signed(emulator, "GET", base, content_type=None).json()
    assert whole["count"] == 3 and [s["id"] for s in whole["servers"]] == sorted(SERVERS)
    assert [s["key_name"] for s in whole["servers"] if s["id"] == WEB2] == ["k1"]
    pages = [signed(emulator, "GET", base, query={"offset": n, "limit": 2}, content_type=None).json()["servers"]
             for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 1, 0] and [s["id"] for s in pages[0] + pages[1]] == sorted(SERVERS)
    bad = signed(emulator, "GET", base, query={"limit": 1001}, content_type=None)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "Ecs.0005"


@pytest.mark.parametrize("point, value", [("next_marker", "sometimes"), ("max_limit", 0), ("no_content", 200),
                                          ("keypairs_api", "v2")])
def test_a_misspelt_reading_is_refused_not_taken_for_reading_a(emulator, point, value):
    with pytest.raises(HTTPError) as exc:
        read(emulator, **{point: value})
    assert exc.value.code == 400
    assert "readings.kps.%s is" % point in json.loads(exc.value.read())["error"]
    # Set in process, past the check: the call answers 500 rather than play reading A.
    create(emulator, "k1", public_key=public_key())
    emulator.emu.settings["readings"] = {"kps": {point: value}}
    answer = listing(emulator)
    if point == "no_content":
        answer = signed(emulator, "DELETE", KEYPAIRS + "/k1", content_type=None)
    assert (answer.status_code, answer.json()["error_code"]) == (500, "EmulatorSettingInvalid")
    assert "readings.kps.%s" % point in answer.json()["error_msg"]
