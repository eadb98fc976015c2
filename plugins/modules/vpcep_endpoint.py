#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpcep_endpoint
short_description: Connect a VPC to a Huawei Cloud VPC endpoint service
version_added: 0.1.0
description:
  - Create and delete a VPC endpoint, the consumer side of Huawei Cloud VPC Endpoint - an address
    in a subnet of your VPC through which the endpoint service answers, whether it is another
    account's service, your own, or a public one of the cloud.
  - The endpoint is identified by O(id), or else by its service and VPC (at most one endpoint of
    the service per VPC is managed this way).
  - The whitelist of client addresses and the tags change in place; the other options are fixed
    when the endpoint is created and a different value fails.
  - An idempotent run costs one ListEndpoints call, plus one ListServiceDescribeDetails call when
    the service is given by name. With O(service_id) the service is not looked up (some regions
    cannot); the API itself then refuses an endpoint that lacks what its service needs.
options:
  id:
    description:
      - ID of an existing endpoint.
    type: str
  service_id:
    description:
      - ID of the endpoint service to connect to.
    type: str
  service_name:
    description:
      - Full name of the endpoint service, C({region}.{name}.{id}) for a user's service or the
        public service's name (for example C(cn-north-4.com.myhuaweicloud.v4.dns)), as
        M(cloudops.multicloud.vpcep_service_info) shows it.
    type: str
  vpc_id:
    description:
      - ID of the VPC the endpoint is in. Required unless O(id) is given.
    type: str
  subnet_id:
    description:
      - ID of the subnet of O(vpc_id) the endpoint's address is taken from. Required to create an
        endpoint to an interface service.
    type: str
  port_ip:
    description:
      - The endpoint's IPv4 address in O(subnet_id).
      - Required to create an endpoint to an interface service (the API reference requires it;
        some regions pick a free address without it, but a playbook cannot rely on that).
      - Compared with the endpoint's address once the cloud shows it (after acceptance).
    type: str
  enable_dns:
    description:
      - Whether the cloud creates a private DNS name for the endpoint. Fixed at creation.
    type: bool
  whitelist:
    description:
      - Client IPv4 addresses or CIDR blocks allowed to use the endpoint, compared as a set.
    type: list
    elements: str
  enable_whitelist:
    description:
      - Whether O(whitelist) is enforced.
    type: bool
  description:
    description:
      - Description of the endpoint; no V(<) or V(>). Fixed at creation.
    type: str
  tags:
    description:
      - Tags of the endpoint as a mapping of key to value; at most 10. See O(purge_tags).
    type: dict
  purge_tags:
    description:
      - Whether to remove tags not in O(tags). Has no effect when O(tags) is not given.
    type: bool
    default: true
  state:
    description:
      - V(present) creates the endpoint or changes it; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
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
    details: The whitelist and tags are shown as sets before and after.
notes:
  - A new endpoint is V(creating), then V(accepted), or V(pendingAcceptance) until the provider
    accepts it (see M(cloudops.multicloud.vpcep_connection)). With O(wait) the task waits for
    V(accepted) and fails if the provider rejects the endpoint; use O(wait=false) when the
    provider accepts it later, and run the task again with O(wait=true) to wait for that.
  - Check mode makes no write call and reports the endpoint as it would be.
seealso:
  - module: cloudops.multicloud.vpcep_endpoint_info
  - module: cloudops.multicloud.vpcep_service
  - module: cloudops.multicloud.vpcep_connection
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Reach the partner's orders API from our VPC (the partner accepts it later)
  cloudops.multicloud.vpcep_endpoint:
    service_name: cn-north-4.orders-api.4189d3c2-8882-4871-a3c2-d380272eed83
    vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
    subnet_id: 5e6f7a8b-0000-4000-8000-000000000001
    port_ip: 192.168.0.60
    whitelist: [192.168.0.0/24]
    enable_whitelist: true
    tags: {app: billing}
    wait: false
  register: endpoint

- name: Where the billing app reaches the orders API (the cloud shows the address once accepted)
  ansible.builtin.debug:
    msg: "{{ endpoint.endpoint.status }}: {{ endpoint.endpoint.ip | default('no address yet') }}"

- name: Private access to the cloud's DNS service
  cloudops.multicloud.vpcep_endpoint:
    service_name: cn-north-4.com.myhuaweicloud.v4.dns
    vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
    subnet_id: 5e6f7a8b-0000-4000-8000-000000000001
    port_ip: 192.168.0.61
    enable_dns: true

- name: Disconnect
  cloudops.multicloud.vpcep_endpoint:
    id: "{{ endpoint.endpoint.id }}"
    state: absent
"""

RETURN = r"""
endpoint:
  description:
    - The endpoint after the task; empty after O(state=absent).
    - In check mode, the endpoint as it would be (RV(endpoint.id) is null for one to be created).
  returned: always
  type: dict
  contains:
    id:
      description: ID of the endpoint.
      type: str
    status:
      description: V(creating), V(pendingAcceptance), V(accepted), V(rejected), V(failed) or V(deleting).
      type: str
      sample: accepted
    endpoint_service_id:
      description: ID of the endpoint service.
      type: str
    endpoint_service_name:
      description: Full name of the endpoint service.
      type: str
    service_type:
      description: V(interface) or V(gateway).
      type: str
    vpc_id:
      description: ID of the VPC.
      type: str
    subnet_id:
      description: ID of the subnet.
      type: str
    ip:
      description: The endpoint's address, once accepted.
      type: str
      returned: when the cloud shows it
      sample: 192.168.0.60
    enable_dns:
      description: Whether a private DNS name was created.
      type: bool
    dns_names:
      description: The private DNS names.
      type: list
      elements: str
      returned: when the cloud shows them
    whitelist:
      description: Client addresses allowed, sorted.
      type: list
      elements: str
    enable_whitelist:
      description: Whether the whitelist is enforced.
      type: bool
    marker_id:
      description: Packet marker of the endpoint.
      type: int
    description:
      description: Description of the endpoint.
      type: str
    tags:
      description: Tags of the endpoint.
      type: dict
    error:
      description: Why the endpoint failed, as the cloud says it.
      type: list
      elements: dict
      returned: when the cloud reports it
    created_at:
      description: When the endpoint was created (UTC).
      type: str
    updated_at:
      description: When the endpoint last changed (UTC).
      type: str
    active_status:
      description: V(active), or V(frozen) when the account is frozen (a list, as the cloud gives it).
      type: list
      elements: str
      returned: when the cloud shows it
    enable_status:
      description: Whether the endpoint is enabled (V(enable) or V(disable)).
      type: str
      returned: when the cloud shows it
    specification_name:
      description: Edition of the endpoint (V(default) or a professional edition).
      type: str
      returned: when the cloud shows it
    ipv6_address:
      description: The endpoint's IPv6 address (professional endpoints in a dual-stack subnet).
      type: str
      returned: when the cloud shows it
    routetables:
      description: Route tables of a V(gateway) endpoint.
      type: list
      elements: str
      returned: when the cloud shows them
    policy_statement:
      description: Access policy statements of a V(gateway) endpoint (OBS, SFS); this module does not set them.
      type: list
      elements: dict
      returned: when the cloud shows them
    policy_document:
      description: Access policy document of the endpoint; this module does not set it.
      type: dict
      returned: when the cloud shows it
    endpoint_pool_id:
      description: ID of the endpoint's cluster (deprecated by the cloud).
      type: str
      returned: when the cloud shows it
    public_border_group:
      description: Edge public border group the endpoint belongs to.
      type: str
      returned: when the cloud shows it
    project_id:
      description: ID of the project.
      type: str
      returned: when the cloud shows it
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.waiter import WaitStates
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import endpoints, rules
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import ENDPOINT_MISSING, VPCEP_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.tags import (
    TAG_OPTIONS,
    apply_tags,
    check_tags,
    desired_tags,
    tag_dict,
)


class VpcepEndpoint(StatefulModule):
    api = VPCEP_API
    argument_spec = dict(
        TAG_OPTIONS,
        id=dict(type="str"),
        service_id=dict(type="str"),
        service_name=dict(type="str"),
        vpc_id=dict(type="str"),
        subnet_id=dict(type="str"),
        port_ip=dict(type="str"),
        enable_dns=dict(type="bool"),
        whitelist=dict(type="list", elements="str"),
        enable_whitelist=dict(type="bool"),
        description=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(mutually_exclusive=[("service_id", "service_name")],
                         required_one_of=[("id", "service_id", "service_name")],
                         required_by={"service_id": "vpc_id", "service_name": "vpc_id"})
    result_key = "endpoint"
    updatable = {"whitelist": "whitelist", "enable_whitelist": "enable_whitelist", "tags": "tags"}
    create_only = {"vpc_id": "vpc_id", "subnet_id": "subnet_id", "port_ip": "ip", "enable_dns": "enable_dns",
                   "description": "description", "service_id": "endpoint_service_id",
                   "service_name": "endpoint_service_name"}
    wait_states = WaitStates(pending=("creating", "pendingAcceptance"), ready=("accepted",),
                             failed=("rejected", "failed"), deleting=("deleting",), reason=endpoints.failure_reason)
    wait_for_absence = True
    gone = ENDPOINT_MISSING

    def __init__(self):
        super(VpcepEndpoint, self).__init__()
        self.current = None
        self.service = None  # the service's basic information, once looked up

    def validate(self):
        endpoints.check_whitelist("whitelist", self.params["whitelist"])
        endpoints.check_address("port_ip", self.params["port_ip"])
        check_tags("tags", self.params["tags"])
        rules.check_description("description", self.params["description"])
        rules.ENDPOINT_ID.check("id", self.params["id"])
        rules.SERVICE_ID.check("service_id", self.params["service_id"])
        rules.VPC_ID.check("vpc_id", self.params["vpc_id"])
        rules.SUBNET_ID.check("subnet_id", self.params["subnet_id"])

    # reading -------------------------------------------------------------------------------

    def serial_identity(self):
        # Nothing stops a second endpoint to the same service from the same VPC.
        return tuple(self.params[k] or "" for k in ("id", "service_id", "service_name", "vpc_id"))

    def find(self):
        service_id = self.params["service_id"]
        if not self.params["id"] and service_id is None:
            service_id = self._service()["id"]
        self.current = endpoints.find_endpoint(self.client, self.params["id"], service_id, self.params["vpc_id"])
        return self.current

    def _service(self):
        if self.service is None and self.params["service_name"] is None:
            self.service = {"id": self.params["service_id"]}  # all CreateEndpoint needs
        elif self.service is None:
            self.service = endpoints.resolve_service(self.client, service_name=self.params["service_name"])
        return self.service

    def to_result(self, api_object):
        return endpoints.endpoint_result(api_object)

    def status_of(self, api_object):
        return api_object.get("status")

    # comparing -----------------------------------------------------------------------------

    def desired_value(self, option):
        value = self.params.get(option)
        if value is None:
            return None
        if option == "whitelist":
            return sorted(set(value))
        if option == "tags":
            return desired_tags(tag_dict((self.current or {}).get("tags")), value, self.params["purge_tags"])
        return value

    def differs(self, option, desired, actual):
        if option == "port_ip" and actual is None:
            return False  # the address is shown once the endpoint is accepted
        return desired != actual

    def predict_created(self):
        return endpoints.predicted_endpoint(self.params, self.creatable_service(), self.params["wait"])

    # writing -------------------------------------------------------------------------------

    def create(self):
        service = self.creatable_service()
        endpoints.create_endpoint(self.client, endpoints.create_body(self.params, service["id"]))
        return self.find()

    def update(self, current, changes):
        if "whitelist" in changes or "enable_whitelist" in changes:
            endpoints.update_whitelist(self.client, current["id"],
                                       changes.get("whitelist", current.get("whitelist") or []),
                                       changes.get("enable_whitelist", current.get("enable_whitelist")))
        if "tags" in changes:
            apply_tags(self.client, "endpoint", current["id"], tag_dict(current.get("tags")),
                       self.params["tags"], self.params["purge_tags"])
        return self.find()

    def delete(self, current):
        endpoints.delete_endpoint(self.client, current["id"])

    def creatable_service(self):
        """The service to connect to, once the options a new endpoint needs are checked."""
        return endpoints.creatable_service(self.params, self.region, self._service)


def main():
    VpcepEndpoint().run()


if __name__ == "__main__":
    main()
