"""The `huawei:` fixture section as data: static tables (credentials, projects, networks, KMS keys,
public endpoint services) that request handlers read at request time. It imports no service:
seed.py, which the services do not import, puts the section's servers, nodes and generated data
into the store.

Section layout (fixtures/huawei.yaml has the defaults):
  domain: {id, name}
  users: [{name, id, password}]
  access_keys: [{access_key, secret_key, user, sts?: bool, security_tokens?: [...]}]
  projects: [{name: <region>, id}]
  vpcs: [{id, name?, cidr, region?, subnets: [{id, cidr, name?}], ports: [{id, ip?}]}]
  kms_keys: [{alias, id, region?}]
  ecs_servers: [{id, name, status?, region?, keypair_name?}]
  cgs_nodes: [{host_id, host_name, host_status, agent_status, protect_status, region?}]
  vpcep: {consumers: [<domain id>], quotas: {endpoint_service, endpoint},
          public_services: [{id, service_name, owner?, service_type?, is_charge?, region?}]}
  generate: {cgs.node: {count, prefix?, region?}, kps.keypair: {count, prefix?, region?}}
An entry without `region` belongs to every region (project) of the section.
"""
from ..core import FixtureError

DEFAULT_REGION = "cn-north-4"

_cache = {}


class Static:
    """Lookup tables over one fixture section."""

    def __init__(self, section):
        self.section = section
        self.domain = dict(section.get("domain") or {"id": "emulator-domain", "name": "emulator"})
        self.users = {u["name"]: dict(u) for u in section.get("users") or []}
        self.users_by_id = {u["id"]: u for u in self.users.values()}
        self.access_keys = {k["access_key"]: dict(k) for k in section.get("access_keys") or []}
        self.projects = [dict(p, domain_id=self.domain["id"])
                         for p in section.get("projects") or []]
        self.projects_by_id = {p["id"]: p for p in self.projects}
        self.projects_by_name = {p["name"]: p for p in self.projects}
        self.vpcs = {v["id"]: v for v in section.get("vpcs") or []}
        self.ports = {}
        for vpc in self.vpcs.values():
            for port in vpc.get("ports") or []:
                self.ports[port["id"]] = dict(port, vpc_id=vpc["id"])
        self.kms_keys = list(section.get("kms_keys") or [])
        vpcep = section.get("vpcep") or {}
        self.consumers = list(vpcep.get("consumers") or [])
        self.public_services = list(vpcep.get("public_services") or [])
        self.quotas = dict({"endpoint_service": 20, "endpoint": 50}, **(vpcep.get("quotas") or {}))

    def in_region(self, entry, region):
        return entry.get("region") in (None, region)

    def kms_key(self, region, key_id=None, alias=None):
        for key in self.kms_keys:
            if self.in_region(key, region) and (key["id"] == key_id or key["alias"] == alias):
                return key
        return None

    def vpc(self, vpc_id, region):
        vpc = self.vpcs.get(vpc_id)
        return vpc if vpc is not None and vpc.get("region", DEFAULT_REGION) == region else None


def static(emu):
    """The Static tables of the loaded fixtures (rebuilt when the fixtures are reloaded)."""
    fixtures = emu.fixtures
    cached = _cache.get("static")
    if cached is None or cached[0] is not fixtures:
        cached = (fixtures, Static(fixtures.get("huawei") or {}))
        _cache["static"] = cached
    return cached[1]


def projects_of(tables, entry, regions):
    region = entry.get("region")
    if region is not None and region not in regions:
        raise FixtureError("huawei fixtures: unknown region %r" % region)
    return [p for p in tables.projects if region in (None, p["name"])]


def check(tables):
    for key in tables.access_keys.values():
        if not key.get("access_key") or not key.get("secret_key"):
            raise FixtureError("huawei fixtures: every access key needs access_key and secret_key")
        if key.get("user") not in tables.users:
            raise FixtureError("huawei fixtures: access key %s names unknown user %r"
                               % (key["access_key"], key.get("user")))
    for user in tables.users.values():
        if not user.get("id") or not user.get("password"):
            raise FixtureError("huawei fixtures: user %r needs an id and a password"
                               % user.get("name"))
    if not tables.projects:
        raise FixtureError("huawei fixtures: at least one project is required")
