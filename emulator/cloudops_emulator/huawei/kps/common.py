"""Keypair storage and the validation shared by the KPS handlers.

A keypair is stored per project (region) under `kps.keypair`, id `<project id>/<name>`. An
escrowed ("hosted") private key is kept with it and only ever returned by export.
"""
import re

from ..fixtures import static
from . import errors, sshkeys

KEYPAIR = "kps.keypair"
COUNTER = "kps.counter"
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TYPES = ("ssh", "x509")
SCOPES = ("domain", "user")


def key_of(project_id, name):
    return "%s/%s" % (project_id, name)


def get(call, name):
    return call.emu.store.get(KEYPAIR, key_of(call.project["id"], name))


def require(call, name):
    doc = get(call, name)
    if doc is None:
        raise errors.keypair_not_found(name)
    return doc


def save(call, doc):
    call.emu.store.update(KEYPAIR, key_of(call.project["id"], doc["name"]), doc)


def check_name(name):
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise errors.invalid_name()
    return name


def next_id(emu):
    """Keypair ids are integers counted across the emulator (KeypairDetail.id is an int)."""
    counter = emu.store.get(COUNTER, "keypair") or {"value": 0}
    counter["value"] += 1
    if counter["value"] == 1:
        emu.store.insert(COUNTER, "keypair", counter)
    else:
        emu.store.update(COUNTER, "keypair", counter)
    return counter["value"]


def encryption(call, spec):
    """The stored form of an `encryption` object: {"type", "kms_key_id", "kms_key_name"}."""
    if not isinstance(spec, dict):
        raise errors.invalid("key_protection.encryption")
    kind = spec.get("type")
    if kind == "default":
        return {"type": "default"}
    if kind != "kms":
        raise errors.invalid("key_protection.encryption.type", "default or kms")
    key_id, key_name = spec.get("kms_key_id"), spec.get("kms_key_name")
    if not key_id and not key_name:
        raise errors.invalid("key_protection.encryption",
                             "kms_key_name or kms_key_id is required when type is kms")
    key = static(call.emu).kms_key(call.region, key_id=key_id, alias=key_name)
    if key is None or (key_id and key["id"] != key_id) or (key_name and key["alias"] != key_name):
        raise errors.kms_key_not_found()
    return {"type": "kms", "kms_key_id": key["id"], "kms_key_name": key["alias"]}


def encryption_view(stored):
    if not stored:
        return None
    view = {"type": stored["type"]}
    if stored["type"] == "kms":
        view.update(kms_key_id=stored["kms_key_id"], kms_key_name=stored["kms_key_name"])
    return view


def check_private_key(private_key, public_key):
    try:
        matches = sshkeys.private_matches(private_key, public_key)
    except sshkeys.KeyMaterialError as exc:
        raise errors.invalid_private_key(str(exc)) from None
    if not matches:
        raise errors.invalid_private_key("it does not belong to the public key")


def summary(doc):
    """A `Keypair` entry of ListKeypairs (note: frozen_state is a string there)."""
    return {"name": doc["name"], "type": doc["type"], "scope": doc["scope"],
            "public_key": doc["public_key"], "fingerprint": doc["fingerprint"],
            "is_key_protection": doc["is_key_protection"], "frozen_state": "0"}


def detail(doc):
    """A `KeypairDetail` (ListKeypairDetail; frozen_state an integer here)."""
    return {"name": doc["name"], "id": doc["id"], "type": doc["type"], "scope": doc["scope"],
            "public_key": doc["public_key"], "fingerprint": doc["fingerprint"],
            "is_key_protection": doc["is_key_protection"], "deleted": False,
            "description": doc.get("description", ""), "user_id": doc["user_id"],
            "create_time": doc["create_time"], "update_time": doc["update_time"],
            "delete_time": 0, "frozen_state": 0,
            "key_id": (doc.get("encryption") or {}).get("kms_key_id", ""),
            "algorithm": doc["algorithm"]}
