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

    # -- the client surface the modules use -------------------------------------------------------

    def for_service(self, service):
        return self

    def request(self, method, path, query=None, body=None, operation=None, path_params=None, idempotent=None):
        self.calls.append((operation, dict(path_params or {}), dict(query or {}), body))
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

    def _submit(self, keypair_name, server):
        target = self.servers.get(server["id"])
        if target is None:
            return {"server_id": server["id"], "status": "FAILED", "error_code": "KPS.0011", "error_msg": "no server"}
        task_id = "task-%d" % (len(self.tasks) + 1)
        self.tasks[task_id] = {"server_id": server["id"], "keypair_name": keypair_name, "reads": 0}
        return {"task_id": task_id, "server_id": server["id"], "status": "SUCCESS"}

    def _AssociateKeypair(self, params, query, body):
        return self._submit(body["keypair_name"], body["server"])

    def _BatchAssociateKeypair(self, params, query, body):
        entries = body["batch_keypairs"]
        if self.batch_reject and any(e["server"]["id"] not in self.servers for e in entries):
            self._error(400, "KPS.0011", "a server does not exist", "BatchAssociateKeypair")
        return {"tasks": [self._submit(e["keypair_name"], e["server"]) for e in entries]}

    def _DisassociateKeypair(self, params, query, body):
        return self._submit(None, body["server"])

    def _ListKeypairTask(self, params, query, body):
        task = self.tasks[params["task_id"]]
        status = self.task_states[min(task["reads"], len(self.task_states) - 1)]
        task["reads"] += 1
        if status.startswith("SUCCESS"):
            self.servers[task["server_id"]]["key_name"] = task["keypair_name"] or ""
        task["status"] = status
        return {"task_id": params["task_id"], "server_id": task["server_id"], "task_status": status}

    def _ListFailedTask(self, params, query, body):
        failed = [dict(task_id=i, server_id=t["server_id"], operate_type="FAILED_RESET", task_error_code="KPS.0014",
                       task_error_msg="The server is not running.") for i, t in self.tasks.items()
                  if str(t.get("status", "")).startswith("FAILED")]
        return {"total": len(failed), "tasks": failed}

    def _ListRunningTask(self, params, query, body):
        return {"total": 0, "tasks": []}

    def _DeleteFailedTask(self, params, query, body):
        self.tasks.pop(params["task_id"])
