"""bws (KSYUN shared bandwidth, API version 2016-03-04): all six actions.

Lines and EIPs come from the fixtures (`ksyun.bws.lines`, `ksyun.bws.eips`). Our choices where
the documentation is silent: an EIP joins at most one share and only a share on its own line
(EipAlreadyAssociated 409, InvalidParameterValue AllocationId); a share that still holds EIPs
cannot be deleted (BandWidthShareInUse 409); disassociating sets the EIP's own bandwidth to the
`BandWidth` sent; ModifyBandWidthShare answers `{"RequestId", "BandWidthShare": {...}}`;
DescribeBandWidthShares has no pagination (none is documented) and, like the real service,
shows only the default project ("0") unless `ProjectId.N` is given.

Where seed 002 is silent, `settings.readings.bws.<point>` picks another plausible reading (absent:
the first one listed; docs/emulator.md tables them):
  unknown_id     not_found: 404 BandWidthShareNotFound / EipNotFound / LineNotFound, and an
                 unknown BandWidthShareId.N is left out of a listing;
                 invalid_parameter: 400 InvalidParameterValue naming the parameter, listings too
  eip_pooled     conflict: 409 EipAlreadyAssociated; invalid_parameter: 400 InvalidParameterValue
                 AllocationId; move: the EIP leaves its share and joins the new one
  delete_in_use  refuse: 409 BandWidthShareInUse; release: deleted, its EIPs leave it
  modify_answer  object: {"BandWidthShare": {...}}; item_list: {"BandWidthShare": [{...}]} (the
                 seed sample, literally); return: {"Return": true}
  empty_listing  empty_list: "BandWidthShareSet": []; omitted: no BandWidthShareSet;
                 null: "BandWidthShareSet": null
  create_answer  flat: the fields under the root (sample, tf-ksyun); wrapped: {"BandWidthShare":
                 {...every field}} (the seed's text)
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

READINGS = {
    "unknown_id": ("not_found", "invalid_parameter"),
    "eip_pooled": ("conflict", "invalid_parameter", "move"),
    "delete_in_use": ("refuse", "release"),
    "modify_answer": ("object", "item_list", "return"),
    "empty_listing": ("empty_list", "omitted", "null"),
    "create_answer": ("flat", "wrapped"),
}


def reading(call, point):
    """The reading chosen for `point` (settings readings.bws.<point>), the first one by default."""
    choices = READINGS[point]
    value = ((call.emu.settings.get("readings") or {}).get("bws") or {}).get(point, choices[0])
    if value not in choices:
        raise KsyunError(500, "EmulatorSettingInvalid", "readings.bws.%s is %r; it must be one of "
                         "%s." % (point, value, ", ".join(choices)))
    return value


def _unknown(call, param, code, message):
    if reading(call, "unknown_id") == "invalid_parameter":
        return invalid_parameter(param)
    return not_found(code, message)


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
        raise _unknown(call, "BandWidthShareId", "BandWidthShareNotFound",
                       "The shared bandwidth %s does not exist." % share_id)
    return doc


def _get_eip(call):
    eip_id = call.params.string("AllocationId", required=True)
    doc = call.store.get(EIP, eip_id)
    if doc is None or doc.get("region") != call.region:
        raise _unknown(call, "AllocationId", "EipNotFound", "The EIP %s does not exist." % eip_id)
    return doc


@action("bws", "CreateBandWidthShare")
def create_band_width_share(call):
    params = call.params
    line_id = params.string("LineId", required=True)
    line = call.store.get(LINE, line_id)
    if line is None or line.get("region") != call.region:
        raise _unknown(call, "LineId", "LineNotFound", "The line %s does not exist." % line_id)
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
    if reading(call, "create_answer") == "wrapped":
        return {"BandWidthShare": view(doc)}
    return {"BandWidthShareId": doc["BandWidthShareId"],
            "BandWidthShareName": doc["BandWidthShareName"], "CreateTime": doc["CreateTime"],
            "BandWidth": doc["BandWidth"], "LineId": doc["LineId"]}


@action("bws", "DeleteBandWidthShare")
def delete_band_width_share(call):
    doc = _get_share(call)
    if doc["_eips"] and reading(call, "delete_in_use") == "release":
        for eip_id in list(doc["_eips"]):
            _leave(call, doc, call.store.get(EIP, eip_id))
    if doc["_eips"]:
        raise conflict("BandWidthShareInUse", "The shared bandwidth %s still holds %d EIPs; "
                       "disassociate them first." % (doc["BandWidthShareId"], len(doc["_eips"])))
    call.store.delete(SHARE, doc["BandWidthShareId"])
    return {"Return": True}


@action("bws", "AssociateBandWidthShare")
def associate_band_width_share(call):
    share = _get_share(call)
    eip = _get_eip(call)
    if eip.get("LineId") != share["LineId"]:
        raise invalid_parameter("AllocationId")
    if eip.get("BandWidthShareId"):
        pooled = reading(call, "eip_pooled")
        if pooled == "conflict":
            raise conflict("EipAlreadyAssociated", "The EIP %s already belongs to the shared "
                           "bandwidth %s." % (eip["AllocationId"], eip["BandWidthShareId"]))
        if pooled == "invalid_parameter":
            raise invalid_parameter("AllocationId")
        if eip["BandWidthShareId"] == share["BandWidthShareId"]:
            return {"Return": True}
        _leave(call, call.store.get(SHARE, eip["BandWidthShareId"]), eip)
        share = call.store.get(SHARE, share["BandWidthShareId"])
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
    _leave(call, share, eip, bandwidth)
    return {"Return": True}


def _leave(call, share, eip, bandwidth=None):
    """`eip` leaves `share`; it gets `bandwidth` if given, else keeps its own."""
    share["_eips"].remove(eip["AllocationId"])
    eip["BandWidthShareId"] = None
    if bandwidth is not None:
        eip["BandWidth"] = bandwidth
    call.store.update(EIP, eip["AllocationId"], eip)
    call.store.update(SHARE, share["BandWidthShareId"], share)


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
    if ids and reading(call, "unknown_id") == "invalid_parameter":
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
        found.append(view(doc, with_tags))
    if not found:
        empty = reading(call, "empty_listing")
        if empty == "omitted":
            return {}
        if empty == "null":
            return {"BandWidthShareSet": None}
    return {"BandWidthShareSet": found}


@action("bws", "ModifyBandWidthShare")
def modify_band_width_share(call):
    doc = _get_share(call)
    doc["BandWidth"] = _bandwidth(call.params)
    call.store.update(SHARE, doc["BandWidthShareId"], doc)
    answer = reading(call, "modify_answer")
    if answer == "item_list":
        return {"BandWidthShare": [view(doc)]}
    if answer == "return":
        return {"Return": True}
    return {"BandWidthShare": view(doc)}
