# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source cloudops.multicloud.vpcep_connections: connection requests waiting
at your Huawei Cloud VPC endpoint services, and what becomes of the connections. The poller is
plugins/plugin_utils/vpcep_connection_events.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vpcep_connections
short_description: Connection requests and connection status changes of your VPC endpoint services
description:
  - Lists the endpoint services of the project (C(ListEndpointService), 1000 a page) and the
    connections of each watched one (C(ListServiceConnections), 1000 a page) every O(interval)
    seconds, and emits one event per connection that is waiting for acceptance, changed status or
    is gone. A connection passing through C(creating) is reported where it lands.
  - At a first start (no state file) the connections already waiting for acceptance are emitted as
    C(vpcep_connections.pending), since they still need action; every other connection is the
    baseline (unless O(emit_existing)). The last listing is kept in O(state_file), so a restart
    emits only what changed meanwhile. Delivery is at least once.
options:
  region:
    description: Region of the project. Env C(HW_REGION_NAME).
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
    description: VPCEP endpoint instead of the region's public one. Env C(HUAWEICLOUD_ENDPOINT_URL).
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
  services:
    description: Endpoint services to watch, by id or name. Default - all the project's services in the region.
    type: list
    elements: str
  interval:
    description: Seconds between two listings; more than 0.
    type: float
    default: 60
  state_file:
    description:
      - Where the last listing is kept (JSON, mode 0600). Default - one file per account, endpoint,
        region, project and services in C(~/.ansible/tmp/cloudops-multicloud/eda/).
    type: path
  emit_existing:
    description:
      - At a first start (no state file), emit every connection there (accepted ones as
        C(vpcep_connections.changed) from C(null)).
    type: bool
    default: false
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
      condition: event.type == "vpcep_connections.pending" and event.domain_id in vars.whitelisted_accounts
      action:
        run_playbook:
          name: cloudops.multicloud.approve_endpoint_connections
"""

EVENTS = r"""
- type: vpcep_connections.pending | vpcep_connections.changed | vpcep_connections.gone
  region: cn-north-4
  project_id: 0a1b2c3d4e5f40718293a4b5c6d7e8f9
  service_id: 4189d3c2-8882-4871-a3c2-d380272eed83
  service_name: orders-api
  endpoint_id: 7b5e3c2a-9d4f-4e1b-8a6c-5f2e1d0c9b8a
  marker_id: 301989896
  domain_id: b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b  # the account asking to connect
  status: accepted
  created_at: "2026-12-08T02:30:00Z"
  changed:  # vpcep_connections.changed only
    status: {before: pendingAcceptance, after: accepted}
  observed_at: "2026-12-08T02:30:05Z"
"""

import os  # noqa: E402  pylint: disable=wrong-import-position
import sys  # noqa: E402  pylint: disable=wrong-import-position

# pylint: disable=wrong-import-position
try:
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source, vpcep_connection_events
except ImportError:
    # ansible-rulebook runs this file with runpy.run_path, without the collection loader: put the
    # directory holding ansible_collections/ (8 levels up, symlinks kept) on the path.
    sys.path.insert(0, os.path.abspath(__file__).rsplit(os.sep, 8)[0])
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source, vpcep_connection_events


async def main(queue, args):
    """ansible-rulebook's entry point: events on ``queue`` until the task is cancelled; the
    options are checked before any call (SourceError naming the option)."""
    poller, state, params = vpcep_connection_events.poller_and_state(args)
    await event_source.run(queue, poller, state, params["interval"], params["emit_existing"], log=poller.log)
