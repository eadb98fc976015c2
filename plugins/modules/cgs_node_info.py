#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cgs_node_info
short_description: List Huawei Cloud container guard (CGS) container nodes
version_added: 0.1.0
description:
  - Lists the container nodes of the project under Container Guard (CGS v5,
    C(GET /v5/{project_id}/container/nodes)), every page, optionally filtered.
  - CGS allows B(5 calls per minute per user). The module pages at the largest page size the
    service accepts (1000, stepping down when a lower cap is refused) and waits between calls
    instead of failing, so 10,000 nodes take about ten calls and up to a minute of waiting; a
    service that caps pages at 100 makes it a hundred calls, about twenty minutes.
  - A call throttled anyway (C(429 APIGW.0308), because someone else spends the same budget, for
    example another controller or another access key of the same user) waits as long as the
    gateway says, or one minute.
  - An answer without the listing's fields (C(202) "busy, processed later") is asked again, then
    fails the task; it is never taken for "no nodes". A service that ignores C(offset) fails the
    task with a message saying so, instead of listing forever.
  - Run with C(-v) to see each page and each wait (RV(paging)). A wait of 5 seconds or more is also a
    warning, saying who spent the budget (this run, this controller's earlier runs, or someone
    the controller does not know when the gateway refused a call).
options:
  host_name:
    description:
      - Only the node with this exact name (1 to 255 characters, no control characters).
      - Sent to the API as its C(host_name) filter (whose matching mode is not documented) and
        matched exactly on the answer.
    type: str
  agent_status:
    description:
      - Only nodes whose agent is in this state; sent to the API, and applied to the listing too
        (a service may ignore the filter).
      - V(not_installed) and V(not_register) both select the nodes without an agent (the API's
        filter and its answers name that state differently); a word the service refuses (400)
        is asked again with the other one.
    type: str
    choices: [not_installed, not_register, online, offline]
  protect_status:
    description:
      - Only nodes with protection V(opened) or V(closed). The API has no such filter, so it is
        applied to the listing.
    type: str
    choices: [opened, closed]
  host_status:
    description:
      - Only nodes in this server state. Applied to the listing.
    type: str
    choices: [ACTIVE, SHUTOFF, BUILDING, ERROR]
  rate_limit_per_minute:
    description:
      - At most this many CGS calls in any 60 seconds for the account at this endpoint, counted
        together with every other task, fork and inventory refresh of this controller that uses
        the same account (a small file beside the controller locks in C(~/.ansible/tmp)).
      - The service allows 5 per user; raise it only where a higher limit is known (at most 1000),
        or set V(0) to send without pacing (against an emulator with the limit lifted).
    type: int
    default: 5
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.huaweicloud
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
notes:
  - CGS is documented for region V(cn-south-4).
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Every container node of the project
  cloudops.multicloud.cgs_node_info:
    region: cn-south-4
  register: nodes

- name: Nodes whose protection is closed
  ansible.builtin.debug:
    msg: "{{ nodes.nodes | selectattr('protect_status', 'eq', 'closed') | map(attribute='host_name') | list }}"

- name: Nodes without an agent (they report agent_status not_register)
  cloudops.multicloud.cgs_node_info:
    region: cn-south-4
    agent_status: not_installed
  register: unguarded

- name: Which nodes need the agent installed
  ansible.builtin.debug:
    msg: "{{ unguarded.nodes | length }} nodes without an agent: {{ unguarded.nodes | map(attribute='host_name') | join(', ') }}"

- name: One node, if protection is on
  cloudops.multicloud.cgs_node_info:
    region: cn-south-4
    host_name: cce-node-1
    protect_status: opened
"""

RETURN = r"""
nodes:
  description: The container nodes found, in the order the service lists them.
  returned: always
  type: list
  elements: dict
  contains:
    host_id:
      description: ID of the node.
      type: str
      sample: caa958ad-a481-4d46-b51e-6861b8864515
    host_name:
      description: Name of the node (server).
      type: str
      sample: cce-node-1
    host_status:
      description: Server state, C(ACTIVE), C(SHUTOFF), C(BUILDING) or C(ERROR).
      type: str
      sample: ACTIVE
    agent_status:
      description: Agent state, C(online), C(offline) or C(not_register) (no agent).
      type: str
      sample: online
    protect_status:
      description: Protection, C(opened) or C(closed).
      type: str
      sample: opened
paging:
  description: One line per page read and per wait for the rate limit, at verbosity 1 and above.
  returned: when run with -v or more
  type: list
  elements: str
  sample:
    - "CGS ListContainerNodes page 1 (offset 0): 1000 nodes, 1000 of 10000 listed"
    - "cgs ListContainerNodes page 6 (offset 5000, limit 1000): waiting 58.2s for the rate limit (5 calls per 60s)"
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import CGS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.nodes import (
    AGENT_STATUSES,
    HOST_NAME,
    HOST_STATUSES,
    PROTECT_STATUSES,
    NodeListing,
    matches,
    node_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_range

PER_MINUTE_MAX = 1000


class CgsNodeInfo(InfoModule):
    api = CGS_API
    argument_spec = dict(
        host_name=dict(type="str"),
        agent_status=dict(type="str", choices=list(AGENT_STATUSES)),
        protect_status=dict(type="str", choices=list(PROTECT_STATUSES)),
        host_status=dict(type="str", choices=list(HOST_STATUSES)),
        rate_limit_per_minute=dict(type="int", default=CGS_API.rate_limit.per_minute),
    )
    result_key = "nodes"

    def validate(self):
        HOST_NAME.check("host_name", self.params["host_name"])
        check_range("rate_limit_per_minute", self.params["rate_limit_per_minute"], 0, PER_MINUTE_MAX)
        self.paging = []

    def list_resources(self):
        # The client's pacer (CGS_API declares the limit), reporting its waits among the paging lines.
        pacer = self.api.pacer_of(self.client, notify=self.paging.append, sleep=self.sleep,
                                  monotonic=self.monotonic, warn=self.warn, who="cloudops.multicloud.cgs_node_info")
        listing = NodeListing(self.client, pacer=pacer, notify=self.paging.append)
        nodes = listing.list(host_name=self.params["host_name"], agent_status=self.params["agent_status"])
        for warning in listing.warnings:
            self.warn(warning)
        return [n for n in nodes if matches(n, host_status=self.params["host_status"],
                                            protect_status=self.params["protect_status"],
                                            agent_status=self.params["agent_status"])]

    def to_result(self, api_object):
        return node_result(api_object)

    def follow_up(self, result):
        if self.verbosity >= 1:
            result["paging"] = self.paging
        return result


def main():
    CgsNodeInfo().run()


if __name__ == "__main__":
    main()
