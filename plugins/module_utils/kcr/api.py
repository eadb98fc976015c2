# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KCR API (KSYUN ``kcrs``, 2021-11-09): its version, the HTTP method of each action, and the
page size of its listings."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import READ, READ_SECRET, WRITE, WRITE_SECRET
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunApi

# Per action: the HTTP method, as the official model says (kscore service-2.yaml), and whether it
# may be sent again after an unclear answer (api_actions: reads only; every write is settled by a
# re-read in the engine). Actions
# kscore lacks (DescribeInternalEndpoint, DeleteInternalEndpoint, CreateInternalEndpointDns,
# DescribeNamespaceExist, DescribeWebhookTriggerLog) follow ksc-sdk-go / the prefix rule:
# GET for Describe*/Delete*, POST for Create*/Modify*.
ACTIONS = {
    "CreateInstance": ("POST", WRITE),
    "DescribeInstance": ("GET", READ),
    "DescribeInstanceUsage": ("GET", READ),
    "DeleteInstance": ("GET", WRITE),
    "CreateInstanceToken": ("POST", WRITE_SECRET),  # the token, shown only here
    "ModifyInstanceTokenStatus": ("POST", WRITE),
    "ModifyInstanceTokenInformation": ("POST", WRITE),
    "DescribeInstanceToken": ("GET", READ),
    "DeleteInstanceToken": ("GET", WRITE),
    "CreateInternalEndpoint": ("POST", WRITE),
    "DescribeInternalEndpoint": ("GET", READ),
    "DeleteInternalEndpoint": ("GET", WRITE),
    "CreateInternalEndpointDns": ("POST", WRITE),
    "DescribeInternalEndpointDns": ("GET", READ),
    "DeleteInternalEndpointDns": ("GET", WRITE),
    "CreateNamespace": ("POST", WRITE),
    "DescribeNamespace": ("GET", READ),
    "ModifyNamespaceType": ("POST", WRITE),
    "DescribeNamespaceExist": ("GET", READ),
    "DeleteNamespace": ("GET", WRITE),
    "DescribeRepository": ("GET", READ),
    "DeleteRepository": ("GET", WRITE),
    "ModifyRepoDesc": ("POST", WRITE),
    "DescribeImages": ("GET", READ),
    "DeleteImages": ("GET", WRITE),
    "DeleteRepoTag": ("GET", WRITE),
    "StartImageScan": ("GET", WRITE),
    "DescribeImageScan": ("GET", READ),
    "CreateWebhookTrigger": ("POST", WRITE),
    "DescribeWebhookTrigger": ("GET", READ_SECRET),  # header values: secret_headers
    "ModifyWebhookTrigger": ("POST", WRITE),
    "DescribeWebhookTriggerLog": ("GET", READ),
    "DeleteWebhookTrigger": ("GET", WRITE),
}

KCR_API = KsyunApi("kcrs", "2021-11-09", ACTIONS)

# MaxResults: default 20, at most 99 (seed 000 L344, the DescribeInstance request table).
PAGE_SIZE = 99

# Listings whose request tables in seed 000 list no Marker/MaxResults (DescribeWebhookTrigger
# L1689-1691, DescribeWebhookTriggerLog L1812-1814; the answers echo them, MaxResults 10). A
# server may refuse them: these are asked as documented first (common.KcrInstanceRef._list).
PAGING_UNDOCUMENTED = frozenset(("DescribeWebhookTrigger", "DescribeWebhookTriggerLog"))
