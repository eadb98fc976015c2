"""bws (KSYUN shared bandwidth, API version 2016-03-04): all six actions.

Lines and EIPs come from the fixtures (`ksyun.bws.lines`, `ksyun.bws.eips`). Our choices where
the documentation is silent: an EIP joins at most one share and only a share on its own line
(EipAlreadyAssociated 409, InvalidParameterValue AllocationId); a share that still holds EIPs
cannot be deleted (BandWidthShareInUse 409); disassociating sets the EIP's own bandwidth to the
`BandWidth` sent; ModifyBandWidthShare answers `{"RequestId", "BandWidthShare": {...}}`;
DescribeBandWidthShares has no pagination (none is documented) and, like the real service,
shows only the default project ("0") unless `ProjectId.N` is given.
"""
from .actions import action
from .errors import KsyunError, conflict, invalid_parameter, not_found
from .util import fmt_time, new_id

SHARE = "bws.share"
LINE = "bws.line"
EIP = "bws.eip"
CHARGE_TYPES = ("Peak", "Daily", "TrafficMonthly", "PostPaidByPeak", "PostPaidByDay",
                "PostPaidByTransfer", "DailyPaidByTransfer")
MIN_BANDWIDTH, MAX_BANDWIDTH = 1, 15000


def view(doc, with_tags=False):
    result = {
        "CreateTime": doc["CreateTime"],
        "ProjectId": doc["ProjectId"],
        "BandWidthShareName": doc["BandWidthShareName"],
        "BandWidthShareId": doc["BandWidthShareId"],
        "LineId": doc["LineId"],
        "BandWidth": doc["BandWidth"],
        "ChargeType": doc["ChargeType"],
        "AssociateBandWidthShareInfoSet": [{"AllocationId": eip} for eip in doc["_eips"]],
    }
    if with_tags:
        result["TagSet"] = []
    return result


def _bandwidth(params):
    return params.integer("BandWidth", required=True, minimum=MIN_BANDWIDTH,
                          maximum=MAX_BANDWIDTH)


def _get_share(call):
    share_id = call.params.string("BandWidthShareId", required=True)
    doc = call.store.get(SHARE, share_id)
    if doc is None or doc["_region"] != call.region:
        raise not_found("BandWidthShareNotFound",
                        "The shared bandwidth %s does not exist." % share_id)
    return doc


def _get_eip(call):
    eip_id = call.params.string("AllocationId", required=True)
    doc = call.store.get(EIP, eip_id)
    if doc is None or doc.get("region") != call.region:
        raise not_found("EipNotFound", "The EIP %s does not exist." % eip_id)
    return doc


@action("bws", "CreateBandWidthShare")
def create_band_width_share(call):
    params = call.params
    line_id = params.string("LineId", required=True)
    line = call.store.get(LINE, line_id)
    if line is None or line.get("region") != call.region:
        raise not_found("LineNotFound", "The line %s does not exist." % line_id)
    doc = {
        "BandWidthShareId": new_id(),
        "BandWidthShareName": params.string("BandWidthShareName", default="Ksc_BandWidthShare",
                                            max_len=64),
        "CreateTime": fmt_time(call.now),
        "BandWidth": _bandwidth(params),
        "LineId": line_id,
        "ChargeType": params.string("ChargeType", required=True, choices=CHARGE_TYPES),
        "ProjectId": params.string("ProjectId", default="0", max_len=64),
        "_region": call.region,
        "_eips": [],
    }
    call.store.insert(SHARE, doc["BandWidthShareId"], doc)
    return {"BandWidthShareId": doc["BandWidthShareId"],
            "BandWidthShareName": doc["BandWidthShareName"], "CreateTime": doc["CreateTime"],
            "BandWidth": doc["BandWidth"], "LineId": doc["LineId"]}


@action("bws", "DeleteBandWidthShare")
def delete_band_width_share(call):
    doc = _get_share(call)
    if doc["_eips"]:
        raise conflict("BandWidthShareInUse", "The shared bandwidth %s still holds %d EIPs; "
                       "disassociate them first." % (doc["BandWidthShareId"], len(doc["_eips"])))
    call.store.delete(SHARE, doc["BandWidthShareId"])
    return {"Return": True}


@action("bws", "AssociateBandWidthShare")
def associate_band_width_share(call):
    share = _get_share(call)
    eip = _get_eip(call)
    if eip.get("BandWidthShareId"):
        raise conflict("EipAlreadyAssociated", "The EIP %s already belongs to the shared "
                       "bandwidth %s." % (eip["AllocationId"], eip["BandWidthShareId"]))
    if eip.get("LineId") != share["LineId"]:
        raise invalid_parameter("AllocationId")
    eip["BandWidthShareId"] = share["BandWidthShareId"]
    share["_eips"].append(eip["AllocationId"])
    call.store.update(EIP, eip["AllocationId"], eip)
    call.store.update(SHARE, share["BandWidthShareId"], share)
    return {"Return": True}


@action("bws", "DisassociateBandWidthShare")
def disassociate_band_width_share(call):
    share = _get_share(call)
    eip = _get_eip(call)
    bandwidth = _bandwidth(call.params)
    if eip["AllocationId"] not in share["_eips"]:
        raise KsyunError(400, "EipNotAssociated", "The EIP %s does not belong to the shared "
                         "bandwidth %s." % (eip["AllocationId"], share["BandWidthShareId"]))
    share["_eips"].remove(eip["AllocationId"])
    eip["BandWidthShareId"] = None
    eip["BandWidth"] = bandwidth
    call.store.update(EIP, eip["AllocationId"], eip)
    call.store.update(SHARE, share["BandWidthShareId"], share)
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
    found = []
    for doc in call.store.list(SHARE):
        if doc["_region"] != call.region or doc["ProjectId"] not in projects:
            continue
        if ids and doc["BandWidthShareId"] not in ids:
            continue
        if eips and not eips.intersection(doc["_eips"]):
            continue
        found.append(view(doc, with_tags))
    return {"BandWidthShareSet": found}


@action("bws", "ModifyBandWidthShare")
def modify_band_width_share(call):
    doc = _get_share(call)
    doc["BandWidth"] = _bandwidth(call.params)
    call.store.update(SHARE, doc["BandWidthShareId"], doc)
    return {"BandWidthShare": view(doc)}
