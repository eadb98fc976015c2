"""Whitelist records (permissions) of an endpoint service: list, add/remove, batch add, batch
remove, describe.

Formats: `iam:domain::<account id>` (permission_type `domainId`; `*` for everyone) and
`organizations:orgPath::<path>` (`orgPath`). The owner is always allowed and not listed. When a
record admits one of the fixture consumer accounts (`vpcep.consumers`), that account connects an
endpoint to the service, as a waiting consumer would.

Reading `permission_twice`: "noop" (A: adding a record that exists keeps it) or "error" (400
EndPoint.3056).
"""
import re

from ...readings import reading
from ..fixtures import static
from ..routing import route
from ..util import iso_time, new_id, ok
from . import common, endpoints, errors, services

BASE = "/v1/{project_id}/vpc-endpoint-services/{vpc_endpoint_service_id}/permissions"
MAX_RECORDS = 1000
BATCH_LIMIT = 50
_FORMATS = {"domainId": re.compile(r"^iam:domain::([A-Za-z0-9]{1,64}|\*)$"),
            "orgPath": re.compile(r"^organizations:orgPath::([A-Za-z0-9/*?-]{1,1024}|\*)$")}


@route("GET", BASE, "vpcep", "ListServicePermissionsDetails")
def list_service_permissions_details(call):
    service = services.require(call)
    needle = call.query("permission")
    found = [p for p in records(call, service) if common.fuzzy(needle, p["permission"])]
    page, total = common.page(call, found, max_limit=500)
    return ok({"permissions": [_short_view(p) for p in page], "total_count": total})


@route("POST", BASE + "/action", "vpcep", "AddOrRemoveServicePermissions")
def add_or_remove_service_permissions(call):
    body = call.body(errors.malformed)
    service = services.require(call)
    values = body.get("permissions")
    if not isinstance(values, list) or not values:
        raise errors.error("EndPoint.3036")
    action = body.get("action")
    if action not in ("add", "remove"):
        raise errors.error("EndPoint.3035")
    kind = body.get("permission_type") or "domainId"
    for value in values:
        _check(value, kind)
    if action == "add":
        for value in values:
            _add(call, service, value, kind, "")
    else:
        for record in records(call, service):
            if record["permission"] in values:
                call.emu.store.delete(common.PERMISSION, record["id"])
    return ok({"permissions": values, "permission_type": kind})


@route("POST", BASE + "/batch-create", "vpcep", "BatchAddEndpointServicePermissions")
def batch_add_endpoint_service_permissions(call):
    body = call.body(errors.malformed)
    service = services.require(call)
    entries = body.get("permissions")
    if not isinstance(entries, list) or not entries:
        raise errors.error("EndPoint.3036")
    if len(entries) > BATCH_LIMIT:
        raise errors.error("EndPoint.0016")
    kind = body.get("permission_type") or "domainId"
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("description"), str):
            raise errors.error("EndPoint.2002", "permissions[].permission and description")
        _check(entry.get("permission"), kind)
        common.check_description(entry["description"])
    added = [_add(call, service, e["permission"], kind, e["description"]) for e in entries]
    return ok({"permissions": [_view(p) for p in added]})


@route("POST", BASE + "/batch-delete", "vpcep", "BatchRemoveEndpointServicePermissions")
def batch_remove_endpoint_service_permissions(call):
    body = call.body(errors.malformed)
    service = services.require(call)
    entries = body.get("permissions")
    if not isinstance(entries, list) or not entries:
        raise errors.error("EndPoint.3036")
    if len(entries) > BATCH_LIMIT:
        raise errors.error("EndPoint.0016")
    removed = []
    for entry in entries:
        record = _record(call, service, entry.get("id") if isinstance(entry, dict) else None)
        call.emu.store.delete(common.PERMISSION, record["id"])
        removed.append(_view(record))
    return ok({"permissions": removed})


@route("PUT", BASE + "/{permission_id}", "vpcep", "UpdateEndpointServicePermissionDesc")
def update_endpoint_service_permission_desc(call):
    body = call.body(errors.malformed)
    service = services.require(call)
    spec = body.get("permission")
    if not isinstance(spec, dict) or not isinstance(spec.get("description"), str):
        raise errors.error("EndPoint.2002", "permission.description")
    record = _record(call, service, call.params["permission_id"])
    record["description"] = common.check_description(spec["description"])
    call.emu.store.update(common.PERMISSION, record["id"], record)
    return ok({"permissions": [_view(record)]})


def records(call, service):
    return call.emu.store.list(common.PERMISSION, parent=service["id"])


def admits(permission, domain_id):
    return permission in ("*", "iam:domain::*", "iam:domain::" + domain_id)


def _check(value, kind):
    pattern = _FORMATS.get(kind)
    if pattern is None:
        raise errors.error("EndPoint.0002", "permission_type must be domainId or orgPath")
    if value != "*" and (not isinstance(value, str) or not pattern.match(value)):
        raise errors.error("EndPoint.3002", str(value)[:80])


def _add(call, service, value, kind, description):
    existing = records(call, service)
    for record in existing:
        if record["permission"] == value:
            if reading(call.emu, "vpcep", "permission_twice") == "error":
                raise errors.error("EndPoint.3056", value)
            return record
    if len(existing) >= MAX_RECORDS:
        raise errors.error("EndPoint.3049")
    now = call.now()
    record = {"id": new_id(), "permission": value, "permission_type": kind,
              "description": description, "created_at": now, "updated_at": now}
    call.emu.store.insert(common.PERMISSION, record["id"], record, parent=service["id"])
    connected = {e["domain_id"]
                 for e in call.emu.store.list(common.ENDPOINT, parent=service["id"])}
    for consumer in static(call.emu).consumers:
        if consumer not in connected and admits(value, consumer):
            endpoints.connect_consumer(call.emu, service, consumer)
    return record


def _record(call, service, permission_id):
    record = call.emu.store.get(common.PERMISSION, permission_id) \
        if isinstance(permission_id, str) else None
    if record is None or record not in records(call, service):
        raise errors.error("EndPoint.0005", "permission %s" % permission_id)
    return record


def _short_view(record):
    return {"id": record["id"], "permission": record["permission"],
            "permission_type": record["permission_type"],
            "created_at": iso_time(record["created_at"])}


def _view(record):
    return dict(_short_view(record), description=record["description"])
