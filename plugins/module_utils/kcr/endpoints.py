# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR intranet access (internal endpoints) and their private DNS: the input rules, the calls
(DescribeInternalEndpoint, CreateInternalEndpoint, DeleteInternalEndpoint and the
*InternalEndpointDns ones), the wait before DNS can be opened, and the shape kcr_internal_endpoint
returns. ``instance`` is a ``common.KcrInstanceRef`` throughout; an access (``endpoint``) is a
DescribeInternalEndpoint entry ({VpcId, SubnetId, EniLBIp, Status}) with ``DnsStatus`` added.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import uuid_rule

PRIVATE_DOMAIN = "PrivateDomain"
DNS_OFF = "Closed"
VPC_ID = uuid_rule("KSYUN VPC")
SUBNET_ID = uuid_rule("KSYUN subnet")
# The emulator's codes and the spelling of other KSYUN services (under the common-code reading
# the answer names the parameter only, and is reported as it comes).
VPC_MISSING = Missing("VpcNotFound", "InvalidVpcId.NotFound")
SUBNET_MISSING = Missing("SubnetNotFound", "InvalidSubnetId.NotFound")


def describe_internal_endpoint(instance):
    """The instance's intranet accesses: the AccessVpcSet of DescribeInternalEndpoint (one call)."""
    return instance.call("DescribeInternalEndpoint").get("AccessVpcSet") or []


def dns_params(endpoint):
    """VpcId, EniLBIp and the domain type: what names an access's private DNS in the DNS calls."""
    return {"VpcId": endpoint["VpcId"], "EniLBIp": endpoint["EniLBIp"], "InternalEndpointDns": PRIVATE_DOMAIN}


def describe_internal_endpoint_dns(instance, endpoint):
    """The status of the access's private DNS: from DescribeInternalEndpointDns, or ``DNS_OFF``
    without a call while the access is not Running yet (DNS can only be enabled on a Running one)."""
    if endpoint.get("Status") == "Creating" or not endpoint.get("EniLBIp"):
        return DNS_OFF
    answer = instance.call("DescribeInternalEndpointDns", dns_params(endpoint))
    for entry in answer.get("InternalEndpointDnsSet") or []:
        if entry.get("InternalEndpointDns", PRIVATE_DOMAIN) == PRIVATE_DOMAIN:
            return entry.get("Status")
    return DNS_OFF


def find_endpoint(instance, vpc_id, subnet_id=None):
    """The access in ``vpc_id`` (``subnet_id`` chooses among several; more than one left fails)
    with its ``DnsStatus``, or None."""
    matches = [a for a in describe_internal_endpoint(instance) if a.get("VpcId") == vpc_id]
    if len(matches) > 1 and subnet_id:
        matches = [a for a in matches if a.get("SubnetId") == subnet_id]
    if len(matches) > 1:
        raise ModuleFailure("vpc_id: KCR instance %s has %d intranet accesses in VPC %s; give subnet_id "
                            "to choose one" % (instance.id, len(matches), vpc_id))
    if not matches:
        return None
    endpoint = dict(matches[0])
    endpoint["DnsStatus"] = describe_internal_endpoint_dns(instance, endpoint)
    return endpoint


def create_internal_endpoint(instance, vpc_id, subnet_id):
    """CreateInternalEndpoint in ``vpc_id``, its address from ``subnet_id``; the answer is not used
    (the access is read back). A VPC or subnet that does not exist fails naming the option."""
    def vpc_missing():
        return ModuleFailure("vpc_id: VPC %s not found in region %s" % (vpc_id, instance.module.region))

    def subnet_missing():
        return ModuleFailure("subnet_id: subnet %s not found in VPC %s" % (subnet_id, vpc_id))

    VPC_MISSING.translate(vpc_missing, SUBNET_MISSING.translate, subnet_missing, instance.call,
                          "CreateInternalEndpoint", {"VpcId": vpc_id, "ReserveSubnetId": subnet_id})


def create_internal_endpoint_dns(instance, endpoint):
    """CreateInternalEndpointDns: the private DNS of a Running access; the answer is not used."""
    instance.call("CreateInternalEndpointDns", dns_params(endpoint))


def delete_internal_endpoint_dns(instance, endpoint):
    """DeleteInternalEndpointDns; the answer is not used."""
    instance.call("DeleteInternalEndpointDns", dns_params(endpoint))


def delete_internal_endpoint(instance, endpoint):
    """DeleteInternalEndpoint, after DeleteInternalEndpointDns when its private DNS is on."""
    if endpoint.get("DnsStatus") not in (None, DNS_OFF):
        delete_internal_endpoint_dns(instance, endpoint)
    instance.call("DeleteInternalEndpoint", {"VpcId": endpoint["VpcId"], "EniLBIp": endpoint["EniLBIp"]})


def enable_private_dns(module, endpoint):
    """Private DNS on the access ``endpoint`` (None: the one just created): once it is Running,
    waiting for that with ``module.wait_for`` and ``module.find`` if need be, then
    CreateInternalEndpointDns. Returns the Running access (as read before the DNS call)."""
    if endpoint is None or endpoint.get("Status") != "Running":
        vpc_id = module.params["vpc_id"]

        def running(obj):
            if obj is None:
                raise ModuleFailure("the intranet access in VPC %s disappeared while waiting for it to become "
                                    "Running" % vpc_id)
            if obj.get("Status") == "Error":
                raise ModuleFailure("the intranet access in VPC %s entered status Error" % vpc_id,
                                    internal_endpoint=module.to_result(obj))
            return obj.get("Status") == "Running"

        endpoint = module.wait_for(running, "to become Running before private DNS can be enabled", module.find)
    create_internal_endpoint_dns(module.instance, endpoint)
    return endpoint


def endpoint_status(endpoint):
    """One status for the access and its DNS together: Error if either is, the access's while it
    is not Running, else the DNS's (Running when DNS is off)."""
    status, dns = endpoint.get("Status"), endpoint.get("DnsStatus")
    if "Error" in (status, dns):
        return "Error"
    if status != "Running":
        return status
    return "Running" if dns in ("Running", DNS_OFF) else dns


def endpoint_result(instance_id, endpoint):
    """An access as kcr_internal_endpoint returns it."""
    dns = endpoint.get("DnsStatus")
    return {
        "instance_id": instance_id,
        "vpc_id": endpoint.get("VpcId"),
        "subnet_id": endpoint.get("SubnetId"),
        "status": endpoint.get("Status"),
        "eni_lb_ip": endpoint.get("EniLBIp") or None,
        "private_dns": dns not in (None, DNS_OFF),
        "dns_status": dns,
    }
