# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets are masked by construction: every option of every module whose name looks secret (the
pattern ansible-test's validate-modules uses) is ``no_log``, unless it is allow-listed here with
the reason it is not a secret. An explicit ``no_log=False`` does not count as a decision here: it
needs an entry too, so flipping a real secret to False fails this test (sanity would accept it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib
import inspect
import json
import os
import re

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import CloudModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import Transport
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import RecordingClient, run_module

# validate-modules' no_log check looks at option names matching this.
SECRET_NAME = re.compile(r"(?:pass(?!ive)|secret|token|key)", re.I)

# (module or "*", option) -> why it is not a secret.
NOT_SECRET = {
    ("*", "access_key"): "the access key ID names the account, like a user name; the secret key is the secret",
    ("kcr_token", "token_type"): "Hour, Day or NeverExpire",
    ("kcr_token", "token_time"): "a number of hours or days",
    ("kcr_token", "token_file"): "a path; the token written there is not returned",
    ("kcr_token_info", "token_id"): "the credential's id, not its token",
    ("ssh_keypair", "public_key"): "a public key",
    ("ssh_keypair", "public_key_file"): "a path to a public key",
    ("ssh_keypair", "key_protection"): "custody settings; the private_key suboption is no_log",
    ("ssh_keypair", "kms_key_name"): "the name of a KMS key, not key material",
    ("ssh_keypair", "kms_key_id"): "the id of a KMS key, not key material",
    ("ssh_keypair", "private_key_file"): "a path; the key read from it is sent, never returned",
    ("ssh_keypair", "private_key_path"): "the path the generated private key is written to (mode 0600)",
    ("ssh_keypair_binding", "keypair_name"): "a keypair's name",
    ("ssh_keypair_binding", "disable_password"): "a flag: whether the server keeps password login",
}

MODULE_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins", "modules")
MODULE_NAMES = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(MODULE_DIR, "*.py"))
                      if not p.endswith("__init__.py"))


def module_class(name):
    module = importlib.import_module("ansible_collections.cloudops.multicloud.plugins.modules.%s" % name)
    classes = [c for _n, c in inspect.getmembers(module, inspect.isclass)
               if issubclass(c, CloudModule) and c.__module__ == module.__name__]
    assert len(classes) == 1, "%s: expected one module class, found %s" % (name, classes)
    return classes[0]


def full_spec(cls):
    spec = dict(cls.api.argument_spec())
    spec.update(cls.shared_spec)
    spec.update(cls.argument_spec)
    return spec


def walk(spec, prefix=""):
    for option, settings in spec.items():
        yield prefix + option, option, settings
        if settings.get("options"):
            yield from walk(settings["options"], prefix + option + ".")


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_every_secret_looking_option_is_no_log_or_allow_listed(name):
    cls = module_class(name)
    unmasked = []
    for path, option, settings in walk(full_spec(cls)):
        if not SECRET_NAME.search(option) or settings.get("no_log") is True:
            continue
        if (name, option) in NOT_SECRET or ("*", option) in NOT_SECRET:
            continue
        unmasked.append(path)
    assert unmasked == [], "%s: secret-looking options without no_log and without a reason: %s" % (name, unmasked)


def test_every_allow_list_entry_names_an_existing_option():
    options = dict((name, set(o for _p, o, _s in walk(full_spec(module_class(name))))) for name in MODULE_NAMES)
    for module, option in NOT_SECRET:
        if module != "*" and module in options:
            assert option in options[module], "stale entry: %s.%s" % (module, option)


@pytest.mark.parametrize("option", ["secret_key", "security_token", "auth_password"])
def test_credentials_are_no_log_in_every_module(option):
    for name in MODULE_NAMES:
        spec = full_spec(module_class(name))
        if option in spec:
            assert spec[option].get("no_log") is True, "%s.%s" % (name, option)


class Refusing(RecordingClient):
    """Every call fails the way a cloud refuses bad credentials, echoing what it got."""

    def __init__(self, echoed, status=403):
        super(Refusing, self).__init__()
        self.echoed = echoed
        self.status = status
        self.transport = Transport(timeout=1, retries=0)  # where modules register the secrets to scrub

    def answer(self, action, params):
        from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError
        raise CloudError("the token %s is not valid" % self.echoed, status=self.status, code="InvalidClientTokenId",
                         service="kcrs", operation=action)

    def request(self, method, path, **kwargs):
        return self.answer(kwargs.get("operation"), {})


def test_security_token_is_masked_in_every_output_of_a_ksyun_module():
    token = "sts-token-ZZ9-never-shown"
    cls = module_class("kcr_namespace")
    result = run_module(cls, {"access_key": "AKLTUNIT", "secret_key": "unit-secret-xx1", "security_token": token,
                              "instance_id": "i-1", "name": "ns1"}, Refusing(token))
    assert result["failed"] is True
    assert token not in json.dumps(result) and "unit-secret-xx1" not in json.dumps(result)


def test_auth_password_is_masked_in_every_output_of_a_huawei_module():
    password = "iam-password-QQ7-never-shown"
    huawei = [n for n in MODULE_NAMES if "auth_password" in full_spec(module_class(n))]
    if not huawei:
        pytest.skip("no Huawei module yet")
    cls = module_class(huawei[0])
    result = run_module(cls, {"auth_username": "alice", "auth_password": password, "auth_domain": "acme",
                              "region": "cn-north-4", "project_id": "p1", "name": "k1"}, Refusing(password))
    assert password not in json.dumps(result)


# A well-formed unencrypted PEM key: the module checks the form before any call.
PRIVATE_KEY_LINES = ["MIIEowIBAAKCAQEAsecretLINEone0123456789abcdefghijklmnopqrstuvwx",
                     "secretLINEtwo0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn",
                     "secretLINEthree9876543210=="]
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----\n" % "\n".join(PRIVATE_KEY_LINES)


@pytest.mark.parametrize("echoed", ["the key", "one line of it", "its line breaks escaped"])
@pytest.mark.parametrize("given", ["private_key", "private_key_file"])
def test_a_custody_private_key_is_masked_in_every_output_of_ssh_keypair(tmp_path, given, echoed):
    """However the task gives it, and however much of it a cloud echoes in an error."""
    if given == "private_key_file":
        key_file = tmp_path / "id_rsa"
        key_file.write_text(PRIVATE_KEY)
        protection = dict(encryption="default", private_key_file=str(key_file))
    else:
        protection = dict(encryption="default", private_key=PRIVATE_KEY)
    echo = {"the key": PRIVATE_KEY, "one line of it": PRIVATE_KEY_LINES[1],
            "its line breaks escaped": PRIVATE_KEY.replace("\n", "\\n")}[echoed]
    args = dict(access_key="AK", secret_key="SK", region="cn-north-4", project_id="p1", name="k1",
                public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBzUHJ2W6pItk5P3Pr4tjCfZ5Y9ZPz2E8t6SS7wkBmxy a@b",
                key_protection=protection)

    cloud = Refusing(echo, status=401)  # Huawei's bad credentials (a 403 would send api=auto to Nova)
    result = run_module(module_class("ssh_keypair"), args, cloud)

    assert result["failed"] is True and "ListKeypairDetail failed" in result["msg"]
    for line in PRIVATE_KEY_LINES:
        assert line not in json.dumps(result)
    assert set(PRIVATE_KEY_LINES) <= cloud.transport.secrets  # the call traces are scrubbed too
