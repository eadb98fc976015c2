#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_repo
short_description: Manage repositories of a KSYUN container registry (KCR) instance
version_added: 0.1.0
description:
  - Set the description of a repository in a KSYUN KCR registry instance, delete some of its tags,
    or delete the whole repository.
  - The API cannot create a repository; one comes into being when the first image is pushed into a
    namespace (C(docker login <registry domain>), then
    C(docker push <registry domain>/<namespace>/<name>:<tag>)). So O(state=present) on a missing
    repository fails with a message that says how to push, unless O(allow_missing=true).
  - An idempotent run costs one DescribeRepository call, plus one DescribeInstance call when the
    instance is given by name, plus one DescribeImages call per 99 images when O(absent_tags) is
    given (the tag list is needed to delete only the tags that exist).
options:
  namespace:
    description:
      - Name of the namespace that holds the repository.
      - 2 to 30 characters; lower-case letters, digits, V(.), V(_) and V(-); it starts with a
        letter or a digit.
    type: str
    required: true
  name:
    description:
      - Name of the repository inside O(namespace), without the namespace.
      - 1 to 128 characters, following the Docker distribution reference grammar. Path components
        of lower-case letters and digits are separated by V(/); inside a component one V(.), one or
        two V(_), or any number of V(-) may join letters and digits (so V(.), V(..) and empty
        components are refused).
    type: str
    required: true
    aliases: [repository]
  description:
    description:
      - Description of the repository, at most 256 characters.
      - V("") clears it. When omitted, the description is left as it is.
    type: str
  absent_tags:
    description:
      - Tags to delete from the repository (C(DeleteRepoTag)), for example V(["1.0", "1.1-rc1"]).
      - Only the tags the repository has are deleted, so a second run changes nothing.
      - An image whose last tag is deleted may be removed by the registry.
      - Costs the repository's tag list (one DescribeImages call per 99 images) on every run.
      - Only with O(state=present).
    type: list
    elements: str
    default: []
  allow_missing:
    description:
      - With O(state=present), accept a repository that does not exist (yet) instead of failing;
        the task then reports C(changed=false) and RV(exists=false).
    type: bool
    default: false
  state:
    description:
      - V(present) keeps the repository and applies O(description) and O(absent_tags).
      - V(absent) deletes the repository with all its images and tags.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - Check mode makes no write call and reports the repository as it would be, including the tags
    that would be deleted.
  - Whether the repository is public is decided by its namespace; change it with
    M(cloudops.multicloud.kcr_namespace).
seealso:
  - module: cloudops.multicloud.kcr_repo_info
  - module: cloudops.multicloud.kcr_image
  - module: cloudops.multicloud.kcr_namespace
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Describe the application's repository (it must have been pushed to once)
  cloudops.multicloud.kcr_repo:
    instance_name: prod-registry
    namespace: apps
    name: billing-api
    description: Billing API images, built by the release pipeline

- name: Remove release candidates' tags
  cloudops.multicloud.kcr_repo:
    instance_id: "{{ registry.instance.instance_id }}"
    namespace: apps
    name: billing-api
    absent_tags: ["2.0.0-rc1", "2.0.0-rc2"]
  register: cleanup

- name: Show what was deleted
  ansible.builtin.debug:
    var: cleanup.deleted_tags

- name: Describe a repository a later pipeline step pushes to, if it exists already
  cloudops.multicloud.kcr_repo:
    instance_name: prod-registry
    namespace: apps
    name: reports
    description: Nightly reports
    allow_missing: true

- name: Delete a retired repository with all its images
  cloudops.multicloud.kcr_repo:
    instance_name: prod-registry
    namespace: apps
    name: legacy-ui
    state: absent
"""

RETURN = r"""
repository:
  description:
    - The repository after the task; empty after O(state=absent) and when it does not exist.
    - In check mode, the repository as it would be.
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    namespace:
      description: Name of the namespace that holds the repository.
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
      sample: Billing API images, built by the release pipeline
    create_time:
      description: When the repository was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-16 16:58:31"
    update_time:
      description: When the repository was last changed (a push, a new description).
      type: str
      sample: "2022-06-27 12:03:37"
    tags:
      description: Every tag of the repository, newest image first.
      type: list
      elements: str
      returned: when O(absent_tags) is given (the tags had to be read)
      sample: ["2.0.0", "latest", "1.9.3"]
exists:
  description:
    - Whether the repository exists after the task (in check mode, whether it would).
  returned: always
  type: bool
  sample: true
deleted_tags:
  description:
    - The tags of O(absent_tags) that were deleted (in check mode, that would be); empty when none
      of them was there.
  returned: when O(absent_tags) is given
  type: list
  elements: str
  sample: ["2.0.0-rc1"]
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.images import delete_tag, list_images, tags_of
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.instances import registry_domain
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import NAMESPACE_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.repositories import (
    REPOSITORY_NAME,
    TAG_NAME,
    RepositoryRef,
    check_description,
    repository_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule


class KcrRepo(InstanceScoped, StatefulModule):
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        name=dict(type="str", required=True, aliases=["repository"]),
        description=dict(type="str"),
        absent_tags=dict(type="list", elements="str", default=[]),
        allow_missing=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    result_key = "repository"
    # absent_tags is compared as the tag list it leaves: current tags minus the absent ones.
    updatable = {"description": "description", "absent_tags": "tags"}
    creatable = False

    def __init__(self):
        super(KcrRepo, self).__init__()
        self.repo = RepositoryRef(self.instance, self.params["namespace"], self.params["name"])
        self.current_tags = None

    def validate(self):
        NAMESPACE_NAME.check("namespace", self.params["namespace"])
        REPOSITORY_NAME.check("name", self.params["name"])
        check_description("description", self.params["description"])
        for tag in self.params["absent_tags"]:
            TAG_NAME.check("absent_tags", tag)
        if self.params["absent_tags"] and self.params["state"] == "absent":
            raise ModuleFailure("absent_tags: only with state=present (state=absent deletes the whole repository)")

    def follow_up(self, result):
        result["exists"] = bool(result[self.result_key])
        return result

    def find(self):
        current = self.repo.describe()
        if current is not None and self.params["absent_tags"] and self.params["state"] == "present":
            self.current_tags = tags_of(list_images(self.repo) or [])
            absent = set(self.params["absent_tags"])
            self.extra_result["deleted_tags"] = [t for t in self.current_tags if t in absent]
        return current

    def to_result(self, api_object):
        return repository_result(self.instance.id, self.repo.namespace, api_object, self.current_tags)

    def desired_value(self, option):
        if option == "absent_tags":
            if self.current_tags is None:
                return None
            return [t for t in self.current_tags if t not in set(self.params["absent_tags"])]
        return self.params.get(option)

    def differs(self, option, desired, actual):
        if option == "description":
            return (desired or "") != (actual or "")
        return desired != actual

    def missing(self):
        if self.params["absent_tags"]:
            self.extra_result["deleted_tags"] = []
        if self.params["allow_missing"]:
            return
        if self.repo.namespace_missing():
            raise self.repo.missing_namespace()
        domain = registry_domain(self.client, self.instance.id) or "<registry domain>"
        raise ModuleFailure(
            "repository %s not found in KCR instance %s: the KCR API cannot create repositories, one comes "
            "into being when an image is pushed to it: 'docker login %s' then 'docker push %s/%s:<tag>'. "
            "Set allow_missing=true to accept a repository that does not exist yet."
            % (self.repo.path, self.instance.label, domain, domain, self.repo.path))

    def update(self, current, changes):
        if "description" in changes:
            self.repo.set_description(changes["description"])
        for tag in self.extra_result.get("deleted_tags", []):
            delete_tag(self.repo, tag)
        if self.current_tags is not None:
            self.current_tags = changes.get("absent_tags", self.current_tags)
        # Re-read for the new update_time; the tags are known without another DescribeImages.
        return self.repo.describe()

    def delete(self, current):
        self.repo.delete()


def main():
    KcrRepo().run()


if __name__ == "__main__":
    main()
