"""VPCEP endpoint services driven with the official VpcepClient: create -> creating ->
available, list (filters, sorting, limit/offset), show, update, rename, delete -> deleting ->
gone, and the validation errors of the VPCEP error code table."""
import pytest
from huaweicloudsdkvpcep.v1 import (CreateEndpointServiceRequest,
                                    CreateEndpointServiceRequestBody,
                                    DeleteEndpointServiceRequest, ListEndpointServiceRequest,
                                    ListServiceDetailsRequest, PortList, TagList,
                                    UpdateEndpointServiceNameRequest,
                                    UpdateEndpointServiceNameRequestBody,
                                    UpdateEndpointServiceRequest,
                                    UpdateEndpointServiceRequestBody)

from huawei_support import (DOMAIN_ID, PORT1, PORT2, PROJECT, VPC, advance, client,
                            default_section, sdk_error, set_delays)


@pytest.fixture
def vpcep(emulator):
    set_delays(emulator, vpcep_service=30, vpcep_service_delete=30)
    return client(emulator, "vpcep")


def create(vpcep, name="web", port_id=PORT1, ports=((80, 8080),), **fields):
    body = dict(port_id=port_id, vpc_id=VPC, server_type="VM", service_name=name,
                ports=[p if isinstance(p, PortList) else
                       PortList(client_port=p[0], server_port=p[1], protocol="TCP")
                       for p in ports])
    body.update(fields)
    return vpcep.create_endpoint_service(CreateEndpointServiceRequest(
        body=CreateEndpointServiceRequestBody(**body)))


def show(vpcep, service_id):
    return vpcep.list_service_details(ListServiceDetailsRequest(vpc_endpoint_service_id=service_id))


def test_lifecycle(emulator, vpcep):
    created = create(vpcep, approval_enabled=False, description="demo", tcp_proxy="toa_open",
                     tags=[TagList(key="env", value="dev")])
    assert created.status == "creating"
    assert created.service_name == "cn-north-4.web.%s" % created.id
    assert (created.port_id, created.vpc_id, created.server_type, created.service_type) == (
        PORT1, VPC, "VM", "interface")
    assert (created.approval_enabled, created.tcp_proxy, created.description) == (
        False, "toa_open", "demo")
    assert [(p.client_port, p.server_port, p.protocol) for p in created.ports] == [
        (80, 8080, "TCP")]
    assert [(t.key, t.value) for t in created.tags] == [("env", "dev")]
    assert created.project_id == PROJECT and created.pool_id and created.created_at
    assert show(vpcep, created.id).status == "creating"
    advance(emulator, 31)
    detail = show(vpcep, created.id)
    assert (detail.status, detail.cidr_type, detail.supported_editions) == (
        "available", "internal", ["basic"])
    updated = vpcep.update_endpoint_service(UpdateEndpointServiceRequest(
        vpc_endpoint_service_id=created.id, body=UpdateEndpointServiceRequestBody(
            approval_enabled=True, description="changed", port_id=PORT2,
            ports=[PortList(client_port=443, server_port=8443, protocol="TCP")])))
    assert (updated.approval_enabled, updated.description, updated.port_id) == (
        True, "changed", PORT2)
    assert [(p.client_port, p.server_port) for p in updated.ports] == [(443, 8443)]
    renamed = vpcep.update_endpoint_service_name(UpdateEndpointServiceNameRequest(
        vpc_endpoint_service_id=created.id,
        body=UpdateEndpointServiceNameRequestBody(endpoint_service_name="api")))
    assert renamed.endpoint_service_name == "cn-north-4.api.%s" % created.id
    listed = vpcep.list_endpoint_service(ListEndpointServiceRequest()).endpoint_services[0]
    assert (listed.service_name, listed.domain_id, listed.connection_count) == (
        renamed.endpoint_service_name, DOMAIN_ID, 0)
    vpcep.delete_endpoint_service(DeleteEndpointServiceRequest(vpc_endpoint_service_id=created.id))
    assert show(vpcep, created.id).status == "deleting"
    err = sdk_error(vpcep.update_endpoint_service, UpdateEndpointServiceRequest(
        vpc_endpoint_service_id=created.id, body=UpdateEndpointServiceRequestBody(
            description="too late")))
    assert (err.status_code, err.error_code) == (400, "EndPoint.3045")
    advance(emulator, 31)
    err = sdk_error(show, vpcep, created.id)
    assert (err.status_code, err.error_code) == (404, "EndPoint.0005")
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest()).total_count == 0
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert calls["vpcep:CreateEndpointService"] == 1
    assert calls["vpcep:ListServiceDetails"] == 4


def test_zero_delay_is_available_at_once(emulator):
    set_delays(emulator, vpcep_service=0, vpcep_service_delete=0)
    vpcep = client(emulator, "vpcep")
    created = create(vpcep)
    assert created.status == "available"
    vpcep.delete_endpoint_service(DeleteEndpointServiceRequest(vpc_endpoint_service_id=created.id))
    assert sdk_error(show, vpcep, created.id).status_code == 404


def test_listing_filters_sorting_and_pages(emulator, vpcep):
    ids = []
    for index, name in enumerate(["alpha", "beta", "Alphabet", "gamma"]):
        ids.append(create(vpcep, name, ports=((1000 + index, 2000 + index),)).id)
        advance(emulator, 1)
    everything = vpcep.list_endpoint_service(ListEndpointServiceRequest(limit=100))
    assert everything.total_count == 4
    assert [s.id for s in everything.endpoint_services] == list(reversed(ids))  # newest first
    oldest_first = vpcep.list_endpoint_service(ListEndpointServiceRequest(
        sort_key="create_at", sort_dir="asc", limit=2, offset=1))
    assert [s.id for s in oldest_first.endpoint_services] == ids[1:3]
    assert oldest_first.total_count == 4
    fuzzy = vpcep.list_endpoint_service(ListEndpointServiceRequest(endpoint_service_name="ALPHA"))
    assert sorted(s.id for s in fuzzy.endpoint_services) == sorted([ids[0], ids[2]])
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest(id=ids[1])).total_count == 1
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest(status="available")) \
        .total_count == 0
    advance(emulator, 30)
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest(status="available")) \
        .total_count == 4
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest(limit=0)).endpoint_services == []


@pytest.mark.parametrize("query, code", [
    ({"limit": 1001}, "EndPoint.0006"), ({"limit": -1}, "EndPoint.0006"),
    ({"offset": -1}, "EndPoint.0010"), ({"sort_key": "created_at"}, "EndPoint.0017"),
    ({"sort_dir": "up"}, "EndPoint.0018"), ({"status": "running"}, "EndPoint.0019"),
])
def test_listing_errors(vpcep, query, code):
    err = sdk_error(vpcep.list_endpoint_service, ListEndpointServiceRequest(**query))
    assert (err.status_code, err.error_code) == (400, code)


@pytest.mark.parametrize("fields, code", [
    ({"vpc_id": None}, "EndPoint.2011"),
    ({"vpc_id": "4dfe5c6e-0000-4000-8000-00000000ffff"}, "EndPoint.2001"),
    ({"port_id": "not-a-uuid"}, "EndPoint.3003"),
    ({"port_id": "a1b2c3d4-0000-4000-8000-00000000ffff"}, "EndPoint.3008"),
    ({"server_type": "BAREMETAL"}, "EndPoint.3021"),
    ({"service_name": "name-longer-than-16"}, "EndPoint.1003"),
    ({"service_name": "bad name"}, "EndPoint.1003"),
    ({"ports": []}, "EndPoint.2028"),
    ({"ports": [PortList(client_port=0, server_port=80, protocol="TCP")]}, "EndPoint.3004"),
    ({"ports": [PortList(client_port=80, server_port=80, protocol="UDP")]}, "EndPoint.3004"),
    ({"ports": [PortList(client_port=80, server_port=80, protocol="TCP")] * 2}, "EndPoint.3004"),
    ({"ports": [PortList(client_port=n, server_port=n, protocol="TCP")
                for n in range(1, 202)]}, "EndPoint.3074"),
    ({"tcp_proxy": "sometimes"}, "EndPoint.0002"),
    ({"service_type": "gateway"}, "EndPoint.0002"),
    ({"description": "<b>"}, "EndPoint.0002"),
    ({"tags": [TagList(key="_sys_x", value="1")]}, "EndPoint.3068"),
    ({"tags": [TagList(key="k", value="1"), TagList(key="k", value="2")]}, "EndPoint.3067"),
    ({"tags": [TagList(key="k%d" % n, value="v") for n in range(21)]}, "EndPoint.3069"),
    ({"ip_version": "ipv6"}, "EndPoint.0002"),
])
def test_create_validation(vpcep, fields, code):
    err = sdk_error(create, vpcep, **fields)
    assert (err.status_code, err.error_code) == (400, code)
    assert vpcep.list_endpoint_service(ListEndpointServiceRequest()).total_count == 0


def test_port_of_another_vpc(emulator):
    section = default_section()
    section["vpcs"].append({"id": "4dfe5c6e-0000-4000-8000-000000000002", "cidr": "10.0.0.0/16",
                            "subnets": [], "ports": [
                                {"id": "a1b2c3d4-0000-4000-8000-000000000099"}]})
    emulator.admin("POST", "/__admin/reset", {"huawei": section})
    err = sdk_error(create, client(emulator, "vpcep"),
                    port_id="a1b2c3d4-0000-4000-8000-000000000099")
    assert (err.status_code, err.error_code) == (400, "EndPoint.3042")


def test_port_mappings_may_not_clash_on_one_backend_port(emulator, vpcep):
    first = create(vpcep, "one", ports=((80, 8080),))
    err = sdk_error(create, vpcep, "two", ports=((81, 8080),))
    assert (err.status_code, err.error_code) == (400, "EndPoint.3044")
    assert create(vpcep, "three", port_id=PORT2, ports=((81, 8080),)).status == "creating"
    advance(emulator, 31)
    second = create(vpcep, "four", ports=((82, 9090),))
    advance(emulator, 31)
    err = sdk_error(vpcep.update_endpoint_service, UpdateEndpointServiceRequest(
        vpc_endpoint_service_id=second.id, body=UpdateEndpointServiceRequestBody(
            ports=[PortList(client_port=82, server_port=8080, protocol="TCP")])))
    assert (err.status_code, err.error_code) == (400, "EndPoint.3044")
    assert first.id != second.id


def test_quota(emulator):
    section = default_section()
    section["vpcep"]["quotas"] = {"endpoint_service": 2, "endpoint": 5}
    emulator.admin("POST", "/__admin/reset", {"huawei": section})
    vpcep = client(emulator, "vpcep")
    create(vpcep, "q1", ports=((1, 1),))
    create(vpcep, "q2", ports=((2, 2),))
    err = sdk_error(create, vpcep, "q3", ports=((3, 3),))
    assert (err.status_code, err.error_code) == (400, "Endpoint.1018")


def test_unknown_service(vpcep):
    for call, request in [
            (show, None),
            (vpcep.delete_endpoint_service,
             DeleteEndpointServiceRequest(vpc_endpoint_service_id="nope"))]:
        err = sdk_error(call, vpcep, "nope") if request is None else sdk_error(call, request)
        assert (err.status_code, err.error_code) == (404, "EndPoint.0005")


def test_rename_validation(emulator, vpcep):
    created = create(vpcep)
    advance(emulator, 31)
    err = sdk_error(vpcep.update_endpoint_service_name, UpdateEndpointServiceNameRequest(
        vpc_endpoint_service_id=created.id,
        body=UpdateEndpointServiceNameRequestBody(endpoint_service_name="way-too-long-name-x")))
    assert (err.status_code, err.error_code) == (400, "EndPoint.1003")
