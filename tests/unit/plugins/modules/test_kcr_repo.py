# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_repo and kcr_repo_info against the emulator in process: the calls made, what comes back,
check mode, diff, idempotency, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_repo import KcrRepo
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_repo_info import KcrRepoInfo

DOMAIN = "demo.ksyunkcr.com"
SECRET = "fake-secret-never-shown"


@pytest.fixture
def registry(kcr):
    """Instance demo: apps/billing with 1.0, 1.1 and 2.0-rc1 (also tagged latest), apps/other with v1."""
    registry = kcr.add_instance("demo")
    for tag in ("1.0", "1.1", "2.0-rc1"):
        kcr.push(registry, "apps", "billing", tag)
    kcr.push(registry, "apps", "billing", "latest", digest=kcr.images(registry, "apps", "billing")[0]["ImageId"])
    kcr.push(registry, "apps", "other", "v1")
    return registry


@pytest.fixture
def run(cloud):
    def runner(check_mode=False, diff=False, module=KcrRepo, **args):
        result = cloud.run(module, dict(args, access_key="AKLTFAKE", secret_key=SECRET), check_mode=check_mode,
                           diff=diff)
        assert SECRET not in json.dumps(result)
        return result
    return runner


def repo_args(registry, **extra):
    args = dict(instance_id=registry["InstanceId"], namespace="apps", name="billing")
    args.update(extra)
    return args


# -- reading ---------------------------------------------------------------------------------------

def test_noop_run_is_one_exact_repository_read(cloud, kcr, registry, run):
    result = run(**repo_args(registry))

    assert result["changed"] is False
    assert cloud.calls == [("DescribeRepository", {"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                                   "RepoName": ["billing"], "Marker": 0, "MaxResults": 99})]
    repo = kcr.repo(registry, "apps", "billing")
    assert result["repository"] == {
        "instance_id": registry["InstanceId"], "namespace": "apps", "name": "billing", "public": False,
        "description": None, "create_time": repo["CreateTime"], "update_time": repo["UpdateTime"]}
    assert result["exists"] is True
    assert "deleted_tags" not in result


def test_instance_name_costs_one_lookup(cloud, kcr, registry, run):
    result = run(instance_name="demo", namespace="apps", name="billing")

    assert cloud.calls.actions == ["DescribeInstance", "DescribeRepository"]
    assert cloud.calls.params_of("DescribeInstance")[0]["InstanceName"] == "demo"
    assert result["repository"]["instance_id"] == registry["InstanceId"]


# -- description -----------------------------------------------------------------------------------

def test_description_check_mode_predicts_and_writes_nothing(cloud, kcr, registry, run):
    result = run(check_mode=True, diff=True, **repo_args(registry, description="Billing API"))

    assert result["changed"] is True
    assert cloud.calls.writes() == []
    assert result["repository"]["description"] == "Billing API"
    assert result["diff"]["before"]["description"] is None
    assert result["diff"]["after"]["description"] == "Billing API"
    assert kcr.repo(registry, "apps", "billing")["Desc"] is None


def test_description_is_set_then_unchanged(cloud, kcr, registry, run, clock):
    pushed_at = kcr.repo(registry, "apps", "billing")["UpdateTime"]
    clock.now += 60  # the change comes a minute after the pushes
    first = run(diff=True, **repo_args(registry, description="Billing API"))

    assert first["changed"] is True
    assert cloud.calls.params_of("ModifyRepoDesc") == [{"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                                        "RepoName": "billing", "Desc": "Billing API"}]
    assert first["repository"]["description"] == "Billing API"
    assert first["repository"]["update_time"] == kcr.repo(registry, "apps", "billing")["UpdateTime"] != pushed_at
    assert first["diff"]["after"]["description"] == "Billing API"

    cloud.calls.clear()
    second = run(**repo_args(registry, description="Billing API"))
    assert second["changed"] is False
    assert cloud.calls.actions == ["DescribeRepository"]


def test_empty_description_equals_none_and_clears_one(cloud, kcr, registry, run):
    assert run(**repo_args(registry, description=""))["changed"] is False
    assert cloud.calls.writes() == []

    kcr.call("ModifyRepoDesc", dict(InstanceId=registry["InstanceId"], Namespace="apps", RepoName="billing",
                                    Desc="old"))
    result = run(**repo_args(registry, description=""))
    assert result["changed"] is True
    assert cloud.calls.params_of("ModifyRepoDesc")[0]["Desc"] == ""


# -- absent_tags -----------------------------------------------------------------------------------

def test_absent_tags_deletes_only_existing_tags(cloud, kcr, registry, run):
    result = run(diff=True, **repo_args(registry, absent_tags=["2.0-rc1", "9.9", "1.0"]))

    assert result["changed"] is True
    assert sorted(p["TagName"] for p in cloud.calls.params_of("DeleteRepoTag")) == ["1.0", "2.0-rc1"]
    assert sorted(result["deleted_tags"]) == ["1.0", "2.0-rc1"]
    assert result["repository"]["tags"] == ["latest", "1.1"]
    assert sorted(result["diff"]["before"]["tags"]) == ["1.0", "1.1", "2.0-rc1", "latest"]
    assert result["diff"]["after"]["tags"] == ["latest", "1.1"]
    assert cloud.calls.writes() == ["DeleteRepoTag", "DeleteRepoTag"]

    cloud.calls.clear()
    again = run(**repo_args(registry, absent_tags=["2.0-rc1", "9.9", "1.0"]))
    assert again["changed"] is False
    assert again["deleted_tags"] == []
    # the documented price of absent_tags: the tag list
    assert cloud.calls.actions == ["DescribeRepository", "DescribeImages"]


def test_absent_tags_check_mode(cloud, kcr, registry, run):
    result = run(check_mode=True, **repo_args(registry, absent_tags=["1.1"]))

    assert result["changed"] is True
    assert result["deleted_tags"] == ["1.1"]
    assert "1.1" not in result["repository"]["tags"]
    assert cloud.calls.writes() == []


def test_absent_tags_with_description_in_one_run(cloud, kcr, registry, run):
    result = run(**repo_args(registry, absent_tags=["1.1"], description="d"))

    assert result["changed"] is True
    assert cloud.calls.writes() == ["ModifyRepoDesc", "DeleteRepoTag"]
    assert result["repository"]["description"] == "d"
    assert result["repository"]["tags"] == ["2.0-rc1", "latest", "1.0"]


def test_tag_deleted_meanwhile_is_not_an_error(cloud, kcr, registry, run):
    cloud.faults({"service": "kcrs", "operations": ["DeleteRepoTag"], "times": 1, "error_rate": 1.0,
                  "error_status": 404, "error_code": "TagNotFound"})
    result = run(**repo_args(registry, absent_tags=["1.1"]))

    assert not result.failed
    assert result["changed"] is True
    assert result["deleted_tags"] == ["1.1"]
    assert result["repository"]["tags"] == ["2.0-rc1", "latest", "1.0"]
    assert cloud.calls.actions == ["DescribeRepository", "DescribeImages", "DeleteRepoTag", "DescribeRepository"]
    assert cloud.calls.params_of("DeleteRepoTag") == [{"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                                       "RepoName": "billing", "TagName": "1.1"}]


def test_tag_list_is_paged_at_99(cloud, kcr, registry, run):
    for number in range(150):
        kcr.push(registry, "apps", "big", "t%03d" % number)
    result = run(instance_id=registry["InstanceId"], namespace="apps", name="big", absent_tags=["t000"])

    pages = cloud.calls.params_of("DescribeImages")
    assert [(p["Marker"], p["MaxResults"]) for p in pages] == [(0, 99), (99, 99)]
    assert result["deleted_tags"] == ["t000"]
    assert len(result["repository"]["tags"]) == 149


# -- missing repositories --------------------------------------------------------------------------

def test_missing_repository_fails_with_how_to_push(cloud, kcr, registry, run):
    result = run(instance_id=registry["InstanceId"], namespace="apps", name="reports", description="x")

    assert result.failed
    assert "repository apps/reports not found in KCR instance %s" % registry["InstanceId"] in result["msg"]
    assert "docker login %s" % DOMAIN in result["msg"]
    assert "docker push %s/apps/reports:<tag>" % DOMAIN in result["msg"]
    assert "allow_missing=true" in result["msg"]
    assert cloud.calls.writes() == []
    # an empty listing does not say whether the namespace exists: it is asked once, on this path only
    assert [a for a, _params in cloud.calls].count("DescribeNamespaceExist") == 1


def test_missing_repository_allowed(cloud, kcr, registry, run):
    for check_mode in (False, True):
        result = run(check_mode=check_mode, instance_id=registry["InstanceId"], namespace="apps", name="reports",
                     description="x", allow_missing=True)
        assert result["changed"] is False
        assert result["exists"] is False
        assert result["repository"] == {}
    assert cloud.calls.writes() == []


def test_missing_namespace_says_so(cloud, kcr, registry, run):
    result = run(instance_id=registry["InstanceId"], namespace="nope", name="billing")
    assert result.failed
    assert result["msg"].startswith("namespace nope not found in KCR instance %s" % registry["InstanceId"])


def test_missing_instance(cloud, kcr, registry, run):
    result = run(instance_id="0b7e6f6a-0000-0000-0000-000000000000", namespace="apps", name="billing")
    assert result.failed
    assert result["msg"] == "instance_id: KCR instance 0b7e6f6a-0000-0000-0000-000000000000 not found in region cn-beijing-6"


# -- state=absent ----------------------------------------------------------------------------------

def test_absent_check_mode_then_delete_then_noop(cloud, kcr, registry, run):
    checked = run(check_mode=True, diff=True, **repo_args(registry, state="absent"))
    assert checked["changed"] is True
    assert checked["exists"] is False
    assert checked["diff"]["before"]["name"] == "billing" and checked["diff"]["after"] == {}
    assert cloud.calls.writes() == []

    deleted = run(**repo_args(registry, state="absent"))
    assert deleted["changed"] is True
    assert cloud.calls.params_of("DeleteRepository") == [{"InstanceId": registry["InstanceId"],
                                                          "Namespace": "apps", "RepoName": "billing"}]
    assert kcr.repo(registry, "apps", "billing") is None

    cloud.calls.clear()
    again = run(**repo_args(registry, state="absent"))
    assert again["changed"] is False
    assert cloud.calls.actions == ["DescribeRepository"]


def test_absent_in_missing_namespace_is_unchanged(cloud, kcr, registry, run):
    result = run(instance_id=registry["InstanceId"], namespace="gone", name="billing", state="absent")
    assert result["changed"] is False and not result.failed


# -- input checked before any call -----------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (dict(namespace="Apps"), "namespace: 'Apps' is not a valid KCR namespace name"),
    (dict(name="-billing"), "name: '-billing' is not a valid KCR repository name"),
    (dict(name="x/../../ns2/repo"), "name: 'x/../../ns2/repo' is not a valid KCR repository name"),
    (dict(name="team//app"), "name: 'team//app' is not a valid KCR repository name"),
    (dict(description="x" * 257), "description: at most 256 characters (257 given)"),
    (dict(absent_tags=["ok", ".bad"]), "absent_tags: '.bad' is not a valid KCR tag name"),
    (dict(absent_tags=["1.0"], state="absent"), "absent_tags: only with state=present"),
])
def test_bad_input_fails_before_any_call(cloud, kcr, registry, run, args, message):
    result = run(**repo_args(registry, **args))
    assert result.failed
    assert result["msg"].startswith(message)
    assert cloud.calls == []


# -- kcr_repo_info ---------------------------------------------------------------------------------

def test_info_lists_namespace_repositories(cloud, kcr, registry, run):
    result = run(module=KcrRepoInfo, instance_id=registry["InstanceId"], namespace="apps")

    assert result["changed"] is False
    assert [r["name"] for r in result["repositories"]] == ["billing", "other"]
    assert "images" not in result["repositories"][0]
    assert cloud.calls == [("DescribeRepository", {"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                                   "Marker": 0, "MaxResults": 99})]


def test_info_with_images_and_one_name(cloud, kcr, registry, run):
    info = functools.partial(run, module=KcrRepoInfo, instance_id=registry["InstanceId"], namespace="apps")
    result = info(name="billing", include_images=True)

    (repo,) = result["repositories"]
    assert repo["tags"] == ["2.0-rc1", "latest", "1.1", "1.0"]
    assert [i["tags"] for i in repo["images"]] == [["2.0-rc1", "latest"], ["1.1"], ["1.0"]]
    assert set(repo["images"][0]) == {"digest", "size", "create_time", "tags"}
    assert cloud.calls.actions == ["DescribeRepository", "DescribeImages"]
    assert cloud.calls.params_of("DescribeRepository")[0]["RepoName"] == ["billing"]


def test_info_pages_repositories(cloud, kcr, registry, run):
    for number in range(120):
        kcr.push(registry, "many", "r%03d" % number, "v1")
    result = run(module=KcrRepoInfo, instance_id=registry["InstanceId"], namespace="many")

    assert len(result["repositories"]) == 120
    assert [p["Marker"] for p in cloud.calls.params_of("DescribeRepository")] == [0, 99]


def test_info_missing_namespace_fails(cloud, kcr, registry, run):
    result = run(module=KcrRepoInfo, instance_id=registry["InstanceId"], namespace="nope")
    assert result.failed
    assert result["msg"].startswith("namespace nope not found in KCR instance")
