# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``vpcep_connections`` event source (extensions/eda/plugins/event_source/vpcep_connections.py):
connection requests waiting at the project's VPC endpoint services, and what becomes of the
connections.

Every ``interval`` seconds it lists the endpoint services (ListEndpointService, 1000 a page) and
the connections of each watched one (ListServiceConnections, 1000 a page). Requests already
waiting at a first start are events too (``first_events``): they still need action.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import logging

from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import account_of, huawei_argument_spec
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import SERVICE_MISSING, VPCEP_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.connections import list_connections
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.services import list_services, short_name
from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source

NAME = "vpcep_connections"
PENDING = "pendingAcceptance"
# A connection passes through creating on its way to pendingAcceptance (a new endpoint) or to
# accepted: the source reports where it lands, not the passage.
TRANSIENT = ("creating",)
# Services in these statuses have no connections to list.
NOT_CONNECTABLE = ("creating", "failed")

ARGUMENT_SPEC = event_source.source_spec(
    huawei_argument_spec(),
    services=dict(type="list", elements="str"),
)

log = logging.getLogger("cloudops.multicloud.%s" % NAME)


def check_options(params):
    """SourceError naming the option for a bad ``interval``."""
    event_source.check_interval(params, NAME)


def identity(params, client):
    """What the state file is per: account, endpoint, region, project and services."""
    return {"account": account_of(params), "endpoint": client.endpoint, "region": client.region,
            "project_id": params["project_id"], "services": sorted(params["services"] or [])}


def poller_and_state(args):
    """The poller and state file ``args`` (the rulebook's) describe, and the options;
    SourceError naming the option."""
    params, client, state = event_source.configure(args, ARGUMENT_SPEC, NAME, VPCEP_API, check_options, identity)
    return VpcepConnections(client, params["services"]), state, params


class VpcepConnections(event_source.Poller):
    """The connections of the project's endpoint services (or of ``services``, ids or names), as
    ``{"<service id>/<endpoint id>": record}``."""

    name = NAME

    def __init__(self, client, services=None):
        # An instance attribute: "log = log" in the class body sends pylint's inference into a loop.
        self.log = log
        self.client = client
        self.services = set(services or [])
        self.unmatched = set()

    def read(self):
        records = {}
        for service in self.watched(list_services(self.client)):
            if service.get("status") in NOT_CONNECTABLE:
                continue
            # A service deleted between the two listings has no connections left.
            connections = SERVICE_MISSING.absent_if(list_connections, self.client, service["id"]) or []
            for connection in connections:
                record = self.record(service, connection)
                records["%s/%s" % (record["service_id"], record["endpoint_id"])] = record
        return records

    def watched(self, services):
        """The services the source watches; names ``services`` matches no service are logged once."""
        if not self.services:
            return services
        chosen = [s for s in services if s["id"] in self.services or short_name(s, self.client.region) in self.services]
        unmatched = self.services - set(s["id"] for s in chosen) - set(short_name(s, self.client.region) for s in chosen)
        if unmatched and unmatched != self.unmatched:
            log.warning("%s: services: no endpoint service %s in region %s (yet)", NAME, ", ".join(sorted(unmatched)),
                        self.client.region)
        self.unmatched = unmatched
        return chosen

    def record(self, service, connection):
        return {"region": self.client.region, "project_id": self.client.project_id, "service_id": service["id"],
                "service_name": short_name(service, self.client.region), "endpoint_id": connection["id"],
                "marker_id": connection.get("marker_id"), "domain_id": connection.get("domain_id"),
                "status": connection.get("status"), "created_at": connection.get("created_at")}

    def events(self, before, now):
        observed_at = event_source.observed_at()
        found = []
        for kind, _key, old, new, _fields in event_source.changes(before, now, ("status",)):
            if kind == "gone":
                found.append(event("gone", old, observed_at))
            elif new["status"] == PENDING:
                found.append(event("pending", new, observed_at))
            elif new["status"] not in TRANSIENT:
                moved = {"status": {"before": old["status"] if old else None, "after": new["status"]}}
                found.append(event("changed", new, observed_at, changed=moved))
        return found

    def first_events(self, now):
        observed_at = event_source.observed_at()
        return [event("pending", now[key], observed_at) for key in sorted(now) if now[key]["status"] == PENDING]

    def close(self):
        self.client.transport.close()


def event(what, record, observed_at, changed=None):
    found = dict(record, type="%s.%s" % (NAME, what), observed_at=observed_at)
    if changed:
        found["changed"] = changed
    return found
