"""bws (KSYUN shared bandwidth, API version 2016-03-04): the shares themselves (create, delete,
describe, modify); members.py has the EIPs joining and leaving them.

Lines and EIPs come from the fixtures (`ksyun.bws.lines`, `ksyun.bws.eips`). Our choices where
the documentation is silent: an EIP joins at most one share and only a share on its own line
(EipAlreadyAssociated 409, InvalidParameterValue AllocationId); a share that still holds EIPs
cannot be deleted (BandWidthShareInUse 409); disassociating sets the EIP's own bandwidth to the
`BandWidth` sent; ModifyBandWidthShare answers `{"RequestId", "BandWidthShare": {...}}`;
DescribeBandWidthShares has no pagination (none is documented) and, like the real service,
shows only the default project ("0") unless `ProjectId.N` is given.
The readings are in common.py.
"""
from ..actions import action
from ..errors import conflict, invalid_parameter
from ..util import fmt_time, new_id
from ...readings import reading
from .common import CHARGE_TYPES, EIP, LINE, SHARE, bandwidth_param, declined, get_share, refuse, unknown, view
from .members import leave


@action("bws", "CreateBandWidthShare")
def create_band_width_share(call):
    params = call.params
    line_id = params.string("LineId", required=True)
    line = call.store.get(LINE, line_id)
    if line is None or line.get("region") != call.region:
        raise unknown(call, "LineId", "LineNotFound", "The line %s does not exist." % line_id)
    doc = {
        "BandWidthShareId": new_id(),
        "BandWidthShareName": params.string("BandWidthShareName", default="Ksc_BandWidthShare",
                                            max_len=64),
        "CreateTime": fmt_time(call.now),
        "BandWidth": bandwidth_param(params),
        "LineId": line_id,
        "ChargeType": params.string("ChargeType", required=True, choices=CHARGE_TYPES),
        "ProjectId": params.string("ProjectId", default="0", max_len=64),
        "_region": call.region,
        "_eips": [],
    }
    call.store.insert(SHARE, doc["BandWidthShareId"], doc)
    if reading(call.emu, "bws", "create_answer") == "wrapped":
        return {"BandWidthShare": view(call, doc)}
    return {"BandWidthShareId": doc["BandWidthShareId"],
            "BandWidthShareName": doc["BandWidthShareName"], "CreateTime": doc["CreateTime"],
            "BandWidth": doc["BandWidth"], "LineId": doc["LineId"]}


@action("bws", "DeleteBandWidthShare")
def delete_band_width_share(call):
    doc = get_share(call)
    if declined(call):
        return {"Return": False}
    in_use = reading(call.emu, "bws", "delete_in_use")
    if doc["_eips"] and in_use == "release":
        for eip_id in list(doc["_eips"]):
            leave(call, doc, call.store.get(EIP, eip_id))
    if doc["_eips"] and in_use == "invalid_parameter":
        return refuse(call, invalid_parameter("BandWidthShareId"))
    if doc["_eips"]:
        return refuse(call, conflict("BandWidthShareInUse", "The shared bandwidth %s still holds %d EIPs; "
                                     "disassociate them first." % (doc["BandWidthShareId"], len(doc["_eips"]))))
    call.store.delete(SHARE, doc["BandWidthShareId"])
    return {"Return": True}


@action("bws", "DescribeBandWidthShares")
def describe_band_width_shares(call):
    params = call.params
    ids = params.string_list("BandWidthShareId")
    projects = params.string_list("ProjectId") or ["0"]
    filters = params.filters()
    unknown = set(filters) - {"allocation-id"}
    if unknown:
        raise invalid_parameter("Filter")
    eips = set(filters.get("allocation-id", []))
    with_tags = params.boolean("IsContainTag", default=False)
    if ids and reading(call.emu, "bws", "unknown_id") == "invalid_parameter":
        for share_id in ids:
            doc = call.store.get(SHARE, share_id)
            if doc is None or doc["_region"] != call.region:
                raise invalid_parameter("BandWidthShareId")
    found = []
    for doc in call.store.list(SHARE):
        if doc["_region"] != call.region or doc["ProjectId"] not in projects:
            continue
        if ids and doc["BandWidthShareId"] not in ids:
            continue
        if eips and not eips.intersection(doc["_eips"]):
            continue
        found.append(view(call, doc, with_tags))
    if not found:
        empty = reading(call.emu, "bws", "empty_listing")
        if empty == "omitted":
            return {}
        if empty == "null":
            return {"BandWidthShareSet": None}
    return {"BandWidthShareSet": found}


@action("bws", "ModifyBandWidthShare")
def modify_band_width_share(call):
    doc = get_share(call)
    doc["BandWidth"] = bandwidth_param(call.params)
    call.store.update(SHARE, doc["BandWidthShareId"], doc)
    answer = reading(call.emu, "bws", "modify_answer")
    if answer == "item_list":
        return {"BandWidthShare": [view(call, doc)]}
    if answer == "return":
        return {"Return": True}
    return {"BandWidthShare": view(call, doc)}
