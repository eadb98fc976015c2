# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A shared bandwidth pool together with its EIPs: created with its members (and deleted again
when one of them cannot join), its members changed, emptied and deleted; and the check that EIPs
to add are in no other pool.

An EIP leaves a pool only with a bandwidth of its own again (``eip_bandwidth``), so a pool that
holds EIPs can be emptied - and a failed create rolled back - only when that is given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.bws import members
from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.shares import (
    create_share,
    delete_share_settled,
    share_eips,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.reconcile import reconcile_set


def create_pool(client, name, line_id, bandwidth, charge_type, project_id, eip_ids, eip_bandwidth):
    """CreateBandWidthShare, then AssociateBandWidthShare for each of ``eip_ids`` in order; returns
    the new pool's id. When an EIP cannot join, the pool is emptied and deleted again where that is
    safe, and a ModuleFailure says what is left (``created_id`` set when the pool remains)."""
    project_ids = [project_id] if project_id else None
    share_id = create_share(client, name, line_id, bandwidth, charge_type, project_id)
    joined = []
    try:
        members.join(client, share_id, eip_ids, joined, project_ids)
    except (CloudError, ModuleFailure) as exc:
        raise undo_create(client, share_id, joined, exc, eip_bandwidth, project_ids)
    return share_id


def undo_create(client, share_id, joined, exc, eip_bandwidth, project_ids=None):
    """Delete the pool this run created when an EIP could not join it (``exc``); returns the
    failure to raise. Whatever happens it is a ModuleFailure, so the engine never takes the pool
    for created:

    * the join may have acted (no answer, 5xx): the pool is kept, the user runs the task again;
    * EIPs joined and no ``eip_bandwidth`` to give them back: the pool is kept;
    * emptying or deleting it failed: the pool is kept, with that error;
    * else the pool is emptied and deleted: nothing was changed."""
    reason = exc.msg if isinstance(exc, ModuleFailure) else str(exc)
    left = "shared bandwidth %s was created and holds EIPs %s" % (share_id, ", ".join(joined) or "none")
    if isinstance(exc, CloudError) and exc.ambiguous:
        return ModuleFailure("%s; %s, and maybe the one that failed: run the task again"
                             % (reason, left), created_id=share_id)
    if joined and eip_bandwidth is None:
        return ModuleFailure("%s; %s: set eip_bandwidth to let the module delete it again, or fix eips "
                             "and run the task again" % (reason, left), created_id=share_id)
    try:
        members.leave(client, share_id, joined, eip_bandwidth, project_ids)
        delete_share_settled(client, share_id, project_ids)
    except (CloudError, ModuleFailure) as undo_exc:
        return ModuleFailure("%s; %s, and deleting it again failed: %s"
                             % (reason, left, getattr(undo_exc, "msg", undo_exc)), created_id=share_id)
    return ModuleFailure("%s; nothing was changed (the new shared bandwidth %s was deleted again)"
                         % (reason, share_id))


def change_members(client, share_id, have, wanted, purge, eip_bandwidth, project_ids=None):
    """Join the EIPs of ``wanted`` the pool lacks, then (with ``purge``) take out those it holds
    beyond them, each leaving with ``eip_bandwidth``. ``have``: the pool's EIPs now."""
    to_add, to_remove = reconcile_set(have, wanted, purge)
    members.join(client, share_id, to_add, project_ids=project_ids)
    members.leave(client, share_id, to_remove, eip_bandwidth, project_ids)


def delete_pool(client, share_id, eip_ids, eip_bandwidth, project_ids=None):
    """Take the pool's EIPs (``eip_ids``) out, each with ``eip_bandwidth``, then delete it; a pool
    gone meanwhile counts as deleted (``delete_share_settled``). Returns the delete's answer, or
    None when it was gone."""
    members.leave(client, share_id, eip_ids, eip_bandwidth, project_ids)
    return delete_share_settled(client, share_id, project_ids)


# What a pool needs to be created (bandwidth_share's options).
CREATE_NEEDS = ("line_id", "charge_type", "bandwidth")


def check_creatable(params):
    """A ModuleFailure unless bandwidth_share's options (``params``) can create the pool they
    name: by name (not id), with every option of ``CREATE_NEEDS``."""
    where = "project %s" % params["project_id"] if params["project_id"] else "the default project"
    if params["id"]:
        raise ModuleFailure("id: no shared bandwidth %s in %s; a pool is created by name only"
                            % (params["id"], where))
    missing = [option for option in CREATE_NEEDS if params[option] is None]
    if missing:
        raise ModuleFailure("%s required to create shared bandwidth %r (none found in %s)"
                            % (" and ".join(missing) + (" are" if len(missing) > 1 else " is"),
                               params["name"], where))


def check_eip_bandwidth(leaving, eip_bandwidth):
    """A ModuleFailure when EIPs are to leave a pool (``leaving``) without ``eip_bandwidth``."""
    if leaving and eip_bandwidth is None:
        raise ModuleFailure("eip_bandwidth is required to take EIPs %s out of the shared bandwidth: "
                            "each EIP that leaves gets it as its own bandwidth again" % ", ".join(leaving))


def check_not_pooled_elsewhere(client, eip_ids, current, name, project_ids=None, listing=None):
    """A ModuleFailure naming each EIP of ``eip_ids`` that is in a pool other than ``current``
    (the pool's API object, or None for the pool ``name`` to be created); ``listing``: every pool
    of ``project_ids``, when already read (then no call is made)."""
    share_id, this = None, "%r (to be created)" % name
    if current is not None:
        share_id = current["BandWidthShareId"]
        this = "%s (%s)" % (share_id, current.get("BandWidthShareName"))
    elsewhere = members.pooled_elsewhere(client, eip_ids, share_id, project_ids, listing)
    if elsewhere:
        raise ModuleFailure("eips: cannot add to shared bandwidth %s: %s; take them out of it first" % (
            this, "; ".join("EIP %s is in shared bandwidth %s (%s)" % (
                eip, other["BandWidthShareId"], other.get("BandWidthShareName"))
                for eip, other in elsewhere.items())))


def check_present(client, current, params, listing=None):
    """Before state=present, a ModuleFailure unless bandwidth_share's options (``params``) can be
    met: the pool created when ``current`` is None (``check_creatable``), each EIP to leave given
    ``eip_bandwidth``, each EIP to join in no other pool. ``listing``: every pool of the projects,
    when already read (then no call is made)."""
    if current is None:
        check_creatable(params)
    have = share_eips(current) if current is not None else []
    to_add, to_remove = reconcile_set(have, params["eips"], params["purge_eips"])
    check_eip_bandwidth(to_remove, params["eip_bandwidth"])
    project_ids = [params["project_id"]] if params["project_id"] else None
    check_not_pooled_elsewhere(client, to_add, current, params["name"], project_ids, listing)


def members_after(have, wanted, purge):
    """The EIPs a pool holding ``have`` holds once ``change_members`` made it ``wanted``."""
    to_add, to_remove = reconcile_set(have, wanted, purge)
    return [eip for eip in have if eip not in to_remove] + to_add
