#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_image
short_description: Delete or scan an image in a KSYUN container registry (KCR) repository
version_added: 0.1.0
description:
  - Delete an image (one digest, with every tag it carries) from a repository of a KSYUN KCR
    registry instance, or start a vulnerability scan of it and return the findings.
  - The image is named by its O(digest), or by a O(tag) it carries.
  - The API cannot create images; C(docker push) does. O(state=present) only checks that the image
    exists (and fails if it does not).
  - An idempotent run costs one DescribeImages call (plus one DescribeInstance call when the
    instance is given by name). Naming the image by O(tag) reads the repository's whole image list
    (one call per 99 images); by O(digest), one filtered call.
options:
  namespace:
    description:
      - Name of the namespace that holds the repository.
    type: str
    required: true
  repository:
    description:
      - Name of the repository inside O(namespace).
    type: str
    required: true
  digest:
    description:
      - Digest of the image, C(sha256:) followed by 64 lower-case hex digits, as
        M(cloudops.multicloud.kcr_image_info) or C(docker push) reports it.
      - Exactly one of O(digest) and O(tag) is required.
    type: str
  tag:
    description:
      - A tag the image carries, for example V(latest).
      - With O(state=absent) the whole image is deleted, with all its other tags; to delete only
        the tag, use O(cloudops.multicloud.kcr_repo#module:absent_tags).
      - Exactly one of O(digest) and O(tag) is required.
    type: str
  state:
    description:
      - V(present) requires the image to exist; V(absent) deletes it (C(DeleteImages)).
    type: str
    choices: [present, absent]
    default: present
  scan:
    description:
      - Start a vulnerability scan of the image (C(StartImageScan)).
      - A scan is an action, not a state, so every run that starts one reports C(changed=true).
        A run that finds a scan of the image still under way starts no other one; it waits for that
        one (with O(wait=true)) and reports C(changed=false).
      - Only with O(state=present).
    type: bool
    default: false
  wait:
    description:
      - With O(scan=true), wait until the scan has finished and return its findings in RV(scan).
      - Without waiting, RV(scan) is the scan as the registry reports it right after the start.
      - No effect without O(scan=true).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most for the scan when O(wait=true); the task fails when the
        time is up.
    type: int
    default: 600
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
  - cloudops.multicloud.wait
attributes:
  check_mode:
    support: full
    details: Check mode deletes nothing and starts no scan; it reads whether a scan is under way, so
      C(changed) and RV(scan_started) are what the real run would report.
  diff_mode:
    support: full
    details: The diff shows the image before and after the task (empty after a deletion); a scan
      changes nothing in it.
seealso:
  - module: cloudops.multicloud.kcr_image_info
  - module: cloudops.multicloud.kcr_repo
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Scan the release candidate and wait for the findings
  cloudops.multicloud.kcr_image:
    instance_name: prod-registry
    namespace: apps
    repository: billing-api
    tag: 2.0.0
    scan: true
    wait_timeout: 300
  register: scanned

- name: Stop the release on high-severity findings
  ansible.builtin.assert:
    that: scanned.scan.summary.high == 0
    fail_msg: "{{ scanned.scan.vulnerabilities | selectattr('severity', 'equalto', 'High') | map(attribute='cve_link') }}"

- name: Delete an image by digest
  cloudops.multicloud.kcr_image:
    instance_id: "{{ registry_id }}"
    namespace: apps
    repository: billing-api
    digest: sha256:7bd0c945d7e4cc2ce5c21d449ba07eb89c8e6c28085edbcf6f5fa4bf90e7eedc
    state: absent
"""

RETURN = r"""
image:
  description:
    - The image after the task; empty after O(state=absent).
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    namespace:
      description: Name of the namespace.
      type: str
      sample: apps
    repository:
      description: Name of the repository.
      type: str
      sample: billing-api
    digest:
      description: Digest of the image.
      type: str
      sample: sha256:7bd0c945d7e4cc2ce5c21d449ba07eb89c8e6c28085edbcf6f5fa4bf90e7eedc
    size:
      description: Size of the image in bytes.
      type: int
      sample: 52428800
    create_time:
      description: When the image was pushed (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-27 12:03:37"
    tags:
      description: Tags of the image.
      type: list
      elements: str
      sample: ["2.0.0", "latest"]
scan_started:
  description: Whether the task started a scan (in check mode, whether it would).
  returned: when O(scan=true)
  type: bool
  sample: true
scan:
  description:
    - The image's scan. With O(wait=true), the finished scan; otherwise as the registry reported it
      right after the start.
  returned: when O(scan=true), except in check mode
  type: dict
  contains:
    status:
      description: Status of the scan; V(Success) when it has finished.
      type: str
      sample: Success
    finish_time:
      description: When the scan finished; null while it runs.
      type: str
      sample: "2022-06-27 14:24:32"
    vulnerability_count:
      description: Number of vulnerabilities found.
      type: int
      sample: 2
    summary:
      description: Number of vulnerabilities per severity.
      type: dict
      contains:
        high:
          description: High-severity findings.
          type: int
        medium:
          description: Medium-severity findings.
          type: int
        low:
          description: Low-severity findings.
          type: int
        negligible:
          description: Negligible findings.
          type: int
        unknown:
          description: Findings whose severity is not assessed yet.
          type: int
      sample: {"high": 1, "medium": 1, "low": 0, "negligible": 0, "unknown": 0}
    vulnerabilities:
      description: The findings, as the registry lists them.
      type: list
      elements: dict
      contains:
        cve_id:
          description: CVE identifier, when the registry gives one.
          type: str
          sample: CVE-2023-0464
        cve_link:
          description: Link to the CVE's description.
          type: str
          sample: https://nvd.nist.gov/vuln/detail/CVE-2023-0464
        severity:
          description: V(High), V(Medium), V(Low), V(Negligible) or V(Unknown).
          type: str
          sample: High
        feature:
          description: The affected package.
          type: str
          sample: openssl
        current_version:
          description: The package's version in the image.
          type: str
          sample: 1.1.1k-r0
        repaired_version:
          description: The first version that fixes it; empty when there is none.
          type: str
          sample: 1.1.1t-r0
        description:
          description: What the vulnerability is.
          type: str
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.images import (
    IMAGE_MISSING,
    check_digest,
    delete_image,
    image_result,
    list_images,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import NAMESPACE_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.repositories import (
    REPOSITORY_NAME,
    TAG_NAME,
    RepositoryRef,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.scans import scan_image
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule


class KcrImage(InstanceScoped, StatefulModule):
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        repository=dict(type="str", required=True),
        digest=dict(type="str"),
        tag=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        scan=dict(type="bool", default=False),
    )
    module_kwargs = dict(mutually_exclusive=[("digest", "tag")], required_one_of=[("digest", "tag")])
    result_key = "image"
    creatable = False
    gone = IMAGE_MISSING
    supports_wait = True  # for the scan

    def __init__(self):
        super(KcrImage, self).__init__()
        self.repo = RepositoryRef(self.instance, self.params["namespace"], self.params["repository"])
        self.repository_exists = None

    @property
    def label(self):
        if self.params["digest"]:
            return "%s@%s" % (self.repo.path, self.params["digest"])
        return "%s:%s" % (self.repo.path, self.params["tag"])

    def validate(self):
        NAMESPACE_NAME.check("namespace", self.params["namespace"])
        REPOSITORY_NAME.check("repository", self.params["repository"])
        check_digest("digest", self.params["digest"])
        TAG_NAME.check("tag", self.params["tag"])
        if self.params["scan"] and self.params["state"] == "absent":
            raise ModuleFailure("scan: only with state=present (an image cannot be scanned and deleted at once)")

    def find(self):
        digest, tag = self.params["digest"], self.params["tag"]
        images = list_images(self.repo, digest)
        self.repository_exists = images is not None
        for image in images or []:
            if image.get("ImageId") == digest or (tag is not None and tag in (image.get("TagNames") or [])):
                return image
        return None

    def to_result(self, api_object):
        return image_result(self.instance.id, self.repo.namespace, self.repo.name, api_object)

    def missing(self):
        if not self.repository_exists:
            raise self.repo.missing_repository()
        raise ModuleFailure("image %s not found in KCR instance %s; images come into being with 'docker push'"
                            % (self.label, self.instance.label))

    def delete(self, current):
        delete_image(self.repo, current["ImageId"])

    def follow_up(self, result):
        if self.params["scan"]:
            scan_image(self, self.repo, result[self.result_key]["digest"], self.label, result)
        return result


def main():
    KcrImage().run()


if __name__ == "__main__":
    main()
