# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR repositories: the name rules (repositories and their tags), the calls about one repository
(DescribeRepository, DescribeNamespaceExist, ModifyRepoDesc, DeleteRepository) and the shape
kcr_repo and kcr_repo_info return. Images and tags are in images.py, scans in scans.py.

Repositories, images and tags cannot be created through the API: a ``docker push`` makes them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure, absent_if_any
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import kcr_bool
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import (
    NAMESPACE_MISSING,
    namespace_not_found,
    paginate_in_namespace,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule

# Docker distribution's reference grammar (path components joined by '/'; a component's
# separators are '.', '_', '__' or dashes), written with '-+' where Docker writes '-*': the same
# names, without the ambiguity that makes a regular expression backtrack exponentially. KCR
# documents no rule; 128 characters in all is our own limit, stricter than Docker's 255. The
# grammar refuses '.', '..' and empty components, which would change the path a registry reads.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
REPOSITORY_NAME = NameRule("KCR repository", r"(?=.{1,128}\Z)%s(?:/%s)*" % (_PATH_COMPONENT, _PATH_COMPONENT),
                           "1 to 128 characters: path components of lower-case letters and digits, separated "
                           "by '/'; inside a component one '.', one or two '_' or any number of '-' may join "
                           "letters and digits")
# Docker's tag rule: the registry is a Docker registry and the KCR documents state no rule.
TAG_NAME = NameRule("KCR tag", r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
                    "1 to 128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'")

# The seed's ModifyRepoDesc limit is illegible; 256 is the limit it states for token descriptions.
DESCRIPTION_MAX = 256

# Which answers mean the repository named in a request does not exist (the KSYUN documents name
# no code; these are the emulator's, see docs/dev/emulator.md).
REPOSITORY_MISSING = Missing("RepositoryNotFound", "RepoNotFound")


def check_description(option, value):
    if value is not None and len(value) > DESCRIPTION_MAX:
        raise ModuleFailure("%s: at most %d characters (%d given)" % (option, DESCRIPTION_MAX, len(value)))


class RepositoryRef:
    """One repository of a KCR instance (``KcrInstanceRef``), named by namespace and name.

    Reads return None where the thing (or a parent: namespace, repository) does not exist;
    ``namespace_exists`` then tells which level was missing. The calls about its images and scans
    (images.py, scans.py) take it too.
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

    def read(self, call, *args):
        """``call(*args)`` (a read in this repository), or None when the namespace or the repository
        is missing (noting which)."""
        result, missing = absent_if_any((NAMESPACE_MISSING, REPOSITORY_MISSING), call, *args)
        if missing is not None:
            self.namespace_exists = missing is REPOSITORY_MISSING
        return result

    def describe(self):
        """The DescribeRepository entry, or None. ``RepoName.N`` selects exact names; the result is
        matched exactly as well in case the service treats it as a filter."""
        items = self.read(self.instance.paginate, "DescribeRepository",
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

    def set_description(self, description):
        """ModifyRepoDesc; the answer is not used."""
        self.instance.call("ModifyRepoDesc", self.params(Desc=description))

    def delete(self):
        """DeleteRepository; the answer is not used."""
        self.instance.call("DeleteRepository", self.params())

    def missing_namespace(self):
        return namespace_not_found(self.instance, self.namespace)

    def missing_repository(self):
        # (an empty listing leaves it open: namespace_missing asks)
        if self.namespace_missing():
            return self.missing_namespace()
        return ModuleFailure("repository %s not found in KCR instance %s" % (self.path, self.instance.label))


def list_repositories(instance, namespace, name=None):
    """The DescribeRepository entries ({RepoName, Public, Desc, CreateTime, UpdateTime}) of one
    namespace, only ``name`` if given (matched exactly too); a missing namespace fails (one more
    DescribeNamespace read tells when the listing is empty: ``paginate_in_namespace``)."""
    items = paginate_in_namespace(instance, namespace, "DescribeRepository", {"RepoName": [name] if name else None},
                                  "RepoSet", confirm_empty=True)
    if name is not None:
        items = [i for i in items if i.get("RepoName") == name]
    return items


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
