# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whitelist records (permissions) of an endpoint service: their formats, the listing (at most 500
a page), the batch add/remove calls (at most 50 records each) and a whitelist made what a task
asks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.reconcile import reconcile_set
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import (
    PERMISSION_PAGE_SIZE,
    SERVICE,
    path_for,
)

PERMISSIONS = SERVICE + "/permissions"
BATCH_SIZE = 50
DOMAIN_PREFIX = "iam:domain::"
ORG_PREFIX = "organizations:orgPath::"
_FORMATS = (
    (re.compile(r"iam:domain::([A-Za-z0-9]{1,64}|\*)"), "domainId"),
    (re.compile(r"organizations:orgPath::([A-Za-z0-9/*?-]{1,1024}|\*)"), "orgPath"),
    (re.compile(r"\*"), "domainId"),
)
FORMAT_RULE = ("'iam:domain::<account id>' (1 to 64 letters or digits, or '*'), "
               "'organizations:orgPath::<organization path>' (letters, digits and '/ - * ?', or '*'), or '*'")

PERMISSION_OPTIONS = dict(
    permission=dict(type="str", required=True),
    description=dict(type="str", default=""),
)


def permission_type(value):
    """``domainId`` or ``orgPath`` for a valid record, else None."""
    for pattern, kind in _FORMATS:
        if pattern.fullmatch(value):
            return kind
    return None


def check_permissions(option, entries):
    if entries is None:
        return
    for entry in entries:
        if permission_type(entry["permission"]) is None:
            raise ModuleFailure("%s: %r is not a valid whitelist record: use %s"
                                % (option, entry["permission"], FORMAT_RULE))
        description = entry.get("description") or ""
        if "<" in description or ">" in description:
            raise ModuleFailure("%s: the description of %r must not contain '<' or '>'"
                                % (option, entry["permission"]))


def list_permissions(client, service_id):
    """Every whitelist record of the service: [{id, permission, permission_type, created_at}]."""
    return client.paginate_offset(path_for(PERMISSIONS, service_id=service_id), "permissions",
                                  limit=PERMISSION_PAGE_SIZE, operation="ListServicePermissionsDetails")


def add_permissions(client, service_id, entries):
    """Add records with their descriptions, one batch per permission type and 50 records."""
    for kind in ("domainId", "orgPath"):
        batch = [{"permission": e["permission"], "description": e.get("description") or ""}
                 for e in entries if permission_type(e["permission"]) == kind]
        for start in range(0, len(batch), BATCH_SIZE):
            client.request("POST", PERMISSIONS + "/batch-create", operation="BatchAddEndpointServicePermissions",
                           body={"permissions": batch[start:start + BATCH_SIZE], "permission_type": kind},
                           **_path(service_id))


def remove_permissions(client, service_id, records):
    """Remove listed records (by their ids), 50 a call."""
    for start in range(0, len(records), BATCH_SIZE):
        client.request("POST", PERMISSIONS + "/batch-delete", operation="BatchRemoveEndpointServicePermissions",
                       body={"permissions": [{"id": r["id"]} for r in records[start:start + BATCH_SIZE]]},
                       **_path(service_id))


def _plan(records, entries, purge):
    return reconcile_set(records or [], entries, purge, key=lambda r: r["permission"])


def permissions_after(records, entries, purge):
    """The sorted permissions (strings) of a whitelist listing ``records`` once
    ``reconcile_permissions`` made it ``entries`` ({permission, description}; ``purge``: drop
    records not among them)."""
    to_add, to_remove = _plan(records, entries, purge)
    kept = [r["permission"] for r in records or [] if r not in to_remove]
    return sorted(set(kept + [e["permission"] for e in to_add]))


def reconcile_permissions(client, service_id, records, entries, purge):
    """Remove the listed ``records`` not among ``entries`` (with ``purge``), then add the entries
    not listed: the calls of ``remove_permissions`` and ``add_permissions``."""
    to_add, to_remove = _plan(records, entries, purge)
    if to_remove:
        remove_permissions(client, service_id, to_remove)
    if to_add:
        add_permissions(client, service_id, to_add)


def _path(service_id):
    return dict(path_params=dict(service_id=service_id))
