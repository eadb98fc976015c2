#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpcep_service
short_description: Publish a service in a VPC as a Huawei Cloud VPC endpoint service
version_added: 0.1.0
description:
  - Create, change and delete a VPC endpoint service (the provider side of Huawei Cloud VPC
    Endpoint). Consumers in other VPCs or accounts reach the service through VPC endpoints (see
    M(cloudops.multicloud.vpcep_endpoint)); the provider accepts or rejects them with
    M(cloudops.multicloud.vpcep_connection).
  - The service is identified by O(id), or else by O(name). The API composes the service's full
    name as C({region}.{name}.{id}); O(name) is compared with the middle part, exactly.
  - Port mappings, approval, TCP proxy, description, backend port, name, whitelist and tags are
    changed in place. O(vpc_id) and O(server_type) cannot be changed; a different value fails.
  - An idempotent run costs one ListEndpointService call, plus one ListServicePermissionsDetails
    call when O(permissions) is given.
options:
  name:
    description:
      - Name of the service (the middle part of its full name); 1 to 16 letters, digits, V(_) and
        V(-).
      - Identifies the service when O(id) is not given; several services with this name are an
        error (give O(id)).
      - With O(id), a different name renames the service.
    type: str
  id:
    description:
      - ID of an existing service. A service cannot be created with a chosen ID.
    type: str
  vpc_id:
    description:
      - ID of the VPC of the backend resource. Required to create a service; cannot be changed.
    type: str
  server_type:
    description:
      - Type of the backend resource. Required to create a service; cannot be changed.
      - V(VIP) is deprecated by the cloud.
    type: str
    choices: [VM, VIP, LB]
  port_id:
    description:
      - ID of the backend port in O(vpc_id) - for V(LB) the port of the load balancer's private
        IP, for V(VM) the NIC of the server. Required to create a service.
    type: str
  ports:
    description:
      - The port mappings. Required to create a service.
      - Compared as a set and replaced as a whole; 1 to 200 mappings, each client port and each
        server port used once.
    type: list
    elements: dict
    suboptions:
      client_port:
        description: Port the endpoints expose, 1 to 65535.
        type: int
        required: true
      server_port:
        description: Port of the backend resource, 1 to 65535.
        type: int
        required: true
      protocol:
        description: Protocol; only TCP exists.
        type: str
        default: TCP
        choices: [TCP]
  approval_enabled:
    description:
      - Whether new connections wait for the provider's approval (V(pendingAcceptance)) rather
        than being accepted at once.
      - When a service is created and this is not given, the cloud's default (V(true)) applies.
    type: bool
  tcp_proxy:
    description:
      - How the client's address reaches the backend. V(close) (the cloud's default when a
        service is created) passes nothing, V(toa_open) uses TCP options, V(proxy_open) the Proxy
        Protocol, V(open) both. V(proxy_vni) is accepted too; the API reference does not describe it.
    type: str
    choices: [close, toa_open, proxy_open, open, proxy_vni]
  description:
    description:
      - Description of the service; no V(<) or V(>).
    type: str
  permissions:
    description:
      - Whitelist records that allow accounts or organizations to connect to the service. The
        owning account is always allowed and is not listed.
      - Compared by O(permissions[].permission); see O(purge_permissions).
      - The API lists records without their descriptions, so a description is written when a
        record is added and not compared afterwards.
    type: list
    elements: dict
    suboptions:
      permission:
        description:
          - V(iam:domain::<account id>), V(organizations:orgPath::<organization path>), or V(*)
            for everyone.
        type: str
        required: true
      description:
        description: Description of the record, written when it is added.
        type: str
        default: ""
  purge_permissions:
    description:
      - Whether to remove whitelist records not in O(permissions). Has no effect when
        O(permissions) is not given.
    type: bool
    default: true
  tags:
    description:
      - Tags of the service as a mapping of key to value; at most 10 (the tag API's limit).
      - See O(purge_tags).
    type: dict
  purge_tags:
    description:
      - Whether to remove tags not in O(tags). Has no effect when O(tags) is not given.
    type: bool
    default: true
  state:
    description:
      - V(present) creates or changes the service; V(absent) deletes it.
      - A service that consumers are connected to is deleted with their endpoints where the API
        allows it; where the API refuses while connections exist, the task fails saying so.
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
    details: Ports, whitelist records and tags are shown as sets before and after.
notes:
  - A new service is V(creating) and becomes V(available) within a minute or two; with O(wait)
    the task waits for it, and fails with the cloud's reason if the service ends V(failed). An
    existing V(failed) service fails the task too; delete it with O(state=absent).
  - Changes are made only to an V(available) service (the task waits for a V(creating) one).
    Every update sends the approval, TCP proxy, port and description settings together, so none
    of them falls back to a default.
  - Check mode makes no write call and reports the service as it would be.
seealso:
  - module: cloudops.multicloud.vpcep_service_info
  - module: cloudops.multicloud.vpcep_connection
  - module: cloudops.multicloud.vpcep_endpoint
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Publish the API servers behind a load balancer
  cloudops.multicloud.vpcep_service:
    name: orders-api
    vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
    server_type: LB
    port_id: a1b2c3d4-0000-4000-8000-000000000001
    ports:
      - {client_port: 443, server_port: 8443}
    approval_enabled: true
    description: orders API for partner accounts
    permissions:
      - permission: iam:domain::b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b
        description: partner A
    tags:
      team: orders
  register: published

- name: The name to give the partners, who connect their endpoints to it
  ansible.builtin.debug:
    msg: "{{ published.service.service_name }}"

- name: Open a second port without touching the whitelist
  cloudops.multicloud.vpcep_service:
    id: "{{ published.service.id }}"
    ports:
      - {client_port: 443, server_port: 8443}
      - {client_port: 80, server_port: 8080}

- name: Withdraw the service
  cloudops.multicloud.vpcep_service:
    name: orders-api
    state: absent
"""

RETURN = r"""
service:
  description:
    - The endpoint service after the task; empty after O(state=absent).
    - In check mode, the service as it would be (fields the cloud assigns, such as RV(service.id),
      are null for a service to be created).
  returned: always
  type: dict
  contains:
    id:
      description: ID of the service.
      type: str
      sample: 4189d3c2-8882-4871-a3c2-d380272eed83
    name:
      description: The name given to the service (the middle part of RV(service.service_name)).
      type: str
      sample: orders-api
    service_name:
      description: Full name, C({region}.{name}.{id}); consumers use it to find the service.
      type: str
      sample: cn-north-4.orders-api.4189d3c2-8882-4871-a3c2-d380272eed83
    status:
      description: V(creating), V(available), V(failed) or V(deleting).
      type: str
      sample: available
    error:
      description: Why the service failed, as the cloud says it (code and message), when it did.
      type: list
      elements: dict
      returned: when the cloud reports it
    vpc_id:
      description: ID of the backend's VPC.
      type: str
    port_id:
      description: ID of the backend port.
      type: str
    server_type:
      description: V(VM), V(VIP) or V(LB).
      type: str
    service_type:
      description: V(interface) (services users create) or V(gateway).
      type: str
    ports:
      description: Port mappings, sorted by client port.
      type: list
      elements: dict
      sample: [{"client_port": 443, "server_port": 8443, "protocol": "TCP"}]
    approval_enabled:
      description: Whether connections need the provider's approval.
      type: bool
    tcp_proxy:
      description: How the client's address reaches the backend.
      type: str
      sample: close
    description:
      description: Description of the service.
      type: str
    tags:
      description: Tags of the service.
      type: dict
      sample: {"team": "orders"}
    permissions:
      description: Whitelist records, sorted.
      type: list
      elements: str
      returned: when O(permissions) is given
      sample: ["iam:domain::b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b"]
    connection_count:
      description: Number of connections being created or accepted.
      type: int
    domain_id:
      description: ID of the owning account.
      type: str
    project_id:
      description: ID of the project.
      type: str
    created_at:
      description: When the service was created (UTC).
      type: str
      sample: "2024-01-15T08:30:00Z"
    updated_at:
      description: When the service was last changed (UTC).
      type: str
    ip:
      description: Server IP address or domain name (VLAN scenarios of V(interface) services).
      type: str
      returned: when the cloud shows it
    ip_version:
      description: V(ipv4) or V(ipv6) (professional services).
      type: str
      returned: when the cloud shows it
    pool_id:
      description: ID of the cluster the service runs in.
      type: str
      returned: when the cloud shows it
    cidr_type:
      description: V(public) or V(internal) CIDR of the service.
      type: str
      returned: when the cloud shows it
    supported_editions:
      description: Endpoint editions the service supports (V(basic), V(profession)).
      type: list
      elements: str
      returned: when the cloud shows them
    enable_policy:
      description: Whether endpoints of the service may carry a custom access policy.
      type: bool
      returned: when the cloud shows it
    public_border_group:
      description: Edge public border group the service belongs to.
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
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import permissions as whitelist
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import rules, services
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import SERVICE_MISSING, VPCEP_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.tags import (
    TAG_OPTIONS,
    apply_tags,
    check_tags,
    desired_tags,
    tag_dict,
)

UPDATED_IN_ONE_CALL = ("port_id", "ports", "approval_enabled", "tcp_proxy", "description")


class VpcepService(StatefulModule):
    api = VPCEP_API
    argument_spec = dict(
        TAG_OPTIONS,
        name=dict(type="str"),
        id=dict(type="str"),
        vpc_id=dict(type="str"),
        server_type=dict(type="str", choices=["VM", "VIP", "LB"]),
        port_id=dict(type="str"),
        ports=dict(type="list", elements="dict", options=services.PORT_OPTIONS),
        approval_enabled=dict(type="bool"),
        tcp_proxy=dict(type="str", choices=services.TCP_PROXY),
        description=dict(type="str"),
        permissions=dict(type="list", elements="dict", options=whitelist.PERMISSION_OPTIONS),
        purge_permissions=dict(type="bool", default=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_one_of=[("id", "name")])
    result_key = "service"
    updatable = {option: option for option in UPDATED_IN_ONE_CALL + ("name", "permissions", "tags")}
    create_only = {"vpc_id": "vpc_id", "server_type": "server_type"}
    wait_states = WaitStates(pending=("creating",), ready=("available",), failed=("failed",), deleting=("deleting",),
                             reason=services.failure_reason)
    wait_for_absence = True
    gone = SERVICE_MISSING

    def __init__(self):
        super(VpcepService, self).__init__()
        self.current = None  # the service as last read
        self.records = None  # its whitelist as listed, when permissions is given

    def validate(self):
        services.SERVICE_NAME.check("name", self.params["name"])
        services.check_ports("ports", self.params["ports"])
        whitelist.check_permissions("permissions", self.params["permissions"])
        check_tags("tags", self.params["tags"])
        rules.check_description("description", self.params["description"])
        rules.SERVICE_ID.check("id", self.params["id"])
        rules.VPC_ID.check("vpc_id", self.params["vpc_id"])
        rules.PORT_ID.check("port_id", self.params["port_id"])

    # reading -------------------------------------------------------------------------------

    def serial_identity(self):
        # Service names are not unique: parallel runs would each create one.
        return (self.params["id"] or "", self.params["name"] or "")

    def find(self):
        found = services.find_service(self.client, self.region, self.params["id"], self.params["name"])
        if found is not None and self.params["permissions"] is not None:
            self.records = whitelist.list_permissions(self.client, found["id"])
        self.current = found
        return found

    def to_result(self, api_object):
        listed = None if self.records is None else sorted(r["permission"] for r in self.records)
        return services.service_result(api_object, self.region, listed)

    def status_of(self, api_object):
        return api_object.get("status")

    # comparing -----------------------------------------------------------------------------

    def desired_value(self, option):
        value = self.params.get(option)
        if value is None:
            return None
        if option == "name":
            return value if self.params["id"] else None
        if option == "ports":
            return services.port_set(value)
        if option == "permissions":
            return whitelist.permissions_after(self.records, value, self.params["purge_permissions"])
        if option == "tags":
            return desired_tags(tag_dict((self.current or {}).get("tags")), value, self.params["purge_tags"])
        return value

    def predict_updated(self, before, changes):
        after = super(VpcepService, self).predict_updated(before, changes)
        if "name" in changes:
            after["service_name"] = "%s.%s.%s" % (self.region, changes["name"], before["id"])
        return after

    def predict_created(self):
        services.check_creatable(self.params, self.region)
        return services.predicted_service(self.params, self.params["wait"])

    # writing -------------------------------------------------------------------------------

    def create(self):
        services.check_creatable(self.params, self.region)
        created = services.create_service(self.client, services.create_body(self.params))
        if self.params["permissions"]:
            created = self.wait_ready(created)
            whitelist.add_permissions(self.client, created["id"], self.params["permissions"])
        self.records = [] if self.params["permissions"] is not None else None
        return self.find()

    def update(self, current, changes):
        service_id = current["id"]
        if any(option in changes for option in UPDATED_IN_ONE_CALL + ("name",)):
            # Changes are made once the service is available.
            if current.get("status") == "creating" and self.params["wait"]:
                current = self.wait_ready(current)
            services.check_available(current)
        if "name" in changes:
            # First: a region without renaming refuses it before anything else is changed.
            services.rename_service(self.client, service_id, changes["name"])
        if any(option in changes for option in UPDATED_IN_ONE_CALL):
            services.update_service(self.client, service_id, services.update_body(current, changes))
        if "permissions" in changes:
            whitelist.reconcile_permissions(self.client, service_id, self.records, self.params["permissions"],
                                            self.params["purge_permissions"])
        if "tags" in changes:
            apply_tags(self.client, "endpoint_service", service_id, tag_dict(current.get("tags")),
                       self.params["tags"], self.params["purge_tags"])
        return self.find()

    def delete(self, current):
        services.delete_service(self.client, current)


def main():
    VpcepService().run()


if __name__ == "__main__":
    main()
