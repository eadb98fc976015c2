# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only VPCEP lookups: public services, basic information about any service, quotas."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import (
    DESCRIBE_SERVICE,
    PAGE_SIZE,
    PUBLIC_SERVICES,
    QUOTAS,
    SERVICE_MISSING,
    where_served,
)


def list_public_services(client, **query):
    """Every public endpoint service matching the ListServicePublicDetails ``query``:
    [{id, owner, service_name, service_type, created_at, is_charge, ...}]."""
    with where_served(client, "scope: public endpoint services cannot be listed there"):
        return client.paginate_offset(PUBLIC_SERVICES, "endpoint_services", query=query, limit=PAGE_SIZE,
                                      operation="ListServicePublicDetails")


def describe_service(client, service_name=None, service_id=None):
    """Basic information about a service by full name or id (any account's, as a consumer sees
    it), or None when there is none."""
    option, query = (("service_name", {"endpoint_service_name": service_name}) if service_name
                     else ("service_id", {"id": service_id}))
    with where_served(client, "%s: endpoint services cannot be looked up by %s there"
                      % (option, "full name" if service_name else "id")):
        return SERVICE_MISSING.absent_if(client.request, "GET", DESCRIBE_SERVICE, query=query,
                                         operation="ListServiceDescribeDetails")


def quotas(client, resource_type=None):
    """The project's VPCEP quotas (of ``resource_type``, ``endpoint_service`` or ``endpoint``,
    or all): [{type, used, quota}]."""
    answer = client.request("GET", QUOTAS, query={"type": resource_type}, operation="ListQuotaDetails") or {}
    return (answer.get("quotas") or {}).get("resources") or []
