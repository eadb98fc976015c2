# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_image and kcr_image_info against the emulator in process: deletion by digest or tag, scans
(started, under way, waited for, timed out, failed), check mode, and the errors a user sees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_image import KcrImage
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_image_info import KcrImageInfo

SECRET = "fake-secret-never-shown"

# The emulator's findings for the image tagged 1.0 in the fixture below (drawn from its digest):
# (CVE, severity, package, installed version, fixed version, description).
FINDINGS_1_0 = [
    ("CVE-2099-10001", "High", "openssl", "1.1.1k-r0", "1.1.1t-r0",
     "Emulated finding: buffer over-read in certificate parsing."),
    ("CVE-2099-10002", "High", "zlib", "1.2.11-r3", "1.2.12-r0",
     "Emulated finding: memory corruption when inflating crafted input."),
    ("CVE-2099-10003", "Medium", "busybox", "1.33.1-r2", "1.33.1-r7",
     "Emulated finding: out-of-bounds read in the awk applet."),
    ("CVE-2099-10005", "Medium", "curl", "7.79.1-r0", "7.80.0-r0", "Emulated finding: credentials leak on redirect."),
    ("CVE-2099-10006", "Low", "expat", "2.4.1-r0", "2.4.7-r0",
     "Emulated finding: excessive recursion on nested entities."),
    ("CVE-2099-10008", "Negligible", "ncurses", "6.2_p20210612-r0", "6.3_p20220521-r0",
     "Emulated finding: crash on a malformed terminfo entry."),
]


@pytest.fixture
def registry(kcr):
    """Instance demo: apps/billing with 1.0 and 2.0 (also tagged latest)."""
    registry = kcr.add_instance("demo")
    kcr.push(registry, "apps", "billing", "1.0")
    kcr.push(registry, "apps", "billing", "2.0")
    kcr.push(registry, "apps", "billing", "latest", digest=kcr.images(registry, "apps", "billing")[0]["ImageId"])
    return registry


@pytest.fixture
def run(cloud, registry):
    def runner(check_mode=False, diff=False, module=KcrImage, **args):
        full = dict(instance_id=registry["InstanceId"], namespace="apps", repository="billing", access_key="AKLTFAKE",
                    secret_key=SECRET)
        full.update(args)
        result = cloud.run(module, full, check_mode=check_mode, diff=diff)
        assert SECRET not in json.dumps(result)
        return result
    return runner


def images(kcr, registry):
    return kcr.images(registry, "apps", "billing")


def digest_of_tag(kcr, registry, tag):
    for image in images(kcr, registry):
        if tag in image["TagNames"]:
            return image["ImageId"]
    raise AssertionError(tag)


def scans_last(cloud, polls):
    """A scan started now is still running for ``polls`` reads 2 seconds apart (the module's
    interval), finished at the next one."""
    cloud.settings({"delays": {"kcrs.scan": 2 * polls + 1}})


def start_scan(kcr, registry, digest):
    """A scan of ``digest`` started now, outside the module (``delays.kcrs.scan`` says how long it runs)."""
    kcr.call("StartImageScan", dict(InstanceId=registry["InstanceId"], Namespace="apps", RepoName="billing",
                                    ImageId=digest))


# -- finding the image -----------------------------------------------------------------------------

def test_present_by_digest_is_one_filtered_read(cloud, kcr, registry, run):
    digest = digest_of_tag(kcr, registry, "1.0")
    result = run(digest=digest)

    assert result["changed"] is False
    assert cloud.calls == [("DescribeImages", {"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                               "RepoName": "billing", "ImageId": digest, "Marker": 0,
                                               "MaxResults": 99})]
    image = images(kcr, registry)[-1]
    assert result["image"] == {"instance_id": registry["InstanceId"], "namespace": "apps", "repository": "billing",
                               "digest": digest, "size": image["Size"], "create_time": image["CreateTime"],
                               "tags": ["1.0"]}
    assert "scan" not in result and "scan_started" not in result


def test_present_by_tag(cloud, kcr, registry, run):
    result = run(tag="latest")
    assert result["image"]["digest"] == digest_of_tag(kcr, registry, "2.0")
    assert result["image"]["tags"] == ["2.0", "latest"]
    assert "ImageId" not in cloud.calls.params_of("DescribeImages")[0]


def test_missing_image_repository_namespace(cloud, kcr, registry, run):
    result = run(tag="9.9")
    assert result.failed
    assert result["msg"] == ("image apps/billing:9.9 not found in KCR instance %s; images come into being "
                             "with 'docker push'" % registry["InstanceId"])

    result = run(repository="nothing", tag="1.0")
    assert result["msg"] == "repository apps/nothing not found in KCR instance %s" % registry["InstanceId"]

    result = run(namespace="nons", tag="1.0")
    assert result["msg"].startswith("namespace nons not found in KCR instance %s" % registry["InstanceId"])
    assert cloud.calls.writes() == []


# -- deleting --------------------------------------------------------------------------------------

def test_delete_by_digest_check_then_real_then_noop(cloud, kcr, registry, run):
    digest = digest_of_tag(kcr, registry, "1.0")

    checked = run(check_mode=True, diff=True, digest=digest, state="absent")
    assert checked["changed"] is True
    assert checked["image"] == {}
    assert checked["diff"]["before"]["digest"] == digest and checked["diff"]["after"] == {}
    assert cloud.calls.writes() == []

    deleted = run(digest=digest, state="absent")
    assert deleted["changed"] is True
    assert cloud.calls.params_of("DeleteImages") == [{"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                                      "RepoName": "billing", "ImageId": digest}]
    assert [i["TagNames"] for i in images(kcr, registry)] == [["2.0", "latest"]]

    cloud.calls.clear()
    again = run(digest=digest, state="absent")
    assert again["changed"] is False
    assert cloud.calls.actions == ["DescribeImages"]


def test_delete_by_tag_removes_the_whole_image(cloud, kcr, registry, run):
    digest = digest_of_tag(kcr, registry, "latest")
    result = run(tag="latest", state="absent")

    assert result["changed"] is True
    assert [p["ImageId"] for p in cloud.calls.params_of("DeleteImages")] == [digest]
    assert [i["TagNames"] for i in images(kcr, registry)] == [["1.0"]]


def test_delete_in_missing_repository_is_unchanged(cloud, kcr, registry, run):
    result = run(repository="gone", tag="1.0", state="absent")
    assert result["changed"] is False and not result.failed
    assert cloud.calls.writes() == []


def test_image_deleted_meanwhile_is_not_an_error(cloud, kcr, registry, run):
    digest = digest_of_tag(kcr, registry, "1.0")
    cloud.faults({"service": "kcrs", "operations": ["DeleteImages"], "times": 1, "error_rate": 1.0,
                  "error_status": 404, "error_code": "ImageNotFound"})
    result = run(tag="1.0", state="absent", diff=True)

    assert not result.failed
    assert result["changed"] is True
    assert result["image"] == {}
    assert result["diff"]["before"]["digest"] == digest
    assert result["diff"]["after"] == {}
    # the "gone" answer is the goal reached: no retry, no re-read
    assert cloud.calls.actions == ["DescribeImages", "DeleteImages"]
    assert [p["ImageId"] for p in cloud.calls.params_of("DeleteImages")] == [digest]


# -- scanning --------------------------------------------------------------------------------------

def test_scan_check_mode_starts_nothing(cloud, kcr, registry, run):
    result = run(check_mode=True, tag="1.0", scan=True)

    assert result["changed"] is True
    assert result["scan_started"] is True
    assert "scan" not in result
    assert cloud.calls.actions == ["DescribeImages", "DescribeImageScan"]


def test_scan_waits_for_the_findings(cloud, kcr, registry, run, clock):
    scans_last(cloud, polls=2)  # Scanning at 2 s and 4 s, Success at 6 s
    digest = digest_of_tag(kcr, registry, "1.0")
    result = run(tag="1.0", scan=True)

    assert result["changed"] is True
    assert result["scan_started"] is True
    assert cloud.calls.params_of("StartImageScan") == [{"InstanceId": registry["InstanceId"], "Namespace": "apps",
                                                        "RepoName": "billing", "ImageId": digest}]
    # one read to see whether a scan is under way, then polls until it has finished
    assert cloud.calls.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan",
                                   "DescribeImageScan", "DescribeImageScan", "DescribeImageScan"]
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert result["scan"] == {
        "status": "Success", "finish_time": "2024-01-15 18:00:05", "vulnerability_count": 6,
        "summary": {"high": 2, "medium": 2, "low": 1, "negligible": 1, "unknown": 0},
        "vulnerabilities": [{"cve_id": cve, "cve_link": "https://nvd.nist.gov/vuln/detail/" + cve,
                             "description": description, "severity": severity, "feature": feature,
                             "current_version": current, "repaired_version": repaired}
                            for cve, severity, feature, current, repaired, description in FINDINGS_1_0]}


def test_scan_without_wait_reads_once(cloud, kcr, registry, run):
    result = run(tag="1.0", scan=True, wait=False)

    assert result["changed"] is True
    assert result["scan"]["status"] == "Scanning"
    assert cloud.calls.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan", "DescribeImageScan"]


def test_scan_under_way_is_awaited_not_restarted(cloud, kcr, registry, run):
    digest = digest_of_tag(kcr, registry, "1.0")
    cloud.settings({"delays": {"kcrs.scan": 5}})  # Scanning at 0, 2 and 4 s, Success at 6 s
    start_scan(kcr, registry, digest)
    result = run(tag="1.0", scan=True)

    assert result["changed"] is False
    assert result["scan_started"] is False
    assert "StartImageScan" not in cloud.calls.actions
    assert result["scan"]["status"] == "Success"


def test_scan_timeout(cloud, kcr, registry, run, clock):
    scans_last(cloud, polls=1000)
    result = run(tag="1.0", scan=True, wait_timeout=9)

    assert result.failed
    assert result["msg"] == "timed out after 9s waiting for image scan to finish (last status seen: Scanning)"
    # a poll every 2 seconds until the deadline has passed: 5 polls, 10 seconds
    assert clock.sleeps == [2.0] * 5
    assert clock.now == 10.0
    assert cloud.calls.actions == (["DescribeImages", "DescribeImageScan", "StartImageScan"]
                                   + ["DescribeImageScan"] * 5)


@pytest.mark.parametrize("unscanned", ["codes", "common", "empty"])  # the readings of "never scanned"
def test_a_never_scanned_image_gets_a_scan_under_every_reading(cloud, kcr, registry, run, unscanned):
    cloud.settings({"readings": {"kcrs": {"not_found": unscanned}}})
    scans_last(cloud, polls=1)
    result = run(tag="1.0", scan=True)

    assert result["changed"] is True and result["scan_started"] is True
    # (under the common code: the image was just listed, so only the scan can be missing, no read)
    assert cloud.calls.actions == ["DescribeImages", "DescribeImageScan", "StartImageScan",
                                   "DescribeImageScan", "DescribeImageScan"]
    assert result["scan"]["status"] == "Success"


@pytest.mark.parametrize("running", ["Scanning", "Queued", "InProgress", "Analyzing"])
def test_any_status_that_is_not_final_is_still_running(cloud, kcr, registry, run, running):
    cloud.settings({"readings": {"kcrs": {"scan_running_status": running}}})
    scans_last(cloud, polls=3)
    result = run(tag="1.0", scan=True)

    assert result["scan"]["status"] == "Success"
    assert cloud.calls.actions.count("DescribeImageScan") == 5


def test_a_timeout_names_the_unknown_status_seen(cloud, kcr, registry, run):
    cloud.settings({"readings": {"kcrs": {"scan_running_status": "Queued"}}})
    scans_last(cloud, polls=1000)
    result = run(tag="1.0", scan=True, wait_timeout=0)

    assert result.failed
    assert result["msg"] == "timed out after 0s waiting for image scan to finish (last status seen: Queued)"


def test_a_scan_under_way_with_an_unknown_status_is_not_restarted(cloud, kcr, registry, run):
    digest = digest_of_tag(kcr, registry, "1.0")
    cloud.settings({"readings": {"kcrs": {"scan_running_status": "Queued"}},
                    "delays": {"kcrs.scan": 3}})  # Queued at 0 and 2 s, Success at 4 s
    start_scan(kcr, registry, digest)
    result = run(tag="1.0", scan=True)

    assert result["changed"] is False and result["scan_started"] is False
    assert "StartImageScan" not in cloud.calls.actions


def test_failed_scan_fails_the_task(cloud, kcr, registry, run):
    cloud.settings({"readings": {"kcrs": {"scan_final_status": "Failed"}}})
    scans_last(cloud, polls=1)
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
def test_bad_input_fails_before_any_call(cloud, kcr, registry, run, args, message):
    result = run(**args)
    assert result.failed
    assert result["msg"].startswith(message)
    assert cloud.calls == []


# -- kcr_image_info --------------------------------------------------------------------------------

def test_info_lists_images_newest_first(cloud, kcr, registry, run):
    result = run(module=KcrImageInfo)

    assert result["changed"] is False
    assert [i["tags"] for i in result["images"]] == [["2.0", "latest"], ["1.0"]]
    assert all("scan" not in i for i in result["images"])
    assert cloud.calls.actions == ["DescribeImages"]


def test_info_with_scan(cloud, kcr, registry, run):
    scanned = digest_of_tag(kcr, registry, "1.0")
    cloud.settings({"delays": {"kcrs.scan": 0}})  # finished at once
    start_scan(kcr, registry, scanned)
    result = run(module=KcrImageInfo, include_scan=True)

    scans = dict((i["digest"], i["scan"]) for i in result["images"])
    assert scans[digest_of_tag(kcr, registry, "2.0")] is None
    assert scans[scanned]["status"] == "Success"
    assert scans[scanned]["summary"]["high"] == 2  # the emulator's findings for this digest (FINDINGS_1_0)
    assert cloud.calls.actions == ["DescribeImages", "DescribeImageScan", "DescribeImageScan"]


def test_info_filters(cloud, kcr, registry, run):
    by_tag = run(module=KcrImageInfo, tag="latest")
    assert [i["tags"] for i in by_tag["images"]] == [["2.0", "latest"]]

    digest = digest_of_tag(kcr, registry, "1.0")
    by_digest = run(module=KcrImageInfo, digest=digest)
    assert [i["digest"] for i in by_digest["images"]] == [digest]
    assert cloud.calls.params_of("DescribeImages")[-1]["ImageId"] == digest

    assert run(module=KcrImageInfo, tag="none")["images"] == []


def test_info_missing_repository_fails(cloud, kcr, registry, run):
    result = run(module=KcrImageInfo, repository="nothing")
    assert result.failed
    assert result["msg"] == "repository apps/nothing not found in KCR instance %s" % registry["InstanceId"]


def test_info_pages_images(cloud, kcr, registry, run):
    for number in range(100):
        kcr.push(registry, "apps", "big", "t%03d" % number)
    result = run(module=KcrImageInfo, repository="big")
    assert len(result["images"]) == 100
    assert [p["Marker"] for p in cloud.calls.params_of("DescribeImages")] == [0, 99]


def test_under_the_common_code_a_missing_repository_is_told_from_a_missing_namespace(cloud, kcr, registry, run):
    cloud.settings({"readings": {"kcrs": {"not_found": "common"}}})
    no_namespace = run(namespace="nowhere", tag="1.0")
    no_repository = run(repository="nothing", tag="1.0")

    assert no_namespace["msg"] == ("namespace nowhere not found in KCR instance %s; create it with "
                                   "cloudops.multicloud.kcr_namespace" % registry["InstanceId"])
    assert no_repository["msg"] == "repository apps/nothing not found in KCR instance %s" % registry["InstanceId"]
