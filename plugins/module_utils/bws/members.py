# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EIPs in a shared bandwidth pool: joining and leaving, and which pool an EIP is in already.

The BWS API has no call that reads an EIP, so an EIP that does not exist is only found out when it
is asked to join; "already in a pool" is found out beforehand with the ``allocation-id`` filter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.shares import (
    answered_false,
    describe_shares,
    share_eips,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import (
    Missing,
    ModuleFailure,
    resend_if_ambiguous,
)

# Seed 002 names no error codes: an unknown EIP (or one on another line) is EipNotFound or
# InvalidParameterValue (AllocationId), depending on the reading.
EIP_REFUSED = Missing("EipNotFound", "InvalidParameterValue")


def _attempts(client):
    return 1 + max(0, int(getattr(getattr(client, "transport", None), "retries", 0) or 0))


def _in_pool(client, share_id, eip_id, project_ids):
    """Whether the EIP is in the pool now (one read), to settle a write that may have acted."""
    return any(share.get("BandWidthShareId") == share_id and eip_id in share_eips(share)
               for share in describe_shares(client, project_ids, eip_ids=[eip_id]))


def _confirmed(answer, operation, eip_id, share_id, done):
    """A ``Return: false`` answer to ``operation`` is read back (``done()``); a ModuleFailure
    naming the operation when the re-read shows it did not happen."""
    if answered_false(answer) and not done():
        raise ModuleFailure("%s answered Return: false for EIP %s and shared bandwidth %s, and a re-read shows it "
                            "did not happen" % (operation, eip_id, share_id))


def join(client, share_id, eip_ids, joined=None, project_ids=None):
    """AssociateBandWidthShare for each EIP in order; ``joined`` collects those that joined. A
    join that may or may not have acted (no answer, 5xx, ``Return: false``) is read back, and sent
    again if needed after an unclear answer."""
    for eip_id in eip_ids:
        def in_pool(eip_id=eip_id):
            return _in_pool(client, share_id, eip_id, project_ids)
        answer = EIP_REFUSED.translate(
            lambda eip_id=eip_id: ModuleFailure(
                "eips: EIP %s does not exist in this region, or cannot join shared bandwidth %s "
                "(an EIP joins only a pool on its own line)" % (eip_id, share_id)),
            resend_if_ambiguous,
            lambda eip_id=eip_id: client.call("AssociateBandWidthShare",
                                              {"BandWidthShareId": share_id, "AllocationId": eip_id}),
            _attempts(client), in_pool)
        _confirmed(answer, "AssociateBandWidthShare", eip_id, share_id, in_pool)
        if joined is not None:
            joined.append(eip_id)


def leave(client, share_id, eip_ids, bandwidth, project_ids=None):
    """DisassociateBandWidthShare for each EIP; each gets ``bandwidth`` (Mbps) as its own again.
    A leave that may or may not have acted (no answer, 5xx, ``Return: false``) is read back, and
    sent again if needed after an unclear answer."""
    for eip_id in eip_ids:
        def left(eip_id=eip_id):
            return not _in_pool(client, share_id, eip_id, project_ids)
        answer = resend_if_ambiguous(
            lambda eip_id=eip_id: client.call("DisassociateBandWidthShare", {
                "BandWidthShareId": share_id, "AllocationId": eip_id, "BandWidth": bandwidth}),
            _attempts(client), left)
        _confirmed(answer, "DisassociateBandWidthShare", eip_id, share_id, left)


def pooled_elsewhere(client, eip_ids, share_id, project_ids=None, listing=None):
    """{EIP id: the other pool (API object)} for the EIPs of ``eip_ids`` that are in a pool other
    than ``share_id``, in ``project_ids`` (default: the default project). One read, or none when
    ``listing`` already holds every pool of those projects (the listing is not paginated)."""
    if not eip_ids:
        return {}
    wanted = set(eip_ids)
    found = {}
    shares = listing if listing is not None else describe_shares(client, project_ids, eip_ids=eip_ids)
    for share in shares:
        if share.get("BandWidthShareId") == share_id:
            continue
        for eip_id in share_eips(share):
            if eip_id in wanted:
                found.setdefault(eip_id, share)
    return found
