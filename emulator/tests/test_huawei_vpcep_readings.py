"""VPCEP readings (settings `readings.vpcep.<point>`): each second reading of a point the sources
leave open, next to reading A, plus the fixes to cascades, connection counts and defaults."""
import pytest

from huawei_support import CONSUMERS, PORT1, PROJECT, SUBNET, VPC, advance, set_delays, signed

SERVICES = "/v1/%s/vpc-endpoint-services" % PROJECT
ENDPOINTS = "/v1/%s/vpc-endpoints" % PROJECT


@pytest.fixture
def emu(emulator):
    set_delays(emulator, vpcep_service=10, vpcep_endpoint=10, vpcep_connection=10,
               vpcep_service_delete=10)
    return emulator


def read(emulator, **points):
    emulator.admin("POST", "/__admin/settings", {"readings": {"vpcep": points}})


def call(emulator, method, path, body=None, query=None, status=200):
    response = signed(emulator, method, path, body=body, query=query)
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def service(emulator, approval=True, **fields):
    body = dict(port_id=PORT1, vpc_id=VPC, server_type="VM", service_name="web",
                approval_enabled=approval, ports=[{"client_port": 80, "server_port": 8080,
                                                   "protocol": "TCP"}])
    body.update(fields)
    created = call(emulator, "POST", SERVICES, body)
    advance(emulator, 11)
    return created["id"]


def connect(emulator, service_id, domain_id=CONSUMERS[0]):
    connection = emulator.admin("POST", "/__admin/vpcep/connect",
                                {"service_id": service_id, "domain_id": domain_id})
    advance(emulator, 11)
    return connection["id"]


def listed(emulator, service_id):
    answer = call(emulator, "GET", SERVICES, query={"id": service_id})
    return answer["endpoint_services"][0] if answer["endpoint_services"] else None


def test_service_outcome_failed(emu):
    read(emu, service_outcome="failed")
    service_id = service(emu)
    entry = listed(emu, service_id)
    assert entry["status"] == "failed"
    assert entry["error"][0]["code"] == "EndPoint.4001" and entry["error"][0]["message"]
    assert call(emu, "GET", SERVICES + "/" + service_id)["error"] == entry["error"]


def test_service_available_has_no_error(emu):
    entry = listed(emu, service(emu))
    assert entry["status"] == "available" and "error" not in entry


@pytest.mark.parametrize("reading,status", [(None, 204), (200, 200)])
def test_delete_status(emu, reading, status):
    if reading:
        read(emu, delete_status=reading)
    service_id = service(emu)
    response = signed(emu, "DELETE", SERVICES + "/" + service_id)
    assert (response.status_code, response.content) == (status, b"")
    endpoint = call(emu, "POST", ENDPOINTS, {"endpoint_service_id": "6e4b2f2b-0000-4000-8000-00000000a002",
                                             "vpc_id": VPC, "subnet_id": SUBNET})
    advance(emu, 11)
    assert signed(emu, "DELETE", ENDPOINTS + "/" + endpoint["id"]).status_code == status


def test_delete_with_connections_allowed_takes_the_endpoints(emu):
    service_id = service(emu, approval=False)
    connect(emu, service_id)
    assert listed(emu, service_id)["connection_count"] == 1
    call(emu, "DELETE", SERVICES + "/" + service_id, status=204)
    advance(emu, 11)
    assert listed(emu, service_id) is None


def test_delete_with_connections_refused(emu):
    read(emu, delete_with_connections="refused")
    service_id = service(emu, approval=False)
    endpoint_id = connect(emu, service_id)
    answer = call(emu, "DELETE", SERVICES + "/" + service_id, status=400)
    assert answer["error_code"] == "EndPoint.3055"
    call(emu, "POST", SERVICES + "/%s/connections/action" % service_id,
         {"action": "reject", "endpoints": [endpoint_id]})
    call(emu, "DELETE", SERVICES + "/" + service_id, status=204)


def test_update_omitted_reset(emu):
    service_id = service(emu, approval=False, tcp_proxy="toa_open")
    call(emu, "PUT", SERVICES + "/" + service_id, {"description": "kept"})
    assert (listed(emu, service_id)["approval_enabled"], listed(emu, service_id)["tcp_proxy"]) == (
        False, "toa_open")
    read(emu, update_omitted="reset")
    call(emu, "PUT", SERVICES + "/" + service_id, {"description": "reset"})
    entry = listed(emu, service_id)
    assert (entry["approval_enabled"], entry["tcp_proxy"]) == (True, "close")


def test_paging_readings(emu):
    for name in ("a", "b"):
        call(emu, "POST", SERVICES, dict(port_id=PORT1, vpc_id=VPC, server_type="VM", service_name=name,
                                         ports=[{"client_port": 80 + len(name) + ord(name),
                                                 "server_port": ord(name), "protocol": "TCP"}]))
    assert call(emu, "GET", SERVICES, query={"limit": 0})["endpoint_services"] == []
    assert call(emu, "GET", SERVICES, query={"offset": 5})["endpoint_services"] == []
    read(emu, limit_zero="default", offset_past_end="error")
    answer = call(emu, "GET", SERVICES, query={"limit": 0})
    assert (len(answer["endpoint_services"]), answer["total_count"]) == (2, 2)
    assert call(emu, "GET", SERVICES, query={"offset": 2})["endpoint_services"] == []
    assert call(emu, "GET", SERVICES, query={"offset": 3}, status=400)["error_code"] == "EndPoint.0010"


def test_permission_page_cap_is_500(emu):
    service_id = service(emu)
    path = SERVICES + "/%s/permissions" % service_id
    assert call(emu, "GET", path, query={"limit": 500})["total_count"] == 0
    assert call(emu, "GET", path, query={"limit": 1000}, status=400)["error_code"] == "EndPoint.0006"


@pytest.mark.parametrize("reading", ["error", "ok"])
def test_accept_twice(emu, reading):
    if reading == "ok":
        read(emu, accept_twice="ok")
    service_id = service(emu)
    endpoint_id = connect(emu, service_id)
    action = SERVICES + "/%s/connections/action" % service_id
    body = {"action": "receive", "endpoints": [endpoint_id]}
    assert call(emu, "POST", action, body)["connections"][0]["status"] == "creating"
    if reading == "error":
        assert call(emu, "POST", action, body, status=400)["error_code"] == "EndPoint.2014"
    else:
        assert call(emu, "POST", action, body)["connections"][0]["status"] == "creating"


def test_accept_skips_creating(emu):
    read(emu, accept_creating="skip")
    service_id = service(emu)
    endpoint_id = connect(emu, service_id)
    answer = call(emu, "POST", SERVICES + "/%s/connections/action" % service_id,
                  {"action": "receive", "endpoints": [endpoint_id]})
    assert answer["connections"][0]["status"] == "accepted"


def test_not_found_status_400(emu):
    missing = SERVICES + "/00000000-0000-4000-8000-000000000000"
    assert call(emu, "GET", missing, status=404)["error_code"] == "EndPoint.0005"
    read(emu, not_found_status=400)
    assert call(emu, "GET", missing, status=400)["error_code"] == "EndPoint.0005"
    assert call(emu, "DELETE", ENDPOINTS + "/00000000-0000-4000-8000-000000000000",
                status=400)["error_code"] == "EndPoint.2006"


def test_permission_twice(emu):
    service_id = service(emu)
    action = SERVICES + "/%s/permissions/action" % service_id
    body = {"permissions": ["iam:domain::" + CONSUMERS[1]], "permission_type": "domainId", "action": "add"}
    call(emu, "POST", action, body)
    call(emu, "POST", action, body)
    read(emu, permission_twice="error")
    assert call(emu, "POST", action, body, status=400)["error_code"] == "EndPoint.3056"
    assert call(emu, "GET", SERVICES + "/%s/permissions" % service_id)["total_count"] == 1


@pytest.mark.parametrize("limit", [20, 10])
def test_max_tags(emu, limit):
    if limit == 10:
        read(emu, max_tags=10)
    tags = [{"key": "k%d" % n, "value": "v"} for n in range(limit)]
    service_id = service(emu, tags=tags)
    answer = call(emu, "POST", SERVICES, dict(port_id=PORT1, vpc_id=VPC, server_type="VM",
                                              ports=[{"client_port": 81, "server_port": 81}],
                                              tags=tags + [{"key": "more", "value": "v"}]), status=400)
    assert answer["error_code"] == "EndPoint.3069"
    answer = call(emu, "POST", "/v1/%s/endpoint_service/%s/tags/action" % (PROJECT, service_id),
                  {"action": "create", "tags": [{"key": "more", "value": "v"}]}, status=400)
    assert answer["error_code"] == "EndPoint.3069"


def test_port_ip_optional_or_required(emu):
    service_id = service(emu, approval=False)
    body = {"endpoint_service_id": service_id, "vpc_id": VPC, "subnet_id": SUBNET}
    call(emu, "POST", ENDPOINTS, body)
    read(emu, port_ip="required")
    assert call(emu, "POST", ENDPOINTS, body, status=400)["error_code"] == "EndPoint.2002"
    call(emu, "POST", ENDPOINTS, dict(body, port_ip="192.168.0.50"))


def test_cascade_survives_a_failing_request(emu):
    """The due deletion of a service (and its cascade) is applied before a request that fails."""
    service_id = service(emu, approval=False)
    call(emu, "POST", SERVICES + "/%s/permissions/action" % service_id,
         {"permissions": ["iam:domain::" + CONSUMERS[1]], "action": "add"})
    own = call(emu, "POST", ENDPOINTS, {"endpoint_service_id": service_id, "vpc_id": VPC,
                                        "subnet_id": SUBNET})
    advance(emu, 11)
    call(emu, "DELETE", SERVICES + "/" + service_id, status=204)
    advance(emu, 11)
    # This request fails (the service is gone): the cascade must be kept all the same.
    call(emu, "GET", SERVICES + "/%s/permissions" % service_id, status=404)
    assert emu.emu.store.list("vpcep.permission") == []
    endpoint = call(emu, "GET", ENDPOINTS + "/" + own["id"])
    assert endpoint["status"] == "failed" and endpoint["error"][0]["error_code"] == "EndPoint.2003"
    assert [e for e in emu.emu.store.list("vpcep.endpoint") if e.get("project_id") is None] == []


def test_connection_count_counts_settled_statuses(emu):
    service_id = service(emu, approval=True)
    endpoint_id = connect(emu, service_id)
    assert listed(emu, service_id)["connection_count"] == 0  # pendingAcceptance
    call(emu, "POST", SERVICES + "/%s/connections/action" % service_id,
         {"action": "receive", "endpoints": [endpoint_id]})
    assert listed(emu, service_id)["connection_count"] == 1  # creating
    advance(emu, 11)
    assert listed(emu, service_id)["connection_count"] == 1  # accepted
    call(emu, "POST", SERVICES + "/%s/connections/action" % service_id,
         {"action": "reject", "endpoints": [endpoint_id]})
    assert listed(emu, service_id)["connection_count"] == 0


def test_own_endpoint_being_deleted_is_not_failed_by_the_cascade(emu):
    service_id = service(emu, approval=False)
    own = call(emu, "POST", ENDPOINTS, {"endpoint_service_id": service_id, "vpc_id": VPC,
                                        "subnet_id": SUBNET})
    advance(emu, 11)
    set_delays(emu, vpcep_endpoint=30)
    call(emu, "DELETE", ENDPOINTS + "/" + own["id"], status=204)
    call(emu, "DELETE", SERVICES + "/" + service_id, status=204)
    advance(emu, 11)
    assert call(emu, "GET", ENDPOINTS + "/" + own["id"])["status"] == "deleting"
    advance(emu, 30)
    assert call(emu, "GET", ENDPOINTS + "/" + own["id"], status=404)["error_code"] == "EndPoint.2006"


# --- regional_operations: what a regional API reference (seed 003) does not list --------------

AE_PROJECT = "7a1e0d2c3b4a59687786a5b4c3d2e1a1"  # ae-ad-1
TR_PROJECT = "7a1e0d2c3b4a59687786a5b4c3d2e1a4"  # tr-west-1


def regional(emulator, project, method, path, body=None, query=None):
    return signed(emulator, method, path % project, body=body, query=query, project_id=project)


def test_regional_operations_documented_answers_404_for_what_a_region_lacks(emu):
    rename = regional(emu, AE_PROJECT, "PUT", "/v1/%s/vpc-endpoint-services/" + "0" * 8 + "-0000-4000-8000-"
                      + "0" * 12 + "/name", body={"endpoint_service_name": "x"})
    assert rename.status_code == 404 and rename.json()["error_code"] == "APIGW.0101", rename.text
    describe = regional(emu, AE_PROJECT, "GET", "/v1/%s/vpc-endpoint-services/describe", query={"id": "x"})
    assert describe.status_code == 404 and describe.json()["error_code"] == "APIGW.0101"
    tags = regional(emu, TR_PROJECT, "GET", "/v1/%s/endpoint_service/tags")
    assert tags.status_code == 404 and tags.json()["error_code"] == "APIGW.0101"
    # what the reference lists is served: the listing, and the tags of Abu Dhabi
    assert regional(emu, AE_PROJECT, "GET", "/v1/%s/vpc-endpoint-services").status_code == 200
    assert regional(emu, AE_PROJECT, "GET", "/v1/%s/endpoint_service/tags").status_code == 200
    # and the main region serves everything
    assert call(emu, "GET", SERVICES + "/describe", query={"id": "x"}, status=404)["error_code"] == "EndPoint.0005"


def test_regional_operations_all_serves_every_operation_everywhere(emu):
    read(emu, regional_operations="all")
    describe = regional(emu, AE_PROJECT, "GET", "/v1/%s/vpc-endpoint-services/describe", query={"id": "x"})
    assert describe.json()["error_code"] == "EndPoint.0005"
    assert regional(emu, TR_PROJECT, "GET", "/v1/%s/endpoint_service/tags").status_code == 200
