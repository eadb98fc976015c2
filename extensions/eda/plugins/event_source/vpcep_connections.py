# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source: connection requests waiting at your Huawei Cloud VPC endpoint
services, and what becomes of the connections (docs/eda.md, ``## vpcep_connections``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import logging
import os
import sys

DOCUMENTATION = r"""
name: vpcep_connections
short_description: Connection requests and connection status changes of your VPC endpoint services
description:
  - Lists the endpoint services of the project (ListEndpointService, 1000 a page) and the connections
    of each (ListServiceConnections, 1000 a page) every O(interval) seconds, and emits one event per
    connection that is waiting for acceptance, changed status or is gone.
  - At a first start (no state file) the connections that are already waiting for acceptance are
    emitted as C(vpcep_connections.pending), since they still need action; every other connection is
    the baseline. The last listing is kept in O(state_file), so a restart emits only what changed
    while the source was stopped. Delivery is at least once.
options:
  access_key: {description: Huawei Cloud access key (HUAWEICLOUD_SDK_AK), as the modules take it.}
  secret_key: {description: Secret key (HUAWEICLOUD_SDK_SK); never part of an event or log line.}
  region: {description: Huawei Cloud region (HW_REGION_NAME).}
  project_id: {description: Project id (HUAWEICLOUD_SDK_PROJECT_ID); looked up from the region when absent.}
  endpoint_url: {description: VPCEP endpoint (HUAWEICLOUD_ENDPOINT_URL); the public one of the region when absent.}
  services:
    description: Endpoint services to watch, by id or name; all the project's services in the region when absent.
    type: list
    elements: str
  interval: {description: Seconds between two listings (more than 0)., type: float, default: 60}
  state_file: {description: Where the last listing is kept (0600); one per account, endpoint, region and services by default.}
  emit_existing: {description: At a first start emit every connection (accepted ones as changed from null)., type: bool, default: false}
events:
  vpcep_connections.pending: A connection waits for acceptance (new, or back to pendingAcceptance).
  vpcep_connections.changed: "A connection's status changed: changed.status.before/after (creating is transient: not reported)."
  vpcep_connections.gone: A connection is no longer listed (its endpoint or service was deleted).
"""

EXAMPLES = r"""
- name: Approve whitelisted partners
  hosts: localhost
  sources:
    - cloudops.multicloud.vpcep_connections:
        region: cn-north-4
        services: [orders-api]
        interval: 30
  rules:
    - name: A partner asks to connect
      condition: event.type == "vpcep_connections.pending"
      action:
        debug:
"""

try:
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source
except ImportError:
    # ansible-rulebook runs this file with runpy.run_path, without the collection loader: put the
    # directory holding ansible_collections/ (8 levels above this file, symlinks kept) on the path.
    _ROOT = os.path.abspath(__file__)
    for _level in range(8):
        _ROOT = os.path.dirname(_ROOT)
    sys.path.insert(0, _ROOT)
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source

# pylint: disable=wrong-import-position
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import account_of, huawei_argument_spec
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import SERVICE_MISSING, VPCEP_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.connections import list_connections
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.services import list_services, short_name

NAME = "vpcep_connections"
PENDING = "pendingAcceptance"
# A connection passes through creating on its way to pendingAcceptance (a new endpoint) or to
# accepted: the source reports where it lands, not the passage.
TRANSIENT = ("creating",)
# Services in these statuses have no connections to list.
NOT_CONNECTABLE = ("creating", "failed")

ARGUMENT_SPEC = dict(
    huawei_argument_spec(),
    services=dict(type="list", elements="str"),
    interval=dict(type="float", default=60.0),
    state_file=dict(type="path"),
    emit_existing=dict(type="bool", default=False),
)

log = logging.getLogger("cloudops.multicloud.%s" % NAME)


class VpcepConnections(event_source.Poller):
    """The connections of the project's endpoint services (or of ``services``, ids or names), as
    ``{"<service id>/<endpoint id>": record}``."""

    name = NAME

    def __init__(self, client, services=None):
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
        observed_at = utcnow()
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
        observed_at = utcnow()
        return [event("pending", now[key], observed_at) for key in sorted(now) if now[key]["status"] == PENDING]

    def close(self):
        self.client.transport.close()


def event(what, record, observed_at, changed=None):
    found = dict(record, type="%s.%s" % (NAME, what), observed_at=observed_at)
    if changed:
        found["changed"] = changed
    return found


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def poller_and_state(args):
    """The poller and state file ``args`` (the rulebook's) describe; SourceError naming the option."""
    params = event_source.source_params(args, ARGUMENT_SPEC, NAME)
    if params["interval"] <= 0:
        raise event_source.SourceError("%s: interval: must be more than 0 seconds, got %s" % (NAME, params["interval"]))
    client = event_source.client(VPCEP_API, params, NAME)
    identity = {"account": account_of(params), "endpoint": client.endpoint, "region": client.region,
                "project_id": params["project_id"], "services": sorted(params["services"] or [])}
    state = event_source.StateFile(event_source.state_path(NAME, identity, params["state_file"]))
    return VpcepConnections(client, params["services"]), state, params


async def main(queue, args):
    """ansible-rulebook's entry point: polls until cancelled."""
    poller, state, params = poller_and_state(args)
    await event_source.run(queue, poller, state, params["interval"], params["emit_existing"], log=log)
