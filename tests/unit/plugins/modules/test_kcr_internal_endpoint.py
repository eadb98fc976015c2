# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_internal_endpoint against an in-memory KCR account: intranet access and its private DNS,
waits (on an injected clock), check mode, diff, and deletion DNS first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.kcr_internal_endpoint import KcrInternalEndpoint
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import FakeClock, run_module
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.kcr_fake import (
    SUBNET_ID,
    VPC_ID,
    FakeKcr,
    error,
)

SECRET = "unit-secret-never-shown-0004"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}


@pytest.fixture
def account():
    return FakeKcr()


@pytest.fixture
def registry(account):
    return account.add_instance("prod-registry")


def run(account, check_mode=False, diff=False, clock=None, **args):
    result = run_module(KcrInternalEndpoint, dict(AUTH, **args), account, check_mode=check_mode, diff=diff,
                        clock=clock)
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
def test_a_malformed_id_fails_before_any_call(account, registry, option, kind, value):
    result = run(account, **endpoint_args(registry, **{option: value}))

    what = kind if kind == "KCR instance" else "KSYUN " + kind
    assert result["msg"] == "%s: %r is not a valid %s ID: %s" % (option, value, what, UUID_RULE)
    assert account.calls == []


@pytest.mark.parametrize("code, option, msg", [
    ("VpcNotFound", "vpc_id", "vpc_id: VPC %s not found in region cn-beijing-6" % VPC_ID),
    ("SubnetNotFound", "subnet_id", "subnet_id: subnet %s not found in VPC %s" % (SUBNET_ID, VPC_ID)),
])
def test_an_unknown_vpc_or_subnet_is_named(account, registry, code, option, msg):
    account.fail_next["CreateInternalEndpoint"] = error(code, "CreateInternalEndpoint", status=404)

    result = run(account, **endpoint_args(registry))

    assert result["failed"] is True
    assert result["msg"] == msg


def test_create_with_private_dns_waits_for_the_access_before_enabling_dns(account, registry):
    account.endpoint_reads = 2
    clock = FakeClock()

    result = run(account, diff=True, clock=clock, **endpoint_args(registry, private_dns=True))

    assert account.actions == [
        "DescribeInternalEndpoint",
        "CreateInternalEndpoint",
        "DescribeInternalEndpoint",  # Creating
        "DescribeInternalEndpoint",  # Creating
        "DescribeInternalEndpoint", "DescribeInternalEndpointDns",  # Running, DNS Closed
        "CreateInternalEndpointDns",
        "DescribeInternalEndpoint", "DescribeInternalEndpointDns",  # DNS Opening
        "DescribeInternalEndpoint", "DescribeInternalEndpointDns",  # DNS Running
    ]
    assert account.calls[1][1] == {"InstanceId": registry["InstanceId"], "VpcId": VPC_ID,
                                   "ReserveSubnetId": SUBNET_ID}
    assert account.calls[6][1] == dns_params(registry)
    assert clock.sleeps == [2.0] * 4  # three polls of the access, one of its DNS
    assert result["changed"] is True
    assert result["internal_endpoint"] == expected(registry, dns="Running")
    assert result["diff"] == {"before": {}, "after": result["internal_endpoint"]}


def test_create_without_waiting_returns_the_access_as_it_is(account, registry):
    result = run(account, **endpoint_args(registry, wait=False))

    assert account.actions == ["DescribeInternalEndpoint", "CreateInternalEndpoint", "DescribeInternalEndpoint"]
    assert result["internal_endpoint"] == expected(registry, status="Creating")


def test_check_mode_create_predicts_and_writes_nothing(account, registry):
    result = run(account, check_mode=True, diff=True, **endpoint_args(registry, private_dns=True))

    assert account.actions == ["DescribeInternalEndpoint"]
    assert result["internal_endpoint"] == expected(registry, dns="Running", ip=None)
    assert result["diff"]["before"] == {}


def test_same_again_is_two_reads_and_no_change(account, registry):
    account.add_endpoint(registry, dns="Running")

    result = run(account, diff=True, **endpoint_args(registry, private_dns=True))

    assert account.calls == [("DescribeInternalEndpoint", {"InstanceId": registry["InstanceId"]}),
                             ("DescribeInternalEndpointDns", dns_params(registry))]
    assert result["changed"] is False
    assert result["internal_endpoint"] == expected(registry, dns="Running")
    assert result["diff"]["before"] == result["diff"]["after"]


def test_other_vpcs_accesses_are_not_ours(account, registry):
    account.add_endpoint(registry, vpc_id="another-vpc")

    result = run(account, check_mode=True, **endpoint_args(registry))

    assert result["changed"] is True
    assert account.actions == ["DescribeInternalEndpoint"]


def test_a_different_subnet_cannot_be_changed_in_place(account, registry):
    account.add_endpoint(registry)

    other = SUBNET_ID[:-1] + "9"
    result = run(account, **endpoint_args(registry, subnet_id=other))

    assert result["msg"] == ("subnet_id cannot be changed on an existing internal endpoint (current: %r, requested: "
                             "%r); delete and recreate it to change it" % (SUBNET_ID, other))
    assert account.writes() == []


def test_private_dns_off_is_predicted_and_made(account, registry):
    account.add_endpoint(registry, dns="Running")
    predicted = run(account, check_mode=True, diff=True, **endpoint_args(registry, private_dns=False))
    assert account.writes() == []

    result = run(account, diff=True, **endpoint_args(registry, private_dns=False))

    assert ("DeleteInternalEndpointDns", dns_params(registry)) in account.calls
    assert account.writes() == ["DeleteInternalEndpointDns"]
    assert result["internal_endpoint"] == expected(registry, dns="Closed")
    assert predicted["internal_endpoint"] == result["internal_endpoint"]
    assert result["diff"]["before"] == expected(registry, dns="Running")


def test_private_dns_on_reads_back_only_the_dns(account, registry):
    account.add_endpoint(registry)

    result = run(account, **endpoint_args(registry, private_dns=True))

    # The read back is of the DNS only; the DNS opening is then waited for with whole reads.
    assert account.actions[:4] == ["DescribeInternalEndpoint", "DescribeInternalEndpointDns",
                                   "CreateInternalEndpointDns", "DescribeInternalEndpointDns"]
    assert account.actions[4:] == ["DescribeInternalEndpoint", "DescribeInternalEndpointDns"] * (
        (len(account.actions) - 4) // 2)
    assert result["changed"] is True
    assert result["internal_endpoint"] == expected(registry, dns="Running")


def test_private_dns_on_an_access_still_creating_waits_for_it_first(account, registry):
    account.add_endpoint(registry, status="Creating")

    result = run(account, **endpoint_args(registry, private_dns=True))

    creating = account.actions.index("CreateInternalEndpointDns")
    assert account.actions[:creating] == ["DescribeInternalEndpoint", "DescribeInternalEndpoint",
                                          "DescribeInternalEndpointDns"]
    assert result["internal_endpoint"] == expected(registry, dns="Running")


def test_an_access_that_fails_is_reported(account, registry):
    account.endpoint_outcome = "Error"

    result = run(account, **endpoint_args(registry))

    assert result["failed"] is True
    assert result["msg"] == "internal endpoint entered status Error"
    assert result["internal_endpoint"]["status"] == "Error"


def test_waiting_gives_up_after_wait_timeout(account, registry):
    account.endpoint_reads = 100

    result = run(account, **endpoint_args(registry, wait_timeout=5))

    assert result["msg"] == "timed out after 5s waiting for internal endpoint to become Running (last status seen: Creating)"


def test_absent_removes_dns_first_then_the_access_and_waits_until_it_is_gone(account, registry):
    account.add_endpoint(registry, dns="Running")

    deleted = run(account, diff=True, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent")
    again = run(account, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent")

    assert account.writes() == ["DeleteInternalEndpointDns", "DeleteInternalEndpoint"]
    assert ("DeleteInternalEndpoint", {"InstanceId": registry["InstanceId"], "VpcId": VPC_ID,
                                       "EniLBIp": "10.0.1.2"}) in account.calls
    assert account.actions[-2:] == ["DescribeInternalEndpoint", "DescribeInternalEndpoint"]  # the wait, then again
    assert deleted["changed"] is True
    assert deleted["diff"] == {"before": expected(registry, dns="Running"), "after": {}}
    assert again["changed"] is False


def test_absent_without_dns_deletes_only_the_access(account, registry):
    account.add_endpoint(registry)

    run(account, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent", wait=False)

    assert account.writes() == ["DeleteInternalEndpoint"]


def test_absent_in_check_mode_deletes_nothing(account, registry):
    account.add_endpoint(registry, dns="Running")

    result = run(account, check_mode=True, instance_id=registry["InstanceId"], vpc_id=VPC_ID, state="absent")

    assert result["changed"] is True
    assert account.writes() == []
