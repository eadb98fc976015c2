# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC endpoint services (provider side): the name rule, how the API composes ``service_name``,
port mappings, finding a service by id or name, creating (with its whitelist), updating, renaming
and deleting it, and its result shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import snake_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule, check_range
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import (
    PAGE_SIZE,
    SERVICE,
    SERVICE_MISSING,
    SERVICES,
    where_served,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.tags import tag_dict, tag_list

# What a new service needs (vpcep_service's options).
CREATE_NEEDS = ("vpc_id", "server_type", "port_id", "ports")

SERVICE_NAME = NameRule("VPC endpoint service", r"[A-Za-z0-9_-]{1,16}",
                        "1 to 16 characters: letters, digits, '_' and '-'")
MAX_PORTS = 200
TCP_PROXY = ["close", "toa_open", "proxy_open", "open", "proxy_vni"]

PORT_OPTIONS = dict(
    client_port=dict(type="int", required=True),
    server_port=dict(type="int", required=True),
    protocol=dict(type="str", default="TCP", choices=["TCP"]),
)


def short_name(api_object, region):
    """The name a user gave: the middle of ``{region}.{name}.{id}`` (None for ``{region}.{id}``).

    The API composes ``service_name`` from the region, the given name and the id; the name filter
    of the listing is fuzzy and case-insensitive, so modules compare this segment exactly."""
    full = api_object.get("service_name") or ""
    prefix, suffix = region + ".", "." + str(api_object.get("id"))
    if full.startswith(prefix):
        full = full[len(prefix):]
    if full.endswith(suffix):
        full = full[:-len(suffix)]
    elif full == str(api_object.get("id")):
        return None
    return full or None


def check_ports(option, ports):
    """Raise ModuleFailure unless the port mappings are valid: 1 to 200, ports 1-65535, each
    client port and each server port used once."""
    if ports is None:
        return
    if not 1 <= len(ports) <= MAX_PORTS:
        raise ModuleFailure("%s: give 1 to %d port mappings, got %d" % (option, MAX_PORTS, len(ports)))
    for field in ("client_port", "server_port"):
        seen = set()
        for entry in ports:
            check_range("%s.%s" % (option, field), entry[field], 1, 65535)
            if entry[field] in seen:
                raise ModuleFailure("%s: %s %d is used twice; each %s may appear once"
                                    % (option, field, entry[field], field))
            seen.add(entry[field])


def port_set(ports):
    """Port mappings as the sorted list modules compare and return (the API keeps no order)."""
    return sorted(({"client_port": p["client_port"], "server_port": p["server_port"],
                    "protocol": p.get("protocol") or "TCP"} for p in ports or []),
                  key=lambda p: (p["client_port"], p["server_port"], p["protocol"]))


def list_services(client, **query):
    """Every endpoint service of the project matching the ListEndpointService ``query``."""
    return client.paginate_offset(SERVICES, "endpoint_services", query=query, limit=PAGE_SIZE,
                                  operation="ListEndpointService")


def find_service(client, region, service_id=None, name=None):
    """The service with this id, or the one whose name (middle segment) is exactly ``name``;
    None when there is none. One listing call."""
    if service_id:
        found = [s for s in list_services(client, id=service_id) if s.get("id") == service_id]
        return found[0] if found else None
    found = [s for s in list_services(client, endpoint_service_name=name) if short_name(s, region) == name]
    if len(found) > 1:
        raise ModuleFailure("name: %d endpoint services are named %r in region %s; give id (one of %s)"
                            % (len(found), name, region, ", ".join(s["id"] for s in found)))
    return found[0] if found else None


def check_creatable(params, region):
    """A ModuleFailure unless vpcep_service's options (``params``) can create a service: by name
    (a service cannot be created with a chosen id), with every option of ``CREATE_NEEDS``."""
    if params["id"]:
        raise ModuleFailure("id: no endpoint service %s in region %s (a service cannot be created with a "
                            "chosen id; give name instead)" % (params["id"], region))
    missing = [o for o in CREATE_NEEDS if not params[o]]
    if missing:
        raise ModuleFailure("%s: required to create endpoint service %r" % (", ".join(missing), params["name"]))


def create_body(params):
    """The CreateEndpointService body for vpcep_service's options (``params``); options not given
    are left out, for the service's defaults."""
    body = {
        "service_name": params["name"], "vpc_id": params["vpc_id"],
        "port_id": params["port_id"], "server_type": params["server_type"],
        "service_type": "interface", "ports": port_set(params["ports"]),
        "approval_enabled": params["approval_enabled"], "tcp_proxy": params["tcp_proxy"],
        "description": params["description"], "tags": tag_list(params["tags"]) or None,
    }
    return dict((k, v) for k, v in body.items() if v is not None)


def create_service(client, body):
    """CreateEndpointService: the new service as the answer shows it (``id``, ``status``
    ``creating``, the fields sent)."""
    return client.request("POST", SERVICES, operation="CreateEndpointService", body=body)


def predicted_service(params, wait):
    """The service vpcep_service's options (``params``) would create, as ``service_result``
    shows it (check mode): the API's defaults for options not given."""
    predicted = {
        "id": None, "name": params["name"], "service_name": None,
        "status": "available" if wait else "creating",
        "vpc_id": params["vpc_id"], "port_id": params["port_id"],
        "server_type": params["server_type"], "service_type": "interface",
        "ports": port_set(params["ports"]),
        "approval_enabled": True if params["approval_enabled"] is None else params["approval_enabled"],
        "tcp_proxy": params["tcp_proxy"] or "close",
        "description": params["description"] or "",
        "tags": dict(params["tags"] or {}),
        "connection_count": 0,
    }
    if params["permissions"] is not None:
        predicted["permissions"] = sorted(set(e["permission"] for e in params["permissions"]))
    return predicted


def check_available(current):
    """A ModuleFailure unless the service (API object) is ``available``: changes are made only then."""
    if current.get("status") != "available":
        raise ModuleFailure("endpoint service %s is %s; it can be changed once it is available"
                            % (current["id"], current.get("status")))
    return current


def update_body(current, changes):
    """The UpdateEndpointService body for ``changes``. approval_enabled, tcp_proxy, ports and
    description are always sent (an update that omits them may reset them to their defaults);
    port_id only when it changes."""
    body = {
        "approval_enabled": changes.get("approval_enabled", current.get("approval_enabled")),
        "tcp_proxy": changes.get("tcp_proxy", current.get("tcp_proxy") or "close"),
        "ports": port_set(changes.get("ports", current.get("ports"))),
        "description": changes.get("description", current.get("description") or ""),
    }
    if "port_id" in changes:
        body["port_id"] = changes["port_id"]
    return body


def update_service(client, service_id, body):
    """UpdateEndpointService with ``update_body``: the service as the answer shows it."""
    return client.request("PUT", SERVICE, path_params=dict(service_id=service_id), body=body,
                          operation="UpdateEndpointService")


def rename_service(client, service_id, name):
    """UpdateEndpointServiceName: the service's given name (the middle of ``service_name``) set to
    ``name``; returns the answer (the service)."""
    with where_served(client, "name: endpoint service %s cannot be renamed to %r there (give its current name)"
                              % (service_id, name)):
        return client.request("PUT", SERVICE + "/name", path_params=dict(service_id=service_id),
                              body={"endpoint_service_name": name}, operation="UpdateEndpointServiceName")


def delete_service(client, current):
    """Delete (answer 200 or 204). A refusal while the service has connections says so."""
    try:
        client.request("DELETE", SERVICE, path_params=dict(service_id=current["id"]),
                       operation="DeleteEndpointService")
    except CloudError as exc:
        if exc.ambiguous or exc.status not in (400, 409) or SERVICE_MISSING.matches(exc):
            raise
        raise ModuleFailure(
            "%s; the endpoint service %s has %s connection(s) in use: reject them with "
            "cloudops.multicloud.vpcep_connection or have their owners delete their endpoints, then "
            "delete the service" % (exc, current["id"], current.get("connection_count", "some")),
            error=exc.to_dict())


def failure_reason(api_object):
    """The API's reason for a failed service (its ``error`` entries)."""
    return "; ".join("%s: %s" % (e.get("code"), e.get("message")) for e in api_object.get("error") or [])


def service_result(api_object, region, permissions=None):
    """An endpoint service as the modules return it (snake_case API fields, ``name`` the given
    name, ``ports`` sorted, ``tags`` a dict, ``permissions`` the whitelist when it was read)."""
    result = snake_result(dict((k, v) for k, v in api_object.items() if k not in ("tags", "ports")))
    result.update(name=short_name(api_object, region), ports=port_set(api_object.get("ports")),
                  tags=tag_dict(api_object.get("tags")))
    if permissions is not None:
        result["permissions"] = permissions
    return result
