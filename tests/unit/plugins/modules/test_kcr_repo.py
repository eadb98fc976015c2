# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_repo and kcr_repo_info against an in-memory KCR: the calls made, what comes back, check
mode, diff, idempotency, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_repo import KcrRepo
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_repo_info import KcrRepoInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import run_module
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.kcr_fake import FakeKcr, error

INSTANCE_ID = "eb1d0d73-4845-4283-a736-a7217f861464"
DOMAIN = "demo.ksyunkcr.com"
SECRET = "fake-secret-never-shown"
BASE = dict(instance_id=INSTANCE_ID, namespace="apps", name="billing")


@pytest.fixture
def fake():
    kcr = FakeKcr()
    kcr.add_instance("demo", InstanceId=INSTANCE_ID)
    for tag in ("1.0", "1.1", "2.0-rc1"):
        kcr.push("apps", "billing", tag)
    kcr.push("apps", "billing", "latest", digest=kcr.repo("apps", "billing")["images"][0]["ImageId"])
    kcr.push("apps", "other", "v1")
    return kcr


@pytest.fixture
def run(fake):
    def runner(check_mode=False, diff=False, module=KcrRepo, **args):
        result = run_module(module, dict(args, access_key="AKLTFAKE", secret_key=SECRET), fake,
                            check_mode=check_mode, diff=diff)
        assert SECRET not in json.dumps(result)
        return result
    return runner


def repo_args(**extra):
    args = dict(BASE)
    args.update(extra)
    return args


# -- reading ---------------------------------------------------------------------------------------

def test_noop_run_is_one_exact_repository_read(fake, run):
    result = run(**repo_args())

    assert result["changed"] is False
    assert fake.calls == [("DescribeRepository", {"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                                  "RepoName": ["billing"], "Marker": 0, "MaxResults": 99})]
    repo = fake.repo("apps", "billing")
    assert result["repository"] == {
        "instance_id": INSTANCE_ID, "namespace": "apps", "name": "billing", "public": False,
        "description": None, "create_time": repo["CreateTime"], "update_time": repo["UpdateTime"]}
    assert result["exists"] is True
    assert "deleted_tags" not in result


def test_instance_name_costs_one_lookup(fake, run):
    result = run(instance_name="demo", namespace="apps", name="billing")

    assert fake.actions == ["DescribeInstance", "DescribeRepository"]
    assert fake.params_of("DescribeInstance")[0]["InstanceName"] == "demo"
    assert result["repository"]["instance_id"] == INSTANCE_ID


# -- description -----------------------------------------------------------------------------------

def test_description_check_mode_predicts_and_writes_nothing(fake, run):
    result = run(check_mode=True, diff=True, **repo_args(description="Billing API"))

    assert result["changed"] is True
    assert fake.writes() == []
    assert result["repository"]["description"] == "Billing API"
    assert result["diff"]["before"]["description"] is None
    assert result["diff"]["after"]["description"] == "Billing API"
    assert fake.repo("apps", "billing")["Desc"] is None


def test_description_is_set_then_unchanged(fake, run):
    first = run(diff=True, **repo_args(description="Billing API"))

    assert first["changed"] is True
    assert fake.params_of("ModifyRepoDesc") == [{"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                                 "RepoName": "billing", "Desc": "Billing API"}]
    assert first["repository"]["description"] == "Billing API"
    assert first["repository"]["update_time"] == fake.repo("apps", "billing")["UpdateTime"]
    assert first["diff"]["after"]["description"] == "Billing API"

    fake.calls.clear()
    second = run(**repo_args(description="Billing API"))
    assert second["changed"] is False
    assert fake.actions == ["DescribeRepository"]


def test_empty_description_equals_none_and_clears_one(fake, run):
    assert run(**repo_args(description=""))["changed"] is False
    assert fake.writes() == []

    fake.repo("apps", "billing")["Desc"] = "old"
    result = run(**repo_args(description=""))
    assert result["changed"] is True
    assert fake.params_of("ModifyRepoDesc")[0]["Desc"] == ""


# -- absent_tags -----------------------------------------------------------------------------------

def test_absent_tags_deletes_only_existing_tags(fake, run):
    result = run(diff=True, **repo_args(absent_tags=["2.0-rc1", "9.9", "1.0"]))

    assert result["changed"] is True
    assert sorted(p["TagName"] for p in fake.params_of("DeleteRepoTag")) == ["1.0", "2.0-rc1"]
    assert sorted(result["deleted_tags"]) == ["1.0", "2.0-rc1"]
    assert result["repository"]["tags"] == ["latest", "1.1"]
    assert sorted(result["diff"]["before"]["tags"]) == ["1.0", "1.1", "2.0-rc1", "latest"]
    assert result["diff"]["after"]["tags"] == ["latest", "1.1"]
    assert fake.writes() == ["DeleteRepoTag", "DeleteRepoTag"]

    fake.calls.clear()
    again = run(**repo_args(absent_tags=["2.0-rc1", "9.9", "1.0"]))
    assert again["changed"] is False
    assert again["deleted_tags"] == []
    # the documented price of absent_tags: the tag list
    assert fake.actions == ["DescribeRepository", "DescribeImages"]


def test_absent_tags_check_mode(fake, run):
    result = run(check_mode=True, **repo_args(absent_tags=["1.1"]))

    assert result["changed"] is True
    assert result["deleted_tags"] == ["1.1"]
    assert "1.1" not in result["repository"]["tags"]
    assert fake.writes() == []


def test_absent_tags_with_description_in_one_run(fake, run):
    result = run(**repo_args(absent_tags=["1.1"], description="d"))

    assert result["changed"] is True
    assert fake.writes() == ["ModifyRepoDesc", "DeleteRepoTag"]
    assert result["repository"]["description"] == "d"
    assert result["repository"]["tags"] == ["2.0-rc1", "latest", "1.0"]


def test_tag_deleted_meanwhile_is_not_an_error(fake, run):
    fake.fail_next["DeleteRepoTag"] = error("TagNotFound", "DeleteRepoTag", 404)
    result = run(**repo_args(absent_tags=["1.1"]))

    assert not result.failed
    assert result["changed"] is True
    assert result["deleted_tags"] == ["1.1"]
    assert result["repository"]["tags"] == ["2.0-rc1", "latest", "1.0"]
    assert fake.actions == ["DescribeRepository", "DescribeImages", "DeleteRepoTag", "DescribeRepository"]
    assert fake.params_of("DeleteRepoTag") == [{"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                                "RepoName": "billing", "TagName": "1.1"}]


def test_tag_list_is_paged_at_99(fake, run):
    for number in range(150):
        fake.push("apps", "big", "t%03d" % number)
    result = run(instance_id=INSTANCE_ID, namespace="apps", name="big", absent_tags=["t000"])

    pages = fake.params_of("DescribeImages")
    assert [(p["Marker"], p["MaxResults"]) for p in pages] == [(0, 99), (99, 99)]
    assert result["deleted_tags"] == ["t000"]
    assert len(result["repository"]["tags"]) == 149


# -- missing repositories --------------------------------------------------------------------------

def test_missing_repository_fails_with_how_to_push(fake, run):
    result = run(instance_id=INSTANCE_ID, namespace="apps", name="reports", description="x")

    assert result.failed
    assert "repository apps/reports not found in KCR instance %s" % INSTANCE_ID in result["msg"]
    assert "docker login %s" % DOMAIN in result["msg"]
    assert "docker push %s/apps/reports:<tag>" % DOMAIN in result["msg"]
    assert "allow_missing=true" in result["msg"]
    assert fake.writes() == []
    # an empty listing does not say whether the namespace exists: it is asked once, on this path only
    assert [a for a, _params in fake.calls].count("DescribeNamespaceExist") == 1


def test_missing_repository_allowed(fake, run):
    for check_mode in (False, True):
        result = run(check_mode=check_mode, instance_id=INSTANCE_ID, namespace="apps", name="reports",
                     description="x", allow_missing=True)
        assert result["changed"] is False
        assert result["exists"] is False
        assert result["repository"] == {}
    assert fake.writes() == []


def test_missing_namespace_says_so(fake, run):
    result = run(instance_id=INSTANCE_ID, namespace="nope", name="billing")
    assert result.failed
    assert result["msg"].startswith("namespace nope not found in KCR instance %s" % INSTANCE_ID)


def test_missing_instance(fake, run):
    result = run(instance_id="0b7e6f6a-0000-0000-0000-000000000000", namespace="apps", name="billing")
    assert result.failed
    assert result["msg"] == "instance_id: KCR instance 0b7e6f6a-0000-0000-0000-000000000000 not found in region cn-beijing-6"


# -- state=absent ----------------------------------------------------------------------------------

def test_absent_check_mode_then_delete_then_noop(fake, run):
    checked = run(check_mode=True, diff=True, **repo_args(state="absent"))
    assert checked["changed"] is True
    assert checked["exists"] is False
    assert checked["diff"]["before"]["name"] == "billing" and checked["diff"]["after"] == {}
    assert fake.writes() == []

    deleted = run(**repo_args(state="absent"))
    assert deleted["changed"] is True
    assert fake.params_of("DeleteRepository") == [{"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                                   "RepoName": "billing"}]
    assert fake.repo("apps", "billing") is None

    fake.calls.clear()
    again = run(**repo_args(state="absent"))
    assert again["changed"] is False
    assert fake.actions == ["DescribeRepository"]


def test_absent_in_missing_namespace_is_unchanged(fake, run):
    result = run(instance_id=INSTANCE_ID, namespace="gone", name="billing", state="absent")
    assert result["changed"] is False and not result.failed


# -- input checked before any call -----------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (dict(namespace="Apps"), "namespace: 'Apps' is not a valid KCR namespace name"),
    (dict(name="-billing"), "name: '-billing' is not a valid KCR repository name"),
    (dict(description="x" * 257), "description: at most 256 characters (257 given)"),
    (dict(absent_tags=["ok", ".bad"]), "absent_tags: '.bad' is not a valid KCR tag name"),
    (dict(absent_tags=["1.0"], state="absent"), "absent_tags: only with state=present"),
])
def test_bad_input_fails_before_any_call(fake, run, args, message):
    result = run(**repo_args(**args))
    assert result.failed
    assert result["msg"].startswith(message)
    assert fake.calls == []


# -- kcr_repo_info ---------------------------------------------------------------------------------

def test_info_lists_namespace_repositories(fake, run):
    result = run(module=KcrRepoInfo, instance_id=INSTANCE_ID, namespace="apps")

    assert result["changed"] is False
    assert [r["name"] for r in result["repositories"]] == ["billing", "other"]
    assert "images" not in result["repositories"][0]
    assert fake.calls == [("DescribeRepository", {"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                                  "Marker": 0, "MaxResults": 99})]


def test_info_with_images_and_one_name(fake, run):
    info = functools.partial(run, module=KcrRepoInfo, instance_id=INSTANCE_ID, namespace="apps")
    result = info(name="billing", include_images=True)

    (repo,) = result["repositories"]
    assert repo["tags"] == ["2.0-rc1", "latest", "1.1", "1.0"]
    assert [i["tags"] for i in repo["images"]] == [["2.0-rc1", "latest"], ["1.1"], ["1.0"]]
    assert set(repo["images"][0]) == {"digest", "size", "create_time", "tags"}
    assert fake.actions == ["DescribeRepository", "DescribeImages"]
    assert fake.params_of("DescribeRepository")[0]["RepoName"] == ["billing"]


def test_info_pages_repositories(fake, run):
    for number in range(120):
        fake.push("many", "r%03d" % number, "v1")
    result = run(module=KcrRepoInfo, instance_id=INSTANCE_ID, namespace="many")

    assert len(result["repositories"]) == 120
    assert [p["Marker"] for p in fake.params_of("DescribeRepository")] == [0, 99]


def test_info_missing_namespace_fails(fake, run):
    result = run(module=KcrRepoInfo, instance_id=INSTANCE_ID, namespace="nope")
    assert result.failed
    assert result["msg"].startswith("namespace nope not found in KCR instance")
