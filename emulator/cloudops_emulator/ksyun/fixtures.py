"""Seeding the store from the `ksyun:` fixture section, and reading static fixture data.

Section layout (see fixtures/ksyun.yaml for the defaults):
  account_id: "2000000001"            registry user name of KCR tokens
  regions: [cn-beijing-6, ...]        valid credential-scope regions
  access_keys: [{access_key, secret_key, sts?: bool, security_tokens?: [...]}]
  vpcs: [{VpcId, VpcName?, CidrBlock?, region?, subnets: [{SubnetId, CidrBlock, ...}]}]
  bws: {lines: [{LineId, LineName?, region?}],
        eips: [{AllocationId, PublicIp?, BandWidth?, LineId, ProjectId?, region?}]}
  kcrs: {instances: [{InstanceName, InstanceType?, InstanceId?, region?, ProjectId?,
                      namespaces: [{Namespace, Public?, images: [{repository, tag, size?,
                                                                 digest?}]}]}]}
  generate: {kcrs.namespace: {instance, count, prefix?, public?},
             kcrs.image: {instance, namespace, repositories, tags?}}
`region` defaults to cn-beijing-6 everywhere. Seeded instances are Running at once.
"""
from ..core import FixtureError
from .errors import KsyunError
from .kcr import images, instances, namespaces
from .kcr.common import INSTANCE

DEFAULT_REGION = "cn-beijing-6"
VPC = "ksyun.vpc"
LINE = "bws.line"
EIP = "bws.eip"

_cache = {}


def keyring(emu):
    """{access key: fixture entry}, rebuilt whenever the fixtures are reloaded."""
    fixtures = emu.fixtures
    cached = _cache.get("keyring")
    if cached is None or cached[0] is not fixtures:
        entries = (fixtures.get("ksyun") or {}).get("access_keys") or []
        cached = (fixtures, {entry["access_key"]: entry for entry in entries})
        _cache["keyring"] = cached
    return cached[1]


def regions(emu):
    return (emu.fixtures.get("ksyun") or {}).get("regions") or [DEFAULT_REGION]


def load_fixtures(emu, section):
    try:
        _check_keys(section)
        _load_vpcs(emu, section.get("vpcs") or [])
        bws = section.get("bws") or {}
        _load_lines(emu, bws.get("lines") or [])
        _load_eips(emu, bws.get("eips") or [])
        for spec in (section.get("kcrs") or {}).get("instances") or []:
            _load_instance(emu, spec)
        _generate(emu, section.get("generate") or {})
    except KsyunError as exc:
        raise FixtureError("ksyun fixtures: %s: %s" % (exc.code, exc.message)) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FixtureError("ksyun fixtures: malformed entry (%s: %s)"
                           % (type(exc).__name__, exc)) from None


def _check_keys(section):
    for entry in section.get("access_keys") or []:
        if not entry.get("access_key") or not entry.get("secret_key"):
            raise FixtureError("ksyun fixtures: every access key needs access_key and secret_key")


def _load_vpcs(emu, vpcs):
    for vpc in vpcs:
        doc = dict(vpc)
        doc.setdefault("region", DEFAULT_REGION)
        doc["subnets"] = [dict(subnet) for subnet in vpc.get("subnets") or []]
        for subnet in doc["subnets"]:
            subnet.setdefault("CidrBlock", "10.0.1.0/24")
        emu.store.insert(VPC, doc["VpcId"], doc)


def _load_lines(emu, lines):
    for line in lines:
        doc = dict(line)
        doc.setdefault("region", DEFAULT_REGION)
        emu.store.insert(LINE, doc["LineId"], doc)


def _load_eips(emu, eips):
    for eip in eips:
        doc = dict(eip)
        doc.setdefault("region", DEFAULT_REGION)
        doc.setdefault("ProjectId", "0")
        doc.setdefault("BandWidth", 1)
        doc["BandWidthShareId"] = None
        emu.store.insert(EIP, doc["AllocationId"], doc)


def _load_instance(emu, spec):
    doc = instances.new_instance(
        emu, spec.get("region", DEFAULT_REGION), spec["InstanceName"],
        spec.get("InstanceType", "basic"), spec.get("ChargeType", "HourlyInstantSettlement"),
        spec.get("PurchaseTime", 1), str(spec.get("ProjectId", "0")), status="Running",
        instance_id=spec.get("InstanceId"))
    for ns_spec in spec.get("namespaces") or []:
        namespaces.new_namespace(emu, doc["InstanceId"], ns_spec["Namespace"],
                                 bool(ns_spec.get("Public", False)))
        for image in ns_spec.get("images") or []:
            images.push(emu, doc, ns_spec["Namespace"], image["repository"], str(image["tag"]),
                        image.get("size"), image.get("digest"))


def _instance_named(emu, name):
    found = emu.store.list(INSTANCE, name=name)
    if not found:
        raise FixtureError("ksyun fixtures: generate: no instance named %s" % name)
    return found[0]


def _generate(emu, generate):
    unknown = set(generate) - {"kcrs.namespace", "kcrs.image"}
    if unknown:
        raise FixtureError("ksyun fixtures: generate: unknown kinds %s" % sorted(unknown))
    spec = generate.get("kcrs.namespace")
    if spec:
        instance = _instance_named(emu, spec["instance"])
        prefix = spec.get("prefix", "ns")
        for number in range(1, int(spec["count"]) + 1):
            namespaces.new_namespace(emu, instance["InstanceId"], "%s%04d" % (prefix, number),
                                     bool(spec.get("public", False)))
    spec = generate.get("kcrs.image")
    if spec:
        instance = _instance_named(emu, spec["instance"])
        for repo in range(1, int(spec["repositories"]) + 1):
            for tag in range(1, int(spec.get("tags", 1)) + 1):
                images.push(emu, instance, spec["namespace"], "repo%04d" % repo, "v%d" % tag)
