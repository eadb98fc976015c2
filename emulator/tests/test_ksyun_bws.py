"""bws shared bandwidth through kscore: all six actions, validation, EIP membership."""
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
