# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Formats the VPCEP modules check before any call: the UUIDs the API takes as IDs (services,
endpoints, VPCs, subnets, backend ports) and the description rule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_length, uuid_rule

SERVICE_ID = uuid_rule("VPC endpoint service")
ENDPOINT_ID = uuid_rule("VPC endpoint")
VPC_ID = uuid_rule("VPC")
SUBNET_ID = uuid_rule("subnet")
PORT_ID = uuid_rule("port")
# Neither the SDK nor the seeds give a length: 512, a common bound of Huawei descriptions, is our choice.
DESCRIPTION_MAX = 512


def check_description(option, value):
    """No '<' or '>' (the API's rule), at most DESCRIPTION_MAX characters (None passes)."""
    if value is None:
        return
    if not isinstance(value, str) or "<" in value or ">" in value:
        raise ModuleFailure("%s: must be text without '<' or '>'" % option)
    check_length(option, value, DESCRIPTION_MAX)
