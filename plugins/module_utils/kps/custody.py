# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private-key custody (KPS ``key_protection``): the option, the request shapes, import, clear and
export (a kept private key handed over to ``private_key_path`` again).

The service never shows a kept private key except through export, so custody is compared by
what the detail reports: ``is_key_protection`` and, when the user names one by id, the KMS key
(``key_id``). A KMS key given by name cannot be compared (the detail has only the id).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

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


_KEY_BODY_LINE = re.compile(r"[A-Za-z0-9+/=]{16,}")


def protect(module, private_key):
    """Register ``private_key`` (given inline, or read from ``private_key_file``, which Ansible
    does not know to hide) as a secret of ``module``: masked in its result, warnings and errors,
    and in the call traces. Each line of the key's body too, so an echo that cuts or re-wraps the
    key, or escapes its line breaks, hides every whole line of it."""
    if not private_key:
        return
    parts = set([private_key, private_key.strip()])
    parts.update(line.strip() for line in private_key.splitlines() if _KEY_BODY_LINE.fullmatch(line.strip()))
    module.module.no_log_values.update(parts)
    module.client.transport.protect(*parts)


def desired(protection, option):
    """What the task asks of custody, as the result shows it: ``key_protection`` (True / False;
    None when not given: not compared) or ``kms_key_id`` (the KMS key ID given, when custody is
    asked for)."""
    if option == "key_protection":
        return wanted(protection)
    return protection.get("kms_key_id") if wanted(protection) else None


def need_private_key(private_key, purpose):
    """Fail, before any write, unless the task gives the private key needed to ``purpose``."""
    if not private_key:
        raise ModuleFailure("key_protection.private_key: required to %s (give private_key or private_key_file)"
                            % purpose)


def check_change(name, changes, private_key):
    """Before a custody change of keypair ``name`` (check mode too): putting its private key into
    custody, or moving it to another KMS key, needs the private key."""
    if changes.get("key_protection") or "kms_key_id" in changes:
        need_private_key(private_key, "put the private key of keypair %s into custody" % name
                         if "key_protection" in changes else
                         "move the kept private key of keypair %s to KMS key %s" % (name, changes["kms_key_id"]))


def predict_change(after, changes, kms_key_id):
    """``after`` (the keypair as predicted) with the KMS key a custody change leaves: none after a
    clear, ``kms_key_id`` (the task's) after an import."""
    if changes.get("key_protection") is False:
        after["kms_key_id"] = None
    elif changes.get("key_protection") and "kms_key_id" not in changes:
        after["kms_key_id"] = kms_key_id
    return after


def apply_change(client, name, changes, protection, private_key, user_id=None):
    """The custody ``changes`` of keypair ``name``: ClearPrivateKey when custody is to end,
    ImportPrivateKey when it is to begin or move to another KMS key; returns None."""
    if changes.get("key_protection") is False:
        clear_private_key(client, name)
    elif changes.get("key_protection") or "kms_key_id" in changes:
        import_private_key(client, name, protection, private_key, user_id)


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


def requested(protection, private_key=None):
    """The ``KeyProtection`` object of CreateKeypair when custody is asked for, else None."""
    return key_protection(protection, private_key) if wanted(protection) else None


def import_private_key(client, name, protection, private_key, user_id=None):
    """ImportPrivateKey: put the private key of an existing keypair into custody (returns None;
    the answer has no fields to read)."""
    keypair = {"name": name, "key_protection": key_protection(protection, private_key)}
    if user_id:
        keypair["user_id"] = user_id
    client.request("POST", KEYPAIRS_PATH + "/private-key/import", body={"keypair": keypair},
                   operation="ImportPrivateKey")


def clear_private_key(client, name):
    """ClearPrivateKey: remove the private key from custody (204, or 200 with or without a body;
    returns None)."""
    client.request("DELETE", KEYPAIR_PATH + "/private-key", path_params={"keypair_name": name},
                   operation="ClearPrivateKey")


def export_private_key(client, name):
    """ExportPrivateKey: the private key kept in custody (a PEM string; None when the answer has
    none)."""
    answer = client.request("POST", KEYPAIRS_PATH + "/private-key/export", body={"keypair": {"name": name}},
                            operation="ExportPrivateKey") or {}
    return (answer.get("keypair") or {}).get("private_key")


# -- a private key file that went missing ----------------------------------------------------------

def check_exportable(current, name, path):
    """Before any write, in check mode too: keypair ``name`` exists (``current``, its detail) but
    the file ``path`` that should hold its private key does not. Passes when the service keeps
    the private key (it can be exported again); otherwise fails saying how to recover."""
    if current.get("is_key_protection"):
        return
    raise ModuleFailure(
        "private_key_path: %s does not exist, but keypair %s does and the service does not keep its private "
        "key (key_protection): KPS hands a generated private key over only when it creates the keypair, so it "
        "cannot be written now. Put the private key you have at that path, set on_missing_file=rotate to generate "
        "a new keypair, write it and then delete this one, or delete the keypair (state=absent) and run the task "
        "again" % (path, name))


def export_to_file(client, name, secret, result, check_mode):
    """Hand the kept private key of ``name`` over again: exported (ExportPrivateKey) and delivered
    through ``secret`` (the module's ``SecretHandover``: written 0600 to its file; nothing to undo
    if that fails, the keypair stays as it was). In check mode nothing is read or written. Either
    way ``result`` is changed and names the file (``private_key_path``)."""
    if check_mode:
        result["private_key_path"] = os.path.abspath(secret.path)
    else:
        private_key = export_private_key(client, name)
        if not private_key:
            raise ModuleFailure("private_key_path: KPS answered ExportPrivateKey for keypair %s without a private "
                                "key, so none was written to %s" % (name, secret.path))
        secret.deliver(private_key, "private_key", None, "the exported private key", into=result)
    result["changed"] = True
    return result
