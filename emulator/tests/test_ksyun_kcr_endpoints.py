"""kcrs intranet access and private DNS (three of these actions are not in kscore)."""
import pytest
from kscore.exceptions import ClientError

from ksyun_support import (SUBNET, VPC, advance, call, client, client_error, error_of, ok,
                           running_instance)


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


def _access(emulator, instance_id):
    return ok(call(emulator, "kcrs", "DescribeInternalEndpoint", {"InstanceId": instance_id}))


def test_internal_endpoint_and_dns_lifecycle(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    emulator.admin("POST", "/__admin/settings",
                   {"delays": {"kcrs.internal_endpoint": 10, "kcrs.dns": 5}})
    kcrs.create_internal_endpoint(InstanceId=instance_id, VpcId=VPC, ReserveSubnetId=SUBNET)
    listed = _access(emulator, instance_id)
    assert listed["TotalCount"] == 1
    access = listed["AccessVpcSet"][0]
    assert access == {"VpcId": VPC, "SubnetId": SUBNET, "Status": "Creating",
                      "EniLBIp": "10.0.1.2"}
    dns_args = {"InstanceId": instance_id, "VpcId": VPC, "EniLBIp": "10.0.1.2",
                "InternalEndpointDns": "PrivateDomain"}
    response = call(emulator, "kcrs", "CreateInternalEndpointDns", dns_args, method="POST")
    assert error_of(response)[:2] == (409, "IncorrectStatus")
    advance(emulator, 11)
    assert _access(emulator, instance_id)["AccessVpcSet"][0]["Status"] == "Running"

    assert kcrs.describe_internal_endpoint_dns(**dns_args)["InternalEndpointDnsSet"] == [
        {"InternalEndpointDns": "PrivateDomain", "Status": "Closed"}]
    ok(call(emulator, "kcrs", "CreateInternalEndpointDns", dns_args, method="POST"))
    status = kcrs.describe_internal_endpoint_dns(**dns_args)["InternalEndpointDnsSet"][0]
    assert status["Status"] == "Opening"
    response = call(emulator, "kcrs", "CreateInternalEndpointDns", dns_args, method="POST")
    assert error_of(response)[:2] == (409, "InternalEndpointDnsAlreadyExists")
    advance(emulator, 6)
    status = kcrs.describe_internal_endpoint_dns(**dns_args)["InternalEndpointDnsSet"][0]
    assert status["Status"] == "Running"

    kcrs.delete_internal_endpoint_dns(**dns_args)
    status = kcrs.describe_internal_endpoint_dns(**dns_args)["InternalEndpointDnsSet"][0]
    assert status["Status"] == "Closed"
    with pytest.raises(ClientError) as exc:
        kcrs.delete_internal_endpoint_dns(**dns_args)
    assert client_error(exc)[:2] == (404, "InternalEndpointDnsNotFound")

    delete_args = {"InstanceId": instance_id, "VpcId": VPC, "EniLBIp": "10.0.1.2"}
    ok(call(emulator, "kcrs", "DeleteInternalEndpoint", delete_args))
    after = _access(emulator, instance_id)
    assert (after["TotalCount"], after["AccessVpcSet"]) == (0, [])
    assert error_of(call(emulator, "kcrs", "DeleteInternalEndpoint", delete_args))[:2] == (
        404, "InternalEndpointNotFound")


def test_access_ips_come_from_the_subnet_and_are_not_reused(emulator, kcrs):
    first = running_instance(emulator, kcrs, "first")
    second = running_instance(emulator, kcrs, "second")
    for instance_id in (first, second):
        kcrs.create_internal_endpoint(InstanceId=instance_id, VpcId=VPC, ReserveSubnetId=SUBNET)
    ips = [_access(emulator, i)["AccessVpcSet"][0]["EniLBIp"] for i in (first, second)]
    assert ips == ["10.0.1.2", "10.0.1.3"]


def test_one_access_per_vpc(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_internal_endpoint(InstanceId=instance_id, VpcId=VPC, ReserveSubnetId=SUBNET)
    with pytest.raises(ClientError) as exc:
        kcrs.create_internal_endpoint(InstanceId=instance_id, VpcId=VPC, ReserveSubnetId=SUBNET)
    assert client_error(exc)[:2] == (409, "InternalEndpointAlreadyExists")


@pytest.mark.parametrize("vpc,subnet,code", [
    ("vpc-missing", SUBNET, "VpcNotFound"),
    (VPC, "subnet-missing", "SubnetNotFound"),
])
def test_vpc_and_subnet_must_exist(emulator, kcrs, vpc, subnet, code):
    instance_id = running_instance(emulator, kcrs)
    with pytest.raises(ClientError) as exc:
        kcrs.create_internal_endpoint(InstanceId=instance_id, VpcId=vpc, ReserveSubnetId=subnet)
    assert client_error(exc)[:2] == (404, code)


def test_dns_type_must_be_private_domain(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_internal_endpoint(InstanceId=instance_id, VpcId=VPC, ReserveSubnetId=SUBNET)
    response = call(emulator, "kcrs", "CreateInternalEndpointDns",
                    {"InstanceId": instance_id, "VpcId": VPC, "EniLBIp": "10.0.1.2",
                     "InternalEndpointDns": "PublicDomain"}, method="POST")
    assert error_of(response) == (400, "InvalidParameterValue", "An invalid or out-of-range "
                                  "value was supplied for the input parameter "
                                  "InternalEndpointDns.")
