#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_image_info
short_description: List the images of a KSYUN container registry (KCR) repository
version_added: 0.1.0
description:
  - Lists the images of one repository of a KCR instance with their tags, newest first, paging at
    the API's maximum page size (99); or one image, by O(digest) or O(tag).
  - With O(include_scan=true), also each image's latest vulnerability scan, at the cost of one
    DescribeImageScan call per image.
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
      - Only the image with this digest (C(sha256:) followed by 64 lower-case hex digits).
    type: str
  tag:
    description:
      - Only the image that carries this tag.
    type: str
  include_scan:
    description:
      - Also return each image's latest scan in RV(images[].scan) (null for an image never
        scanned). Start scans with M(cloudops.multicloud.kcr_image).
    type: bool
    default: false
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
notes:
  - A repository or namespace that does not exist is an error; a O(digest) or O(tag) that matches
    no image gives an empty list.
seealso:
  - module: cloudops.multicloud.kcr_image
  - module: cloudops.multicloud.kcr_repo_info
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Images of the billing API
  cloudops.multicloud.kcr_image_info:
    instance_name: prod-registry
    namespace: apps
    repository: billing-api
  register: images

- name: The digest behind latest
  ansible.builtin.debug:
    msg: "{{ (images.images | selectattr('tags', 'contains', 'latest') | first).digest }}"

- name: Latest scan results of the release image
  cloudops.multicloud.kcr_image_info:
    instance_name: prod-registry
    namespace: apps
    repository: billing-api
    tag: 2.0.0
    include_scan: true
  register: release
"""

RETURN = r"""
images:
  description: The images found, newest first.
  returned: always
  type: list
  elements: dict
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
    scan:
      description:
        - The image's latest scan; null when it was never scanned.
        - Same fields as RV(cloudops.multicloud.kcr_image#module:scan).
      returned: when O(include_scan=true)
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
          sample: 0
        summary:
          description: Number of vulnerabilities per severity (V(high), V(medium), V(low), V(negligible), V(unknown)).
          type: dict
          sample: {"high": 0, "medium": 0, "low": 0, "negligible": 0, "unknown": 0}
        vulnerabilities:
          description: The findings (C(cve_id), C(cve_link), C(severity), C(feature), C(current_version),
            C(repaired_version), C(description)).
          type: list
          elements: dict
          sample: []
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.images import (
    check_digest,
    image_result,
    list_images,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import NAMESPACE_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.repositories import (
    REPOSITORY_NAME,
    TAG_NAME,
    RepositoryRef,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.scans import read_scan, scan_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule


class KcrImageInfo(InstanceScoped, InfoModule):
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        repository=dict(type="str", required=True),
        digest=dict(type="str"),
        tag=dict(type="str"),
        include_scan=dict(type="bool", default=False),
    )
    result_key = "images"

    def __init__(self):
        super(KcrImageInfo, self).__init__()
        self.repo = RepositoryRef(self.instance, self.params["namespace"], self.params["repository"])

    def validate(self):
        NAMESPACE_NAME.check("namespace", self.params["namespace"])
        REPOSITORY_NAME.check("repository", self.params["repository"])
        check_digest("digest", self.params["digest"])
        TAG_NAME.check("tag", self.params["tag"])

    def list_resources(self):
        images = list_images(self.repo, self.params["digest"])
        # A service may list nothing for a missing repository (a reading): one read tells.
        if images is None or (not images and self.repo.describe() is None):
            raise self.repo.missing_repository()
        tag = self.params["tag"]
        if tag is not None:
            images = [i for i in images if tag in (i.get("TagNames") or [])]
        return images

    def to_result(self, api_object):
        result = image_result(self.instance.id, self.repo.namespace, self.repo.name, api_object)
        if self.params["include_scan"]:
            result["scan"] = scan_result(read_scan(self.repo, api_object["ImageId"]))
        return result


def main():
    KcrImageInfo().run()


if __name__ == "__main__":
    main()
