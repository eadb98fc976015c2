"""The ECS host's side of the keypairs: Nova-compatible `os-keypairs` v2.1 over the **same**
store as KPS v3 (seed 001). ECS ShowServer, which tells which keypair a server has, is in servers.py.

A keypair made through `os-keypairs` is a KPS keypair (and the other way round): create/import,
list, show and delete work on the same documents. Answers follow seed 001: the list entries are
`{"keypair": {fingerprint, name, public_key, is_key_protection}}` (no paging is documented), the
show answer has Nova's `created_at` (`2014-05-07T12:06:13.681238`), `deleted`, `deleted_at`,
`updated_at`, an integer `id`, `user_id`, `is_key_protection` and `description`. Errors are
Nova's `{"badRequest"|"itemNotFound"|"conflictingRequest": {"code", "message"}}`.
"""
import datetime

from ...http import json_response
from ..errors import HuaweiError
from ..routing import route
from ..util import no_content, ok
from . import common, errors, keypairs

BASE = "/v2.1/{project_id}/os-keypairs"
_NOVA_KINDS = {400: "badRequest", 404: "itemNotFound", 409: "conflictingRequest"}


def _nova(handler):
    """Answer KPS errors the Nova way."""
    def wrapped(call):
        try:
            return handler(call)
        except HuaweiError as exc:
            if exc.code.startswith("APIGW."):
                raise
            kind = _NOVA_KINDS.get(exc.status, "computeFault")
            return json_response(exc.status, {kind: {"code": exc.status, "message": exc.message}})
    wrapped.__name__ = handler.__name__
    return wrapped


def _nova_time(epoch):
    if not epoch:
        return None
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")


@route("POST", BASE, "ecs", "NovaCreateKeypair")
@_nova
def nova_create_keypair(call):
    body = call.body(errors.malformed)
    spec = body.get("keypair") if isinstance(body, dict) else None
    if not isinstance(spec, dict):
        raise errors.invalid("keypair")
    spec = {k: spec[k] for k in ("name", "public_key", "type", "user_id", "key_protection")
            if k in spec}
    doc, private_key = keypairs.build(call, spec, require_public_key=False)
    keypairs.insert(call, doc)
    answer = {"fingerprint": doc["fingerprint"], "name": doc["name"],
              "public_key": doc["public_key"], "user_id": doc["user_id"]}
    if private_key:
        answer["private_key"] = private_key
    return ok({"keypair": answer})


@route("GET", BASE, "ecs", "NovaListKeypairs")
@_nova
def nova_list_keypairs(call):
    docs = sorted(call.emu.store.list(common.KEYPAIR, parent=call.project["id"]),
                  key=lambda d: d["name"])
    return ok({"keypairs": [{"keypair": {
        "fingerprint": d["fingerprint"], "name": d["name"], "public_key": d["public_key"],
        "is_key_protection": d["is_key_protection"]}} for d in docs]})


@route("GET", BASE + "/{keypair_name}", "ecs", "NovaShowKeypair")
@_nova
def nova_show_keypair(call):
    doc = common.get(call, call.params["keypair_name"])
    if doc is None:
        raise errors.keypair_not_found(call.params["keypair_name"])
    updated = doc["update_time"] if doc["update_time"] != doc["create_time"] else None
    return ok({"keypair": {
        "created_at": _nova_time(doc["create_time"]), "deleted": False, "deleted_at": None,
        "fingerprint": doc["fingerprint"], "id": doc["id"], "name": doc["name"],
        "public_key": doc["public_key"], "updated_at": _nova_time(updated),
        "user_id": doc["user_id"], "is_key_protection": doc["is_key_protection"],
        "description": doc.get("description", "")}})


@route("DELETE", BASE + "/{keypair_name}", "ecs", "NovaDeleteKeypair")
@_nova
def nova_delete_keypair(call):
    name = call.params["keypair_name"]
    if not call.emu.store.delete(common.KEYPAIR, common.key_of(call.project["id"], name)):
        raise errors.keypair_not_found(name)
    return no_content()
