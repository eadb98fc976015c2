# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every KCR (KSYUN container registry) module shares: the API version, how a module names
its registry instance, the name rules checked before any call, and the not-found mapping."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import PAGE_SIZE
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule

INSTANCE_OPTIONS = dict(
    instance_id=dict(type="str"),
    instance_name=dict(type="str"),
)
INSTANCE_KWARGS = dict(
    mutually_exclusive=[("instance_id", "instance_name")],
    required_one_of=[("instance_id", "instance_name")],
)

# Error codes the service uses when the instance named in a request does not exist.
INSTANCE_NOT_FOUND_CODES = frozenset(("InstanceNotFound", "InvalidInstanceId.NotFound", "InstanceNotExist"))
# ... and when the namespace named does not exist (the documents name no code: the emulator's).
NAMESPACE_NOT_FOUND_CODES = frozenset(("NamespaceNotFound",))

NAMESPACE_NAME = NameRule("KCR namespace", r"[a-z0-9][a-z0-9._-]{1,29}",
                          "2 to 30 characters: lower-case letters, digits, '.', '_' and '-', "
                          "starting with a letter or digit")
REPOSITORY_NAME = NameRule("KCR repository", r"[a-z0-9][a-z0-9._/-]{0,127}",
                           "1 to 128 characters: lower-case letters, digits, '.', '_', '-' and '/', "
                           "starting with a letter or digit")
# Docker's tag rule: the registry is a Docker registry and the KCR documents state no rule.
TAG_NAME = NameRule("KCR tag", r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
                    "1 to 128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'")


def kcr_bool(value):
    """KCR booleans arrive as JSON booleans or as the strings True/False."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


class KcrInstanceRef:
    """Resolves the module's ``instance_id``/``instance_name`` to an instance id.

    With ``instance_id`` nothing is read: the first call that names the instance tells whether it
    exists (``not_found`` turns that error into the user's message). With ``instance_name`` one
    DescribeInstance call finds it.
    """

    def __init__(self, module):
        self.module = module
        self._id = module.params.get("instance_id")
        self.label = self._id or module.params.get("instance_name")

    @property
    def id(self):
        if self._id is None:
            self._id = self._lookup_by_name(self.module.params["instance_name"])
        return self._id

    def _lookup_by_name(self, name):
        matches = [i for i in self.module.client.paginate(
            "DescribeInstance", {"InstanceName": name}, "InstanceSet", page_size=PAGE_SIZE)
            if i.get("InstanceName") == name]
        if not matches:
            raise self.missing()
        if len(matches) > 1:
            raise ModuleFailure("instance_name: %d KCR instances are named %r in region %s; use instance_id "
                                "(one of %s)" % (len(matches), name, self.module.region,
                                                 ", ".join(m["InstanceId"] for m in matches)))
        return matches[0]["InstanceId"]

    def missing(self):
        return ModuleFailure("KCR instance %s not found in region %s" % (self.label, self.module.region))

    def call(self, action, params=None):
        """``client.call`` with ``InstanceId`` filled in and a missing instance reported clearly."""
        merged = {"InstanceId": self.id}
        merged.update(params or {})
        try:
            return self.module.client.call(action, merged)
        except CloudError as exc:
            if exc.code in INSTANCE_NOT_FOUND_CODES:
                raise self.missing()
            raise

    def paginate(self, action, params, result_key):
        merged = {"InstanceId": self.id}
        merged.update(params or {})
        try:
            return self.module.client.paginate(action, merged, result_key, page_size=PAGE_SIZE)
        except CloudError as exc:
            if exc.code in INSTANCE_NOT_FOUND_CODES:
                raise self.missing()
            raise


def namespace_result(instance_id, api_object):
    """A DescribeNamespace entry as kcr_namespace and kcr_namespace_info return it."""
    return {
        "instance_id": instance_id,
        "namespace": api_object["Namespace"],
        "public": kcr_bool(api_object.get("Public")),
        "repo_count": int(api_object.get("RepoCount") or 0),
        "create_time": api_object.get("CreateTime"),
    }
