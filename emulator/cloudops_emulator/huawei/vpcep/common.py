"""Shared VPCEP pieces: storage kinds, delayed status changes, listing (filters, sorting,
limit/offset), tag validation and the resource views.

Status changes that take time are stored as `next: [status, epoch]` and applied when the
resource is next read (`settle`); the special status `__gone__` removes the resource. Before each
VPCEP request, `settle_due` applies every due change in a transaction of its own, so a change (and
the cascade of a deleted service) is kept even when the request that follows fails and rolls back.

Where the sources leave the service's behaviour open, `readings.reading(emu, "vpcep", point)` picks
the behaviour from the settings `readings.vpcep.<point>` (cloudops_emulator/readings.py has the
points, docs/dev/emulator.md explains them; absent = A).
"""
import re

from ...readings import reading
from . import errors

SERVICE = "vpcep.service"
ENDPOINT = "vpcep.endpoint"
PERMISSION = "vpcep.permission"
COUNTER = "vpcep.counter"
GONE = "__gone__"
MAX_TAGS = 20  # create_endpoint_service's doc; the tags/action doc says 10 (reading max_tags)
_TAG_KEY_RE = re.compile(r"^[\w .:=+\-@]{1,128}$", re.UNICODE)
_TAG_VALUE_RE = re.compile(r"^[\w .:=+\-@/]{0,255}$", re.UNICODE)


# --- delayed status changes -------------------------------------------------------------------

def schedule(doc, status, at):
    doc["next"] = [status, at]


def settle(emu, kind, doc, on_gone=None):
    """Apply a due status change; returns the document, or None when it is gone."""
    pending = doc.get("next")
    if not pending or emu.now() < pending[1]:
        return doc
    status = pending[0]
    doc["next"] = None
    if status == GONE:
        emu.store.delete(kind, doc["id"])
        if on_gone:
            on_gone(emu, doc)
        return None
    doc["status"] = status
    doc["updated_at"] = pending[1]
    emu.store.update(kind, doc["id"], doc)
    return doc


def settled_list(emu, kind, parent=None, on_gone=None):
    docs = []
    for doc in emu.store.list(kind, parent=parent):
        doc = settle(emu, kind, doc, on_gone)
        if doc is not None:
            docs.append(doc)
    return docs


def next_marker_id(emu):
    """Endpoint marker ids: integers counted across the emulator."""
    counter = emu.store.get(COUNTER, "marker") or {"value": 0x10000000}
    counter["value"] += 1
    if emu.store.get(COUNTER, "marker") is None:
        emu.store.insert(COUNTER, "marker", counter)
    else:
        emu.store.update(COUNTER, "marker", counter)
    return counter["value"]


# --- listings ---------------------------------------------------------------------------------

def page(call, items, max_limit=1000, default_limit=10):
    """Sort (sort_key create_at|update_at, sort_dir asc|desc; newest first by default) and cut
    the limit/offset page; returns (page, total).

    Readings: `limit_zero` "empty" (A: limit=0 is an empty page) or "default" (the default size);
    `offset_past_end` "empty" (A) or "error" (400 EndPoint.0010 for an offset beyond the total)."""
    limit = call.query_int("limit", default_limit, 0, max_limit, errors.factory("EndPoint.0006"))
    if limit == 0 and reading(call.emu, "vpcep", "limit_zero") == "default":
        limit = default_limit
    offset = call.query_int("offset", 0, 0, None, errors.factory("EndPoint.0010"))
    if offset > len(items) and offset > 0 and reading(call.emu, "vpcep", "offset_past_end") == "error":
        raise errors.error("EndPoint.0010", "offset %d is past the total %d" % (offset, len(items)))
    key = call.query_choice("sort_key", ("create_at", "update_at"), "create_at",
                            errors.factory("EndPoint.0017"))
    direction = call.query_choice("sort_dir", ("asc", "desc"), "desc",
                                  errors.factory("EndPoint.0018"))
    field = "created_at" if key == "create_at" else "updated_at"
    ordered = sorted(items, key=lambda d: d.get(field) or 0, reverse=direction == "desc")
    return ordered[offset:offset + limit], len(items)


def fuzzy(needle, haystack):
    return needle is None or needle.lower() in (haystack or "").lower()


# --- validation -------------------------------------------------------------------------------

def max_tags(emu):
    """Tags a resource may hold: 20 (A, the create doc) or reading `max_tags` (10, tags doc)."""
    return reading(emu, "vpcep", "max_tags")


def check_tags(tags, existing=None, require_value=True, limit=MAX_TAGS):
    """Validated [{key, value}] (keys unique, at most `limit` together with `existing`)."""
    if tags is None:
        return []
    if not isinstance(tags, list):
        raise errors.error("EndPoint.3068", "tags must be a list")
    seen, result = set(), []
    for tag in tags:
        if not isinstance(tag, dict) or not tag.get("key"):
            raise errors.error("EndPoint.3066")
        key, value = tag["key"], tag.get("value")
        if not isinstance(key, str) or len(key) > 128:
            raise errors.error("EndPoint.3072")
        if key != key.strip() or key.startswith("_sys_") or not _TAG_KEY_RE.match(key):
            raise errors.error("EndPoint.3068", "key %r" % key)
        if value is None:
            if require_value:
                raise errors.error("EndPoint.3068", "a value is required for %r" % key)
        elif not isinstance(value, str) or len(value) > 255:
            raise errors.error("EndPoint.3073")
        elif not _TAG_VALUE_RE.match(value):
            raise errors.error("EndPoint.3068", "value of %r" % key)
        if key in seen:
            raise errors.error("EndPoint.3067")
        seen.add(key)
        result.append({"key": key, "value": value} if value is not None else {"key": key})
    if len(seen | {t["key"] for t in existing or []}) > limit:
        raise errors.error("EndPoint.3069")
    return result


def check_description(value, field="description"):
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 512 or "<" in value or ">" in value:
        raise errors.error("EndPoint.0002", field)
    return value


def check_bool(value, field, code="EndPoint.0002"):
    if value is not None and not isinstance(value, bool):
        raise errors.error(code, field)
    return value


def drop_none(view):
    return {key: value for key, value in view.items() if value is not None}
