"""Connections of an endpoint service: list, accept (`receive`) or reject, describe.

Accepting a `pendingAcceptance` (or `rejected`) connection makes it `creating` and then
`accepted` after `settings.delays["vpcep.connection"]` seconds; rejecting takes effect at once.

Readings: `accept_twice` "error" (A: 400 EndPoint.2014 for an accepted or accepting connection)
or "ok" (200 with the connection as it is); `accept_creating` "pass" (A) or "skip" (accepted at
once, without `creating`).
"""
from ...readings import reading
from ..routing import route
from ..util import ok
from . import common, errors, services
from .endpoints import connection_view

BASE = "/v1/{project_id}/vpc-endpoint-services/{vpc_endpoint_service_id}/connections"
FILTER_STATUSES = ("pendingAcceptance", "accepted", "rejected", "failed")


@route("GET", BASE, "vpcep", "ListServiceConnections")
def list_service_connections(call):
    service = services.require(call)
    status = call.query_choice("status", FILTER_STATUSES, None, errors.factory("EndPoint.0019"))
    wanted = call.query("id")
    marker = call.query_int("marker_id", None, 0, None, errors.factory("EndPoint.0021"))
    found = [e for e in connections_of(call, service)
             if status in (None, e["status"]) and wanted in (None, e["id"])
             and marker in (None, e["marker_id"])]
    page, total = common.page(call, found)
    return ok({"connections": [connection_view(e) for e in page], "total_count": total})


@route("POST", BASE + "/action", "vpcep", "AcceptOrRejectEndpoint")
def accept_or_reject_endpoint(call):
    body = call.body(errors.malformed)
    service = services.require(call)
    action = body.get("action")
    if action not in ("receive", "reject"):
        raise errors.error("EndPoint.2027")
    endpoints = body.get("endpoints")
    if not isinstance(endpoints, list) or not endpoints:
        raise errors.error("EndPoint.2002", "endpoints")
    if len(endpoints) != 1:
        raise errors.error("EndPoint.2031")
    doc = _connection(call, service, endpoints[0])
    now = call.now()
    if doc["status"] == "deleting":
        raise errors.error("EndPoint.2018")
    if doc["status"] == "creating" and (doc.get("next") or [None])[0] == "pendingAcceptance":
        raise errors.error("EndPoint.2019")  # the endpoint itself is still being created
    if action == "receive":
        if doc["status"] in ("accepted", "creating"):
            if reading(call.emu, "vpcep", "accept_twice") == "ok":
                return ok({"connections": [connection_view(doc)]})
            raise errors.error("EndPoint.2014")
        if reading(call.emu, "vpcep", "accept_creating") == "skip":
            doc.update(status="accepted", updated_at=now, error=None, next=None)
        else:
            doc.update(status="creating", updated_at=now, error=None)
            common.schedule(doc, "accepted", now + call.emu.delay("vpcep.connection", 1))
    else:
        doc.update(status="rejected", updated_at=now, next=None)
    call.emu.store.update(common.ENDPOINT, doc["id"], doc)
    doc = common.settle(call.emu, common.ENDPOINT, doc)
    return ok({"connections": [connection_view(doc)]})


@route("PUT", BASE + "/description", "vpcep", "UpdateEndpointConnectionsDesc")
def update_endpoint_connections_desc(call):
    body = call.body(errors.malformed)
    service = services.require(call)
    entries = body.get("connections")
    if not isinstance(entries, list) or not entries:
        raise errors.error("EndPoint.2002", "connections")
    updated = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("id") or \
                not isinstance(entry.get("description"), str):
            raise errors.error("EndPoint.2002", "connections[].id and description")
        doc = _connection(call, service, entry["id"])
        doc["connection_description"] = common.check_description(entry["description"])
        doc["updated_at"] = call.now()
        call.emu.store.update(common.ENDPOINT, doc["id"], doc)
        updated.append(connection_view(doc))
    return ok({"connections": updated})


def connections_of(call, service):
    return common.settled_list(call.emu, common.ENDPOINT, parent=service["id"])


def _connection(call, service, endpoint_id):
    doc = call.emu.store.get(common.ENDPOINT, endpoint_id) if isinstance(endpoint_id, str) else None
    if doc is None or doc["endpoint_service_id"] != service["id"]:
        raise errors.error("EndPoint.2013")
    doc = common.settle(call.emu, common.ENDPOINT, doc)
    if doc is None:
        raise errors.error("EndPoint.2013")
    return doc
