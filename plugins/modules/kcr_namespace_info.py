#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_namespace_info
short_description: List the namespaces of a KSYUN container registry (KCR) instance
version_added: 0.1.0
description:
  - Lists the namespaces of a KCR instance, optionally only one name or only public or private
    ones, paging at the API's maximum page size (99).
options:
  name:
    description:
      - Only the namespace with this exact name.
    type: str
    aliases: [namespace]
  public:
    description:
      - Only public (V(true)) or only private (V(false)) namespaces.
    type: bool
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
seealso:
  - module: cloudops.multicloud.kcr_namespace
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: All namespaces of the registry
  cloudops.multicloud.kcr_namespace_info:
    instance_name: prod-registry
  register: ns

- name: Only the public ones
  cloudops.multicloud.kcr_namespace_info:
    instance_id: "{{ registry_id }}"
    public: true
"""

RETURN = r"""
namespaces:
  description: The namespaces found, in the order the registry lists them.
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    namespace:
      description: Name of the namespace.
      type: str
      sample: base-images
    public:
      description: Whether the namespace is public.
      type: bool
      sample: true
    repo_count:
      description: Number of repositories in the namespace.
      type: int
      sample: 1
    create_time:
      description: When the namespace was created.
      type: str
      sample: "2022-05-31 20:10:29"
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import (
    list_namespaces,
    namespace_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule


class KcrNamespaceInfo(InstanceScoped, InfoModule):
    argument_spec = dict(
        name=dict(type="str", aliases=["namespace"]),
        public=dict(type="bool"),
    )
    result_key = "namespaces"

    def list_resources(self):
        return list_namespaces(self.instance, self.params["name"], self.params["public"])

    def to_result(self, api_object):
        return namespace_result(self.instance.id, api_object)


def main():
    KcrNamespaceInfo().run()


if __name__ == "__main__":
    main()
