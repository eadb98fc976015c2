# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source cloudops.multicloud.cgs_nodes: Huawei Cloud container guard (CGS)
nodes that appeared, are gone, or whose protection or agent changed. The poller is
plugins/plugin_utils/cgs_node_events.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cgs_nodes
short_description: Container nodes under Huawei Cloud container guard (CGS) that appear, go, or change protection or agent state
description:
  - Lists the project's container nodes (C(GET /v5/{project_id}/container/nodes)) every O(interval)
    seconds, as M(cloudops.multicloud.cgs_node_info) lists them, and emits one event per node that
    appeared, is gone, or whose C(protect_status) or C(agent_status) changed.
  - CGS allows B(5 calls a minute per user). The source's calls count in the same budget as the
    modules' and the inventory's on this controller (one per account and endpoint), and it spends at
    most 4 of the 5 calls a minute, one page per call of up to 1000 nodes. O(interval) must allow
    that for the listing's pages (15 s per page at 5 calls a minute): a lower one is refused at
    startup, naming the least allowed. When the listing grows past what O(interval) allows, the
    source warns and polls less often.
  - The first start takes what is there as the baseline and emits nothing (unless O(emit_existing));
    the last listing is kept in O(state_file), so a restart emits only what changed meanwhile.
    Delivery is at least once.
options:
  region:
    description: Region of the project (CGS is documented for V(cn-south-4)). Env C(HW_REGION_NAME).
    type: str
  project_id:
    description: Project ID; looked up by region when omitted. Env C(HUAWEICLOUD_SDK_PROJECT_ID), C(HW_PROJECT_ID).
    type: str
  access_key:
    description: Access key (AK). Env C(HUAWEICLOUD_SDK_AK), C(HW_ACCESS_KEY).
    type: str
  secret_key:
    description: Secret key (SK). Env C(HUAWEICLOUD_SDK_SK), C(HW_SECRET_KEY).
    type: str
  security_token:
    description: Security token of temporary credentials. Env C(HUAWEICLOUD_SDK_SECURITY_TOKEN).
    type: str
  auth_username:
    description: IAM user name, to authenticate with a password instead of AK/SK.
    type: str
  auth_password:
    description: Password of O(auth_username).
    type: str
  auth_domain:
    description: Account (domain) name of O(auth_username).
    type: str
  endpoint_url:
    description: CGS endpoint instead of the region's public one. Env C(HUAWEICLOUD_ENDPOINT_URL).
    type: str
  iam_endpoint_url:
    description: IAM endpoint. Env C(HUAWEICLOUD_SDK_IAM_ENDPOINT).
    type: str
  allow_insecure_http:
    description: Accept an C(http://) endpoint that is not loopback. Env C(CLOUDOPS_ALLOW_INSECURE_HTTP).
    type: bool
    default: false
  validate_certs:
    description: Check the endpoint's TLS certificate.
    type: bool
    default: true
  ca_bundle:
    description: CA certificates to check it with.
    type: path
  timeout:
    description: Seconds per HTTP attempt.
    type: float
  retries:
    description: Attempts again after a throttled answer, a 5xx or a network error (the transport's policy).
    type: int
  host_name:
    description: Only the node with this exact name.
    type: str
  agent_status:
    description: Only nodes whose agent is in this state (V(not_installed) and V(not_register) both mean no agent).
    type: str
    choices: [not_installed, not_register, online, offline]
  protect_status:
    description:
      - Only nodes with protection V(opened) or V(closed). A node that starts or stops matching a
        filter is reported as appeared or gone.
    type: str
    choices: [opened, closed]
  host_status:
    description: Only nodes in this server state.
    type: str
    choices: [ACTIVE, SHUTOFF, BUILDING, ERROR]
  rate_limit_per_minute:
    description:
      - The account's CGS calls a minute (the service allows 5), shared with every module, inventory
        refresh and source of this controller on the same account; V(0) does not pace (an emulator
        with the limit lifted). From 0 to 1000.
    type: int
    default: 5
  interval:
    description:
      - Seconds between two listings; more than 0, and at least what the budget allows for the
        listing's pages (C(pages * 60 / (rate_limit_per_minute * 0.8)): 15 s per page of 1000 nodes).
    type: float
    default: 60
  state_file:
    description:
      - Where the last listing is kept (JSON, mode 0600). Default - one file per account, endpoint,
        region and filters in C(~/.ansible/tmp/cloudops-multicloud/eda/).
    type: path
  emit_existing:
    description: At a first start (no state file), emit C(cgs_nodes.appeared) for every node there.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Audit unprotected container nodes
  hosts: localhost
  sources:
    - cloudops.multicloud.cgs_nodes:
        region: cn-south-4
        interval: 60
  rules:
    - name: Protection closed
      condition: event.type == "cgs_nodes.changed" and event.changed.protect_status.after == "closed"
      action:
        run_playbook:
          name: cloudops.multicloud.audit_container_guard
"""

EVENTS = r"""
- type: cgs_nodes.appeared | cgs_nodes.gone | cgs_nodes.changed
  region: cn-south-4
  project_id: 5c4b3a2918074f6e8d7c6b5a4f3e2d1c
  host_id: caa958ad-a481-4d46-b51e-6861b8864515
  host_name: cce-node-1
  host_status: ACTIVE
  agent_status: offline
  protect_status: opened
  changed:  # cgs_nodes.changed only: the watched fields that changed
    agent_status: {before: online, after: offline}
  observed_at: "2026-12-08T02:40:00Z"
"""

import os  # noqa: E402  pylint: disable=wrong-import-position
import sys  # noqa: E402  pylint: disable=wrong-import-position

# pylint: disable=wrong-import-position
try:
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source, cgs_node_events
except ImportError:
    # ansible-rulebook runs this file with runpy.run_path, without the collection loader: put the
    # directory holding ansible_collections/ (8 levels up, symlinks kept) on the path.
    sys.path.insert(0, os.path.abspath(__file__).rsplit(os.sep, 8)[0])
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source, cgs_node_events


async def main(queue, args):
    """ansible-rulebook's entry point: events on ``queue`` until the task is cancelled; the
    options are checked before any call (SourceError naming the option)."""
    poller, state, params = cgs_node_events.poller_and_state(args)
    await event_source.run(queue, poller, state, params["interval"], params["emit_existing"], log=poller.log)
