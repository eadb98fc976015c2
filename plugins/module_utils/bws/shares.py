# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared bandwidth pools (BandWidthShare): the listing, the create, modify and delete calls, the
result shape bandwidth_share and bandwidth_share_info return, charge type names and the "missing"
declarations. A pool together with its EIPs (create and join, rollback) is ``pools.py``.

Answers arrive as JSON or as XML (the seed's samples are XML); from XML every number is a string,
so numbers are converted here, and an empty or absent ``BandWidthShareSet`` is an empty listing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, Missing, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import printable_name, uuid_rule

BANDWIDTH_MIN, BANDWIDTH_MAX = 1, 15000
CHARGE_TYPES = ("Peak", "Daily", "TrafficMonthly")
# What a user may ask for: the seed's names and the legacy spellings of the same three.
CHARGE_TYPE_CHOICES = CHARGE_TYPES + ("PostPaidByPeak", "PostPaidByDay", "PostPaidByTransfer")
# Older names of the same charge types (tf-ksyun's rename table); the service may report either.
LEGACY_CHARGE_TYPES = {
    "PostPaidByPeak": "Peak",
    "PostPaidByDay": "Daily",
    "PostPaidByTransfer": "TrafficMonthly",
    "PrePaidByMonth": "Monthly",
}

# Seed 002 lists only generic error codes (InvalidParameterValue, L506-513). A pool deleted
# meanwhile answers BandWidthShareNotFound under one reading; InvalidParameterValue is also what a
# delete refused for any other reason may answer, so it means "gone" only when a re-read agrees.
# IDs are UUIDs (seed 002); the name rule is not documented (the emulator takes up to 64 characters).
SHARE_NAME = printable_name("shared bandwidth", 64)
SHARE_ID = uuid_rule("shared bandwidth")
LINE_ID = uuid_rule("line")
EIP_ID = uuid_rule("EIP allocation")

SHARE_GONE = Missing("BandWidthShareNotFound")
SHARE_ID_REFUSED = Missing("InvalidParameterValue")


def charge_type_name(value):
    """The current name of a charge type (legacy spellings map to their new names)."""
    return LEGACY_CHARGE_TYPES.get(value, value)


def describe_shares(client, project_ids=None, eip_ids=None):
    """DescribeBandWidthShares: the pools of ``project_ids`` (default: the default project only),
    only those holding one of ``eip_ids`` if given. There is no pagination."""
    params = {}
    if project_ids:
        params["ProjectId"] = list(project_ids)
    if eip_ids:
        params["Filter"] = [{"Name": "allocation-id", "Value": list(eip_ids)}]
    answer = client.call("DescribeBandWidthShares", params)
    return _as_list(answer.get("BandWidthShareSet"))


def find_share(shares, share_id=None, name=None):
    """The pool of ``shares`` (a listing) with id ``share_id``, else the one named ``name``, or
    None; a ModuleFailure when several pools carry the name (names are not unique), or when the
    listing shows pools without their names (seed 002's sample): then no pool can be found by name,
    and taking it for absent would create another billed pool on every run."""
    if share_id:
        return next((s for s in shares if s.get("BandWidthShareId") == share_id), None)
    unnamed = [s.get("BandWidthShareId") for s in shares if not s.get("BandWidthShareName")]
    if unnamed:
        raise ModuleFailure("name: the service lists shared bandwidths without their names (%s), so whether %r "
                            "exists cannot be told, and creating it again would add a billed pool; set id to "
                            "the pool's ID instead of name" % (", ".join(map(str, unnamed)), name))
    found = [s for s in shares if s.get("BandWidthShareName") == name]
    if len(found) > 1:
        raise ModuleFailure("name: %d shared bandwidths are named %r (%s); use id"
                            % (len(found), name, ", ".join(s["BandWidthShareId"] for s in found)))
    return found[0] if found else None


def read_share(client, share_id, project_ids=None):
    """The pool ``share_id`` as DescribeBandWidthShares lists it in ``project_ids``, or None."""
    return find_share(describe_shares(client, project_ids), share_id)


def answered_false(answer):
    """Whether a join, leave or delete answered ``Return: false`` (seed 002: "whether the
    operation succeeded"; ``"false"`` from XML): it may not have acted, so the caller re-reads."""
    value = (answer or {}).get("Return")
    return value is False or str(value).lower() == "false"


def create_share(client, name, line_id, bandwidth, charge_type, project_id=None):
    """CreateBandWidthShare: the new pool's id (``created_share_id`` of the answer, None when the
    answer names none). The answer lacks the project and the EIPs: read the pool back for them."""
    answer = client.call("CreateBandWidthShare", {
        "LineId": line_id,
        "BandWidthShareName": name,
        "BandWidth": bandwidth,
        "ChargeType": charge_type,
        "ProjectId": project_id,
    })
    return created_share_id(answer)


def modify_share_bandwidth(client, share_id, bandwidth):
    """ModifyBandWidthShare: the pool's bandwidth (Mbps) set to ``bandwidth``. Returns the answer,
    whose shape is not settled (docs/dev/emulator.md, BWS readings): callers predict the result."""
    return client.call("ModifyBandWidthShare", {"BandWidthShareId": share_id, "BandWidth": bandwidth})


def delete_share(client, share_id):
    """DeleteBandWidthShare (the pool must hold no EIP): the answer (``{}`` or a request id)."""
    return client.call("DeleteBandWidthShare", {"BandWidthShareId": share_id})


def delete_share_settled(client, share_id, project_ids=None):
    """``delete_share``, settled: BandWidthShareNotFound is gone already (None); an
    InvalidParameterValue refusal or a ``Return: false`` answer is read back, and a ModuleFailure
    when the pool is still listed. Returns the answer, or None when the pool was gone."""
    try:
        answer = delete_share(client, share_id)
    except CloudError as exc:
        if SHARE_GONE.matches(exc):
            return None
        if not SHARE_ID_REFUSED.matches(exc):
            raise
        if read_share(client, share_id, project_ids) is not None:
            raise ModuleFailure("DeleteBandWidthShare refused shared bandwidth %s (%s: %s) and it still exists"
                                % (share_id, exc.code, exc.message), error=exc.to_dict())
        return None
    if answered_false(answer) and read_share(client, share_id, project_ids) is not None:
        raise ModuleFailure("DeleteBandWidthShare answered Return: false and shared bandwidth %s still exists: "
                            "it was not deleted" % share_id)
    return answer


def created_share_id(answer):
    """The id in a CreateBandWidthShare answer: flat under the root (the sample, tf-ksyun) or in
    a ``BandWidthShare`` element (the seed's text)."""
    if answer.get("BandWidthShareId"):
        return answer["BandWidthShareId"]
    wrapped = _as_list(answer.get("BandWidthShare"))
    return wrapped[0].get("BandWidthShareId") if wrapped else None


def share_eips(api_object):
    """The allocation ids of the EIPs in a pool, in the service's order."""
    return [member.get("AllocationId") for member in _as_list(api_object.get("AssociateBandWidthShareInfoSet"))
            if isinstance(member, dict) and member.get("AllocationId")]


def share_result(api_object):
    """A BandWidthShare as the modules return it."""
    charge_type = api_object.get("ChargeType")
    project_id = api_object.get("ProjectId")
    return {
        "id": api_object.get("BandWidthShareId"),
        "name": api_object.get("BandWidthShareName"),
        "bandwidth": _as_int(api_object.get("BandWidth")),
        "line_id": api_object.get("LineId"),
        "charge_type": charge_type_name(charge_type) if charge_type else None,
        "project_id": str(project_id) if project_id not in (None, "") else None,
        "create_time": api_object.get("CreateTime"),
        "eips": share_eips(api_object),
    }


def _as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return [value]
    return list(value)


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
