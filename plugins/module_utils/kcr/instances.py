# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR registry instances: the name rule, the calls about instances (DescribeInstance,
DescribeInstanceUsage, CreateInstance, DeleteInstance) and the shapes kcr_instance and
kcr_instance_info return."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, Missing
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import PAGE_SIZE
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import LIST_PARAM_MAX
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule, uuid_rule

# The instance named in a request does not exist (the documents name no code: the emulator's, and
# the two spellings other KSYUN services use).
INSTANCE_MISSING = Missing("InstanceNotFound", "InvalidInstanceId.NotFound", "InstanceNotExist")
# Instance names are account-wide: CreateInstance refuses one used in any project.
INSTANCE_NAME_TAKEN = Missing("InstanceNameAlreadyExists")

# Our choice, as the emulator's (the documented rule is illegible): the name becomes the registry's
# domain name <name>.ksyunkcr.com, so DNS-label characters only.
INSTANCE_NAME = NameRule("KCR instance", r"[a-z][a-z0-9-]{1,29}",
                         "2 to 30 characters: lower-case letters, digits and '-', starting with a letter")

INSTANCE_ID = uuid_rule("KCR instance")

INSTANCE_TYPES = ("basic", "premium")
CHARGE_TYPES = ("HourlyInstantSettlement", "Monthly")
# Months of a Monthly subscription (the documented range is illegible: the emulator's, a common
# KSYUN bound).
PURCHASE_MONTHS_MIN, PURCHASE_MONTHS_MAX = 1, 36
DEFAULT_PROJECT = "0"


def describe_instances(client, ids=None, name=None, project_ids=None):
    """Every instance DescribeInstance lists for these filters (its InstanceSet entries: InstanceId,
    InstanceName, InstanceStatus, ... as ``instance_result`` reads them), paged at 99; more ids than one
    request takes (``InstanceId.N``, N up to 100) are asked for in several requests.

    The ``InstanceName`` filter may match more than the exact name (its rule is not documented; the
    emulator matches substrings), so a name is also matched exactly here. Without ``project_ids``
    the API lists the default project only.
    """
    ids = list(dict.fromkeys(ids)) if ids else [None]
    items = []
    for start in range(0, len(ids), LIST_PARAM_MAX):
        chunk = ids[start:start + LIST_PARAM_MAX]
        query = {"InstanceId": chunk if chunk != [None] else None, "InstanceName": name,
                 "ProjectId": list(project_ids) if project_ids else None}
        items.extend(client.paginate("DescribeInstance", query, "InstanceSet", page_size=PAGE_SIZE))
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
    """DescribeInstanceUsage of one instance (one call): {NamespaceQuota, NamespaceUsage, RepoQuota,
    RepoUsage}, as ``usage_result`` reads it."""
    return client.call("DescribeInstanceUsage", {"InstanceId": instance_id})


def create_instance(client, name, instance_type, charge_type, purchase_time=None, project_id=None):
    """CreateInstance; the answer ({InstanceId, ...}: the new instance is read back by name, as
    the answer's fields are not all documented)."""
    return client.call("CreateInstance", {
        "InstanceName": name,
        "InstanceType": instance_type,
        "ChargeType": charge_type,
        "PurchaseTime": purchase_time,
        "ProjectId": project_id,
    })


def delete_instance(client, instance_id, delete_bucket=False):
    """DeleteInstance (the instance then goes through ``Deleting``); the answer is not used."""
    client.call("DeleteInstance", {"InstanceId": instance_id, "DeleteBucket": delete_bucket})


def registry_domain(client, instance_id):
    """The instance's registry domain (``<name>.ksyunkcr.com``, its InternalEndpoint) for a
    message, or None when it cannot be read (one DescribeInstance read; errors are swallowed)."""
    try:
        answer = client.call("DescribeInstance", {"InstanceId": [instance_id]})
    except CloudError:
        return None
    for item in answer.get("InstanceSet") or []:
        if item.get("InstanceId") == instance_id:
            return item.get("InternalEndpoint")
    return None
