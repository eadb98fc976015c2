# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_instance and kcr_instance_info against an in-memory KCR account: the calls sent, what comes
back, check mode, diff, waits, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_instance import KcrInstance
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_instance_info import KcrInstanceInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import FakeClock, run_module
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.kcr_fake import FakeKcr

SECRET = "unit-secret-never-shown-0001"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}
NAME = "prod-registry"
LOOKUP = ("DescribeInstance", {"InstanceName": NAME, "Marker": 0, "MaxResults": 99})


def run(account, check_mode=False, diff=False, clock=None, **args):
    args.setdefault("name", NAME)
    result = run_module(KcrInstance, dict(AUTH, **args), account, check_mode=check_mode, diff=diff, clock=clock)
    assert SECRET not in json.dumps(result)
    return result


def run_info(account, **args):
    result = run_module(KcrInstanceInfo, dict(AUTH, **args), account)
    assert SECRET not in json.dumps(result)
    return result


@pytest.fixture
def account():
    return FakeKcr()


# -- create ----------------------------------------------------------------------------------------

def test_create_sends_the_defaults_and_waits_until_running(account):
    account.creating_reads = 2
    clock = FakeClock()
    result = run(account, clock=clock, instance_type="premium")

    created = account.instance(NAME)
    assert account.calls == [
        LOOKUP,
        ("CreateInstance", {"InstanceName": NAME, "InstanceType": "premium", "ChargeType": "HourlyInstantSettlement"}),
        LOOKUP, LOOKUP, LOOKUP,  # read back (Creating), a poll (Creating), a poll (Running)
    ]
    assert clock.sleeps == [2.0, 2.0]
    assert result["changed"] is True
    assert result["instance"] == {
        "instance_id": created["InstanceId"],
        "instance_name": NAME,
        "instance_type": "premium",
        "instance_status": "Running",
        "internal_endpoint": "prod-registry.ksyunkcr.com",
        "charge_type": "HourlyInstantSettlement",
        "project_id": "0",
        "create_time": created["CreateTime"],
        "expired_time": None,
    }
    assert "diff" not in result


def test_create_monthly_in_a_project_looks_there_and_sends_the_subscription(account):
    result = run(account, charge_type="Monthly", purchase_time=12, project_id="7", wait=False)

    lookup = ("DescribeInstance", {"InstanceName": NAME, "ProjectId": ["0", "7"], "Marker": 0, "MaxResults": 99})
    assert account.calls == [
        lookup,
        ("CreateInstance", {"InstanceName": NAME, "InstanceType": "basic", "ChargeType": "Monthly",
                            "PurchaseTime": 12, "ProjectId": "7"}),
        lookup,
    ]
    assert result["instance"]["instance_status"] == "Creating"
    assert result["instance"]["charge_type"] == "Monthly"
    assert result["instance"]["project_id"] == "7"
    assert result["instance"]["expired_time"] == "2025-01-15 08:30:00"


def test_check_mode_create_predicts_and_writes_nothing(account):
    result = run(account, check_mode=True, diff=True, instance_type="premium", include_usage=True)

    assert account.calls == [LOOKUP]
    predicted = {
        "instance_id": None, "instance_name": NAME, "instance_type": "premium", "instance_status": "Running",
        "internal_endpoint": None, "charge_type": "HourlyInstantSettlement", "project_id": "0",
        "create_time": None, "expired_time": None,
        "usage": {"namespace_quota": None, "namespace_usage": 0, "repo_quota": None, "repo_usage": 0},
    }
    assert result["changed"] is True
    assert result["instance"] == predicted
    assert result["diff"] == {"before": {}, "after": predicted}


def test_check_mode_without_wait_predicts_creating(account):
    result = run(account, check_mode=True, wait=False)
    assert result["instance"]["instance_status"] == "Creating"
    assert account.writes() == []


def test_creation_that_ends_in_error_fails_with_the_instance(account):
    account.create_outcome = "Error"
    result = run(account)

    assert result["failed"] is True
    assert result["msg"] == "instance entered status Error"
    assert result["instance"]["instance_name"] == NAME
    assert result["instance"]["instance_status"] == "Error"


def test_wait_times_out_after_wait_timeout(account):
    account.creating_reads = 1000
    clock = FakeClock()
    result = run(account, clock=clock, wait_timeout=6)

    assert result["failed"] is True
    assert result["msg"] == "timed out after 6s waiting for instance to become Running (last status seen: Creating)"
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert account.actions == ["DescribeInstance", "CreateInstance"] + ["DescribeInstance"] * 4


def test_no_wait_returns_at_once(account):
    clock = FakeClock()
    result = run(account, clock=clock, wait=False)
    assert result["instance"]["instance_status"] == "Creating"
    assert clock.sleeps == []
    assert account.actions == ["DescribeInstance", "CreateInstance", "DescribeInstance"]


def test_a_name_taken_outside_the_projects_looked_in_is_explained(account):
    account.add_instance(NAME, project_id="12")
    result = run(account)

    assert result["failed"] is True
    assert result["msg"] == ("name: a KCR instance named 'prod-registry' already exists in this account, but not in "
                             "the default project (instance names are account-wide); set project_id to the project "
                             "it is in")
    assert result["error"]["code"] == "InstanceNameAlreadyExists"
    assert result["error"]["operation"] == "CreateInstance"


# -- existing instances ----------------------------------------------------------------------------

def test_existing_instance_costs_exactly_one_read(account):
    doc = account.add_instance(NAME, instance_type="premium")
    result = run(account, diff=True, instance_type="premium", charge_type="HourlyInstantSettlement", project_id="0")

    assert account.calls == [LOOKUP]
    assert result["changed"] is False
    assert result["instance"]["instance_id"] == doc["InstanceId"]
    assert result["diff"]["before"] == result["diff"]["after"] == result["instance"]


def test_usage_costs_one_more_read_even_with_diff(account):
    doc = account.add_instance(NAME)
    account.add_namespace(doc, "library", repo_count=3)
    result = run(account, diff=True, include_usage=True)

    assert account.calls == [LOOKUP, ("DescribeInstanceUsage", {"InstanceId": doc["InstanceId"]})]
    assert result["instance"]["usage"] == {"namespace_quota": 50, "namespace_usage": 1, "repo_quota": 1000,
                                           "repo_usage": 3}
    assert result["diff"]["before"]["usage"] == result["instance"]["usage"]


def test_lookup_pages_at_99_and_matches_the_exact_name(account):
    account.add_instance(NAME)
    for number in range(150):
        account.add_instance("%s-%03d" % (NAME, number))
    result = run(account)

    assert account.calls == [LOOKUP, ("DescribeInstance", {"InstanceName": NAME, "Marker": 99, "MaxResults": 99})]
    assert result["changed"] is False
    assert result["instance"]["instance_name"] == NAME


def test_public_domain_is_returned_when_the_service_reports_it(account):
    account.add_instance(NAME, PublicDomain="prod-registry-pub.ksyunkcr.com")
    assert run(account)["instance"]["public_domain"] == "prod-registry-pub.ksyunkcr.com"


def test_a_creating_instance_is_waited_for_without_a_write(account):
    account.add_instance(NAME, status="Creating")
    account.will_change(NAME, reads=1, status="Running")
    result = run(account)
    assert result["changed"] is False
    assert result["instance"]["instance_status"] == "Running"
    assert account.actions == ["DescribeInstance", "DescribeInstance"]


@pytest.mark.parametrize("option, value, current", [
    ("instance_type", "basic", "premium"),
    ("charge_type", "Monthly", "HourlyInstantSettlement"),
    ("project_id", "7", "0"),
])
def test_create_only_options_that_differ_fail_without_a_write(account, option, value, current):
    account.add_instance(NAME, instance_type="premium")
    args = {option: value}
    if value == "Monthly":
        args["purchase_time"] = 1
    result = run(account, **args)

    assert result["failed"] is True
    assert result["msg"] == ("%s cannot be changed on an existing instance (current: %r, requested: %r); "
                             "delete and recreate it to change it" % (option, current, value))
    assert account.writes() == []


@pytest.mark.parametrize("args, msg", [
    ({"name": "Prod_Registry"}, "name: 'Prod_Registry' is not a valid KCR instance name: 2 to 30 characters: "
                                "lower-case letters, digits and '-', starting with a letter"),
    ({"name": "7registry"}, "name: '7registry' is not a valid KCR instance name: 2 to 30 characters: "
                            "lower-case letters, digits and '-', starting with a letter"),
    ({"purchase_time": 3}, "purchase_time: only allowed with charge_type=Monthly"),
    ({"charge_type": "Monthly", "purchase_time": 0}, "purchase_time: must be from 1 to 36, got 0"),
    ({"charge_type": "Monthly", "purchase_time": 37}, "purchase_time: must be from 1 to 36, got 37"),
    ({"project_id": "../x"}, "project_id: '../x' is not a valid KSYUN project ID: digits only, such as 0 "
                             "(the default project)"),
    ({"project_id": "7\n"}, "project_id: '7\\n' is not a valid KSYUN project ID: digits only, such as 0 "
                            "(the default project)"),
    ({"name": "registry\n"}, "name: 'registry\\n' is not a valid KCR instance name: 2 to 30 characters: "
                             "lower-case letters, digits and '-', starting with a letter"),
    ({"charge_type": "Monthly"}, "charge_type is Monthly but all of the following are missing: purchase_time"),
    ({"instance_type": "gold"}, "value of instance_type must be one of: basic, premium, got: gold"),
])
def test_bad_input_fails_before_any_call(account, args, msg):
    result = run(account, **args)
    assert result["failed"] is True
    assert result["msg"] == msg
    assert account.calls == []


def test_instance_name_is_an_alias_of_name(account):
    account.add_instance(NAME)
    result = run_module(KcrInstance, dict(AUTH, instance_name=NAME), account)
    assert result["changed"] is False
    assert account.calls == [LOOKUP]


# -- delete ----------------------------------------------------------------------------------------

def test_delete_sends_delete_bucket_and_waits_until_gone(account):
    doc = account.add_instance(NAME)
    account.deleting_reads = 1
    clock = FakeClock()
    result = run(account, clock=clock, state="absent", delete_bucket=True)

    assert account.calls == [LOOKUP, ("DeleteInstance", {"InstanceId": doc["InstanceId"], "DeleteBucket": True}),
                             LOOKUP, LOOKUP]
    assert clock.sleeps == [2.0, 2.0]
    assert result == dict(result, changed=True, instance={})
    assert account.instances == []


def test_delete_keeps_the_bucket_by_default_and_can_skip_the_wait(account):
    doc = account.add_instance(NAME)
    result = run(account, state="absent", wait=False)
    assert account.calls == [LOOKUP, ("DeleteInstance", {"InstanceId": doc["InstanceId"], "DeleteBucket": False})]
    assert result["changed"] is True


def test_check_mode_delete_reports_without_deleting(account):
    doc = account.add_instance(NAME)
    result = run(account, check_mode=True, diff=True, state="absent")
    assert account.calls == [LOOKUP]
    assert result["changed"] is True
    assert result["instance"] == {}
    assert result["diff"]["before"]["instance_id"] == doc["InstanceId"]
    assert result["diff"]["after"] == {}


def test_absent_when_missing_is_one_read(account):
    result = run(account, state="absent", include_usage=True)
    assert account.calls == [LOOKUP]
    assert result["changed"] is False


def test_an_instance_already_deleting_is_left_to_finish(account):
    account.add_instance(NAME, status="Deleting")
    account.will_change(NAME, reads=1)
    result = run(account, state="absent")

    assert account.writes() == []
    assert result["changed"] is False
    assert account.instances == []  # waited until it was gone


def test_present_on_a_deleting_instance_fails_clearly(account):
    account.add_instance(NAME, status="Deleting")
    result = run(account)
    assert result["failed"] is True
    assert result["msg"] == "instance is being deleted (status Deleting); run the task again once it is gone"
    assert account.writes() == []


# -- kcr_instance_info -----------------------------------------------------------------------------

def test_info_lists_the_default_project_newest_first(account):
    account.add_instance("first")
    account.add_instance("second")
    account.add_instance("elsewhere", project_id="7")
    result = run_info(account)

    assert account.calls == [("DescribeInstance", {"Marker": 0, "MaxResults": 99})]
    assert result["changed"] is False
    assert [i["instance_name"] for i in result["instances"]] == ["second", "first"]


def test_info_filters_and_usage(account):
    first = account.add_instance("registry")
    account.add_instance("registry-two", project_id="7")
    account.add_namespace(first, "library")
    result = run_info(account, name="registry", project_ids=["0", "7"], instance_ids=[first["InstanceId"]],
                      include_usage=True)

    assert account.calls == [
        ("DescribeInstance", {"InstanceId": [first["InstanceId"]], "InstanceName": "registry",
                              "ProjectId": ["0", "7"], "Marker": 0, "MaxResults": 99}),
        ("DescribeInstanceUsage", {"InstanceId": first["InstanceId"]}),
    ]
    assert len(result["instances"]) == 1
    assert result["instances"][0]["instance_id"] == first["InstanceId"]
    assert result["instances"][0]["usage"] == {"namespace_quota": 50, "namespace_usage": 1, "repo_quota": 1000,
                                               "repo_usage": 0}


def test_info_name_is_exact(account):
    account.add_instance("registry-two")
    assert run_info(account, name="registry")["instances"] == []


def test_info_bad_name_fails_before_any_call(account):
    result = run_info(account, name="Registry")
    assert result["failed"] is True
    assert result["msg"].startswith("name: 'Registry' is not a valid KCR instance name")
    assert account.calls == []


def test_info_splits_more_ids_than_one_request_takes(account):
    made = [account.add_instance("registry-%03d" % n) for n in range(3)]
    wanted = [m["InstanceId"] for m in made] + ["00000000-0000-4000-8000-%012d" % n for n in range(100, 200)]
    result = run_info(account, instance_ids=wanted)

    sent = [params["InstanceId"] for name, params in account.calls]
    assert [len(ids) for ids in sent] == [100, 3]
    assert sum(sent, []) == wanted
    assert sorted(i["instance_name"] for i in result["instances"]) == ["registry-000", "registry-001", "registry-002"]


@pytest.mark.parametrize("args, msg", [
    (dict(instance_ids=["00000000-0000-4000-8000-000000000001", "registry"]),
     "instance_ids[1]: 'registry' is not a valid KCR instance ID: a UUID"),
    (dict(instance_ids=["00000000-0000-4000-8000-000000000001\n"]),
     "instance_ids[0]: '00000000-0000-4000-8000-000000000001\\n' is not a valid KCR instance ID"),
    (dict(project_ids=["0", "../x"]), "project_ids[1]: '../x' is not a valid KSYUN project ID: digits only"),
    (dict(project_ids=[str(n) for n in range(101)]), "project_ids: at most 100 projects (101 given)"),
    (dict(name="registry\n"), "name: 'registry\\n' is not a valid KCR instance name"),
])
def test_info_bad_ids_fail_before_any_call(account, args, msg):
    result = run_info(account, **args)
    assert result["failed"] is True
    assert result["msg"].startswith(msg)
    assert account.calls == []
