#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpcep_endpoint_info
short_description: List the Huawei Cloud VPC endpoints of a project
version_added: 0.1.0
description:
  - Lists the project's VPC endpoints, optionally only one, those of one VPC, or those connected
    to one endpoint service, reading every page at the API's maximum page size (1000).
options:
  id:
    description:
      - Only the endpoint with this ID.
    type: str
  vpc_id:
    description:
      - Only endpoints in this VPC.
    type: str
  service_id:
    description:
      - Only endpoints connected to the endpoint service with this ID.
    type: str
  service_name:
    description:
      - Only endpoints connected to the endpoint service with this full name (matched exactly;
        the API's own filter is fuzzy).
    type: str
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
  - module: cloudops.multicloud.vpcep_endpoint
  - module: cloudops.multicloud.vpcep_service_info
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Every endpoint of a VPC
  cloudops.multicloud.vpcep_endpoint_info:
    vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
  register: vpc_endpoints

- name: The endpoints to the cloud's DNS service
  cloudops.multicloud.vpcep_endpoint_info:
    service_name: cn-north-4.com.myhuaweicloud.v4.dns
"""

RETURN = r"""
endpoints:
  description: The endpoints found, newest first, with the fields M(cloudops.multicloud.vpcep_endpoint) returns.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the endpoint.
      type: str
    status:
      description: V(creating), V(pendingAcceptance), V(accepted), V(rejected), V(failed) or V(deleting).
      type: str
    endpoint_service_id:
      description: ID of the endpoint service.
      type: str
    endpoint_service_name:
      description: Full name of the endpoint service.
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
    whitelist:
      description: Client addresses allowed, sorted.
      type: list
      elements: str
    enable_whitelist:
      description: Whether the whitelist is enforced.
      type: bool
    tags:
      description: Tags of the endpoint.
      type: dict
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import endpoints, rules
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import VPCEP_API


class VpcepEndpointInfo(InfoModule):
    api = VPCEP_API
    argument_spec = dict(
        id=dict(type="str"),
        vpc_id=dict(type="str"),
        service_id=dict(type="str"),
        service_name=dict(type="str"),
    )
    module_kwargs = dict(mutually_exclusive=[("service_id", "service_name")])
    result_key = "endpoints"

    def validate(self):
        rules.ENDPOINT_ID.check("id", self.params["id"])
        rules.VPC_ID.check("vpc_id", self.params["vpc_id"])
        rules.SERVICE_ID.check("service_id", self.params["service_id"])

    def list_resources(self):
        query = dict(id=self.params["id"], vpc_id=self.params["vpc_id"],
                     endpoint_service_name=self.params["service_name"])
        return [e for e in endpoints.list_endpoints(self.client, **query)
                if self.params["service_id"] in (None, e.get("endpoint_service_id"))
                and self.params["service_name"] in (None, e.get("endpoint_service_name"))
                and self.params["id"] in (None, e.get("id"))]

    def to_result(self, api_object):
        return endpoints.endpoint_result(api_object)


def main():
    VpcepEndpointInfo().run()


if __name__ == "__main__":
    main()
