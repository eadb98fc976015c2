# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of the collection's module_utils each module's AnsiballZ payload carries, as ansible-core
builds it (``recursive_finder`` follows the imports): a KSYUN module ships no Huawei Cloud code and
a Huawei Cloud module no KSYUN code, so the engine names no cloud."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# Run apart: the collection finder ansible-core installs must not stay in pytest's process.
FINDER = r"""
import datetime, io, json, os, sys, zipfile
from ansible._internal._ansiballz._builder import ExtensionManager
from ansible.executor.module_common import recursive_finder
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

tree, names = sys.argv[1], sys.argv[2:]
_AnsibleCollectionFinder(paths=[tree])._install()
modules = os.path.join(tree, "ansible_collections", "cloudops", "multicloud", "plugins", "modules")
carried = {}
for name in names:
    with open(os.path.join(modules, name + ".py"), "rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(), "w") as zf:
        recursive_finder(name, "ansible_collections.cloudops.multicloud.plugins.modules." + name, data, zf,
                         datetime.datetime(2020, 1, 1), ExtensionManager())
        prefix = "ansible_collections/cloudops/multicloud/plugins/module_utils/"
        carried[name] = sorted(n[len(prefix):-3] for n in zf.namelist()
                               if n.startswith(prefix) and not n.endswith("__init__.py"))
print(json.dumps(carried))
"""

ENGINE = {"api_actions", "engine/base", "engine/waiter"}
# The state machine and its write reconciliation: resource modules only, not _info modules.
STATEFUL = {"controller_lock", "engine/stateful", "engine/unclear_writes"}
KSYUN_CORE = ENGINE | {"cloud_options", "connections", "errors", "ksyun", "sigv4", "transport", "validation"}
HUAWEI_CORE = ENGINE | {"cloud_options", "connections", "errors", "huaweicloud", "sdk_hmac", "transport", "validation"}


@pytest.fixture(scope="module")
def payloads(tmp_path_factory):
    tree = tmp_path_factory.mktemp("collections")
    link = tree / "ansible_collections" / "cloudops" / "multicloud"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT)
    names = sorted(os.path.splitext(n)[0] for n in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                   if n.endswith(".py") and n != "__init__.py")
    out = subprocess.run([sys.executable, "-c", FINDER, str(tree)] + names, check=True, stdout=subprocess.PIPE)
    return dict((name, set(utils)) for name, utils in json.loads(out.stdout).items())


def test_a_kcr_module_carries_ksyun_and_kcr_code_only(payloads):
    # kcr/absence: what a common-code error leaves open, decided from listings (every instance-scoped module)
    assert payloads["kcr_namespace"] == KSYUN_CORE | STATEFUL | {"kcr/absence", "kcr/api", "kcr/common", "kcr/instances",
                                                                 "kcr/namespaces"}
    assert payloads["kcr_instance"] == KSYUN_CORE | STATEFUL | {"kcr/api", "kcr/instances"}
    assert payloads["kcr_token"] == KSYUN_CORE | STATEFUL | {"kcr/absence", "kcr/api", "kcr/common", "kcr/instances",
                                                             "kcr/tokens", "secret_file", "secret_handover"}


def test_a_huawei_module_carries_huawei_and_its_service_code_only(payloads):
    kps = {"kps/api", "kps/keypairs", "kps/tasks", "kps/keypair_api", "kps/nova", "kps/custody"}
    assert payloads["ssh_keypair_info"] == HUAWEI_CORE | kps


def test_no_module_carries_the_other_cloud(payloads):
    for name, utils in payloads.items():
        assert not ({"ksyun", "sigv4"} & utils and {"huaweicloud", "sdk_hmac"} & utils), name
        assert "ksyun" in utils or "huaweicloud" in utils, name
