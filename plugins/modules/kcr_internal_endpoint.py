#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_internal_endpoint
short_description: Manage intranet (VPC) access to a KSYUN container registry (KCR) instance
version_added: 0.1.0
description:
  - Attach a KCR registry instance to a VPC, so that hosts in the VPC pull and push through an
    intranet address, and enable or disable the private domain name resolution (private DNS) of
    that access.
  - An instance has at most one intranet access per VPC; O(vpc_id) identifies it.
  - The intranet access and its private DNS are two resources of the API, so an idempotent run
    costs two reads, DescribeInternalEndpoint and DescribeInternalEndpointDns (plus one
    DescribeInstance call when the instance is given by name). While the access is still being
    created, its DNS is known to be off and is not read.
options:
  vpc_id:
    description:
      - ID of the VPC to give access from (a UUID).
    type: str
    required: true
  subnet_id:
    description:
      - ID of the reserve subnet (in O(vpc_id)) that the intranet access address is taken from
        (the API's C(ReserveSubnetId)); a UUID.
      - Required when O(state=present).
      - It cannot be changed on an existing access; the module fails when it differs. Delete the
        access (O(state=absent)) and create it again to move it.
    type: str
  private_dns:
    description:
      - Whether the registry's domain resolves to the intranet address inside the VPC
        (C(InternalEndpointDns=PrivateDomain)).
      - Private DNS can only be enabled once the access is V(Running); enabling it on an access that
        is still being created waits for that first, whatever O(wait) says.
      - When a new access is created and O(private_dns) is not given, private DNS stays off. When
        omitted for an existing access, it is left as it is.
    type: bool
  state:
    description:
      - V(present) creates the access and enables or disables its private DNS.
      - V(absent) disables private DNS first (if it is on), then deletes the access.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
  - cloudops.multicloud.wait
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - Check mode makes no write call and reports the access as it would be; its address is not known
    before it is created (RV(internal_endpoint.eni_lb_ip) is null).
  - With O(wait=true) the module waits until the access is V(Running) and private DNS is V(Running)
    (or V(Closed) when disabled), and after O(state=absent) until the access is gone.
seealso:
  - module: cloudops.multicloud.kcr_instance
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Pull over the intranet from the production VPC, with private DNS
  cloudops.multicloud.kcr_internal_endpoint:
    instance_name: prod-registry
    vpc_id: 31e21dca-c92e-4b06-a8ce-000000000001
    subnet_id: 372bdbac-ea1d-4f99-9c30-000000000001
    private_dns: true
  register: access

- name: The address to put into the hosts' resolvers or /etc/hosts
  ansible.builtin.debug:
    msg: "{{ access.internal_endpoint.eni_lb_ip }}"

- name: Remove the access (private DNS first)
  cloudops.multicloud.kcr_internal_endpoint:
    instance_name: prod-registry
    vpc_id: 31e21dca-c92e-4b06-a8ce-000000000001
    state: absent
"""

RETURN = r"""
internal_endpoint:
  description:
    - The intranet access after the task; empty after O(state=absent).
    - In check mode, the access as it would be.
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: fc2e0f75-227e-437e-a8db-0a6f9b2c1d3e
    vpc_id:
      description: ID of the VPC.
      type: str
      sample: 31e21dca-c92e-4b06-a8ce-6a1c2f1d3b55
    subnet_id:
      description: ID of the reserve subnet the address comes from.
      type: str
      sample: 372bdbac-ea1d-4f99-9c30-2f5b8a7e1c44
    status:
      description: Status of the access, V(Creating), V(Running) or V(Error).
      type: str
      sample: Running
    eni_lb_ip:
      description: The intranet address of the registry in the VPC (C(EniLBIp)); null before it exists.
      type: str
      sample: 10.0.1.2
    private_dns:
      description: Whether private DNS is enabled (being enabled, running, or failed).
      type: bool
      sample: true
    dns_status:
      description: Status of private DNS, V(Opening), V(Running), V(Error) or V(Closed) (off).
      type: str
      sample: Running
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.endpoints import (
    DNS_OFF,
    SUBNET_ID,
    VPC_ID,
    create_internal_endpoint,
    delete_internal_endpoint,
    delete_internal_endpoint_dns,
    describe_internal_endpoint_dns,
    enable_private_dns,
    endpoint_result,
    endpoint_status,
    find_endpoint,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.waiter import WaitStates


class KcrInternalEndpoint(InstanceScoped, StatefulModule):
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        subnet_id=dict(type="str"),
        private_dns=dict(type="bool"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("state", "present", ["subnet_id"])])
    result_key = "internal_endpoint"
    updatable = {"private_dns": "private_dns"}
    create_only = {"subnet_id": "subnet_id"}
    # One status for the access and its DNS together (endpoints.endpoint_status).
    wait_states = WaitStates(pending=("Creating", "Opening"), ready=("Running",), failed=("Error",))
    wait_for_absence = True

    def validate(self):
        VPC_ID.check("vpc_id", self.params["vpc_id"])
        SUBNET_ID.check("subnet_id", self.params["subnet_id"])

    def find(self):
        return find_endpoint(self.instance, self.params["vpc_id"], self.params["subnet_id"])

    def status_of(self, api_object):
        return endpoint_status(api_object)

    def to_result(self, api_object):
        return endpoint_result(self.instance.id, api_object)

    def _predicted_dns(self, enabled):
        if not enabled:
            return DNS_OFF
        return "Running" if self.params["wait"] else "Opening"

    def predict_created(self):
        dns = bool(self.params["private_dns"])
        return {
            "instance_id": self.instance.id,
            "vpc_id": self.params["vpc_id"],
            "subnet_id": self.params["subnet_id"],
            "status": "Running" if self.params["wait"] or dns else "Creating",
            "eni_lb_ip": None,
            "private_dns": dns,
            "dns_status": self._predicted_dns(dns),
        }

    def predict_updated(self, before, changes):
        after = super(KcrInternalEndpoint, self).predict_updated(before, changes)
        after["dns_status"] = self._predicted_dns(changes["private_dns"])
        if changes["private_dns"]:
            after["status"] = "Running"
        return after

    def create(self):
        create_internal_endpoint(self.instance, self.params["vpc_id"], self.params["subnet_id"])
        if self.params["private_dns"]:
            enable_private_dns(self, None)
        return None

    def update(self, current, changes):
        endpoint = current
        if changes["private_dns"]:
            endpoint = enable_private_dns(self, current)
        else:
            delete_internal_endpoint_dns(self.instance, current)
        # Only the private DNS changed: read it back, not the access as well.
        return dict(endpoint, DnsStatus=describe_internal_endpoint_dns(self.instance, endpoint))

    def delete(self, current):
        delete_internal_endpoint(self.instance, current)


def main():
    KcrInternalEndpoint().run()


if __name__ == "__main__":
    main()
