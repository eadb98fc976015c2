# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_namespace and kcr_namespace_info against the emulator in process: the calls sent, what
comes back, check mode, diff, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_namespace import KcrNamespace
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_namespace_info import KcrNamespaceInfo

LOOKED_IN = " (looked in the default project; set project_id if it is in another project)"

SECRET = "unit-secret-never-shown-0002"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}
NS = "team-images"


@pytest.fixture
def registry(kcr):
    return kcr.add_instance("prod-registry")


def run(cloud, module=KcrNamespace, check_mode=False, diff=False, **args):
    result = cloud.run(module, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def request_id(result):
    """The emulator's request id (a UUID of its own) that the error carries."""
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", result["error"]["request_id"])
    return result["error"]["request_id"]


def describe(registry, **extra):
    params = {"InstanceId": registry["InstanceId"], "Namespace": NS, "Marker": 0, "MaxResults": 99}
    params.update(extra)
    return ("DescribeNamespace", params)


def test_create_is_private_unless_asked(cloud, kcr, registry):
    result = run(cloud, instance_id=registry["InstanceId"], name=NS)

    assert cloud.calls == [
        describe(registry),
        ("CreateNamespace", {"InstanceId": registry["InstanceId"], "Namespace": NS, "Public": False}),
        describe(registry),
    ]
    assert result["changed"] is True
    assert result["namespace"] == {"instance_id": registry["InstanceId"], "namespace": NS, "public": False,
                                   "repo_count": 0, "create_time": "2024-01-15 18:00:00"}


def test_check_mode_create_predicts_and_writes_nothing(cloud, kcr, registry):
    result = run(cloud, check_mode=True, diff=True, instance_id=registry["InstanceId"], name=NS, public=True)

    predicted = {"instance_id": registry["InstanceId"], "namespace": NS, "public": True, "repo_count": 0,
                 "create_time": None}
    assert cloud.calls == [describe(registry)]
    assert result["namespace"] == predicted
    assert result["diff"] == {"before": {}, "after": predicted}


def test_existing_namespace_by_id_costs_one_read(cloud, kcr, registry):
    kcr.add_namespace(registry, NS, public=True, repos=2)
    result = run(cloud, diff=True, instance_id=registry["InstanceId"], name=NS, public=True)

    assert cloud.calls == [describe(registry)]
    assert result["changed"] is False
    assert result["namespace"]["repo_count"] == 2
    assert result["diff"]["before"] == result["diff"]["after"]


def test_existing_namespace_by_instance_name_costs_one_more_read(cloud, kcr, registry):
    kcr.add_namespace(registry, NS)
    result = run(cloud, instance_name="prod-registry", name=NS)

    assert cloud.calls == [
        ("DescribeInstance", {"InstanceName": "prod-registry", "Marker": 0, "MaxResults": 99}),
        describe(registry),
    ]
    assert result["changed"] is False


def test_the_name_filter_is_matched_exactly(cloud, kcr, registry):
    kcr.add_namespace(registry, NS + "-old", public=True)
    kcr.add_namespace(registry, NS, public=False)
    result = run(cloud, instance_id=registry["InstanceId"], name=NS)
    assert result["changed"] is False
    assert result["namespace"]["namespace"] == NS
    assert result["namespace"]["public"] is False


def test_visibility_change_sends_modify_and_shows_the_diff(cloud, kcr, registry):
    kcr.add_namespace(registry, NS, public=False)
    result = run(cloud, diff=True, instance_id=registry["InstanceId"], name=NS, public=True)

    assert cloud.calls[1:] == [("ModifyNamespaceType", {"InstanceId": registry["InstanceId"], "Namespace": NS,
                                                        "Public": True})]
    assert result["changed"] is True
    assert result["namespace"]["public"] is True
    assert result["diff"]["before"]["public"] is False
    assert result["diff"]["after"]["public"] is True


def test_check_mode_visibility_change_writes_nothing(cloud, kcr, registry):
    kcr.add_namespace(registry, NS, public=False)
    result = run(cloud, check_mode=True, instance_id=registry["InstanceId"], name=NS, public=True)
    assert cloud.calls.writes() == []
    assert result["changed"] is True
    assert result["namespace"]["public"] is True


def test_delete_and_delete_again(cloud, kcr, registry):
    kcr.add_namespace(registry, NS)
    first = run(cloud, instance_id=registry["InstanceId"], name=NS, state="absent")
    second = run(cloud, instance_id=registry["InstanceId"], name=NS, state="absent")

    assert cloud.calls.writes() == ["DeleteNamespace"]
    assert ("DeleteNamespace", {"InstanceId": registry["InstanceId"], "Namespace": NS}) in cloud.calls
    assert (first["changed"], first["namespace"]) == (True, {})
    assert (second["changed"], second["namespace"]) == (False, {})


def test_a_namespace_with_repositories_is_refused_by_the_registry(cloud, kcr, registry):
    kcr.add_namespace(registry, NS, repos=1)
    result = run(cloud, instance_id=registry["InstanceId"], name=NS, state="absent")
    assert result["failed"] is True
    assert result["msg"] == ("kcrs DeleteNamespace failed: NamespaceNotEmpty: The namespace team-images still holds 1 "
                             "repositories; delete them first. (request id %s)" % request_id(result))
    assert result["error"]["code"] == "NamespaceNotEmpty"


def test_quota_exceeded_comes_through(cloud, kcr, registry):
    cloud.settings({"kcrs": {"namespace_quota": 1}})
    kcr.add_namespace(registry, "other")
    result = run(cloud, instance_id=registry["InstanceId"], name=NS)
    assert result["failed"] is True
    message = "The instance %s already has 1 namespaces, its quota." % registry["InstanceId"]
    assert result["msg"] == "kcrs CreateNamespace failed: QuotaExceeded: %s (request id %s)" % (message,
                                                                                                request_id(result))
    assert result["error"] == {"status": 400, "code": "QuotaExceeded", "message": message,
                               "request_id": request_id(result), "service": "kcrs", "operation": "CreateNamespace"}


def test_missing_instance_by_id(cloud, kcr):
    result = run(cloud, instance_id="00000000-0000-4000-8000-999999999999", name=NS)
    assert result["failed"] is True
    assert result["msg"] == "instance_id: KCR instance 00000000-0000-4000-8000-999999999999 not found in region cn-beijing-6"
    assert cloud.calls.writes() == []


def test_missing_instance_by_name(cloud, kcr, registry):
    result = run(cloud, module=KcrNamespaceInfo, instance_name="prod", region="cn-beijing-5")
    assert result["failed"] is True
    assert result["msg"] == "instance_name: no KCR instance named 'prod' in region cn-beijing-5" + LOOKED_IN


@pytest.mark.parametrize("args, msg", [
    ({"name": "Team"}, "name: 'Team' is not a valid KCR namespace name: 2 to 30 characters: lower-case letters, "
                       "digits, '.', '_' and '-', starting with a letter or digit"),
    ({"name": "x"}, "name: 'x' is not a valid KCR namespace name: 2 to 30 characters: lower-case letters, "
                    "digits, '.', '_' and '-', starting with a letter or digit"),
    ({"name": NS, "instance_name": "prod-registry"}, "parameters are mutually exclusive: instance_id|instance_name"),
])
def test_bad_input_fails_before_any_call(cloud, kcr, registry, args, msg):
    result = run(cloud, instance_id=registry["InstanceId"], **args)
    assert result["failed"] is True
    assert result["msg"] == msg
    assert cloud.calls == []


def test_info_pages_300_namespaces_in_4_calls(cloud, kcr, registry):
    cloud.settings({"kcrs": {"namespace_quota": 300}})
    for number in range(1, 301):
        kcr.add_namespace(registry, "ns%04d" % number, public=number % 2 == 0)
    result = run(cloud, module=KcrNamespaceInfo, instance_id=registry["InstanceId"])

    assert [params["Marker"] for action, params in cloud.calls] == [0, 99, 198, 297]
    assert [params["MaxResults"] for action, params in cloud.calls] == [99] * 4
    assert [n["namespace"] for n in result["namespaces"]] == ["ns%04d" % n for n in range(1, 301)]


def test_info_filters(cloud, kcr, registry):
    kcr.add_namespace(registry, NS, public=True)
    kcr.add_namespace(registry, NS + "-old", public=True)
    kcr.add_namespace(registry, "private", public=False)
    public = run(cloud, module=KcrNamespaceInfo, instance_id=registry["InstanceId"], public=True)
    named = run(cloud, module=KcrNamespaceInfo, instance_id=registry["InstanceId"], name=NS)

    assert cloud.calls[0] == ("DescribeNamespace", {"InstanceId": registry["InstanceId"], "Public": True,
                                                    "Marker": 0, "MaxResults": 99})
    assert [n["namespace"] for n in public["namespaces"]] == [NS, NS + "-old"]
    assert [n["namespace"] for n in named["namespaces"]] == [NS]


# -- a missing instance under every reading of the not-found answer --------------------------------------

MISSING = "00000000-0000-4000-8000-00000000dead"


@pytest.mark.parametrize("code", ["InstanceNotFound", "InvalidInstanceId.NotFound", "InstanceNotExist"])
def test_each_instance_not_found_code_is_understood_without_another_read(cloud, kcr, registry, code):
    cloud.settings({"readings": {"kcrs": {"instance_not_found_code": code}}})

    result = run(cloud, instance_id=MISSING, name=NS)

    assert result["msg"] == "instance_id: KCR instance %s not found in region cn-beijing-6" % MISSING
    assert cloud.calls.actions == ["DescribeNamespace"]


@pytest.mark.parametrize("not_found, calls", [
    # the common code leaves open what is missing: one DescribeInstance decides
    ("common", ["DescribeNamespace", "DescribeInstance"]),
    # an empty listing lets the create go out; its refusal is explained the same way
    ("empty", ["DescribeNamespace", "CreateNamespace", "DescribeInstance"]),
])
def test_a_missing_instance_is_named_under_the_other_readings(cloud, kcr, registry, not_found, calls):
    cloud.settings({"readings": {"kcrs": {"not_found": not_found}}})

    result = run(cloud, instance_id=MISSING, name=NS)

    assert result["msg"] == "instance_id: KCR instance %s not found in region cn-beijing-6" % MISSING
    assert cloud.calls.actions == calls
    assert cloud.calls[-1] == ("DescribeInstance", {"InstanceId": [MISSING], "Marker": 0, "MaxResults": 99})


def test_the_common_code_for_something_else_is_passed_on(cloud, kcr, registry):
    cloud.settings({"readings": {"kcrs": {"not_found": "common"}}})
    kcr.add_namespace(registry, NS)
    cloud.faults({"service": "kcrs", "operations": ["ModifyNamespaceType"], "times": 1, "error_rate": 1.0,
                  "error_status": 400, "error_code": "InvalidParameterValue", "error_message": "bad Public"})

    result = run(cloud, instance_id=registry["InstanceId"], name=NS, public=True)

    assert result["msg"] == ("kcrs ModifyNamespaceType failed: InvalidParameterValue: bad Public (request id %s)"
                             % request_id(result))
    # the namespace was just listed: nothing is missing, no read to find out
    assert cloud.calls.actions == ["DescribeNamespace", "ModifyNamespaceType"]


@pytest.mark.parametrize("not_found", ["codes", "common", "empty"])
def test_absent_twice_costs_one_read_each(cloud, kcr, registry, not_found):
    cloud.settings({"readings": {"kcrs": {"not_found": not_found}}})
    kcr.add_namespace(registry, NS)

    first = run(cloud, instance_id=registry["InstanceId"], name=NS, state="absent")
    calls = len(cloud.calls)
    second = run(cloud, instance_id=registry["InstanceId"], name=NS, state="absent")

    assert first["changed"] is True and second["changed"] is False
    assert cloud.calls.actions[calls:] == ["DescribeNamespace"]


# -- the instance looked up by name in the projects of project_id ------------------------------------------

def test_an_instance_of_another_project_is_found_by_name_with_project_id(cloud, kcr):
    other = kcr.add_instance("team-registry", project_id="7")

    without = run(cloud, instance_name="team-registry", name=NS)
    with_project = run(cloud, instance_name="team-registry", project_id=["7"], name=NS)

    # without project_id: what DescribeInstance lists unfiltered (here the default project only)
    assert without["msg"] == ("instance_name: no KCR instance named 'team-registry' in region cn-beijing-6"
                              + LOOKED_IN)
    lookups = [c for c in cloud.calls if c[0] == "DescribeInstance"]
    assert "ProjectId" not in lookups[0][1]
    assert lookups[1][1]["ProjectId"] == ["7"] and lookups[1][1]["InstanceName"] == "team-registry"
    assert with_project["changed"] is True
    assert with_project["namespace"]["instance_id"] == other["InstanceId"]
    assert [n["Namespace"] for n in kcr.namespaces(other)] == [NS]
