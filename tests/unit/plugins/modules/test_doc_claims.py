# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``ansible-doc`` tells a user, held to the code: every module's documentation (with the
fragments it extends) reads as a user guide, not as notes on the sources; and a sample of its
checkable sentences (custody and creation defaults, the cost of an idempotent run) is run
against the emulator. ansible-test validate-modules already checks option names, types,
choices and defaults against the argument spec."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib
import os
import re

import pytest
import yaml

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_namespace import KcrNamespace
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_token import KcrToken
from ansible_collections.cloudops.multicloud.plugins.modules.ssh_keypair import SshKeypair
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import kps_account, kps_keypairs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))
PACKAGE = "ansible_collections.cloudops.multicloud.plugins."
KSYUN = {"access_key": "AKLTUNIT", "secret_key": "unit-secret"}
HUAWEI = dict(access_key="AK", secret_key="SK", region="cn-north-4", project_id="0f1e2d3c4b5a69788796a5b4c3d2e1f0")

# Phrases of notes written while reading the sources, which tell a user nothing they can act on.
INTERNAL = re.compile(r"the emulator (lists|does)|all the emulator|unreadable|\bseed \d|SDK model|Go SDK|"
                      r"the documents (do not|leave)|reading of the documents|leaves it open|"
                      r"is certain \(|docs/dev|api-sources", re.I)


def module_of(name):
    return importlib.import_module(PACKAGE + "modules." + name)


def user_text(name):
    """The documentation and return text of module ``name`` with the fragments it extends."""
    module = module_of(name)
    doc = yaml.safe_load(module.DOCUMENTATION)
    texts = [module.DOCUMENTATION, module.RETURN]
    for fragment in doc.get("extends_documentation_fragment") or ():
        fragment_name, _dot, variant = fragment.replace("cloudops.multicloud.", "").partition(".")
        holder = importlib.import_module(PACKAGE + "doc_fragments." + fragment_name).ModuleDocFragment
        texts.append(getattr(holder, variant.upper() or "DOCUMENTATION"))
    return "\n".join(texts)


def sentences(description):
    text = " ".join(description if isinstance(description, list) else [description])
    return " ".join(text.split())


def option_doc(name, *path):
    options = yaml.safe_load(module_of(name).DOCUMENTATION)["options"]
    for step in path[:-1]:
        options = options[step]["suboptions"]
    return sentences(options[path[-1]]["description"])


@pytest.mark.parametrize("name", MODULES)
def test_the_doc_reads_as_a_user_guide(name):
    found = sorted(set(match.group(0) for match in INTERNAL.finditer(user_text(name))))
    assert found == [], "%s's documentation reads like notes on the sources: %s" % (name, found)


def test_a_generated_keypair_is_kept_only_when_key_protection_asks_for_it(cloud, tmp_path):
    doc = option_doc("ssh_keypair", "key_protection")
    assert "When omitted, custody is left as it is, and a new keypair has none" in doc
    assert "Given when the cloud generates the keypair, the service keeps the generated private key" in doc
    account = kps_account(cloud)

    plain = account.run(SshKeypair, dict(HUAWEI, name="plain", private_key_path=str(tmp_path / "plain.pem")))
    kept = account.run(SshKeypair, dict(HUAWEI, name="kept", private_key_path=str(tmp_path / "kept.pem"),
                                        key_protection={"encryption": "default"}))

    assert (plain["changed"], plain["keypair"]["key_protection"]) == (True, False)
    assert (kept["changed"], kept["keypair"]["key_protection"]) == (True, True)
    stored = kps_keypairs(account)
    assert (stored["plain"]["is_key_protection"], stored["plain"]["private_key"]) == (False, None)
    assert stored["kept"]["is_key_protection"] is True and stored["kept"]["private_key"]


def test_a_new_namespace_is_private_and_a_new_token_enabled_as_documented(cloud, kcr):
    assert "When a namespace is created and O(public) is not given, it is private." in option_doc(
        "kcr_namespace", "public")
    assert "When a credential is created and O(enabled) is not given, it is enabled." in option_doc(
        "kcr_token", "enabled")
    registry = kcr.add_instance("prod-registry")

    namespace = cloud.run(KcrNamespace, dict(KSYUN, instance_id=registry["InstanceId"], name="team"))
    token = cloud.run(KcrToken, dict(KSYUN, instance_id=registry["InstanceId"], description="ci",
                                     token_type="Day", token_time=30))

    assert namespace["namespace"]["public"] is False
    assert token["token"]["enabled"] is True


@pytest.mark.parametrize("name, module_class, args, setup", [
    ("kcr_namespace", KcrNamespace, dict(KSYUN, name="team"), "registry"),
    ("ssh_keypair", SshKeypair, dict(HUAWEI, name="deploy",
                                     public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBzUHJ2W6pItk5P3Pr4tjCfZ5Y9ZPz2E8t6SS7wkBmxy"),
     "kps"),
])
def test_an_idempotent_run_costs_the_call_the_doc_names(cloud, kcr, name, module_class, args, setup):
    description = sentences(yaml.safe_load(module_of(name).DOCUMENTATION)["description"])
    claimed = re.search(r"An idempotent run costs one (\w+) call", description).group(1)
    if setup == "registry":
        args = dict(args, instance_id=kcr.add_instance("prod-registry")["InstanceId"])
    else:
        kps_account(cloud)
    assert cloud.run(module_class, args)["changed"] is True
    cloud.calls[:] = []

    again = cloud.run(module_class, args)

    assert again["changed"] is False
    assert cloud.calls.actions == [claimed]
