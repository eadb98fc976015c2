# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory KPS (and the ECS host beside it) standing in for HuaweiClient in module tests:
keypairs, servers and binding tasks, with switches for the readings the modules must survive.
Every call is recorded as (operation, path params, query, body)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib

from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError


def md5_fingerprint(line):
    digest = hashlib.md5(base64.b64decode(line.split()[1])).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


class FakeTransport:
    def __init__(self):
        self.secrets = set()

    def protect(self, *values):
        self.secrets.update(v for v in values if v)


class KpsAccount:
    """``not_found_status`` / ``duplicate_status``: the statuses of those errors;
    ``batch_reject``: a batch with a bad entry is refused whole; ``task_states``: the statuses a
    task answers, one per ListKeypairTask call (the last one repeats)."""

    GENERATED_PUBLIC = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGeneratedKeyGeneratedKeyGeneratedKeyGen Generated-by-Nova\n")
    GENERATED_PRIVATE = "-----BEGIN PRIVATE KEY-----\nTUlJRXZnSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2d3Z2dTa0FnRUFBb0lCQVFD\n-----END PRIVATE KEY-----\n"

    def __init__(self, not_found_status=404, duplicate_status=409, batch_reject=False, task_states=None):
        self.keypairs, self.servers, self.tasks = {}, {}, {}
        self.calls = []
        self.transport = FakeTransport()
        self.not_found_status, self.duplicate_status = not_found_status, duplicate_status
        self.batch_reject = batch_reject
        self.task_states = task_states or ["SUCCESS_RESET"]
        self.project_id = "p1"
        self.lose_answers = []  # operations whose next answers are lost after the service acted
        # (operation, acted, status): the next call of the operation fails unclearly, with a 5xx
        # status or none (a dropped connection), before or after the service acted on it.
        self.unclear_answers = []
        self.after_unclear = None  # called after an unclear answer, before the module reads again

    # -- the client surface the modules use -------------------------------------------------------

    def for_service(self, service):
        return self

    def request(self, method, path, query=None, body=None, operation=None, path_params=None, idempotent=None):
        self.calls.append((operation, dict(path_params or {}), dict(query or {}), body))
        unclear = next((u for u in self.unclear_answers if u[0] == operation), None)
        if unclear is not None:
            self.unclear_answers.remove(unclear)
            if unclear[1]:
                getattr(self, "_" + operation)(path_params or {}, query or {}, body)
            if self.after_unclear is not None:
                self.after_unclear()
            raise CloudError("Backend unavailable" if unclear[2] else "connection closed without an answer",
                             status=unclear[2], code="APIGW.0203" if unclear[2] else "ConnectionError",
                             service="kps", operation=operation)
        answer = getattr(self, "_" + operation)(path_params or {}, query or {}, body)
        if operation in self.lose_answers:
            self.lose_answers.remove(operation)
            raise CloudError("connection to kms.cn-north-4.myhuaweicloud.com lost after sending", status=None,
                             code="ConnectionError", service="kps", operation=operation)
        return answer

    def paginate_offset(self, path, items_key, query=None, limit=None, operation=None, total_key="total_count"):
        return (self.request("GET", path, query={"limit": limit, "offset": 0}, operation=operation) or {})[items_key]

    @property
    def operations(self):
        return [call[0] for call in self.calls]

    def writes(self):
        return [op for op in self.operations if not op.startswith(("List", "Show"))]

    # -- keypairs --------------------------------------------------------------------------------

    def add(self, name, public_key, **fields):
        doc = {"name": name, "id": len(self.keypairs) + 1, "type": "ssh", "scope": "user", "public_key": public_key,
               "fingerprint": md5_fingerprint(public_key), "is_key_protection": False, "description": "",
               "user_id": "u1", "frozen_state": 0, "key_id": "", "create_time": 1700000000,
               "update_time": 1700000000}
        doc.update(fields)
        self.keypairs[name] = doc
        return doc

    def _error(self, status, code, message, operation):
        raise CloudError(message, status=status, code=code, service="kps", operation=operation)

    def _ListKeypairDetail(self, params, query, body):
        doc = self.keypairs.get(params["keypair_name"])
        if doc is None:
            self._error(self.not_found_status, "KPS.0005", "no such keypair", "ListKeypairDetail")
        return {"keypair": dict(doc)}

    def _ListKeypairs(self, params, query, body):
        names = sorted(self.keypairs)
        if query.get("marker"):
            names = [n for n in names if n > query["marker"]]
        page = names[:int(query.get("limit") or 50)]
        return {"keypairs": [{"keypair": dict(self.keypairs[n], frozen_state="0")} for n in page],
                "page_info": {"current_count": len(page)}}

    def _CreateKeypair(self, params, query, body):
        spec = body["keypair"]
        if spec["name"] in self.keypairs:
            self._error(self.duplicate_status, "KPS.0004", "exists", "CreateKeypair")
        public_key = spec.get("public_key") or self.GENERATED_PUBLIC
        protection = spec.get("key_protection")
        doc = self.add(spec["name"], public_key, type=spec.get("type", "ssh"), scope=spec.get("scope", "user"),
                       is_key_protection=bool(protection),
                       key_id=((protection or {}).get("encryption") or {}).get("kms_key_id", ""))
        answer = {"name": doc["name"], "public_key": public_key, "fingerprint": doc["fingerprint"], "user_id": "u1"}
        if not spec.get("public_key"):
            answer["private_key"] = self.GENERATED_PRIVATE
        return {"keypair": answer}

    def _UpdateKeypairDescription(self, params, query, body):
        self.keypairs[params["keypair_name"]]["description"] = body["keypair"]["description"]

    def _DeleteKeypair(self, params, query, body):
        if self.keypairs.pop(params["keypair_name"], None) is None:
            self._error(self.not_found_status, "KPS.0005", "no such keypair", "DeleteKeypair")

    def _ImportPrivateKey(self, params, query, body):
        spec = body["keypair"]
        doc = self.keypairs[spec["name"]]
        doc["is_key_protection"] = True
        doc["key_id"] = spec["key_protection"]["encryption"].get("kms_key_id", "")
        return {"keypair": {"name": spec["name"]}}

    def _ClearPrivateKey(self, params, query, body):
        self.keypairs[params["keypair_name"]].update(is_key_protection=False, key_id="")

    # -- servers and tasks -----------------------------------------------------------------------

    def _ShowServer(self, params, query, body):
        server = self.servers.get(params["server_id"])
        if server is None:
            raise CloudError("not found", status=404, code="Ecs.0114", service="ecs", operation="ShowServer")
        return {"server": dict(server)}

    def _submit(self, keypair_name, server, unbind=False):
        target = self.servers.get(server["id"])
        if target is None:
            return {"server_id": server["id"], "status": "FAILED", "error_code": "KPS.0011", "error_msg": "no server"}
        if any(t["server_id"] == server["id"] and not self._ended(t) for t in self.tasks.values()):
            self._error(409, "KPS.0013", "The server %s has a task in progress." % server["id"], "AssociateKeypair")
        if unbind:
            keypair_name, operation = target.get("key_name") or None, "UNBIND"
        else:
            replace = target.get("key_name") and (server.get("auth") or {}).get("type") == "keypair"
            operation = "REPLACE" if replace else "RESET"
        task_id = "task-%d" % (len(self.tasks) + 1)
        self.tasks[task_id] = {"server_id": server["id"], "keypair_name": keypair_name, "operation": operation,
                               "reads": 0, "status": None}
        return {"task_id": task_id, "server_id": server["id"], "status": "SUCCESS"}

    def finish(self, task_id, status):
        """End a task now, as the service does after a while (SUCCESS_* binds or unbinds its server)."""
        task = self.tasks[task_id]
        task["status"] = status
        if status.startswith("SUCCESS"):
            self.servers[task["server_id"]]["key_name"] = "" if task["operation"] == "UNBIND" else task["keypair_name"]

    def add_failed_task(self, server_id, keypair_name):
        """A failed task left over from an earlier run."""
        task_id = "old-task-%d" % (len(self.tasks) + 1)
        self.tasks[task_id] = {"server_id": server_id, "keypair_name": keypair_name, "operation": "RESET",
                               "reads": 0, "status": "FAILED_RESET"}
        return task_id

    def _AssociateKeypair(self, params, query, body):
        return self._submit(body["keypair_name"], body["server"])

    def _BatchAssociateKeypair(self, params, query, body):
        entries = body["batch_keypairs"]
        if self.batch_reject and any(e["server"]["id"] not in self.servers for e in entries):
            self._error(400, "KPS.0011", "a server does not exist", "BatchAssociateKeypair")
        return {"tasks": [self._submit(e["keypair_name"], e["server"]) for e in entries]}

    def _DisassociateKeypair(self, params, query, body):
        return self._submit(None, body["server"], unbind=True)

    def _ListKeypairTask(self, params, query, body):
        task = self.tasks[params["task_id"]]
        if not self._ended(task):
            self.finish(params["task_id"], self.task_states[min(task["reads"], len(self.task_states) - 1)])
        task["reads"] += 1
        return {"task_id": params["task_id"], "server_id": task["server_id"], "task_status": task["status"]}

    @staticmethod
    def _ended(task):
        return str(task["status"] or "").startswith(("SUCCESS", "FAILED"))

    def _listed(self, task_id, task):
        return dict(task_id=task_id, server_id=task["server_id"], keypair_name=task["keypair_name"],
                    server_name=task["server_id"], operate_type="FAILED_" + task["operation"])

    def _ListFailedTask(self, params, query, body):
        failed = [dict(self._listed(i, t), task_error_code="KPS.0014", task_error_msg="The server is not running.")
                  for i, t in self.tasks.items() if str(t["status"] or "").startswith("FAILED")]
        return {"total": len(failed), "tasks": failed}

    def _ListRunningTask(self, params, query, body):
        running = [self._listed(i, t) for i, t in self.tasks.items() if not self._ended(t)]
        return {"total": len(running), "tasks": running}

    def _DeleteFailedTask(self, params, query, body):
        self.tasks.pop(params["task_id"])
