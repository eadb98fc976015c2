#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ssh_keypair_binding
short_description: Bind a Huawei Cloud SSH keypair to ECS servers, or unbind it
version_added: 0.1.0
description:
  - Bind a KPS keypair to ECS servers (KPS associate / batch-associate), or unbind it
    (disassociate), wait for the binding tasks to end, and report the tasks that failed with
    their error.
  - Which keypair a server has is read from ECS (one ShowServer call per server); a server that
    already has the keypair is left alone.
  - Servers without a keypair are bound in batches of up to 10; a server that has another keypair
    gets it replaced (with O(private_key), its current private key) or reset (otherwise).
options:
  keypair_name:
    description:
      - The keypair to bind. Required with O(state=present).
      - With O(state=absent), only servers that have this keypair are unbound; without it,
        whatever keypair the servers have is unbound.
    type: str
    aliases: [name]
  server_ids:
    description: IDs of the ECS servers (UUIDs).
    type: list
    elements: str
    required: true
  state:
    description: V(present) binds the keypair; V(absent) unbinds it and restores password login.
    type: str
    choices: [present, absent]
    default: present
  password:
    description:
      - The servers' current root password, for the service to log in with; 1 to 255 characters,
        no control characters.
    type: str
  private_key:
    description:
      - The private key of the keypair the servers have now, for the service to log in with
        (one unencrypted PEM or OpenSSH private key).
        Makes binding to a server that has another keypair a replace rather than a reset.
    type: str
  disable_password:
    description: Disable SSH password login on the servers.
    type: bool
  port:
    description: SSH port of the servers (1 to 65535).
    type: int
  clear_failed_tasks:
    description:
      - After the run, delete the failed binding tasks of O(server_ids) (V(servers)) or of the
        whole project (V(all)). Failures of this run are still reported.
    type: str
    choices: [none, servers, all]
    default: none
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
notes:
  - Check mode reads the servers and the keypair, submits no task and reports what would change.
  - The module fails when a task fails, after every task has ended, listing each failed server
    with its error; servers bound meanwhile stay bound.
  - A submission whose answer leaves open whether it acted (a server error, a dropped connection,
    a lost answer) is settled from what the cloud shows, never guessed - a running task for the
    server with the same goal is waited for, a server that already has its target is done, a
    failed task that appeared since the run began is reported, and only servers where nothing
    happened are submitted again, up to O(retries) times. For this, a run that submits anything
    first lists the failed tasks once.
seealso:
  - module: cloudops.multicloud.ssh_keypair
  - module: cloudops.multicloud.ssh_keypair_info
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Bind the bastion keypair to the web servers
  cloudops.multicloud.ssh_keypair_binding:
    keypair_name: bastion
    server_ids:
      - e1c50000-0000-4000-8000-000000000001
      - e1c50000-0000-4000-8000-000000000002
    disable_password: true
  register: bound

- name: Which servers got it in this run
  ansible.builtin.debug:
    msg: "{{ bound.bindings | rejectattr('action', 'eq', 'none') | map(attribute='server_name') | list }}"

- name: Move one server from bastion to the escrowed keypair, logging in with bastion's private key
  cloudops.multicloud.ssh_keypair_binding:
    keypair_name: escrowed
    server_ids: [e1c50000-0000-4000-8000-000000000001]
    private_key: "{{ lookup('ansible.builtin.file', '~/.ssh/bastion.pem') }}"
  no_log: true

- name: Unbind escrowed from that server again and clear the tasks that failed on it
  cloudops.multicloud.ssh_keypair_binding:
    keypair_name: escrowed
    server_ids: [e1c50000-0000-4000-8000-000000000001]
    state: absent
    clear_failed_tasks: servers
"""

RETURN = r"""
bindings:
  description: One entry per server, in the order of O(server_ids).
  returned: always
  type: list
  elements: dict
  contains:
    server_id:
      description: ID of the ECS server.
      type: str
      sample: e1c50000-0000-4000-8000-000000000001
    server_name:
      description: Name of the ECS server.
      type: str
      sample: ecs-web-1
    before:
      description: Keypair the server had before the task (null for none).
      type: str
      sample: null
    keypair_name:
      description: Keypair the server has after the task (in check mode, would have).
      type: str
      sample: deploy
    action:
      description: V(none), V(reset) (bind), V(replace) (bind with the current private key) or V(unbind).
      type: str
      sample: reset
    task_id:
      description: ID of the KPS task, when one was submitted.
      type: str
      sample: 6a2f9c3e-0d1b-4b5e-9f5e-2f6d3c1b0a99
    task_status:
      description:
        - Final (or, without waiting, last seen) status of the task, e.g. V(SUCCESS_RESET).
        - V(SUCCESS) when the answer to the submission was lost and the server was found with its
          target already (the task had ended); V(FAILED) when no task was accepted.
      type: str
      sample: SUCCESS_RESET
    error_code:
      description: Error code of a failed task.
      type: str
      sample: KPS.0014
    error_msg:
      description: Error message of a failed task.
      type: str
      sample: The server is not running (status SHUTOFF).
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import bindings
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import KPS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import (
    KEYPAIR_NAME,
    KeyMaterialError,
    check_private_key,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.servers import SERVER_ID, check_login_password
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import CloudModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_range


class SshKeypairBinding(CloudModule):
    api = KPS_API
    supports_wait = True
    argument_spec = dict(
        keypair_name=dict(type="str", aliases=["name"]),
        server_ids=dict(type="list", elements="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        password=dict(type="str", no_log=True),
        private_key=dict(type="str", no_log=True),
        disable_password=dict(type="bool", no_log=False),
        port=dict(type="int"),
        clear_failed_tasks=dict(type="str", choices=["none", "servers", "all"], default="none"),
    )
    module_kwargs = dict(mutually_exclusive=[("password", "private_key")],
                         required_if=[("state", "present", ["keypair_name"])])

    def validate(self):
        KEYPAIR_NAME.check("keypair_name", self.params["keypair_name"])
        check_range("port", self.params["port"], 1, 65535)
        if not self.params["server_ids"]:
            raise ModuleFailure("server_ids: give at least one server ID")
        SERVER_ID.check_each("server_ids", self.params["server_ids"])
        check_login_password("password", self.params["password"])
        if self.params["private_key"] is not None:
            try:
                check_private_key(self.params["private_key"])
            except KeyMaterialError as exc:
                raise ModuleFailure("private_key: %s" % exc)
        self.client.transport.protect(self.params["password"], self.params["private_key"])

    def execute(self):
        # plan, submit (settling unclear answers), wait, explain failures, clear failed tasks, diff
        return bindings.reconcile(self)


def main():
    SshKeypairBinding().run()


if __name__ == "__main__":
    main()
