"""KPS keypair binding on ECS servers: associate (reset or replace), batch associate,
disassociate, and the task queries.

Servers come from fixtures (`ecs_servers`). A submitted task runs for
`settings.delays["kps.task"]` seconds (`RUNNING_RESET` / `RUNNING_REPLACE` / `RUNNING_UNBIND`;
with the `task_ready` reading `READY_*` for the first half of that time) and then succeeds, or
fails when the server is not `ACTIVE` or a replace was given the wrong current private key.
Following the KPS documentation, a replace ends as `SUCCESS_RESET` / `FAILED_RESET` (the
`replace_status` reading: `SUCCESS_REPLACE` / `FAILED_REPLACE`). Task lists give `operate_type`
from the SDK's documented enum (`FAILED_RESET` reset, `FAILED_REPLACE` replace, `FAILED_UNBIND`
unbind), for running and failed tasks alike. Failed tasks stay listed until deleted.
"""
from ...readings import reading
from ..routing import route
from ..util import iso_time, new_id, ok
from . import common, errors, sshkeys
from .servers import SERVER

TASK = "kps.task"
BATCH_LIMIT = 10
BASE = "/v3/{project_id}"


@route("POST", BASE + "/keypairs/associate", "kps", "AssociateKeypair")
def associate_keypair(call):
    body = call.body(errors.malformed)
    settle(call)
    try:
        task = _submit_bind(call, body, batch=False)
    except errors.HuaweiError as exc:
        if reading(call.emu, "kps", "associate_failure") != "answer":
            raise
        # AssociateKeypairResponse's own status/error_code/error_msg, as a batch entry says it
        server_id = (body.get("server") or {}).get("id") if isinstance(body.get("server"), dict) else None
        return ok({"task_id": "", "server_id": server_id or "", "status": "FAILED",
                   "error_code": exc.code, "error_msg": exc.message})
    return ok(_submitted(task))


@route("POST", BASE + "/keypairs/batch-associate", "kps", "BatchAssociateKeypair")
def batch_associate_keypair(call):
    items = call.body(errors.malformed).get("batch_keypairs")
    if not isinstance(items, list) or not items:
        raise errors.invalid("batch_keypairs")
    if len(items) > BATCH_LIMIT:
        raise errors.too_many(BATCH_LIMIT)
    names = {item.get("keypair_name") if isinstance(item, dict) else None for item in items}
    if len(names) != 1:
        raise errors.invalid("batch_keypairs", "every entry must name the same keypair")
    settle(call)
    results = []
    for item in items:
        try:
            results.append(_submitted(_submit_bind(call, item, batch=True)))
        except errors.HuaweiError as exc:
            if reading(call.emu, "kps", "batch_associate") == "reject":
                raise  # the whole request is refused; the transaction drops the tasks made so far
            server_id = (item.get("server") or {}).get("id") if isinstance(item, dict) else None
            results.append({"task_id": "", "server_id": server_id or "", "status": "FAILED",
                            "error_code": exc.code, "error_msg": exc.message})
    return ok({"tasks": results})


@route("POST", BASE + "/keypairs/disassociate", "kps", "DisassociateKeypair")
def disassociate_keypair(call):
    body = call.body(errors.malformed)
    settle(call)
    server = _server(call, body.get("server"))
    _check_auth(server["spec"].get("auth"))
    doc = server["doc"]
    if not doc.get("keypair_name"):
        raise errors.server_conflict("The server %s is not bound to a keypair." % doc["id"])
    _not_busy(call, doc)
    task = _new_task(call, doc, doc["keypair_name"], "UNBIND")
    return ok(_submitted(task))


@route("GET", BASE + "/tasks/{task_id}", "kps", "ListKeypairTask")
def list_keypair_task(call):
    settle(call)
    task = call.emu.store.get(TASK, call.params["task_id"])
    if task is None or task["project_id"] != call.project["id"]:
        raise errors.task_not_found(call.params["task_id"])
    return ok({"server_id": task["server_id"], "task_id": task["task_id"],
               "task_status": _status(call, task)})


@route("GET", BASE + "/running-tasks", "kps", "ListRunningTask")
def list_running_task(call):
    return _task_list(call, lambda t: t["task_status"].startswith("RUNNING_"), failed=False)


def _status(call, task):
    """The task's status as answered: READY_* for the first half of its run under the
    `task_ready` reading."""
    status = task["task_status"]
    if (status.startswith("RUNNING_") and reading(call.emu, "kps", "task_ready")
            and call.now() < (task["submitted_at"] + task["done_at"]) / 2.0):
        return "READY_" + task["operation"]
    return status


@route("GET", BASE + "/failed-tasks", "kps", "ListFailedTask")
def list_failed_task(call):
    return _task_list(call, lambda t: t["failed"], failed=True)


@route("DELETE", BASE + "/failed-tasks/{task_id}", "kps", "DeleteFailedTask")
def delete_failed_task(call):
    settle(call)
    task = call.emu.store.get(TASK, call.params["task_id"])
    if task is None or task["project_id"] != call.project["id"] or not task["failed"]:
        raise errors.task_not_found(call.params["task_id"])
    call.emu.store.delete(TASK, task["task_id"])
    return common.no_content(call)


@route("DELETE", BASE + "/failed-tasks", "kps", "DeleteAllFailedTask")
def delete_all_failed_task(call):
    settle(call)
    for task in call.emu.store.list(TASK, parent=call.project["id"]):
        if task["failed"]:
            call.emu.store.delete(TASK, task["task_id"])
    return common.no_content(call)


def settle(call):
    """Finish the project's tasks whose time has come, binding or unbinding their servers."""
    now = call.now()
    store = call.emu.store
    for task in store.list(TASK, parent=call.project["id"]):
        if not task["task_status"].startswith("RUNNING_") or now < task["done_at"]:
            continue
        server_key = "%s/%s" % (call.project["id"], task["server_id"])
        server = store.get(SERVER, server_key)
        problem = _outcome(call, task, server)
        task["auth_key"] = None  # the current private key of a replace is not kept
        kind = task["operation"]
        final = kind if kind == "UNBIND" or (
            kind == "REPLACE" and reading(call.emu, "kps", "replace_status") == "REPLACE") else "RESET"
        if problem is None:
            server["keypair_name"] = None if kind == "UNBIND" else task["keypair_name"]
            store.update(SERVER, server_key, server)
            task["task_status"] = "SUCCESS_" + final
        else:
            task["task_status"] = "FAILED_" + final
            task.update(failed=True,
                        task_error_code=problem[0], task_error_msg=problem[1])
        store.update(TASK, task["task_id"], task)


def _outcome(call, task, server):
    """None on success, else (error code, message)."""
    if server is None:
        return "KPS.0011", "The server does not exist."
    if server["status"] != "ACTIVE":
        return "KPS.0014", "The server is not running (status %s)." % server["status"]
    if task["operation"] == "REPLACE":
        current = common.get(call, server.get("keypair_name") or "")
        try:
            if current is None or not sshkeys.private_matches(task["auth_key"],
                                                              current["public_key"]):
                return "KPS.0007", "The private key does not match the server's keypair."
        except sshkeys.KeyMaterialError:
            return "KPS.0007", "The private key of the server's keypair is invalid."
    return None


def _submit_bind(call, body, batch):
    if not isinstance(body, dict):
        raise errors.invalid("batch_keypairs")
    name = body.get("keypair_name")
    if not isinstance(name, str) or not name:
        raise errors.invalid("keypair_name")
    common.require(call, name)
    server = _server(call, body.get("server"))
    spec, doc = server["spec"], server["doc"]
    auth = _check_auth(spec.get("auth"))
    port = spec.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool)
                             or not 1 <= port <= 65535):
        raise errors.invalid("server.port", "1-65535")
    if spec.get("disable_password") is not None and not isinstance(spec["disable_password"], bool):
        raise errors.invalid("server.disable_password")
    if batch and doc.get("keypair_name"):
        raise errors.server_conflict("The server %s is already bound to a keypair." % doc["id"])
    _not_busy(call, doc)
    replace = bool(doc.get("keypair_name")) and auth and auth.get("type") == "keypair"
    return _new_task(call, doc, name, "REPLACE" if replace else "RESET",
                     auth_key=auth.get("key") if replace else None)


def _server(call, spec):
    if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not spec["id"]:
        raise errors.invalid("server.id")
    doc = call.emu.store.get(SERVER, "%s/%s" % (call.project["id"], spec["id"]))
    if doc is None:
        raise errors.server_not_found(spec["id"])
    return {"spec": spec, "doc": doc}


def _check_auth(auth):
    if auth is None:
        return None
    if not isinstance(auth, dict) or auth.get("type") not in ("password", "keypair"):
        raise errors.invalid("server.auth.type", "password or keypair")
    if not isinstance(auth.get("key"), str) or not auth["key"]:
        raise errors.invalid("server.auth.key")
    return auth


def _not_busy(call, server):
    for task in call.emu.store.list(TASK, parent=call.project["id"]):
        if task["server_id"] == server["id"] and task["task_status"].startswith("RUNNING_"):
            raise errors.server_conflict("The server %s has a task in progress." % server["id"])


def _new_task(call, server, keypair_name, operation, auth_key=None):
    now = call.now()
    task = {"task_id": new_id(), "project_id": call.project["id"], "server_id": server["id"],
            "server_name": server["name"], "keypair_name": keypair_name,
            "operation": operation, "task_status": "RUNNING_" + operation, "failed": False,
            "submitted_at": now, "done_at": now + call.emu.delay("kps.task", 1),
            "auth_key": auth_key}
    call.emu.store.insert(TASK, task["task_id"], task, parent=call.project["id"])
    if call.emu.delay("kps.task", 1) <= 0:
        settle(call)
    return task


def _submitted(task):
    return {"task_id": task["task_id"], "server_id": task["server_id"], "status": "SUCCESS"}


def _task_list(call, keep, failed):
    settle(call)
    limit = call.query_int("limit", 1000, 1, 1000, lambda: errors.invalid("limit", "1-1000"))
    offset = call.query_int("offset", 0, 0, None, lambda: errors.invalid("offset"))
    tasks = [t for t in call.emu.store.list(TASK, parent=call.project["id"]) if keep(t)]
    entries = []
    for task in tasks[offset:offset + limit]:
        entry = {"task_id": task["task_id"],
                 # the SDK's enum names the operation, FAILED_ prefix and all, for both lists
                 "operate_type": "FAILED_" + task["operation"],
                 "task_time": iso_time(task["submitted_at"]), "server_name": task["server_name"],
                 "server_id": task["server_id"], "keypair_name": task["keypair_name"]}
        if failed:
            entry.update(task_error_code=task["task_error_code"],
                         task_error_msg=task["task_error_msg"])
        entries.append(entry)
    return ok({"total": len(tasks), "tasks": entries})
