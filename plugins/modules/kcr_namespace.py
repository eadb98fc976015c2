#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_namespace
short_description: Manage namespaces of a KSYUN container registry (KCR) instance
version_added: 0.1.0
description:
  - Create, change the visibility of, and delete a namespace in a KSYUN KCR registry instance.
  - A namespace groups repositories; whether it is public decides who may pull its images
    without credentials.
  - An idempotent run costs one DescribeNamespace call (plus one DescribeInstance call when the
    instance is given by name).
options:
  name:
    description:
      - Name of the namespace.
      - 2 to 30 characters; lower-case letters, digits, V(.), V(_) and V(-); it starts with a
        letter or a digit.
    type: str
    required: true
    aliases: [namespace]
  public:
    description:
      - Whether anyone may pull the namespace's images without credentials.
      - When a namespace is created and O(public) is not given, it is private.
      - When omitted for an existing namespace, its visibility is left as it is.
    type: bool
  state:
    description:
      - V(present) creates the namespace or changes its visibility; V(absent) deletes it.
      - A namespace that still holds repositories cannot be deleted; delete them first with
        M(cloudops.multicloud.kcr_repo).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - Check mode makes no write call and reports the namespace as it would be.
seealso:
  - module: cloudops.multicloud.kcr_namespace_info
  - module: cloudops.multicloud.kcr_repo
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: A private namespace for the build pipeline
  cloudops.multicloud.kcr_namespace:
    instance_name: prod-registry
    name: ci-builds
    public: false

- name: Publish the base images
  cloudops.multicloud.kcr_namespace:
    instance_id: "{{ registry.instance.instance_id }}"
    name: base-images
    public: true

- name: Remove a namespace that is no longer used
  cloudops.multicloud.kcr_namespace:
    instance_id: "{{ registry.instance.instance_id }}"
    name: legacy
    state: absent
"""

RETURN = r"""
namespace:
  description:
    - The namespace after the task; empty after O(state=absent).
    - In check mode, the namespace as it would be.
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the KCR instance that holds the namespace.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    namespace:
      description: Name of the namespace.
      type: str
      sample: ci-builds
    public:
      description: Whether the namespace is public.
      type: bool
      sample: false
    repo_count:
      description: Number of repositories in the namespace.
      type: int
      sample: 3
    create_time:
      description: When the namespace was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
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
    NAMESPACE_MISSING,
    NAMESPACE_NAME,
    NAMESPACE_TAKEN,
    create_namespace,
    delete_namespace,
    find_namespace,
    namespace_result,
    set_namespace_public,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule


class KcrNamespace(InstanceScoped, StatefulModule):
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["namespace"]),
        public=dict(type="bool"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    result_key = "namespace"
    updatable = {"public": "public"}
    taken = NAMESPACE_TAKEN
    gone = NAMESPACE_MISSING

    def validate(self):
        NAMESPACE_NAME.check("name", self.params["name"])

    def find(self):
        return find_namespace(self.instance, self.params["name"])

    def to_result(self, api_object):
        return namespace_result(self.instance.id, api_object)

    def predict_created(self):
        return {
            "instance_id": self.instance.id,
            "namespace": self.params["name"],
            "public": bool(self.params["public"]),
            "repo_count": 0,
            "create_time": None,
        }

    def create(self):
        create_namespace(self.instance, self.params["name"], self.params["public"])

    def update(self, current, changes):
        set_namespace_public(self.instance, current["Namespace"], changes["public"])

    def delete(self, current):
        delete_namespace(self.instance, current["Namespace"])


def main():
    KcrNamespace().run()


if __name__ == "__main__":
    main()
