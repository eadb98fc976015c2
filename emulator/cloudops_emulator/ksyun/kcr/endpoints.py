"""kcrs intranet (VPC) access and its private DNS.

An instance gets at most one access point per VPC. The access IP (EniLBIp) is the first free
host address of the reserve subnet (after the gateway). Access points go Creating -> Running and
DNS resolution Opening -> Running after settings.delays["kcrs.internal_endpoint"] /
["kcrs.dns"]; DNS is `Closed` while not enabled.
"""
import ipaddress

from ..actions import action
from ..errors import conflict, incorrect_status
from ..util import fmt_time
from .common import ENDPOINT, get_instance, listing, missing, running_instance

VPC = "ksyun.vpc"
DNS_TYPES = ("PrivateDomain",)


def _refresh(store, doc, now):
    changed = False
    if doc["Status"] == "Creating" and now >= doc["_ready_at"]:
        doc["Status"] = doc.get("_outcome") or "Running"
        changed = True
    dns = doc.get("_dns")
    if dns and dns["Status"] == "Opening" and now >= dns["_ready_at"]:
        dns["Status"] = "Running"
        changed = True
    if changed:
        store.update(ENDPOINT, doc["_key"], doc)
    return doc


def _view(doc):
    return {"VpcId": doc["VpcId"], "SubnetId": doc["SubnetId"], "Status": doc["Status"],
            "EniLBIp": doc["EniLBIp"]}


def _vpc_and_subnet(call):
    vpc_id = call.params.string("VpcId", required=True)
    subnet_id = call.params.string("ReserveSubnetId", required=True)
    vpc = call.store.get(VPC, vpc_id)
    if vpc is None or vpc.get("region") != call.region:
        raise missing(call, "VpcNotFound", "VpcId", "The VPC %s does not exist." % vpc_id)
    for subnet in vpc.get("subnets", []):
        if subnet["SubnetId"] == subnet_id:
            return vpc, subnet
    raise missing(call, "SubnetNotFound", "ReserveSubnetId",
                  "The subnet %s does not exist in VPC %s." % (subnet_id, vpc_id))


def _allocate_ip(store, subnet):
    used = {doc["EniLBIp"] for doc in store.list(ENDPOINT) if doc["SubnetId"] == subnet["SubnetId"]}
    network = ipaddress.ip_network(subnet["CidrBlock"], strict=False)
    hosts = network.hosts()
    next(hosts, None)  # the gateway
    for address in hosts:
        if str(address) not in used:
            return str(address)
    raise conflict("SubnetIpExhausted", "The subnet %s has no free address." % subnet["SubnetId"])


def _find_endpoint(call, instance):
    """The access point named by VpcId + EniLBIp (both required)."""
    vpc_id = call.params.string("VpcId", required=True)
    ip = call.params.string("EniLBIp", required=True)
    key = "%s/%s" % (instance["InstanceId"], vpc_id)
    doc = call.store.get(ENDPOINT, key)
    if doc is None or doc["EniLBIp"] != ip:
        raise missing(call, "InternalEndpointNotFound", "EniLBIp",
                      "The instance %s has no intranet access in VPC %s with IP %s."
                      % (instance["InstanceId"], vpc_id, ip))
    return _refresh(call.store, doc, call.now)


@action("kcrs", "CreateInternalEndpoint")
def create_internal_endpoint(call):
    instance = running_instance(call)
    vpc, subnet = _vpc_and_subnet(call)
    key = "%s/%s" % (instance["InstanceId"], vpc["VpcId"])
    if call.store.get(ENDPOINT, key) is not None:
        raise conflict("InternalEndpointAlreadyExists", "The instance %s already has intranet "
                       "access in VPC %s." % (instance["InstanceId"], vpc["VpcId"]))
    doc = {"VpcId": vpc["VpcId"], "SubnetId": subnet["SubnetId"], "Status": "Creating",
           "EniLBIp": _allocate_ip(call.store, subnet), "CreateTime": fmt_time(call.now),
           "_key": key, "_ready_at": call.now + call.emu.delay("kcrs.internal_endpoint", 2),
           "_outcome": str(call.emu.settings.get("kcrs", {}).get("internal_endpoint_outcome") or "Running"),
           "_dns": None}
    call.store.insert(ENDPOINT, key, doc, parent=instance["InstanceId"])
    return {}


@action("kcrs", "DescribeInternalEndpoint")
@listing("AccessVpcSet")
def describe_internal_endpoint(call):
    instance = get_instance(call)
    found = [_view(_refresh(call.store, doc, call.now))
             for doc in call.store.list(ENDPOINT, parent=instance["InstanceId"])]
    return {"TotalCount": len(found), "AccessVpcSet": found}


@action("kcrs", "DeleteInternalEndpoint")
def delete_internal_endpoint(call):
    instance = get_instance(call)
    doc = _find_endpoint(call, instance)
    call.store.delete(ENDPOINT, doc["_key"])
    return {}


def _dns_type(call):
    return call.params.string("InternalEndpointDns", required=True, choices=DNS_TYPES)


@action("kcrs", "CreateInternalEndpointDns")
def create_internal_endpoint_dns(call):
    instance = get_instance(call)
    doc = _find_endpoint(call, instance)
    _dns_type(call)
    if doc["Status"] != "Running":
        raise incorrect_status("intranet access", doc["EniLBIp"], doc["Status"], "Running")
    if doc["_dns"]:
        raise conflict("InternalEndpointDnsAlreadyExists", "Private DNS is already enabled for "
                       "%s in VPC %s." % (doc["EniLBIp"], doc["VpcId"]))
    doc["_dns"] = {"Status": "Opening",
                   "_ready_at": call.now + call.emu.delay("kcrs.dns", 2)}
    call.store.update(ENDPOINT, doc["_key"], doc)
    return {}


@action("kcrs", "DescribeInternalEndpointDns")
def describe_internal_endpoint_dns(call):
    instance = get_instance(call)
    doc = _find_endpoint(call, instance)
    if "InternalEndpointDns" in call.params:
        _dns_type(call)
    status = doc["_dns"]["Status"] if doc["_dns"] else "Closed"
    return {"InternalEndpointDnsSet": [{"InternalEndpointDns": "PrivateDomain",
                                        "Status": status}]}


@action("kcrs", "DeleteInternalEndpointDns")
def delete_internal_endpoint_dns(call):
    instance = get_instance(call)
    doc = _find_endpoint(call, instance)
    _dns_type(call)
    if not doc["_dns"]:
        raise missing(call, "InternalEndpointDnsNotFound", "InternalEndpointDns",
                      "Private DNS is not enabled for %s in VPC %s." % (doc["EniLBIp"], doc["VpcId"]))
    doc["_dns"] = None
    call.store.update(ENDPOINT, doc["_key"], doc)
    return {}
