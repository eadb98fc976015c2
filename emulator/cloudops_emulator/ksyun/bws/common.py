"""What the bws resources share: storage kinds, limits, the share view, lookups of a share or an
EIP by id (answered as the `unknown_id` reading says) and the readings of seed 002.

Where seed 002 is silent, `settings.readings.bws.<point>` picks another plausible reading (absent:
the first one listed; the table is cloudops_emulator/readings.py, docs/dev/emulator.md explains it):
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
  share_name     listed: shares show BandWidthShareName; omitted: they do not (the listing sample)
  pool_fields    full: ChargeType and ProjectId shown; documented: no ChargeType (the BandWidthShare
                 table); sample: neither (the listing sample)
  return_false   never: refusals are errors; refusals: a join, leave or delete the share's state
                 refuses answers 200 {"Return": false} and does nothing; always: every join, leave
                 and delete of known ids does so
"""
from ...readings import reading
from ..errors import invalid_parameter, not_found

SHARE = "bws.share"
LINE = "bws.line"
EIP = "bws.eip"
CHARGE_TYPES = ("Peak", "Daily", "TrafficMonthly", "PostPaidByPeak", "PostPaidByDay",
                "PostPaidByTransfer", "DailyPaidByTransfer")
MIN_BANDWIDTH, MAX_BANDWIDTH = 1, 15000


def unknown(call, param, code, message):
    if reading(call.emu, "bws", "unknown_id") == "invalid_parameter":
        return invalid_parameter(param)
    return not_found(code, message)


# The fields each `pool_fields` reading leaves out of a share.
HIDDEN_FIELDS = {"full": (), "documented": ("ChargeType",), "sample": ("ChargeType", "ProjectId")}


def view(call, doc, with_tags=False):
    """A stored share as the API shows it, under the `share_name` and `pool_fields` readings."""
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
    if reading(call.emu, "bws", "share_name") == "omitted":
        del result["BandWidthShareName"]
    for field in HIDDEN_FIELDS[reading(call.emu, "bws", "pool_fields")]:
        del result[field]
    return result


def declined(call):
    """Whether a join, leave or delete of known ids answers `Return: false` without acting
    (`return_false: always`): the caller then returns `{"Return": False}`."""
    return reading(call.emu, "bws", "return_false") == "always"


def refuse(call, error):
    """Refuse a join, leave or delete that the share's state does not allow: raise `error`, or
    under `return_false: refusals` answer `Return: false` (nothing is done either way)."""
    if reading(call.emu, "bws", "return_false") == "refusals":
        return {"Return": False}
    raise error


def bandwidth_param(params):
    return params.integer("BandWidth", required=True, minimum=MIN_BANDWIDTH,
                          maximum=MAX_BANDWIDTH)


def get_share(call):
    share_id = call.params.string("BandWidthShareId", required=True)
    doc = call.store.get(SHARE, share_id)
    if doc is None or doc["_region"] != call.region:
        raise unknown(call, "BandWidthShareId", "BandWidthShareNotFound",
                      "The shared bandwidth %s does not exist." % share_id)
    return doc


def get_eip(call):
    eip_id = call.params.string("AllocationId", required=True)
    doc = call.store.get(EIP, eip_id)
    if doc is None or doc.get("region") != call.region:
        raise unknown(call, "AllocationId", "EipNotFound", "The EIP %s does not exist." % eip_id)
    return doc
