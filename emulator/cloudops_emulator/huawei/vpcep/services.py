"""VPC endpoint services (provider side): create, list, show, update, rename, delete.

Creation answers `creating`; the service is `available` after `settings.delays["vpcep.service"]`
seconds. Deletion answers 204 and the service shows `deleting` for
`settings.delays["vpcep.service_delete"]` seconds before it is gone with its whitelist; consumer
endpoints of other accounts go with it, the caller's own endpoints turn `failed`.

Readings (settings `readings.vpcep.<point>`, docs/dev/emulator.md): `service_outcome` "failed" (a new
service ends `failed` with an `error` entry); `update_omitted` "reset" (an update without
`approval_enabled`/`tcp_proxy` resets them to true/`close`); `delete_status` 200 (A: 204);
`delete_with_connections` "refused" (400 EndPoint.3055 while a connection is pending, creating or
accepted; A: allowed, the endpoints go with the service).
"""
import ipaddress
import re
import uuid

from ...http import Response
from ...readings import reading
from ..fixtures import static
from ..routing import route
from ..util import iso_time, new_id, no_content, ok
from . import common, errors

BASE = "/v1/{project_id}/vpc-endpoint-services"
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
SERVER_TYPES = ("VM", "VIP", "LB")
TCP_PROXY = ("close", "toa_open", "proxy_open", "open", "proxy_vni")
MAX_PORTS = 200
STATUSES = ("creating", "available", "failed", "deleting")
LIVE_CONNECTIONS = ("pendingAcceptance", "creating", "accepted")
FAILURE = [{"code": "EndPoint.4001", "message": "Failed to create the endpoint service: the backend "
            "resource could not be attached."}]


@route("POST", BASE, "vpcep", "CreateEndpointService")
def create_endpoint_service(call):
    body = call.body(errors.malformed)
    tables = static(call.emu)
    project_id = call.project["id"]
    if len(services_of(call)) >= tables.quotas["endpoint_service"]:
        raise errors.error("Endpoint.1018")
    vpc_id = body.get("vpc_id")
    if not vpc_id:
        raise errors.error("EndPoint.2011")
    if not isinstance(vpc_id, str) or tables.vpc(vpc_id, call.region) is None:
        raise errors.error("EndPoint.2001")
    if body.get("server_type") not in SERVER_TYPES:
        raise errors.error("EndPoint.3021")
    port_id = _check_port(tables, body.get("port_id"), vpc_id)
    if body.get("service_type", "interface") != "interface":
        raise errors.error("EndPoint.0002", "only interface services can be created")
    short_name = body.get("service_name")
    if short_name not in (None, "") and (not isinstance(short_name, str)
                                         or not NAME_RE.match(short_name)):
        raise errors.error("EndPoint.1003")
    ports = check_ports(call, body.get("ports"), port_id, None, required=True)
    ip_version = body.get("ip_version") or "ipv4"
    if ip_version not in ("ipv4", "ipv6"):
        raise errors.error("EndPoint.0002", "ip_version")
    if ip_version == "ipv6" and not body.get("snat_network_id"):
        raise errors.error("EndPoint.0002", "snat_network_id is required with ipv6")
    now = call.now()
    service_id = new_id()
    doc = {"id": service_id, "project_id": project_id, "domain_id": call.identity.domain["id"],
           "port_id": port_id, "vpc_id": vpc_id, "server_type": body["server_type"],
           "short_name": short_name or None,
           "service_name": _full_name(call.region, short_name, service_id),
           "pool_id": "pool-" + uuid.uuid5(uuid.NAMESPACE_DNS, call.region).hex[:24],
           "approval_enabled": _bool(body, "approval_enabled", True),
           "service_type": "interface", "status": "creating", "ports": ports,
           "tcp_proxy": _tcp_proxy(body.get("tcp_proxy"), "close"),
           "tags": common.check_tags(body.get("tags"), limit=common.max_tags(call.emu)),
           "description": common.check_description(body.get("description")) or "",
           "ip": _check_ip(body.get("ip")), "ip_version": ip_version,
           "snat_network_id": body.get("snat_network_id"), "enable_policy": False,
           "created_at": now, "updated_at": now}
    if reading(call.emu, "vpcep", "service_outcome") == "failed":
        doc["failure"] = FAILURE
        common.schedule(doc, "failed", now + call.emu.delay("vpcep.service", 1))
    else:
        common.schedule(doc, "available", now + call.emu.delay("vpcep.service", 1))
    call.emu.store.insert(common.SERVICE, service_id, doc, parent=project_id)
    doc = common.settle(call.emu, common.SERVICE, doc)
    return ok(write_view(doc))


@route("GET", BASE, "vpcep", "ListEndpointService")
def list_endpoint_service(call):
    name = call.query("endpoint_service_name")
    wanted_id = call.query("id")
    status = call.query_choice("status", STATUSES, None, errors.factory("EndPoint.0019"))
    net_type = call.query_choice("net_type", ("vlan", "vxlan", "all"), None,
                                 errors.factory("EndPoint.0002", "net_type"))
    border = call.query("public_border_group")
    services = [s for s in services_of(call)
                if common.fuzzy(name, s["service_name"]) and wanted_id in (None, s["id"])
                and status in (None, s["status"]) and net_type in (None, "all", "vxlan")
                and border in (None, "center")]
    page, total = common.page(call, services)
    return ok({"endpoint_services": [list_view(call, s) for s in page], "total_count": total})


@route("GET", BASE + "/{vpc_endpoint_service_id}", "vpcep", "ListServiceDetails")
def list_service_details(call):
    return ok(detail_view(require(call)))


@route("PUT", BASE + "/{vpc_endpoint_service_id}", "vpcep", "UpdateEndpointService")
def update_endpoint_service(call):
    body = call.body(errors.malformed)
    doc = require(call)
    if doc["status"] != "available":
        raise errors.error("EndPoint.3045")
    tables = static(call.emu)
    if body.get("port_id") is not None and body.get("ip") is not None:
        raise errors.error("EndPoint.3052")
    if body.get("port_id") is not None:
        doc["port_id"] = _check_port(tables, body["port_id"], doc["vpc_id"])
    if body.get("ip") is not None:
        doc["ip"] = _check_ip(body["ip"])
    if body.get("service_name") is not None:
        doc.update(_rename(call, doc, body["service_name"]))
    if body.get("ports") is not None:
        doc["ports"] = check_ports(call, body["ports"], doc["port_id"], doc["id"], required=True)
    elif body.get("port_id") is not None:
        check_ports(call, doc["ports"], doc["port_id"], doc["id"], required=True)
    reset = reading(call.emu, "vpcep", "update_omitted") == "reset"
    doc["approval_enabled"] = _bool(body, "approval_enabled", True if reset else doc["approval_enabled"])
    doc["tcp_proxy"] = _tcp_proxy(body.get("tcp_proxy"), "close" if reset else doc["tcp_proxy"])
    if body.get("description") is not None:
        doc["description"] = common.check_description(body["description"])
    doc["updated_at"] = call.now()
    call.emu.store.update(common.SERVICE, doc["id"], doc)
    return ok(write_view(doc))


@route("PUT", BASE + "/{vpc_endpoint_service_id}/name", "vpcep", "UpdateEndpointServiceName")
def update_endpoint_service_name(call):
    body = call.body(errors.malformed)
    doc = require(call)
    if doc["status"] != "available":
        raise errors.error("EndPoint.3045")
    if not body.get("endpoint_service_name"):
        raise errors.error("EndPoint.2002", "endpoint_service_name")
    doc.update(_rename(call, doc, body["endpoint_service_name"]))
    doc["updated_at"] = call.now()
    call.emu.store.update(common.SERVICE, doc["id"], doc)
    return ok({"endpoint_service_name": doc["service_name"]})


@route("DELETE", BASE + "/{vpc_endpoint_service_id}", "vpcep", "DeleteEndpointService")
def delete_endpoint_service(call):
    doc = require(call)
    if doc["status"] != "deleting":
        if reading(call.emu, "vpcep", "delete_with_connections") == "refused" and any(
                e["status"] in LIVE_CONNECTIONS for e in common.settled_list(
                    call.emu, common.ENDPOINT, parent=doc["id"])):
            raise errors.error("EndPoint.3055")
        now = call.now()
        doc.update(status="deleting", updated_at=now)
        common.schedule(doc, common.GONE, now + call.emu.delay("vpcep.service_delete", 1))
        call.emu.store.update(common.SERVICE, doc["id"], doc)
        common.settle(call.emu, common.SERVICE, doc, on_service_gone)
    return deleted(call.emu)


def deleted(emu):
    """The answer to an accepted delete: 204 (A) or 200 without a body (reading delete_status)."""
    if reading(emu, "vpcep", "delete_status") == 200:
        return Response(200, b"")
    return no_content()


# --- lookups ----------------------------------------------------------------------------------

def services_of(call):
    return common.settled_list(call.emu, common.SERVICE, parent=call.project["id"],
                               on_gone=on_service_gone)


def find(call, service_id):
    doc = call.emu.store.get(common.SERVICE, service_id)
    if doc is None or doc["project_id"] != call.project["id"]:
        return None
    return settle(call.emu, doc)


def settle(emu, doc):
    """A service with its due status change applied (and its cascade, when it is gone)."""
    return common.settle(emu, common.SERVICE, doc, on_service_gone)


def settle_due(emu, project_id):
    """Apply every due change of the project's services (cascades included) and of endpoints."""
    common.settled_list(emu, common.SERVICE, parent=project_id, on_gone=on_service_gone)
    common.settled_list(emu, common.ENDPOINT)


def require(call, service_id=None):
    service_id = service_id or call.params["vpc_endpoint_service_id"]
    doc = find(call, service_id)
    if doc is None:
        raise errors.error("EndPoint.0005", "endpoint service %s" % service_id)
    return doc


def on_service_gone(emu, service):
    for permission in emu.store.list(common.PERMISSION, parent=service["id"]):
        emu.store.delete(common.PERMISSION, permission["id"])
    for endpoint in emu.store.list(common.ENDPOINT, parent=service["id"]):
        if endpoint.get("project_id") is None:
            emu.store.delete(common.ENDPOINT, endpoint["id"])
        elif endpoint["status"] != "deleting":  # an endpoint being deleted goes as scheduled
            endpoint.update(status="failed", next=None, updated_at=emu.now(),
                            error=[{"error_code": "EndPoint.2003",
                                    "error_message": "The endpoint service does not exist."}])
            emu.store.update(common.ENDPOINT, endpoint["id"], endpoint)


# --- validation -------------------------------------------------------------------------------

def _check_port(tables, port_id, vpc_id):
    if not port_id:
        raise errors.error("EndPoint.2002", "port_id")
    try:
        uuid.UUID(str(port_id))
    except ValueError:
        raise errors.error("EndPoint.3003") from None
    port = tables.ports.get(port_id)
    if port is None:
        raise errors.error("EndPoint.3008")
    if port["vpc_id"] != vpc_id:
        raise errors.error("EndPoint.3042")
    return port_id


def check_ports(call, ports, port_id, own_id, required):
    """Validated port mappings: 1-200 TCP entries, no duplicates, and no (server_port, protocol)
    already used by another service on the same backend port."""
    if not ports:
        if required:
            raise errors.error("EndPoint.2028")
        return []
    if not isinstance(ports, list):
        raise errors.error("EndPoint.3004")
    if len(ports) > MAX_PORTS:
        raise errors.error("EndPoint.3074")
    result, seen = [], set()
    for entry in ports:
        if not isinstance(entry, dict):
            raise errors.error("EndPoint.3004")
        mapping = {"client_port": entry.get("client_port"), "server_port": entry.get("server_port"),
                   "protocol": entry.get("protocol", "TCP")}
        for field in ("client_port", "server_port"):
            value = mapping[field]
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
                raise errors.error("EndPoint.3004", field)
        if mapping["protocol"] != "TCP":
            raise errors.error("EndPoint.3004", "protocol must be TCP")
        for key in (("c", mapping["client_port"]), ("s", mapping["server_port"])):
            if key in seen:
                raise errors.error("EndPoint.3004", "duplicate port %d" % key[1])
            seen.add(key)
        result.append(mapping)
    used = {(p["server_port"], p["protocol"])
            for other in services_of(call) if other["id"] != own_id and other["port_id"] == port_id
            for p in other["ports"]}
    if any((p["server_port"], p["protocol"]) in used for p in result):
        raise errors.error("EndPoint.3044")
    return result


def _rename(call, doc, short_name):
    if not isinstance(short_name, str) or not NAME_RE.match(short_name):
        raise errors.error("EndPoint.1003")
    return {"short_name": short_name,
            "service_name": _full_name(call.region, short_name, doc["id"])}


def _full_name(region, short_name, service_id):
    return "%s.%s.%s" % (region, short_name, service_id) if short_name else \
        "%s.%s" % (region, service_id)


def _check_ip(value):
    if value is None:
        return None
    try:
        ipaddress.IPv4Address(value)
    except (ipaddress.AddressValueError, ValueError):
        raise errors.error("EndPoint.3010") from None
    return value


def _bool(body, field, default):
    value = common.check_bool(body.get(field), field)
    return default if value is None else value


def _tcp_proxy(value, default):
    if value is None:
        return default
    if value not in TCP_PROXY:
        raise errors.error("EndPoint.0002", "tcp_proxy")
    return value


# --- views ------------------------------------------------------------------------------------

def _base_view(doc):
    return {"id": doc["id"], "port_id": doc["port_id"], "service_name": doc["service_name"],
            "server_type": doc["server_type"], "vpc_id": doc["vpc_id"],
            "approval_enabled": doc["approval_enabled"], "status": doc["status"],
            "service_type": doc["service_type"], "created_at": iso_time(doc["created_at"]),
            "updated_at": iso_time(doc["updated_at"]), "project_id": doc["project_id"],
            "ip": doc.get("ip"), "ports": doc["ports"], "tcp_proxy": doc["tcp_proxy"],
            "tags": doc["tags"], "description": doc["description"],
            "enable_policy": doc["enable_policy"]}


def _error(doc):
    return doc.get("failure") if doc["status"] == "failed" else None


def write_view(doc):
    """CreateEndpointServiceResponse / UpdateEndpointServiceResponse."""
    view = _base_view(doc)
    view.update(pool_id=doc["pool_id"], ip_version=doc["ip_version"])
    return common.drop_none(view)


def list_view(call, doc):
    """A ServiceList entry."""
    connected = [e for e in common.settled_list(call.emu, common.ENDPOINT, parent=doc["id"])
                 if e["status"] in ("creating", "accepted")]
    view = _base_view(doc)
    view.update(domain_id=doc["domain_id"], connection_count=len(connected), error=_error(doc),
                supported_editions=["basic"], public_border_group="center")
    return common.drop_none(view)


def detail_view(doc):
    """ListServiceDetailsResponse."""
    view = _base_view(doc)
    view.update(supported_editions=["basic"], cidr_type="internal", error=_error(doc))
    return common.drop_none(view)
