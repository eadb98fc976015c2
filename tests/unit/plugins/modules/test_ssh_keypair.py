# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssh_keypair and ssh_keypair_binding in process against the emulator's KPS and ECS: what is
sent, what comes back, exact check mode, the readings (400 for not found, batches refused whole,
READY_/REPLACE task states) and answers lost or failed (emulator faults)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.cloudops.multicloud.plugins.module_utils import secret_handover
from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_file import SecretFileError
from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair import SshKeypair
from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair_binding import SshKeypairBinding
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import (
    kps_account,
    kps_add_failed_task,
    kps_add_keypair,
    kps_delete_server,
    kps_keypairs,
    kps_server,
    kps_set_server,
    kps_tasks,
)

from cloudops_emulator.huawei.kps.sshkeys import private_matches

PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # the emulator's cn-north-4 project
CREDENTIALS = dict(access_key="AK", secret_key="SK", region="cn-north-4", project_id=PROJECT)
KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBzUHJ2W6pItk5P3Pr4tjCfZ5Y9ZPz2E8t6SS7wkBmxy alice@laptop"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFB7SkIqQ6jmEVCZ0H/Tzk8AHjdQyIZZoqGZ0eKIJM9s bob@laptop"
# A real RSA pair: the emulator checks that a hosted or replace key belongs to its public key.
_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PEM = _RSA.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode("ascii")
RSA_PUBLIC = _RSA.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                            serialization.PublicFormat.OpenSSH).decode("ascii") + " ops@bastion"
KMS_KEY = "0d0466b0-e727-4d9c-b35d-f84bb474a37f"  # the emulator's fixture KMS key kps/demo


def md5_fingerprint(line):
    digest = hashlib.md5(base64.b64decode(line.split()[1])).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def keypair(account, check_mode=False, diff=False, **args):
    return account.run(SshKeypair, dict(CREDENTIALS, **args), check_mode=check_mode, diff=diff)


def operations(account):
    return account.calls.actions


def written_private_key(path, account, name):
    """The private key in ``path``: the one KPS generated for keypair ``name`` (it belongs to the
    public key KPS keeps, in the emulator's PEM form), handed to the transport as a secret."""
    with open(path) as handle:
        pem = handle.read()
    assert pem.startswith("-----BEGIN RSA PRIVATE KEY-----\n")  # readings.kps.private_key_format pkcs1
    assert private_matches(pem, kps_keypairs(account)[name]["public_key"])
    return pem


@pytest.mark.parametrize("not_found_status", [404, 400])
def test_import_check_mode_predicts_exactly_what_the_import_does(cloud, not_found_status):
    account = kps_account(cloud, not_found_status=not_found_status)
    predicted = keypair(account, check_mode=True, name="deploy", public_key=KEY_A, description="CI")
    assert account.calls.writes() == []
    created = keypair(account, name="deploy", public_key=KEY_A, description="CI")
    assert predicted["changed"] and created["changed"]
    for field in ("name", "public_key", "fingerprint", "description", "key_protection", "frozen"):
        assert predicted["keypair"][field] == created["keypair"][field]
    assert created["keypair"]["fingerprint"] == md5_fingerprint(KEY_A)
    create = [c for c in account.calls if c.operation == "CreateKeypair"][0]
    assert create.body == {"keypair": {"name": "deploy", "public_key": KEY_A}}


def test_the_same_key_with_another_comment_costs_one_read(cloud):
    account = kps_account(cloud)
    kps_add_keypair(account, "deploy", KEY_A + "\n")
    result = keypair(account, name="deploy", public_key=" ".join(KEY_A.split()[:2]) + " else@where")
    assert not result["changed"]
    assert operations(account) == ["ListKeypairDetail"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_another_key_fails_with_both_fingerprints_unless_force(cloud, check_mode):
    account = kps_account(cloud)
    kps_add_keypair(account, "deploy", KEY_A)
    result = keypair(account, check_mode=check_mode, name="deploy", public_key=KEY_B)
    assert result["failed"]
    assert md5_fingerprint(KEY_A) in result["msg"] and md5_fingerprint(KEY_B) in result["msg"]
    assert account.calls.writes() == []


def test_force_replaces_the_key_and_keeps_the_description(cloud):
    account = kps_account(cloud)
    kps_add_keypair(account, "deploy", KEY_A, description="kept")
    predicted = keypair(account, check_mode=True, name="deploy", public_key=KEY_B, force=True)
    assert account.calls.writes() == [] and predicted["keypair"]["fingerprint"] == md5_fingerprint(KEY_B)
    result = keypair(account, name="deploy", public_key=KEY_B, force=True)
    assert result["changed"]
    assert account.calls.writes() == ["DeleteKeypair", "CreateKeypair", "UpdateKeypairDescription"]
    assert kps_keypairs(account)["deploy"]["public_key"] == KEY_B
    assert result["keypair"]["description"] == predicted["keypair"]["description"] == "kept"


def test_generated_private_key_goes_to_a_0600_file_even_under_umask_000(cloud, tmp_path):
    account = kps_account(cloud)
    path = str(tmp_path / "bastion.pem")
    previous = os.umask(0)
    try:
        result = keypair(account, name="bastion", private_key_path=path)
    finally:
        os.umask(previous)
    assert result["changed"] and result["private_key_path"] == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    generated = written_private_key(path, account, "bastion")
    assert "private_key" not in result and generated not in repr(result)
    assert generated in account.clients[-1].transport.secrets


def test_an_existing_key_file_is_never_overwritten_without_force(cloud, tmp_path):
    account = kps_account(cloud)
    path = tmp_path / "taken.pem"
    path.write_text("mine")
    for check_mode in (True, False):
        result = keypair(account, check_mode=check_mode, name="new", private_key_path=str(path))
        assert result["failed"] and "already exists" in result["msg"]
    assert account.calls.writes() == [] and path.read_text() == "mine"


def test_a_key_file_in_a_directory_others_can_write_is_refused_before_any_call(cloud, tmp_path):
    account = kps_account(cloud)
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o777)

    for check_mode in (True, False):
        result = keypair(account, check_mode=check_mode, name="new", private_key_path=str(shared / "new.pem"))
        assert result["failed"] is True
        assert result["msg"] == (
            "private_key_path: directory %s is writable by its group and others and has no sticky bit, so another "
            "user could put their own file in its place; use a directory that only you (or root) can write to" % shared)
    assert account.calls.actions == [] and os.listdir(str(shared)) == []


def test_a_key_file_that_cannot_be_written_deletes_the_new_keypair_again(cloud, tmp_path, monkeypatch):
    from ansible_collections.cloudops.multicloud.plugins.module_utils import secret_handover
    from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_file import SecretFileError

    handed = []

    def fail(path, content):
        handed.append(content)
        raise SecretFileError("cannot write %s: No space left on device" % path)
    monkeypatch.setattr(secret_handover, "write_secret_text", fail)
    account = kps_account(cloud)
    result = keypair(account, name="bastion", private_key_path=str(tmp_path / "k.pem"))
    assert result["failed"] and "deleted again" in result["msg"]
    assert "bastion" not in kps_keypairs(account)
    assert len(handed) == 1
    generated = handed[0]
    assert "PRIVATE KEY" in generated and generated not in repr(result)


def test_custody_needs_the_private_key_and_clears_exactly(cloud):
    account = kps_account(cloud)
    kps_add_keypair(account, "vaulted", RSA_PUBLIC)
    missing = keypair(account, name="vaulted", key_protection={"encryption": "default"})
    assert missing["failed"] and missing["msg"].startswith("key_protection.private_key: required")
    kept = keypair(account, name="vaulted", key_protection={"encryption": "kms", "kms_key_id": KMS_KEY,
                                                            "private_key": RSA_PEM})
    assert kept["changed"] and kept["keypair"]["key_protection"] and kept["keypair"]["kms_key_id"] == KMS_KEY
    assert RSA_PEM not in repr(kept)
    again = keypair(account, name="vaulted", key_protection={"encryption": "kms", "kms_key_id": KMS_KEY,
                                                             "private_key": RSA_PEM})
    assert not again["changed"]
    predicted = keypair(account, check_mode=True, name="vaulted", key_protection={"encryption": "none"})
    cleared = keypair(account, name="vaulted", key_protection={"encryption": "none"})
    assert predicted["keypair"] == cleared["keypair"]
    assert account.calls.writes() == ["ImportPrivateKey", "ClearPrivateKey"]


# -- fields the cloud may leave out (readings.kps.keypair_fields, kms_key_field, time_unit) ------------

def test_type_and_scope_missing_from_the_answer_are_not_a_difference(cloud):
    # seed 001's tables have no type or scope: a re-run that gives them changes nothing
    account = kps_account(cloud, keypair_fields="documented")
    args = dict(name="deploy", public_key=KEY_A, type="ssh", scope="user")
    assert keypair(account, **args)["changed"]
    again = keypair(account, **args)
    assert not again.get("failed") and not again["changed"]
    assert (again["keypair"]["type"], again["keypair"]["scope"]) == (None, None)
    assert account.calls.writes() == ["CreateKeypair"]


@pytest.mark.parametrize("readings", [{"keypair_fields": "documented"}, {"kms_key_field": "key_protection"}],
                         ids=["no-kms-key", "kms-key-nested"])
def test_a_kept_private_key_under_its_kms_key_is_left_alone_on_a_rerun(cloud, readings):
    account = kps_account(cloud, **readings)
    kps_add_keypair(account, "vaulted", RSA_PUBLIC)
    args = dict(name="vaulted", key_protection={"encryption": "kms", "kms_key_id": KMS_KEY, "private_key": RSA_PEM})
    assert keypair(account, **args)["changed"]
    again = keypair(account, **args)
    assert not again["changed"] and again["keypair"]["key_protection"] is True
    assert again["keypair"]["kms_key_id"] == (KMS_KEY if readings.get("kms_key_field") else None)
    assert account.calls.writes() == ["ImportPrivateKey"]


@pytest.mark.parametrize("readings", [{}, {"time_unit": "ms"}, {"keypair_fields": "documented"},
                                      {"keypair_fields": "documented", "time_unit": "iso"}, {"time_unit": "iso"}],
                         ids=["sdk-s", "sdk-ms", "documented-s", "documented-iso", "sdk-iso"])
def test_times_and_id_read_the_same_under_every_reading(cloud, readings):
    account = kps_account(cloud, **readings)
    stored = kps_add_keypair(account, "deploy", KEY_A, create_time=1700000000, update_time=1700000500)
    result = keypair(account, name="deploy", public_key=KEY_A)["keypair"]
    assert (result["create_time"], result["update_time"]) == (1700000000, 1700000500)
    assert result["id"] == str(stored["id"])


@pytest.mark.parametrize("not_found_status", [404, 400])
def test_absent_twice(cloud, not_found_status):
    account = kps_account(cloud, not_found_status=not_found_status)
    kps_add_keypair(account, "old", KEY_A)
    assert keypair(account, name="old", state="absent")["changed"]
    assert not keypair(account, name="old", state="absent")["changed"]
    assert account.calls.writes() == ["DeleteKeypair"]


# -- ssh_keypair_binding ----------------------------------------------------------------------------

def server(number):
    return "e1c50000-0000-4000-8000-%012d" % number


# One name per assignment: ansible-core's doc reader (which ansible-lint runs over this file, it
# lives under a plugins/modules/ path) warns on a tuple target.
S01 = server(1)
S02 = server(2)
SERVERS = [server(i) for i in range(1, 13)]


def binding(account, check_mode=False, **args):
    return account.run(SshKeypairBinding, dict(CREDENTIALS, **args), check_mode=check_mode)


def with_servers(cloud, *servers, **readings):
    """The account: keypair deploy (KEY_A) and ACTIVE servers ``servers`` bound to no keypair (or,
    given as {id: name}, to that one), under ``readings``; ``settings=`` other settings."""
    account = kps_account(cloud, servers[0] if servers and isinstance(servers[0], dict) else servers, **readings)
    kps_add_keypair(account, "deploy", KEY_A)
    return account


def task_ids(account):
    return [t["task_id"] for t in kps_tasks(account)]


def test_twelve_fresh_servers_go_in_two_batches_and_a_rerun_changes_nothing(cloud):
    account = with_servers(cloud, *SERVERS)
    predicted = binding(account, check_mode=True, keypair_name="deploy", server_ids=SERVERS)
    assert predicted["changed"] and account.calls.writes() == []
    result = binding(account, keypair_name="deploy", server_ids=SERVERS)
    assert result["changed"]
    batches = [c.body["batch_keypairs"] for c in account.calls if c.operation == "BatchAssociateKeypair"]
    assert [len(b) for b in batches] == [10, 2]
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET"] * 12
    account.calls[:] = []
    again = binding(account, keypair_name="deploy", server_ids=SERVERS)
    assert not again["changed"] and operations(account) == ["ListKeypairDetail"] + ["ShowServer"] * 12


def test_a_batch_refused_whole_is_submitted_server_by_server(cloud):
    # a refused single AssociateKeypair answers FAILED in a 200 (readings.kps.associate_failure answer)
    account = with_servers(cloud, S01, S02, batch_associate="reject", associate_failure="answer")
    # S02 is deleted between the read and the batch: the batch is refused
    account.before_next("BatchAssociateKeypair", lambda: kps_delete_server(account, S02))
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02])
    assert account.calls.writes() == ["BatchAssociateKeypair", "AssociateKeypair", "AssociateKeypair"]
    assert answered(account, "BatchAssociateKeypair") == [404] and answered(account, "AssociateKeypair") == [200, 200]
    assert result["failed"] and S02 + " (reset): KPS.0011" in result["msg"]
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET", "FAILED"]


def test_pending_states_whatever_the_suffix_and_replace_with_the_current_key(cloud):
    # READY_REPLACE for the first half of the task's 4 s, RUNNING_REPLACE, then SUCCESS_REPLACE
    account = with_servers(cloud, {S01: "old"}, task_ready=True, replace_status="REPLACE",
                           settings={"delays": {"kps.task": 4}})
    kps_add_keypair(account, "old", RSA_PUBLIC)
    result = binding(account, keypair_name="deploy", server_ids=[S01], private_key=RSA_PEM)
    assert result["changed"]
    assert result["bindings"][0]["action"] == "replace" and result["bindings"][0]["task_status"] == "SUCCESS_REPLACE"
    associate = [c for c in account.calls if c.operation == "AssociateKeypair"][0].body
    assert associate["server"]["auth"] == {"type": "keypair", "key": RSA_PEM}
    assert RSA_PEM not in repr(result)
    assert operations(account).count("ListKeypairTask") == 3


NOT_RUNNING = "KPS.0014: The server is not running (status SHUTOFF)."


def test_a_failed_task_is_reported_with_its_listed_error_and_cleared_on_request(cloud):
    account = with_servers(cloud, S01)
    kps_set_server(account, S01, status="SHUTOFF")  # the task runs, then fails
    result = binding(account, keypair_name="deploy", server_ids=[S01], clear_failed_tasks="servers")
    assert result["failed"]
    assert result["msg"] == "keypair binding failed on 1 of 1 servers: %s (reset): %s" % (S01, NOT_RUNNING)
    assert result["bindings"][0]["keypair_name"] is None
    assert account.calls.writes()[-1] == "DeleteFailedTask"


def test_waiting_ends_at_the_timeout(cloud):
    account = with_servers(cloud, S01, settings={"delays": {"kps.task": 1000}})  # RUNNING_RESET all along
    result = binding(account, keypair_name="deploy", server_ids=[S01], wait_timeout=10)
    assert result["failed"] and result["msg"].startswith("timed out after 10s")


# -- submissions whose answers were unclear ------------------------------------------------------------

# The emulator fault of each: (fault, its settings)
LOST = ("lose", {})  # a dropped connection after the service acted
ERROR_AFTER = ("late_error", {"error_status": 500})  # a server error after the service acted
ERROR_BEFORE = ("error", {"error_status": 503})  # a server error before it did anything


def unclear(account, operation, fault, times=1):
    kind, config = fault
    account.fault_next("kps", operation, kind, times=times, **config)


def answered(account, operation):
    """The status each ``operation`` request was answered with (None: no answer)."""
    return [c.status for c in account.calls if c.operation == operation]


STATUS = {"lose": None, "late_error": 500, "error": 503}


@pytest.mark.parametrize("fault", [LOST, ERROR_AFTER], ids=["lost", "error-after"])
def test_an_unclear_associate_goes_on_from_the_task_it_started(cloud, fault):
    account = with_servers(cloud, S01)  # the task runs 1 s (delays.kps.task), then SUCCESS_RESET
    unclear(account, "AssociateKeypair", fault)
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["changed"] and not result.get("failed")
    assert account.calls.writes() == ["AssociateKeypair"]  # never sent twice
    assert answered(account, "AssociateKeypair") == [STATUS[fault[0]]]
    assert [t["server_id"] for t in kps_tasks(account)] == [S01]
    entry = result["bindings"][0]
    assert (entry["task_id"], entry["task_status"], entry["keypair_name"]) == (task_ids(account)[0], "SUCCESS_RESET",
                                                                               "deploy")
    assert kps_server(account, S01)["keypair_name"] == "deploy"
    # Settled from the running tasks: no server was read again, no failed-task list was needed.
    assert operations(account).count("ListRunningTask") == 1 and operations(account).count("ShowServer") == 1


@pytest.mark.parametrize("fault", [LOST, ERROR_AFTER], ids=["lost", "error-after"])
def test_an_unclear_batch_goes_on_from_every_task_it_started(cloud, fault):
    account = with_servers(cloud, S01, S02, server(3))
    unclear(account, "BatchAssociateKeypair", fault)
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02, server(3)])
    assert result["changed"] and not result.get("failed")
    assert account.calls.writes() == ["BatchAssociateKeypair"]
    assert answered(account, "BatchAssociateKeypair") == [STATUS[fault[0]]]
    assert sorted(b["task_id"] for b in result["bindings"]) == sorted(task_ids(account))
    assert len(task_ids(account)) == 3
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET"] * 3
    assert [kps_server(account, s)["keypair_name"] for s in (S01, S02, server(3))] == ["deploy"] * 3


def test_a_batch_that_met_a_server_error_before_acting_is_sent_again(cloud):
    account = with_servers(cloud, S01, S02)
    unclear(account, "BatchAssociateKeypair", ERROR_BEFORE)
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02])
    assert result["changed"] and not result.get("failed")
    assert account.calls.writes() == ["BatchAssociateKeypair", "BatchAssociateKeypair"]
    assert answered(account, "BatchAssociateKeypair") == [503, 200]
    assert len(kps_tasks(account)) == 2
    assert operations(account).count("ListFailedTask") == 2  # before submitting, and settling
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET"] * 2


def test_a_lost_answer_of_a_task_that_already_ended_is_done(cloud):
    # tasks end at once (delays.kps.task 0): ended before the module reads again
    account = with_servers(cloud, S01, settings={"delays": {"kps.task": 0}})
    unclear(account, "AssociateKeypair", LOST)
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["changed"] and not result.get("failed")
    assert account.calls.writes() == ["AssociateKeypair"]
    assert answered(account, "AssociateKeypair") == [None]
    assert result["bindings"][0]["task_status"] == "SUCCESS" and result["bindings"][0]["keypair_name"] == "deploy"
    assert "ListKeypairTask" not in operations(account)


def test_a_lost_answer_of_a_task_that_failed_is_reported_not_submitted_again(cloud):
    account = with_servers(cloud, S01, settings={"delays": {"kps.task": 0}})
    kps_set_server(account, S01, status="SHUTOFF")  # the task fails at once
    unclear(account, "AssociateKeypair", LOST)
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["failed"] and not result["changed"]
    assert account.calls.writes() == ["AssociateKeypair"]
    assert answered(account, "AssociateKeypair") == [None]
    assert result["msg"] == "keypair binding failed on 1 of 1 servers: %s (reset): %s" % (S01, NOT_RUNNING)
    assert (result["bindings"][0]["task_id"], result["bindings"][0]["task_status"]) == (task_ids(account)[0],
                                                                                        "FAILED_RESET")


def test_a_failed_task_of_an_earlier_run_is_not_taken_for_this_one(cloud):
    account = with_servers(cloud, S01)
    kps_add_failed_task(account, S01, "deploy")
    unclear(account, "AssociateKeypair", ERROR_BEFORE)
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["changed"] and not result.get("failed")
    assert account.calls.writes() == ["AssociateKeypair", "AssociateKeypair"]
    assert answered(account, "AssociateKeypair") == [503, 200]
    assert result["bindings"][0]["task_status"] == "SUCCESS_RESET"


@pytest.mark.parametrize("fault", [LOST, ERROR_BEFORE], ids=["lost", "error-before"])
def test_an_unclear_unbind_is_settled_too(cloud, fault):
    account = with_servers(cloud, {S01: "deploy"})  # the unbind runs 1 s, then SUCCESS_UNBIND
    unclear(account, "DisassociateKeypair", fault)
    result = binding(account, keypair_name="deploy", server_ids=[S01], state="absent")
    assert result["changed"] and not result.get("failed")
    acted = fault is LOST
    assert account.calls.writes() == ["DisassociateKeypair"] * (1 if acted else 2)
    assert answered(account, "DisassociateKeypair") == ([None] if acted else [503, 200])
    assert result["bindings"][0]["task_status"] == "SUCCESS_UNBIND"
    assert kps_server(account, S01)["keypair_name"] is None


def test_servers_where_nothing_happened_fail_once_the_retries_are_spent(cloud):
    account = with_servers(cloud, {S01: None, S02: "old"})
    unclear(account, "AssociateKeypair", ERROR_BEFORE, times=5)
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02], retries=2, password="R00t-pass")
    assert result["failed"]
    # Three passes of S01 and S02; S02 is accepted on the third, S01 never.
    assert account.calls.writes() == ["AssociateKeypair"] * 6
    assert answered(account, "AssociateKeypair") == [503] * 5 + [200]
    assert [t["server_id"] for t in kps_tasks(account)] == [S02]
    assert result["bindings"][1]["task_status"] == "SUCCESS_RESET"
    assert kps_server(account, S02)["keypair_name"] == "deploy"
    assert result["changed"]
    assert result["msg"].startswith("keypair binding failed on 1 of 2 servers: %s (reset): APIGW.0203: no task was "
                                    "started after 3 unclear answers; the last: kps AssociateKeypair failed: "
                                    "APIGW.0203: Backend unavailable" % S01)
    assert "R00t-pass" not in repr(result)


def test_a_kept_private_key_is_exported_to_a_missing_key_file(cloud, tmp_path):
    account = kps_account(cloud)
    kps_add_keypair(account, "escrowed", RSA_PUBLIC, is_key_protection=True, private_key=RSA_PEM,
                    encryption={"type": "kms", "kms_key_id": KMS_KEY, "kms_key_name": "kps/demo"})
    path = str(tmp_path / "escrowed.pem")
    predicted = keypair(account, check_mode=True, name="escrowed", private_key_path=path)
    assert predicted["changed"] and not os.path.exists(path) and account.calls.writes() == []
    result = keypair(account, name="escrowed", private_key_path=path)
    assert result["changed"] and result["private_key_path"] == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and RSA_PEM not in repr(result)
    with open(path) as handle:
        assert handle.read() == RSA_PEM
    assert account.calls.writes() == ["ExportPrivateKey"]
    assert not keypair(account, name="escrowed", private_key_path=path)["changed"]


UUID_RULE = "a UUID: 32 hexadecimal digits in groups of 8-4-4-4-12, such as 3f2a1c9e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"


@pytest.mark.parametrize("args, msg", [
    (dict(server_ids=[S01, "s02"]), "server_ids[1]: 's02' is not a valid ECS server ID: " + UUID_RULE),
    (dict(server_ids=[S01 + "\n"]), "server_ids[0]: %r is not a valid ECS server ID: %s" % (S01 + "\n", UUID_RULE)),
    (dict(server_ids=[]), "server_ids: give at least one server ID"),
    (dict(password="hunter2-secret\n"), "password: must be 1 to 255 characters without control characters (a line "
                                        "break included); the value given is not shown"),
    (dict(password=""), "password: must be 1 to 255 characters without control characters (a line break "
                        "included); the value given is not shown"),
    (dict(private_key="hunter2-secret"), "private_key: not an unencrypted PEM private key (expected '-----BEGIN RSA "
                                         "PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----' or '-----BEGIN OPENSSH "
                                         "PRIVATE KEY-----')"),
])
def test_binding_bad_input_fails_before_any_call_without_showing_secrets(cloud, args, msg):
    account = with_servers(cloud, S01)
    result = binding(account, **dict(dict(keypair_name="deploy", server_ids=[S01]), **args))

    assert result["failed"] is True
    assert result["msg"] == msg
    assert "hunter2-secret" not in json.dumps(result)
    assert account.calls == []


# -- a generated private key is handed over once ------------------------------------------------------

def test_a_lost_create_answer_of_a_generated_keypair_is_undone_and_made_again(cloud, tmp_path):
    account = kps_account(cloud)
    unclear(account, "CreateKeypair", LOST)
    path = str(tmp_path / "bastion.pem")
    result = keypair(account, name="bastion", private_key_path=path, retries=1)

    assert result["changed"] and result["private_key_path"] == path
    assert account.calls.writes() == ["CreateKeypair", "DeleteKeypair", "CreateKeypair"]
    assert answered(account, "CreateKeypair") == [None, 200]
    written_private_key(path, account, "bastion")  # the second keypair's
    assert list(kps_keypairs(account)) == ["bastion"]


def secret_fragments(pem, size=8):
    """Every ``size``-character piece of a PEM key's base64 lines."""
    lines = pem.strip().splitlines()[1:-1]
    return set(line[i:i + size] for line in lines for i in range(len(line) - size + 1))


@pytest.mark.parametrize("cut_from, cut_after", [('"private_key"', 0), ('"private_key": "', 200), ('"}}', 1)],
                         ids=["before the private key", "inside it", "after it"])
def test_a_create_answer_cut_short_shows_none_of_its_private_key_and_is_made_again(cloud, tmp_path,
                                                                                   cut_from, cut_after):
    account = kps_account(cloud)
    unclear(account, "CreateKeypair", ("cut", {"cut_from": cut_from, "cut_after": cut_after}))
    path = str(tmp_path / "bastion.pem")
    result = keypair(account, name="bastion", private_key_path=path, retries=1)

    [cut] = cloud.emu.faults.cuts()
    lost = json.loads(cut["body"])["keypair"]["private_key"]
    assert cut["sent"] < len(cut["body"]) and not [f for f in secret_fragments(lost) if f in json.dumps(result)]
    assert result["changed"] and result["private_key_path"] == path
    assert account.calls.writes() == ["CreateKeypair", "DeleteKeypair", "CreateKeypair"]
    assert written_private_key(path, account, "bastion") != lost
    assert list(kps_keypairs(account)) == ["bastion"]
    assert [w for w in result["warnings"] if "the answer carrying its secret was lost" in w
            and "not shown: the answer carries a secret" in w and "deleted and is made again" in w]


def test_a_lost_create_answer_without_retries_left_fails_saying_so(cloud, tmp_path):
    account = kps_account(cloud)
    unclear(account, "CreateKeypair", LOST)
    result = keypair(account, name="bastion", private_key_path=str(tmp_path / "bastion.pem"), retries=0)

    assert result["failed"] is True
    assert "the answer carrying its secret was lost" in result["msg"] and "run the task again" in result["msg"]
    assert kps_keypairs(account) == {} and not os.path.exists(str(tmp_path / "bastion.pem"))


def test_a_lost_create_answer_of_an_imported_key_goes_on_from_what_exists(cloud):
    account = kps_account(cloud)
    unclear(account, "CreateKeypair", LOST)
    result = keypair(account, name="deploy", public_key=KEY_A, retries=1)

    assert result["changed"] and result["keypair"]["fingerprint"] == md5_fingerprint(KEY_A)
    assert account.calls.writes() == ["CreateKeypair"]
    assert answered(account, "CreateKeypair") == [None]


@pytest.mark.parametrize("check_mode", [False, True])
def test_an_existing_keypair_without_its_private_key_file_fails_saying_how_to_recover(cloud, tmp_path, check_mode):
    account = kps_account(cloud)
    kps_add_keypair(account, "bastion", RSA_PUBLIC)  # a generated keypair whose private key is elsewhere
    path = str(tmp_path / "bastion.pem")
    result = keypair(account, check_mode=check_mode, name="bastion", private_key_path=path)

    assert result["failed"] is True
    assert result["msg"] == (
        "private_key_path: %s does not exist, but keypair bastion does and the service does not keep its private key "
        "(key_protection): KPS hands a generated private key over only when it creates the keypair, so it cannot be "
        "written now. Put the private key you have at that path, set on_missing_file=rotate to generate a new keypair, "
        "write it and then delete this one, or delete the keypair (state=absent) and run the task again" % path)
    assert account.calls.writes() == [] and not os.path.exists(path)


# -- on_missing_file=rotate: the keypair exists, its private key file is gone ------------------------------

def test_rotate_writes_the_new_private_key_before_the_old_keypair_goes(cloud, tmp_path):
    account = kps_account(cloud, servers=[server(1)])
    old = kps_add_keypair(account, "bastion", RSA_PUBLIC, description="jump host")
    path = str(tmp_path / "bastion.pem")

    result = keypair(account, diff=True, name="bastion", private_key_path=path, on_missing_file="rotate")

    assert result["changed"] is True
    writes = [(c.operation, c.path.rsplit("/", 1)[-1]) for c in account.calls if c.operation in (
        "CreateKeypair", "DeleteKeypair", "UpdateKeypairDescription")]
    assert writes == [("CreateKeypair", "keypairs"), ("DeleteKeypair", "bastion"), ("CreateKeypair", "keypairs"),
                      ("UpdateKeypairDescription", "bastion"), ("DeleteKeypair", "bastion-rotating")]
    creates = [c.body["keypair"] for c in account.calls if c.operation == "CreateKeypair"]
    assert creates[0] == {"name": "bastion-rotating"} and creates[1]["name"] == "bastion"
    assert "ListServersDetails" in operations(account)
    stored = kps_keypairs(account)
    assert list(stored) == ["bastion"] and stored["bastion"]["public_key"] == creates[1]["public_key"]
    assert stored["bastion"]["fingerprint"] != old["fingerprint"] and stored["bastion"]["description"] == "jump host"
    pem = written_private_key(path, account, "bastion")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and pem not in json.dumps(result)
    assert result["private_key_path"] == path and "private_key" not in result
    assert result["diff"]["before"]["fingerprint"] == old["fingerprint"]
    assert result["keypair"]["fingerprint"] == stored["bastion"]["fingerprint"]

    writes = len(account.calls.writes())
    again = keypair(account, name="bastion", private_key_path=path, on_missing_file="rotate")
    assert again["changed"] is False and len(account.calls.writes()) == writes


def test_rotate_in_check_mode_predicts_a_new_keypair_and_writes_nothing(cloud, tmp_path):
    account = kps_account(cloud)
    old = kps_add_keypair(account, "bastion", RSA_PUBLIC, description="jump host")
    path = str(tmp_path / "bastion.pem")

    result = keypair(account, check_mode=True, diff=True, name="bastion", private_key_path=path,
                     on_missing_file="rotate")

    assert result["changed"] is True and account.calls.writes() == [] and not os.path.exists(path)
    assert result["diff"]["before"]["fingerprint"] == old["fingerprint"]
    after = result["diff"]["after"]
    assert after == result["keypair"]
    assert (after["name"], after["fingerprint"], after["description"]) == ("bastion", None, "jump host")
    assert list(kps_keypairs(account)) == ["bastion"]


def test_rotate_keeps_the_old_keypair_when_the_new_private_key_cannot_be_written(cloud, tmp_path, monkeypatch):
    account = kps_account(cloud)
    old = kps_add_keypair(account, "bastion", RSA_PUBLIC)
    path = str(tmp_path / "bastion.pem")

    def full_disk(path, text):
        raise SecretFileError("cannot write %s: No space left on device" % path)
    monkeypatch.setattr(secret_handover, "write_secret_text", full_disk)

    result = keypair(account, name="bastion", private_key_path=path, on_missing_file="rotate")

    assert result["failed"] is True
    assert result["msg"] == ("private_key_path: cannot write the new keypair: cannot write %s: No space left on "
                             "device; the new keypair was deleted again; keypair bastion is kept as it was" % path)
    assert account.calls.writes() == ["CreateKeypair", "DeleteKeypair"]
    assert list(kps_keypairs(account)) == ["bastion"]
    assert kps_keypairs(account)["bastion"]["fingerprint"] == old["fingerprint"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_keypair_bound_to_servers_is_not_rotated(cloud, tmp_path, check_mode):
    account = kps_account(cloud, servers={server(1): "bastion", server(2): None})
    kps_add_keypair(account, "bastion", RSA_PUBLIC)
    path = str(tmp_path / "bastion.pem")

    result = keypair(account, check_mode=check_mode, name="bastion", private_key_path=path, on_missing_file="rotate")

    msg = ("on_missing_file=rotate: keypair bastion is bound to server ecs-1 (%s); a new keypair of that name would "
           "not reach them (they keep the old public key), so it is not rotated. Unbind them first "
           "(cloudops.multicloud.ssh_keypair_binding, state=absent), then bind the new keypair" % server(1))
    if check_mode:
        assert result["changed"] is True
        assert result["warnings"] == [msg + "; check mode assumes an earlier task unbinds them"]
    else:
        assert result["failed"] is True and result["msg"] == msg
    assert account.calls.writes() == [] and not os.path.exists(path)


def test_a_kept_private_key_is_exported_rather_than_rotated(cloud, tmp_path):
    account = kps_account(cloud)
    kps_add_keypair(account, "escrowed", RSA_PUBLIC, is_key_protection=True, private_key=RSA_PEM)
    path = str(tmp_path / "escrowed.pem")

    result = keypair(account, name="escrowed", private_key_path=path, on_missing_file="rotate")

    assert result["changed"] is True and account.calls.writes() == ["ExportPrivateKey"]
    with open(path) as handle:
        assert handle.read() == RSA_PEM


def test_rotate_needs_the_private_key_path(cloud):
    account = kps_account(cloud)
    result = keypair(account, name="bastion", on_missing_file="rotate")

    assert result["msg"] == "on_missing_file is rotate but all of the following are missing: private_key_path"
    assert operations(account) == []


# -- check mode: the directory an earlier task of the play makes -------------------------------------

@pytest.mark.parametrize("existing", [False, True], ids=["to create", "to rotate"])
def test_check_mode_warns_about_a_directory_an_earlier_task_may_create(cloud, tmp_path, existing):
    account = kps_account(cloud)
    if existing:
        kps_add_keypair(account, "bastion", RSA_PUBLIC)
    directory = tmp_path / "made-by-an-earlier-task"
    path = str(directory / "bastion.pem")

    result = keypair(account, check_mode=True, name="bastion", private_key_path=path, on_missing_file="rotate")

    assert result["changed"] is True and "failed" not in result
    assert result["warnings"] == ["private_key_path: directory %s does not exist; check mode assumes an earlier task "
                                  "creates it" % directory]
    assert account.calls.writes() == [] and not directory.exists()


def test_a_missing_directory_fails_before_any_call_outside_check_mode(cloud, tmp_path):
    account = kps_account(cloud)
    directory = tmp_path / "nope"

    result = keypair(account, name="bastion", private_key_path=str(directory / "bastion.pem"))

    assert result["failed"] is True
    assert result["msg"] == "private_key_path: directory %s does not exist" % directory
    assert operations(account) == []
