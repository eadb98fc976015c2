# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whitelist records (permissions) of an endpoint service: their formats, the listing (at most 500
a page), adding and removing them and a whitelist made what a task asks.

Records are added and removed with "Batch Adding or Deleting Whitelist Records"
(AddOrRemoveServicePermissions), the one whitelist write every regional API reference lists
(seed 003 lines 45, 98, 148, 193, 219). Only a record with a description needs "Batch Adding
Whitelist Records" (BatchAddEndpointServicePermissions), which some regions lack."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.reconcile import reconcile_set
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import (
    PERMISSION_PAGE_SIZE,
    SERVICE,
    path_for,
    where_served,
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
    """Add records: those without a description in AddOrRemoveServicePermissions calls, those
    with one in BatchAddEndpointServicePermissions calls (one per permission type and 50
    records)."""
    plain = [e["permission"] for e in entries if not e.get("description")]
    described = [e for e in entries if e.get("description")]
    add_or_remove(client, service_id, "add", [(p, permission_type(p)) for p in plain])
    if not described:
        return
    with where_served(client, "permissions: whitelist records cannot be added with a description there "
                              "(give %s without description)" % ", ".join(e["permission"] for e in described)):
        for kind, batch in _batches([(e, permission_type(e["permission"])) for e in described]):
            client.request("POST", PERMISSIONS + "/batch-create", operation="BatchAddEndpointServicePermissions",
                           body={"permission_type": kind, "permissions": [
                               {"permission": e["permission"], "description": e["description"]} for e in batch]},
                           **_path(service_id))


def remove_permissions(client, service_id, records):
    """Remove listed records (AddOrRemoveServicePermissions, by their permissions)."""
    add_or_remove(client, service_id, "remove",
                  [(r["permission"], r.get("permission_type") or permission_type(r["permission"])) for r in records])


def add_or_remove(client, service_id, action, permissions):
    """AddOrRemoveServicePermissions (``action`` add or remove) of ``permissions``, [(permission,
    permission type)]: one call per permission type and 50 records."""
    for kind, batch in _batches(permissions):
        client.request("POST", PERMISSIONS + "/action", operation="AddOrRemoveServicePermissions",
                       body={"action": action, "permission_type": kind, "permissions": batch}, **_path(service_id))


def _batches(items):
    """(permission type, up to BATCH_SIZE items) for [(item, permission type)], types in order."""
    kinds = sorted(set(kind for _item, kind in items))
    for kind in kinds:
        of_kind = [item for item, item_kind in items if item_kind == kind]
        for start in range(0, len(of_kind), BATCH_SIZE):
            yield kind, of_kind[start:start + BATCH_SIZE]


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
