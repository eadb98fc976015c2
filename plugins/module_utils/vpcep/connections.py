# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connections of an endpoint service (consumer endpoints seen from the provider): the listing,
accept/reject (one endpoint a call) and connection descriptions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import PAGE_SIZE, SERVICE, path_for

CONNECTIONS = SERVICE + "/connections"
# Accepting a connection that is accepted (or being accepted) may answer 400 EndPoint.2014 or 200:
# both mean it is done.
ALREADY_ACCEPTED = Missing("EndPoint.2014")
# What each action leads to, and the statuses on the way.
FINAL_STATUS = {"accept": "accepted", "reject": "rejected"}
API_ACTION = {"accept": "receive", "reject": "reject"}
PENDING_STATUSES = ("creating",)


def list_connections(client, service_id, **query):
    """Every connection of the service: [{id, marker_id, status, domain_id, description, ...}]."""
    return client.paginate_offset(path_for(CONNECTIONS, service_id=service_id), "connections", query=query,
                                  limit=PAGE_SIZE, operation="ListServiceConnections")


def act_on(client, service_id, endpoint_id, action):
    """Accept (``receive``) or reject one endpoint; accepting an accepted one is not an error."""
    call = client.request
    args = ("POST", CONNECTIONS + "/action")
    kwargs = dict(path_params=dict(service_id=service_id), operation="AcceptOrRejectEndpoint",
                  body={"action": API_ACTION[action], "endpoints": [endpoint_id]})
    if action == "accept":
        return ALREADY_ACCEPTED.absent_if(call, *args, **kwargs)
    return call(*args, **kwargs)


def describe(client, service_id, descriptions):
    """Set connection descriptions: {endpoint id: description}."""
    client.request("PUT", CONNECTIONS + "/description", path_params=dict(service_id=service_id),
                   operation="UpdateEndpointConnectionsDesc",
                   body={"connections": [{"id": k, "description": v} for k, v in sorted(descriptions.items())]})


def connection_result(api_object):
    fields = ("id", "marker_id", "status", "domain_id", "description", "error", "created_at", "updated_at")
    return dict((k, api_object[k]) for k in fields if k in api_object)
