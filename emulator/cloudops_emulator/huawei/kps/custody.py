"""KPS private-key custody: import (host) a private key, export it, batch export, clear it.

A hosted key is encrypted with the fixture KMS key the request names (`kms`) or the service's
default key (`default`); the emulator stores it as given and never echoes it except on export.
Batch export answers a zip archive with one `<name>.pem` per keypair (the format is not
documented; the SDK exposes the raw body).
"""
import io
import zipfile

from ...http import Response
from ..routing import route
from ..util import ok
from . import common, errors

BASE = "/v3/{project_id}/keypairs"
BATCH_LIMIT = 10


@route("POST", BASE + "/private-key/import", "kps", "ImportPrivateKey")
def import_private_key(call):
    spec = call.body(errors.malformed).get("keypair")
    if not isinstance(spec, dict):
        raise errors.invalid("keypair")
    name = common.check_name(spec.get("name"), call)
    protection = spec.get("key_protection")
    if not isinstance(protection, dict) or not protection.get("private_key"):
        raise errors.invalid("keypair.key_protection.private_key")
    doc = common.require(call, name)
    common.check_private_key(protection["private_key"], doc["public_key"])
    doc["encryption"] = common.encryption(call, protection.get("encryption"))
    doc["private_key"] = protection["private_key"]
    doc["is_key_protection"] = True
    doc["update_time"] = int(call.now())
    common.save(call, doc)
    return ok({"keypair": {"name": name, "user_id": spec.get("user_id") or doc["user_id"],
                           "key_protection": {
                               "encryption": common.encryption_view(doc["encryption"])}}})


@route("POST", BASE + "/private-key/export", "kps", "ExportPrivateKey")
def export_private_key(call):
    spec = call.body(errors.malformed).get("keypair")
    if not isinstance(spec, dict):
        raise errors.invalid("keypair")
    doc = _hosted(call, common.check_name(spec.get("name"), call))
    return ok({"keypair": {"name": doc["name"], "private_key": doc["private_key"]}})


@route("POST", BASE + "/private-key/batch-export", "kps", "BatchExportPrivateKey")
def batch_export_private_key(call):
    items = call.body(errors.malformed, expect=list)
    if not items:
        raise errors.invalid("body", "at least one keypair is required")
    if len(items) > BATCH_LIMIT:
        raise errors.too_many(BATCH_LIMIT)
    docs = []
    for item in items:
        spec = item.get("keypair") if isinstance(item, dict) else None
        if not isinstance(spec, dict):
            raise errors.invalid("keypair")
        docs.append(_hosted(call, common.check_name(spec.get("name"), call)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            archive.writestr("%s.pem" % doc["name"], doc["private_key"])
    return Response(200, buffer.getvalue(), {
        "Content-Type": "application/zip",
        "Content-Disposition": 'attachment; filename="keypairs.zip"'})


@route("DELETE", BASE + "/{keypair_name}/private-key", "kps", "ClearPrivateKey")
def clear_private_key(call):
    doc = _hosted(call, call.params["keypair_name"])
    doc.update(private_key=None, encryption=None, is_key_protection=False,
               update_time=int(call.now()))
    common.save(call, doc)
    return common.no_content(call)


def _hosted(call, name):
    doc = common.require(call, name)
    if not doc.get("private_key"):
        raise errors.not_in_custody(name)
    return doc
