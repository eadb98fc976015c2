# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A KSYUN shared bandwidth (BWS) account in memory for the bandwidth_share module tests.

Every answer goes over "the wire" as bytes and back through the client's own ``decode_answer``:
as JSON, or as XML written the way seed 002's samples are (``<item>`` lists, numbers as text), so
the modules meet both shapes. Where the seed is silent the account plays the readings the emulator
has (``readings`` below, same names and values as ``settings.readings.bws``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
from xml.sax.saxutils import escape

from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import decode_answer
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import RecordingClient

LINE = "15e957ff-5e64-4577-946c-4a396528c67a"
OTHER_LINE = "15e957ff-5e64-4577-946c-0000000000b2"
EIPS = ["2b05cd99-0139-43c0-8144-b04678%06d" % n for n in range(1, 6)]
EIP_ON_OTHER_LINE = "2b05cd99-0139-43c0-8144-0000000000b2"
UNKNOWN_EIP = "2b05cd99-0139-43c0-8144-00000000dead"
XMLNS = "http://bws.api.ksyun.com/doc/2016-03-04/"


def error(code, action, status=400, message="refused"):
    return CloudError(message, status=status, code=code, request_id="req-%s" % code, service="bws",
                      operation=action)


def invalid(action, param):
    return error("InvalidParameterValue", action, 400, "An invalid or out-of-range value was supplied for the "
                 "input parameter %s." % param)


def to_xml(action, body):
    """An answer as seed 002's samples write it."""
    parts = ['<%sResponse xmlns="%s">' % (action, XMLNS)]
    for key, value in body.items():
        _element(parts, key, value)
    parts.append("</%sResponse>" % action)
    return "".join(parts).encode("utf-8")


def _element(parts, name, value):
    if value is None:
        parts.append("<%s/>" % name)
    elif isinstance(value, dict):
        parts.append("<%s>" % name + "".join(_fragment(k, v) for k, v in value.items()) + "</%s>" % name)
    elif isinstance(value, list):
        parts.append("<%s>" % name + "".join(_fragment("item", v) for v in value) + "</%s>" % name)
    elif isinstance(value, bool):
        parts.append("<%s>%s</%s>" % (name, "true" if value else "false", name))
    else:
        parts.append("<%s>%s</%s>" % (name, escape(str(value)), name))


def _fragment(name, value):
    parts = []
    _element(parts, name, value)
    return "".join(parts)


class FakeBwsAccount(RecordingClient):

    def __init__(self, wire="json", **readings):
        super(FakeBwsAccount, self).__init__()
        self.wire = wire
        self.readings = dict(unknown_id="not_found", eip_pooled="conflict", delete_in_use="refuse",
                             modify_answer="object", empty_listing="empty_list", create_answer="flat")
        self.readings.update(readings)
        self.shares = []
        self.eips = dict((eip, {"line": LINE, "bandwidth": 5, "share": None}) for eip in EIPS)
        self.eips[EIP_ON_OTHER_LINE] = {"line": OTHER_LINE, "bandwidth": 5, "share": None}
        self.fail_on = {}  # action -> CloudError to raise once, before acting
        self.lose_answer = {}  # action -> CloudError to raise once, after acting (a lost answer)
        self._serial = 0

    # -- building the account ----------------------------------------------------------------------

    def add_share(self, name, bandwidth=10, eips=(), project_id="0", charge_type="Peak", line=LINE):
        self._serial += 1
        doc = {
            "BandWidthShareId": "89869da1-c601-426a-914f-%012d" % self._serial,
            "CreateTime": "2016-05-05 18:27:%02d" % self._serial,
            "ProjectId": project_id,
            "BandWidthShareName": name,
            "LineId": line,
            "BandWidth": bandwidth,
            "ChargeType": charge_type,
            "AssociateBandWidthShareInfoSet": [],
        }
        self.shares.append(doc)
        for eip in eips:
            self._join(doc, eip)
        return doc

    def share(self, name):
        return next((s for s in self.shares if s["BandWidthShareName"] == name), None)

    # -- the wire ----------------------------------------------------------------------------------

    def answer(self, action, params):
        if action in self.fail_on:
            raise self.fail_on.pop(action)
        body = dict(RequestId="req-%s" % action)
        body.update(getattr(self, "_" + action)(action, params))
        if action in self.lose_answer:
            raise self.lose_answer.pop(action)
        raw = to_xml(action, body) if self.wire == "xml" else json.dumps(body).encode("utf-8")
        return decode_answer(raw)

    def _unknown(self, action, param, code):
        if self.readings["unknown_id"] == "invalid_parameter":
            return invalid(action, param)
        return error(code, action, 404, "does not exist")

    def _get_share(self, action, params):
        for doc in self.shares:
            if doc["BandWidthShareId"] == params.get("BandWidthShareId"):
                return doc
        raise self._unknown(action, "BandWidthShareId", "BandWidthShareNotFound")

    def _get_eip(self, action, params):
        eip = self.eips.get(params.get("AllocationId"))
        if eip is None:
            raise self._unknown(action, "AllocationId", "EipNotFound")
        return eip

    def _join(self, doc, eip_id):
        self.eips[eip_id]["share"] = doc["BandWidthShareId"]
        doc["AssociateBandWidthShareInfoSet"].append({"AllocationId": eip_id})

    def _leave(self, doc, eip_id, bandwidth=None):
        doc["AssociateBandWidthShareInfoSet"].remove({"AllocationId": eip_id})
        self.eips[eip_id]["share"] = None
        if bandwidth is not None:
            self.eips[eip_id]["bandwidth"] = int(bandwidth)

    # -- the six actions ---------------------------------------------------------------------------

    def _DescribeBandWidthShares(self, action, params):
        projects = params.get("ProjectId") or ["0"]
        ids = params.get("BandWidthShareId")
        if ids and self.readings["unknown_id"] == "invalid_parameter":
            for share_id in ids:
                self._get_share(action, {"BandWidthShareId": share_id})
        eips = set()
        for item in params.get("Filter") or []:
            assert item["Name"] == "allocation-id", item
            eips.update(item["Value"])
        found = [copy.deepcopy(s) for s in self.shares
                 if s["ProjectId"] in projects and (not ids or s["BandWidthShareId"] in ids)
                 and (not eips or eips & set(m["AllocationId"] for m in s["AssociateBandWidthShareInfoSet"]))]
        if not found and self.readings["empty_listing"] == "omitted":
            return {}
        if not found and self.readings["empty_listing"] == "null":
            return {"BandWidthShareSet": None}
        return {"BandWidthShareSet": found}

    def _CreateBandWidthShare(self, action, params):
        if params["LineId"] not in (LINE, OTHER_LINE):
            raise self._unknown(action, "LineId", "LineNotFound")
        doc = self.add_share(params.get("BandWidthShareName", "Ksc_BandWidthShare"), int(params["BandWidth"]),
                             project_id=params.get("ProjectId", "0"), charge_type=params["ChargeType"],
                             line=params["LineId"])
        if self.readings["create_answer"] == "wrapped":
            return {"BandWidthShare": copy.deepcopy(doc)}
        return dict((k, doc[k]) for k in ("BandWidthShareId", "BandWidthShareName", "CreateTime", "BandWidth",
                                          "LineId"))

    def _DeleteBandWidthShare(self, action, params):
        doc = self._get_share(action, params)
        if doc["AssociateBandWidthShareInfoSet"]:
            if self.readings["delete_in_use"] == "refuse":
                raise error("BandWidthShareInUse", action, 409)
            for member in list(doc["AssociateBandWidthShareInfoSet"]):
                self._leave(doc, member["AllocationId"])
        self.shares.remove(doc)
        return {"Return": True}

    def _AssociateBandWidthShare(self, action, params):
        doc = self._get_share(action, params)
        eip = self._get_eip(action, params)
        if eip["line"] != doc["LineId"]:
            raise invalid(action, "AllocationId")
        if eip["share"]:
            if self.readings["eip_pooled"] == "conflict":
                raise error("EipAlreadyAssociated", action, 409)
            if self.readings["eip_pooled"] == "invalid_parameter":
                raise invalid(action, "AllocationId")
            self._leave(self._get_share(action, {"BandWidthShareId": eip["share"]}), params["AllocationId"])
        self._join(doc, params["AllocationId"])
        return {"Return": True}

    def _DisassociateBandWidthShare(self, action, params):
        doc = self._get_share(action, params)
        eip = self._get_eip(action, params)
        assert "BandWidth" in params, "DisassociateBandWidthShare needs BandWidth"
        if eip["share"] != doc["BandWidthShareId"]:
            raise error("EipNotAssociated", action)
        self._leave(doc, params["AllocationId"], params["BandWidth"])
        return {"Return": True}

    def _ModifyBandWidthShare(self, action, params):
        doc = self._get_share(action, params)
        doc["BandWidth"] = int(params["BandWidth"])
        if self.readings["modify_answer"] == "item_list":
            return {"BandWidthShare": [copy.deepcopy(doc)]}
        if self.readings["modify_answer"] == "return":
            return {"Return": True}
        return {"BandWidthShare": copy.deepcopy(doc)}
