# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR repositories, images, tags and scans: the calls about one repository and the shapes that
kcr_repo, kcr_repo_info, kcr_image and kcr_image_info return.

Repositories, images and tags cannot be created through the API: a ``docker push`` makes them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import (
    CloudError,
    Missing,
    ModuleFailure,
    absent_if_any,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import kcr_bool
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import (
    NAMESPACE_MISSING,
    namespace_not_found,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule

REPOSITORY_NAME = NameRule("KCR repository", r"[a-z0-9][a-z0-9._/-]{0,127}",
                           "1 to 128 characters: lower-case letters, digits, '.', '_', '-' and '/', "
                           "starting with a letter or digit")
# Docker's tag rule: the registry is a Docker registry and the KCR documents state no rule.
TAG_NAME = NameRule("KCR tag", r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
                    "1 to 128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'")
DIGEST_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")

# The seed's ModifyRepoDesc limit is illegible; 256 is the limit it states for token descriptions.
DESCRIPTION_MAX = 256

# Which answers mean the repository, image, tag or scan named in a request does not exist (the
# KSYUN documents name no code; these are the emulator's, see docs/emulator.md).
REPOSITORY_MISSING = Missing("RepositoryNotFound", "RepoNotFound")
IMAGE_MISSING = Missing("ImageNotFound")
TAG_MISSING = Missing("TagNotFound")
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


def check_digest(option, value):
    if value is not None and not DIGEST_PATTERN.fullmatch(value):
        raise ModuleFailure("%s: %r is not an image digest: 'sha256:' followed by 64 lower-case hex digits"
                            % (option, value))


def check_description(option, value):
    if value is not None and len(value) > DESCRIPTION_MAX:
        raise ModuleFailure("%s: at most %d characters (%d given)" % (option, DESCRIPTION_MAX, len(value)))


class RepositoryRef:
    """One repository of a KCR instance (``KcrInstanceRef``), named by namespace and name.

    Reads return None where the thing (or a parent: namespace, repository) does not exist;
    ``namespace_exists`` then tells which level was missing.
    """

    def __init__(self, instance, namespace, name):
        self.instance = instance
        self.namespace = namespace
        self.name = name
        self.namespace_exists = None

    @property
    def path(self):
        return "%s/%s" % (self.namespace, self.name)

    def params(self, **extra):
        params = {"Namespace": self.namespace, "RepoName": self.name}
        params.update(extra)
        return params

    def _read(self, call, *args):
        """``call(*args)``, or None when the namespace or the repository is missing (noting which)."""
        result, missing = absent_if_any((NAMESPACE_MISSING, REPOSITORY_MISSING), call, *args)
        if missing is not None:
            self.namespace_exists = missing is REPOSITORY_MISSING
        return result

    def describe(self):
        """The DescribeRepository entry, or None. ``RepoName.N`` selects exact names; the result is
        matched exactly as well in case the service treats it as a filter."""
        items = self._read(self.instance.paginate, "DescribeRepository",
                           {"Namespace": self.namespace, "RepoName": [self.name]}, "RepoSet")
        for item in items or []:
            if item.get("RepoName") == self.name:
                self.namespace_exists = True
                return item
        return None

    def namespace_missing(self):
        """Whether the namespace itself is missing. Asked (DescribeNamespaceExist) only when no
        earlier answer told, since an empty listing may mean either."""
        if self.namespace_exists is None:
            answer = self.instance.call("DescribeNamespaceExist", {"Namespace": self.namespace})
            self.namespace_exists = kcr_bool(answer.get("Exist"))
        return not self.namespace_exists

    def images(self, digest=None):
        """DescribeImages entries (newest first), only ``digest`` if given; None when the
        repository or its namespace does not exist."""
        items = self._read(self.instance.paginate, "DescribeImages", self.params(ImageId=digest), "ImageSet")
        if items is not None and digest is not None:
            items = [i for i in items if i.get("ImageId") == digest]
        return items

    def scan(self, digest):
        """The DescribeImageScan answer for one image, or None if it was never scanned (a "missing"
        answer, or one without a Status)."""
        answer = SCAN_MISSING.absent_if(self.instance.call, "DescribeImageScan", self.params(ImageId=digest))
        return answer if scan_status(answer) is not None else None

    def delete_tag(self, tag):
        """DeleteRepoTag; a tag deleted meanwhile is fine (the goal is reached)."""
        TAG_MISSING.absent_if(self.instance.call, "DeleteRepoTag", self.params(TagName=tag))

    def missing_namespace(self):
        return namespace_not_found(self.instance, self.namespace)

    def missing_repository(self):
        # (an empty listing leaves it open: namespace_missing asks)
        if self.namespace_missing():
            return self.missing_namespace()
        return ModuleFailure("repository %s not found in KCR instance %s" % (self.path, self.instance.label))


def registry_domain(module, instance_id):
    """The instance's registry domain (``<name>.ksyunkcr.com``) for a message, or None (one read)."""
    try:
        answer = module.client.call("DescribeInstance", {"InstanceId": [instance_id]})
    except CloudError:
        return None
    for item in answer.get("InstanceSet") or []:
        if item.get("InstanceId") == instance_id:
            return item.get("InternalEndpoint")
    return None


def tags_of(images):
    """Every tag of these DescribeImages entries, in listing order."""
    tags = []
    for image in images:
        tags.extend(t for t in (image.get("TagNames") or []) if t not in tags)
    return tags


def repository_result(instance_id, namespace, api_object, tags=None):
    result = {
        "instance_id": instance_id,
        "namespace": namespace,
        "name": api_object["RepoName"],
        "public": kcr_bool(api_object.get("Public")),
        "description": api_object.get("Desc"),
        "create_time": api_object.get("CreateTime"),
        "update_time": api_object.get("UpdateTime"),
    }
    if tags is not None:
        result["tags"] = list(tags)
    return result


def image_result(instance_id, namespace, repository, api_object):
    size = api_object.get("Size")
    return {
        "instance_id": instance_id,
        "namespace": namespace,
        "repository": repository,
        "digest": api_object["ImageId"],
        "size": None if size is None else int(size),
        "create_time": api_object.get("CreateTime"),
        "tags": list(api_object.get("TagNames") or []),
    }


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
