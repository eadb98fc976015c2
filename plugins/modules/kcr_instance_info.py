#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_instance_info
short_description: List KSYUN container registry (KCR) instances
version_added: 0.1.0
description:
  - Lists the KCR instances of the region, optionally only some IDs, one name or some projects,
    paging at the API's maximum page size (99).
  - With O(include_usage=true), also the namespace and repository quotas and usage of each
    instance (one more call per instance).
options:
  instance_ids:
    description:
      - Only the instances with these IDs (UUIDs). Any number; more than 100 are asked for in
        several requests.
    type: list
    elements: str
  name:
    description:
      - Only the instance with this exact name.
    type: str
    aliases: [instance_name]
  project_ids:
    description:
      - Only instances in these projects.
      - When omitted, the instances of the default project V(0), and perhaps those of other
        projects, depending on the registry; name the projects to be sure.
    type: list
    elements: str
  include_usage:
    description:
      - Also return the quotas and usage of each instance (RV(instances[].usage)).
      - Costs one DescribeInstanceUsage call per instance found.
    type: bool
    default: false
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
seealso:
  - module: cloudops.multicloud.kcr_instance
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Every registry of the default project
  cloudops.multicloud.kcr_instance_info:
  register: registries

- name: One registry with its quotas
  cloudops.multicloud.kcr_instance_info:
    name: prod-registry
    include_usage: true
  register: prod

- name: Registries of two projects
  cloudops.multicloud.kcr_instance_info:
    project_ids: ["0", "104523"]
"""

RETURN = r"""
instances:
  description: The instances found, newest first as the registry lists them.
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: ID of the instance.
      type: str
      sample: c0c8391f-d9ad-47fd-96bb-5b0d0bd8e3f1
    instance_name:
      description: Name of the instance.
      type: str
      sample: prod-registry
    instance_type:
      description: Edition, V(basic) or V(premium).
      type: str
      sample: basic
    instance_status:
      description: C(Creating), C(Running), C(Deleting) or C(Error).
      type: str
      sample: Running
    internal_endpoint:
      description: Domain name of the registry.
      type: str
      sample: prod-registry.ksyunkcr.com
    public_domain:
      description: Public domain name of the registry, when the service reports one.
      type: str
      returned: when the service reports it
      sample: prod-registry.ksyunkcr.com
    charge_type:
      description: V(HourlyInstantSettlement) or V(Monthly).
      type: str
      sample: HourlyInstantSettlement
    project_id:
      description: ID of the project the instance belongs to.
      type: str
      sample: "0"
    create_time:
      description: When the instance was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-20 16:02:09"
    expired_time:
      description: When a V(Monthly) subscription ends; V(null) for pay-as-you-go instances.
      type: str
      sample: null
    usage:
      description: Quotas and usage of the instance.
      type: dict
      returned: when O(include_usage=true)
      contains:
        namespace_quota:
          description: How many namespaces the instance may hold.
          type: int
          sample: 50
        namespace_usage:
          description: How many namespaces it holds.
          type: int
          sample: 3
        repo_quota:
          description: How many repositories the instance may hold.
          type: int
          sample: 1000
        repo_usage:
          description: How many repositories it holds.
          type: int
          sample: 12
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import KCR_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.instances import (
    INSTANCE_ID,
    INSTANCE_NAME,
    describe_instances,
    describe_usage,
    instance_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import LIST_PARAM_MAX, PROJECT_ID
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_count


class KcrInstanceInfo(InfoModule):
    api = KCR_API
    argument_spec = dict(
        instance_ids=dict(type="list", elements="str"),
        name=dict(type="str", aliases=["instance_name"]),
        project_ids=dict(type="list", elements="str"),
        include_usage=dict(type="bool", default=False),
    )
    result_key = "instances"

    def validate(self):
        INSTANCE_NAME.check("name", self.params["name"])
        INSTANCE_ID.check_each("instance_ids", self.params["instance_ids"])
        PROJECT_ID.check_each("project_ids", self.params["project_ids"])
        check_count("project_ids", self.params["project_ids"], LIST_PARAM_MAX, "projects")

    def list_resources(self):
        return describe_instances(self.client, ids=self.params["instance_ids"], name=self.params["name"],
                                  project_ids=self.params["project_ids"])

    def to_result(self, api_object):
        usage = describe_usage(self.client, api_object["InstanceId"]) if self.params["include_usage"] else None
        return instance_result(api_object, usage)


def main():
    KcrInstanceInfo().run()


if __name__ == "__main__":
    main()
