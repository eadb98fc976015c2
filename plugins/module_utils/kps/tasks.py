# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KPS binding tasks: associate / batch-associate / disassociate, task states, task lists.

Task states are read by prefix, whatever the suffix: ``SUCCESS_*`` and ``FAILED_*`` are final,
anything else (``READY_*``, ``RUNNING_*``) is still pending. The documented enum lacks
``SUCCESS_REPLACE``/``FAILED_REPLACE``, and a service may well answer them. ``operate_type`` in
the task lists names the operation (``FAILED_RESET`` = reset, whatever its prefix suggests), so
it is reported, never read as a state.

Batch associate may fail per entry inside a 200 answer or refuse the whole request; the caller
submits the entries one by one after a refusal, so every server gets its own outcome either way.

A submission whose answer leaves open whether it acted (server error, dropped connection, lost
answer) is settled by ``submitted.find_submitted`` from what KPS and ECS show, never guessed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import BATCH_LIMIT
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import Sourced

TASK_PATH = "/v3/{project_id}/tasks/{task_id}"
RUNNING_TASKS_PATH = "/v3/{project_id}/running-tasks"
FAILED_TASKS_PATH = "/v3/{project_id}/failed-tasks"
FAILED_TASK_PATH = "/v3/{project_id}/failed-tasks/{task_id}"
TASK_PAGE_SIZE = 1000  # the documented default of both task lists
TASK_MISSING = Missing("KPS.0012", statuses=(404,))
# Task ids come from KPS answers (submissions, task lists), never from an option.
TASK_ID_ORIGIN = "the task id KPS returned"


def is_final(status):
    return str(status or "").upper().startswith(("SUCCESS", "FAILED"))


def is_failed(status):
    return str(status or "").upper().startswith("FAILED")


def server_body(server_id, auth=None, disable_password=None, port=None):
    """The ``EcsServerInfo`` of a request (``auth`` = {"type", "key"} or None)."""
    server = {"id": server_id}
    if auth:
        server["auth"] = auth
    if disable_password is not None:
        server["disable_password"] = disable_password
    if port is not None:
        server["port"] = port
    return server


def associate(client, keypair_name, server):
    """AssociateKeypair: ``{"task_id", "server_id", "status", "error_code", "error_msg"}``."""
    return client.request("POST", "/v3/{project_id}/keypairs/associate", operation="AssociateKeypair",
                          body={"keypair_name": keypair_name, "server": server}) or {}


def batch_associate(client, keypair_name, servers):
    """BatchAssociateKeypair (at most BATCH_LIMIT servers): the per-server submissions."""
    if len(servers) > BATCH_LIMIT:
        raise ValueError("at most %d servers per batch" % BATCH_LIMIT)
    answer = client.request("POST", "/v3/{project_id}/keypairs/batch-associate", operation="BatchAssociateKeypair",
                            body={"batch_keypairs": [{"keypair_name": keypair_name, "server": s} for s in servers]})
    return (answer or {}).get("tasks") or []


def disassociate(client, server):
    """DisassociateKeypair: ``{"task_id", "server_id", "status", "error_code", "error_msg"}``, as
    AssociateKeypair answers."""
    return client.request("POST", "/v3/{project_id}/keypairs/disassociate", operation="DisassociateKeypair",
                          body={"server": server}) or {}


def task_status(client, task_id):
    """ListKeypairTask: the ``task_status`` of the task (``READY_*``, ``RUNNING_*``, ``SUCCESS_*``,
    ``FAILED_*``; None when the answer has none)."""
    answer = client.request("GET", TASK_PATH, path_params={"task_id": Sourced(task_id, TASK_ID_ORIGIN)},
                            operation="ListKeypairTask") or {}
    return answer.get("task_status")


def running_tasks(client):
    """ListRunningTask, every page: the task entries (``task_id``, ``operate_type``, ``server_id``,
    ``server_name``, ``keypair_name``, ``task_time``...; see task_result)."""
    return client.paginate_offset(RUNNING_TASKS_PATH, "tasks", limit=TASK_PAGE_SIZE, operation="ListRunningTask",
                                  total_key="total")


def failed_tasks(client):
    """ListFailedTask, every page: the task entries, as running_tasks, with ``task_error_code`` and
    ``task_error_msg``."""
    return client.paginate_offset(FAILED_TASKS_PATH, "tasks", limit=TASK_PAGE_SIZE, operation="ListFailedTask",
                                  total_key="total")


def delete_failed_task(client, task_id):
    """DeleteFailedTask (returns None). Deleting a task twice deletes it once, so the call is
    repeated after an unclear answer, and a task that is gone counts as deleted."""
    TASK_MISSING.absent_if(client.request, "DELETE", FAILED_TASK_PATH,
                           path_params={"task_id": Sourced(task_id, TASK_ID_ORIGIN)},
                           operation="DeleteFailedTask")


def delete_all_failed_tasks(client):
    """DeleteAllFailedTask: every failed task of the project (returns None)."""
    client.request("DELETE", FAILED_TASKS_PATH, operation="DeleteAllFailedTask")


def task_result(api_object):
    """A running or failed task entry as ssh_keypair_info and ssh_keypair_binding return it."""
    return {
        "task_id": api_object.get("task_id"),
        "operation": operation_of(api_object.get("operate_type")),
        "operate_type": api_object.get("operate_type"),
        "task_time": api_object.get("task_time"),
        "server_id": api_object.get("server_id"),
        "server_name": api_object.get("server_name"),
        "keypair_name": api_object.get("keypair_name"),
        "error_code": api_object.get("task_error_code"),
        "error_msg": api_object.get("task_error_msg"),
    }


def operation_of(operate_type):
    """reset / replace / unbind from ``FAILED_RESET``, ``RUNNING_REPLACE``, ``UNBIND``..."""
    text = str(operate_type or "").lower()
    for operation in ("replace", "reset", "unbind"):
        if text.endswith(operation):
            return operation
    return text or None
