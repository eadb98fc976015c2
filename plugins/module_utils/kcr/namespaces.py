# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR namespaces: the name rule, which answers mean a namespace is missing or taken, the calls
about namespaces (DescribeNamespace, CreateNamespace, ModifyNamespaceType, DeleteNamespace),
listings of what a namespace holds, and the shape kcr_namespace and kcr_namespace_info return.
``instance`` is a ``common.KcrInstanceRef`` throughout."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure, ParentPending
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import kcr_bool
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule

NAMESPACE_NAME = NameRule("KCR namespace", r"[a-z0-9][a-z0-9._-]{1,29}",
                          "2 to 30 characters: lower-case letters, digits, '.', '_' and '-', "
                          "starting with a letter or digit")

# The namespace named in a request does not exist (the documents name no code: the emulator's).
NAMESPACE_MISSING = Missing("NamespaceNotFound")
NAMESPACE_TAKEN = Missing("NamespaceAlreadyExists")


def namespace_not_found(instance, namespace):
    """The failure for a namespace that must exist (``instance`` is a ``KcrInstanceRef``)."""
    return ModuleFailure("namespace %s not found in KCR instance %s; create it with "
                         "cloudops.multicloud.kcr_namespace" % (namespace, instance.label))


def paginate_in_namespace(instance, namespace, action, params, result_key, missing_ok=False, confirm_empty=False):
    """Every item ``action`` lists in one namespace. A missing namespace gives None with
    ``missing_ok``; else it fails with ``namespace_not_found``, except in check mode, where an
    earlier task may be creating it (``ParentPending``).

    A service may list nothing for a missing namespace (a reading): with ``confirm_empty`` (for
    _info modules) an empty listing costs one DescribeNamespace read that tells."""
    params = dict(params, Namespace=namespace)
    if missing_ok:
        return NAMESPACE_MISSING.absent_if(instance.paginate, action, params, result_key)

    def missing():
        failure = namespace_not_found(instance, namespace)
        if instance.module.check_mode:
            return ParentPending("%s; check mode assumes an earlier task creates it" % failure.msg)
        return failure

    items = NAMESPACE_MISSING.translate(missing, instance.paginate, action, params, result_key)
    if not items and confirm_empty and not namespace_listed(instance, namespace):
        raise missing()
    return items


def call_in_namespace(instance, namespace, action, params):
    """``action`` on something in one namespace; a missing namespace fails with
    ``namespace_not_found`` (a service that lists nothing for a missing namespace lets a module
    go on to a write, which then says so)."""
    return NAMESPACE_MISSING.translate(lambda: namespace_not_found(instance, namespace), instance.call,
                                       action, dict(params, Namespace=namespace))


def list_namespaces(instance, name=None, public=None):
    """The instance's DescribeNamespace entries ({Namespace, Public, RepoCount, CreateTime}), only
    those named ``name`` (matched exactly too: the filter may match more) and with this ``public``
    if given."""
    items = instance.paginate("DescribeNamespace", {"Namespace": name, "Public": public}, "NamespaceSet")
    if name is not None:
        items = [i for i in items if i.get("Namespace") == name]
    return items


def find_namespace(instance, name):
    """The DescribeNamespace entry of ``name``, or None (one read)."""
    for item in instance.paginate("DescribeNamespace", {"Namespace": name}, "NamespaceSet"):
        if item.get("Namespace") == name:
            return item
    return None


def namespace_listed(instance, namespace):
    """One DescribeNamespace read: is ``namespace`` there?"""
    return find_namespace(instance, namespace) is not None


def create_namespace(instance, name, public):
    """CreateNamespace; the answer is not used (the engine reads the namespace back)."""
    instance.call("CreateNamespace", {"Namespace": name, "Public": bool(public)})


def set_namespace_public(instance, name, public):
    """ModifyNamespaceType: the namespace becomes public or private; the answer is not used."""
    instance.call("ModifyNamespaceType", {"Namespace": name, "Public": public})


def delete_namespace(instance, name):
    """DeleteNamespace; the answer is not used."""
    instance.call("DeleteNamespace", {"Namespace": name})


def namespace_result(instance_id, api_object):
    """A DescribeNamespace entry as kcr_namespace and kcr_namespace_info return it."""
    return {
        "instance_id": instance_id,
        "namespace": api_object["Namespace"],
        "public": kcr_bool(api_object.get("Public")),
        "repo_count": int(api_object.get("RepoCount") or 0),
        "create_time": api_object.get("CreateTime"),
    }
