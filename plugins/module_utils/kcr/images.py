# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR images and their tags: the digest rule, the calls about them (DescribeImages, DeleteImages,
DeleteRepoTag) and the shape kcr_image, kcr_image_info and kcr_repo_info return. ``repo`` is a
``repositories.RepositoryRef`` throughout.

Images and tags cannot be created through the API: a ``docker push`` makes them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure

DIGEST_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")

# Which answers mean the image or tag named in a request does not exist (the KSYUN documents name
# no code; these are the emulator's, see docs/dev/emulator.md).
IMAGE_MISSING = Missing("ImageNotFound")
TAG_MISSING = Missing("TagNotFound")


def check_digest(option, value):
    if value is not None and not DIGEST_PATTERN.fullmatch(value):
        raise ModuleFailure("%s: %r is not an image digest: 'sha256:' followed by 64 lower-case hex digits"
                            % (option, value))


def list_images(repo, digest=None):
    """The repository's DescribeImages entries ({ImageId, TagNames, Size, CreateTime}, newest
    first), only ``digest`` if given; None when the repository or its namespace does not exist."""
    items = repo.read(repo.instance.paginate, "DescribeImages", repo.params(ImageId=digest), "ImageSet")
    if items is not None and digest is not None:
        items = [i for i in items if i.get("ImageId") == digest]
    return items


def delete_image(repo, digest):
    """DeleteImages of one image (every tag on it goes too); the answer is not used."""
    repo.instance.call("DeleteImages", repo.params(ImageId=digest))


def delete_tag(repo, tag):
    """DeleteRepoTag; a tag deleted meanwhile is fine (the goal is reached)."""
    TAG_MISSING.absent_if(repo.instance.call, "DeleteRepoTag", repo.params(TagName=tag))


def tags_of(images):
    """Every tag of these DescribeImages entries, in listing order."""
    tags = []
    for image in images:
        tags.extend(t for t in (image.get("TagNames") or []) if t not in tags)
    return tags


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
