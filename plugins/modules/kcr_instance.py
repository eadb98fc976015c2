#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_instance
short_description: Manage KSYUN container registry (KCR) instances
version_added: 0.1.0
description:
  - Create and delete KSYUN KCR registry instances, identified by name.
  - A new instance starts in status C(Creating); with O(wait=true) the task returns once it is
    C(Running), and fails clearly if it ends in C(Error).
  - The API cannot change an instance in place. Its type, charge type and project are fixed at
    creation; asking for different values on an existing instance fails with a message naming the
    option, and nothing is changed.
  - An idempotent run costs one DescribeInstance call, plus one DescribeInstanceUsage call when
    O(include_usage=true).
options:
  name:
    description:
      - Name of the instance. Instance names are unique across the account.
      - 2 to 30 characters; lower-case letters, digits and V(-); it starts with a letter. The name
        becomes part of the registry's domain name.
    type: str
    required: true
    aliases: [instance_name]
  instance_type:
    description:
      - Edition of the instance.
      - When an instance is created and O(instance_type) is not given, V(basic).
      - When omitted for an existing instance, its type is not checked.
    type: str
    choices: [basic, premium]
  charge_type:
    description:
      - V(HourlyInstantSettlement) is pay-as-you-go, billed hourly; V(Monthly) is a subscription
        paid for O(purchase_time) months.
      - When an instance is created and O(charge_type) is not given, V(HourlyInstantSettlement).
      - When omitted for an existing instance, its charge type is not checked.
    type: str
    choices: [HourlyInstantSettlement, Monthly]
  purchase_time:
    description:
      - Subscription length in months, 1 to 36. Required with O(charge_type=Monthly), not allowed
        otherwise.
      - Used only when the instance is created; an existing instance's subscription is left as it is.
    type: int
  project_id:
    description:
      - ID of the project the instance belongs to (digits, such as V(0)).
      - When an instance is created and O(project_id) is not given, the default project V(0).
      - The instance is looked up by name in the default project, and in O(project_id) when it is
        given. Without O(project_id) an instance of another project may or may not be found,
        depending on the registry; when it is not, creating one with its name fails with a message
        saying to set O(project_id).
    type: str
  include_usage:
    description:
      - Also return the namespace and repository quotas and usage of the instance (RV(instance.usage)).
      - Costs one more call (DescribeInstanceUsage) per run.
    type: bool
    default: false
  delete_bucket:
    description:
      - With O(state=absent), also delete the KS3 bucket that stores the instance's images.
      - The images cannot be recovered afterwards.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the instance if it does not exist; V(absent) deletes it, with
        everything in it (namespaces, repositories, images, access credentials).
      - With O(state=absent) and O(wait=true), the task returns once the instance is gone, so
        its name can be used again at once.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
  - cloudops.multicloud.wait
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - Check mode makes no write call and reports the instance as it would be; fields only the
    registry can know (ID, endpoint, times, quotas) are V(null) then.
  - An instance that is being deleted (status C(Deleting)) is left to finish; O(state=absent)
    reports no change for it, and O(state=present) fails until it is gone.
  - An existing instance in status C(Error) is reported as it is, not recreated.
seealso:
  - module: cloudops.multicloud.kcr_instance_info
  - module: cloudops.multicloud.kcr_namespace
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: A registry for the team, pay-as-you-go
  cloudops.multicloud.kcr_instance:
    name: prod-registry
    instance_type: basic
  register: registry

- name: Namespaces go into it by ID
  cloudops.multicloud.kcr_namespace:
    instance_id: "{{ registry.instance.instance_id }}"
    name: base-images

- name: A premium registry on a one-year subscription, with its quotas
  cloudops.multicloud.kcr_instance:
    name: shared-registry
    instance_type: premium
    charge_type: Monthly
    purchase_time: 12
    project_id: "104523"
    include_usage: true
  register: shared

- name: Remove a registry and the bucket that holds its images
  cloudops.multicloud.kcr_instance:
    name: old-registry
    state: absent
    delete_bucket: true
"""

RETURN = r"""
instance:
  description:
    - The instance after the task; empty after O(state=absent).
    - In check mode, the instance as it would be.
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the instance (V(null) in check mode before creation).
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
      description: Domain name of the registry, used with C(docker login) and C(docker push).
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
      sample: "2023-06-20 16:02:09"
    usage:
      description:
        - Quotas and usage of the instance.
        - In check mode before creation, the quotas are V(null) and the usage 0.
      type: dict
      returned: when O(include_usage=true) and O(state=present)
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

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import KCR_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.instances import (
    CHARGE_TYPES,
    DEFAULT_PROJECT,
    INSTANCE_NAME,
    INSTANCE_NAME_TAKEN,
    INSTANCE_TYPES,
    PURCHASE_MONTHS_MAX,
    PURCHASE_MONTHS_MIN,
    create_instance,
    delete_instance,
    describe_instances,
    describe_usage,
    instance_result,
    usage_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import PROJECT_ID
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.waiter import WaitStates
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_range


class KcrInstance(StatefulModule):
    api = KCR_API
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["instance_name"]),
        instance_type=dict(type="str", choices=list(INSTANCE_TYPES)),
        charge_type=dict(type="str", choices=list(CHARGE_TYPES)),
        purchase_time=dict(type="int"),
        project_id=dict(type="str"),
        include_usage=dict(type="bool", default=False),
        delete_bucket=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("charge_type", "Monthly", ["purchase_time"])])
    result_key = "instance"
    create_only = {"instance_type": "instance_type", "charge_type": "charge_type", "project_id": "project_id"}
    wait_states = WaitStates(pending=("Creating",), ready=("Running",), failed=("Error",), deleting=("Deleting",))
    wait_for_absence = True
    taken = INSTANCE_NAME_TAKEN

    def __init__(self):
        super(KcrInstance, self).__init__()
        self._usage = {}

    def validate(self):
        INSTANCE_NAME.check("name", self.params["name"])
        purchase_time = self.params["purchase_time"]
        if purchase_time is not None:
            if self.params["charge_type"] != "Monthly":
                raise ModuleFailure("purchase_time: only allowed with charge_type=Monthly")
            check_range("purchase_time", purchase_time, PURCHASE_MONTHS_MIN, PURCHASE_MONTHS_MAX)
        PROJECT_ID.check("project_id", self.params["project_id"])
        projects = self._project_ids()
        self.taken_elsewhere = (
            "name: a KCR instance named %r already exists in this account, but not in the %s (instance names "
            "are account-wide); set project_id to the project it is in"
            % (self.params["name"], "projects %s" % ", ".join(projects) if projects else "default project"))

    def _project_ids(self):
        """The projects to look in: the API lists only the default one unless told otherwise."""
        project_id = self.params["project_id"]
        if project_id is None or project_id == DEFAULT_PROJECT:
            return None
        return [DEFAULT_PROJECT, project_id]

    def find(self):
        name = self.params["name"]
        matches = describe_instances(self.client, name=name, project_ids=self._project_ids())
        if len(matches) > 1:
            raise ModuleFailure("name: %d KCR instances are named %r in region %s (%s)"
                                % (len(matches), name, self.region, ", ".join(m["InstanceId"] for m in matches)))
        return matches[0] if matches else None

    def status_of(self, api_object):
        return api_object.get("InstanceStatus")

    def _wants_usage(self):
        return self.params["include_usage"] and self.params["state"] == "present"

    def to_result(self, api_object):
        usage = None
        if self._wants_usage():
            instance_id = api_object["InstanceId"]
            if instance_id not in self._usage:
                self._usage[instance_id] = describe_usage(self.client, instance_id)
            usage = self._usage[instance_id]
        return instance_result(api_object, usage)

    def predict_created(self):
        predicted = {
            "instance_id": None,
            "instance_name": self.params["name"],
            "instance_type": self.params["instance_type"] or "basic",
            "instance_status": "Running" if self.params["wait"] else "Creating",
            "internal_endpoint": None,
            "charge_type": self.params["charge_type"] or "HourlyInstantSettlement",
            "project_id": self.params["project_id"] or DEFAULT_PROJECT,
            "create_time": None,
            "expired_time": None,
        }
        if self._wants_usage():
            predicted["usage"] = usage_result({"NamespaceUsage": 0, "RepoUsage": 0})
        return predicted

    def create(self):
        answer = create_instance(self.client, self.params["name"], self.params["instance_type"] or "basic",
                                 self.params["charge_type"] or "HourlyInstantSettlement",
                                 self.params["purchase_time"], self.params["project_id"])
        created = self.find()
        if created is None:
            raise ModuleFailure("KCR instance %s (%s) was created but cannot be read back in region %s"
                                % (self.params["name"], answer.get("InstanceId"), self.region))
        return created

    def delete(self, current):
        delete_instance(self.client, current["InstanceId"], self.params["delete_bucket"])


def main():
    KcrInstance().run()


if __name__ == "__main__":
    main()
