#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpcep_connection
short_description: Accept or reject the endpoints connected to a Huawei Cloud VPC endpoint service
version_added: 0.1.0
description:
  - The provider side of a connection. When a service has approval enabled, a consumer's VPC
    endpoint waits in V(pendingAcceptance) until the provider accepts or rejects it.
  - Acts on the endpoints named in O(endpoint_ids), and on every V(pendingAcceptance) endpoint
    whose owner O(accept_from) names; sets the provider's descriptions of connections.
  - An endpoint already in the requested state is left alone, so a re-run changes nothing. An
    idempotent run costs one ListServiceConnections call (plus one ListEndpointService call when
    the service is given by name).
options:
  service_id:
    description:
      - ID of the endpoint service.
    type: str
  service_name:
    description:
      - Name of the endpoint service (the middle part of C({region}.{name}.{id}), matched exactly).
    type: str
  action:
    description:
      - V(accept) or V(reject) the selected endpoints. Accepting a rejected endpoint and rejecting
        an accepted one are allowed.
      - Required unless only O(descriptions) are set.
    type: str
    choices: [accept, reject]
  endpoint_ids:
    description:
      - IDs of consumer endpoints connected to the service. An ID that is not connected to it is
        an error.
    type: list
    elements: str
    default: []
  accept_from:
    description:
      - Also act on every V(pendingAcceptance) endpoint whose owner is one of these accounts -
        account (domain) IDs, whitelist records such as V(iam:domain::<account id>), or
        V(whitelist) for every account on the service's whitelist (V(*) there means everyone).
    type: list
    elements: str
    default: []
  descriptions:
    description:
      - The provider's description of connections, as a mapping of endpoint ID to text (no V(<)
        or V(>)). Only the endpoints named are changed.
    type: dict
  wait:
    description:
      - Whether to wait until every endpoint the task acted on is V(accepted) or V(rejected), and,
        before acting, until no endpoint named in O(endpoint_ids) is still V(creating).
    type: bool
    default: true
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.huaweicloud
  - cloudops.multicloud.transport
  - cloudops.multicloud.wait
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - An accepted connection may pass through V(creating); with O(wait) the task waits until every
    endpoint it acted on is V(accepted) or V(rejected).
  - An endpoint that is still being created (V(creating) before it ever waited for approval)
    cannot be acted on yet; with O(wait) the task waits for it.
  - Check mode makes no write call and reports the connections as they would be.
seealso:
  - module: cloudops.multicloud.vpcep_service
  - module: cloudops.multicloud.vpcep_endpoint
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Accept every waiting endpoint of the whitelisted partner accounts
  cloudops.multicloud.vpcep_connection:
    service_name: orders-api
    action: accept
    accept_from: [whitelist]
  register: accepted

- name: The endpoints accepted
  ansible.builtin.debug:
    msg: "{{ accepted.connections | map(attribute='id') | list }}"

- name: Reject one endpoint and say why
  cloudops.multicloud.vpcep_connection:
    service_name: orders-api
    action: reject
    endpoint_ids: [a3c41c2b-5d6e-4f70-8a9b-0c1d2e3f4a5b]
    descriptions:
      a3c41c2b-5d6e-4f70-8a9b-0c1d2e3f4a5b: contract ended
"""

RETURN = r"""
connections:
  description:
    - The connections the task selected (named in O(endpoint_ids) or O(descriptions), or matched
      by O(accept_from)), as they are after the task; in check mode, as they would be.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the consumer's endpoint.
      type: str
    status:
      description: V(pendingAcceptance), V(creating), V(accepted), V(rejected), V(failed) or V(deleting).
      type: str
      sample: accepted
    domain_id:
      description: Account of the consumer.
      type: str
    marker_id:
      description: Packet marker of the endpoint.
      type: int
    description:
      description: The provider's description of the connection.
      type: str
    created_at:
      description: When the endpoint was created (UTC).
      type: str
    updated_at:
      description: When the connection last changed (UTC).
      type: str
service_id:
  description: ID of the endpoint service.
  returned: always
  type: str
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import connections, rules, services
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import SERVICE_MISSING, VPCEP_API


class VpcepConnection(StatefulModule):
    api = VPCEP_API
    argument_spec = dict(
        service_id=dict(type="str"),
        service_name=dict(type="str"),
        action=dict(type="str", choices=["accept", "reject"]),
        endpoint_ids=dict(type="list", elements="str", default=[]),
        accept_from=dict(type="list", elements="str", default=[]),
        descriptions=dict(type="dict"),
    )
    module_kwargs = dict(mutually_exclusive=[("service_id", "service_name")],
                         required_one_of=[("service_id", "service_name"), ("action", "descriptions")])
    supports_wait = True
    creatable = False
    result_key = "connections"
    updatable = {"connections": "connections"}

    def __init__(self):
        super(VpcepConnection, self).__init__()
        self.service_id = self.params["service_id"]
        self.current = None
        self.selection = None  # a connections.Selection, once the service is known

    def validate(self):
        services.SERVICE_NAME.check("service_name", self.params["service_name"])
        if (self.params["endpoint_ids"] or self.params["accept_from"]) and not self.params["action"]:
            raise ModuleFailure("action: required with endpoint_ids or accept_from")
        rules.SERVICE_ID.check("service_id", self.params["service_id"])
        rules.ENDPOINT_ID.check_each("endpoint_ids", self.params["endpoint_ids"])
        for endpoint_id, text in (self.params["descriptions"] or {}).items():
            rules.ENDPOINT_ID.check("descriptions", endpoint_id)
            rules.check_description("descriptions.%s" % endpoint_id, text)

    # reading -------------------------------------------------------------------------------

    def find(self):
        """The service's connections; with ``wait``, once no named endpoint is still ``creating``
        (being created, or being accepted), so the action applies to a settled status."""
        if self.service_id is None:
            found = services.find_service(self.client, self.region, name=self.params["service_name"])
            if found is None:
                raise ModuleFailure("service_name: no endpoint service named %r in region %s"
                                    % (self.params["service_name"], self.region))
            self.service_id = found["id"]
        self.extra_result["service_id"] = self.service_id
        if self.selection is None:
            self.selection = connections.Selection(
                self.client, self.service_id, self.params["action"], self.params["endpoint_ids"],
                self.params["accept_from"], self.params["descriptions"])
        current = self._list()
        if self.params["wait"] and self.selection.in_progress(current["connections"]):
            current = self.wait_for(lambda obj: not self.selection.in_progress(obj["connections"]), "to settle",
                                    self._list)
        self.selection.match(current["connections"])
        self.current = current
        return current

    def _list(self):
        return {"connections": SERVICE_MISSING.translate(self._no_service, connections.list_connections,
                                                         self.client, self.service_id)}

    def _no_service(self):
        return ModuleFailure("service_id: no endpoint service %s in region %s" % (self.service_id, self.region))

    def to_result(self, api_object):
        return {"connections": [connections.connection_result(c)
                                for c in self.selection.selected(api_object["connections"])]}

    def follow_up(self, result):
        # The set of connections is compared and diffed as {"connections": [...]}; the module
        # returns the list itself.
        result[self.result_key] = (result[self.result_key] or {}).get("connections", [])
        return result

    # comparing -----------------------------------------------------------------------------

    def desired_value(self, option):
        return [self.selection.desired(c) for c in self.selection.selected(self.current["connections"])]

    def differs(self, option, desired, actual):
        return self.selection.changes(self.current["connections"])

    # writing -------------------------------------------------------------------------------

    def update(self, current, changes):
        targets = self.selection.apply(current["connections"])
        if not (self.params["wait"] and targets):
            return self.find()
        final = connections.FINAL_STATUS[self.params["action"]]
        self.current = self.wait_for(lambda obj: all(c["status"] == final for c in obj["connections"]
                                                     if c["id"] in targets),
                                     "to be %s" % final, self._list)
        return self.current


def main():
    VpcepConnection().run()


if __name__ == "__main__":
    main()
