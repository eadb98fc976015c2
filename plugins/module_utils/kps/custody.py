# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private-key custody (KPS ``key_protection``): the option, the request shapes, import and clear.

The service never shows a kept private key except through export, so custody is compared by
what the detail reports: ``is_key_protection`` and, when the user names one by id, the KMS key
(``key_id``). A KMS key given by name cannot be compared (the detail has only the id).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import (
    KEYPAIR_PATH,
    KEYPAIRS_PATH,
    KeyMaterialError,
    check_private_key,
)

ENCRYPTIONS = ("default", "kms", "none")

KEY_PROTECTION_SPEC = dict(
    type="dict",
    no_log=False,
    options=dict(
        encryption=dict(type="str", choices=list(ENCRYPTIONS), required=True),
        kms_key_name=dict(type="str"),
        kms_key_id=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_file=dict(type="path"),
    ),
    mutually_exclusive=[("kms_key_name", "kms_key_id"), ("private_key", "private_key_file")],
    required_if=[("encryption", "kms", ("kms_key_name", "kms_key_id"), True)],
)


def wanted(protection):
    """True / False when the user asked for custody / for none; None when the option is absent."""
    if not protection:
        return None
    return protection["encryption"] != "none"


def check(protection):
    """Refuse options that make no sense together, before any call."""
    if not protection:
        return
    if protection["encryption"] != "kms" and (protection.get("kms_key_name") or protection.get("kms_key_id")):
        raise ModuleFailure("key_protection.kms_key_name/kms_key_id: only used with encryption=kms")
    if protection["encryption"] == "none" and (protection.get("private_key") or protection.get("private_key_file")):
        raise ModuleFailure("key_protection.private_key: encryption=none removes the private key from custody; "
                            "do not give one")


def private_key_of(protection, read_file):
    """The private key to put in custody (from ``private_key`` or ``private_key_file``), checked
    to be one unencrypted PEM key; None when none was given."""
    if not protection:
        return None
    text, option = protection.get("private_key"), "key_protection.private_key"
    if protection.get("private_key_file"):
        option = "key_protection.private_key_file"
        text = read_file(option, protection["private_key_file"])
    if text is None:
        return None
    try:
        check_private_key(text)
    except KeyMaterialError as exc:
        raise ModuleFailure("%s: %s" % (option, exc))
    return text


def encryption(protection):
    """The ``Encryption`` object of a request."""
    body = {"type": protection["encryption"]}
    if protection.get("kms_key_id"):
        body["kms_key_id"] = protection["kms_key_id"]
    if protection.get("kms_key_name"):
        body["kms_key_name"] = protection["kms_key_name"]
    return body


def key_protection(protection, private_key=None):
    """The ``KeyProtection`` object of CreateKeypair."""
    body = {"encryption": encryption(protection)}
    if private_key:
        body["private_key"] = private_key
    return body


def import_private_key(client, name, protection, private_key, user_id=None):
    """ImportPrivateKey: put the private key of an existing keypair into custody."""
    keypair = {"name": name, "key_protection": key_protection(protection, private_key)}
    if user_id:
        keypair["user_id"] = user_id
    client.request("POST", KEYPAIRS_PATH + "/private-key/import", body={"keypair": keypair},
                   operation="ImportPrivateKey")


def clear_private_key(client, name):
    """ClearPrivateKey: remove the private key from custody (204, or 200 with or without a body)."""
    client.request("DELETE", KEYPAIR_PATH + "/private-key", path_params={"keypair_name": name},
                   operation="ClearPrivateKey")


def export_private_key(client, name):
    """ExportPrivateKey: the private key kept in custody."""
    answer = client.request("POST", KEYPAIRS_PATH + "/private-key/export", body={"keypair": {"name": name}},
                            operation="ExportPrivateKey") or {}
    return (answer.get("keypair") or {}).get("private_key")
