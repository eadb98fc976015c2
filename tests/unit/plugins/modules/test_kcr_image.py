# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_image and kcr_image_info against an in-memory KCR: deletion by digest or tag, scans (started,
under way, waited for, timed out, failed), check mode, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_image import KcrImage
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_image_info import KcrImageInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import FakeClock, run_module
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.kcr_fake import FakeKcr, error

INSTANCE_ID = "eb1d0d73-4845-4283-a736-a7217f861464"
SECRET = "fake-secret-never-shown"


@pytest.fixture
def fake():
    kcr = FakeKcr()
    kcr.add_instance("demo", InstanceId=INSTANCE_ID)
    kcr.push("apps", "billing", "1.0")
    kcr.push("apps", "billing", "2.0")
    kcr.push("apps", "billing", "latest", digest=kcr.repo("apps", "billing")["images"][0]["ImageId"])
    return kcr


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def run(fake, clock):
    def runner(check_mode=False, diff=False, module=KcrImage, **args):
        full = dict(instance_id=INSTANCE_ID, namespace="apps", repository="billing", access_key="AKLTFAKE",
                    secret_key=SECRET)
        full.update(args)
        result = run_module(module, full, fake, check_mode=check_mode, diff=diff, clock=clock)
        assert SECRET not in json.dumps(result)
        return result
    return runner


def digest_of_tag(fake, tag):
    for image in fake.repo("apps", "billing")["images"]:
        if tag in image["TagNames"]:
            return image["ImageId"]
    raise AssertionError(tag)


# -- finding the image -----------------------------------------------------------------------------

def test_present_by_digest_is_one_filtered_read(fake, run):
    digest = digest_of_tag(fake, "1.0")
    result = run(digest=digest)

    assert result["changed"] is False
    assert fake.calls == [("DescribeImages", {"InstanceId": INSTANCE_ID, "Namespace": "apps", "RepoName": "billing",
                                              "ImageId": digest, "Marker": 0, "MaxResults": 99})]
    image = fake.repo("apps", "billing")["images"][-1]
    assert result["image"] == {"instance_id": INSTANCE_ID, "namespace": "apps", "repository": "billing",
                               "digest": digest, "size": image["Size"], "create_time": image["CreateTime"],
                               "tags": ["1.0"]}
    assert "scan" not in result and "scan_started" not in result


def test_present_by_tag(fake, run):
    result = run(tag="latest")
    assert result["image"]["digest"] == digest_of_tag(fake, "2.0")
    assert result["image"]["tags"] == ["2.0", "latest"]
    assert "ImageId" not in fake.params_of("DescribeImages")[0]


def test_missing_image_repository_namespace(fake, run):
    result = run(tag="9.9")
    assert result.failed
    assert result["msg"] == ("image apps/billing:9.9 not found in KCR instance %s; images come into being "
                             "with 'docker push'" % INSTANCE_ID)

    result = run(repository="nothing", tag="1.0")
    assert result["msg"] == "repository apps/nothing not found in KCR instance %s" % INSTANCE_ID

    result = run(namespace="nons", tag="1.0")
    assert result["msg"].startswith("namespace nons not found in KCR instance %s" % INSTANCE_ID)
    assert fake.writes() == []


# -- deleting --------------------------------------------------------------------------------------

def test_delete_by_digest_check_then_real_then_noop(fake, run):
    digest = digest_of_tag(fake, "1.0")

    checked = run(check_mode=True, diff=True, digest=digest, state="absent")
    assert checked["changed"] is True
    assert checked["image"] == {}
    assert checked["diff"]["before"]["digest"] == digest and checked["diff"]["after"] == {}
    assert fake.writes() == []

    deleted = run(digest=digest, state="absent")
    assert deleted["changed"] is True
    assert fake.params_of("DeleteImages") == [{"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                               "RepoName": "billing", "ImageId": digest}]
    assert [i["TagNames"] for i in fake.repo("apps", "billing")["images"]] == [["2.0", "latest"]]

    fake.calls.clear()
    again = run(digest=digest, state="absent")
    assert again["changed"] is False
    assert fake.actions == ["DescribeImages"]


def test_delete_by_tag_removes_the_whole_image(fake, run):
    digest = digest_of_tag(fake, "latest")
    result = run(tag="latest", state="absent")

    assert result["changed"] is True
    assert [p["ImageId"] for p in fake.params_of("DeleteImages")] == [digest]
    assert [i["TagNames"] for i in fake.repo("apps", "billing")["images"]] == [["1.0"]]


def test_delete_in_missing_repository_is_unchanged(fake, run):
    result = run(repository="gone", tag="1.0", state="absent")
    assert result["changed"] is False and not result.failed
    assert fake.writes() == []


def test_image_deleted_meanwhile_is_not_an_error(fake, run):
    digest = digest_of_tag(fake, "1.0")
    fake.fail_next["DeleteImages"] = error("ImageNotFound", "DeleteImages", 404)
    result = run(tag="1.0", state="absent", diff=True)

    assert not result.failed
    assert result["changed"] is True
    assert result["image"] == {}
    assert result["diff"]["before"]["digest"] == digest
    assert result["diff"]["after"] == {}
    # the "gone" answer is the goal reached: no retry, no re-read
    assert fake.actions == ["DescribeImages", "DeleteImages"]
    assert [p["ImageId"] for p in fake.params_of("DeleteImages")] == [digest]


# -- scanning --------------------------------------------------------------------------------------

def test_scan_check_mode_starts_nothing(fake, run):
    result = run(check_mode=True, tag="1.0", scan=True)

    assert result["changed"] is True
    assert result["scan_started"] is True
    assert "scan" not in result
    assert fake.actions == ["DescribeImages", "DescribeImageScan"]


def test_scan_waits_for_the_findings(fake, run, clock):
    fake.scan_polls = 2
    digest = digest_of_tag(fake, "1.0")
    result = run(tag="1.0", scan=True)

    assert result["changed"] is True
    assert result["scan_started"] is True
    assert fake.params_of("StartImageScan") == [{"InstanceId": INSTANCE_ID, "Namespace": "apps",
                                                 "RepoName": "billing", "ImageId": digest}]
    # one read to see whether a scan is under way, then polls until it has finished
    assert fake.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan",
                            "DescribeImageScan", "DescribeImageScan", "DescribeImageScan"]
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert result["scan"] == {
        "status": "Success", "finish_time": "2024-01-15 09:00:00", "vulnerability_count": 1,
        "summary": {"high": 1, "medium": 0, "low": 0, "negligible": 0, "unknown": 0},
        "vulnerabilities": [{"cve_id": "CVE-2023-0464", "cve_link": "https://nvd.nist.gov/vuln/detail/CVE-2023-0464",
                             "description": "X.509 policy constraints", "severity": "High", "feature": "openssl",
                             "current_version": "1.1.1k-r0", "repaired_version": "1.1.1t-r0"}]}


def test_scan_without_wait_reads_once(fake, run):
    result = run(tag="1.0", scan=True, wait=False)

    assert result["changed"] is True
    assert result["scan"]["status"] == "Scanning"
    assert fake.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan", "DescribeImageScan"]


def test_scan_under_way_is_awaited_not_restarted(fake, run):
    digest = digest_of_tag(fake, "1.0")
    fake.scans[digest] = {"polls": 3, "final": "Success"}
    result = run(tag="1.0", scan=True)

    assert result["changed"] is False
    assert result["scan_started"] is False
    assert "StartImageScan" not in fake.actions
    assert result["scan"]["status"] == "Success"


def test_scan_timeout(fake, run, clock):
    fake.scan_polls = 1000
    result = run(tag="1.0", scan=True, wait_timeout=9)

    assert result.failed
    assert result["msg"] == "timed out after 9s waiting for image scan to finish (last status seen: Scanning)"
    # a poll every 2 seconds until the deadline has passed: 5 polls, 10 seconds
    assert clock.sleeps == [2.0] * 5
    assert clock.now == 10.0
    assert fake.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan"] + ["DescribeImageScan"] * 5


@pytest.mark.parametrize("unscanned", ["codes", "common", "empty"])  # the readings of "never scanned"
def test_a_never_scanned_image_gets_a_scan_under_every_reading(fake, run, unscanned):
    fake.not_found = unscanned
    result = run(tag="1.0", scan=True)

    assert result["changed"] is True and result["scan_started"] is True
    # (under the common code: the image was just listed, so only the scan can be missing, no read)
    assert fake.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan",
                            "DescribeImageScan", "DescribeImageScan"]
    assert result["scan"]["status"] == "Success"


@pytest.mark.parametrize("running", ["Scanning", "Queued", "InProgress", "Analyzing"])
def test_any_status_that_is_not_final_is_still_running(fake, run, running):
    fake.scan_running = running
    fake.scan_polls = 3
    result = run(tag="1.0", scan=True)

    assert result["scan"]["status"] == "Success"
    assert fake.actions.count("DescribeImageScan") == 5


def test_a_timeout_names_the_unknown_status_seen(fake, run):
    fake.scan_running = "Queued"
    fake.scan_polls = 1000
    result = run(tag="1.0", scan=True, wait_timeout=0)

    assert result.failed
    assert result["msg"] == "timed out after 0s waiting for image scan to finish (last status seen: Queued)"


def test_a_scan_under_way_with_an_unknown_status_is_not_restarted(fake, run):
    digest = digest_of_tag(fake, "1.0")
    fake.scan_running = "Queued"
    fake.scans[digest] = {"polls": 2, "final": "Success"}
    result = run(tag="1.0", scan=True)

    assert result["changed"] is False and result["scan_started"] is False
    assert "StartImageScan" not in fake.actions


def test_failed_scan_fails_the_task(fake, run):
    fake.scan_final = "Failed"
    result = run(tag="1.0", scan=True)
    assert result.failed
    assert result["msg"] == "the scan of image apps/billing:1.0 ended with status Failed"
    assert result["scan"]["status"] == "Failed"
    assert result["scan_started"] is True


# -- input checked before any call -----------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (dict(digest="sha256:abc"), "digest: 'sha256:abc' is not an image digest"),
    (dict(tag="-x"), "tag: '-x' is not a valid KCR tag name"),
    (dict(tag="1.0", scan=True, state="absent"), "scan: only with state=present"),
    (dict(tag="1.0", digest="sha256:" + "a" * 64), "parameters are mutually exclusive: digest|tag"),
    (dict(), "one of the following is required: digest, tag"),
    (dict(namespace="A", tag="1.0"), "namespace: 'A' is not a valid KCR namespace name"),
])
def test_bad_input_fails_before_any_call(fake, run, args, message):
    result = run(**args)
    assert result.failed
    assert result["msg"].startswith(message)
    assert fake.calls == []


# -- kcr_image_info --------------------------------------------------------------------------------

def test_info_lists_images_newest_first(fake, run):
    result = run(module=KcrImageInfo)

    assert result["changed"] is False
    assert [i["tags"] for i in result["images"]] == [["2.0", "latest"], ["1.0"]]
    assert all("scan" not in i for i in result["images"])
    assert fake.actions == ["DescribeImages"]


def test_info_with_scan(fake, run):
    scanned = digest_of_tag(fake, "1.0")
    fake.scans[scanned] = {"polls": 0, "final": "Success"}
    result = run(module=KcrImageInfo, include_scan=True)

    scans = dict((i["digest"], i["scan"]) for i in result["images"])
    assert scans[digest_of_tag(fake, "2.0")] is None
    assert scans[scanned]["status"] == "Success"
    assert scans[scanned]["summary"]["high"] == 1
    assert fake.actions == ["DescribeImages", "DescribeImageScan", "DescribeImageScan"]


def test_info_filters(fake, run):
    by_tag = run(module=KcrImageInfo, tag="latest")
    assert [i["tags"] for i in by_tag["images"]] == [["2.0", "latest"]]

    digest = digest_of_tag(fake, "1.0")
    by_digest = run(module=KcrImageInfo, digest=digest)
    assert [i["digest"] for i in by_digest["images"]] == [digest]
    assert fake.params_of("DescribeImages")[-1]["ImageId"] == digest

    assert run(module=KcrImageInfo, tag="none")["images"] == []


def test_info_missing_repository_fails(fake, run):
    result = run(module=KcrImageInfo, repository="nothing")
    assert result.failed
    assert result["msg"] == "repository apps/nothing not found in KCR instance %s" % INSTANCE_ID


def test_info_pages_images(fake, run):
    for number in range(100):
        fake.push("apps", "big", "t%03d" % number)
    result = run(module=KcrImageInfo, repository="big")
    assert len(result["images"]) == 100
    assert [p["Marker"] for p in fake.params_of("DescribeImages")] == [0, 99]


def test_under_the_common_code_a_missing_repository_is_told_from_a_missing_namespace(fake, run):
    fake.not_found = "common"
    no_namespace = run(namespace="nowhere", tag="1.0")
    no_repository = run(repository="nothing", tag="1.0")

    assert no_namespace["msg"] == ("namespace nowhere not found in KCR instance %s; create it with "
                                   "cloudops.multicloud.kcr_namespace" % INSTANCE_ID)
    assert no_repository["msg"] == "repository apps/nothing not found in KCR instance %s" % INSTANCE_ID
