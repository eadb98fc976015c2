"""bws shared-bandwidth members: an EIP joins a share (AssociateBandWidthShare) or leaves it
(DisassociateBandWidthShare, or a share deleted under reading `delete_in_use: release`)."""
from ..actions import action
from ..errors import KsyunError, conflict, invalid_parameter
from ...readings import reading
from .common import EIP, SHARE, bandwidth_param, declined, get_eip, get_share, refuse


@action("bws", "AssociateBandWidthShare")
def associate_band_width_share(call):
    share = get_share(call)
    eip = get_eip(call)
    if declined(call):
        return {"Return": False}
    if eip.get("LineId") != share["LineId"]:
        return refuse(call, invalid_parameter("AllocationId"))
    if eip.get("BandWidthShareId"):
        pooled = reading(call.emu, "bws", "eip_pooled")
        if pooled == "conflict":
            return refuse(call, conflict("EipAlreadyAssociated", "The EIP %s already belongs to the shared "
                                         "bandwidth %s." % (eip["AllocationId"], eip["BandWidthShareId"])))
        if pooled == "invalid_parameter":
            return refuse(call, invalid_parameter("AllocationId"))
        if eip["BandWidthShareId"] == share["BandWidthShareId"]:
            return {"Return": True}
        leave(call, call.store.get(SHARE, eip["BandWidthShareId"]), eip)
        share = call.store.get(SHARE, share["BandWidthShareId"])
    eip["BandWidthShareId"] = share["BandWidthShareId"]
    share["_eips"].append(eip["AllocationId"])
    call.store.update(EIP, eip["AllocationId"], eip)
    call.store.update(SHARE, share["BandWidthShareId"], share)
    return {"Return": True}


@action("bws", "DisassociateBandWidthShare")
def disassociate_band_width_share(call):
    share = get_share(call)
    eip = get_eip(call)
    bandwidth = bandwidth_param(call.params)
    if declined(call):
        return {"Return": False}
    if eip["AllocationId"] not in share["_eips"]:
        return refuse(call, KsyunError(400, "EipNotAssociated", "The EIP %s does not belong to the shared "
                                       "bandwidth %s." % (eip["AllocationId"], share["BandWidthShareId"])))
    leave(call, share, eip, bandwidth)
    return {"Return": True}


def leave(call, share, eip, bandwidth=None):
    """`eip` leaves `share`; it gets `bandwidth` if given, else keeps its own."""
    share["_eips"].remove(eip["AllocationId"])
    eip["BandWidthShareId"] = None
    if bandwidth is not None:
        eip["BandWidth"] = bandwidth
    call.store.update(EIP, eip["AllocationId"], eip)
    call.store.update(SHARE, share["BandWidthShareId"], share)
