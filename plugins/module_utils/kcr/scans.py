# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR image vulnerability scans: the calls (StartImageScan, DescribeImageScan), the scan flow of
kcr_image (start unless one is under way, wait, result) and the shape kcr_image and kcr_image_info
return. ``repo`` is a ``repositories.RepositoryRef`` throughout."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure

# The answer for an image never scanned (the KSYUN documents name no code: the emulator's).
SCAN_MISSING = Missing("ImageScanNotFound")

SEVERITIES = ("High", "Medium", "Low", "Negligible", "Unknown")

# Only "Success" is documented. Any other status that is not a known final one ("Scanning" in the
# emulator, and whatever the real service calls a queued or running scan) means the scan is still
# under way, so an unknown name is never taken for a result.
SCAN_SUCCEEDED = frozenset(("Success",))
SCAN_FAILED = frozenset(("Failed", "Fail", "Error"))


def scan_status(answer):
    """The Status of a DescribeImageScan answer; None when there is no scan (never scanned)."""
    return None if answer is None else answer.get("Status") or None


def scan_finished(answer):
    return scan_status(answer) in SCAN_SUCCEEDED | SCAN_FAILED


def scan_under_way(answer):
    return scan_status(answer) is not None and not scan_finished(answer)


def read_scan(repo, digest):
    """The DescribeImageScan answer for one image ({Status, FinishTime, TotalCount, Summary,
    VulnerabilitySet}), or None if it was never scanned (a "missing" answer, or one without a
    Status)."""
    answer = SCAN_MISSING.absent_if(repo.instance.call, "DescribeImageScan", repo.params(ImageId=digest))
    return answer if scan_status(answer) is not None else None


def start_scan(repo, digest):
    """StartImageScan of one image; the answer is not used (``read_scan`` follows it)."""
    repo.instance.call("StartImageScan", repo.params(ImageId=digest))


def scan_image(module, repo, digest, label, result):
    """kcr_image's ``scan: true``: start a scan of ``digest`` unless one is under way, then (with
    ``wait``) wait until it finishes; ``result`` gets ``scan_started``, ``changed`` and ``scan``
    (``scan_result``). A scan that ends failed fails the module with that result. ``module`` is the
    kcr_image module (check mode, ``wait``, ``wait_for``); ``label`` names the image in messages."""
    latest = read_scan(repo, digest)
    under_way = scan_under_way(latest)
    result["scan_started"] = not under_way
    result["changed"] = result["changed"] or not under_way
    if module.check_mode:
        return
    if not under_way:
        start_scan(repo, digest)
    if module.params["wait"]:
        latest = module.wait_for(scan_finished, "scan to finish", lambda: read_scan(repo, digest), status=scan_status)
    elif not under_way:
        latest = read_scan(repo, digest)
    result["scan"] = scan_result(latest)
    if latest is not None and latest.get("Status") in SCAN_FAILED:
        raise ModuleFailure("the scan of image %s ended with status %s" % (label, latest["Status"]), **result)


def scan_result(answer):
    """A DescribeImageScan answer, snake_case; None stays None (never scanned)."""
    if answer is None:
        return None
    summary = answer.get("Summary") or {}
    vulnerabilities = [camel_dict_to_snake_dict(v) for v in answer.get("VulnerabilitySet") or []]
    count = answer.get("TotalCount")
    return {
        "status": answer.get("Status"),
        "finish_time": answer.get("FinishTime"),
        "vulnerability_count": len(vulnerabilities) if count is None else int(count),
        "summary": dict((s.lower(), int(summary.get(s) or 0)) for s in SEVERITIES),
        "vulnerabilities": vulnerabilities,
    }
