# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VPCEP API (Huawei Cloud VPC Endpoint, v1): its descriptor, paths, page sizes and the
answers that mean "not found"."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing
from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import READ, WRITE
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import HuaweiApi
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import path_segment

# Whether each operation may be sent again after an unclear answer (api_actions).
OPERATIONS = {
    "ListEndpointService": READ,
    "ListServiceDescribeDetails": READ,
    "ListServicePublicDetails": READ,
    "ListServicePermissionsDetails": READ,
    "ListServiceConnections": READ,
    "ListEndpoints": READ,
    "ListQuotaDetails": READ,
    "CreateEndpointService": WRITE,
    "UpdateEndpointService": WRITE,
    "UpdateEndpointServiceName": WRITE,
    "DeleteEndpointService": WRITE,
    "BatchAddEndpointServicePermissions": WRITE,
    "BatchRemoveEndpointServicePermissions": WRITE,
    "AcceptOrRejectEndpoint": WRITE,
    "UpdateEndpointConnectionsDesc": WRITE,
    "CreateEndpoint": WRITE,
    "UpdateEndpointWhite": WRITE,
    "DeleteEndpoint": WRITE,
    "BatchAddOrRemoveResourceInstance": WRITE,
}

VPCEP_API = HuaweiApi("vpcep", OPERATIONS)

SERVICES = "/v1/{project_id}/vpc-endpoint-services"
SERVICE = SERVICES + "/{service_id}"
PUBLIC_SERVICES = SERVICES + "/public"
DESCRIBE_SERVICE = SERVICES + "/describe"
ENDPOINTS = "/v1/{project_id}/vpc-endpoints"
ENDPOINT = ENDPOINTS + "/{endpoint_id}"
QUOTAS = "/v1/{project_id}/quotas"

# Page sizes per listing (huaweicloudsdkvpcep request models): services, connections, endpoints
# and public services take limit 0-1000, the whitelist listing 0-500. A server that pages lower
# is still read completely: the client follows total_count.
PAGE_SIZE = 1000
PERMISSION_PAGE_SIZE = 500

# "Not found" is 404 in the emulator's error table and may be 400 elsewhere (the sources name no
# status), so the codes decide, whatever the status. Finding uses listings, which need neither.
SERVICE_MISSING = Missing("EndPoint.0005", "EndPoint.2003")
ENDPOINT_MISSING = Missing("EndPoint.2006", "EndPoint.0005")


def path_for(template, **params):
    """``template`` with its ``{name}`` parameters (not ``{project_id}``) filled in as
    ``HuaweiClient.request`` fills them: for the listing helpers, which take a ready path."""
    for key, value in params.items():
        template = template.replace("{%s}" % key, path_segment(value, key))
    return template
