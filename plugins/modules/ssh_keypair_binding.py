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

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import submitted, tasks
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import BATCH_LIMIT, KPS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import (
    KEYPAIR_NAME,
    KeyMaterialError,
    check_private_key,
    get_keypair,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.servers import (
    SERVER_ID,
    check_login_password,
    get_server,
    key_name,
)
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

    # planning ----------------------------------------------------------------------------------

    def _plan(self):
        """One entry per distinct server: what it has and what would be done."""
        ecs = self.client.for_service("ecs")
        wanted, present = self.params["keypair_name"], self.params["state"] == "present"
        if present and get_keypair(self.client, wanted) is None:
            raise ModuleFailure("keypair_name: keypair %s does not exist; create it with "
                                "cloudops.multicloud.ssh_keypair first" % wanted)
        plan = []
        for server_id in dict.fromkeys(self.params["server_ids"]):
            server = get_server(ecs, server_id)
            if server is None:
                raise ModuleFailure("server_ids: ECS server %s not found in region %s" % (server_id, self.region))
            has = key_name(server)
            if present:
                action = "none" if has == wanted else (
                    "replace" if has and self.params["private_key"] else "reset")
            else:
                action = "unbind" if has and (wanted is None or has == wanted) else "none"
            plan.append({"server_id": server_id, "server_name": server.get("name"), "before": has,
                         "keypair_name": has if action == "none" else (None if action == "unbind" else wanted),
                         "action": action, "task_id": None, "task_status": None,
                         "error_code": None, "error_msg": None})
        return plan

    def _server(self, server_id, with_options=True):
        auth = None
        if self.params["private_key"]:
            auth = {"type": "keypair", "key": self.params["private_key"]}
        elif self.params["password"]:
            auth = {"type": "password", "key": self.params["password"]}
        if not with_options:
            return tasks.server_body(server_id, auth)
        return tasks.server_body(server_id, auth, self.params["disable_password"], self.params["port"])

    # submitting --------------------------------------------------------------------------------

    def _submit(self, plan):
        """Submit every task the plan needs. Submissions whose answers leave open whether they
        acted (server error, dropped connection, lost answer) are settled from what KPS and ECS
        show (submitted.find_submitted): a task that exists is gone on from, a server that has its
        target is done, and only the servers where nothing happened are submitted again, within
        the ``retries`` budget. A server still without a task after that is reported as failed."""
        known_failed = set(t.get("task_id") for t in tasks.failed_tasks(self.client))
        pending = [e for e in plan if e["action"] != "none"]
        for attempt in range(1, self.write_attempts + 1):
            unclear, error = self._submit_once(pending)
            if not unclear:
                return
            targets = dict((e["server_id"], e["keypair_name"]) for e in unclear)
            found = submitted.find_submitted(self.client, self.client.for_service("ecs"), targets, known_failed)
            for entry in unclear:
                outcome, task = found.get(entry["server_id"], (None, None))
                if outcome in ("running", "failed"):
                    self._adopt(entry, outcome, task)
                elif outcome == "done":
                    entry["task_status"] = "SUCCESS"
            pending = [e for e in unclear if e["server_id"] not in found]
            if not pending:
                return
        for entry in pending:
            entry.update(task_status="FAILED", error_code=error.code,
                         error_msg="no task was started after %d unclear answers; the last: %s"
                         % (self.write_attempts, error))

    def _submit_once(self, entries):
        """One submission of ``entries``: ([entries whose answer was unclear], the last such error)."""
        name = self.params["keypair_name"]
        unclear, error = [], None
        fresh = [e for e in entries if e["action"] == "reset" and not e["before"]]
        for start in range(0, len(fresh), BATCH_LIMIT) if len(fresh) > 1 else ():
            chunk = fresh[start:start + BATCH_LIMIT]
            try:
                answers = tasks.batch_associate(self.client, name, [self._server(e["server_id"]) for e in chunk])
            except CloudError as exc:
                if exc.ambiguous:
                    unclear.extend(chunk)
                    error = exc
                    continue
                if exc.status in (401, 403, 429):
                    raise
                continue  # refused as a whole: each server is submitted on its own below
            by_server = dict((a.get("server_id"), a) for a in answers)
            for entry in chunk:
                self._record(entry, by_server.get(entry["server_id"]) or {
                    "status": "FAILED", "error_msg": "the batch answer has no entry for this server"})
        for entry in entries:
            if entry["task_id"] or entry["error_msg"] or any(u is entry for u in unclear):
                continue
            try:
                if entry["action"] == "unbind":
                    answer = tasks.disassociate(self.client, self._server(entry["server_id"], with_options=False))
                else:
                    answer = tasks.associate(self.client, name, self._server(entry["server_id"]))
            except CloudError as exc:
                if not exc.ambiguous:
                    raise
                unclear.append(entry)
                error = exc
                continue
            self._record(entry, answer)
        return unclear, error

    @staticmethod
    def _adopt(entry, outcome, task):
        """Go on from a listed task that an unclear submission started."""
        entry["task_id"] = task.get("task_id")
        if outcome == "failed":
            status = str(task.get("operate_type") or "")
            entry.update(task_status=status if tasks.is_failed(status) else "FAILED",
                         error_code=task.get("task_error_code"),
                         error_msg=task.get("task_error_msg") or "the task failed (no error listed)")

    @staticmethod
    def _record(entry, answer):
        entry["task_id"] = answer.get("task_id") or None
        if str(answer.get("status") or "").upper() == "FAILED" or not entry["task_id"]:
            entry.update(task_status="FAILED", error_code=answer.get("error_code"),
                         error_msg=answer.get("error_msg") or "the task was not accepted")

    # waiting -----------------------------------------------------------------------------------

    def _wait_tasks(self, plan):
        pending = [e for e in plan if e["task_id"] and e["task_status"] is None]
        deadline = self.monotonic() + self.params["wait_timeout"]
        while pending:
            for entry in pending:
                entry["task_status"] = tasks.task_status(self.client, entry["task_id"])
            pending = [e for e in pending if not tasks.is_final(e["task_status"])]
            if not pending:
                break
            if self.monotonic() >= deadline:
                raise ModuleFailure("timed out after %ss waiting for the binding tasks of %s"
                                    % (self.params["wait_timeout"], ", ".join(e["server_id"] for e in pending)),
                                    changed=True, bindings=plan)
            self.sleep(self.wait_interval)

    def _explain_failures(self, plan):
        failed = [e for e in plan if e["task_id"] and tasks.is_failed(e["task_status"]) and not e["error_msg"]]
        if not failed:
            return
        listed = dict((t.get("task_id"), t) for t in tasks.failed_tasks(self.client))
        for entry in failed:
            task = listed.get(entry["task_id"]) or {}
            entry.update(error_code=task.get("task_error_code"),
                         error_msg=task.get("task_error_msg") or "the task failed (no error listed)")

    def _clear_failed(self, plan):
        mode = self.params["clear_failed_tasks"]
        if mode == "all":
            tasks.delete_all_failed_tasks(self.client)
        elif mode == "servers":
            servers = set(e["server_id"] for e in plan)
            for task in tasks.failed_tasks(self.client):
                if task.get("server_id") in servers:
                    tasks.delete_failed_task(self.client, task["task_id"])

    # running -----------------------------------------------------------------------------------

    def execute(self):
        plan = self._plan()
        changed = any(e["action"] != "none" for e in plan)
        if changed and not self.check_mode:
            self._submit(plan)
            if self.params["wait"]:
                self._wait_tasks(plan)
                self._explain_failures(plan)
        if not self.check_mode and self.params["clear_failed_tasks"] != "none":
            self._clear_failed(plan)
        failed = [e for e in plan if tasks.is_failed(e["task_status"])]
        for entry in failed:
            entry["keypair_name"] = entry["before"]
        changed = any(e["action"] != "none" and not tasks.is_failed(e["task_status"]) for e in plan)
        result = dict(changed=changed, bindings=plan)
        if self.diff_mode:
            result["diff"] = dict(before=dict((e["server_id"], e["before"]) for e in plan),
                                  after=dict((e["server_id"], e["keypair_name"]) for e in plan))
        if failed:
            reasons = "; ".join("%s (%s): %s: %s" % (e["server_id"], e["action"], e["error_code"], e["error_msg"])
                                for e in failed)
            raise ModuleFailure("keypair binding failed on %d of %d servers: %s" % (len(failed), len(plan), reasons),
                                **result)
        return result


def main():
    SshKeypairBinding().run()


if __name__ == "__main__":
    main()
