# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every KCR (KSYUN container registry) module shares: the API version, how a module names
its registry instance, the name rules checked before any call, and the not-found mapping."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.multicloud.plugins.module_utils.resource import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError

KCR_SERVICE = "kcrs"
KCR_VERSION = "2021-11-09"
PAGE_SIZE = 99

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

NAME_RULES = {
    # option: (regex, human rule)
    "namespace": (re.compile(r"^[a-z0-9][a-z0-9._-]{1,29}$"),
                  "2 to 30 characters: lower-case letters, digits, '.', '_' and '-', "
                  "starting with a letter or digit"),
    "repository": (re.compile(r"^[a-z0-9][a-z0-9._/-]{0,127}$"),
                   "1 to 128 characters: lower-case letters, digits, '.', '_', '-' and '/', "
                   "starting with a letter or digit"),
}


def check_name(option, value, kind):
    """Fail before any call when ``value`` breaks the ``kind`` name rule."""
    if value is None:
        return
    pattern, rule = NAME_RULES[kind]
    if not pattern.match(value):
        raise ModuleFailure("%s: %r is not a valid KCR %s name: %s" % (option, value, kind, rule))


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


# -- instances (kcr_instance, kcr_instance_info) ----------------------------------------------------

# Our choice, as the emulator's (the documented rule is illegible): the name becomes the registry's
# domain name <name>.ksyunkcr.com, so DNS-label characters only.
NAME_RULES["instance"] = (re.compile(r"^[a-z][a-z0-9-]{1,29}$"),
                          "2 to 30 characters: lower-case letters, digits and '-', starting with a letter")

INSTANCE_TYPES = ("basic", "premium")
CHARGE_TYPES = ("HourlyInstantSettlement", "Monthly")
DEFAULT_PROJECT = "0"


def describe_instances(client, ids=None, name=None, project_ids=None):
    """Every instance DescribeInstance lists for these filters, paged at 99.

    The ``InstanceName`` filter may match more than the exact name (its rule is not documented; the
    emulator matches substrings), so a name is also matched exactly here. Without ``project_ids``
    the API lists the default project only.
    """
    query = {"InstanceId": list(ids) if ids else None, "InstanceName": name,
             "ProjectId": list(project_ids) if project_ids else None}
    items = client.paginate("DescribeInstance", query, "InstanceSet", page_size=PAGE_SIZE)
    if name is not None:
        items = [i for i in items if i.get("InstanceName") == name]
    return items


def instance_result(api_object, usage=None):
    """A DescribeInstance entry as kcr_instance and kcr_instance_info return it; ``usage`` is a
    DescribeInstanceUsage answer, or None when it was not asked for."""
    result = {
        "instance_id": api_object["InstanceId"],
        "instance_name": api_object.get("InstanceName"),
        "instance_type": api_object.get("InstanceType"),
        "instance_status": api_object.get("InstanceStatus"),
        "internal_endpoint": api_object.get("InternalEndpoint"),
        "charge_type": api_object.get("ChargeType"),
        "project_id": None if api_object.get("ProjectId") is None else str(api_object["ProjectId"]),
        "create_time": api_object.get("CreateTime"),
        "expired_time": api_object.get("ExpiredTime"),
    }
    # Read by tf-ksyun, absent from the documents and the emulator: returned only when present.
    if api_object.get("PublicDomain"):
        result["public_domain"] = api_object["PublicDomain"]
    if usage is not None:
        result["usage"] = usage_result(usage)
    return result


def usage_result(answer):
    def count(key):
        value = answer.get(key)
        return None if value is None else int(value)
    return {
        "namespace_quota": count("NamespaceQuota"),
        "namespace_usage": count("NamespaceUsage"),
        "repo_quota": count("RepoQuota"),
        "repo_usage": count("RepoUsage"),
    }


def describe_usage(client, instance_id):
    """DescribeInstanceUsage of one instance (one call)."""
    return client.call("DescribeInstanceUsage", {"InstanceId": instance_id})
