"""kcrs namespaces: Create, Describe, ModifyNamespaceType, DescribeNamespaceExist, Delete.

Our choices: a name is 2-30 characters of `[a-z0-9][a-z0-9_.-]*`; the `Namespace` filter of
DescribeNamespace matches by substring; a namespace that still holds repositories cannot be
deleted (NamespaceNotEmpty); deleting one removes its webhook triggers.
"""
import re

from ..actions import action
from ..errors import conflict, invalid_parameter, quota_exceeded
from ..util import fmt_time, page_args, paginate
from .common import (NAMESPACE, get_instance, get_namespace, listing, namespace_key, public, purge_namespace,
                     quota, running_instance)

NAMESPACE_NAME = r"[a-z0-9][a-z0-9_.-]{1,29}"


def new_namespace(emu, instance_id, name, is_public):
    """Insert a namespace, enforcing uniqueness and the quota; used by fixtures too."""
    if not re.fullmatch(NAMESPACE_NAME, name or ""):
        raise invalid_parameter("Namespace")
    store = emu.store
    key = namespace_key(instance_id, name)
    if store.get(NAMESPACE, key) is not None:
        raise conflict("NamespaceAlreadyExists", "The namespace %s already exists." % name)
    limit = quota(emu, "namespace_quota")
    if store.count(NAMESPACE, parent=instance_id) >= limit:
        raise quota_exceeded("The instance %s already has %d namespaces, its quota."
                             % (instance_id, limit))
    doc = {"Namespace": name, "Public": is_public, "RepoCount": 0,
           "CreateTime": fmt_time(emu.now())}
    store.insert(NAMESPACE, key, doc, parent=instance_id, name=name)
    return doc


@action("kcrs", "CreateNamespace")
def create_namespace(call):
    instance = running_instance(call)
    name = call.params.string("Namespace", required=True)
    is_public = call.params.boolean("Public", required=True)
    new_namespace(call.emu, instance["InstanceId"], name, is_public)
    return {}


@action("kcrs", "DescribeNamespace")
@listing("NamespaceSet")
def describe_namespace(call):
    instance = get_instance(call)
    params = call.params
    name = params.string("Namespace")
    is_public = params.boolean("Public")
    instance_id = instance["InstanceId"]
    if name is None and is_public is None:
        # The common case pages in SQL rather than loading every namespace.
        marker, size = page_args(call)
        found = call.store.list(NAMESPACE, parent=instance_id, offset=marker, limit=size)
        echo = {"TotalCount": call.store.count(NAMESPACE, parent=instance_id),
                "Marker": marker, "MaxResults": size}
    else:
        matches = [doc for doc in call.store.list(NAMESPACE, parent=instance_id)
                   if (name is None or name in doc["Namespace"])
                   and (is_public is None or doc["Public"] == is_public)]
        found, echo = paginate(call, matches)
    return {"MaxResults": echo["MaxResults"], "Marker": echo["Marker"],
            "TotalCount": echo["TotalCount"], "NamespaceSet": [public(doc) for doc in found]}


@action("kcrs", "ModifyNamespaceType")
def modify_namespace_type(call):
    instance = get_instance(call)
    doc = get_namespace(call, instance)
    doc["Public"] = call.params.boolean("Public", required=True)
    call.store.update(NAMESPACE, namespace_key(instance["InstanceId"], doc["Namespace"]), doc)
    return {}


@action("kcrs", "DescribeNamespaceExist")
def describe_namespace_exist(call):
    instance = get_instance(call)
    name = call.params.string("Namespace", required=True)
    key = namespace_key(instance["InstanceId"], name)
    return {"Exist": call.store.get(NAMESPACE, key) is not None}


@action("kcrs", "DeleteNamespace")
def delete_namespace(call):
    instance = get_instance(call)
    doc = get_namespace(call, instance)
    if doc["RepoCount"]:
        raise conflict("NamespaceNotEmpty", "The namespace %s still holds %d repositories; "
                       "delete them first." % (doc["Namespace"], doc["RepoCount"]))
    purge_namespace(call.store, instance["InstanceId"], doc["Namespace"])
    return {}
