# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode across a play whose parents would be created: the instance task predicts an instance
without an id, so the tasks after it get ``instance_id: null`` (or a name not found yet), and a
namespace task may predict a namespace the webhook task then names. Each predicts its resource as
created, warns once, writes nothing, and no message shows None."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_namespace import KcrNamespace
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_namespace_info import KcrNamespaceInfo
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_token import KcrToken
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_webhook import KcrWebhook

LOOKED_IN = " (looked in the default project; set project_id if it is in another project)"
AUTH = {"access_key": "AKLTUNIT", "secret_key": "unit-secret-never-shown-0009"}
UNKNOWN_ID = "instance_id has no value: check mode assumes an earlier task creates the KCR instance"


def run(cloud, module, check_mode=True, **args):
    result = cloud.run(module, dict(AUTH, **args), check_mode=check_mode)
    assert "None" not in json.dumps(result)
    return result


def test_a_namespace_of_an_instance_without_id_yet_would_be_created(cloud, kcr):
    result = run(cloud, KcrNamespace, instance_id=None, name="team-images", public=True)

    assert cloud.calls == []
    assert result["changed"] is True
    assert result["namespace"] == {"instance_id": None, "namespace": "team-images", "public": True,
                                   "repo_count": 0, "create_time": None}
    assert result["warnings"] == [UNKNOWN_ID]


def test_absent_under_an_instance_without_id_yet_is_nothing_to_do(cloud, kcr):
    result = run(cloud, KcrNamespace, instance_id=None, name="team-images", state="absent")

    assert cloud.calls == []
    assert result["changed"] is False
    assert result["namespace"] == {}


def test_an_instance_name_not_found_in_check_mode_is_taken_as_one_to_be_created(cloud, kcr):
    result = run(cloud, KcrToken, instance_name="new-registry", description="ci", token_type="Day",
                 token_time=30)

    assert cloud.calls.actions == ["DescribeInstance"]
    assert result["changed"] is True
    assert result["token"]["description"] == "ci"
    assert result["token"]["instance_id"] is None
    assert result["warnings"] == ["instance_name: no KCR instance named 'new-registry' in region cn-beijing-6"
                                  + LOOKED_IN + "; check mode assumes an earlier task creates it"]


def test_a_listing_under_an_instance_to_be_created_is_empty(cloud, kcr):
    result = run(cloud, KcrNamespaceInfo, instance_name="new-registry")

    assert result["namespaces"] == []
    assert result["warnings"][0].startswith("instance_name: no KCR instance named 'new-registry'")


def test_a_webhook_of_a_namespace_to_be_created_would_be_created(cloud, kcr):
    registry = kcr.add_instance("prod-registry")
    result = run(cloud, KcrWebhook, instance_id=registry["InstanceId"], namespace="new-builds", name="deploy",
                 event_types=["PushImage"], url="https://deploy.example.com/hook")

    assert cloud.calls.writes() == []
    assert result["changed"] is True
    assert result["webhook"]["namespace"] == "new-builds"
    assert result["warnings"] == ["namespace new-builds not found in KCR instance %s; create it with "
                                  "cloudops.multicloud.kcr_namespace; check mode assumes an earlier task "
                                  "creates it" % registry["InstanceId"]]


def test_outside_check_mode_missing_parents_fail_naming_them(cloud, kcr):
    no_id = run(cloud, KcrNamespace, check_mode=False, instance_id=None, name="team-images")
    no_name = run(cloud, KcrNamespace, check_mode=False, instance_name="new-registry", name="team-images")
    registry = kcr.add_instance("prod-registry")
    no_namespace = run(cloud, KcrWebhook, check_mode=False, instance_id=registry["InstanceId"],
                       namespace="new-builds", name="deploy", event_types=["PushImage"],
                       url="https://deploy.example.com/hook")

    assert no_id["msg"] == "instance_id: no value given; give the ID of an existing KCR instance, or instance_name"
    assert no_name["msg"] == "instance_name: no KCR instance named 'new-registry' in region cn-beijing-6" + LOOKED_IN
    assert no_namespace["msg"] == ("namespace new-builds not found in KCR instance %s; create it with "
                                   "cloudops.multicloud.kcr_namespace" % registry["InstanceId"])
    assert cloud.calls.writes() == []
