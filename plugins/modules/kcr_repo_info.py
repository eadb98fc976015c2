#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_repo_info
short_description: List the repositories of a namespace in a KSYUN container registry (KCR)
version_added: 0.1.0
description:
  - Lists the repositories of one namespace of a KCR instance, or one repository, paging at the
    API's maximum page size (99).
  - With O(include_images=true), also each repository's images and tags, at the cost of one
    DescribeImages call per repository (per 99 images).
options:
  namespace:
    description:
      - Name of the namespace whose repositories to list.
    type: str
    required: true
  name:
    description:
      - Only the repository with this exact name.
    type: str
    aliases: [repository]
  include_images:
    description:
      - Also return each repository's images (RV(repositories[].images)) and tags
        (RV(repositories[].tags)).
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
  - A namespace that does not exist is an error; a O(name) that matches no repository gives an
    empty list.
seealso:
  - module: cloudops.multicloud.kcr_repo
  - module: cloudops.multicloud.kcr_image_info
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Repositories of the apps namespace
  cloudops.multicloud.kcr_repo_info:
    instance_name: prod-registry
    namespace: apps
  register: repos

- name: Every tag of every repository
  cloudops.multicloud.kcr_repo_info:
    instance_id: "{{ registry_id }}"
    namespace: apps
    include_images: true
  register: repos

- name: Repositories without any image left
  ansible.builtin.debug:
    msg: "{{ repos.repositories | selectattr('images', 'equalto', []) | map(attribute='name') }}"
"""

RETURN = r"""
repositories:
  description: The repositories found, in the order the registry lists them.
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
    name:
      description: Name of the repository.
      type: str
      sample: billing-api
    public:
      description: Whether anyone may pull the repository's images (the namespace's setting).
      type: bool
      sample: false
    description:
      description: Description of the repository; null when it has none.
      type: str
      sample: Billing API images
    create_time:
      description: When the repository was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-16 16:58:31"
    update_time:
      description: When the repository was last changed.
      type: str
      sample: "2022-06-27 12:03:37"
    tags:
      description: Every tag of the repository, newest image first.
      type: list
      elements: str
      returned: when O(include_images=true)
      sample: ["2.0.0", "latest"]
    images:
      description: The repository's images, newest first.
      type: list
      elements: dict
      returned: when O(include_images=true)
      contains:
        digest:
          description: Digest of the image.
          type: str
          sample: sha256:7bd0c945d7e4cc2ce5c21d449ba07eb89c8e6c28085edbcf6f5fa4bf90e7eedc
        size:
          description: Size of the image in bytes.
          type: int
          sample: 52428800
        create_time:
          description: When the image was pushed.
          type: str
          sample: "2022-06-27 12:03:37"
        tags:
          description: Tags of the image.
          type: list
          elements: str
          sample: ["2.0.0", "latest"]
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.images import image_result, list_images, tags_of
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import NAMESPACE_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.repositories import (
    REPOSITORY_NAME,
    RepositoryRef,
    list_repositories,
    repository_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule


class KcrRepoInfo(InstanceScoped, InfoModule):
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        name=dict(type="str", aliases=["repository"]),
        include_images=dict(type="bool", default=False),
    )
    result_key = "repositories"

    def validate(self):
        NAMESPACE_NAME.check("namespace", self.params["namespace"])
        REPOSITORY_NAME.check("name", self.params["name"])

    def list_resources(self):
        return list_repositories(self.instance, self.params["namespace"], self.params["name"])

    def to_result(self, api_object):
        namespace = self.params["namespace"]
        if not self.params["include_images"]:
            return repository_result(self.instance.id, namespace, api_object)
        images = list_images(RepositoryRef(self.instance, namespace, api_object["RepoName"])) or []
        result = repository_result(self.instance.id, namespace, api_object, tags_of(images))
        result["images"] = [_image_entry(image_result(self.instance.id, namespace, api_object["RepoName"], i))
                            for i in images]
        return result


def _image_entry(image):
    # Inside a repository entry the instance, namespace and repository are already known.
    return dict((k, v) for k, v in image.items() if k not in ("instance_id", "namespace", "repository"))


def main():
    KcrRepoInfo().run()


if __name__ == "__main__":
    main()
