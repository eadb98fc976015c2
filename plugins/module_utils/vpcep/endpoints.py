# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC endpoints (consumer side): the service they connect to, finding, creating and deleting
them, their whitelist of client addresses and their result shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import snake_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import ENDPOINT, ENDPOINTS, PAGE_SIZE
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.info import describe_service
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.tags import tag_dict, tag_list
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import Sourced

# The endpoints changed and deleted are the ones a listing returned (no option names one by id).
ENDPOINT_ID_ORIGIN = "the endpoint id VPCEP returned"


def list_endpoints(client, **query):
    """Every endpoint of the project matching the ListEndpoints ``query`` (id, vpc_id,
    endpoint_service_name - a fuzzy filter)."""
    return client.paginate_offset(ENDPOINTS, "endpoints", query=query, limit=PAGE_SIZE, operation="ListEndpoints")


def find_endpoint(client, endpoint_id=None, service_id=None, vpc_id=None):
    """The endpoint with this id, or the one to ``service_id`` in ``vpc_id``; None when there is
    none. One listing call; several endpoints to the service in the VPC are an error."""
    if endpoint_id:
        found = [e for e in list_endpoints(client, id=endpoint_id) if e.get("id") == endpoint_id]
        return found[0] if found else None
    found = [e for e in list_endpoints(client, vpc_id=vpc_id)
             if e.get("endpoint_service_id") == service_id and e.get("vpc_id") == vpc_id]
    if len(found) > 1:
        raise ModuleFailure("%d endpoints connect VPC %s to endpoint service %s; give id (one of %s)"
                            % (len(found), vpc_id, service_id, ", ".join(e["id"] for e in found)))
    return found[0] if found else None


def resolve_service(client, service_id=None, service_name=None):
    """Basic information (id, service_type...) of the service an endpoint is for, by id or full
    name, as a consumer sees it; ModuleFailure when there is none."""
    found = describe_service(client, service_name=service_name, service_id=service_id)
    if found is None or (service_name and found.get("service_name") != service_name):
        option, value = ("service_name", service_name) if service_name else ("service_id", service_id)
        raise ModuleFailure("%s: no endpoint service %s is visible to this account" % (option, value))
    return found


def creatable_service(params, region, service):
    """The service a new endpoint connects to (``service()``, e.g. ``resolve_service``, called
    once the endpoint is not asked for by id), once vpcep_endpoint's options (``params``) are
    checked: a ModuleFailure unless they can create it (subnet_id and port_ip for a service known
    to be an interface service)."""
    if params["id"]:
        raise ModuleFailure("id: no endpoint %s in region %s (an endpoint cannot be created with a chosen id; "
                            "give service_id or service_name and vpc_id instead)" % (params["id"], region))
    found = service()
    if found.get("service_type") == "interface":
        missing = [o for o in ("subnet_id", "port_ip") if not params[o]]
        if missing:
            raise ModuleFailure("%s: required to create an endpoint to interface service %s"
                                % (", ".join(missing), found.get("service_name") or found["id"]))
    return found


def create_body(params, service_id):
    """The CreateEndpoint body for vpcep_endpoint's options (``params``), to ``service_id``;
    options not given are left out, for the service's defaults."""
    body = {
        "endpoint_service_id": service_id, "vpc_id": params["vpc_id"],
        "subnet_id": params["subnet_id"], "port_ip": params["port_ip"],
        "enable_dns": params["enable_dns"], "whitelist": params["whitelist"],
        "enable_whitelist": params["enable_whitelist"], "description": params["description"],
        "tags": tag_list(params["tags"]) or None,
    }
    return dict((k, v) for k, v in body.items() if v is not None)


def create_endpoint(client, body):
    """CreateEndpoint: the new endpoint as the answer shows it (``id``, ``status`` ``creating``)."""
    return client.request("POST", ENDPOINTS, operation="CreateEndpoint", body=body)


def predicted_endpoint(params, service, wait):
    """The endpoint vpcep_endpoint's options (``params``) would create to ``service``, as
    ``endpoint_result`` shows it (check mode)."""
    return {
        "id": None, "status": "accepted" if wait else "creating",
        "endpoint_service_id": service["id"], "endpoint_service_name": service.get("service_name"),
        "service_type": service.get("service_type"), "vpc_id": params["vpc_id"],
        "subnet_id": params["subnet_id"], "ip": params["port_ip"],
        "enable_dns": bool(params["enable_dns"]),
        "whitelist": sorted(set(params["whitelist"] or [])),
        "enable_whitelist": bool(params["enable_whitelist"]),
        "description": params["description"] or "", "tags": dict(params["tags"] or {}),
    }


def check_whitelist(option, entries):
    """Client addresses: IPv4 addresses or CIDR blocks."""
    for entry in entries or []:
        try:
            ipaddress.IPv4Network(entry, strict=False)
        except ValueError:
            raise ModuleFailure("%s: %r is not an IPv4 address or CIDR block" % (option, entry))


def check_address(option, value):
    """An IPv4 address (None passes)."""
    if value is None:
        return
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ModuleFailure("%s: %r is not an IPv4 address" % (option, value))


def _endpoint_param(endpoint_id):
    return dict(endpoint_id=Sourced(endpoint_id, ENDPOINT_ID_ORIGIN))


def update_whitelist(client, endpoint_id, whitelist, enabled):
    """UpdateEndpointWhite: the endpoint's whitelist and whether it is enforced; returns the
    answer (the endpoint). Both fields are always sent: an update that omits one might reset it."""
    return client.request("PUT", ENDPOINT, path_params=_endpoint_param(endpoint_id),
                          operation="UpdateEndpointWhite",
                          body={"whitelist": list(whitelist), "enable_whitelist": bool(enabled)})


def delete_endpoint(client, endpoint_id):
    """DeleteEndpoint (the answer, 204, carries nothing; returns None)."""
    client.request("DELETE", ENDPOINT, path_params=_endpoint_param(endpoint_id), operation="DeleteEndpoint")


def endpoint_result(api_object):
    """An endpoint as the modules return it: snake_case fields, ``tags`` a dict, ``whitelist``
    sorted."""
    result = snake_result(dict((k, v) for k, v in api_object.items() if k not in ("tags", "whitelist")))
    result.update(tags=tag_dict(api_object.get("tags")), whitelist=sorted(api_object.get("whitelist") or []))
    return result


def failure_reason(api_object):
    """Why an endpoint is rejected or failed, as the service says it ("" when it does not)."""
    errors = api_object.get("error") or []
    if not errors:
        return "the provider rejected it" if api_object.get("status") == "rejected" else ""
    return "; ".join("%s: %s" % (e.get("error_code"), e.get("error_message")) for e in errors)
