# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_internal_endpoint against the emulator in process: intranet access and its private DNS,
waits (delays.kcrs.* on the test's clock), check mode, diff, and deletion DNS first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_internal_endpoint import KcrInternalEndpoint
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import KCR_SUBNET as SUBNET_ID
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import KCR_VPC as VPC_ID

SECRET = "unit-secret-never-shown-0004"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}


@pytest.fixture
def registry(kcr):
    return kcr.add_instance("prod-registry")


def run(cloud, check_mode=False, diff=False, **args):
    result = cloud.run(KcrInternalEndpoint, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def endpoint_args(registry, **extra):
    args = dict(instance_id=registry["InstanceId"], vpc_id=VPC_ID, subnet_id=SUBNET_ID)
    args.update(extra)
    return args


def dns_params(registry, ip="10.0.1.2"):
    return {"InstanceId": registry["InstanceId"], "VpcId": VPC_ID, "EniLBIp": ip, "InternalEndpointDns": "PrivateDomain"}


def expected(registry, status="Running", dns="Closed", ip="10.0.1.2"):
    return {"instance_id": registry["InstanceId"], "vpc_id": VPC_ID, "subnet_id": SUBNET_ID, "status": status,
            "eni_lb_ip": ip, "private_dns": dns != "Closed", "dns_status": dns}


UUID_RULE = "a UUID: 32 hexadecimal digits in groups of 8-4-4-4-12, such as 3f2a1c9e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"


@pytest.mark.parametrize("option, kind, value", [
    ("vpc_id", "VPC", ""), ("vpc_id", "VPC", "vpc 1"), ("vpc_id", "VPC", " 31e21dca"),
    ("vpc_id", "VPC", VPC_ID + "\n"), ("vpc_id", "VPC", "../x"), ("subnet_id", "subnet", SUBNET_ID[:-1]),
    ("instance_id", "KCR instance", "prod-registry"),
])
def test_a_malformed_id_fails_before_any_call(cloud, kcr, registry, option, kind, value):
    result = run(cloud, **endpoint_args(registry, **{option: value}))

    what = kind if kind == "KCR instance" else "KSYUN " + kind
    assert result["msg"] == "%s: %r is not a valid %s ID: %s" % (option, value, what, UUID_RULE)
    assert cloud.calls == []


@pytest.mark.parametrize("code, option, msg", [
    ("VpcNotFound", "vpc_id", "vpc_id: VPC %s not found in region cn-beijing-6" % VPC_ID),
    ("SubnetNotFound", "subnet_id", "subnet_id: subnet %s not found in VPC %s" % (SUBNET_ID, VPC_ID)),
])
def test_an_unknown_vpc_or_subnet_is_named(cloud, kcr, registry, code, option, msg):
    cloud.faults({"service": "kcrs", "operations": ["CreateInternalEndpoint"], "times": 1, "error_rate": 1.0,
                  "error_status": 404, "error_code": code})

    result = run(cloud, **endpoint_args(registry))

    assert result["failed"] is True
    assert result["msg"] == msg


def test_create_with_private_dns_waits_for_the_access_before_enabling_dns(cloud, kcr, registry, clock):
    cloud.settings({"delays": {"kcrs.internal_endpoint": 5}})  # Creating at 2 s and 4 s, Running at 6 s

    result = run(cloud, diff=True, **endpoint_args(registry, private_dns=True))

    assert cloud.calls.actions == [
        "DescribeInternalEndpoint",
        "CreateInternalEndpoint",
        "DescribeInternalEndpoint",  # Creating
        "DescribeInternalEndpoint",  # Creating
        "DescribeInternalEndpoint", "DescribeInternalEndpointDns",  # Running, DNS Closed
        "CreateInternalEndpointDns",
        "DescribeInternalEndpoint", "DescribeInternalEndpointDns",  # DNS Opening
        "DescribeInternalEndpoint", "DescribeInternalEndpointDns",  # DNS Running
    ]
    assert cloud.calls[1][1] == {"InstanceId": registry["InstanceId"], "VpcId": VPC_ID,
                                 "ReserveSubnetId": SUBNET_ID}
    assert cloud.calls[6][1] == dns_params(registry)
    assert clock.sleeps == [2.0] * 4  # three polls of the access, one of its DNS
    assert result["changed"] is True
    assert result["internal_endpoint"] == expected(registry, dns="Running")
    assert result["diff"] == {"before": {}, "after": result["internal_endpoint"]}


def test_create_without_waiting_returns_the_access_as_it_is(cloud, kcr, registry):
    result = run(cloud, **endpoint_args(registry, wait=False))

    assert cloud.calls.actions == ["DescribeInternalEndpoint", "CreateInternalEndpoint", "DescribeInternalEndpoint"]
    assert result["internal_endpoint"] == expected(registry, status="Creating")


def test_check_mode_create_predicts_and_writes_nothing(cloud, kcr, registry):
    result = run(cloud, check_mode=True, diff=True, **endpoint_args(registry, private_dns=True))

    assert cloud.calls.actions == ["DescribeInternalEndpoint"]
    assert result["internal_endpoint"] == expected(registry, dns="Running", ip=None)
    assert result["diff"]["before"] == {}


def test_same_again_is_two_reads_and_no_change(cloud, kcr, registry):
    kcr.add_endpoint(registry, dns="Running")

    result = run(cloud, diff=True, **endpoint_args(registry, private_dns=True))

    assert cloud.calls == [("DescribeInternalEndpoint", {"InstanceId": registry["InstanceId"]}),
                           ("DescribeInternalEndpointDns", dns_params(registry))]
    assert result["changed"] is False
    assert result["internal_endpoint"] == expected(registry, dns="Running")
    assert result["diff"]["before"] == result["diff"]["after"]


def test_other_vpcs_accesses_are_not_ours(cloud, kcr, registry):
    kcr.add_endpoint(registry, vpc_id="another-vpc")

    result = run(cloud, check_mode=True, **endpoint_args(registry))

    assert result["changed"] is True
    assert cloud.calls.actions == ["DescribeInternalEndpoint"]


def test_a_different_subnet_cannot_be_changed_in_place(cloud, kcr, registry):
    kcr.add_endpoint(registry)

    other = SUBNET_ID[:-1] + "9"
    result = run(cloud, **endpoint_args(registry, subnet_id=other))

    assert result["msg"] == ("subnet_id cannot be changed on an existing internal endpoint (current: %r, requested: "
                             "%r); delete and recreate it to change it" % (SUBNET_ID, other))
    assert cloud.calls.writes() == []


def test_private_dns_off_is_predicted_and_made(cloud, kcr, registry):
    kcr.add_endpoint(registry, dns="Running")
    predicted = run(cloud, check_mode=True, diff=True, **endpoint_args(registry, private_dns=False))
    assert cloud.calls.writes() == []

    result = run(cloud, diff=True, **endpoint_args(registry, private_dns=False))

    assert ("DeleteInternalEndpointDns", dns_params(registry)) in cloud.calls
    assert cloud.calls.writes() == ["DeleteInternalEndpointDns"]
    assert result["internal_endpoint"] == expected(registry, dns="Closed")
    assert predicted["internal_endpoint"] == result["internal_endpoint"]
    assert result["diff"]["before"] == expected(registry, dns="Running")


def test_private_dns_on_reads_back_only_the_dns(cloud, kcr, registry):
    kcr.add_endpoint(registry)

    result = run(cloud, **endpoint_args(registry, private_dns=True))

    # The read back is of the DNS only; the DNS opening is then waited for with whole reads.
    assert cloud.calls.actions[:4] == ["DescribeInternalEndpoint", "DescribeInternalEndpointDns",
                                       "CreateInternalEndpointDns", "DescribeInternalEndpointDns"]
    assert cloud.calls.actions[4:] == ["DescribeInternalEndpoint", "DescribeInternalEndpointDns"] * (
        (len(cloud.calls.actions) - 4) // 2)
    assert result["changed"] is True
    assert result["internal_endpoint"] == expected(registry, dns="Running")


def test_private_dns_on_an_access_still_creating_waits_for_it_first(cloud, kcr, registry):
    kcr.add_endpoint(registry, status="Creating")

    result = run(cloud, **endpoint_args(registry, private_dns=True))

    creating = cloud.calls.actions.index("CreateInternalEndpointDns")
    assert cloud.calls.actions[:creating] == ["DescribeInternalEndpoint", "DescribeInternalEndpoint",
                                              "DescribeInternalEndpointDns"]
    assert result["internal_endpoint"] == expected(registry, dns="Running")


def test_an_access_that_fails_is_reported(cloud, kcr, registry):
    cloud.settings({"kcrs": {"internal_endpoint_outcome": "Error"}})

    result = run(cloud, **endpoint_args(registry))

    assert result["failed"] is True
    assert result["msg"] == "internal endpoint entered status Error"
    assert result["internal_endpoint"]["status"] == "Error"


def test_waiting_gives_up_after_wait_timeout(cloud, kcr, registry):
    cloud.settings({"delays": {"kcrs.internal_endpoint": 1000}})

    result = run(cloud, **endpoint_args(registry, wait_timeout=5))

    assert result["msg"] == "timed out after 5s waiting for internal endpoint to become Running (last status seen: Creating)"


def test_absent_removes_dns_first_then_the_access_and_waits_until_it_is_gone(cloud, kcr, registry):
    kcr.add_endpoint(registry, dns="Running")

    deleted = run(cloud, diff=True, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent")
    again = run(cloud, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent")

    assert cloud.calls.writes() == ["DeleteInternalEndpointDns", "DeleteInternalEndpoint"]
    assert ("DeleteInternalEndpoint", {"InstanceId": registry["InstanceId"], "VpcId": VPC_ID,
                                       "EniLBIp": "10.0.1.2"}) in cloud.calls
    assert cloud.calls.actions[-2:] == ["DescribeInternalEndpoint", "DescribeInternalEndpoint"]  # the wait, then again
    assert deleted["changed"] is True
    assert deleted["diff"] == {"before": expected(registry, dns="Running"), "after": {}}
    assert again["changed"] is False


def test_absent_without_dns_deletes_only_the_access(cloud, kcr, registry):
    kcr.add_endpoint(registry)

    run(cloud, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent", wait=False)

    assert cloud.calls.writes() == ["DeleteInternalEndpoint"]


def test_absent_in_check_mode_deletes_nothing(cloud, kcr, registry):
    kcr.add_endpoint(registry, dns="Running")

    result = run(cloud, check_mode=True, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent")

    assert result["changed"] is True
    assert cloud.calls.writes() == []
