# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpcep_service, vpcep_endpoint, vpcep_connection and the two info modules in process against the
emulator: what is sent, what comes back, check mode, diff, idempotence, absent twice and waits."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_connection import VpcepConnection
from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_endpoint import VpcepEndpoint
from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_endpoint_info import VpcepEndpointInfo
from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_service import VpcepService
from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_service_info import VpcepServiceInfo

SECRET = "unit-secret-never-shown-vpcep"
PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # the emulator's cn-north-4 project
AUTH = dict(access_key="HWUNIT", secret_key=SECRET, region="cn-north-4", project_id=PROJECT)
VPC = "4dfe5c6e-0000-4000-8000-000000000001"
SUBNET = "5e6f7a8b-0000-4000-8000-000000000001"
PORT = "a1b2c3d4-0000-4000-8000-000000000001"
PARTNER = "b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b"  # a consumer account of the default fixtures
SERVICE = dict(name="orders-api", vpc_id=VPC, server_type="LB", port_id=PORT, approval_enabled=True,
               ports=[{"client_port": 443, "server_port": 8443}], description="orders", tags={"team": "orders"})
SERVICES = "/v1/%s/vpc-endpoint-services" % PROJECT
LIST_BY_NAME = ("ListEndpointService", "GET", SERVICES,
                {"endpoint_service_name": "orders-api", "limit": 1000, "offset": 0}, None)
CREATE_BODY = {"service_name": "orders-api", "vpc_id": VPC, "port_id": PORT, "server_type": "LB",
               "service_type": "interface", "ports": [{"client_port": 443, "server_port": 8443, "protocol": "TCP"}],
               "approval_enabled": True, "description": "orders", "tags": [{"key": "team", "value": "orders"}]}


def changed(args, **fields):
    """``args`` with ``fields`` replaced (the task's options, some changed)."""
    args = dict(args)
    args.update(fields)
    return args


def run(cloud, module, check_mode=False, diff=False, **args):
    result = cloud.run(module, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def sent(cloud):
    """(operation, method, path, query, body) of every call, then forgets them."""
    calls = [(c.operation, c.method, c.path, c.query, c.body) for c in cloud.calls]
    cloud.calls[:] = []
    return calls


def published(cloud, **args):
    result = run(cloud, VpcepService, **changed(SERVICE, **args))
    assert result["changed"] is True
    cloud.calls[:] = []
    return result["service"]


def test_service_create_sends_the_declaration_and_waits_until_available(cloud, clock):
    result = run(cloud, VpcepService, **SERVICE)

    assert sent(cloud) == [LIST_BY_NAME, ("CreateEndpointService", "POST", SERVICES, {}, CREATE_BODY),
                           LIST_BY_NAME, LIST_BY_NAME]  # creating (delays.vpcep.service 1 s), then available
    assert clock.sleeps == [2.0]
    service = result["service"]
    assert result["changed"] is True
    assert service["status"] == "available"
    assert service["service_name"] == "cn-north-4.orders-api.%s" % service["id"]
    assert (service["name"], service["vpc_id"], service["port_id"], service["server_type"]) == ("orders-api", VPC,
                                                                                                PORT, "LB")
    assert service["ports"] == [{"client_port": 443, "server_port": 8443, "protocol": "TCP"}]
    assert service["tags"] == {"team": "orders"}
    assert service["created_at"] == "2024-01-15T10:00:00Z"  # the emulator's clock is the test's


def test_service_waits_every_interval_until_the_delay_has_passed(cloud, clock):
    cloud.settings({"delays": {"vpcep.service": 5}})
    result = run(cloud, VpcepService, **SERVICE)
    assert result["service"]["status"] == "available"
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert [c[0] for c in sent(cloud)] == ["ListEndpointService", "CreateEndpointService"] + ["ListEndpointService"] * 4


def test_service_without_wait_returns_it_creating(cloud, clock):
    result = run(cloud, VpcepService, wait=False, **SERVICE)
    assert result["service"]["status"] == "creating"
    assert clock.sleeps == []
    assert [c[0] for c in sent(cloud)] == ["ListEndpointService", "CreateEndpointService", "ListEndpointService"]


def test_service_check_mode_predicts_and_writes_nothing(cloud):
    result = run(cloud, VpcepService, check_mode=True, diff=True, **SERVICE)

    assert sent(cloud) == [LIST_BY_NAME]
    predicted = result["service"]
    assert result["changed"] is True
    assert predicted["id"] is None and predicted["service_name"] is None
    assert (predicted["name"], predicted["status"], predicted["approval_enabled"]) == ("orders-api", "available", True)
    assert predicted["ports"] == [{"client_port": 443, "server_port": 8443, "protocol": "TCP"}]
    assert result["diff"] == {"before": {}, "after": predicted}
    assert cloud.state("vpcep").get("vpcep.service", []) == []


def test_service_rerun_is_one_read_and_no_change(cloud):
    first = published(cloud)
    result = run(cloud, VpcepService, diff=True, **SERVICE)
    assert sent(cloud) == [LIST_BY_NAME]
    assert result["changed"] is False
    assert result["service"]["id"] == first["id"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_service_update_sends_only_what_differs_and_shows_the_diff(cloud):
    service = published(cloud)
    permission = "iam:domain::" + PARTNER
    result = run(cloud, VpcepService, diff=True,
                 **changed(SERVICE, description="orders v2", permissions=[{"permission": permission,
                                                                           "description": "partner A"}]))
    path = "%s/%s" % (SERVICES, service["id"])
    calls = sent(cloud)
    assert calls[2:4] == [
        ("UpdateEndpointService", "PUT", path, {},
         {"approval_enabled": True, "tcp_proxy": "close", "description": "orders v2",
          "ports": [{"client_port": 443, "server_port": 8443, "protocol": "TCP"}]}),
        ("BatchAddEndpointServicePermissions", "POST", path + "/permissions/batch-create", {},
         {"permissions": [{"permission": permission, "description": "partner A"}], "permission_type": "domainId"}),
    ]
    assert [c[0] for c in calls if c[1] != "GET"] == ["UpdateEndpointService", "BatchAddEndpointServicePermissions"]
    assert result["changed"] is True
    assert result["service"]["description"] == "orders v2"
    assert result["service"]["permissions"] == [permission]
    assert result["diff"]["before"]["description"] == "orders"
    assert result["diff"]["after"]["description"] == "orders v2"
    # and the same again: nothing to write
    again = run(cloud, VpcepService, **changed(SERVICE, description="orders v2",
                                               permissions=[{"permission": permission, "description": "partner A"}]))
    assert again["changed"] is False
    assert [c[1] for c in sent(cloud)] == ["GET", "GET"]  # the service and its whitelist


def test_service_check_mode_update_writes_nothing(cloud):
    published(cloud)
    result = run(cloud, VpcepService, check_mode=True, **changed(SERVICE, description="orders v2"))
    assert result["changed"] is True
    assert result["service"]["description"] == "orders v2"
    assert [c[1] for c in sent(cloud)] == ["GET"]
    assert run(cloud, VpcepService, **SERVICE)["changed"] is False


def test_service_absent_twice(cloud):
    service = published(cloud)
    result = run(cloud, VpcepService, name="orders-api", state="absent")
    assert result == dict(result, changed=True, service={})
    assert sent(cloud) == [LIST_BY_NAME, ("DeleteEndpointService", "DELETE", "%s/%s" % (SERVICES, service["id"]),
                                          {}, None), LIST_BY_NAME]
    result = run(cloud, VpcepService, name="orders-api", state="absent")
    assert result["changed"] is False
    assert sent(cloud) == [LIST_BY_NAME]


def test_endpoint_connection_and_the_info_modules(cloud, clock):
    service = published(cloud, permissions=[{"permission": "iam:domain::" + PARTNER}])
    endpoint_args = dict(service_name=service["service_name"], vpc_id=VPC, subnet_id=SUBNET, port_ip="192.168.0.60")

    # an endpoint of our own to the service: created, then pendingAcceptance (approval_enabled)
    result = run(cloud, VpcepEndpoint, wait=False, **endpoint_args)
    endpoint = result["endpoint"]
    assert result["changed"] is True and endpoint["status"] == "creating"
    assert endpoint["id"] in [r["id"] for r in cloud.state("vpcep")["vpcep.endpoint"]]
    assert endpoint["endpoint_service_id"] == service["id"]
    calls = sent(cloud)
    assert calls[2] == ("CreateEndpoint", "POST", "/v1/%s/vpc-endpoints" % PROJECT, {},
                        {"endpoint_service_id": service["id"], "vpc_id": VPC, "subnet_id": SUBNET,
                         "port_ip": "192.168.0.60"})
    assert [c[1] for c in calls] == ["GET", "GET", "POST", "GET"]

    # accept it: listed, accepted, read back; the second run changes nothing
    clock.sleep(2)  # past delays.vpcep.endpoint: the connection is waiting for acceptance
    result = run(cloud, VpcepConnection, service_name="orders-api", action="accept", endpoint_ids=[endpoint["id"]])
    assert result["changed"] is True
    assert [(c["id"], c["status"]) for c in result["connections"]] == [(endpoint["id"], "accepted")]
    accept = [c for c in sent(cloud) if c[1] == "POST"]
    assert accept == [("AcceptOrRejectEndpoint", "POST", "%s/%s/connections/action" % (SERVICES, service["id"]), {},
                       {"action": "receive", "endpoints": [endpoint["id"]]})]
    result = run(cloud, VpcepConnection, service_name="orders-api", action="accept", endpoint_ids=[endpoint["id"]])
    assert result["changed"] is False
    assert [c[1] for c in sent(cloud)] == ["GET", "GET"]

    # the endpoint, re-run with wait: accepted, its address shown, one read of each kind, no write
    result = run(cloud, VpcepEndpoint, **endpoint_args)
    assert result["changed"] is False
    assert (result["endpoint"]["status"], result["endpoint"]["ip"]) == ("accepted", "192.168.0.60")
    assert [c[1] for c in sent(cloud)] == ["GET", "GET"]

    # the info modules: the service with its whitelist and connections (the partner's endpoint
    # waits for acceptance), and the VPC's endpoints
    result = run(cloud, VpcepServiceInfo, name="orders-api", include=["connections", "permissions"])
    assert result["changed"] is False
    [info] = result["services"]
    assert info["id"] == service["id"] and info["permissions"] == ["iam:domain::" + PARTNER]
    assert sorted((c["domain_id"], c["status"]) for c in info["connections"]) == sorted(
        [(PARTNER, "pendingAcceptance"), ("0e1d2c3b4a5948576675849302a1b0c9", "accepted")])
    assert [c[0] for c in sent(cloud)] == ["ListEndpointService", "ListServicePermissionsDetails",
                                           "ListServiceConnections"]
    result = run(cloud, VpcepEndpointInfo, vpc_id=VPC)
    assert [(e["id"], e["status"], e["ip"]) for e in result["endpoints"]] == [(endpoint["id"], "accepted",
                                                                               "192.168.0.60")]
    assert sent(cloud) == [("ListEndpoints", "GET", "/v1/%s/vpc-endpoints" % PROJECT,
                            {"limit": 1000, "offset": 0, "vpc_id": VPC}, None)]

    # absent twice
    assert run(cloud, VpcepEndpoint, id=endpoint["id"], state="absent")["changed"] is True
    assert [c[0] for c in sent(cloud)] == ["ListEndpoints", "DeleteEndpoint", "ListEndpoints"]
    assert run(cloud, VpcepEndpoint, id=endpoint["id"], state="absent")["changed"] is False
    assert [c[0] for c in sent(cloud)] == ["ListEndpoints"]


def test_endpoint_check_mode_writes_nothing(cloud):
    service = published(cloud)
    result = run(cloud, VpcepEndpoint, check_mode=True, service_name=service["service_name"], vpc_id=VPC,
                 subnet_id=SUBNET, port_ip="192.168.0.60")
    assert result["changed"] is True
    assert [c[1] for c in sent(cloud)] == ["GET", "GET"]
    assert cloud.state("vpcep").get("vpcep.endpoint", []) == []


@pytest.mark.parametrize("args, message", [
    (dict(SERVICE, ports=[]), "ports"),
    (dict(SERVICE, vpc_id="not a vpc id"), "vpc_id"),
])
def test_bad_service_options_fail_before_any_call(cloud, args, message):
    result = run(cloud, VpcepService, **args)
    assert result["failed"] and message in result["msg"]
    assert cloud.calls == []


# -- regional operation sets (seed 003: the Abu Dhabi, Paris, Kuala Lumpur and Ankara references) --

REGIONS = {"ae-ad-1": "7a1e0d2c3b4a59687786a5b4c3d2e1a1", "eu-west-0": "7a1e0d2c3b4a59687786a5b4c3d2e1a2",
           "my-kualalumpur-1": "7a1e0d2c3b4a59687786a5b4c3d2e1a3", "tr-west-1": "7a1e0d2c3b4a59687786a5b4c3d2e1a4"}
AE_VPC = "4dfe5c6e-0000-4000-8000-000000000011"  # the emulator's VPC in ae-ad-1
AE_SERVICE = dict(SERVICE, vpc_id=AE_VPC, port_id="a1b2c3d4-0000-4000-8000-000000000011")
OTHER = "c8f4d5b2e3a75f6b0d9c8b7a6f5e4d3c"  # the second consumer account of the fixtures


def run_in(cloud, region, module, args):
    """``module`` with the options ``args`` in ``region`` (its project of the emulator's fixtures)."""
    result = cloud.run(module, dict(AUTH, region=region, project_id=REGIONS.get(region, PROJECT), **args))
    assert SECRET not in json.dumps(result)
    return result


def refused(region, operation, title):
    return "the VPC endpoint API in %s has no %s (%s; its API reference lists none): " % (region, operation, title)


def test_whitelist_records_are_added_and_removed_with_the_operation_every_region_lists(cloud):
    service = published(cloud, permissions=[{"permission": "iam:domain::" + PARTNER}])
    action = "%s/%s/permissions/action" % (SERVICES, service["id"])
    writes = [c for c in sent(cloud) if c[1] != "GET"]

    result = run(cloud, VpcepService, **changed(SERVICE, permissions=[{"permission": "iam:domain::" + OTHER},
                                                                      {"permission": "organizations:orgPath::o-1/*"}]))

    assert result["changed"] is True
    assert sorted(result["service"]["permissions"]) == ["iam:domain::" + OTHER, "organizations:orgPath::o-1/*"]
    assert writes == []  # a new service was first seen without its whitelist: the add follows the wait
    assert [c for c in sent(cloud) if c[1] == "POST"] == [
        ("AddOrRemoveServicePermissions", "POST", action, {},
         {"action": "remove", "permission_type": "domainId", "permissions": ["iam:domain::" + PARTNER]}),
        ("AddOrRemoveServicePermissions", "POST", action, {},
         {"action": "add", "permission_type": "domainId", "permissions": ["iam:domain::" + OTHER]}),
        ("AddOrRemoveServicePermissions", "POST", action, {},
         {"action": "add", "permission_type": "orgPath", "permissions": ["organizations:orgPath::o-1/*"]}),
    ]


def test_whitelist_in_a_region_without_the_batch_operations(cloud):
    created = run_in(cloud, "ae-ad-1", VpcepService, dict(AE_SERVICE, permissions=[
        {"permission": "iam:domain::" + PARTNER}]))
    assert created["changed"] is True and created["service"]["permissions"] == ["iam:domain::" + PARTNER]
    cloud.calls[:] = []

    result = run_in(cloud, "ae-ad-1", VpcepService, dict(AE_SERVICE, permissions=[
        {"permission": "iam:domain::" + OTHER, "description": "partner B"}]))

    assert result["failed"] is True
    assert result["msg"] == refused("ae-ad-1", "BatchAddEndpointServicePermissions",
                                    "Batch Adding Whitelist Records of a VPC Endpoint Service") + \
        "permissions: whitelist records cannot be added with a description there (give iam:domain::%s without " \
        "description)" % OTHER
    assert result["error"]["code"] == "APIGW.0101" and result["error"]["status"] == 404


def test_a_described_record_is_added_with_its_description_where_the_region_has_it(cloud):
    service = published(cloud)
    run(cloud, VpcepService, **changed(SERVICE, permissions=[{"permission": "iam:domain::" + OTHER,
                                                              "description": "partner B"}]))
    assert [c for c in sent(cloud) if c[1] == "POST"] == [
        ("BatchAddEndpointServicePermissions", "POST", "%s/%s/permissions/batch-create" % (SERVICES, service["id"]),
         {}, {"permission_type": "domainId",
              "permissions": [{"permission": "iam:domain::" + OTHER, "description": "partner B"}]})]


def test_renaming_where_the_region_cannot_fails_before_any_other_write(cloud):
    service = run_in(cloud, "ae-ad-1", VpcepService, AE_SERVICE)["service"]
    cloud.calls[:] = []

    renamed = dict(AE_SERVICE, id=service["id"], name="orders-v2", description="changed too")
    result = run_in(cloud, "ae-ad-1", VpcepService, renamed)

    assert result["failed"] is True
    assert result["msg"] == refused("ae-ad-1", "UpdateEndpointServiceName",
                                    "Changing the Name of a VPC Endpoint Service") + \
        "name: endpoint service %s cannot be renamed to 'orders-v2' there (give its current name)" % service["id"]
    assert [c[0] for c in sent(cloud)] == ["ListEndpointService", "UpdateEndpointServiceName"]
    [after] = run_in(cloud, "ae-ad-1", VpcepServiceInfo, dict(id=service["id"]))["services"]
    assert (after["name"], after["description"]) == ("orders-api", "orders")


def test_under_reading_all_every_region_serves_every_operation(cloud):
    cloud.settings({"readings": {"vpcep": {"regional_operations": "all"}}})
    service = run_in(cloud, "ae-ad-1", VpcepService, AE_SERVICE)["service"]
    result = run_in(cloud, "ae-ad-1", VpcepService, dict(AE_SERVICE, id=service["id"], name="orders-v2"))
    assert result["changed"] is True and result["service"]["name"] == "orders-v2"


def service_in(region, number):
    """SERVICE on the fixture VPC of ``region`` (number: 1 ae-ad-1, 2 eu-west-0, 3 tr-west-1)."""
    return dict(SERVICE, vpc_id="4dfe5c6e-0000-4000-8000-0000000000%d1" % number,
                port_id="a1b2c3d4-0000-4000-8000-0000000000%d1" % number)


def test_tags_where_the_region_has_no_tag_functions(cloud):
    args = service_in("tr-west-1", 3)
    created = run_in(cloud, "tr-west-1", VpcepService, args)  # the create body carries the tags
    assert created["service"]["tags"] == {"team": "orders"}
    cloud.calls[:] = []

    result = run_in(cloud, "tr-west-1", VpcepService, dict(args, tags={"team": "payments"}))

    assert result["failed"] is True
    assert result["msg"] == refused("tr-west-1", "BatchAddOrRemoveResourceInstance", "Tags") + \
        "tags: the tags of endpoint_service %s cannot be changed there" % created["service"]["id"]
    assert run_in(cloud, "tr-west-1", VpcepService, args)["changed"] is False


def test_connection_descriptions_where_the_region_cannot_set_them(cloud, clock):
    service = run_in(cloud, "eu-west-0", VpcepService, dict(service_in("eu-west-0", 2), permissions=[
        {"permission": "iam:domain::" + PARTNER}]))["service"]
    clock.sleep(2)  # the partner's endpoint is waiting for acceptance
    [connection] = run_in(cloud, "eu-west-0", VpcepServiceInfo,
                          dict(id=service["id"], include=["connections"]))["services"][0]["connections"]

    result = run_in(cloud, "eu-west-0", VpcepConnection,
                    dict(service_id=service["id"], descriptions={connection["id"]: "partner A"}))

    assert result["failed"] is True
    assert result["msg"] == refused("eu-west-0", "UpdateEndpointConnectionsDesc",
                                    "Updating Descriptions of VPC Endpoint Connections") + \
        "descriptions: connection descriptions cannot be set there"
    accepted = run_in(cloud, "eu-west-0", VpcepConnection,
                      dict(service_id=service["id"], action="accept", endpoint_ids=[connection["id"]]))
    assert accepted["changed"] is True  # what the region has still works


def test_public_services_where_the_region_cannot_list_them(cloud):
    result = run_in(cloud, "my-kualalumpur-1", VpcepServiceInfo, dict(scope="public"))
    assert result["failed"] is True
    assert result["msg"] == refused("my-kualalumpur-1", "ListServicePublicDetails",
                                    "Querying Public VPC Endpoint Services") + \
        "scope: public endpoint services cannot be listed there"


def test_an_endpoint_by_service_id_is_created_without_looking_the_service_up(cloud):
    service = run_in(cloud, "ae-ad-1", VpcepService, AE_SERVICE)["service"]
    cloud.calls[:] = []
    endpoint = dict(vpc_id=AE_VPC, subnet_id="5e6f7a8b-0000-4000-8000-000000000011", port_ip="192.168.0.60",
                    wait=False)

    created = run_in(cloud, "ae-ad-1", VpcepEndpoint, dict(endpoint, service_id=service["id"]))

    assert created["changed"] is True and created["endpoint"]["endpoint_service_id"] == service["id"]
    assert [c[0] for c in sent(cloud)] == ["ListEndpoints", "CreateEndpoint", "ListEndpoints"]
    by_name = run_in(cloud, "ae-ad-1", VpcepEndpoint, dict(endpoint, service_name=service["service_name"]))
    assert by_name["failed"] is True
    assert by_name["msg"] == refused("ae-ad-1", "ListServiceDescribeDetails",
                                     "Querying Basic Information About a VPC Endpoint Service") + \
        "service_name: endpoint services cannot be looked up by full name there"
