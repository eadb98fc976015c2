"""kcrs vulnerability scans: StartImageScan, DescribeImageScan.

A scan is `Scanning` until settings.delays["kcrs.scan"] seconds have passed, then `Success`
(only `Success` is documented; `Scanning` is our name for the interim state; the readings
scan_running_status / scan_final_status rename either). The findings are
fake but deterministic: drawn from a fixed catalogue by the bytes of the image digest, so one
image always gets the same report. DescribeImageScan for an image never scanned answers
ImageScanNotFound (404), or under reading not_found=common InvalidParameterValue, or under
not_found=empty an empty report with Status null.
"""
import hashlib

from ..actions import action
from ..util import fmt_time
from .common import IMAGE, get_instance, get_namespace, get_repo, missing
from .images import get_image
from ...readings import reading

SEVERITIES = ("High", "Medium", "Low", "Negligible", "Unknown")

# (id, package, installed version, fixed version, severity, description) — invented entries.
CATALOGUE = (
    ("CVE-2099-10001", "openssl", "1.1.1k-r0", "1.1.1t-r0", "High",
     "Emulated finding: buffer over-read in certificate parsing."),
    ("CVE-2099-10002", "zlib", "1.2.11-r3", "1.2.12-r0", "High",
     "Emulated finding: memory corruption when inflating crafted input."),
    ("CVE-2099-10003", "busybox", "1.33.1-r2", "1.33.1-r7", "Medium",
     "Emulated finding: out-of-bounds read in the awk applet."),
    ("CVE-2099-10004", "musl", "1.2.2-r3", "1.2.2-r7", "Medium",
     "Emulated finding: integer overflow in a string function."),
    ("CVE-2099-10005", "curl", "7.79.1-r0", "7.80.0-r0", "Medium",
     "Emulated finding: credentials leak on redirect."),
    ("CVE-2099-10006", "expat", "2.4.1-r0", "2.4.7-r0", "Low",
     "Emulated finding: excessive recursion on nested entities."),
    ("CVE-2099-10007", "libxml2", "2.9.12-r1", "2.9.14-r0", "Low",
     "Emulated finding: use-after-free in the reader API."),
    ("CVE-2099-10008", "ncurses", "6.2_p20210612-r0", "6.3_p20220521-r0", "Negligible",
     "Emulated finding: crash on a malformed terminfo entry."),
    ("CVE-2099-10009", "tzdata", "2021a-r0", "", "Unknown",
     "Emulated finding: severity not yet assessed."),
)


def findings(digest):
    """The vulnerabilities reported for `digest`: each catalogue entry with probability ~1/3."""
    seed = hashlib.sha256(digest.encode()).digest()
    found = []
    for index, (cve, feature, current, repaired, severity, description) in enumerate(CATALOGUE):
        if seed[index] % 3 == 0:
            found.append({"CveId": cve, "CveLink": "https://nvd.nist.gov/vuln/detail/" + cve,
                          "Description": description, "Severity": severity, "Feature": feature,
                          "CurrentVersion": current, "RepairedVersion": repaired})
    return found


def _image(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    repo = get_repo(call, instance, namespace)
    return get_image(call, repo, instance, namespace)


@action("kcrs", "StartImageScan")
def start_image_scan(call):
    key, doc = _image(call)
    doc["_scan"] = {"started": call.now,
                    "ready_at": call.now + call.emu.delay("kcrs.scan", 2)}
    call.store.update(IMAGE, key, doc)
    return {}


@action("kcrs", "DescribeImageScan")
def describe_image_scan(call):
    _image_key, doc = _image(call)
    scan = doc.get("_scan")
    summary = dict.fromkeys(SEVERITIES, 0)
    if not scan:
        if reading(call.emu, "kcrs", "not_found") == "empty":
            return {"Status": None, "TotalCount": 0, "FinishTime": None, "Summary": summary,
                    "VulnerabilitySet": []}
        raise missing(call, "ImageScanNotFound", "ImageId",
                      "The image %s has not been scanned." % doc["ImageId"])
    if call.now < scan["ready_at"]:
        return {"Status": reading(call.emu, "kcrs", "scan_running_status"), "TotalCount": 0,
                "FinishTime": None, "Summary": summary, "VulnerabilitySet": []}
    status = reading(call.emu, "kcrs", "scan_final_status")
    # A scan that ends other than in Success (a reading) reports no findings.
    vulnerabilities = findings(doc["ImageId"]) if status == "Success" else []
    for item in vulnerabilities:
        summary[item["Severity"]] += 1
    return {"Status": status, "TotalCount": len(vulnerabilities),
            "FinishTime": fmt_time(scan["ready_at"]), "Summary": summary,
            "VulnerabilitySet": vulnerabilities}
