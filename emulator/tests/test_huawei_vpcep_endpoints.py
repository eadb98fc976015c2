"""VPCEP consumer endpoints, tags, public services, basic information, quotas and versions,
with the official VpcepClient."""
import pytest
import requests
from huaweicloudsdkvpcep.v1 import (AcceptOrRejectEndpointRequest,
                                    AcceptOrRejectEndpointRequestBody,
                                    BatchAddOrRemoveResourceInstanceRequest,
                                    BatchAddOrRemoveResourceInstanceRequestBody,
                                    CreateEndpointRequest, CreateEndpointRequestBody,
                                    CreateEndpointServiceRequest,
                                    CreateEndpointServiceRequestBody, DeleteEndpointRequest,
                                    ListEndpointInfoDetailsRequest, ListEndpointsRequest,
                                    ListQueryProjectResourceTagsRequest, ListQuotaDetailsRequest,
                                    ListResourceInstancesRequest, ListServiceConnectionsRequest,
                                    ListServiceDescribeDetailsRequest,
                                    ListServicePublicDetailsRequest,
                                    ListSpecifiedVersionDetailsRequest, Match, PortList,
                                    QueryResourceInstanceTagsBody, ResourceTag, TagList,
                                    TagValuesList, UpdateEndpointWhiteRequest,
                                    UpdateEndpointWhiteRequestBody)

from huawei_support import (DOMAIN_ID, PORT1, PROJECT, SUBNET, VPC, advance, client,
                            sdk_error, set_delays)

DNS_SERVICE = "6e4b2f2b-0000-4000-8000-00000000a002"


@pytest.fixture
def vpcep(emulator):
    set_delays(emulator, vpcep_service=10, vpcep_endpoint=10, vpcep_connection=10)
    return client(emulator, "vpcep")


def new_service(emulator, vpcep, name="svc", approval=True, port=443):
    created = vpcep.create_endpoint_service(CreateEndpointServiceRequest(
        body=CreateEndpointServiceRequestBody(
            port_id=PORT1, vpc_id=VPC, server_type="VM", service_name=name,
            approval_enabled=approval,
            ports=[PortList(client_port=port, server_port=port, protocol="TCP")])))
    advance(emulator, 11)
    return created


def new_endpoint(vpcep, service_id, **fields):
    body = dict(endpoint_service_id=service_id, vpc_id=VPC, subnet_id=SUBNET)
    body.update(fields)
    return vpcep.create_endpoint(CreateEndpointRequest(body=CreateEndpointRequestBody(**body)))


def test_endpoint_to_own_service(emulator, vpcep):
    service = new_service(emulator, vpcep)
    created = new_endpoint(vpcep, service.id, enable_dns=True, description="to svc",
                           whitelist=["10.0.0.0/8"], enable_whitelist=True,
                           tags=[TagList(key="team", value="blue")])
    assert (created.status, created.endpoint_service_name, created.project_id) == (
        "creating", service.service_name, PROJECT)
    assert created.ip is None and isinstance(created.marker_id, int)
    advance(emulator, 11)
    detail = vpcep.list_endpoint_info_details(ListEndpointInfoDetailsRequest(
        vpc_endpoint_id=created.id))
    assert detail.status == "pendingAcceptance" and detail.ip is None
    assert detail.dns_names and detail.whitelist == ["10.0.0.0/8"] and detail.enable_whitelist
    # the provider (same account) sees and accepts the connection
    connection = vpcep.list_service_connections(ListServiceConnectionsRequest(
        vpc_endpoint_service_id=service.id)).connections[0]
    assert (connection.id, connection.domain_id) == (created.id, DOMAIN_ID)
    vpcep.accept_or_reject_endpoint(AcceptOrRejectEndpointRequest(
        vpc_endpoint_service_id=service.id, body=AcceptOrRejectEndpointRequestBody(
            action="receive", endpoints=[created.id])))
    advance(emulator, 11)
    detail = vpcep.list_endpoint_info_details(ListEndpointInfoDetailsRequest(
        vpc_endpoint_id=created.id))
    assert (detail.status, detail.ip) == ("accepted", "192.168.0.2")
    white = vpcep.update_endpoint_white(UpdateEndpointWhiteRequest(
        vpc_endpoint_id=created.id, body=UpdateEndpointWhiteRequestBody(
            whitelist=["192.168.1.0/24", "10.1.1.1"], enable_whitelist=False)))
    assert (white.whitelist, white.enable_whitelist) == (["192.168.1.0/24", "10.1.1.1"], False)
    listed = vpcep.list_endpoints(ListEndpointsRequest(endpoint_service_name="SVC"))
    assert [e.id for e in listed.endpoints] == [created.id] and listed.total_count == 1
    assert vpcep.list_endpoints(ListEndpointsRequest(vpc_id="other")).total_count == 0
    vpcep.delete_endpoint(DeleteEndpointRequest(vpc_endpoint_id=created.id))
    assert vpcep.list_endpoint_info_details(ListEndpointInfoDetailsRequest(
        vpc_endpoint_id=created.id)).status == "deleting"
    advance(emulator, 11)
    err = sdk_error(vpcep.list_endpoint_info_details,
                    ListEndpointInfoDetailsRequest(vpc_endpoint_id=created.id))
    assert (err.status_code, err.error_code) == (404, "EndPoint.2006")


def test_endpoint_to_public_service_and_addresses(emulator, vpcep):
    first = new_endpoint(vpcep, DNS_SERVICE, port_ip="192.168.0.50")
    second = new_endpoint(vpcep, DNS_SERVICE)
    advance(emulator, 11)
    details = [vpcep.list_endpoint_info_details(ListEndpointInfoDetailsRequest(
        vpc_endpoint_id=e.id)) for e in (first, second)]
    assert [(d.status, d.ip) for d in details] == [("accepted", "192.168.0.50"),
                                                   ("accepted", "192.168.0.2")]
    err = sdk_error(new_endpoint, vpcep, DNS_SERVICE, port_ip="192.168.0.50")
    assert (err.status_code, err.error_code) == (400, "EndPoint.3010")


@pytest.mark.parametrize("fields, code", [
    ({"endpoint_service_id": None}, "EndPoint.2029"),
    ({"endpoint_service_id": "00000000-0000-0000-0000-000000000000"}, "EndPoint.2003"),
    ({"vpc_id": None}, "EndPoint.2011"),
    ({"vpc_id": "4dfe5c6e-0000-4000-8000-00000000ffff"}, "EndPoint.2001"),
    ({"subnet_id": None}, "EndPoint.2010"),
    ({"subnet_id": "5e6f7a8b-0000-4000-8000-00000000ffff"}, "EndPoint.0023"),
    ({"port_ip": "10.9.9.9"}, "EndPoint.3010"),
    ({"whitelist": ["not-a-cidr"]}, "EndPoint.3017"),
])
def test_endpoint_validation(vpcep, fields, code):
    body = {"endpoint_service_id": DNS_SERVICE}
    body.update(fields)
    err = sdk_error(new_endpoint, vpcep, body.pop("endpoint_service_id"), **body)
    assert (err.status_code, err.error_code) == (400, code)


def test_endpoint_to_a_service_still_being_created(emulator, vpcep):
    created = vpcep.create_endpoint_service(CreateEndpointServiceRequest(
        body=CreateEndpointServiceRequestBody(
            port_id=PORT1, vpc_id=VPC, server_type="VM",
            ports=[PortList(client_port=1, server_port=1, protocol="TCP")])))
    err = sdk_error(new_endpoint, vpcep, created.id)
    assert (err.status_code, err.error_code) == (400, "EndPoint.2004")


def test_tags_on_services_and_endpoints(emulator, vpcep):
    one = new_service(emulator, vpcep, "one", port=1)
    two = new_service(emulator, vpcep, "two", port=2)

    def tag(resource_type, resource_id, action, tags):
        vpcep.batch_add_or_remove_resource_instance(BatchAddOrRemoveResourceInstanceRequest(
            resource_type=resource_type, resource_id=resource_id,
            body=BatchAddOrRemoveResourceInstanceRequestBody(action=action, tags=tags)))
    tag("endpoint_service", one.id, "create", [ResourceTag(key="env", value="prod"),
                                               ResourceTag(key="team", value="a")])
    tag("endpoint_service", two.id, "create", [ResourceTag(key="env", value="dev")])
    tag("endpoint_service", one.id, "create", [ResourceTag(key="team", value="b")])
    project_tags = vpcep.list_query_project_resource_tags(ListQueryProjectResourceTagsRequest(
        resource_type="endpoint_service")).tags
    assert {(t.key, tuple(sorted(t.values))) for t in project_tags} == {
        ("env", ("dev", "prod")), ("team", ("b",))}

    def query(**body):
        return vpcep.list_resource_instances(ListResourceInstancesRequest(
            resource_type="endpoint_service", body=QueryResourceInstanceTagsBody(**body)))
    prod = query(action="filter", tags=[TagValuesList(key="env", values=["prod"])])
    assert [r.resource_id for r in prod.resources] == [one.id]
    assert prod.resources[0].resource_name == one.service_name
    assert query(action="count", tags=[TagValuesList(key="env", values=[])]).total_count == 2
    assert query(action="count", not_tags=[TagValuesList(key="team", values=[])]) \
        .total_count == 1
    assert [r.resource_id for r in query(action="filter", matches=[
        Match(key="resource_name", value="TWO")]).resources] == [two.id]
    tag("endpoint_service", one.id, "delete", [ResourceTag(key="team", value="wrong")])
    tag("endpoint_service", one.id, "delete", [ResourceTag(key="env")])
    resources = vpcep.list_resource_instances(ListResourceInstancesRequest(
        resource_type="endpoint_service", body=QueryResourceInstanceTagsBody(action="filter")))
    assert {r.resource_id: [(t.key, t.value) for t in r.tags] for r in resources.resources} == {
        one.id: [("team", "b")], two.id: [("env", "dev")]}
    endpoint = new_endpoint(vpcep, DNS_SERVICE)
    tag("endpoint", endpoint.id, "create", [ResourceTag(key="owner", value="ops")])
    assert [t.key for t in vpcep.list_query_project_resource_tags(
        ListQueryProjectResourceTagsRequest(resource_type="endpoint")).tags] == ["owner"]
    for resource_type, resource_id, body, code in [
            ("bucket", one.id, ("create", [ResourceTag(key="a", value="b")]), "EndPoint.3070"),
            ("endpoint_service", one.id, ("replace", [ResourceTag(key="a", value="b")]),
             "EndPoint.0007"),
            ("endpoint_service", one.id, ("create", []), "EndPoint.3066"),
            ("endpoint_service", one.id, ("create", [ResourceTag(key="a")]), "EndPoint.3068")]:
        err = sdk_error(tag, resource_type, resource_id, *body)
        assert (err.status_code, err.error_code) == (400, code)
    err = sdk_error(tag, "endpoint_service", "nope", "create", [ResourceTag(key="a", value="b")])
    assert (err.status_code, err.error_code) == (404, "EndPoint.0005")


def test_public_services_and_describe(emulator, vpcep):
    public = vpcep.list_service_public_details(ListServicePublicDetailsRequest())
    assert public.total_count == 2
    assert {(s.owner, s.service_type) for s in public.endpoint_services} == {
        ("huaweicloud", "gateway"), ("huaweicloud", "interface")}
    dns = vpcep.list_service_public_details(ListServicePublicDetailsRequest(
        endpoint_service_name="DNS")).endpoint_services
    assert [(s.id, s.is_charge) for s in dns] == [(DNS_SERVICE, True)]
    own = new_service(emulator, vpcep, "mine")
    by_name = vpcep.list_service_describe_details(ListServiceDescribeDetailsRequest(
        endpoint_service_name=own.service_name))
    assert (by_name.id, by_name.service_type, by_name.is_charge) == (own.id, "interface", False)
    assert vpcep.list_service_describe_details(ListServiceDescribeDetailsRequest(
        id=DNS_SERVICE)).service_name == "cn-north-4.com.myhuaweicloud.v4.dns"
    err = sdk_error(vpcep.list_service_describe_details, ListServiceDescribeDetailsRequest())
    assert (err.status_code, err.error_code) == (400, "EndPoint.0002")
    err = sdk_error(vpcep.list_service_describe_details,
                    ListServiceDescribeDetailsRequest(id="missing"))
    assert (err.status_code, err.error_code) == (404, "EndPoint.0005")


def test_quotas(emulator, vpcep):
    new_service(emulator, vpcep)
    new_endpoint(vpcep, DNS_SERVICE)
    quotas = vpcep.list_quota_details(ListQuotaDetailsRequest()).quotas.resources
    assert [(q.type, q.used, q.quota) for q in quotas] == [
        ("endpoint_service", 1, 20), ("endpoint", 1, 50)]
    only = vpcep.list_quota_details(ListQuotaDetailsRequest(type="endpoint")).quotas.resources
    assert [q.type for q in only] == ["endpoint"]
    err = sdk_error(vpcep.list_quota_details, ListQuotaDetailsRequest(type="vpc"))
    assert (err.status_code, err.error_code) == (400, "EndPoint.0002")


def test_version_documents(emulator, vpcep):
    version = vpcep.list_specified_version_details(
        ListSpecifiedVersionDetailsRequest(version="v1")).version
    assert (version.id, version.status) == ("v1", "CURRENT")
    assert version.links[0].href == emulator.url + "/v1/"
    assert requests.get(emulator.url + "/v2", timeout=30).json()["version"]["status"] == "SUPPORT"
