# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bandwidth_share and bandwidth_share_info in process against the emulator's BWS, answering in JSON
and in its XML (seed 002's samples' form): the calls sent, what comes back, check mode, diff, the
errors a user sees, and the same outcome under every reading of what the seed leaves open
(``readings.bws.*``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest.mock import ANY

import pytest
import yaml

from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.shares import (
    created_share_id,
    share_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import decode_answer
from ansible_collections.cloudops.multicloud.plugins.modules import bandwidth_share
from ansible_collections.cloudops.multicloud.plugins.modules.bandwidth_share import BandwidthShare
from ansible_collections.cloudops.multicloud.plugins.modules.bandwidth_share_info import BandwidthShareInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import (
    bws_account,
    bws_add_share,
    bws_delete_share,
    bws_eip,
    bws_readings,
    bws_share,
    bws_shares,
)

LINE = "15e957ff-5e64-4577-946c-4a396528c67a"
OTHER_LINE = "15e957ff-5e64-4577-946c-0000000000b2"
EIPS = ["2b05cd99-0139-43c0-8144-b04678%06d" % n for n in range(1, 6)]
EIP_ON_OTHER_LINE = "2b05cd99-0139-43c0-8144-0000000000b2"
UNKNOWN_EIP = "2b05cd99-0139-43c0-8144-00000000dead"

SECRET = "unit-secret-never-shown-0009"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}
POOL = dict(name="web-egress", line_id=LINE, charge_type="Peak", bandwidth=50)
DESCRIBE = ("DescribeBandWidthShares", {})

WIRES = ["json", "xml"]


def emulated(cloud, wire="json", **readings):
    """``cloud`` as the account the tests use: lines LINE and OTHER_LINE, EIPS on LINE and
    EIP_ON_OTHER_LINE on the other (each with bandwidth 5), answering on ``wire`` under ``readings``."""
    eips = dict((eip, LINE) for eip in EIPS)
    eips[EIP_ON_OTHER_LINE] = OTHER_LINE
    bws_account(cloud, [LINE, OTHER_LINE], eips, **readings)
    cloud.ksyun_wire = wire
    return cloud


@pytest.fixture(params=WIRES)
def account(cloud, request):
    return emulated(cloud, wire=request.param)


def pool(**changes):
    args = dict(POOL)
    args.update(changes)
    return args


def run(account, module=BandwidthShare, check_mode=False, diff=False, **args):
    result = account.run(module, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def owners_of(*eips, **extra):
    params = dict(extra, Filter=[{"Name": "allocation-id", "Value": list(eips)}])
    return ("DescribeBandWidthShares", params)


# -- the reference's shapes ----------------------------------------------------------------------

SEED_DESCRIBE_XML = b"""<DescribeBandWidthSharesResponse xmlns="http://bws.api.ksyun.com/doc/2016-03-04/">
    <BandWidthShareSet>
        <item>
            <BandWidthShareId>89869da1-c601-426a-914f-d9287bcc7b80</BandWidthShareId>
            <CreateTime>2016-05-05 18:27:36</CreateTime>
            <BandWidth>10</BandWidth>
            <LineId>15e957ff-5e64-4577-946c-4a396528c67a</LineId>
            <AssociateBandWidthShareInfoSet>
                <item><AllocationId>15e957ff-5e64-4577-946c-4a396528c67a</AllocationId></item>
                <item><AllocationId>2b05cd99-0139-43c0-8144-b046780dd659</AllocationId></item>
                <item><AllocationId>8bb4238b-209e-4d62-9af3-36fb1fb8e9ca</AllocationId></item>
            </AssociateBandWidthShareInfoSet>
        </item>
    </BandWidthShareSet>
    <RequestId>1d671a66-85be-4905-b2fe-b9879c2d7a5a</RequestId>
</DescribeBandWidthSharesResponse>"""

SEED_DESCRIBE_JSON = b"""{"BandWidthShareSet": [
   {"BandWidthShareId": "89869da1-c601-426a-914f-d9287bcc7b80",
    "CreateTime": "2016-05-05 18:27:36",
    "BandWidth": 10,
    "LineId": "15e957ff-5e64-4577-946c-4a396528c67a",
    "AssociateBandWidthShareInfoSet": [
      {"AllocationId": "15e957ff-5e64-4577-946c-4a396528c67a"},
      {"AllocationId": "2b05cd99-0139-43c0-8144-b046780dd659"},
      {"AllocationId": "8bb4238b-209e-4d62-9af3-36fb1fb8e9ca"}]}],
 "RequestId": "1d671a66-85be-4905-b2fe-b9879c2d7a5a"}"""

SEED_SHARE = {
    "id": "89869da1-c601-426a-914f-d9287bcc7b80", "name": None, "bandwidth": 10,
    "line_id": "15e957ff-5e64-4577-946c-4a396528c67a", "charge_type": None, "project_id": None,
    "create_time": "2016-05-05 18:27:36",
    "eips": ["15e957ff-5e64-4577-946c-4a396528c67a", "2b05cd99-0139-43c0-8144-b046780dd659",
             "8bb4238b-209e-4d62-9af3-36fb1fb8e9ca"],
}


@pytest.mark.parametrize("raw", [SEED_DESCRIBE_XML, SEED_DESCRIBE_JSON], ids=WIRES)
def test_seed_listing_parses_to_the_same_pool(raw):
    answer = decode_answer(raw)
    assert [share_result(s) for s in answer["BandWidthShareSet"]] == [SEED_SHARE]


@pytest.mark.parametrize("raw", [
    b"""<CreateBandWidthShareResponse xmlns="http://bws.api.ksyun.com/doc/2016-03-04/">
    <RequestId>a5030a57-a667-4d40-bfa2-b7675f154808</RequestId>
    <BandWidthShareId>89869da1-c601-426a-914f-d9287bcc7b80</BandWidthShareId>
    <BandWidthShareName>Ksc_BandWidthShare</BandWidthShareName>
    <CreateTime>2016-05-05 18:27:36</CreateTime>
    <BandWidth>10</BandWidth>
    <LineId>15e957ff-5e64-4577-946c-4a396528c67a</LineId>
</CreateBandWidthShareResponse>""",
    b'{"RequestId": "a5030a57", "BandWidthShareId": "89869da1-c601-426a-914f-d9287bcc7b80", '
    b'"BandWidthShareName": "Ksc_BandWidthShare", "CreateTime": "2016-05-05 18:27:36", "BandWidth": 10, '
    b'"LineId": "15e957ff-5e64-4577-946c-4a396528c67a"}',
    # The seed's text: the fields in a BandWidthShare element.
    b"""<CreateBandWidthShareResponse><RequestId>r</RequestId><BandWidthShare>
    <BandWidthShareId>89869da1-c601-426a-914f-d9287bcc7b80</BandWidthShareId></BandWidthShare>
</CreateBandWidthShareResponse>""",
    b'{"RequestId": "r", "BandWidthShare": {"BandWidthShareId": "89869da1-c601-426a-914f-d9287bcc7b80"}}',
], ids=["seed-xml", "seed-json", "wrapped-xml", "wrapped-json"])
def test_create_answer_shapes_give_the_id(raw):
    assert created_share_id(decode_answer(raw)) == "89869da1-c601-426a-914f-d9287bcc7b80"


def test_seed_modify_sample_with_its_wrong_root_still_parses():
    raw = b"""<ModifyAddressResponse xmlns="http://bws.api.ksyun.com/doc/2016-03-04/">
    <BandWidthShare><item>
            <BandWidthShareId>89869da1-c601-426a-914f-d9287bcc7b80</BandWidthShareId>
            <BandWidth>20</BandWidth>
            <AssociateBandWidthShareInfoSet>
                <item><AllocationId>2b05cd99-0139-43c0-8144-b046780dd659</AllocationId></item>
            </AssociateBandWidthShareInfoSet>
    </item></BandWidthShare>
</ModifyAddressResponse>"""
    share = decode_answer(raw)["BandWidthShare"][0]
    assert share_result(share)["bandwidth"] == 20
    assert share_result(share)["eips"] == ["2b05cd99-0139-43c0-8144-b046780dd659"]


@pytest.mark.parametrize("reading", ["empty_list", "omitted", "null"])
@pytest.mark.parametrize("wire", WIRES)
def test_empty_listings(cloud, wire, reading):
    account = emulated(cloud, wire, empty_listing=reading)
    result = run(account, module=BandwidthShareInfo)
    assert (result["changed"], result["bandwidth_shares"]) == (False, [])


# -- create ----------------------------------------------------------------------------------------

def test_create_with_two_eips(account):
    result = run(account, eips=EIPS[:2], **POOL)

    share_id = bws_share(account, "web-egress")["BandWidthShareId"]
    assert account.calls == [
        DESCRIBE,  # it lists every pool: where the EIPs are is known from it
        ("CreateBandWidthShare", {"LineId": LINE, "BandWidthShareName": "web-egress", "BandWidth": 50,
                                  "ChargeType": "Peak"}),
        ("AssociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[0]}),
        ("AssociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[1]}),
        DESCRIBE,
    ]
    assert result["changed"] is True
    assert result["bandwidth_share"] == {
        "id": share_id, "name": "web-egress", "bandwidth": 50, "line_id": LINE, "charge_type": "Peak",
        "project_id": "0", "create_time": "2024-01-15 18:00:00", "eips": EIPS[:2]}  # the fake clock, Beijing time


def test_check_mode_create_predicts_and_writes_nothing(account):
    result = run(account, check_mode=True, diff=True, eips=[EIPS[0], EIPS[1], EIPS[0]], **POOL)

    predicted = {"id": None, "name": "web-egress", "bandwidth": 50, "line_id": LINE, "charge_type": "Peak",
                 "project_id": None, "create_time": None, "eips": EIPS[:2]}
    assert account.calls == [DESCRIBE]
    assert result["changed"] is True
    assert result["bandwidth_share"] == predicted
    assert result["diff"] == {"before": {}, "after": predicted}


def test_create_in_a_project_sends_and_searches_it(account):
    result = run(account, project_id="1032", **POOL)

    assert account.calls == [
        ("DescribeBandWidthShares", {"ProjectId": ["1032"]}),
        ("CreateBandWidthShare", {"LineId": LINE, "BandWidthShareName": "web-egress", "BandWidth": 50,
                                  "ChargeType": "Peak", "ProjectId": "1032"}),
        ("DescribeBandWidthShares", {"ProjectId": ["1032"]}),
    ]
    assert result["bandwidth_share"]["project_id"] == "1032"
    assert run(account, **POOL)["bandwidth_share"]["project_id"] == "0"  # the default project: a new pool


@pytest.mark.parametrize("legacy,new", [("PostPaidByPeak", "Peak"), ("PostPaidByDay", "Daily"),
                                        ("PostPaidByTransfer", "TrafficMonthly")])
def test_legacy_charge_type_is_sent_and_compared_as_its_new_name(account, legacy, new):
    created = run(account, **pool(charge_type=legacy))
    assert account.calls[1][1]["ChargeType"] == new
    assert created["bandwidth_share"]["charge_type"] == new

    del account.calls[:]
    again = run(account, **pool(charge_type=new))
    assert (again["changed"], account.calls) == (False, [DESCRIBE])


def test_legacy_charge_type_reported_by_the_service_compares_as_its_new_name(account):
    bws_add_share(account, "web-egress", bandwidth=50, charge_type="PostPaidByDay")
    result = run(account, **pool(charge_type="Daily"))
    assert (result["changed"], result["bandwidth_share"]["charge_type"]) == (False, "Daily")

    failed = run(account, **pool(charge_type="PostPaidByPeak"))
    assert failed["failed"] is True
    assert failed["msg"] == ("charge_type cannot be changed on an existing bandwidth share (current: 'Daily', "
                             "requested: 'Peak'); delete and recreate it to change it")
    assert account.calls.writes() == []


@pytest.mark.parametrize("option,value", [("line_id", "15e957ff-5e64-4577-946c-000000000000"),
                                          ("project_id", "1032")])
def test_create_only_options_fail_naming_both_values(account, option, value):
    bws_add_share(account, "web-egress", bandwidth=50, project_id="1032" if option == "line_id" else "0")
    args = pool(project_id="1032") if option == "line_id" else dict(POOL)
    args[option] = value
    result = run(account, **args)
    if option == "project_id":
        # Searched in project 1032 only: the pool of the default project is not this one.
        assert result["changed"] is True and result["bandwidth_share"]["project_id"] == "1032"
        return
    assert result["failed"] is True
    assert result["msg"] == ("line_id cannot be changed on an existing bandwidth share (current: %r, requested: "
                             "%r); delete and recreate it to change it" % (LINE, value))
    assert account.calls.writes() == []


def test_create_needs_line_charge_type_and_bandwidth(account):
    result = run(account, name="web-egress", eips=[EIPS[0]])
    assert result["failed"] is True
    assert result["msg"] == ("line_id and charge_type and bandwidth are required to create shared bandwidth "
                             "'web-egress' (none found in the default project)")
    assert account.calls == [DESCRIBE]


def test_create_answer_wrapped_reading(cloud):
    account = emulated(cloud, create_answer="wrapped")
    result = run(account, eips=[EIPS[0]], **POOL)
    share_id = bws_share(account, "web-egress")["BandWidthShareId"]
    assert ("AssociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[0]}) in account.calls
    assert result["bandwidth_share"]["eips"] == [EIPS[0]]


def test_create_whose_answer_was_lost_goes_on_to_join_the_eips(account):
    account.faults({"service": "bws", "operations": ["CreateBandWidthShare"], "lose_rate": 1.0})
    result = run(account, eips=EIPS[:2], **POOL)

    share_id = bws_share(account, "web-egress")["BandWidthShareId"]
    assert account.calls.actions == ["DescribeBandWidthShares", "CreateBandWidthShare",
                                     "DescribeBandWidthShares", "AssociateBandWidthShare", "AssociateBandWidthShare",
                                     "DescribeBandWidthShares"]
    assert len(bws_shares(account)) == 1
    assert result["changed"] is True
    assert result["bandwidth_share"] == share_result(bws_share(account, "web-egress"))
    assert result["bandwidth_share"]["eips"] == EIPS[:2] and result["bandwidth_share"]["id"] == share_id


# -- bad input: nothing is sent --------------------------------------------------------------------

NAME_RULE = "1 to 64 characters, no control characters, no space at either end"
UUID_RULE = "a UUID: 32 hexadecimal digits in groups of 8-4-4-4-12, such as 3f2a1c9e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"


@pytest.mark.parametrize("args,msg", [
    (pool(bandwidth=0), "bandwidth: must be from 1 to 15000, got 0"),
    (pool(bandwidth=15001), "bandwidth: must be from 1 to 15000, got 15001"),
    (pool(eip_bandwidth=0), "eip_bandwidth: must be from 1 to 15000, got 0"),
    (pool(id="x"), "parameters are mutually exclusive: name|id"),
    (pool(name=""), "name: '' is not a valid shared bandwidth name: " + NAME_RULE),
    (pool(name="web-egress\n"), "name: 'web-egress\\n' is not a valid shared bandwidth name: " + NAME_RULE),
    (pool(name="x" * 65), "name: '%s' is not a valid shared bandwidth name: %s" % ("x" * 65, NAME_RULE)),
    (dict(id="web-egress"), "id: 'web-egress' is not a valid shared bandwidth ID: " + UUID_RULE),
    (pool(line_id=LINE + "\n"), "line_id: '%s\\n' is not a valid line ID: %s" % (LINE, UUID_RULE)),
    (pool(project_id="../x"), "project_id: '../x' is not a valid KSYUN project ID: digits only, such as 0 "
                              "(the default project)"),
    (pool(eips=[EIPS[0], "eip 2"]), "eips[1]: 'eip 2' is not a valid EIP allocation ID: " + UUID_RULE),
    (dict(line_id=LINE), "one of the following is required: name, id"),
    (pool(charge_type="Monthly"), "value of charge_type must be one of: Peak, Daily, TrafficMonthly, "
                                  "PostPaidByPeak, PostPaidByDay, PostPaidByTransfer, got: Monthly"),
])
def test_bad_input_fails_before_any_call(account, args, msg):
    result = run(account, **args)
    assert result["failed"] is True
    assert result["msg"] == msg
    assert account.calls == []


# -- an existing pool --------------------------------------------------------------------------------

def test_idempotent_run_costs_one_read(account):
    bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    result = run(account, diff=True, eips=list(reversed(EIPS[:2])), **POOL)

    assert account.calls == [DESCRIBE]
    assert result["changed"] is False
    assert result["bandwidth_share"]["eips"] == EIPS[:2]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_add_a_third_without_purge(account):
    share = bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    result = run(account, diff=True, name="web-egress", eips=[EIPS[2]], purge_eips=False)

    assert account.calls == [
        DESCRIBE,
        ("AssociateBandWidthShare", {"BandWidthShareId": share["BandWidthShareId"], "AllocationId": EIPS[2]})]
    assert result["changed"] is True
    assert result["diff"]["before"]["eips"] == EIPS[:2]
    assert result["bandwidth_share"]["eips"] == EIPS[:3]
    assert result["diff"]["after"] == result["bandwidth_share"]


def test_removing_needs_eip_bandwidth_before_any_write(account):
    bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:3])
    result = run(account, name="web-egress", eips=[EIPS[0], EIPS[3]])

    assert result["failed"] is True
    assert result["msg"] == ("eip_bandwidth is required to take EIPs %s, %s out of the shared bandwidth: each "
                             "EIP that leaves gets it as its own bandwidth again" % (EIPS[1], EIPS[2]))
    assert account.calls.writes() == []


@pytest.mark.parametrize("check_mode", [True, False])
def test_swap_and_resize(account, check_mode):
    share = bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    share_id = share["BandWidthShareId"]
    result = run(account, check_mode=check_mode, diff=True, name="web-egress", bandwidth=80,
                 eips=[EIPS[1], EIPS[2]], eip_bandwidth=3)

    expected = dict(share_result(share), bandwidth=80, eips=[EIPS[1], EIPS[2]]) if check_mode else \
        share_result(bws_share(account, "web-egress"))
    assert result["changed"] is True
    assert result["bandwidth_share"] == expected
    assert result["diff"]["before"]["bandwidth"] == 50 and result["diff"]["before"]["eips"] == EIPS[:2]
    assert result["diff"]["after"]["bandwidth"] == 80 and result["diff"]["after"]["eips"] == [EIPS[1], EIPS[2]]
    if check_mode:
        assert account.calls == [DESCRIBE]
        return
    assert account.calls[1:] == [
        ("AssociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[2]}),
        ("DisassociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[0], "BandWidth": 3}),
        ("ModifyBandWidthShare", {"BandWidthShareId": share_id, "BandWidth": 80}),
    ]
    assert bws_eip(account, EIPS[0]) == {"line": LINE, "bandwidth": 3, "share": None}


@pytest.mark.parametrize("reading", ["object", "item_list", "return"])
@pytest.mark.parametrize("wire", WIRES)
def test_resize_result_whatever_modify_answers(cloud, reading, wire):
    account = emulated(cloud, wire, modify_answer=reading)
    bws_add_share(account, "web-egress", bandwidth=50, eips=[EIPS[0]])
    result = run(account, name="web-egress", bandwidth=120)

    assert account.calls.writes() == ["ModifyBandWidthShare"]
    assert result["bandwidth_share"] == share_result(bws_share(account, "web-egress"))
    assert result["bandwidth_share"]["bandwidth"] == 120


def test_by_id(account):
    share = bws_add_share(account, "web-egress", bandwidth=50)
    found = run(account, id=share["BandWidthShareId"], bandwidth=50)
    assert (found["changed"], found["bandwidth_share"]["id"]) == (False, share["BandWidthShareId"])

    missing = run(account, id="00000000-0000-4000-8000-000000000000", bandwidth=50)
    assert missing["failed"] is True
    assert missing["msg"] == ("id: no shared bandwidth 00000000-0000-4000-8000-000000000000 in the default "
                              "project; a pool is created by name only")
    assert account.calls.writes() == []


def test_two_pools_with_the_name(account):
    first = bws_add_share(account, "web-egress")
    second = bws_add_share(account, "web-egress")
    result = run(account, **POOL)
    assert result["failed"] is True
    assert result["msg"] == "name: 2 shared bandwidths are named 'web-egress' (%s, %s); use id" % (
        first["BandWidthShareId"], second["BandWidthShareId"])


# -- EIPs that cannot join -------------------------------------------------------------------------

@pytest.mark.parametrize("reading", ["conflict", "invalid_parameter", "move"])
def test_eip_in_another_pool_fails_before_any_write(cloud, reading):
    account = emulated(cloud, eip_pooled=reading)
    other = bws_add_share(account, "batch-egress", eips=[EIPS[2]])
    mine = bws_add_share(account, "web-egress", bandwidth=50, eips=[EIPS[0]])

    for args in (dict(name="web-egress", eips=[EIPS[0], EIPS[2]]), pool(name="new-pool", eips=[EIPS[2]])):
        result = run(account, **args)
        this = "%s (web-egress)" % mine["BandWidthShareId"] if args["name"] == "web-egress" else \
            "'new-pool' (to be created)"
        assert result["failed"] is True
        expected = ("eips: cannot add to shared bandwidth %s: EIP %s is in shared bandwidth %s (batch-egress); "
                    "take them out of it first" % (this, EIPS[2], other["BandWidthShareId"]))
        assert result["msg"] == expected
    assert account.calls.writes() == []
    assert bws_eip(account, EIPS[2])["share"] == other["BandWidthShareId"]


@pytest.mark.parametrize("reading", ["not_found", "invalid_parameter"])
def test_unknown_eip_on_create_leaves_nothing(cloud, reading):
    account = emulated(cloud, unknown_id=reading)
    result = run(account, eips=[UNKNOWN_EIP], **POOL)

    assert result["failed"] is True
    assert result["msg"].startswith("eips: EIP %s does not exist in this region, or cannot join shared "
                                    "bandwidth " % UNKNOWN_EIP)
    assert result["msg"].endswith("; nothing was changed (the new shared bandwidth %s was deleted again)"
                                  % account.calls[-1][1]["BandWidthShareId"])
    assert account.calls.writes() == ["CreateBandWidthShare", "AssociateBandWidthShare", "DeleteBandWidthShare"]
    assert bws_shares(account) == []


def test_the_doc_tells_what_an_unknown_eip_costs_a_new_pool_as_it_happens(account):
    described = " ".join(yaml.safe_load(bandwidth_share.DOCUMENTATION)["options"]["eips"]["description"])
    assert "For a pool that does not exist yet, such an EIP costs a create and a delete" in described
    assert "Check mode cannot find such an EIP either" in described

    assert run(account, check_mode=True, eips=[UNKNOWN_EIP], **POOL)["changed"] is True
    assert account.calls.writes() == []
    assert run(account, eips=[UNKNOWN_EIP], **POOL)["failed"] is True
    assert account.calls.writes() == ["CreateBandWidthShare", "AssociateBandWidthShare", "DeleteBandWidthShare"]


def test_eip_on_another_line_after_one_joined(account):
    result = run(account, eips=[EIPS[0], EIP_ON_OTHER_LINE], **POOL)
    share_id = bws_share(account, "web-egress")["BandWidthShareId"]
    assert result["failed"] is True
    assert result["msg"].endswith("; shared bandwidth %s was created and holds EIPs %s: set eip_bandwidth to let "
                                  "the module delete it again, or fix eips and run the task again"
                                  % (share_id, EIPS[0]))
    assert result["created_id"] == share_id

    emulated(account, account.ksyun_wire)  # the account as it was before the run
    result = run(account, eips=[EIPS[0], EIP_ON_OTHER_LINE], eip_bandwidth=4, **POOL)
    assert "nothing was changed" in result["msg"]
    assert bws_shares(account) == [] and bws_eip(account, EIPS[0]) == {"line": LINE, "bandwidth": 4, "share": None}


def test_unknown_eip_on_an_existing_pool_changes_nothing_else(account):
    bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    result = run(account, name="web-egress", bandwidth=60, eips=[UNKNOWN_EIP], eip_bandwidth=5)
    assert result["failed"] is True and result["msg"].startswith("eips: EIP %s does not exist" % UNKNOWN_EIP)
    assert account.calls.writes() == ["AssociateBandWidthShare"]
    assert share_result(bws_share(account, "web-egress"))["eips"] == EIPS[:2]


# -- absent ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reading", ["refuse", "release"])
def test_absent_takes_eips_out_then_deletes(cloud, reading):
    account = emulated(cloud, delete_in_use=reading)
    share = bws_add_share(account, "web-egress", eips=EIPS[:2])
    result = run(account, diff=True, name="web-egress", eip_bandwidth=2, state="absent")

    share_id = share["BandWidthShareId"]
    assert account.calls == [
        DESCRIBE,
        ("DisassociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[0], "BandWidth": 2}),
        ("DisassociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[1], "BandWidth": 2}),
        ("DeleteBandWidthShare", {"BandWidthShareId": share_id}),
    ]
    assert result["changed"] is True and result["bandwidth_share"] == {}
    assert result["diff"]["before"]["eips"] == EIPS[:2] and result["diff"]["after"] == {}
    assert all(bws_eip(account, e)["bandwidth"] == 2 for e in EIPS[:2])

    del account.calls[:]
    again = run(account, name="web-egress", state="absent")
    assert (again["changed"], account.calls) == (False, [DESCRIBE])


def test_absent_without_eip_bandwidth_fails_before_any_write(account):
    bws_add_share(account, "web-egress", eips=[EIPS[0]])
    result = run(account, name="web-egress", state="absent")
    assert result["failed"] is True
    assert result["msg"].startswith("eip_bandwidth is required to take EIPs %s out" % EIPS[0])
    assert account.calls.writes() == []

    bws_add_share(account, "empty")
    assert run(account, name="empty", state="absent")["changed"] is True


@pytest.mark.parametrize("reading", ["not_found", "invalid_parameter"])
def test_pool_deleted_meanwhile_counts_as_gone(account, reading):
    # BandWidthShareNotFound (404) is gone; InvalidParameterValue (400) is gone once a re-read agrees
    bws_readings(account, unknown_id=reading)
    share = bws_add_share(account, "web-egress")
    account.before_next("DeleteBandWidthShare", lambda: bws_delete_share(account, share["BandWidthShareId"]))
    result = run(account, name="web-egress", state="absent")
    assert result["changed"] is True and "failed" not in result
    reread = ["DescribeBandWidthShares"] if reading == "invalid_parameter" else []
    assert account.calls.actions == ["DescribeBandWidthShares", "DeleteBandWidthShare"] + reread
    assert bws_shares(account) == []


def join_meanwhile(account, share_id, eip_id):
    """Another client put EIP ``eip_id`` into the pool ``share_id``."""
    emu = account.emu
    with emu.store.transaction():
        share, eip = emu.store.get("bws.share", share_id), emu.store.get("bws.eip", eip_id)
        share["_eips"].append(eip_id)
        eip["BandWidthShareId"] = share_id
        emu.store.update("bws.share", share_id, share)
        emu.store.update("bws.eip", eip_id, eip)


@pytest.mark.parametrize("wire", WIRES)
def test_delete_refused_as_invalid_parameter_is_read_back_not_taken_for_gone(cloud, wire):
    # seed 002 L506-513: InvalidParameterValue is the generic refusal; here the pool is in use again
    account = emulated(cloud, wire, delete_in_use="invalid_parameter")
    share = bws_add_share(account, "web-egress", eips=[EIPS[0]])
    share_id = share["BandWidthShareId"]
    account.before_next("DeleteBandWidthShare", lambda: join_meanwhile(account, share_id, EIPS[1]))
    result = run(account, name="web-egress", eip_bandwidth=3, state="absent")

    assert result["failed"] is True
    assert result["msg"].startswith("DeleteBandWidthShare refused shared bandwidth %s (InvalidParameterValue: "
                                    % share_id)
    assert result["msg"].endswith("and it still exists")
    assert account.calls.actions == ["DescribeBandWidthShares", "DisassociateBandWidthShare",
                                     "DeleteBandWidthShare", "DescribeBandWidthShares"]
    assert share_result(bws_share(account, "web-egress"))["eips"] == [EIPS[1]]


# -- Return: false (seed 002 L706-709, L751-754, L803-806) -----------------------------------------

@pytest.mark.parametrize("wire", WIRES)
def test_join_answered_return_false_is_read_back_and_fails(cloud, wire):
    account = emulated(cloud, wire, return_false="always")
    bws_add_share(account, "web-egress", bandwidth=50)
    result = run(account, **pool(eips=[EIPS[0]]))

    share_id = bws_share(account, "web-egress")["BandWidthShareId"]
    assert result["failed"] is True
    assert result["msg"] == ("AssociateBandWidthShare answered Return: false for EIP %s and shared bandwidth %s, "
                             "and a re-read shows it did not happen" % (EIPS[0], share_id))
    assert account.calls[-1] == owners_of(EIPS[0])
    assert bws_eip(account, EIPS[0])["share"] is None


@pytest.mark.parametrize("wire", WIRES)
def test_leave_answered_return_false_is_read_back_and_fails(cloud, wire):
    account = emulated(cloud, wire, return_false="always")
    share = bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    result = run(account, eip_bandwidth=3, **pool(eips=[EIPS[0]]))

    assert result["failed"] is True
    assert result["msg"] == ("DisassociateBandWidthShare answered Return: false for EIP %s and shared bandwidth %s, "
                             "and a re-read shows it did not happen" % (EIPS[1], share["BandWidthShareId"]))
    assert account.calls.actions[-2:] == ["DisassociateBandWidthShare", "DescribeBandWidthShares"]
    assert bws_eip(account, EIPS[1])["share"] == share["BandWidthShareId"]


@pytest.mark.parametrize("wire", WIRES)
def test_delete_answered_return_false_is_read_back_and_fails(cloud, wire):
    account = emulated(cloud, wire, return_false="always")
    share = bws_add_share(account, "web-egress")
    result = run(account, name="web-egress", state="absent")

    assert result["failed"] is True
    assert result["msg"] == ("DeleteBandWidthShare answered Return: false and shared bandwidth %s still exists: "
                             "it was not deleted" % share["BandWidthShareId"])
    assert account.calls.actions == ["DescribeBandWidthShares", "DeleteBandWidthShare", "DescribeBandWidthShares"]
    assert len(bws_shares(account)) == 1


def leave_meanwhile(account, share_id, eip_id):
    """Another client took EIP ``eip_id`` out of the pool ``share_id``."""
    emu = account.emu
    with emu.store.transaction():
        share, eip = emu.store.get("bws.share", share_id), emu.store.get("bws.eip", eip_id)
        share["_eips"].remove(eip_id)
        eip["BandWidthShareId"] = None
        emu.store.update("bws.share", share_id, share)
        emu.store.update("bws.eip", eip_id, eip)


def test_return_false_for_what_happened_anyway_is_done(cloud):
    # Under the `refusals` reading, a leave of an EIP another client took out answers Return: false;
    # the re-read shows the EIP out of the pool, which is what the task wants.
    account = emulated(cloud, return_false="refusals")
    share = bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    share_id = share["BandWidthShareId"]
    account.before_next("DisassociateBandWidthShare", lambda: leave_meanwhile(account, share_id, EIPS[1]))
    result = run(account, eip_bandwidth=3, **pool(eips=[EIPS[0]]))

    assert "failed" not in result and result["changed"] is True
    assert account.answers[-2] == ("DisassociateBandWidthShare", {"Return": False, "RequestId": ANY})
    assert result["bandwidth_share"]["eips"] == [EIPS[0]]


# -- a lost answer ---------------------------------------------------------------------------------

def test_leave_whose_answer_was_lost_is_read_back_not_sent_again(account):
    # Issue #22, Deliver 3: the DisassociateBandWidthShare acted, its answer was lost.
    share = bws_add_share(account, "web-egress", bandwidth=50, eips=EIPS[:2])
    share_id = share["BandWidthShareId"]
    account.fault_next("bws", "DisassociateBandWidthShare", "lose")
    result = run(account, eip_bandwidth=3, **pool(eips=[EIPS[0]]))

    assert "failed" not in result and result["changed"] is True
    assert account.calls == [
        DESCRIBE,
        ("DisassociateBandWidthShare", {"BandWidthShareId": share_id, "AllocationId": EIPS[1], "BandWidth": 3}),
        owners_of(EIPS[1]),
    ]
    assert result["bandwidth_share"]["eips"] == [EIPS[0]]
    assert bws_eip(account, EIPS[1]) == {"line": LINE, "bandwidth": 3, "share": None}


# -- pools listed without their names (seed 002 L870-891) -----------------------------------------

def test_unnamed_listing_never_creates_a_second_pool(cloud):
    account = emulated(cloud, share_name="omitted")
    share = bws_add_share(account, "web-egress", bandwidth=50)
    result = run(account, **POOL)

    assert result["failed"] is True
    assert result["msg"] == ("name: the service lists shared bandwidths without their names (%s), so whether "
                             "'web-egress' exists cannot be told, and creating it again would add a billed pool; "
                             "set id to the pool's ID instead of name" % share["BandWidthShareId"])
    assert account.calls == [DESCRIBE]
    assert len(bws_shares(account)) == 1

    absent = run(account, name="web-egress", state="absent")
    assert absent["failed"] is True and absent["msg"] == result["msg"]
    assert len(bws_shares(account)) == 1

    by_id = run(account, id=share["BandWidthShareId"], bandwidth=50, eips=[])
    assert (by_id["changed"], by_id["bandwidth_share"]["name"]) == (False, None)


@pytest.mark.parametrize("wire", WIRES)
def test_unnamed_listing_with_no_pool_creates_and_returns_the_id(cloud, wire):
    account = emulated(cloud, wire, share_name="omitted")
    created = run(account, eips=[EIPS[0]], **POOL)

    stored = bws_share(account, "web-egress")
    assert created["changed"] is True
    assert created["bandwidth_share"] == dict(share_result(stored), name=None)
    assert created["bandwidth_share"]["id"] == stored["BandWidthShareId"]
    assert account.calls.actions[-1] == "DescribeBandWidthShares"  # read back by its id

    again = run(account, **POOL)
    assert again["failed"] is True and "set id to the pool's ID" in again["msg"]
    pinned = run(account, id=created["bandwidth_share"]["id"], bandwidth=50, eips=[EIPS[0]])
    assert pinned["changed"] is False
    assert len(bws_shares(account)) == 1


def test_unnamed_listing_create_whose_answer_was_lost_is_not_sent_again(cloud):
    account = emulated(cloud, share_name="omitted")
    account.fault_next("bws", "CreateBandWidthShare", "lose")
    result = run(account, **POOL)

    assert result["failed"] is True and "set id to the pool's ID" in result["msg"]
    assert account.calls.actions == ["DescribeBandWidthShares", "CreateBandWidthShare", "DescribeBandWidthShares"]
    assert len(bws_shares(account)) == 1


def test_info_by_name_over_an_unnamed_listing_fails_naming_ids(cloud):
    account = emulated(cloud, share_name="omitted")
    share = bws_add_share(account, "web-egress")
    result = run(account, module=BandwidthShareInfo, name="web-egress")
    assert result["failed"] is True
    assert result["msg"] == ("name: the service lists shared bandwidths without their names (%s), so none can be "
                             "found by name; filter by ids instead" % share["BandWidthShareId"])
    listed = run(account, module=BandwidthShareInfo, ids=[share["BandWidthShareId"]])
    assert [s["id"] for s in listed["bandwidth_shares"]] == [share["BandWidthShareId"]]


# -- fields the documented pool object lacks (seed 002 L561-606; the listing sample L870-891) ------

@pytest.mark.parametrize("reading", ["documented", "sample"])
def test_create_only_fields_the_answer_lacks_are_not_compared(cloud, reading):
    account = emulated(cloud, pool_fields=reading)
    bws_add_share(account, "web-egress", bandwidth=50, charge_type="Daily")
    result = run(account, diff=True, **pool(charge_type="Peak", project_id="0"))

    assert "failed" not in result and result["changed"] is False
    assert account.calls == [("DescribeBandWidthShares", {"ProjectId": ["0"]})]
    assert result["bandwidth_share"]["charge_type"] is None
    assert result["bandwidth_share"]["project_id"] == ("0" if reading == "documented" else None)


def test_create_under_the_sample_shape_returns_what_the_cloud_says(cloud):
    account = emulated(cloud, pool_fields="sample")
    created = run(account, project_id="1032", **POOL)
    assert created["changed"] is True
    assert (created["bandwidth_share"]["charge_type"], created["bandwidth_share"]["project_id"]) == (None, None)
    again = run(account, project_id="1032", **POOL)
    assert again["changed"] is False


def test_check_mode_absent_writes_nothing(account):
    bws_add_share(account, "web-egress", eips=[EIPS[0]])
    result = run(account, check_mode=True, name="web-egress", eip_bandwidth=1, state="absent")
    assert (result["changed"], account.calls) == (True, [DESCRIBE])


# -- bandwidth_share_info ----------------------------------------------------------------------------

@pytest.mark.parametrize("reading", ["not_found", "invalid_parameter"])
def test_info_filters(account, reading):
    bws_readings(account, unknown_id=reading)
    web = bws_add_share(account, "web-egress", eips=[EIPS[0]])
    batch = bws_add_share(account, "batch-egress", eips=[EIPS[1]])
    elsewhere = bws_add_share(account, "web-egress", project_id="1032")

    def names(**args):
        return [s["id"] for s in run(account, module=BandwidthShareInfo, **args)["bandwidth_shares"]]

    assert names() == [web["BandWidthShareId"], batch["BandWidthShareId"]]
    assert names(ids=[batch["BandWidthShareId"], "00000000-0000-4000-8000-00000000dead"]) == \
        [batch["BandWidthShareId"]]
    assert names(name="web-egress", project_ids=["0", "1032"]) == [web["BandWidthShareId"],
                                                                   elsewhere["BandWidthShareId"]]
    assert names(eip=EIPS[1]) == [batch["BandWidthShareId"]]
    assert account.calls[-1] == owners_of(EIPS[1])
    assert names(eip=EIPS[4]) == []
    assert names(ids=["00000000-0000-4000-8000-00000000dead"]) == []
    info = run(account, module=BandwidthShareInfo, eip=EIPS[0])
    assert (info["changed"], info["bandwidth_shares"]) == (False, [share_result(web)])


@pytest.mark.parametrize("args,msg", [
    (dict(ids=["x"]), "ids[0]: 'x' is not a valid shared bandwidth ID: " + UUID_RULE),
    (dict(name="web\n"), "name: 'web\\n' is not a valid shared bandwidth name: " + NAME_RULE),
    (dict(project_ids=["0", "p1"]), "project_ids[1]: 'p1' is not a valid KSYUN project ID: digits only, such as 0 "
                                    "(the default project)"),
    (dict(project_ids=[str(n) for n in range(101)]), "project_ids: at most 100 projects (101 given)"),
    (dict(eip="../x"), "eip: '../x' is not a valid EIP allocation ID: " + UUID_RULE),
])
def test_info_bad_filters_fail_before_any_call(account, args, msg):
    result = run(account, module=BandwidthShareInfo, **args)
    assert result["failed"] is True
    assert result["msg"] == msg
    assert account.calls == []
