"""VPC endpoints (consumer side): create, list, show, update the whitelist, delete; plus the
connections that fixture consumer accounts open to the caller's services.

An endpoint is `creating` for `settings.delays["vpcep.endpoint"]` seconds, then
`pendingAcceptance` (the service has approval enabled) or `accepted`. It can connect to the
caller's own available services and to the public services of the fixtures (accepted at once).
Its address comes from `port_ip` or the first free address of the subnet, and is shown once the
connection is accepted.

Readings: `port_ip` "optional" (A) or "required" (400 EndPoint.2002 without it, as the SDK doc
says for interface endpoints); `delete_status` and `max_tags` as for services.
"""
import ipaddress
import itertools

from ...readings import reading
from ..fixtures import static
from ..routing import route
from ..util import iso_time, new_id, ok
from . import common, errors, services

BASE = "/v1/{project_id}/vpc-endpoints"


@route("POST", BASE, "vpcep", "CreateEndpoint")
def create_endpoint(call):
    body = call.body(errors.malformed)
    tables = static(call.emu)
    if len(own_endpoints(call)) >= tables.quotas["endpoint"]:
        raise errors.error("Endpoint.1018")
    service_id = body.get("endpoint_service_id")
    if not service_id:
        raise errors.error("EndPoint.2029")
    target = _target(call, tables, service_id)
    vpc_id = body.get("vpc_id")
    if not vpc_id:
        raise errors.error("EndPoint.2011")
    vpc = tables.vpc(vpc_id, call.region) if isinstance(vpc_id, str) else None
    if vpc is None:
        raise errors.error("EndPoint.2001")
    subnet_id = body.get("subnet_id")
    if not subnet_id:
        raise errors.error("EndPoint.2010")
    subnet = next((s for s in vpc.get("subnets") or [] if s["id"] == subnet_id), None)
    if subnet is None:
        raise errors.error("EndPoint.0023")
    if body.get("port_ip") in (None, "") and target.get("service_type", "interface") == "interface" \
            and reading(call.emu, "vpcep", "port_ip") == "required":
        raise errors.error("EndPoint.2002", "port_ip is required for interface endpoints")
    enable_dns = common.check_bool(body.get("enable_dns"), "enable_dns", "EndPoint.2033")
    now = call.now()
    doc = {"id": new_id(), "endpoint_service_id": target["id"],
           "endpoint_service_name": target["service_name"],
           "service_type": target.get("service_type", "interface"), "status": "creating",
           "project_id": call.project["id"], "domain_id": call.identity.domain["id"],
           "vpc_id": vpc_id, "subnet_id": subnet_id,
           "ip": _address(call, tables, subnet, body.get("port_ip")),
           "enable_dns": bool(enable_dns), "whitelist": _whitelist(body.get("whitelist")),
           "enable_whitelist": bool(common.check_bool(body.get("enable_whitelist"),
                                                      "enable_whitelist")),
           "tags": common.check_tags(body.get("tags"), limit=common.max_tags(call.emu)),
           "description": common.check_description(body.get("description")) or "",
           "connection_description": "", "routetables": body.get("routetables") or [],
           "policy_statement": body.get("policy_statement") or [],
           "policy_document": body.get("policy_document"),
           "ip_version": body.get("ip_version") or "ipv4",
           "marker_id": common.next_marker_id(call.emu), "created_at": now, "updated_at": now}
    if doc["ip_version"] not in ("ipv4", "dualstack"):
        raise errors.error("EndPoint.0002", "ip_version")
    if enable_dns:
        doc["dns_names"] = ["%s.%s.vpcep.%s.myhuaweicloud.com"
                            % (doc["id"][:8], (target.get("short_name") or "svc").lower(),
                               call.region)]
    approval = target.get("approval_enabled", False)
    common.schedule(doc, "pendingAcceptance" if approval else "accepted",
                    now + call.emu.delay("vpcep.endpoint", 1))
    call.emu.store.insert(common.ENDPOINT, doc["id"], doc, parent=target["id"])
    doc = common.settle(call.emu, common.ENDPOINT, doc)
    return ok(endpoint_view(doc, "create"))


@route("GET", BASE, "vpcep", "ListEndpoints")
def list_endpoints(call):
    name, vpc_id, wanted = (call.query("endpoint_service_name"), call.query("vpc_id"),
                            call.query("id"))
    found = [e for e in own_endpoints(call)
             if common.fuzzy(name, e["endpoint_service_name"]) and vpc_id in (None, e["vpc_id"])
             and wanted in (None, e["id"])]
    page, total = common.page(call, found)
    return ok({"endpoints": [endpoint_view(e, "list") for e in page], "total_count": total})


@route("GET", BASE + "/{vpc_endpoint_id}", "vpcep", "ListEndpointInfoDetails")
def list_endpoint_info_details(call):
    return ok(endpoint_view(require(call), "detail"))


@route("PUT", BASE + "/{vpc_endpoint_id}", "vpcep", "UpdateEndpointWhite")
def update_endpoint_white(call):
    body = call.body(errors.malformed)
    doc = require(call)
    if body.get("whitelist") is not None:
        doc["whitelist"] = _whitelist(body["whitelist"])
    if body.get("enable_whitelist") is not None:
        doc["enable_whitelist"] = common.check_bool(body["enable_whitelist"], "enable_whitelist")
    doc["updated_at"] = call.now()
    call.emu.store.update(common.ENDPOINT, doc["id"], doc)
    return ok(endpoint_view(doc, "white"))


@route("DELETE", BASE + "/{vpc_endpoint_id}", "vpcep", "DeleteEndpoint")
def delete_endpoint(call):
    doc = require(call)
    if doc["status"] != "deleting":
        now = call.now()
        doc.update(status="deleting", updated_at=now)
        common.schedule(doc, common.GONE, now + call.emu.delay("vpcep.endpoint", 1))
        call.emu.store.update(common.ENDPOINT, doc["id"], doc)
        common.settle(call.emu, common.ENDPOINT, doc)
    return services.deleted(call.emu)


def own_endpoints(call):
    return [e for e in common.settled_list(call.emu, common.ENDPOINT)
            if e.get("project_id") == call.project["id"]]


def require(call):
    doc = call.emu.store.get(common.ENDPOINT, call.params["vpc_endpoint_id"])
    if doc is not None and doc.get("project_id") == call.project["id"]:
        doc = common.settle(call.emu, common.ENDPOINT, doc)
        if doc is not None:
            return doc
    raise errors.error("EndPoint.2006")


def connect_consumer(emu, service, domain_id, endpoint_id=None):
    """An endpoint from another account (a fixture consumer) connecting to `service`."""
    now = emu.now()
    doc = {"id": endpoint_id or new_id(), "endpoint_service_id": service["id"],
           "endpoint_service_name": service["service_name"], "service_type": "interface",
           "status": "creating", "project_id": None, "domain_id": domain_id,
           "description": "", "connection_description": "", "tags": [],
           "marker_id": common.next_marker_id(emu), "created_at": now, "updated_at": now}
    start = max(now, (service.get("next") or [None, now])[1])
    common.schedule(doc, "pendingAcceptance" if service["approval_enabled"] else "accepted",
                    start + emu.delay("vpcep.endpoint", 1))
    emu.store.insert(common.ENDPOINT, doc["id"], doc, parent=service["id"])
    return common.settle(emu, common.ENDPOINT, doc)


def _target(call, tables, service_id):
    own = services.find(call, service_id)
    if own is not None:
        if own["status"] != "available":
            raise errors.error("EndPoint.2004")
        return own
    for public in tables.public_services:
        if public["id"] == service_id and tables.in_region(public, call.region):
            return dict(public, approval_enabled=False)
    raise errors.error("EndPoint.2003")


def _address(call, tables, subnet, wanted):
    network = ipaddress.IPv4Network(subnet["cidr"])
    used = {p.get("ip") for p in tables.ports.values()}
    used |= {e.get("ip") for e in common.settled_list(call.emu, common.ENDPOINT)
             if e.get("subnet_id") == subnet["id"]}
    if wanted is not None:
        try:
            address = ipaddress.IPv4Address(wanted)
        except (ipaddress.AddressValueError, ValueError):
            raise errors.error("EndPoint.3010") from None
        if address not in network or str(address) in used:
            raise errors.error("EndPoint.3010", "not a free address of the subnet")
        return str(address)
    for address in itertools.islice(network.hosts(), 1, None):  # .1 is the gateway
        if str(address) not in used:
            return str(address)
    raise errors.error("EndPoint.3010", "the subnet has no free address")


def _whitelist(value):
    if value is None:
        return []
    if not isinstance(value, list):
        raise errors.error("EndPoint.3017")
    for entry in value:
        try:
            ipaddress.IPv4Network(entry, strict=False)
        except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError, TypeError):
            raise errors.error("EndPoint.3017") from None
    return list(value)


_COMMON = ("id", "service_type", "status", "endpoint_service_name", "marker_id",
           "endpoint_service_id", "enable_dns", "vpc_id", "subnet_id", "project_id", "tags",
           "whitelist", "enable_whitelist", "description", "policy_statement", "policy_document")


def endpoint_view(doc, flavour):
    """CreateEndpointResponse ("create"), EndpointResponseBody ("list"),
    ListEndpointInfoDetailsResponse ("detail") or UpdateEndpointWhiteResponse ("white")."""
    view = {key: doc.get(key) for key in _COMMON}
    view.update(created_at=iso_time(doc["created_at"]), updated_at=iso_time(doc["updated_at"]),
                active_status=["active"])
    if doc["status"] == "accepted":
        view["ip"] = doc.get("ip")
    if flavour != "create":
        view["dns_names"] = doc.get("dns_names") or []
    if flavour in ("list", "detail"):
        view["error"] = doc.get("error")
    if flavour in ("create", "list", "detail"):
        view.update(routetables=doc.get("routetables"), public_border_group="center",
                    endpoint_pool_id=None)
    if flavour in ("create", "detail"):
        view.update(enable_status="enable", specification_name="default",
                    ipv6_address=doc.get("ipv6_address"))
    return common.drop_none(view)


def connection_view(doc):
    """A ConnectionEndpoints entry: the endpoint seen from the service."""
    return common.drop_none({
        "id": doc["id"], "marker_id": doc["marker_id"], "created_at": iso_time(doc["created_at"]),
        "updated_at": iso_time(doc["updated_at"]), "domain_id": doc["domain_id"],
        "error": doc.get("error"), "status": doc["status"],
        "description": doc.get("connection_description", "")})
