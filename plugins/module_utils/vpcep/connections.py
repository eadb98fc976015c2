# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connections of an endpoint service (consumer endpoints seen from the provider): the listing,
accept/reject (one endpoint a call), connection descriptions, and ``Selection``: the connections
a vpcep_connection task is about and what it does to each."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import PAGE_SIZE, SERVICE, path_for, where_served
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.permissions import (
    DOMAIN_PREFIX,
    list_permissions,
)

CONNECTIONS = SERVICE + "/connections"
# Accepting a connection that is accepted (or being accepted) may answer 400 EndPoint.2014 or 200:
# both mean it is done.
ALREADY_ACCEPTED = Missing("EndPoint.2014")
# What each action leads to, and the statuses on the way.
FINAL_STATUS = {"accept": "accepted", "reject": "rejected"}
API_ACTION = {"accept": "receive", "reject": "reject"}
PENDING_STATUSES = ("creating",)
# What an action does to a connection in each status: act on it, wait for it, or leave it.
ACT = {"accept": ("pendingAcceptance", "rejected"), "reject": ("pendingAcceptance", "accepted")}


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
    """UpdateEndpointConnectionsDesc: connection descriptions set, {endpoint id: description};
    returns the answer."""
    with where_served(client, "descriptions: connection descriptions cannot be set there"):
        return client.request("PUT", CONNECTIONS + "/description", path_params=dict(service_id=service_id),
                              operation="UpdateEndpointConnectionsDesc",
                              body={"connections": [{"id": k, "description": v}
                                                    for k, v in sorted(descriptions.items())]})


def connection_result(api_object):
    """A connection as vpcep_connection returns it: the listing's fields, as listed."""
    fields = ("id", "marker_id", "status", "domain_id", "description", "error", "created_at", "updated_at")
    return dict((k, api_object[k]) for k in fields if k in api_object)


class Selection:
    """The connections one vpcep_connection task is about, and what it does to each: ``action``
    (``accept``, ``reject`` or None) on the endpoints of ``endpoint_ids`` and on the waiting ones
    whose owner ``accept_from`` names (account ids, domain whitelist records, ``*`` or
    ``whitelist``: the service's own whitelist, read once); ``descriptions`` {endpoint id: text}.
    Connections are the ``connections`` list of ``list_connections``."""

    def __init__(self, client, service_id, action=None, endpoint_ids=(), accept_from=(), descriptions=None):
        self.client = client
        self.service_id = service_id
        self.action = action
        self.endpoint_ids = list(endpoint_ids or [])
        self.accept_from = list(accept_from or [])
        self.descriptions = dict(descriptions or {})
        self.matched_ids = None  # endpoints accept_from matched at the first read
        self.owners = None

    def match(self, connections):
        """Remember the endpoints accept_from names, at the first read only: they stay selected
        once accepted or rejected."""
        if self.matched_ids is None:
            self.matched_ids = set(c["id"] for c in connections if self.matched(c))

    def selected(self, connections):
        """The connections this task is about, in listing order; a ModuleFailure names the
        endpoints asked for that are not connected."""
        named = set(self.endpoint_ids) | set(self.descriptions)
        listed = set(c["id"] for c in connections)
        unknown = sorted(named - listed)
        if unknown:
            raise ModuleFailure("endpoint_ids: %s not connected to endpoint service %s"
                                % (", ".join(unknown), self.service_id))
        return [c for c in connections if c["id"] in named or c["id"] in self.matched_ids]

    def matched(self, connection):
        """A waiting endpoint whose owner accept_from names."""
        if connection.get("status") != "pendingAcceptance" or not self.accept_from:
            return False
        owners = self.accounts()
        return None in owners or connection.get("domain_id") in owners

    def in_progress(self, connections):
        """Whether an endpoint of endpoint_ids is still being created (or accepted)."""
        return any(c["status"] in PENDING_STATUSES for c in connections if c["id"] in self.endpoint_ids)

    def acts_on(self, connection):
        return bool(self.action) and connection["status"] in ACT[self.action] and (
            connection["id"] in self.endpoint_ids or connection["id"] in self.matched_ids)

    def describes(self, connection):
        if connection["id"] not in self.descriptions:
            return False
        return connection.get("description", "") != self.descriptions[connection["id"]]

    def changes(self, connections):
        """Whether the task changes any selected connection."""
        return any(self.acts_on(c) or self.describes(c) for c in self.selected(connections))

    def desired(self, connection):
        """``connection_result`` of the connection once the task is done with it."""
        result = connection_result(connection)
        if self.acts_on(connection):
            result["status"] = FINAL_STATUS[self.action]
        if self.describes(connection):
            result["description"] = self.descriptions[connection["id"]]
        return result

    def apply(self, connections):
        """Accept or reject each selected connection the action changes (one call each), then set
        the descriptions that differ (one call); returns the ids acted on."""
        selected = self.selected(connections)
        targets = [c["id"] for c in selected if self.acts_on(c)]
        for endpoint_id in targets:
            act_on(self.client, self.service_id, endpoint_id, self.action)
        described = dict((c["id"], self.descriptions[c["id"]]) for c in selected if self.describes(c))
        if described:
            describe(self.client, self.service_id, described)
        return targets

    def accounts(self):
        """Account ids of accept_from (None among them means everyone); the whitelist is read once."""
        if self.owners is None:
            owners = set()
            for entry in self.accept_from:
                if entry == "whitelist":
                    records = list_permissions(self.client, self.service_id)
                    owners |= set(account_of(r["permission"]) for r in records)
                else:
                    owners.add(account_of(entry))
            self.owners = owners
        return self.owners


def account_of(record):
    """The account id of an account id or a domain whitelist record; None for everyone."""
    if record in ("*", DOMAIN_PREFIX + "*"):
        return None
    if record.startswith(DOMAIN_PREFIX):
        return record[len(DOMAIN_PREFIX):]
    return record
