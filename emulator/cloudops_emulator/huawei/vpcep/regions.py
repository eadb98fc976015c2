"""Which VPCEP operations each region serves.

Seed 003 carries four regional API references besides the main one: ME-Abu Dhabi (lines 89-101),
Paris (139-153), Kuala Lumpur (184-196) and Ankara (210-224). None lists renaming a service,
connection descriptions, batch adding or batch deleting whitelist records or a whitelist record's
description; Abu Dhabi and Kuala Lumpur also lack the public-service listing and "Querying Basic
Information"; Ankara lacks the tag functions. The seed names the regions by city only: their ids
are those of huaweicloudsdkvpcep 3.1.219 `VpcepRegion`.

Reading `regional_operations`: "documented" (A: such a region answers what its reference lacks as
the API gateway answers an unknown API, 404 APIGW.0101) or "all" (the references lag behind:
every region serves every operation).
"""
from ...readings import reading
from ..errors import not_found_api

_NOT_IN_ANY_REGIONAL_REFERENCE = (
    "UpdateEndpointServiceName", "UpdateEndpointConnectionsDesc", "BatchAddEndpointServicePermissions",
    "BatchRemoveEndpointServicePermissions", "UpdateEndpointServicePermissionDesc")
_NO_PUBLIC_NOR_BASIC = ("ListServicePublicDetails", "ListServiceDescribeDetails")
_NO_TAGS = ("BatchAddOrRemoveResourceInstance", "ListQueryProjectResourceTags", "ListResourceInstances")

# region -> the operations its API reference does not list
MISSING = {
    "ae-ad-1": frozenset(_NOT_IN_ANY_REGIONAL_REFERENCE + _NO_PUBLIC_NOR_BASIC),
    "eu-west-0": frozenset(_NOT_IN_ANY_REGIONAL_REFERENCE),
    "my-kualalumpur-1": frozenset(_NOT_IN_ANY_REGIONAL_REFERENCE + _NO_PUBLIC_NOR_BASIC),
    "tr-west-1": frozenset(_NOT_IN_ANY_REGIONAL_REFERENCE + _NO_TAGS),
}


def check_served(emu, region, operation):
    """Raise 404 APIGW.0101 when `region` does not serve `operation` under the reading."""
    if reading(emu, "vpcep", "regional_operations") == "all":
        return
    if operation in MISSING.get(region, ()):
        raise not_found_api(method_exists=False)
