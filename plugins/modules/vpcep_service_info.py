#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpcep_service_info
short_description: List Huawei Cloud VPC endpoint services, their connections and whitelists
version_added: 0.1.0
description:
  - Lists the project's VPC endpoint services (optionally one id, one name, one status), with
    their connections and whitelist records on request; or the public services every account
    can use; or the basic information a consumer sees of any service, by full name or id.
  - Listings are read at the API's maximum page size (1000, whitelists 500) and completely.
options:
  scope:
    description:
      - V(own) lists the project's services; V(public) the public services (operated by the cloud)
        of the region.
    type: str
    choices: [own, public]
    default: own
  id:
    description:
      - Only the service with this ID.
    type: str
  name:
    description:
      - Only services with this exact name. For own services this is the name given to the
        service (the middle part of C({region}.{name}.{id})); for public services the full name,
        with or without the region prefix.
    type: str
  status:
    description:
      - Only own services in this status.
    type: str
    choices: [creating, available, failed, deleting]
  service_name:
    description:
      - The full name (C({region}.{name}.{id})) of any service, yours or another account's. Returns
        its basic information (id, type, whether it is charged) as a consumer sees it, or nothing.
      - Ignores the other filters.
    type: str
  include:
    description:
      - Also read, for each own service, its V(connections) (consumer endpoints) and its
        V(permissions) (whitelist records). Each costs one call per service.
    type: list
    elements: str
    choices: [connections, permissions]
    default: []
  quotas:
    description:
      - Also return the project's endpoint service and endpoint quotas.
    type: bool
    default: false
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
seealso:
  - module: cloudops.multicloud.vpcep_service
  - module: cloudops.multicloud.vpcep_endpoint_info
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Every service of the project, with who is connected
  cloudops.multicloud.vpcep_service_info:
    include: [connections, permissions]
  register: published

- name: One service by name
  cloudops.multicloud.vpcep_service_info:
    name: orders-api

- name: The cloud's public services (OBS, DNS...)
  cloudops.multicloud.vpcep_service_info:
    scope: public

- name: What a consumer sees of a service it was told about
  cloudops.multicloud.vpcep_service_info:
    service_name: cn-north-4.orders-api.4189d3c2-8882-4871-a3c2-d380272eed83

- name: How many more services may be created
  cloudops.multicloud.vpcep_service_info:
    quotas: true
"""

RETURN = r"""
services:
  description:
    - The services found, newest first. Own services have the fields of
      M(cloudops.multicloud.vpcep_service)'s RV(ignore:service); public services and basic
      information have fewer (RV(services[].owner), RV(services[].is_charge)).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the service.
      type: str
    name:
      description: Name given to the service (own services), or the full name without the region
        prefix (public services).
      type: str
    service_name:
      description: Full name.
      type: str
    service_type:
      description: V(interface) or V(gateway).
      type: str
    status:
      description: Status of an own service.
      type: str
      returned: for own services
    owner:
      description: Owner of a public service.
      type: str
      returned: for public services
    is_charge:
      description: Whether connecting to the service is charged.
      type: bool
      returned: for public services and O(service_name)
    connection_count:
      description: Number of connections being created or accepted.
      type: int
      returned: for own services
    connections:
      description: The consumer endpoints connected to the service.
      type: list
      elements: dict
      returned: when O(include) has V(connections)
      contains:
        id:
          description: ID of the consumer's endpoint.
          type: str
        status:
          description: V(pendingAcceptance), V(creating), V(accepted), V(rejected), V(failed) or V(deleting).
          type: str
        domain_id:
          description: Account of the consumer.
          type: str
        marker_id:
          description: Packet marker of the endpoint.
          type: int
        description:
          description: The provider's description of the connection.
          type: str
    permissions:
      description: Whitelist records, sorted.
      type: list
      elements: str
      returned: when O(include) has V(permissions)
quotas:
  description: Quotas of the project, when O(quotas=true).
  returned: when O(quotas=true)
  type: list
  elements: dict
  sample: [{"type": "endpoint_service", "used": 3, "quota": 20}]
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule, snake_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import connections, info, rules, services
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import permissions as whitelist
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import VPCEP_API


class VpcepServiceInfo(InfoModule):
    api = VPCEP_API
    argument_spec = dict(
        scope=dict(type="str", choices=["own", "public"], default="own"),
        id=dict(type="str"),
        name=dict(type="str"),
        status=dict(type="str", choices=["creating", "available", "failed", "deleting"]),
        service_name=dict(type="str"),
        include=dict(type="list", elements="str", choices=["connections", "permissions"], default=[]),
        quotas=dict(type="bool", default=False),
    )
    result_key = "services"

    def validate(self):
        rules.SERVICE_ID.check("id", self.params["id"])

    def follow_up(self, result):
        if self.params["quotas"]:
            result["quotas"] = [snake_result(q) for q in info.quotas(self.client)]
        return result

    def list_resources(self):
        if self.params["service_name"]:
            found = info.describe_service(self.client, service_name=self.params["service_name"])
            return [found] if found and found.get("service_name") == self.params["service_name"] else []
        if self.params["scope"] == "public":
            return [s for s in info.list_public_services(self.client, id=self.params["id"])
                    if self.params["name"] in (None, s.get("service_name"), self._public_name(s))]
        query = dict(id=self.params["id"], status=self.params["status"], endpoint_service_name=self.params["name"])
        return [s for s in services.list_services(self.client, **query)
                if self.params["name"] in (None, services.short_name(s, self.region))]

    def to_result(self, api_object):
        if self.params["service_name"] or self.params["scope"] == "public":
            result = snake_result(api_object)
            result["name"] = self._public_name(api_object)
            return result
        include = self.params["include"]
        listed = None
        if "permissions" in include:
            listed = sorted(r["permission"] for r in whitelist.list_permissions(self.client, api_object["id"]))
        result = services.service_result(api_object, self.region, listed)
        if "connections" in include:
            result["connections"] = [connections.connection_result(c)
                                     for c in connections.list_connections(self.client, api_object["id"])]
        return result

    def _public_name(self, api_object):
        full = api_object.get("service_name") or ""
        if api_object.get("id") and full.endswith("." + api_object["id"]):
            return services.short_name(api_object, self.region)
        prefix = self.region + "."
        return full[len(prefix):] if full.startswith(prefix) else full


def main():
    VpcepServiceInfo().run()


if __name__ == "__main__":
    main()
