"""VPCEP connections and whitelists with the official VpcepClient: whitelist records admit the
fixture consumer accounts, whose endpoints then connect (pendingAcceptance), and are accepted
(creating -> accepted) or rejected; batch whitelist operations and descriptions."""
import urllib.error

import pytest
from huaweicloudsdkvpcep.v1 import (AcceptOrRejectEndpointRequest,
                                    AcceptOrRejectEndpointRequestBody,
                                    AddOrRemoveServicePermissionsRequest,
                                    AddOrRemoveServicePermissionsRequestBody,
                                    BatchAddEndpointServicePermissionsRequest,
                                    BatchAddEndpointServicePermissionsRequestBody,
                                    BatchRemoveEndpointServicePermissionsRequest,
                                    BatchRemoveEndpointServicePermissionsRequestBody,
                                    ConnectionsDesc, CreateEndpointServiceRequest,
                                    CreateEndpointServiceRequestBody,
                                    DeleteEndpointServiceRequest, EpsAddPermissionRequest,
                                    EpsRemovePermissionRequest, EpsUpdatePermissionDesc,
                                    ListEndpointServiceRequest, ListServiceConnectionsRequest,
                                    ListServicePermissionsDetailsRequest, PortList,
                                    UpdateEndpointConnectionsDescRequest,
                                    UpdateEndpointConnectionsDescRequestBody,
                                    UpdateEndpointServicePermissionDescRequest,
                                    UpdateEndpointServicePermissionDescRequestBody)

from huawei_support import CONSUMERS, PORT1, VPC, advance, client, sdk_error, set_delays

FIRST, SECOND = CONSUMERS


@pytest.fixture
def vpcep(emulator):
    set_delays(emulator, vpcep_service=10, vpcep_endpoint=10, vpcep_connection=10,
               vpcep_service_delete=10)
    return client(emulator, "vpcep")


@pytest.fixture
def service(emulator, vpcep):
    created = vpcep.create_endpoint_service(CreateEndpointServiceRequest(
        body=CreateEndpointServiceRequestBody(
            port_id=PORT1, vpc_id=VPC, server_type="LB", service_name="shared",
            ports=[PortList(client_port=443, server_port=8443, protocol="TCP")])))
    advance(emulator, 11)
    return created.id


def permit(vpcep, service_id, permissions, action="add"):
    return vpcep.add_or_remove_service_permissions(AddOrRemoveServicePermissionsRequest(
        vpc_endpoint_service_id=service_id, body=AddOrRemoveServicePermissionsRequestBody(
            permissions=permissions, permission_type="domainId", action=action)))


def connections(vpcep, service_id, **query):
    return vpcep.list_service_connections(ListServiceConnectionsRequest(
        vpc_endpoint_service_id=service_id, **query))


def act(vpcep, service_id, action, endpoints):
    return vpcep.accept_or_reject_endpoint(AcceptOrRejectEndpointRequest(
        vpc_endpoint_service_id=service_id, body=AcceptOrRejectEndpointRequestBody(
            action=action, endpoints=endpoints)))


def test_whitelisted_consumer_connects_and_is_accepted(emulator, vpcep, service):
    assert connections(vpcep, service).total_count == 0
    answer = permit(vpcep, service, ["iam:domain::" + FIRST])
    assert (answer.permissions, answer.permission_type) == (["iam:domain::" + FIRST], "domainId")
    pending = connections(vpcep, service).connections
    assert [(c.domain_id, c.status) for c in pending] == [(FIRST, "creating")]
    advance(emulator, 11)
    listed = connections(vpcep, service, status="pendingAcceptance")
    assert listed.total_count == 1
    endpoint = listed.connections[0]
    assert isinstance(endpoint.marker_id, int) and endpoint.created_at
    accepted = act(vpcep, service, "receive", [endpoint.id]).connections[0]
    assert (accepted.id, accepted.status) == (endpoint.id, "creating")
    err = sdk_error(act, vpcep, service, "receive", [endpoint.id])
    assert (err.status_code, err.error_code) == (400, "EndPoint.2014")
    advance(emulator, 11)
    assert connections(vpcep, service, status="accepted").connections[0].id == endpoint.id
    summary = vpcep.list_endpoint_service(ListEndpointServiceRequest()).endpoint_services[0]
    assert summary.connection_count == 1
    rejected = act(vpcep, service, "reject", [endpoint.id]).connections[0]
    assert rejected.status == "rejected"
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest()) \
        .endpoint_services[0].connection_count == 0
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert calls["vpcep:AcceptOrRejectEndpoint"] == 3


def test_everyone_permission_connects_every_consumer(emulator, vpcep, service):
    permit(vpcep, service, ["iam:domain::*"])
    advance(emulator, 11)
    listed = connections(vpcep, service)
    assert sorted(c.domain_id for c in listed.connections) == sorted(CONSUMERS)
    assert {c.status for c in listed.connections} == {"pendingAcceptance"}
    # a second record admitting them does not connect them twice
    permit(vpcep, service, ["iam:domain::" + FIRST])
    assert connections(vpcep, service).total_count == 2
    first = connections(vpcep, service, limit=1, offset=0, sort_dir="asc").connections
    assert len(first) == 1
    by_marker = connections(vpcep, service, marker_id=str(first[0].marker_id)).connections
    assert [c.id for c in by_marker] == [first[0].id]


def test_approval_disabled_accepts_at_once(emulator, vpcep):
    created = vpcep.create_endpoint_service(CreateEndpointServiceRequest(
        body=CreateEndpointServiceRequestBody(
            port_id=PORT1, vpc_id=VPC, server_type="VM", approval_enabled=False,
            ports=[PortList(client_port=22, server_port=22, protocol="TCP")])))
    assert created.service_name == "cn-north-4.%s" % created.id
    advance(emulator, 11)
    permit(vpcep, created.id, ["iam:domain::" + SECOND])
    advance(emulator, 11)
    assert [(c.domain_id, c.status) for c in connections(vpcep, created.id).connections] == [
        (SECOND, "accepted")]


def test_accept_or_reject_errors(emulator, vpcep, service):
    permit(vpcep, service, ["*"])
    first = connections(vpcep, service).connections
    err = sdk_error(act, vpcep, service, "receive", [first[0].id])  # still being created
    assert (err.status_code, err.error_code) == (400, "EndPoint.2019")
    advance(emulator, 11)
    ids = [c.id for c in connections(vpcep, service).connections]
    for action, endpoints, code in [("receive", ids, "EndPoint.2031"),
                                    ("approve", ids[:1], "EndPoint.2027"),
                                    ("receive", ["not-an-endpoint"], "EndPoint.2013"),
                                    ("receive", [], "EndPoint.2002")]:
        err = sdk_error(act, vpcep, service, action, endpoints)
        assert (err.status_code, err.error_code) == (400, code)


def test_connection_descriptions(emulator, vpcep, service):
    permit(vpcep, service, ["iam:domain::" + FIRST])
    advance(emulator, 11)
    endpoint_id = connections(vpcep, service).connections[0].id
    answer = vpcep.update_endpoint_connections_desc(UpdateEndpointConnectionsDescRequest(
        vpc_endpoint_service_id=service, body=UpdateEndpointConnectionsDescRequestBody(
            connections=[ConnectionsDesc(id=endpoint_id, description="team blue")])))
    assert [(c.id, c.description) for c in answer.connections] == [(endpoint_id, "team blue")]
    assert connections(vpcep, service).connections[0].description == "team blue"
    err = sdk_error(vpcep.update_endpoint_connections_desc, UpdateEndpointConnectionsDescRequest(
        vpc_endpoint_service_id=service, body=UpdateEndpointConnectionsDescRequestBody(
            connections=[ConnectionsDesc(id=endpoint_id, description="<i>")])))
    assert (err.status_code, err.error_code) == (400, "EndPoint.0002")


def test_permission_records(emulator, vpcep, service):
    permit(vpcep, service, ["iam:domain::aaaa1111", "iam:domain::bbbb2222"])
    listed = vpcep.list_service_permissions_details(ListServicePermissionsDetailsRequest(
        vpc_endpoint_service_id=service))
    assert listed.total_count == 2
    assert {p.permission for p in listed.permissions} == {
        "iam:domain::aaaa1111", "iam:domain::bbbb2222"}
    assert all(p.permission_type == "domainId" and p.id and p.created_at
               for p in listed.permissions)
    fuzzy = vpcep.list_service_permissions_details(ListServicePermissionsDetailsRequest(
        vpc_endpoint_service_id=service, permission="BBBB"))
    assert [p.permission for p in fuzzy.permissions] == ["iam:domain::bbbb2222"]
    permit(vpcep, service, ["iam:domain::aaaa1111"], action="remove")
    assert vpcep.list_service_permissions_details(ListServicePermissionsDetailsRequest(
        vpc_endpoint_service_id=service)).total_count == 1


def test_batch_permissions_and_descriptions(emulator, vpcep, service):
    records = [EpsAddPermissionRequest(permission="iam:domain::cafe01", description="one"),
               EpsAddPermissionRequest(permission="iam:domain::cafe02", description="two")]
    added = vpcep.batch_add_endpoint_service_permissions(
        BatchAddEndpointServicePermissionsRequest(
            vpc_endpoint_service_id=service,
            body=BatchAddEndpointServicePermissionsRequestBody(permission_type="domainId",
                                                               permissions=records)))
    assert [(p.permission, p.description) for p in added.permissions] == [
        ("iam:domain::cafe01", "one"), ("iam:domain::cafe02", "two")]
    first = added.permissions[0].id
    described = vpcep.update_endpoint_service_permission_desc(
        UpdateEndpointServicePermissionDescRequest(
            vpc_endpoint_service_id=service, permission_id=first,
            body=UpdateEndpointServicePermissionDescRequestBody(
                permission=EpsUpdatePermissionDesc(description="uno"))))
    assert [(p.id, p.description) for p in described.permissions] == [(first, "uno")]
    removed = vpcep.batch_remove_endpoint_service_permissions(
        BatchRemoveEndpointServicePermissionsRequest(
            vpc_endpoint_service_id=service,
            body=BatchRemoveEndpointServicePermissionsRequestBody(
                permissions=[EpsRemovePermissionRequest(id=first)])))
    assert [p.permission for p in removed.permissions] == ["iam:domain::cafe01"]
    err = sdk_error(vpcep.batch_remove_endpoint_service_permissions,
                    BatchRemoveEndpointServicePermissionsRequest(
                        vpc_endpoint_service_id=service,
                        body=BatchRemoveEndpointServicePermissionsRequestBody(
                            permissions=[EpsRemovePermissionRequest(id=first)])))
    assert (err.status_code, err.error_code) == (404, "EndPoint.0005")


@pytest.mark.parametrize("permissions, action, code", [
    (["domain-without-prefix"], "add", "EndPoint.3002"),
    (["iam:domain::has space"], "add", "EndPoint.3002"),
    ([], "add", "EndPoint.3036"),
    (["iam:domain::abc"], "grant", "EndPoint.3035"),
])
def test_permission_errors(vpcep, service, permissions, action, code):
    err = sdk_error(permit, vpcep, service, permissions, action)
    assert (err.status_code, err.error_code) == (400, code)


def test_deleting_a_service_takes_its_connections(emulator, vpcep, service):
    permit(vpcep, service, ["*"])
    advance(emulator, 11)
    vpcep.delete_endpoint_service(DeleteEndpointServiceRequest(vpc_endpoint_service_id=service))
    advance(emulator, 11)
    err = sdk_error(connections, vpcep, service)
    assert (err.status_code, err.error_code) == (404, "EndPoint.0005")
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest()).total_count == 0
    # the consumers' endpoints and the whitelist went with it
    assert emulator.emu.store.count("vpcep.endpoint") == 0
    assert emulator.emu.store.count("vpcep.permission") == 0


def test_admin_connect_hook(emulator, vpcep, service):
    answer = emulator.admin("POST", "/__admin/vpcep/connect", {"service_id": service})
    assert (answer["service_id"], answer["domain_id"], answer["status"]) == (
        service, FIRST, "creating")
    other = emulator.admin("POST", "/__admin/vpcep/connect",
                           {"service_id": service, "domain_id": "feedface01"})
    advance(emulator, 11)
    listed = connections(vpcep, service, status="pendingAcceptance").connections
    assert sorted(c.id for c in listed) == sorted([answer["id"], other["id"]])
    named = emulator.admin("POST", "/__admin/vpcep/connect",
                           {"service_id": service, "endpoint_id": "a3c41c2b-5d6e-4f70-8a9b-0c1d2e3f4a5b"})
    assert named["id"] == "a3c41c2b-5d6e-4f70-8a9b-0c1d2e3f4a5b"
    for payload, status in [({}, 400), ({"service_id": "nope"}, 404),
                            ({"service_id": service, "domain_id": "bad id!"}, 400),
                            ({"service_id": service, "endpoint_id": "not-a-uuid"}, 400),
                            ({"service_id": service, "endpoint_id": named["id"]}, 409)]:
        with pytest.raises(urllib.error.HTTPError) as info:
            emulator.admin("POST", "/__admin/vpcep/connect", payload)
        assert info.value.code == status
