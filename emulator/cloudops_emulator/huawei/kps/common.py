"""Keypair storage, the validation shared by the KPS handlers, and the readings.

A keypair is stored per project (region) under `kps.keypair`, id `<project id>/<name>`. An
escrowed ("hosted") private key is kept with it and only ever returned by export.

Readings: where seed 001 and the SDK models leave KPS's behaviour open, settings under
`readings.kps.<point>` choose the second reading (absent = reading A, the behaviour documented in
docs/dev/emulator.md); the points are in cloudops_emulator/readings.py.
"""
import datetime
import re

from ...http import Response
from ...readings import reading
from ..fixtures import static
from ..util import no_content as _no_content
from ..util import ok
from . import errors, sshkeys

KEYPAIR = "kps.keypair"
COUNTER = "kps.counter"
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
TYPES = ("ssh", "x509")
SCOPES = ("domain", "user")


def no_content(call):
    """The answer of an update, delete or clear (204, or 200 with or without a body)."""
    kind = reading(call.emu, "kps", "no_content")
    if kind == "200":
        return Response(200, b"")
    if kind == "200-json":
        return ok({})
    return _no_content()


def key_of(project_id, name):
    return "%s/%s" % (project_id, name)


def get(call, name):
    return call.emu.store.get(KEYPAIR, key_of(call.project["id"], name))


def require(call, name):
    doc = get(call, name)
    if doc is None:
        raise not_found(call, name)
    return doc


def not_found(call, name):
    return errors.keypair_not_found(name, reading(call.emu, "kps", "not_found_status"))


def exists(call, name):
    return errors.keypair_exists(name, reading(call.emu, "kps", "duplicate_status"))


def save(call, doc):
    call.emu.store.update(KEYPAIR, key_of(call.project["id"], doc["name"]), doc)


def check_name(name, call=None):
    limit = reading(call.emu, "kps", "name_max") if call is not None else 64
    if not isinstance(name, str) or not NAME_RE.match(name) or len(name.encode()) > limit:
        raise errors.invalid_name(limit)
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


def documented_only(call):
    """True under `readings.kps.keypair_fields: documented`: a keypair carries only the fields
    seed 001's tables list."""
    return reading(call.emu, "kps", "keypair_fields") == "documented"


def summary(call, doc):
    """A `Keypair` entry of ListKeypairs (frozen_state a string there, as the SDK model says; seed
    001's table (L10) lists only fingerprint, name, public_key and is_key_protection)."""
    entry = {"name": doc["name"], "public_key": doc["public_key"], "fingerprint": doc["fingerprint"],
             "is_key_protection": doc["is_key_protection"]}
    if documented_only(call):
        return entry
    frozen = doc.get("frozen_state", 0)
    entry.update(type=doc["type"], scope=doc["scope"],
                 frozen_state=frozen if reading(call.emu, "kps", "frozen_state") == "swapped" else str(frozen))
    if reading(call.emu, "kps", "marker") == "id":
        entry["id"] = doc["id"]
    return entry


def time_value(call, epoch):
    """A time as `readings.kps.time_unit` has it: epoch seconds, milliseconds or ISO 8601 text
    (seed 001's sample: `2014-05-07T12:06:13.681238`, UTC without a zone)."""
    unit = reading(call.emu, "kps", "time_unit")
    if unit == "iso":
        return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return epoch * 1000 if unit == "ms" else epoch


def detail(call, doc):
    """A `KeypairDetail` (ListKeypairDetail; frozen_state an integer here), or under
    `keypair_fields: documented` the detail of seed 001's table (L12: created_at, deleted,
    deleted_at, id as a String, updated_at, is_key_protection, description)."""
    if documented_only(call):
        return {"name": doc["name"], "id": str(doc["id"]), "public_key": doc["public_key"],
                "fingerprint": doc["fingerprint"], "user_id": doc["user_id"],
                "is_key_protection": doc["is_key_protection"], "description": doc.get("description", ""),
                "created_at": time_value(call, doc["create_time"]), "deleted": False, "deleted_at": None,
                "updated_at": time_value(call, doc["update_time"])}
    frozen = doc.get("frozen_state", 0)
    answer = {"name": doc["name"], "id": doc["id"], "type": doc["type"], "scope": doc["scope"],
              "public_key": doc["public_key"], "fingerprint": doc["fingerprint"],
              "is_key_protection": doc["is_key_protection"], "deleted": False,
              "description": doc.get("description", ""), "user_id": doc["user_id"],
              "create_time": time_value(call, doc["create_time"]),
              "update_time": time_value(call, doc["update_time"]), "delete_time": 0,
              "frozen_state": str(frozen) if reading(call.emu, "kps", "frozen_state") == "swapped" else frozen,
              "algorithm": doc["algorithm"]}
    kms_key_id = (doc.get("encryption") or {}).get("kms_key_id", "")
    if reading(call.emu, "kps", "kms_key_field") == "key_id":
        answer["key_id"] = kms_key_id
    elif doc["is_key_protection"]:
        answer["key_protection"] = {"encryption": encryption_view(doc.get("encryption"))}
    return answer
