# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KCR API (KSYUN ``kcrs``, 2021-11-09): its version, the HTTP method of each action, and the
page size of its listings."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunApi

# HTTP method per action, as the official model says (kscore service-2.yaml). Actions
# kscore lacks (DescribeInternalEndpoint, DeleteInternalEndpoint, CreateInternalEndpointDns,
# DescribeNamespaceExist, DescribeWebhookTriggerLog) follow ksc-sdk-go / the prefix rule:
# GET for Describe*/Delete*, POST for Create*/Modify*.
ACTION_METHODS = {
    "CreateInstance": "POST",
    "DescribeInstance": "GET",
    "DescribeInstanceUsage": "GET",
    "DeleteInstance": "GET",
    "CreateInstanceToken": "POST",
    "ModifyInstanceTokenStatus": "POST",
    "ModifyInstanceTokenInformation": "POST",
    "DescribeInstanceToken": "GET",
    "DeleteInstanceToken": "GET",
    "CreateInternalEndpoint": "POST",
    "DescribeInternalEndpoint": "GET",
    "DeleteInternalEndpoint": "GET",
    "CreateInternalEndpointDns": "POST",
    "DescribeInternalEndpointDns": "GET",
    "DeleteInternalEndpointDns": "GET",
    "CreateNamespace": "POST",
    "DescribeNamespace": "GET",
    "ModifyNamespaceType": "POST",
    "DescribeNamespaceExist": "GET",
    "DeleteNamespace": "GET",
    "DescribeRepository": "GET",
    "DeleteRepository": "GET",
    "ModifyRepoDesc": "POST",
    "DescribeImages": "GET",
    "DeleteImages": "GET",
    "DeleteRepoTag": "GET",
    "StartImageScan": "GET",
    "DescribeImageScan": "GET",
    "CreateWebhookTrigger": "POST",
    "DescribeWebhookTrigger": "GET",
    "ModifyWebhookTrigger": "POST",
    "DescribeWebhookTriggerLog": "GET",
    "DeleteWebhookTrigger": "GET",
}

KCR_API = KsyunApi("kcrs", "2021-11-09", ACTION_METHODS)

# MaxResults: default 20, at most 99 (seed 000).
PAGE_SIZE = 99
