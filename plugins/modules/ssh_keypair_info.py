#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ssh_keypair_info
short_description: List Huawei Cloud SSH keypairs (KPS) and their binding tasks
version_added: 0.1.0
description:
  - Describe one SSH keypair by name, or list every keypair of the project, with its fingerprint,
    type, scope, custody and frozen state. Private keys are never returned.
  - Optionally lists the running and failed keypair binding tasks.
  - Listing reads pages of 1000 keypairs (the service may serve fewer per page; every page is
    read once).
options:
  name:
    description:
      - Name of one keypair (one ListKeypairDetail call). Without it, every keypair is listed.
    type: str
  tasks:
    description:
      - Also list the binding tasks that are V(running) and/or V(failed), in RV(running_tasks) and
        RV(failed_tasks) - those of the whole project, whatever O(name) is.
    type: list
    elements: str
    choices: [running, failed]
    default: []
  api:
    description:
      - The keypair API, as in M(cloudops.multicloud.ssh_keypair) - V(kps) (KPS v3), V(nova) (Nova
        C(os-keypairs) v2.1 on the ECS host) or V(auto) (KPS v3, and Nova when KPS v3's first answer
        is 403 or a 404 that is not a KPS error; no extra call where KPS v3 is served).
      - Nova has no binding tasks, so O(tasks) fails over Nova. Its listing has no C(id), C(type),
        C(scope), C(description) nor times, and with O(name) C(type) and C(scope) stay null.
    type: str
    choices: [auto, kps, nova]
    default: auto
    version_added: 0.2.0
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
  - module: cloudops.multicloud.ssh_keypair
  - module: cloudops.multicloud.ssh_keypair_binding
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Every keypair of the project
  cloudops.multicloud.ssh_keypair_info:
  register: all_keys

- name: Keypairs whose private key the service keeps
  ansible.builtin.debug:
    msg: "{{ all_keys.keypairs | selectattr('key_protection') | map(attribute='name') | list }}"

- name: One keypair, and the binding tasks that failed in the project
  cloudops.multicloud.ssh_keypair_info:
    name: deploy
    tasks: [failed]
  register: deploy_key

- name: The deploy keypair's failed binding tasks, with the cloud's reason
  ansible.builtin.debug:
    msg: "{{ deploy_key.failed_tasks | selectattr('keypair_name', 'eq', 'deploy')
             | map(attribute='error_msg') | list }}"
"""

RETURN = r"""
keypairs:
  description:
    - The keypairs; one or none with O(name).
    - Listed keypairs carry what the listing has; C(id), C(user_id), C(description), C(kms_key_id)
      and the times come with O(name) (the detail call).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the keypair.
      type: str
      sample: deploy
    id:
      description:
        - ID of the keypair, always as a string (the service may answer a number).
      type: str
      sample: "42"
    type:
      description: V(ssh) or V(x509); null when the service does not report it.
      type: str
      sample: ssh
    scope:
      description: V(user) or V(domain); null when the service does not report it.
      type: str
      sample: user
    user_id:
      description: IAM user that owns the keypair.
      type: str
      sample: 1a2b3c4d5e6f47788990aabbccddeeff
    description:
      description: Description of the keypair.
      type: str
      sample: CI deploy key
    public_key:
      description: The OpenSSH public key.
      type: str
      sample: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5... ci@example"
    fingerprint:
      description: MD5 fingerprint of the public key, colon-separated lower-case hex.
      type: str
      sample: "49:ef:73:2b:9b:7f:2e:0c:58:d3:e3:42:8e:28:04:3b"
    algorithm:
      description: Key algorithm as the service reports it.
      type: str
      sample: RSA2048
    key_protection:
      description: Whether the service keeps the private key (custody).
      type: bool
      sample: false
    kms_key_id:
      description: KMS key that encrypts the kept private key, when reported.
      type: str
      sample: 0d0466b0-e727-4d9c-b35d-f84bb474a37f
    frozen_state:
      description:
        - Frozen state (0 normal; 1 frozen; 2 police frozen; 4 violation frozen; 8 unverified identity; sums combine).
        - Null when the service does not report it.
      type: int
      sample: 0
    frozen:
      description: Whether the keypair is frozen; null when the service does not report it.
      type: bool
      sample: false
    frozen_reason:
      description: The frozen state in words, null when not frozen.
      type: str
      sample: null
    create_time:
      description:
        - Creation time, seconds since 1970 (read from C(create_time) or C(created_at), in seconds,
          milliseconds or ISO 8601 text).
      type: int
      sample: 1700000000
    update_time:
      description: Last update time, seconds since 1970.
      type: int
      sample: 1700000000
running_tasks:
  description: Binding tasks still running.
  returned: when O(tasks) contains V(running)
  type: list
  elements: dict
  contains: &task
    task_id:
      description: ID of the task.
      type: str
      sample: 6a2f9c3e-0d1b-4b5e-9f5e-2f6d3c1b0a99
    operation:
      description: V(reset), V(replace) or V(unbind).
      type: str
      sample: reset
    operate_type:
      description: The operation as the service names it (V(FAILED_RESET) means a reset, whatever its prefix).
      type: str
      sample: FAILED_RESET
    task_time:
      description: When the task was submitted, as the service reports it.
      type: str
      sample: "2024-01-15T08:30:00Z"
    server_id:
      description: ID of the ECS server.
      type: str
      sample: e1c50000-0000-4000-8000-000000000001
    server_name:
      description: Name of the ECS server.
      type: str
      sample: ecs-web-1
    keypair_name:
      description: Keypair of the task.
      type: str
      sample: deploy
    error_code:
      description: Error code of a failed task.
      type: str
      sample: KPS.0014
    error_msg:
      description: Error message of a failed task.
      type: str
      sample: The server is not running.
failed_tasks:
  description: Binding tasks that failed (until cleared with M(cloudops.multicloud.ssh_keypair_binding)).
  returned: when O(tasks) contains V(failed)
  type: list
  elements: dict
  contains: *task
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import keypair_api, tasks
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import KPS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import KEYPAIR_NAME, keypair_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule


class SshKeypairInfo(InfoModule):
    api = KPS_API
    argument_spec = dict(
        name=dict(type="str"),
        tasks=dict(type="list", elements="str", choices=["running", "failed"], default=[]),
        api=keypair_api.API_OPTION,
    )
    result_key = "keypairs"

    def validate(self):
        KEYPAIR_NAME.check("name", self.params["name"])
        self.keypairs = keypair_api.KeypairApi(self.client, self.params["api"], self.refuse_tasks)

    def refuse_tasks(self, why):
        if self.params["tasks"]:
            raise keypair_api.refusal("tasks", "binding tasks", why)

    def list_resources(self):
        if self.params["name"]:
            found = self.keypairs.get_keypair(self.params["name"])
            return [found] if found is not None else []
        return self.keypairs.list_keypairs()

    def to_result(self, api_object):
        return keypair_result(api_object)

    def follow_up(self, result):
        if "running" in self.params["tasks"]:
            result["running_tasks"] = [tasks.task_result(t) for t in tasks.running_tasks(self.client)]
        if "failed" in self.params["tasks"]:
            result["failed_tasks"] = [tasks.task_result(t) for t in tasks.failed_tasks(self.client)]
        return result


def main():
    SshKeypairInfo().run()


if __name__ == "__main__":
    main()
