# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ECS server a keypair is bound to: KPS has no call that says which keypair a server has,
so ssh_keypair_binding reads it from ECS ShowServer (``key_name``) on the ECS host, and
ssh_keypair finds the servers of a keypair it would rotate through ECS ListServersDetails."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import keypairs
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import uuid_rule

SERVER_ID = uuid_rule("ECS server")
PASSWORD_MAX = 255
SERVER_PATH = "/v1/{project_id}/cloudservers/{server_id}"
SERVERS_PATH = "/v1/{project_id}/cloudservers/detail"
SERVER_MISSING = Missing("Ecs.0114", statuses=(404,))
# ListServersDetails: ``offset`` is the page number (from 1), ``limit`` at most 1000.
SERVERS_PAGE_SIZE = 1000


def get_server(ecs_client, server_id):
    """ECS ``ServerDetail`` of ``server_id`` or None when there is no such server."""
    answer = SERVER_MISSING.absent_if(ecs_client.request, "GET", SERVER_PATH, path_params={"server_id": server_id},
                                      operation="ShowServer")
    return (answer or {}).get("server") if answer is not None else None


def servers_with_keypair(ecs_client, name):
    """Every ECS ``ServerDetail`` of the project that has keypair ``name``, page by page until a
    page adds no server not seen before (whatever the server does with the paging)."""
    found, seen, page = [], set(), 1
    while True:
        answer = ecs_client.request("GET", SERVERS_PATH, query={"offset": page, "limit": SERVERS_PAGE_SIZE},
                                    operation="ListServersDetails") or {}
        fresh = [s for s in answer.get("servers") or [] if s.get("id") not in seen]
        if not fresh:
            return found
        seen.update(s.get("id") for s in fresh)
        found.extend(s for s in fresh if key_name(s) == name)
        if len(seen) >= (keypairs.as_int(answer.get("count")) or float("inf")):
            return found
        page += 1


def key_name(server):
    """The keypair a ``ServerDetail`` shows (None: none)."""
    return (server or {}).get("key_name") or None


def check_login_password(option, value):
    """A password to log in with (None passes): 1 to PASSWORD_MAX characters, no control characters.
    The message never shows the value."""
    if value is not None and not (0 < len(value) <= PASSWORD_MAX and
                                  not any(ord(ch) < 32 or ord(ch) == 127 for ch in value)):
        raise ModuleFailure("%s: must be 1 to %d characters without control characters (a line break "
                            "included); the value given is not shown" % (option, PASSWORD_MAX))
