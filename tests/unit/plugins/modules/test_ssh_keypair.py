# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssh_keypair and ssh_keypair_binding in-process against an in-memory KPS: what is sent, what
comes back, exact check mode, and the readings (400 for not found, batches refused whole,
READY_/REPLACE task states)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair import SshKeypair
from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair_binding import SshKeypairBinding
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import run_module
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.kps_account_fake import (
    KpsAccount,
    md5_fingerprint,
)

CREDENTIALS = dict(access_key="AK", secret_key="SK", region="cn-north-4", project_id="p1")
KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBzUHJ2W6pItk5P3Pr4tjCfZ5Y9ZPz2E8t6SS7wkBmxy alice@laptop"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFB7SkIqQ6jmEVCZ0H/Tzk8AHjdQyIZZoqGZ0eKIJM9s bob@laptop"
RSA_PEM = "-----BEGIN RSA PRIVATE KEY-----\nTUlJRW93SUJBQUtDQVFFQWx5czZJU214VHFybTJEYnB4VGJLeEdKWlBUUkNDU0Jg\n-----END RSA PRIVATE KEY-----\n"


def keypair(account, check_mode=False, diff=False, **args):
    return run_module(SshKeypair, dict(CREDENTIALS, **args), account, check_mode=check_mode, diff=diff)


@pytest.mark.parametrize("not_found_status", [404, 400])
def test_import_check_mode_predicts_exactly_what_the_import_does(not_found_status):
    account = KpsAccount(not_found_status=not_found_status)
    predicted = keypair(account, check_mode=True, name="deploy", public_key=KEY_A, description="CI")
    assert account.writes() == []
    created = keypair(account, name="deploy", public_key=KEY_A, description="CI")
    assert predicted["changed"] and created["changed"]
    for field in ("name", "public_key", "fingerprint", "description", "key_protection", "frozen"):
        assert predicted["keypair"][field] == created["keypair"][field]
    assert created["keypair"]["fingerprint"] == md5_fingerprint(KEY_A)
    create = [c for c in account.calls if c[0] == "CreateKeypair"][0]
    assert create[3] == {"keypair": {"name": "deploy", "public_key": KEY_A}}


def test_the_same_key_with_another_comment_costs_one_read():
    account = KpsAccount()
    account.add("deploy", KEY_A + "\n")
    result = keypair(account, name="deploy", public_key=" ".join(KEY_A.split()[:2]) + " else@where")
    assert not result["changed"]
    assert account.operations == ["ListKeypairDetail"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_another_key_fails_with_both_fingerprints_unless_force(check_mode):
    account = KpsAccount()
    account.add("deploy", KEY_A)
    result = keypair(account, check_mode=check_mode, name="deploy", public_key=KEY_B)
    assert result["failed"]
    assert md5_fingerprint(KEY_A) in result["msg"] and md5_fingerprint(KEY_B) in result["msg"]
    assert account.writes() == []


def test_force_replaces_the_key_and_keeps_the_description():
    account = KpsAccount()
    account.add("deploy", KEY_A, description="kept")
    predicted = keypair(account, check_mode=True, name="deploy", public_key=KEY_B, force=True)
    assert account.writes() == [] and predicted["keypair"]["fingerprint"] == md5_fingerprint(KEY_B)
    result = keypair(account, name="deploy", public_key=KEY_B, force=True)
    assert result["changed"]
    assert account.writes() == ["DeleteKeypair", "CreateKeypair", "UpdateKeypairDescription"]
    assert account.keypairs["deploy"]["public_key"] == KEY_B
    assert result["keypair"]["description"] == predicted["keypair"]["description"] == "kept"


def test_generated_private_key_goes_to_a_0600_file_even_under_umask_000(tmp_path):
    account = KpsAccount()
    path = str(tmp_path / "bastion.pem")
    previous = os.umask(0)
    try:
        result = keypair(account, name="bastion", private_key_path=path)
    finally:
        os.umask(previous)
    assert result["changed"] and result["private_key_path"] == path
    assert "private_key" not in result and KpsAccount.GENERATED_PRIVATE not in repr(result)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        assert handle.read() == KpsAccount.GENERATED_PRIVATE
    assert KpsAccount.GENERATED_PRIVATE in account.transport.secrets


def test_an_existing_key_file_is_never_overwritten_without_force(tmp_path):
    account = KpsAccount()
    path = tmp_path / "taken.pem"
    path.write_text("mine")
    for check_mode in (True, False):
        result = keypair(account, check_mode=check_mode, name="new", private_key_path=str(path))
        assert result["failed"] and "already exists" in result["msg"]
    assert account.writes() == [] and path.read_text() == "mine"


def test_a_key_file_that_cannot_be_written_deletes_the_new_keypair_again(tmp_path, monkeypatch):
    from ansible_collections.cloudops.multicloud.plugins.module_utils import secret_handover
    from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_file import SecretFileError

    def fail(path, content):
        raise SecretFileError("cannot write %s: No space left on device" % path)
    monkeypatch.setattr(secret_handover, "write_secret_text", fail)
    account = KpsAccount()
    result = keypair(account, name="bastion", private_key_path=str(tmp_path / "k.pem"))
    assert result["failed"] and "deleted again" in result["msg"]
    assert "bastion" not in account.keypairs
    assert KpsAccount.GENERATED_PRIVATE not in repr(result)


def test_custody_needs_the_private_key_and_clears_exactly():
    account = KpsAccount()
    account.add("vaulted", KEY_A)
    missing = keypair(account, name="vaulted", key_protection={"encryption": "default"})
    assert missing["failed"] and missing["msg"].startswith("key_protection.private_key: required")
    kept = keypair(account, name="vaulted", key_protection={"encryption": "kms", "kms_key_id": "kms-1",
                                                            "private_key": RSA_PEM})
    assert kept["changed"] and kept["keypair"]["key_protection"] and kept["keypair"]["kms_key_id"] == "kms-1"
    assert RSA_PEM not in repr(kept)
    again = keypair(account, name="vaulted", key_protection={"encryption": "kms", "kms_key_id": "kms-1",
                                                             "private_key": RSA_PEM})
    assert not again["changed"]
    predicted = keypair(account, check_mode=True, name="vaulted", key_protection={"encryption": "none"})
    cleared = keypair(account, name="vaulted", key_protection={"encryption": "none"})
    assert predicted["keypair"] == cleared["keypair"]
    assert account.writes() == ["ImportPrivateKey", "ClearPrivateKey"]


@pytest.mark.parametrize("not_found_status", [404, 400])
def test_absent_twice(not_found_status):
    account = KpsAccount(not_found_status=not_found_status)
    account.add("old", KEY_A)
    assert keypair(account, name="old", state="absent")["changed"]
    assert not keypair(account, name="old", state="absent")["changed"]
    assert account.writes() == ["DeleteKeypair"]


# -- ssh_keypair_binding ----------------------------------------------------------------------------

def server(number):
    return "e1c50000-0000-4000-8000-%012d" % number


# One name per assignment: ansible-core's doc reader (which ansible-lint runs over this file, it
# lives under a plugins/modules/ path) warns on a tuple target.
S01 = server(1)
S02 = server(2)
SERVERS = [server(i) for i in range(1, 13)]


def binding(account, check_mode=False, **args):
    return run_module(SshKeypairBinding, dict(CREDENTIALS, **args), account, check_mode=check_mode)


def with_servers(account, *names):
    account.add("deploy", KEY_A)
    for server_id in names:
        account.servers[server_id] = {"id": server_id, "name": server_id, "key_name": ""}
    return account


def test_twelve_fresh_servers_go_in_two_batches_and_a_rerun_changes_nothing():
    account = with_servers(KpsAccount(), *SERVERS)
    predicted = binding(account, check_mode=True, keypair_name="deploy", server_ids=SERVERS)
    assert predicted["changed"] and account.writes() == []
    result = binding(account, keypair_name="deploy", server_ids=SERVERS)
    assert result["changed"]
    batches = [c[3]["batch_keypairs"] for c in account.calls if c[0] == "BatchAssociateKeypair"]
    assert [len(b) for b in batches] == [10, 2]
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET"] * 12
    account.calls = []
    again = binding(account, keypair_name="deploy", server_ids=SERVERS)
    assert not again["changed"] and account.operations == ["ListKeypairDetail"] + ["ShowServer"] * 12


def test_a_batch_refused_whole_is_submitted_server_by_server():
    account = with_servers(KpsAccount(batch_reject=True), S01, S02)
    del account.servers[S02]  # gone between the read and the batch: the batch is refused

    def show(params, query, body):
        return {"server": {"id": params["server_id"], "name": params["server_id"], "key_name": ""}}
    account._ShowServer = show
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02])
    assert account.writes() == ["BatchAssociateKeypair", "AssociateKeypair", "AssociateKeypair"]
    assert result["failed"] and S02 + " (reset): KPS.0011" in result["msg"]
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET", "FAILED"]


def test_pending_states_whatever_the_suffix_and_replace_with_the_current_key():
    account = with_servers(KpsAccount(task_states=["READY_REPLACE", "RUNNING_REPLACE", "SUCCESS_REPLACE"]), S01)
    account.servers[S01]["key_name"] = "old"
    result = binding(account, keypair_name="deploy", server_ids=[S01], private_key=RSA_PEM)
    assert result["changed"]
    assert result["bindings"][0]["action"] == "replace" and result["bindings"][0]["task_status"] == "SUCCESS_REPLACE"
    associate = [c for c in account.calls if c[0] == "AssociateKeypair"][0][3]
    assert associate["server"]["auth"] == {"type": "keypair", "key": RSA_PEM}
    assert RSA_PEM not in repr(result)
    assert account.operations.count("ListKeypairTask") == 3


def test_a_failed_task_is_reported_with_its_listed_error_and_cleared_on_request():
    account = with_servers(KpsAccount(task_states=["RUNNING_RESET", "FAILED_RESET"]), S01)
    result = binding(account, keypair_name="deploy", server_ids=[S01], clear_failed_tasks="servers")
    assert result["failed"]
    assert result["msg"] == "keypair binding failed on 1 of 1 servers: %s (reset): KPS.0014: The server is not running." % S01
    assert result["bindings"][0]["keypair_name"] is None
    assert account.writes()[-1] == "DeleteFailedTask"


def test_waiting_ends_at_the_timeout():
    account = with_servers(KpsAccount(task_states=["RUNNING_RESET"]), S01)
    result = binding(account, keypair_name="deploy", server_ids=[S01], wait_timeout=10)
    assert result["failed"] and result["msg"].startswith("timed out after 10s")


# -- submissions whose answers were unclear ------------------------------------------------------------

LOST = (True, None)  # (acted, status): a dropped connection after the service acted
ERROR_AFTER = (True, 500)  # a server error after the service acted
ERROR_BEFORE = (False, 503)  # a server error before it did anything


@pytest.mark.parametrize("acted, status", [LOST, ERROR_AFTER])
def test_an_unclear_associate_goes_on_from_the_task_it_started(acted, status):
    account = with_servers(KpsAccount(task_states=["RUNNING_RESET", "SUCCESS_RESET"]), S01)
    account.unclear_answers = [("AssociateKeypair", acted, status)]
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["changed"] and not result.get("failed")
    assert account.writes() == ["AssociateKeypair"]  # never sent twice
    assert [t["server_id"] for t in account.tasks.values()] == [S01]
    entry = result["bindings"][0]
    assert (entry["task_id"], entry["task_status"], entry["keypair_name"]) == ("task-1", "SUCCESS_RESET", "deploy")
    assert account.servers[S01]["key_name"] == "deploy"
    # Settled from the running tasks: no server was read again, no failed-task list was needed.
    assert account.operations.count("ListRunningTask") == 1 and account.operations.count("ShowServer") == 1


@pytest.mark.parametrize("acted, status", [LOST, ERROR_AFTER])
def test_an_unclear_batch_goes_on_from_every_task_it_started(acted, status):
    account = with_servers(KpsAccount(), S01, S02, server(3))
    account.unclear_answers = [("BatchAssociateKeypair", acted, status)]
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02, server(3)])
    assert result["changed"] and not result.get("failed")
    assert account.writes() == ["BatchAssociateKeypair"]
    assert sorted(b["task_id"] for b in result["bindings"]) == ["task-1", "task-2", "task-3"]
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET"] * 3
    assert [account.servers[s]["key_name"] for s in (S01, S02, server(3))] == ["deploy"] * 3


def test_a_batch_that_met_a_server_error_before_acting_is_sent_again():
    account = with_servers(KpsAccount(), S01, S02)
    account.unclear_answers = [("BatchAssociateKeypair",) + ERROR_BEFORE]
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02])
    assert result["changed"] and not result.get("failed")
    assert account.writes() == ["BatchAssociateKeypair", "BatchAssociateKeypair"]
    assert len(account.tasks) == 2
    assert account.operations.count("ListFailedTask") == 2  # before submitting, and settling
    assert [b["task_status"] for b in result["bindings"]] == ["SUCCESS_RESET"] * 2


def test_a_lost_answer_of_a_task_that_already_ended_is_done():
    account = with_servers(KpsAccount(), S01)
    account.unclear_answers = [("AssociateKeypair", True, None)]
    account.after_unclear = lambda: account.finish("task-1", "SUCCESS_RESET")
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["changed"] and not result.get("failed")
    assert account.writes() == ["AssociateKeypair"]
    assert result["bindings"][0]["task_status"] == "SUCCESS" and result["bindings"][0]["keypair_name"] == "deploy"
    assert "ListKeypairTask" not in account.operations


def test_a_lost_answer_of_a_task_that_failed_is_reported_not_submitted_again():
    account = with_servers(KpsAccount(), S01)
    account.unclear_answers = [("AssociateKeypair", True, None)]
    account.after_unclear = lambda: account.finish("task-1", "FAILED_RESET")
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["failed"] and not result["changed"]
    assert account.writes() == ["AssociateKeypair"]
    assert result["msg"] == "keypair binding failed on 1 of 1 servers: %s (reset): KPS.0014: The server is not running." % S01
    assert (result["bindings"][0]["task_id"], result["bindings"][0]["task_status"]) == ("task-1", "FAILED_RESET")


def test_a_failed_task_of_an_earlier_run_is_not_taken_for_this_one():
    account = with_servers(KpsAccount(), S01)
    account.add_failed_task(S01, "deploy")
    account.unclear_answers = [("AssociateKeypair",) + ERROR_BEFORE]
    result = binding(account, keypair_name="deploy", server_ids=[S01])
    assert result["changed"] and not result.get("failed")
    assert account.writes() == ["AssociateKeypair", "AssociateKeypair"]
    assert result["bindings"][0]["task_status"] == "SUCCESS_RESET"


@pytest.mark.parametrize("acted, status", [LOST, ERROR_BEFORE])
def test_an_unclear_unbind_is_settled_too(acted, status):
    account = with_servers(KpsAccount(task_states=["SUCCESS_UNBIND"]), S01)
    account.servers[S01]["key_name"] = "deploy"
    account.unclear_answers = [("DisassociateKeypair", acted, status)]
    result = binding(account, keypair_name="deploy", server_ids=[S01], state="absent")
    assert result["changed"] and not result.get("failed")
    assert account.writes() == ["DisassociateKeypair"] * (1 if acted else 2)
    assert result["bindings"][0]["task_status"] == "SUCCESS_UNBIND" and account.servers[S01]["key_name"] == ""


def test_servers_where_nothing_happened_fail_once_the_retries_are_spent():
    account = with_servers(KpsAccount(), S01, S02)
    account.servers[S02]["key_name"] = "old"
    account.unclear_answers = [("AssociateKeypair",) + ERROR_BEFORE] * 5
    result = binding(account, keypair_name="deploy", server_ids=[S01, S02], retries=2, password="R00t-pass")
    assert result["failed"]
    # Three passes of S01 and S02; S02 is accepted on the third, S01 never.
    assert account.writes() == ["AssociateKeypair"] * 6
    assert [t["server_id"] for t in account.tasks.values()] == [S02]
    assert result["bindings"][1]["task_status"] == "SUCCESS_RESET" and account.servers[S02]["key_name"] == "deploy"
    assert result["changed"]
    assert result["msg"].startswith("keypair binding failed on 1 of 2 servers: %s (reset): APIGW.0203: no task was "
                                    "started after 3 unclear answers; the last: kps AssociateKeypair failed: "
                                    "APIGW.0203: Backend unavailable" % S01)
    assert "R00t-pass" not in repr(result)


def test_a_kept_private_key_is_exported_to_a_missing_key_file(tmp_path):
    account = KpsAccount()
    account.add("escrowed", KEY_A, is_key_protection=True, key_id="kms-1")
    account._ExportPrivateKey = lambda params, query, body: {"keypair": {"name": "escrowed",
                                                                         "private_key": RSA_PEM}}
    path = str(tmp_path / "escrowed.pem")
    predicted = keypair(account, check_mode=True, name="escrowed", private_key_path=path)
    assert predicted["changed"] and not os.path.exists(path) and account.writes() == []
    result = keypair(account, name="escrowed", private_key_path=path)
    assert result["changed"] and result["private_key_path"] == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and RSA_PEM not in repr(result)
    assert account.writes() == ["ExportPrivateKey"]
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
def test_binding_bad_input_fails_before_any_call_without_showing_secrets(args, msg):
    account = with_servers(KpsAccount(), S01)
    result = binding(account, **dict(dict(keypair_name="deploy", server_ids=[S01]), **args))

    assert result["failed"] is True
    assert result["msg"] == msg
    assert "hunter2-secret" not in json.dumps(result)
    assert account.calls == []


# -- a generated private key is handed over once ------------------------------------------------------

def test_a_lost_create_answer_of_a_generated_keypair_is_undone_and_made_again(tmp_path):
    account = KpsAccount()
    account.lose_answers = ["CreateKeypair"]
    path = str(tmp_path / "bastion.pem")
    result = keypair(account, name="bastion", private_key_path=path, retries=1)

    assert result["changed"] and result["private_key_path"] == path
    assert account.writes() == ["CreateKeypair", "DeleteKeypair", "CreateKeypair"]
    with open(path) as handle:
        assert handle.read() == KpsAccount.GENERATED_PRIVATE
    assert list(account.keypairs) == ["bastion"]


def test_a_lost_create_answer_without_retries_left_fails_saying_so(tmp_path):
    account = KpsAccount()
    account.lose_answers = ["CreateKeypair"]
    result = keypair(account, name="bastion", private_key_path=str(tmp_path / "bastion.pem"), retries=0)

    assert result["failed"] is True
    assert "the answer carrying its secret was lost" in result["msg"] and "run the task again" in result["msg"]
    assert account.keypairs == {} and not os.path.exists(str(tmp_path / "bastion.pem"))


def test_a_lost_create_answer_of_an_imported_key_goes_on_from_what_exists():
    account = KpsAccount()
    account.lose_answers = ["CreateKeypair"]
    result = keypair(account, name="deploy", public_key=KEY_A, retries=1)

    assert result["changed"] and result["keypair"]["fingerprint"] == md5_fingerprint(KEY_A)
    assert account.writes() == ["CreateKeypair"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_an_existing_keypair_without_its_private_key_file_fails_saying_how_to_recover(tmp_path, check_mode):
    account = KpsAccount()
    account.add("bastion", KpsAccount.GENERATED_PUBLIC)
    path = str(tmp_path / "bastion.pem")
    result = keypair(account, check_mode=check_mode, name="bastion", private_key_path=path)

    assert result["failed"] is True
    assert result["msg"] == (
        "private_key_path: %s does not exist, but keypair bastion does and the service does not keep its private key "
        "(key_protection): KPS hands a generated private key over only when it creates the keypair, so it cannot be "
        "written now. Put the private key you have at that path, or delete the keypair (state=absent) and run the "
        "task again to get a new one in that file" % path)
    assert account.writes() == [] and not os.path.exists(path)
