# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workflow of ssh_keypair_binding: the plan (what each server has, read from ECS, and what
it needs), the submissions (fresh servers in batches, the others one by one), the submissions
whose answers were unclear settled from what KPS and ECS show (submitted.find_submitted) and sent
again only where nothing happened, the wait for the tasks, the failures explained from the
failed-task list, the failed tasks cleared, and the result with its diff.

A plan entry is what the module returns per server: ``server_id``, ``server_name``, ``before``
(its keypair before the task), ``keypair_name`` (after), ``action`` (none, reset, replace,
unbind), ``task_id``, ``task_status``, ``error_code``, ``error_msg``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import submitted, tasks
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import BATCH_LIMIT
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import get_keypair
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.servers import get_server, key_name


def reconcile(module):
    """Bind or unbind as ssh_keypair_binding's options say; ``module`` is the module (a
    ``CloudModule``: its client, params, region, write_attempts, check and diff mode, and clock:
    sleep, monotonic, wait_interval). Returns the result (``changed``, ``bindings``, ``diff``);
    raises ModuleFailure carrying that result when a task failed."""
    return Binding(module).reconcile()


class Binding:
    """One run of ssh_keypair_binding over ``module`` (see ``reconcile``)."""

    def __init__(self, module):
        self.module = module
        self.client = module.client
        self.params = module.params

    def reconcile(self):
        plan = self.plan()
        changed = any(e["action"] != "none" for e in plan)
        if changed and not self.module.check_mode:
            self.submit(plan)
            if self.params["wait"]:
                self.wait_tasks(plan)
                self.explain_failures(plan)
        if not self.module.check_mode and self.params["clear_failed_tasks"] != "none":
            self.clear_failed(plan)
        return self.result(plan)

    # planning ----------------------------------------------------------------------------------

    def plan(self):
        """One entry per distinct server: what it has and what would be done (reads the keypair
        with state=present, and each server in ECS)."""
        ecs = self.client.for_service("ecs")
        wanted, present = self.params["keypair_name"], self.params["state"] == "present"
        if present and get_keypair(self.client, wanted) is None:
            raise ModuleFailure("keypair_name: keypair %s does not exist; create it with "
                                "cloudops.multicloud.ssh_keypair first" % wanted)
        plan = []
        for server_id in dict.fromkeys(self.params["server_ids"]):
            server = get_server(ecs, server_id)
            if server is None:
                raise ModuleFailure("server_ids: ECS server %s not found in region %s"
                                    % (server_id, self.module.region))
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

    def server(self, server_id, with_options=True):
        """The ``EcsServerInfo`` of a submission: how the service logs in, and (with_options) the
        password and port settings to apply."""
        auth = None
        if self.params["private_key"]:
            auth = {"type": "keypair", "key": self.params["private_key"]}
        elif self.params["password"]:
            auth = {"type": "password", "key": self.params["password"]}
        if not with_options:
            return tasks.server_body(server_id, auth)
        return tasks.server_body(server_id, auth, self.params["disable_password"], self.params["port"])

    # submitting --------------------------------------------------------------------------------

    def submit(self, plan):
        """Submit every task the plan needs. Submissions whose answers leave open whether they
        acted (server error, dropped connection, lost answer) are settled from what KPS and ECS
        show (submitted.find_submitted): a task that exists is gone on from, a server that has its
        target is done, and only the servers where nothing happened are submitted again, within
        the ``retries`` budget. A server still without a task after that is reported as failed."""
        attempts = self.module.write_attempts
        known_failed = set(t.get("task_id") for t in tasks.failed_tasks(self.client))
        pending = [e for e in plan if e["action"] != "none"]
        for _attempt in range(1, attempts + 1):
            unclear, error = self.submit_once(pending)
            if not unclear:
                return
            targets = dict((e["server_id"], e["keypair_name"]) for e in unclear)
            found = submitted.find_submitted(self.client, self.client.for_service("ecs"), targets, known_failed)
            for entry in unclear:
                outcome, task = found.get(entry["server_id"], (None, None))
                if outcome in ("running", "failed"):
                    adopt(entry, outcome, task)
                elif outcome == "done":
                    entry["task_status"] = "SUCCESS"
            pending = [e for e in unclear if e["server_id"] not in found]
            if not pending:
                return
        for entry in pending:
            entry.update(task_status="FAILED", error_code=error.code,
                         error_msg="no task was started after %d unclear answers; the last: %s" % (attempts, error))

    def submit_once(self, entries):
        """One submission of ``entries``: ([entries whose answer was unclear], the last such error)."""
        name = self.params["keypair_name"]
        unclear, error = [], None
        fresh = [e for e in entries if e["action"] == "reset" and not e["before"]]
        for start in range(0, len(fresh), BATCH_LIMIT) if len(fresh) > 1 else ():
            chunk = fresh[start:start + BATCH_LIMIT]
            try:
                answers = tasks.batch_associate(self.client, name, [self.server(e["server_id"]) for e in chunk])
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
                record(entry, by_server.get(entry["server_id"]) or {
                    "status": "FAILED", "error_msg": "the batch answer has no entry for this server"})
        for entry in entries:
            if entry["task_id"] or entry["error_msg"] or any(u is entry for u in unclear):
                continue
            try:
                if entry["action"] == "unbind":
                    answer = tasks.disassociate(self.client, self.server(entry["server_id"], with_options=False))
                else:
                    answer = tasks.associate(self.client, name, self.server(entry["server_id"]))
            except CloudError as exc:
                if not exc.ambiguous:
                    raise
                unclear.append(entry)
                error = exc
                continue
            record(entry, answer)
        return unclear, error

    # waiting and after -------------------------------------------------------------------------

    def wait_tasks(self, plan):
        """Poll each submitted task until it ends (``wait_timeout``, every ``wait_interval``)."""
        pending = [e for e in plan if e["task_id"] and e["task_status"] is None]
        deadline = self.module.monotonic() + self.params["wait_timeout"]
        while pending:
            for entry in pending:
                entry["task_status"] = tasks.task_status(self.client, entry["task_id"])
            pending = [e for e in pending if not tasks.is_final(e["task_status"])]
            if not pending:
                break
            if self.module.monotonic() >= deadline:
                raise ModuleFailure("timed out after %ss waiting for the binding tasks of %s"
                                    % (self.params["wait_timeout"], ", ".join(e["server_id"] for e in pending)),
                                    changed=True, bindings=plan)
            self.module.sleep(self.module.wait_interval)

    def explain_failures(self, plan):
        """The error of each failed task, from the failed-task list (one listing, when any failed)."""
        failed = [e for e in plan if e["task_id"] and tasks.is_failed(e["task_status"]) and not e["error_msg"]]
        if not failed:
            return
        listed = dict((t.get("task_id"), t) for t in tasks.failed_tasks(self.client))
        for entry in failed:
            task = listed.get(entry["task_id"]) or {}
            entry.update(error_code=task.get("task_error_code"),
                         error_msg=task.get("task_error_msg") or "the task failed (no error listed)")

    def clear_failed(self, plan):
        """clear_failed_tasks: every failed task of the project (all), or those of the plan's servers."""
        mode = self.params["clear_failed_tasks"]
        if mode == "all":
            tasks.delete_all_failed_tasks(self.client)
        elif mode == "servers":
            servers = set(e["server_id"] for e in plan)
            for task in tasks.failed_tasks(self.client):
                if task.get("server_id") in servers:
                    tasks.delete_failed_task(self.client, task["task_id"])

    def result(self, plan):
        """The module result: a failed server keeps its keypair; ``changed`` counts what did not fail."""
        failed = [e for e in plan if tasks.is_failed(e["task_status"])]
        for entry in failed:
            entry["keypair_name"] = entry["before"]
        changed = any(e["action"] != "none" and not tasks.is_failed(e["task_status"]) for e in plan)
        result = dict(changed=changed, bindings=plan)
        if self.module.diff_mode:
            result["diff"] = dict(before=dict((e["server_id"], e["before"]) for e in plan),
                                  after=dict((e["server_id"], e["keypair_name"]) for e in plan))
        if failed:
            reasons = "; ".join("%s (%s): %s: %s" % (e["server_id"], e["action"], e["error_code"], e["error_msg"])
                                for e in failed)
            raise ModuleFailure("keypair binding failed on %d of %d servers: %s" % (len(failed), len(plan), reasons),
                                **result)
        return result


def adopt(entry, outcome, task):
    """Go on from a listed task (running or failed) that an unclear submission started."""
    entry["task_id"] = task.get("task_id")
    if outcome == "failed":
        status = str(task.get("operate_type") or "")
        entry.update(task_status=status if tasks.is_failed(status) else "FAILED",
                     error_code=task.get("task_error_code"),
                     error_msg=task.get("task_error_msg") or "the task failed (no error listed)")


def record(entry, answer):
    """Record the answer to a submission (associate, batch entry, disassociate): its task, or
    the reason no task was accepted."""
    entry["task_id"] = answer.get("task_id") or None
    if str(answer.get("status") or "").upper() == "FAILED" or not entry["task_id"]:
        entry.update(task_status="FAILED", error_code=answer.get("error_code"),
                     error_msg=answer.get("error_msg") or "the task was not accepted")
