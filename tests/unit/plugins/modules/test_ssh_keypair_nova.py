# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssh_keypair and ssh_keypair_info over Nova os-keypairs v2.1 (the ``api`` option), in process
against the emulator: ``auto`` falls back where KPS v3 answers 404 APIGW.0101 or 403
(``readings.kps.keypairs_api: absent | forbidden``) and costs nothing where it is served; ``kps``
fails naming ``api``; what Nova cannot do is refused before any write, naming the option."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair import SshKeypair
from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair_info import SshKeypairInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import (
    kps_account,
    kps_add_keypair,
    kps_keypairs,
)
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.test_ssh_keypair import (
    KEY_A,
    KEY_B,
    KMS_KEY,
    RSA_PEM,
    RSA_PUBLIC,
    md5_fingerprint,
)

from cloudops_emulator.huawei.kps.sshkeys import private_matches

PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
# a secret key that cannot occur in base64 (a no_log value is masked wherever it occurs, a key too)
CREDENTIALS = dict(access_key="AK", secret_key="unit-secret-key", region="cn-north-4", project_id=PROJECT)
NOVA_READS = ("NovaListKeypairs", "NovaShowKeypair")
FALLBACK = {"absent": "api=auto: KPS v3 answered 404 APIGW.0101 in region cn-north-4",
            "forbidden": "api=auto: KPS v3 answered 403 APIGW.0302 in region cn-north-4"}
# what each reading costs before the run is on Nova: a detail 404 without a KPS code is settled
# by the listing (which answers 404 too); a 403 is final at once
KPS_PROBE = {"absent": ["ListKeypairDetail", "ListKeypairs"], "forbidden": ["ListKeypairDetail"]}


def keypair(account, check_mode=False, diff=False, **args):
    return account.run(SshKeypair, dict(CREDENTIALS, **args), check_mode=check_mode, diff=diff)


def info(account, **args):
    return account.run(SshKeypairInfo, dict(CREDENTIALS, **args))


def writes(account):
    return [a for a in account.calls.writes() if a not in NOVA_READS]


@pytest.mark.parametrize("v3", ["absent", "forbidden"])
def test_auto_imports_over_nova_where_kps_v3_is_absent_or_forbidden(cloud, v3):
    account = kps_account(cloud, keypairs_api=v3)
    result = keypair(account, name="deploy", public_key=KEY_A)
    assert result["changed"] and result["keypair"]["fingerprint"] == md5_fingerprint(KEY_A)
    assert result["keypair"]["name"] == "deploy" and isinstance(result["keypair"]["create_time"], int)
    assert account.calls.actions == KPS_PROBE[v3] + ["NovaShowKeypair", "NovaCreateKeypair", "NovaShowKeypair"]
    create = [c for c in account.calls if c.operation == "NovaCreateKeypair"][0]
    assert create.path == "/v2.1/%s/os-keypairs" % PROJECT
    assert create.body == {"keypair": {"name": "deploy", "public_key": KEY_A}}
    assert kps_keypairs(account)["deploy"]["fingerprint"] == md5_fingerprint(KEY_A)


@pytest.mark.parametrize("not_found_status", [404, 400])
def test_auto_costs_no_extra_call_where_kps_v3_is_served(cloud, not_found_status):
    account = kps_account(cloud, not_found_status=not_found_status)
    keypair(account, name="deploy", public_key=KEY_A)
    missing = ["ListKeypairDetail"] if not_found_status == 404 else ["ListKeypairDetail", "ListKeypairs"]
    assert account.calls.actions == missing + ["CreateKeypair", "ListKeypairDetail"]
    account.calls.clear()
    assert not keypair(account, name="deploy", public_key=KEY_A)["changed"]
    assert account.calls.actions == ["ListKeypairDetail"]


@pytest.mark.parametrize("v3", ["absent", "forbidden"])
def test_api_kps_fails_naming_the_option_where_kps_v3_is_not_there(cloud, v3):
    account = kps_account(cloud, keypairs_api=v3)
    result = keypair(account, name="deploy", public_key=KEY_A, api="kps")
    answer = FALLBACK[v3].split("answered ")[1].split(" in ")[0]
    assert result["failed"]
    assert result["msg"] == ("api: KPS v3 answered %s in region cn-north-4, so it is not served there or this account "
                             "may not use it; set api=auto or api=nova to use Nova os-keypairs v2.1 (IAM actions "
                             "ecs:serverKeypairs:*)" % answer)
    assert account.calls.actions == KPS_PROBE[v3] and kps_keypairs(account) == {}


def test_api_nova_is_used_even_where_kps_v3_is_served_and_a_rerun_costs_one_read(cloud):
    account = kps_account(cloud)
    kps_add_keypair(account, "deploy", KEY_A + "\n")
    result = keypair(account, name="deploy", public_key=" ".join(KEY_A.split()[:2]) + " else@where", api="nova")
    assert not result["changed"] and result["keypair"]["fingerprint"] == md5_fingerprint(KEY_A)
    assert account.calls.actions == ["NovaShowKeypair"]


def test_check_mode_over_nova_reads_once_writes_nothing_and_predicts_the_import(cloud):
    account = kps_account(cloud, keypairs_api="absent")
    predicted = keypair(account, check_mode=True, diff=True, name="deploy", public_key=KEY_A, api="nova")
    assert account.calls.actions == ["NovaShowKeypair"] and kps_keypairs(account) == {}
    created = keypair(account, name="deploy", public_key=KEY_A, api="nova")
    assert predicted["changed"] and predicted["diff"]["before"] == {}
    for field in ("name", "public_key", "fingerprint", "key_protection", "frozen"):
        assert predicted["keypair"][field] == created["keypair"][field]


@pytest.mark.parametrize("args, lacks", [
    (dict(description="CI"), "description: Nova os-keypairs v2.1 has no keypair descriptions"),
    (dict(key_protection={"encryption": "kms", "kms_key_id": KMS_KEY}),
     "key_protection: Nova os-keypairs v2.1 has no private-key custody"),
    (dict(scope="domain"), "scope: Nova os-keypairs v2.1 has no keypair scopes"),
    (dict(user_id="1a2b3c4d5e6f47788990aabbccddeeff"),
     "user_id: Nova os-keypairs v2.1 has no keypairs of another user (microversion 2.10, which is not sent)"),
    (dict(type="x509"), "type: Nova os-keypairs v2.1 has no x509 keypairs (microversion 2.2, which is not sent)"),
])
@pytest.mark.parametrize("api, v3", [("nova", "served"), ("auto", "absent"), ("auto", "forbidden")])
def test_what_nova_cannot_do_is_refused_before_any_write_naming_the_option(cloud, args, lacks, api, v3):
    account = kps_account(cloud, keypairs_api=v3)
    result = keypair(account, name="deploy", public_key=KEY_A, api=api, **args)
    why = "api=nova" if api == "nova" else FALLBACK[v3]
    option = lacks.split(":")[0]
    assert result["failed"]
    assert result["msg"] == "%s (%s); leave %s out, or use KPS v3 (api=kps) where it is served" % (lacks, why, option)
    assert writes(account) == [] and kps_keypairs(account) == {}
    assert account.calls.actions == ([] if api == "nova" else KPS_PROBE[v3])  # no Nova call either


def test_type_ssh_is_nova_s_own_and_is_not_sent(cloud):
    account = kps_account(cloud, keypairs_api="absent")
    assert keypair(account, name="deploy", public_key=KEY_A, type="ssh")["changed"]
    assert not keypair(account, name="deploy", public_key=KEY_A, type="ssh")["changed"]
    create = [c for c in account.calls if c.operation == "NovaCreateKeypair"][0]
    assert create.body == {"keypair": {"name": "deploy", "public_key": KEY_A}}


def test_a_generated_private_key_is_returned_once_over_nova_and_kept_from_the_traces(cloud):
    account = kps_account(cloud, keypairs_api="forbidden")
    result = keypair(account, name="ci-runner")
    assert result["changed"] and result["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert private_matches(result["private_key"], kps_keypairs(account)["ci-runner"]["public_key"])
    assert result["private_key"] in account.clients[-1].transport.secrets
    again = keypair(account, name="ci-runner")
    assert not again["changed"] and "private_key" not in again
    assert writes(account) == ["NovaCreateKeypair"]


def test_a_generated_private_key_goes_to_a_0600_file_over_nova(cloud, tmp_path):
    account = kps_account(cloud, keypairs_api="absent")
    path = str(tmp_path / "bastion.pem")
    result = keypair(account, name="bastion", private_key_path=path)
    assert result["changed"] and result["private_key_path"] == path and "private_key" not in result
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        assert private_matches(handle.read(), kps_keypairs(account)["bastion"]["public_key"])
    assert not keypair(account, name="bastion", private_key_path=path)["changed"]


def test_a_kept_private_key_is_not_exported_over_nova(cloud, tmp_path):
    account = kps_account(cloud, keypairs_api="absent")
    kps_add_keypair(account, "escrowed", RSA_PUBLIC, is_key_protection=True, private_key=RSA_PEM,
                    encryption={"type": "kms", "kms_key_id": KMS_KEY, "kms_key_name": "kps/demo"})
    path = str(tmp_path / "escrowed.pem")
    result = keypair(account, name="escrowed", private_key_path=path)
    assert result["failed"] and result["msg"].startswith("private_key_path: Nova os-keypairs v2.1 has no export")
    assert writes(account) == [] and not os.path.exists(path) and RSA_PEM not in repr(result)


def test_force_replaces_the_key_over_nova_unless_a_description_would_be_lost(cloud):
    account = kps_account(cloud, keypairs_api="absent")
    kps_add_keypair(account, "deploy", KEY_A)
    kps_add_keypair(account, "described", KEY_A, description="kept by KPS")
    predicted = keypair(account, check_mode=True, name="deploy", public_key=KEY_B, force=True)
    assert predicted["changed"] and writes(account) == []
    result = keypair(account, name="deploy", public_key=KEY_B, force=True)
    assert result["changed"] and result["keypair"]["fingerprint"] == md5_fingerprint(KEY_B)
    assert writes(account) == ["NovaDeleteKeypair", "NovaCreateKeypair"]
    assert kps_keypairs(account)["deploy"]["public_key"] == KEY_B
    account.calls.clear()
    refused = keypair(account, name="described", public_key=KEY_B, force=True)
    assert refused["failed"] and refused["msg"].startswith("force: Nova os-keypairs v2.1 has no keypair descriptions")
    assert writes(account) == [] and kps_keypairs(account)["described"]["public_key"] == KEY_A


def test_absent_twice_over_nova(cloud):
    account = kps_account(cloud, keypairs_api="forbidden")
    kps_add_keypair(account, "legacy", KEY_A)
    assert keypair(account, name="legacy", state="absent")["changed"]
    assert not keypair(account, name="legacy", state="absent")["changed"]
    assert writes(account) == ["NovaDeleteKeypair"] and kps_keypairs(account) == {}


@pytest.mark.parametrize("v3", ["absent", "forbidden"])
def test_info_lists_and_describes_over_nova_and_refuses_binding_tasks(cloud, v3):
    account = kps_account(cloud, keypairs_api=v3)
    kps_add_keypair(account, "a-key", KEY_A, description="first")
    kps_add_keypair(account, "b-key", KEY_B)
    listed = info(account)
    assert [k["name"] for k in listed["keypairs"]] == ["a-key", "b-key"]
    assert [k["fingerprint"] for k in listed["keypairs"]] == [md5_fingerprint(KEY_A), md5_fingerprint(KEY_B)]
    one = info(account, name="a-key")["keypairs"]
    assert len(one) == 1 and one[0]["description"] == "first" and isinstance(one[0]["id"], str)
    assert info(account, name="no-such-key")["keypairs"] == []
    refused = info(account, tasks=["failed"])
    assert refused["failed"]
    assert refused["msg"] == ("tasks: Nova os-keypairs v2.1 has no binding tasks (%s); leave tasks out, or use KPS v3 "
                              "(api=kps) where it is served" % FALLBACK[v3])
    assert "ListFailedTask" not in account.calls.actions


def test_a_nova_refusal_after_the_fallback_says_why_nova_was_asked(cloud):
    # a project the caller has no rights in: KPS v3 and Nova both answer 403
    account = kps_account(cloud)
    result = keypair(account, name="deploy", public_key=KEY_A, project_id="f" * 32)
    assert result["failed"] and result["error"]["status"] == 403
    assert result["msg"].startswith("ecs NovaShowKeypair failed: APIGW.0302: ")
    assert result["msg"].endswith("(api=auto: KPS v3 answered 403 APIGW.0302 in region cn-north-4, so Nova "
                                  "os-keypairs was used)")
    assert account.calls.actions == ["ListKeypairDetail", "NovaShowKeypair"]
