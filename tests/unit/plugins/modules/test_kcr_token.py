# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_token and kcr_token_info against the emulator in process: the calls sent, the credential
returned once (or written to a 0600 file), validity compared as expiry - creation, check mode,
diff, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re
import os
import stat

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_file import SecretFileError
from ansible_collections.cloudops.multicloud.plugins.module_utils import secret_handover
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_token import KcrToken
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_token_info import KcrTokenInfo

SECRET = "unit-secret-never-shown-0003"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}
DESC = "ci-runners"


@pytest.fixture
def registry(kcr):
    return kcr.add_instance("prod-registry")


def run(cloud, module=KcrToken, check_mode=False, diff=False, **args):
    result = cloud.run(module, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def token_args(registry, **extra):
    args = dict(instance_id=registry["InstanceId"], description=DESC, token_type="Day", token_time=30)
    args.update(extra)
    return dict((k, v) for k, v in args.items() if v is not None)  # None: the option is left out


def describe(registry):
    return ("DescribeInstanceToken", {"InstanceId": registry["InstanceId"], "Marker": 0, "MaxResults": 99})


def created(cloud):
    """The answers of the CreateInstanceToken calls the emulator received (the lost ones as None)."""
    return [answer for action, answer in cloud.answers if action == "CreateInstanceToken"]


def issued_token(cloud):
    """The secret the emulator issued last (48 hex digits of its own)."""
    secret = created(cloud)[-1]["Token"]
    assert re.fullmatch("[0-9a-f]{48}", secret)
    return secret


def newest(kcr, registry):
    return kcr.tokens(registry)[0]


# -- input checked before any call ---------------------------------------------------------------------

@pytest.mark.parametrize("extra, msg", [
    (dict(token_type="Hour", token_time=0), "token_time: 0 is out of range; it must be 1 to 9999 (hours)"),
    (dict(token_type="Day", token_time=10000), "token_time: 10000 is out of range; it must be 1 to 9999 (days)"),
    (dict(token_type="Hour", token_time=None), "token_time: required with token_type=Hour (1 to 9999)"),
    (dict(token_type="NeverExpire", token_time=1),
     "token_time: not allowed with token_type=NeverExpire (a credential that never expires has no validity period)"),
    (dict(description=" "), "description: must be 1 to 256 characters and not blank (it identifies the credential)"),
    (dict(description="x" * 257), "description: must be 1 to 256 characters and not blank (it identifies the credential)"),
    (dict(token_type=None), "state is present but all of the following are missing: token_type"),
])
def test_bad_input_fails_before_any_call(cloud, kcr, registry, extra, msg):
    result = run(cloud, **token_args(registry, **extra))

    assert result["failed"] is True
    assert result["msg"] == msg
    assert cloud.calls == []


def test_token_file_in_a_missing_directory_fails_before_any_call(cloud, kcr, registry, tmp_path):
    result = run(cloud, **token_args(registry, token_file=str(tmp_path / "nope" / "t.json")))

    assert result["msg"] == "token_file: directory %s does not exist" % (tmp_path / "nope")
    assert cloud.calls == []


def test_token_file_in_a_directory_others_can_write_fails_before_any_call(cloud, kcr, registry, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o757)

    for check_mode in (True, False):
        result = run(cloud, check_mode=check_mode, **token_args(registry, token_file=str(shared / "t.json")))
        assert result["msg"] == (
            "token_file: directory %s is writable by others and has no sticky bit, so another user could put their "
            "own file in its place; use a directory that only you (or root) can write to" % shared)
    assert cloud.calls == [] and os.listdir(str(shared)) == []


def test_missing_instance_is_named(cloud, kcr, registry):
    result = run(cloud, **token_args(registry, instance_id="00000000-0000-4000-8000-00000000dead"))

    assert result["msg"] == "instance_id: KCR instance 00000000-0000-4000-8000-00000000dead not found in region cn-beijing-6"


# -- create ------------------------------------------------------------------------------------------

def test_create_returns_the_token_once_under_credentials(cloud, kcr, registry):
    result = run(cloud, diff=True, **token_args(registry))

    token = newest(kcr, registry)
    assert cloud.calls == [
        describe(registry),
        ("CreateInstanceToken", {"InstanceId": registry["InstanceId"], "TokenType": "Day", "TokenTime": 30,
                                 "Desc": DESC}),
        describe(registry),
    ]
    assert result["changed"] is True
    assert result["token"] == {
        "instance_id": registry["InstanceId"], "token_id": token["TokenId"], "description": DESC, "enabled": True,
        "create_time": "2024-01-15 18:00:00", "expire_time": "2024-02-14 18:00:00", "token_type": "Day",
        "token_time": 30}
    secret = issued_token(cloud)
    assert result["credentials"] == {"username": "2000000001", "token": secret, "expire_time": "2024-02-14 18:00:00"}
    assert result["diff"] == {"before": {}, "after": result["token"]}
    # Once: only under credentials, never in the resource or the diff; errors and traces scrub it.
    assert json.dumps(result).count(secret) == 1
    assert secret in cloud.clients[-1].transport.secrets  # the module's client


def test_create_writes_the_token_file_instead(cloud, kcr, registry, tmp_path):
    path = tmp_path / "kcr.json"
    result = run(cloud, diff=True, **token_args(registry, token_file=str(path)))

    secret = issued_token(cloud)
    assert secret not in json.dumps(result)
    assert result["credentials"] == {"username": "2000000001", "expire_time": "2024-02-14 18:00:00",
                                     "token_file": str(path)}
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert json.loads(path.read_text()) == {"username": "2000000001", "token": secret,
                                            "expire_time": "2024-02-14 18:00:00"}


@pytest.mark.parametrize("check_mode", [True, False])
def test_an_existing_file_is_not_overwritten_without_force(cloud, kcr, registry, tmp_path, check_mode):
    docker_config = tmp_path / "config.json"
    docker_config.write_text('{"auths": {"hub.example.com": {"auth": "c2VjcmV0"}}}')

    result = run(cloud, check_mode=check_mode, **token_args(registry, token_file=str(docker_config)))

    assert result["failed"] is True
    assert result["msg"] == ("token_file: %s already exists; the new credential's token would replace it. Remove the "
                             "file or set force=true" % docker_config)
    assert cloud.calls.writes() == [] and kcr.tokens(registry) == []
    assert docker_config.read_text() == '{"auths": {"hub.example.com": {"auth": "c2VjcmV0"}}}'


def test_force_lets_the_new_token_replace_an_existing_file(cloud, kcr, registry, tmp_path):
    path = tmp_path / "kcr.json"
    path.write_text("the token of a credential deleted since")

    result = run(cloud, **token_args(registry, token_file=str(path), force=True))

    assert result["changed"] is True and result["credentials"]["token_file"] == str(path)
    assert json.loads(path.read_text())["token"] == issued_token(cloud)
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600


def test_a_rerun_with_the_file_the_creating_run_wrote_changes_nothing(cloud, kcr, registry, tmp_path):
    path = tmp_path / "kcr.json"
    run(cloud, **token_args(registry, token_file=str(path)))
    written = path.read_text()

    for check_mode in (True, False):
        result = run(cloud, check_mode=check_mode, **token_args(registry, token_file=str(path)))
        assert result.get("failed") is not True, result.get("msg")
        assert result["changed"] is False and "credentials" not in result
    assert path.read_text() == written and cloud.calls.writes() == ["CreateInstanceToken"]


def test_a_token_file_that_cannot_be_written_undoes_the_creation(cloud, kcr, registry, tmp_path, monkeypatch):
    def full_disk(path, data):
        raise SecretFileError("cannot write %s: No space left on device" % path)
    monkeypatch.setattr(secret_handover, "write_secret_json", full_disk)
    path = str(tmp_path / "kcr.json")

    result = run(cloud, **token_args(registry, token_file=path))

    assert result["failed"] is True
    assert result["msg"] == ("token_file: cannot write the new credential: cannot write %s: No space left on device; "
                             "the new credential was deleted again" % path)
    assert cloud.calls.actions == ["DescribeInstanceToken", "CreateInstanceToken", "DeleteInstanceToken"]
    assert cloud.calls[2][1] == {"InstanceId": registry["InstanceId"], "TokenId": created(cloud)[0]["tokenId"]}
    assert kcr.tokens(registry) == []
    assert issued_token(cloud) not in json.dumps(result)


def test_a_failure_after_creation_says_the_token_is_lost_without_showing_it(cloud, kcr, registry):
    cloud.faults({"service": "kcrs", "operations": ["ModifyInstanceTokenStatus"], "times": 1, "error_rate": 1.0})

    result = run(cloud, **token_args(registry, enabled=False))

    token_id = newest(kcr, registry)["TokenId"]
    assert result["failed"] is True
    assert result["msg"] == (
        "the credential %s was created, but kcrs ModifyInstanceTokenStatus failed: ServiceUnavailable: OpenAPI or "
        "Service is unavailable because of an unknown error, exception or failure. (request id %s); its token is "
        "not in this result: it cannot be shown again: delete the credential (state=absent) and run again"
        % (token_id, result["error"]["request_id"]))
    assert issued_token(cloud) not in json.dumps(result)


@pytest.mark.parametrize("new_token_enabled", [True, False])  # the two readings of a new token's status
@pytest.mark.parametrize("enabled", [None, True, False])
def test_create_ends_with_the_status_asked_writing_it_only_when_needed(cloud, kcr, registry, new_token_enabled,
                                                                       enabled):
    cloud.settings({"readings": {"kcrs": {"new_token": "enabled" if new_token_enabled else "disabled"}}})
    result = run(cloud, **token_args(registry, enabled=enabled))

    wanted = enabled is not False
    token = newest(kcr, registry)
    assert token["Enable"] is wanted and result["token"]["enabled"] is wanted
    writes = [call for call in cloud.calls if call[0] == "ModifyInstanceTokenStatus"]
    if new_token_enabled == wanted:
        assert cloud.calls.actions == ["DescribeInstanceToken", "CreateInstanceToken", "DescribeInstanceToken"]
    else:
        assert cloud.calls.actions == ["DescribeInstanceToken", "CreateInstanceToken", "DescribeInstanceToken",
                                       "ModifyInstanceTokenStatus"]
        assert writes == [("ModifyInstanceTokenStatus", {"InstanceId": registry["InstanceId"],
                                                         "TokenId": token["TokenId"], "Enable": wanted})]
    again = run(cloud, **token_args(registry, enabled=enabled))
    assert not again["changed"] and cloud.calls.actions[-1:] == ["DescribeInstanceToken"]


def test_create_never_expiring_sends_a_time_all_the_same(cloud, kcr, registry):
    result = run(cloud, **token_args(registry, token_type="NeverExpire", token_time=None))

    # TokenTime is ignored for NeverExpire under one reading and required under the other.
    assert cloud.calls[1] == ("CreateInstanceToken", {"InstanceId": registry["InstanceId"],
                                                      "TokenType": "NeverExpire", "TokenTime": 1, "Desc": DESC})
    assert result["token"]["expire_time"] is None
    assert (result["token"]["token_type"], result["token"]["token_time"]) == ("NeverExpire", None)


def test_check_mode_create_predicts_and_writes_nothing(cloud, kcr, registry, tmp_path):
    path = tmp_path / "kcr.json"
    args = token_args(registry, token_type="Hour", token_time=48, token_file=str(path))
    result = run(cloud, check_mode=True, diff=True, **args)

    assert cloud.calls.actions == ["DescribeInstanceToken"]
    assert result["changed"] is True
    assert result["token"] == {"instance_id": registry["InstanceId"], "token_id": None, "description": DESC,
                               "enabled": True, "create_time": None, "expire_time": None, "token_type": "Day",
                               "token_time": 2}
    assert "credentials" not in result
    assert result["diff"] == {"before": {}, "after": result["token"]}
    assert not path.exists()


# -- an existing credential ------------------------------------------------------------------------------

@pytest.mark.parametrize("token_type, token_time", [("Day", 30), ("Hour", 720)])
def test_same_validity_in_any_unit_is_one_read_and_no_change(cloud, kcr, registry, token_type, token_time):
    kcr.add_token(registry, DESC, "Day", 30)

    result = run(cloud, diff=True, **token_args(registry, token_type=token_type, token_time=token_time))

    assert cloud.calls == [describe(registry)]
    assert result["changed"] is False
    assert "credentials" not in result
    assert (result["token"]["token_type"], result["token"]["token_time"]) == ("Day", 30)
    assert result["diff"]["before"] == result["diff"]["after"]


def test_existing_credential_without_its_token_file_fails_saying_how_to_get_one(cloud, kcr, registry, tmp_path):
    token = kcr.add_token(registry, DESC, "Day", 30)
    path = str(tmp_path / "kcr.json")

    for check_mode in (True, False):
        result = run(cloud, check_mode=check_mode, **token_args(registry, token_file=path))
        assert result["failed"] is True
        assert result["msg"] == (
            "token_file: %s does not exist, but the credential 'ci-runners' (%s) does: the registry shows a token "
            "only when it creates the credential, so it cannot be written now. Set on_missing_file=rotate to make a "
            "new credential, write it and then delete this one, or delete the credential (state=absent) and run the "
            "task again" % (path, token["TokenId"]))
    assert not os.path.exists(path) and cloud.calls.writes() == []


# -- on_missing_file=rotate: the credential exists, its file is gone ------------------------------------

def test_rotate_makes_a_new_credential_writes_it_then_deletes_the_old_one(cloud, kcr, registry, tmp_path):
    old = kcr.add_token(registry, DESC, "Day", 30)
    path = str(tmp_path / "kcr.json")

    result = run(cloud, diff=True, **token_args(registry, token_file=path, on_missing_file="rotate"))

    assert result["changed"] is True
    assert cloud.calls.writes() == ["CreateInstanceToken", "DeleteInstanceToken"]
    assert cloud.calls.params_of("DeleteInstanceToken")[0]["TokenId"] == old["TokenId"]
    [new] = [t for t in kcr.tokens(registry) if t["Desc"] == DESC]
    assert new["TokenId"] != old["TokenId"]
    assert result["token"]["token_id"] == new["TokenId"] and result["diff"]["before"]["token_id"] == old["TokenId"]
    assert (result["token"]["token_type"], result["token"]["token_time"]) == ("Day", 30)
    with open(path) as handle:
        assert json.load(handle)["token"] == issued_token(cloud)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert result["credentials"] == {"username": created(cloud)[-1]["Username"], "token_file": path,
                                     "expire_time": created(cloud)[-1]["ExpireTime"]}

    writes = len(cloud.calls.writes())
    again = run(cloud, **token_args(registry, token_file=path, on_missing_file="rotate"))
    assert again["changed"] is False and len(cloud.calls.writes()) == writes


def test_rotate_in_check_mode_predicts_the_new_credential_and_writes_nothing(cloud, kcr, registry, tmp_path):
    old = kcr.add_token(registry, DESC, "Day", 30)
    path = str(tmp_path / "kcr.json")

    result = run(cloud, check_mode=True, diff=True, **token_args(registry, token_file=path, on_missing_file="rotate"))

    assert result["changed"] is True and "credentials" not in result
    assert result["diff"]["before"]["token_id"] == old["TokenId"]
    assert result["diff"]["after"] == result["token"]
    assert result["token"]["token_id"] is None and result["token"]["description"] == DESC
    assert cloud.calls.writes() == [] and not os.path.exists(path)
    assert [t["TokenId"] for t in kcr.tokens(registry)] == [old["TokenId"]]


def test_rotate_keeps_the_old_credential_when_the_new_file_cannot_be_written(cloud, kcr, registry, tmp_path,
                                                                             monkeypatch):
    old = kcr.add_token(registry, DESC, "Day", 30)
    path = str(tmp_path / "kcr.json")

    def full_disk(path, data):
        raise SecretFileError("cannot write %s: No space left on device" % path)
    monkeypatch.setattr(secret_handover, "write_secret_json", full_disk)

    result = run(cloud, **token_args(registry, token_file=path, on_missing_file="rotate"))

    assert result["failed"] is True
    assert result["msg"] == ("token_file: cannot write the new credential: cannot write %s: No space left on device; "
                             "the new credential was deleted again; the credential %s is kept as it was"
                             % (path, old["TokenId"]))
    assert cloud.calls.writes() == ["CreateInstanceToken", "DeleteInstanceToken"]
    assert cloud.calls.params_of("DeleteInstanceToken")[0]["TokenId"] != old["TokenId"]
    assert [t["TokenId"] for t in kcr.tokens(registry)] == [old["TokenId"]]
    assert issued_token(cloud) not in json.dumps(result)


def test_rotate_keeps_the_old_credential_when_the_create_answer_is_lost(cloud, kcr, registry, tmp_path):
    old = kcr.add_token(registry, DESC, "Day", 30)
    cloud.fault_next("kcrs", "CreateInstanceToken", "lose")

    result = run(cloud, **token_args(registry, token_file=str(tmp_path / "kcr.json"), on_missing_file="rotate"))

    assert result["failed"] is True
    assert result["msg"].startswith("on_missing_file=rotate: the new credential could not be made (kcrs "
                                    "CreateInstanceToken failed")
    assert result["msg"].endswith("; the credential %s is kept as it was" % old["TokenId"])
    # the credential the lost answer made (its token unknown) is deleted, the old one kept
    assert cloud.calls.writes() == ["CreateInstanceToken", "DeleteInstanceToken"]
    assert [t["TokenId"] for t in kcr.tokens(registry)] == [old["TokenId"]]


def test_rotate_needs_the_token_file(cloud, kcr, registry):
    result = run(cloud, **token_args(registry, on_missing_file="rotate"))

    assert result["msg"] == "on_missing_file is rotate but all of the following are missing: token_file"
    assert cloud.calls == []


def test_a_lost_create_answer_is_undone_and_the_credential_made_again(cloud, kcr, registry, tmp_path):
    path = str(tmp_path / "kcr.json")
    cloud.faults({"service": "kcrs", "operations": ["CreateInstanceToken"], "times": 1, "lose_rate": 1.0})

    result = run(cloud, **token_args(registry, token_file=path))

    assert result["changed"] is True
    assert cloud.calls.writes() == ["CreateInstanceToken", "DeleteInstanceToken", "CreateInstanceToken"]
    tokens = [t for t in kcr.tokens(registry) if t["Desc"] == DESC]
    assert len(tokens) == 1 and result["token"]["token_id"] == tokens[0]["TokenId"]
    with open(path) as handle:
        assert json.load(handle)["token"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize("cut_from, cut_after", [('"Token"', 0), ('"Token": "', 30), ('"ExpireTime"', 0)],
                         ids=["before the token", "inside it", "after it"])
def test_a_create_answer_cut_short_shows_none_of_its_token_and_is_made_again(cloud, kcr, registry,
                                                                             cut_from, cut_after):
    cloud.faults({"service": "kcrs", "operations": ["CreateInstanceToken"], "times": 1, "cut_rate": 1.0,
                  "cut_from": cut_from, "cut_after": cut_after})

    result = run(cloud, **token_args(registry))

    lost, kept = [answer["Token"] for answer in created(cloud)]
    shown = json.dumps(result)
    assert not [lost[i:i + 8] for i in range(len(lost) - 7) if lost[i:i + 8] in shown]
    assert cloud.calls.writes() == ["CreateInstanceToken", "DeleteInstanceToken", "CreateInstanceToken"]
    tokens = [t for t in kcr.tokens(registry) if t["Desc"] == DESC]
    assert len(tokens) == 1 and result["token"]["token_id"] == tokens[0]["TokenId"]
    assert result["changed"] is True and result["credentials"]["token"] == kept
    [warning] = result["warnings"]
    assert re.fullmatch(r"token was created but the answer carrying its secret was lost \(kcrs CreateInstanceToken "
                        r"failed: IncompleteResponse: answer cut short after \d+ bytes \(HTTP 200, \d+ bytes announced; "
                        r"not shown: the answer carries a secret\)\); it was deleted and is made again", warning)


def test_a_create_answer_without_its_token_is_made_again(cloud, kcr, registry, monkeypatch):
    """A 2xx that lacks the token (a gateway that rewrote it, a changed API) is unclear too."""
    make_client = KcrToken.api.client
    stripped = []

    def client_whose_first_token_answer_lacks_the_token(params, trace=None):
        client = make_client(params, trace=trace)
        send = client.call

        def call(action, action_params=None):
            answer = send(action, action_params)
            if action == "CreateInstanceToken" and not stripped:
                stripped.append(answer.pop("Token"))
            return answer
        client.call = call
        return client
    monkeypatch.setattr(KcrToken.api, "client", client_whose_first_token_answer_lacks_the_token)

    result = run(cloud, **token_args(registry))

    assert cloud.calls.writes() == ["CreateInstanceToken", "DeleteInstanceToken", "CreateInstanceToken"]
    assert len([t for t in kcr.tokens(registry) if t["Desc"] == DESC]) == 1
    assert result["credentials"]["token"] == issued_token(cloud) != stripped[0]
    [warning] = result["warnings"]
    assert re.fullmatch(r"token was created but the answer carrying its secret was lost \(kcrs CreateInstanceToken "
                        r"failed: InvalidResponse: the answer has no Token \(request id [0-9a-f-]+\)\); it was "
                        r"deleted and is made again", warning)


def test_validity_change_is_made_in_place_and_predicted_exactly(cloud, kcr, registry):
    token = kcr.add_token(registry, DESC, "Day", 30)
    predicted = run(cloud, check_mode=True, diff=True, **token_args(registry, token_type="Hour", token_time=36))
    assert cloud.calls.writes() == []

    result = run(cloud, diff=True, **token_args(registry, token_type="Hour", token_time=36))

    assert ("ModifyInstanceTokenInformation", {"InstanceId": registry["InstanceId"], "TokenId": token["TokenId"],
                                               "TokenType": "Hour", "TokenTime": 36, "Desc": DESC}) in cloud.calls
    assert cloud.calls.writes() == ["ModifyInstanceTokenInformation"]
    assert result["changed"] is True
    assert result["token"]["expire_time"] == "2024-01-17 06:00:00"  # created 2024-01-15 18:00:00 + 36 h
    assert (result["token"]["token_type"], result["token"]["token_time"]) == ("Hour", 36)
    assert predicted["token"] == result["token"]
    assert result["diff"]["before"]["expire_time"] == "2024-02-14 18:00:00"


def test_to_never_expire_sends_a_time_all_the_same(cloud, kcr, registry):
    token = kcr.add_token(registry, DESC, "Day", 30)

    result = run(cloud, **token_args(registry, token_type="NeverExpire", token_time=None))

    assert ("ModifyInstanceTokenInformation", {"InstanceId": registry["InstanceId"], "TokenId": token["TokenId"],
                                               "TokenType": "NeverExpire", "TokenTime": 1, "Desc": DESC}) in cloud.calls
    assert result["token"]["expire_time"] is None


def test_enable_and_disable(cloud, kcr, registry):
    token = kcr.add_token(registry, DESC, "Day", 30, enabled=False)

    result = run(cloud, **token_args(registry, enabled=True))

    # One read and one write: a new status changes nothing the registry computes, so the result is
    # predicted - and it is what a read shows afterwards.
    assert cloud.calls == [describe(registry), ("ModifyInstanceTokenStatus", {
        "InstanceId": registry["InstanceId"], "TokenId": token["TokenId"], "Enable": True})]
    assert result["token"]["enabled"] is True
    again = run(cloud, **token_args(registry, enabled=True))
    assert again["changed"] is False and again["token"] == result["token"]


def test_two_credentials_with_one_description_is_an_error(cloud, kcr, registry):
    first = kcr.add_token(registry, DESC)
    second = kcr.add_token(registry, DESC)

    result = run(cloud, **token_args(registry))

    assert result["msg"] == ("description: 2 credentials of KCR instance %s are described as 'ci-runners' (%s, %s); "
                             "delete the extra ones or give them distinct descriptions"
                             % (registry["InstanceId"], second["TokenId"], first["TokenId"]))
    assert cloud.calls.writes() == []


def test_absent_deletes_once(cloud, kcr, registry):
    token = kcr.add_token(registry, DESC)
    kcr.add_token(registry, "other")

    deleted = run(cloud, diff=True, instance_id=registry["InstanceId"], description=DESC, state="absent")
    again = run(cloud, instance_id=registry["InstanceId"], description=DESC, state="absent")

    assert cloud.calls.writes() == ["DeleteInstanceToken"]
    assert ("DeleteInstanceToken", {"InstanceId": registry["InstanceId"], "TokenId": token["TokenId"]}) in cloud.calls
    assert deleted["changed"] is True
    assert deleted["diff"]["after"] == {}
    assert deleted["diff"]["before"]["token_id"] == token["TokenId"]
    assert again["changed"] is False
    assert [t["Desc"] for t in kcr.tokens(registry)] == ["other"]


def test_absent_in_check_mode_deletes_nothing(cloud, kcr, registry):
    kcr.add_token(registry, DESC)

    result = run(cloud, check_mode=True, instance_id=registry["InstanceId"], description=DESC, state="absent")

    assert result["changed"] is True
    assert cloud.calls.writes() == []


# -- kcr_token_info --------------------------------------------------------------------------------------

def test_info_pages_at_99_and_filters(cloud, kcr, registry):
    for number in range(150):
        kcr.add_token(registry, "t%03d" % number)

    everything = run(cloud, module=KcrTokenInfo, instance_id=registry["InstanceId"])
    one = run(cloud, module=KcrTokenInfo, instance_id=registry["InstanceId"], description="t007")
    by_id = run(cloud, module=KcrTokenInfo, instance_id=registry["InstanceId"],
                token_id=newest(kcr, registry)["TokenId"])

    assert [c[1]["Marker"] for c in cloud.calls[:2]] == [0, 99]
    assert len(everything["tokens"]) == 150
    assert everything["tokens"][0]["description"] == "t149"
    assert [t["description"] for t in one["tokens"]] == ["t007"]
    assert [t["description"] for t in by_id["tokens"]] == ["t149"]
    assert everything["changed"] is False


# -- validity under both readings of what it counts from, and how it is reported --------------------------

@pytest.mark.parametrize("validity_from", ["create", "modify"])
def test_a_changed_validity_is_stable_on_the_next_run(cloud, kcr, registry, clock, validity_from):
    cloud.settings({"readings": {"kcrs": {"token_expiry_from": validity_from}}})
    token = kcr.add_token(registry, DESC, "Day", 30)
    # Under reading "modify" the registry restarts the validity when it is changed: 3h27m41s later.
    clock.now += 3 * 3600 + 27 * 60 + 41

    changed = run(cloud, **token_args(registry, token_type="Hour", token_time=5))
    again = run(cloud, **token_args(registry, token_type="Hour", token_time=5))

    start = "2024-01-15 18:00:00" if validity_from == "create" else "2024-01-15 21:27:41"
    expected = (datetime.datetime.strptime(start, "%Y-%m-%d %H:%M:%S") + datetime.timedelta(hours=5))
    assert kcr.token(registry, token["TokenId"])["ExpireTime"] == expected.strftime("%Y-%m-%d %H:%M:%S")
    assert changed["changed"] is True
    assert (changed["token"]["token_type"], changed["token"]["token_time"]) == ("Hour", 5)
    assert again["changed"] is False and cloud.calls.actions[-1:] == ["DescribeInstanceToken"]
    assert (again["token"]["token_type"], again["token"]["token_time"]) == ("Hour", 5)
    # A validity the token cannot have under either reading is a change. (Under "modify" any
    # validity that would have started between the creation and now is indistinguishable.)
    other = run(cloud, check_mode=True, **token_args(registry, token_type="Day", token_time=1))
    assert other["changed"] is True


def test_a_validity_restarted_by_a_change_is_not_guessed_by_info(cloud, kcr, registry, clock):
    cloud.settings({"readings": {"kcrs": {"token_expiry_from": "modify"}}})
    kcr.add_token(registry, DESC, "Day", 30)
    clock.now += 3 * 3600 + 27 * 60 + 41
    run(cloud, **token_args(registry, token_type="Hour", token_time=5))

    listed = run(cloud, module=KcrTokenInfo, instance_id=registry["InstanceId"])["tokens"][0]

    assert (listed["token_type"], listed["token_time"]) == (None, None)
    assert listed["expire_time"] == "2024-01-16 02:27:41"  # changed at 21:27:41 (Beijing), + 5 h


@pytest.mark.parametrize("asked", [("Day", 1), ("Hour", 24)])
def test_a_one_day_token_is_reported_as_day_1(cloud, kcr, registry, asked):
    kcr.add_token(registry, DESC, "Day", 1)

    result = run(cloud, **token_args(registry, token_type=asked[0], token_time=asked[1]))
    listed = run(cloud, module=KcrTokenInfo, instance_id=registry["InstanceId"])["tokens"][0]

    assert result["changed"] is False
    assert (result["token"]["token_type"], result["token"]["token_time"]) == ("Day", 1)
    assert (listed["token_type"], listed["token_time"]) == ("Day", 1)
    assert listed["expire_time"] == "2024-01-16 18:00:00"


def test_instance_options_are_checked_before_the_lookup(cloud, kcr, registry):
    args = token_args(registry)
    del args["instance_id"]
    result = run(cloud, **dict(args, instance_name="prod-registry", project_id=["0", "x\n"]))

    assert result["failed"] is True
    assert result["msg"] == "project_id[1]: 'x\\n' is not a valid KSYUN project ID: digits only, such as 0 (the default project)"
    assert cloud.calls == []


# -- check mode: the directory an earlier task of the play makes -------------------------------------

@pytest.mark.parametrize("existing", [False, True], ids=["to create", "to rotate"])
def test_check_mode_warns_about_a_directory_an_earlier_task_may_create(cloud, kcr, registry, tmp_path, existing):
    if existing:
        kcr.add_token(registry, DESC, "Day", 30)
    directory = tmp_path / "made-by-an-earlier-task"
    path = str(directory / "kcr.json")

    result = run(cloud, check_mode=True, **token_args(registry, token_file=path, on_missing_file="rotate"))

    assert result["changed"] is True and "failed" not in result
    assert result["warnings"] == ["token_file: directory %s does not exist; check mode assumes an earlier task "
                                  "creates it" % directory]
    assert cloud.calls.writes() == [] and not directory.exists()
