# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_instance and kcr_instance_info against the emulator in process: the calls sent, what comes
back, check mode, diff, waits (delays.kcrs.* on the test's clock), and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_instance import KcrInstance
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_instance_info import KcrInstanceInfo

SECRET = "unit-secret-never-shown-0001"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}
NAME = "prod-registry"
LOOKUP = ("DescribeInstance", {"InstanceName": NAME, "Marker": 0, "MaxResults": 99})


def run(cloud, check_mode=False, diff=False, **args):
    args.setdefault("name", NAME)
    result = cloud.run(KcrInstance, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def run_info(cloud, **args):
    result = cloud.run(KcrInstanceInfo, dict(AUTH, **args))
    assert SECRET not in json.dumps(result)
    return result


# -- create ----------------------------------------------------------------------------------------

def test_create_sends_the_defaults_and_waits_until_running(cloud, kcr, clock):
    cloud.settings({"delays": {"kcrs.instance": 3}})  # Creating at 0 s and 2 s, Running at 4 s
    result = run(cloud, instance_type="premium")

    created = kcr.instance(NAME)
    assert cloud.calls == [
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
    assert created["CreateTime"] == "2024-01-15 18:00:00"  # the test's clock, Beijing time
    assert "diff" not in result


def test_create_monthly_in_a_project_looks_there_and_sends_the_subscription(cloud, kcr):
    result = run(cloud, charge_type="Monthly", purchase_time=12, project_id="7", wait=False)

    lookup = ("DescribeInstance", {"InstanceName": NAME, "ProjectId": ["0", "7"], "Marker": 0, "MaxResults": 99})
    assert cloud.calls == [
        lookup,
        ("CreateInstance", {"InstanceName": NAME, "InstanceType": "basic", "ChargeType": "Monthly",
                            "PurchaseTime": 12, "ProjectId": "7"}),
        lookup,
    ]
    assert result["instance"]["instance_status"] == "Creating"
    assert result["instance"]["charge_type"] == "Monthly"
    assert result["instance"]["project_id"] == "7"
    assert result["instance"]["expired_time"] == "2025-01-15 18:00:00"  # created + 12 months


def test_check_mode_create_predicts_and_writes_nothing(cloud, kcr):
    result = run(cloud, check_mode=True, diff=True, instance_type="premium", include_usage=True)

    assert cloud.calls == [LOOKUP]
    predicted = {
        "instance_id": None, "instance_name": NAME, "instance_type": "premium", "instance_status": "Running",
        "internal_endpoint": None, "charge_type": "HourlyInstantSettlement", "project_id": "0",
        "create_time": None, "expired_time": None,
        "usage": {"namespace_quota": None, "namespace_usage": 0, "repo_quota": None, "repo_usage": 0},
    }
    assert result["changed"] is True
    assert result["instance"] == predicted
    assert result["diff"] == {"before": {}, "after": predicted}


def test_check_mode_without_wait_predicts_creating(cloud, kcr):
    result = run(cloud, check_mode=True, wait=False)
    assert result["instance"]["instance_status"] == "Creating"
    assert cloud.calls.writes() == []


def test_creation_that_ends_in_error_fails_with_the_instance(cloud, kcr):
    cloud.settings({"kcrs": {"instance_outcome": "Error"}})
    result = run(cloud)

    assert result["failed"] is True
    assert result["msg"] == "instance entered status Error"
    assert result["instance"]["instance_name"] == NAME
    assert result["instance"]["instance_status"] == "Error"


def test_wait_times_out_after_wait_timeout(cloud, kcr, clock):
    cloud.settings({"delays": {"kcrs.instance": 1000}})
    result = run(cloud, wait_timeout=6)

    assert result["failed"] is True
    assert result["msg"] == "timed out after 6s waiting for instance to become Running (last status seen: Creating)"
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert cloud.calls.actions == ["DescribeInstance", "CreateInstance"] + ["DescribeInstance"] * 4


def test_no_wait_returns_at_once(cloud, kcr, clock):
    result = run(cloud, wait=False)
    assert result["instance"]["instance_status"] == "Creating"
    assert clock.sleeps == []
    assert cloud.calls.actions == ["DescribeInstance", "CreateInstance", "DescribeInstance"]


def test_a_name_taken_outside_the_projects_looked_in_is_explained(cloud, kcr):
    kcr.add_instance(NAME, project_id="12")
    result = run(cloud)

    assert result["failed"] is True
    assert result["msg"] == ("name: a KCR instance named 'prod-registry' already exists in this account, but not in "
                             "the default project (instance names are account-wide); set project_id to the project "
                             "it is in")
    assert result["error"]["code"] == "InstanceNameAlreadyExists"
    assert result["error"]["operation"] == "CreateInstance"


# -- existing instances ----------------------------------------------------------------------------

def test_existing_instance_costs_exactly_one_read(cloud, kcr):
    doc = kcr.add_instance(NAME, instance_type="premium")
    result = run(cloud, diff=True, instance_type="premium", charge_type="HourlyInstantSettlement", project_id="0")

    assert cloud.calls == [LOOKUP]
    assert result["changed"] is False
    assert result["instance"]["instance_id"] == doc["InstanceId"]
    assert result["diff"]["before"] == result["diff"]["after"] == result["instance"]


def test_usage_costs_one_more_read_even_with_diff(cloud, kcr):
    doc = kcr.add_instance(NAME)
    kcr.add_namespace(doc, "library", repos=3)
    result = run(cloud, diff=True, include_usage=True)

    assert cloud.calls == [LOOKUP, ("DescribeInstanceUsage", {"InstanceId": doc["InstanceId"]})]
    assert result["instance"]["usage"] == {"namespace_quota": 50, "namespace_usage": 1, "repo_quota": 1000,
                                           "repo_usage": 3}
    assert result["diff"]["before"]["usage"] == result["instance"]["usage"]


def test_lookup_pages_at_99_and_matches_the_exact_name(cloud, kcr):
    kcr.add_instance(NAME)
    for number in range(150):
        kcr.add_instance("%s-%03d" % (NAME, number))
    result = run(cloud)

    assert cloud.calls == [LOOKUP, ("DescribeInstance", {"InstanceName": NAME, "Marker": 99, "MaxResults": 99})]
    assert result["changed"] is False
    assert result["instance"]["instance_name"] == NAME


def test_public_domain_is_returned_when_the_service_reports_it(cloud, kcr):
    kcr.add_instance(NAME, PublicDomain="prod-registry-pub.ksyunkcr.com")
    assert run(cloud)["instance"]["public_domain"] == "prod-registry-pub.ksyunkcr.com"


def test_a_creating_instance_is_waited_for_without_a_write(cloud, kcr):
    kcr.add_instance(NAME, status="Creating")
    kcr.will_change(NAME, after=2)  # Creating at the first read, Running at the next
    result = run(cloud)
    assert result["changed"] is False
    assert result["instance"]["instance_status"] == "Running"
    assert cloud.calls.actions == ["DescribeInstance", "DescribeInstance"]


@pytest.mark.parametrize("option, value, current", [
    ("instance_type", "basic", "premium"),
    ("charge_type", "Monthly", "HourlyInstantSettlement"),
    ("project_id", "7", "0"),
])
def test_create_only_options_that_differ_fail_without_a_write(cloud, kcr, option, value, current):
    kcr.add_instance(NAME, instance_type="premium")
    args = {option: value}
    if value == "Monthly":
        args["purchase_time"] = 1
    result = run(cloud, **args)

    assert result["failed"] is True
    assert result["msg"] == ("%s cannot be changed on an existing instance (current: %r, requested: %r); "
                             "delete and recreate it to change it" % (option, current, value))
    assert cloud.calls.writes() == []


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
def test_bad_input_fails_before_any_call(cloud, kcr, args, msg):
    result = run(cloud, **args)
    assert result["failed"] is True
    assert result["msg"] == msg
    assert cloud.calls == []


def test_instance_name_is_an_alias_of_name(cloud, kcr):
    kcr.add_instance(NAME)
    result = cloud.run(KcrInstance, dict(AUTH, instance_name=NAME))
    assert result["changed"] is False
    assert cloud.calls == [LOOKUP]


# -- delete ----------------------------------------------------------------------------------------

def test_delete_sends_delete_bucket_and_waits_until_gone(cloud, kcr, clock):
    doc = kcr.add_instance(NAME)
    cloud.settings({"delays": {"kcrs.instance_delete": 3}})  # Deleting at 2 s, gone at 4 s
    result = run(cloud, state="absent", delete_bucket=True)

    assert cloud.calls == [LOOKUP, ("DeleteInstance", {"InstanceId": doc["InstanceId"], "DeleteBucket": True}),
                           LOOKUP, LOOKUP]
    assert clock.sleeps == [2.0, 2.0]
    assert result == dict(result, changed=True, instance={})
    assert kcr.instances() == []


def test_delete_keeps_the_bucket_by_default_and_can_skip_the_wait(cloud, kcr):
    doc = kcr.add_instance(NAME)
    result = run(cloud, state="absent", wait=False)
    assert cloud.calls == [LOOKUP, ("DeleteInstance", {"InstanceId": doc["InstanceId"], "DeleteBucket": False})]
    assert result["changed"] is True


def test_check_mode_delete_reports_without_deleting(cloud, kcr):
    doc = kcr.add_instance(NAME)
    result = run(cloud, check_mode=True, diff=True, state="absent")
    assert cloud.calls == [LOOKUP]
    assert result["changed"] is True
    assert result["instance"] == {}
    assert result["diff"]["before"]["instance_id"] == doc["InstanceId"]
    assert result["diff"]["after"] == {}


def test_absent_when_missing_is_one_read(cloud, kcr):
    result = run(cloud, state="absent", include_usage=True)
    assert cloud.calls == [LOOKUP]
    assert result["changed"] is False


def test_an_instance_already_deleting_is_left_to_finish(cloud, kcr):
    kcr.add_instance(NAME, status="Deleting")
    kcr.will_change(NAME, after=2)  # Deleting at the first read, gone at the next
    result = run(cloud, state="absent")

    assert cloud.calls.writes() == []
    assert result["changed"] is False
    assert kcr.instances() == []  # waited until it was gone


def test_present_on_a_deleting_instance_fails_clearly(cloud, kcr):
    kcr.add_instance(NAME, status="Deleting")
    result = run(cloud)
    assert result["failed"] is True
    assert result["msg"] == "instance is being deleted (status Deleting); run the task again once it is gone"
    assert cloud.calls.writes() == []


# -- kcr_instance_info -----------------------------------------------------------------------------

def test_info_lists_the_default_project_newest_first(cloud, kcr):
    kcr.add_instance("first")
    kcr.add_instance("second")
    kcr.add_instance("elsewhere", project_id="7")
    result = run_info(cloud)

    assert cloud.calls == [("DescribeInstance", {"Marker": 0, "MaxResults": 99})]
    assert result["changed"] is False
    assert [i["instance_name"] for i in result["instances"]] == ["second", "first"]


def test_info_filters_and_usage(cloud, kcr):
    first = kcr.add_instance("registry")
    kcr.add_instance("registry-two", project_id="7")
    kcr.add_namespace(first, "library")
    result = run_info(cloud, name="registry", project_ids=["0", "7"], instance_ids=[first["InstanceId"]],
                      include_usage=True)

    assert cloud.calls == [
        ("DescribeInstance", {"InstanceId": [first["InstanceId"]], "InstanceName": "registry",
                              "ProjectId": ["0", "7"], "Marker": 0, "MaxResults": 99}),
        ("DescribeInstanceUsage", {"InstanceId": first["InstanceId"]}),
    ]
    assert len(result["instances"]) == 1
    assert result["instances"][0]["instance_id"] == first["InstanceId"]
    assert result["instances"][0]["usage"] == {"namespace_quota": 50, "namespace_usage": 1, "repo_quota": 1000,
                                               "repo_usage": 0}


def test_info_name_is_exact(cloud, kcr):
    kcr.add_instance("registry-two")
    assert run_info(cloud, name="registry")["instances"] == []


def test_info_bad_name_fails_before_any_call(cloud, kcr):
    result = run_info(cloud, name="Registry")
    assert result["failed"] is True
    assert result["msg"].startswith("name: 'Registry' is not a valid KCR instance name")
    assert cloud.calls == []


def test_info_splits_more_ids_than_one_request_takes(cloud, kcr):
    made = [kcr.add_instance("registry-%03d" % n) for n in range(3)]
    wanted = [m["InstanceId"] for m in made] + ["00000000-0000-4000-8000-%012d" % n for n in range(100, 200)]
    result = run_info(cloud, instance_ids=wanted)

    sent = [params["InstanceId"] for name, params in cloud.calls]
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
def test_info_bad_ids_fail_before_any_call(cloud, kcr, args, msg):
    result = run_info(cloud, **args)
    assert result["failed"] is True
    assert result["msg"].startswith(msg)
    assert cloud.calls == []
