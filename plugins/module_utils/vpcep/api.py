# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VPCEP API (Huawei Cloud VPC Endpoint, v1): its descriptor, paths, page sizes and the
answers that mean "not found"."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from contextlib import contextmanager

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, Missing, ModuleFailure
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
    "AddOrRemoveServicePermissions": WRITE,
    "BatchAddEndpointServicePermissions": WRITE,
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

# Operations some regional API reference of seed 003 does not list (ME-Abu Dhabi lines 89-101,
# Paris 139-153, Kuala Lumpur 184-196, Ankara 210-224), with their titles in the main reference
# (lines 46-51, 55). They are sent only when a task needs them, inside ``where_served``.
REGIONAL_OPERATIONS = {
    "UpdateEndpointServiceName": "Changing the Name of a VPC Endpoint Service",
    "UpdateEndpointConnectionsDesc": "Updating Descriptions of VPC Endpoint Connections",
    "BatchAddEndpointServicePermissions": "Batch Adding Whitelist Records of a VPC Endpoint Service",
    "ListServicePublicDetails": "Querying Public VPC Endpoint Services",
    "ListServiceDescribeDetails": "Querying Basic Information About a VPC Endpoint Service",
    "BatchAddOrRemoveResourceInstance": "Tags",
}
# What the API gateway answers for an API it does not serve (404; not documented in seed 003).
UNKNOWN_API = "APIGW.0101"


@contextmanager
def where_served(client, purpose):
    """Run calls of ``REGIONAL_OPERATIONS``: a region that answers one as an unknown API fails
    the task with a ModuleFailure naming the operation, the region and ``purpose`` (what the task
    asked that needs it)."""
    try:
        yield
    except CloudError as exc:
        if exc.status != 404 or exc.code != UNKNOWN_API:
            raise
        raise ModuleFailure("the VPC endpoint API in %s has no %s (%s; its API reference lists none): %s"
                            % (client.region, exc.operation, REGIONAL_OPERATIONS.get(exc.operation, "an operation"),
                               purpose), error=exc.to_dict())


def path_for(template, **params):
    """``template`` with its ``{name}`` parameters (not ``{project_id}``) filled in as
    ``HuaweiClient.request`` fills them: for the listing helpers, which take a ready path."""
    for key, value in params.items():
        template = template.replace("{%s}" % key, path_segment(value, key))
    return template
