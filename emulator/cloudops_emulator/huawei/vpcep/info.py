"""Read-only VPCEP information: public (operator) services, basic information by name or id,
quotas, and the API version documents.

`GET /` (the version list) cannot be served: the emulator routes path `/` to KSYUN.
"""
from ..fixtures import static
from ..routing import route
from ..util import iso_time, ok
from . import common, endpoints, errors, services

BASE = "/v1/{project_id}"
_EPOCH_2019 = 1546300800


@route("GET", BASE + "/vpc-endpoint-services/public", "vpcep", "ListServicePublicDetails")
def list_service_public_details(call):
    name, wanted = call.query("endpoint_service_name"), call.query("id")
    found = [_public(p) for p in _publics(call)
             if common.fuzzy(name, p["service_name"]) and wanted in (None, p["id"])]
    page, total = common.page(call, found)
    return ok({"endpoint_services": [_public_view(p) for p in page], "total_count": total})


@route("GET", BASE + "/vpc-endpoint-services/describe", "vpcep", "ListServiceDescribeDetails")
def list_service_describe_details(call):
    name, wanted = call.query("endpoint_service_name"), call.query("id")
    if bool(name) == bool(wanted):
        raise errors.error("EndPoint.0002", "give exactly one of endpoint_service_name and id")
    for doc in services.services_of(call):
        if doc["status"] != "deleting" and (doc["id"] == wanted or doc["service_name"] == name):
            return ok(_describe_view(doc, is_charge=False))
    for public in _publics(call):
        if public["id"] == wanted or public["service_name"] == name:
            return ok(_describe_view(_public(public), is_charge=public.get("is_charge", False)))
    raise errors.error("EndPoint.0005", "endpoint service %s" % (wanted or name))


@route("GET", BASE + "/quotas", "vpcep", "ListQuotaDetails")
def list_quota_details(call):
    kind = call.query_choice("type", ("endpoint_service", "endpoint"), None,
                             errors.factory("EndPoint.0002", "type"))
    quotas = static(call.emu).quotas
    used = {"endpoint_service": len(services.services_of(call)),
            "endpoint": len(endpoints.own_endpoints(call))}
    resources = [{"type": name, "used": used[name], "quota": quotas[name]}
                 for name in ("endpoint_service", "endpoint") if kind in (None, name)]
    return ok({"quotas": {"resources": resources}})


def _version(call, version):
    base = "%s://%s" % (call.request.scheme, call.request.host)
    return {"id": version, "status": "CURRENT" if version == "v1" else "SUPPORT",
            "updated": iso_time(_EPOCH_2019), "version": "", "min_version": "",
            "links": [{"href": "%s/%s/" % (base, version), "type": "application/json",
                       "rel": "self"}]}


@route("GET", "/v1", "vpcep", "ListSpecifiedVersionDetails", auth=False)
def version_v1(call):
    return ok({"version": _version(call, "v1")})


@route("GET", "/v2", "vpcep", "ListSpecifiedVersionDetails", auth=False)
def version_v2(call):
    return ok({"version": _version(call, "v2")})


def _publics(call):
    tables = static(call.emu)
    return [p for p in tables.public_services if tables.in_region(p, call.region)]


def _public(spec):
    return {"id": spec["id"], "service_name": spec["service_name"],
            "owner": spec.get("owner", "huaweicloud"),
            "service_type": spec.get("service_type", "interface"),
            "created_at": spec.get("created_at", _EPOCH_2019),
            "is_charge": spec.get("is_charge", False), "enable_policy": False}


def _public_view(public):
    return dict(public, created_at=iso_time(public["created_at"]))


def _describe_view(doc, is_charge):
    return {"id": doc["id"], "service_name": doc["service_name"],
            "service_type": doc["service_type"], "created_at": iso_time(doc["created_at"]),
            "is_charge": is_charge, "public_border_group": "center",
            "enable_policy": doc.get("enable_policy", False)}
