# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags of VPCEP resources (endpoint services and endpoints): the rule checked before any call,
the dict form modules use, and the batch tag action."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.reconcile import reconcile_dict
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import where_served

# The tags/action doc allows 10 tags per resource, create_endpoint_service's doc 20: 10 is safe
# under both readings.
MAX_TAGS = 10
_KEY = re.compile(r"[\w .:=+\-@]{1,128}", re.UNICODE)
_VALUE = re.compile(r"[\w .:=+\-@/]{0,255}", re.UNICODE)

TAG_OPTIONS = dict(
    tags=dict(type="dict"),
    purge_tags=dict(type="bool", default=True),
)


def check_tags(option, tags):
    """Raise ModuleFailure unless ``tags`` (a dict, or None) follows the VPCEP tag rules."""
    if tags is None:
        return
    if len(tags) > MAX_TAGS:
        raise ModuleFailure("%s: at most %d tags per resource (the VPCEP tag API's limit), got %d"
                            % (option, MAX_TAGS, len(tags)))
    for key, value in tags.items():
        if key != key.strip() or key.startswith("_sys_") or not _KEY.fullmatch(key):
            raise ModuleFailure("%s: key %r is not a valid tag key: 1 to 128 letters, digits, spaces and "
                                "'_ . : = + - @', no leading or trailing space, not starting with '_sys_'"
                                % (option, key))
        if not isinstance(value, str) or not _VALUE.fullmatch(value):
            raise ModuleFailure("%s: the value of %r is not a valid tag value: a string of 0 to 255 letters, "
                                "digits, spaces and '_ . : = + - @ /'" % (option, key))


def tag_dict(tag_list):
    """[{key, value}] -> {key: value}."""
    return dict((t["key"], t.get("value") or "") for t in tag_list or [])


def tag_list(tags):
    """{key: value} -> [{key, value}], sorted by key."""
    return [{"key": k, "value": v} for k, v in sorted((tags or {}).items())]


def desired_tags(current, tags, purge):
    """The tags a resource ends up with."""
    if tags is None:
        return dict(current)
    to_set, to_unset = reconcile_dict(current, tags, purge)
    after = dict((k, v) for k, v in current.items() if k not in to_unset)
    after.update(to_set)
    return after


def apply_tags(client, resource_type, resource_id, current, tags, purge):
    """Set and remove tags so that the resource's tags become ``desired_tags(...)``."""
    to_set, to_unset = reconcile_dict(current, tags, purge)
    # A changed value is removed first: the docs do not say whether "create" replaces a value.
    doomed = sorted(set(to_unset) | set(k for k in to_set if k in current))
    path = "/v1/{project_id}/{resource_type}/{resource_id}/tags/action"
    params = dict(resource_type=resource_type, resource_id=resource_id)
    with where_served(client, "tags: the tags of %s %s cannot be changed there" % (resource_type, resource_id)):
        if doomed:
            client.request("POST", path, path_params=params, operation="BatchAddOrRemoveResourceInstance",
                           body={"action": "delete", "tags": [{"key": k} for k in doomed]})
        if to_set:
            client.request("POST", path, path_params=params, operation="BatchAddOrRemoveResourceInstance",
                           body={"action": "create", "tags": tag_list(to_set)})
