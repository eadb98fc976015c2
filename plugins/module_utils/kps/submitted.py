# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What became of binding submissions whose answers were unclear (a server error, a dropped
connection, a lost answer): KPS has no call that finds a task by what it was asked, so the answer
is read from the running tasks, the server's keypair in ECS and the failed tasks. Only
ssh_keypair_binding submits, so only it carries this file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import tasks
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.servers import get_server, key_name


def find_submitted(client, ecs_client, targets, known_failed):
    """What became of submissions whose answers were unclear: ``targets`` maps each server ID to
    the keypair it was to get (None: unbound). Returns ``{server_id: (outcome, task)}`` for the
    servers where a submission acted: ``running`` (a running task for the server with that goal:
    this run's, or a parallel run's, which is as good), ``done`` (ECS shows the server with its
    target: the task ended well) or ``failed`` (a failed task for the server with that goal that
    is not in ``known_failed``, the IDs listed before this run submitted anything). A server left
    out saw nothing happen and may be submitted again.

    Read in the order a task moves (running, then the server, then failed), so a task that ends
    between two reads is still seen.
    """
    found = {}
    for task in tasks.running_tasks(client):
        server_id = task.get("server_id")
        if server_id in targets and server_id not in found and _aims_at(task, targets[server_id]):
            found[server_id] = ("running", task)
    for server_id, target in targets.items():
        if server_id not in found:
            server = get_server(ecs_client, server_id)
            if server is not None and key_name(server) == target:
                found[server_id] = ("done", None)
    if len(found) < len(targets):
        for task in tasks.failed_tasks(client):
            server_id = task.get("server_id")
            if (server_id in targets and server_id not in found and task.get("task_id") not in known_failed
                    and _aims_at(task, targets[server_id])):
                found[server_id] = ("failed", task)
    return found


def _aims_at(task, target):
    """True when a listed task would leave its server with ``target`` (None: unbound)."""
    unbind = tasks.operation_of(task.get("operate_type")) == "unbind"
    if target is None:
        return unbind
    return not unbind and task.get("keypair_name") == target
