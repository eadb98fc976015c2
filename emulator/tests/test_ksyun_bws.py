"""bws shared bandwidth through kscore: all six actions, validation, EIP membership."""
import json
from urllib.error import HTTPError

import pytest
from kscore.exceptions import ClientError

from ksyun_support import EIPS, LINE, call, client, client_error, error_of, ok


@pytest.fixture
def bws(emulator):
    return client(emulator, "bws")


def _share(bws, share_id):
    found = bws.describe_band_width_shares(**{"BandWidthShareId.1": share_id})
    return found["BandWidthShareSet"][0] if found["BandWidthShareSet"] else None


def test_share_lifecycle(emulator, bws):
    created = bws.create_band_width_share(LineId=LINE, BandWidth=50, ChargeType="Peak",
                                          BandWidthShareName="edge")
    share_id = created["BandWidthShareId"]
    assert set(created) == {"RequestId", "BandWidthShareId", "BandWidthShareName",
                            "CreateTime", "BandWidth", "LineId"}
    assert (created["BandWidthShareName"], created["BandWidth"], created["LineId"]) == \
        ("edge", 50, LINE)
    share = _share(bws, share_id)
    assert share == {"CreateTime": created["CreateTime"], "ProjectId": "0",
                     "BandWidthShareName": "edge", "BandWidthShareId": share_id,
                     "LineId": LINE, "BandWidth": 50, "ChargeType": "Peak",
                     "AssociateBandWidthShareInfoSet": []}

    assert bws.associate_band_width_share(BandWidthShareId=share_id,
                                          AllocationId=EIPS[0])["Return"] is True
    bws.associate_band_width_share(BandWidthShareId=share_id, AllocationId=EIPS[1])
    assert _share(bws, share_id)["AssociateBandWidthShareInfoSet"] == [
        {"AllocationId": EIPS[0]}, {"AllocationId": EIPS[1]}]

    modified = bws.modify_band_width_share(BandWidthShareId=share_id, BandWidth=200)
    assert modified["BandWidthShare"]["BandWidth"] == 200
    assert _share(bws, share_id)["BandWidth"] == 200

    with pytest.raises(ClientError) as exc:
        bws.delete_band_width_share(BandWidthShareId=share_id)
    assert client_error(exc)[:2] == (409, "BandWidthShareInUse")

    for eip in EIPS[:2]:
        result = bws.disassociate_band_width_share(BandWidthShareId=share_id, AllocationId=eip,
                                                   BandWidth=7)
        assert result["Return"] is True
    assert emulator.emu.store.get("bws.eip", EIPS[0])["BandWidth"] == 7
    assert bws.delete_band_width_share(BandWidthShareId=share_id)["Return"] is True
    assert _share(bws, share_id) is None
    with pytest.raises(ClientError) as exc:
        bws.delete_band_width_share(BandWidthShareId=share_id)
    assert client_error(exc) == (404, "BandWidthShareNotFound",
                                 "The shared bandwidth %s does not exist." % share_id)


def test_default_name_and_legacy_charge_type_echoed(bws):
    created = bws.create_band_width_share(LineId=LINE, BandWidth=1, ChargeType="PostPaidByDay")
    assert created["BandWidthShareName"] == "Ksc_BandWidthShare"
    assert _share(bws, created["BandWidthShareId"])["ChargeType"] == "PostPaidByDay"


@pytest.mark.parametrize("params,code,param", [
    ({"BandWidth": 0, "ChargeType": "Peak"}, "InvalidParameterValue", "BandWidth"),
    ({"BandWidth": 15001, "ChargeType": "Peak"}, "InvalidParameterValue", "BandWidth"),
    ({"BandWidth": "ten", "ChargeType": "Peak"}, "InvalidParameterValue", "BandWidth"),
    ({"ChargeType": "Peak"}, "MissingParameter", "BandWidth"),
    ({"BandWidth": 10}, "MissingParameter", "ChargeType"),
    ({"BandWidth": 10, "ChargeType": "Hourly"}, "InvalidParameterValue", "ChargeType"),
])
def test_create_validation(bws, params, code, param):
    with pytest.raises(ClientError) as exc:
        bws.create_band_width_share(LineId=LINE, **params)
    status, got, message = client_error(exc)
    assert (status, got) == (400, code) and message.endswith("parameter %s." % param)


def test_bandwidth_bounds_accepted(bws):
    for value in (1, 15000):
        assert bws.create_band_width_share(LineId=LINE, BandWidth=value,
                                           ChargeType="Daily")["BandWidth"] == value


def test_line_and_eip_must_exist(bws):
    with pytest.raises(ClientError) as exc:
        bws.create_band_width_share(LineId="no-line", BandWidth=5, ChargeType="Peak")
    assert client_error(exc)[:2] == (404, "LineNotFound")
    share_id = bws.create_band_width_share(LineId=LINE, BandWidth=5,
                                           ChargeType="Peak")["BandWidthShareId"]
    with pytest.raises(ClientError) as exc:
        bws.associate_band_width_share(BandWidthShareId=share_id, AllocationId="no-eip")
    assert client_error(exc)[:2] == (404, "EipNotFound")


def test_eip_joins_one_share_only(bws):
    first = bws.create_band_width_share(LineId=LINE, BandWidth=5,
                                        ChargeType="Peak")["BandWidthShareId"]
    second = bws.create_band_width_share(LineId=LINE, BandWidth=5,
                                         ChargeType="Peak")["BandWidthShareId"]
    bws.associate_band_width_share(BandWidthShareId=first, AllocationId=EIPS[2])
    with pytest.raises(ClientError) as exc:
        bws.associate_band_width_share(BandWidthShareId=second, AllocationId=EIPS[2])
    assert client_error(exc)[:2] == (409, "EipAlreadyAssociated")
    with pytest.raises(ClientError) as exc:
        bws.disassociate_band_width_share(BandWidthShareId=second, AllocationId=EIPS[2],
                                          BandWidth=5)
    assert client_error(exc)[:2] == (400, "EipNotAssociated")
    with pytest.raises(ClientError) as exc:
        bws.disassociate_band_width_share(BandWidthShareId=first, AllocationId=EIPS[2])
    assert client_error(exc)[:2] == (400, "MissingParameter")


def test_describe_filters(emulator, bws):
    ids = [bws.create_band_width_share(LineId=LINE, BandWidth=5, ChargeType="Peak",
                                       BandWidthShareName="s%d" % n)["BandWidthShareId"]
           for n in range(3)]
    other = bws.create_band_width_share(LineId=LINE, BandWidth=5, ChargeType="Peak",
                                        ProjectId="77")["BandWidthShareId"]
    bws.associate_band_width_share(BandWidthShareId=ids[1], AllocationId=EIPS[0])
    everything = bws.describe_band_width_shares()["BandWidthShareSet"]
    assert [s["BandWidthShareId"] for s in everything] == ids
    picked = bws.describe_band_width_shares(**{"BandWidthShareId.1": ids[2],
                                               "BandWidthShareId.2": ids[0]})
    assert {s["BandWidthShareId"] for s in picked["BandWidthShareSet"]} == {ids[0], ids[2]}
    by_eip = bws.describe_band_width_shares(**{"Filter.1.Name": "allocation-id",
                                               "Filter.1.Value.1": EIPS[0]})
    assert [s["BandWidthShareId"] for s in by_eip["BandWidthShareSet"]] == [ids[1]]
    projects = bws.describe_band_width_shares(**{"ProjectId.1": "77"})["BandWidthShareSet"]
    assert [s["BandWidthShareId"] for s in projects] == [other]
    tagged = bws.describe_band_width_shares(IsContainTag="true")["BandWidthShareSet"]
    assert all(s["TagSet"] == [] for s in tagged)
    response = call(emulator, "bws", "DescribeBandWidthShares",
                    {"Filter.1.Name": "allocation-id"})
    assert error_of(response) == (400, "MissingParameter", "An value must be supplied for the "
                                  "input parameter Filter.1.Value.1.")
    response = call(emulator, "bws", "DescribeBandWidthShares",
                    {"Filter.1.Name": "line-id", "Filter.1.Value.1": LINE})
    assert error_of(response)[:2] == (400, "InvalidParameterValue")


def test_presigned_bws_client(emulator):
    bws = client(emulator, "bws", presign=True)
    share_id = bws.create_band_width_share(LineId=LINE, BandWidth=9,
                                           ChargeType="TrafficMonthly")["BandWidthShareId"]
    assert ok(call(emulator, "bws", "DescribeBandWidthShares",
                   {"BandWidthShareId.1": share_id}))["BandWidthShareSet"][0]["BandWidth"] == 9


# -- readings: where seed 002 is silent, settings readings.bws.<point> pick the behaviour ----------

def _reading(emulator, point, value):
    emulator.admin("POST", "/__admin/settings", {"readings": {"bws": {point: value}}})


def _new_share(bws, *eips):
    share_id = bws.create_band_width_share(LineId=LINE, BandWidth=5,
                                           ChargeType="Peak")["BandWidthShareId"]
    for eip in eips:
        bws.associate_band_width_share(BandWidthShareId=share_id, AllocationId=eip)
    return share_id


UNKNOWN = "00000000-0000-4000-8000-00000000dead"


@pytest.mark.parametrize("value,expected", [
    (None, {"Delete": (404, "BandWidthShareNotFound"), "Associate": (404, "EipNotFound"),
            "Create": (404, "LineNotFound"), "Describe": []}),
    ("not_found", {"Delete": (404, "BandWidthShareNotFound"), "Associate": (404, "EipNotFound"),
                   "Create": (404, "LineNotFound"), "Describe": []}),
    ("invalid_parameter", {"Delete": (400, "InvalidParameterValue", "BandWidthShareId"),
                           "Associate": (400, "InvalidParameterValue", "AllocationId"),
                           "Create": (400, "InvalidParameterValue", "LineId"),
                           "Describe": (400, "InvalidParameterValue", "BandWidthShareId")}),
])
def test_reading_unknown_id(emulator, bws, value, expected):
    if value:
        _reading(emulator, "unknown_id", value)
    share_id = _new_share(bws)
    answers = {
        "Delete": call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": UNKNOWN}),
        "Associate": call(emulator, "bws", "AssociateBandWidthShare",
                          {"BandWidthShareId": share_id, "AllocationId": UNKNOWN}),
        "Create": call(emulator, "bws", "CreateBandWidthShare",
                       {"LineId": UNKNOWN, "BandWidth": 5, "ChargeType": "Peak"}),
        "Describe": call(emulator, "bws", "DescribeBandWidthShares",
                         {"BandWidthShareId.1": UNKNOWN}),
    }
    for name, answer in answers.items():
        want = expected[name]
        if isinstance(want, list):
            assert ok(answer)["BandWidthShareSet"] == want
            continue
        status, code, message = error_of(answer)
        assert (status, code) == want[:2], name
        if len(want) == 3:
            assert message.endswith("parameter %s." % want[2])
    # A known id is still listed alone under either reading.
    listed = ok(call(emulator, "bws", "DescribeBandWidthShares", {"BandWidthShareId.1": share_id}))
    assert [s["BandWidthShareId"] for s in listed["BandWidthShareSet"]] == [share_id]


def test_reading_eip_pooled(emulator, bws):
    first = _new_share(bws, EIPS[0])
    second = _new_share(bws)
    params = {"BandWidthShareId": second, "AllocationId": EIPS[0]}
    assert error_of(call(emulator, "bws", "AssociateBandWidthShare", params))[:2] == \
        (409, "EipAlreadyAssociated")
    _reading(emulator, "eip_pooled", "invalid_parameter")
    status, code, message = error_of(call(emulator, "bws", "AssociateBandWidthShare", params))
    assert (status, code) == (400, "InvalidParameterValue")
    assert message.endswith("parameter AllocationId.")
    assert _share(bws, first)["AssociateBandWidthShareInfoSet"] == [{"AllocationId": EIPS[0]}]

    _reading(emulator, "eip_pooled", "move")
    assert ok(call(emulator, "bws", "AssociateBandWidthShare", params))["Return"] is True
    assert _share(bws, first)["AssociateBandWidthShareInfoSet"] == []
    assert _share(bws, second)["AssociateBandWidthShareInfoSet"] == [{"AllocationId": EIPS[0]}]
    # Joining the share it is already in changes nothing.
    assert ok(call(emulator, "bws", "AssociateBandWidthShare", params))["Return"] is True
    assert _share(bws, second)["AssociateBandWidthShareInfoSet"] == [{"AllocationId": EIPS[0]}]


def test_reading_delete_in_use(emulator, bws):
    refused = _new_share(bws, EIPS[0])
    answer = call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": refused})
    assert error_of(answer)[:2] == (409, "BandWidthShareInUse")
    assert _share(bws, refused) is not None

    _reading(emulator, "delete_in_use", "release")
    answer = call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": refused})
    assert ok(answer)["Return"] is True
    assert _share(bws, refused) is None
    eip = emulator.emu.store.get("bws.eip", EIPS[0])
    assert (eip["BandWidthShareId"], eip["BandWidth"]) == (None, 5)  # it keeps its own bandwidth
    assert _new_share(bws, EIPS[0])  # and may join another share


@pytest.mark.parametrize("value", ["object", "item_list", "return"])
def test_reading_modify_answer(emulator, bws, value):
    _reading(emulator, "modify_answer", value)
    share_id = _new_share(bws, EIPS[1])
    answer = ok(call(emulator, "bws", "ModifyBandWidthShare",
                     {"BandWidthShareId": share_id, "BandWidth": 20}))
    share = _share(bws, share_id)
    assert share["BandWidth"] == 20
    expected = {"object": {"BandWidthShare": share}, "item_list": {"BandWidthShare": [share]},
                "return": {"Return": True}}[value]
    assert {k: v for k, v in answer.items() if k != "RequestId"} == expected
    assert answer["RequestId"]


@pytest.mark.parametrize("value,json_body,xml_tail", [
    ("empty_list", {"BandWidthShareSet": []}, "<BandWidthShareSet></BandWidthShareSet>"),
    ("omitted", {}, ""),
    ("null", {"BandWidthShareSet": None}, "<BandWidthShareSet/>"),
])
def test_reading_empty_listing(emulator, value, json_body, xml_tail):
    _reading(emulator, "empty_listing", value)
    answer = ok(call(emulator, "bws", "DescribeBandWidthShares"))
    assert {k: v for k, v in answer.items() if k != "RequestId"} == json_body
    xml = call(emulator, "bws", "DescribeBandWidthShares", accept=None)
    assert xml.status_code == 200
    body = xml.text
    assert ("<BandWidthShareSet" in body) is bool(xml_tail)
    if xml_tail:
        assert xml_tail in body


@pytest.mark.parametrize("value", ["flat", "wrapped"])
def test_reading_create_answer(emulator, value, bws):
    _reading(emulator, "create_answer", value)
    answer = ok(call(emulator, "bws", "CreateBandWidthShare",
                     {"LineId": LINE, "BandWidth": 7, "ChargeType": "Daily",
                      "BandWidthShareName": "wrapped"}))
    if value == "flat":
        share_id = answer["BandWidthShareId"]
        assert set(answer) == {"RequestId", "BandWidthShareId", "BandWidthShareName",
                               "CreateTime", "BandWidth", "LineId"}
    else:
        share_id = answer["BandWidthShare"]["BandWidthShareId"]
        assert set(answer) == {"RequestId", "BandWidthShare"}
        assert answer["BandWidthShare"] == _share(bws, share_id)


def test_reading_unknown_value_is_reported(emulator, bws):
    share_id = _new_share(bws)
    with pytest.raises(HTTPError) as exc:
        _reading(emulator, "modify_answer", "sometimes")
    assert (exc.value.code, json.loads(exc.value.read())["error"]) == (
        400, "settings: readings.bws.modify_answer is sometimes; it must be one of object, item_list, return")
    assert "bws" not in (emulator.admin("GET", "/__admin/settings")["settings"].get("readings") or {})
    # Set in process, past the check: the call answers 500 and changes nothing.
    emulator.emu.settings["readings"] = {"bws": {"modify_answer": "sometimes"}}
    answer = call(emulator, "bws", "ModifyBandWidthShare",
                  {"BandWidthShareId": share_id, "BandWidth": 9})
    assert error_of(answer) == (500, "EmulatorSettingInvalid", "readings.bws.modify_answer is "
                                "sometimes; it must be one of object, item_list, return")
    assert _share(bws, share_id)["BandWidth"] == 5  # the transaction was rolled back


def test_reading_delete_in_use_invalid_parameter(emulator, bws):
    _reading(emulator, "delete_in_use", "invalid_parameter")
    in_use = _new_share(bws, EIPS[0])
    status, code, message = error_of(call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": in_use}))
    assert (status, code) == (400, "InvalidParameterValue")
    assert message.endswith("parameter BandWidthShareId.")
    assert _share(bws, in_use) is not None


@pytest.mark.parametrize("share_name,pool_fields,absent", [
    ("listed", "full", set()),
    ("omitted", "full", {"BandWidthShareName"}),
    ("listed", "documented", {"ChargeType"}),
    ("omitted", "sample", {"BandWidthShareName", "ChargeType", "ProjectId"}),
])
def test_reading_share_name_and_pool_fields(emulator, bws, share_name, pool_fields, absent):
    _reading(emulator, "share_name", share_name)
    _reading(emulator, "pool_fields", pool_fields)
    share_id = _new_share(bws, EIPS[0])
    every = {"CreateTime", "ProjectId", "BandWidthShareName", "BandWidthShareId", "LineId", "BandWidth",
             "ChargeType", "AssociateBandWidthShareInfoSet"}
    assert set(_share(bws, share_id)) == every - absent
    _reading(emulator, "modify_answer", "object")
    modified = ok(call(emulator, "bws", "ModifyBandWidthShare", {"BandWidthShareId": share_id, "BandWidth": 6}))
    assert set(modified["BandWidthShare"]) == every - absent


def _members(bws, share_id):
    return [m["AllocationId"] for m in _share(bws, share_id)["AssociateBandWidthShareInfoSet"]]


def test_reading_return_false_refusals(emulator, bws):
    _reading(emulator, "return_false", "refusals")
    first, second = _new_share(bws, EIPS[0]), _new_share(bws)
    refusals = [
        ("AssociateBandWidthShare", {"BandWidthShareId": second, "AllocationId": EIPS[0]}),  # pooled elsewhere
        ("DisassociateBandWidthShare", {"BandWidthShareId": second, "AllocationId": EIPS[0], "BandWidth": 5}),
        ("DeleteBandWidthShare", {"BandWidthShareId": first}),  # in use
    ]
    for action, params in refusals:
        answer = ok(call(emulator, "bws", action, params))
        assert answer["Return"] is False, action
    assert (_members(bws, first), _members(bws, second)) == ([EIPS[0]], [])
    # What the state allows still acts and answers true.
    assert ok(call(emulator, "bws", "AssociateBandWidthShare",
                   {"BandWidthShareId": second, "AllocationId": EIPS[1]}))["Return"] is True
    assert _members(bws, second) == [EIPS[1]]
    # Unknown ids are still errors.
    assert error_of(call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": UNKNOWN}))[:2] == \
        (404, "BandWidthShareNotFound")


def test_reading_return_false_always(emulator, bws):
    share_id = _new_share(bws, EIPS[0])
    _reading(emulator, "return_false", "always")
    for action, params in [
            ("AssociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[1]}),
            ("DisassociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[0], "BandWidth": 5}),
            ("DeleteBandWidthShare", {"BandWidthShareId": share_id})]:
        assert ok(call(emulator, "bws", action, params))["Return"] is False, action
    xml = call(emulator, "bws", "DeleteBandWidthShare", {"BandWidthShareId": share_id}, accept=None)
    assert "<Return>false</Return>" in xml.text
    assert _members(bws, share_id) == [EIPS[0]]
