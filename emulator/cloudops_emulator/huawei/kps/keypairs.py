"""KPS keypairs: create (generate or import), batch import, list, show, describe, delete.

A create without `public_key` generates a 2048-bit RSA pair and returns the private key once (it
is kept only when `key_protection` asks for custody); with `public_key` it imports the key.
Listings are ordered by name; `marker` is the name of the last keypair of the previous page and
`limit` is 1-1000 (default 50; KPS documents no maximum).
"""
from ...readings import reading
from ...store import Conflict
from ..routing import route
from ..util import ok
from . import common, errors, sshkeys

BATCH_LIMIT = 10
MAX_LIMIT = 1000
BASE = "/v3/{project_id}/keypairs"


@route("POST", BASE, "kps", "CreateKeypair")
def create_keypair(call):
    spec = _keypair_spec(call.body(errors.malformed))
    doc, private_key = build(call, spec, require_public_key=False)
    insert(call, doc)
    return ok({"keypair": created_view(call, doc, private_key)})


@route("POST", BASE + "/batch-import", "kps", "BatchImportKeypair")
def batch_import_keypair(call):
    items = call.body(errors.malformed, expect=list)
    if not items:
        raise errors.invalid("body", "at least one keypair is required")
    if len(items) > BATCH_LIMIT:
        raise errors.too_many(BATCH_LIMIT)
    succeeded, failed = [], []
    for item in items:
        name = (item.get("keypair") or {}).get("name") if isinstance(item, dict) else None
        try:
            doc, _private_key = build(call, _keypair_spec(item), require_public_key=True)
            insert(call, doc)
        except errors.HuaweiError as exc:
            failed.append({"keypair_name": name if isinstance(name, str) else "",
                           "failed_reason": exc.message})
            continue
        succeeded.append({"keypair": created_view(call, doc, None)})
    return ok({"succeeded_keypairs": succeeded, "failed_keypairs": failed})


@route("GET", BASE, "kps", "ListKeypairs")
def list_keypairs(call):
    paging = reading(call.emu, "kps", "paging")
    if paging == "refused":
        for name in ("limit", "marker"):
            if call.query(name) is not None:
                raise errors.invalid(name, "not a parameter of this API")
    if paging in ("ignored", "refused"):  # the whole listing, as seed 001 documents it (no page_info)
        docs = sorted(call.emu.store.list(common.KEYPAIR, parent=call.project["id"]), key=lambda d: d["name"])
        return ok({"keypairs": [{"keypair": common.summary(call, d)} for d in docs]})
    cap = int(reading(call.emu, "kps", "max_limit"))
    clamp = reading(call.emu, "kps", "over_limit") == "clamp"
    limit = call.query_int("limit", 50, 1, None if clamp else cap,
                           lambda: errors.invalid("limit", "1-%d" % cap))
    limit = min(limit, cap)
    marker = None if paging == "limit_only" else call.query("marker") or None
    by_id = reading(call.emu, "kps", "marker") == "id"
    docs = sorted(call.emu.store.list(common.KEYPAIR, parent=call.project["id"]),
                  key=(lambda d: d["id"]) if by_id else (lambda d: d["name"]))
    if marker is not None:
        if by_id:
            try:
                after = int(marker)
            except ValueError:
                raise errors.invalid("marker") from None
            docs = [d for d in docs if d["id"] > after]
        else:
            docs = [d for d in docs if d["name"] > marker]
    page = docs[:limit]
    page_info = {"current_count": len(page)}
    next_marker = str(page[-1]["id"] if by_id else page[-1]["name"]) if page else None
    style = reading(call.emu, "kps", "next_marker")
    if next_marker and (style == "always" or (style in ("when-more", "url") and len(docs) > limit)):
        page_info["next_marker"] = next_marker if style != "url" else \
            "%s?limit=%d&marker=%s" % (call.request.path, limit, next_marker)
    if marker is not None:
        page_info["previous_marker"] = marker
    return ok({"keypairs": [{"keypair": common.summary(call, d)} for d in page],
               "page_info": page_info})


@route("GET", BASE + "/{keypair_name}", "kps", "ListKeypairDetail")
def list_keypair_detail(call):
    return ok({"keypair": common.detail(call, common.require(call, call.params["keypair_name"]))})


@route("PUT", BASE + "/{keypair_name}", "kps", "UpdateKeypairDescription")
def update_keypair_description(call):
    body = call.body(errors.malformed)
    spec = body.get("keypair")
    if not isinstance(spec, dict) or not isinstance(spec.get("description"), str):
        raise errors.invalid("keypair.description")
    if len(spec["description"]) > 255 or any(c in spec["description"] for c in "<>"):
        raise errors.invalid("keypair.description", "at most 255 characters, no < or >")
    doc = common.require(call, call.params["keypair_name"])
    doc["description"] = spec["description"]
    doc["update_time"] = int(call.now())
    common.save(call, doc)
    return common.no_content(call)


@route("DELETE", BASE + "/{keypair_name}", "kps", "DeleteKeypair")
def delete_keypair(call):
    name = call.params["keypair_name"]
    if not call.emu.store.delete(common.KEYPAIR, common.key_of(call.project["id"], name)):
        raise common.not_found(call, name)
    return common.no_content(call)


def _keypair_spec(body):
    spec = body.get("keypair") if isinstance(body, dict) else None
    if not isinstance(spec, dict):
        raise errors.invalid("keypair")
    return spec


def build(call, spec, require_public_key):
    """(stored document, private key to return or None) for a CreateKeypairAction."""
    name = common.check_name(spec.get("name"), call)
    kind = spec.get("type") or "ssh"
    scope = spec.get("scope") or reading(call.emu, "kps", "default_scope")
    if kind not in common.TYPES:
        raise errors.invalid("keypair.type", "ssh or x509")
    if scope not in common.SCOPES:
        raise errors.invalid("keypair.scope", "domain or user")
    user_id = spec.get("user_id") or call.identity.user["id"]
    if not isinstance(user_id, str):
        raise errors.invalid("keypair.user_id")
    protection = spec.get("key_protection")
    if protection is not None and not isinstance(protection, dict):
        raise errors.invalid("keypair.key_protection")
    public_key = spec.get("public_key")
    if public_key is None and require_public_key:
        raise errors.invalid("keypair.public_key", "required for an import")
    if common.get(call, name) is not None:
        raise common.exists(call, name)
    escrowed, generated = None, None
    if public_key is None:
        if protection and protection.get("private_key"):
            raise errors.invalid("keypair.key_protection.private_key",
                                 "only allowed together with public_key")
        generated, public_key = sshkeys.generate_rsa(
            pkcs8=reading(call.emu, "kps", "private_key_format") == "pkcs8")
        escrowed = generated if protection else None
    elif protection is not None:
        escrowed = protection.get("private_key")
        if not escrowed:
            raise errors.invalid("keypair.key_protection.private_key",
                                 "required to host the private key of an imported keypair")
    try:
        blob, algorithm = sshkeys.parse_public_key(public_key)
    except sshkeys.KeyMaterialError:
        raise errors.invalid_public_key() from None
    if escrowed and generated is None:
        common.check_private_key(escrowed, public_key)
    if reading(call.emu, "kps", "public_key") == "normalised":
        public_key = " ".join(public_key.split()[:2])
    encryption = common.encryption(call, protection.get("encryption")) if protection else None
    now = int(call.now())
    doc = {"name": name, "type": kind, "scope": scope, "user_id": user_id,
           "public_key": public_key, "fingerprint": sshkeys.fingerprint(blob),
           "algorithm": algorithm, "is_key_protection": bool(escrowed),
           "encryption": encryption, "private_key": escrowed, "description": "",
           "create_time": now, "update_time": now}
    return doc, generated


def insert(call, doc):
    doc["id"] = common.next_id(call.emu)
    try:
        call.emu.store.insert(common.KEYPAIR, common.key_of(call.project["id"], doc["name"]), doc,
                              parent=call.project["id"], name=doc["name"])
    except Conflict:
        raise common.exists(call, doc["name"]) from None


def created_view(call, doc, private_key):
    """A `CreateKeypairResp` (seed 001's table, L4, has no `type`)."""
    view = {"name": doc["name"], "public_key": doc["public_key"],
            "fingerprint": doc["fingerprint"], "user_id": doc["user_id"]}
    if not common.documented_only(call):
        view["type"] = doc["type"]
    if private_key:
        view["private_key"] = private_key
    return view


def generate(emu, project, tables, count, prefix):
    """`count` imported ed25519 keypairs `<prefix>-00001`... for scale tests (fixtures)."""
    user_id = next(iter(tables.users.values()))["id"] if tables.users else ""
    now = int(emu.now())
    for index in range(1, count + 1):
        public_key = sshkeys.generate_ed25519()
        blob, algorithm = sshkeys.parse_public_key(public_key)
        name = "%s-%05d" % (prefix, index)
        doc = {"name": name, "type": "ssh", "scope": "user", "user_id": user_id,
               "public_key": public_key, "fingerprint": sshkeys.fingerprint(blob),
               "algorithm": algorithm, "is_key_protection": False, "encryption": None,
               "private_key": None, "description": "", "create_time": now, "update_time": now,
               "id": common.next_id(emu)}
        emu.store.insert(common.KEYPAIR, common.key_of(project["id"], name), doc,
                         parent=project["id"], name=name)
