"""CGS v5: `GET /v5/{project_id}/container/nodes` (list container nodes).

Nodes come from fixtures only (the API cannot create them). `limit` 1-1000 (default 10; the seed
documents no maximum, 1000 is the emulator's), `offset` >= 0 counted in records, `host_name` a
case-insensitive substring filter, `agent_status` one of `not_installed` (matching nodes that
report `not_register`), `online`, `offline`. Bad values answer 400 HSS.0001. The per-user rate
limit is applied by dispatch().

Readings (`settings["readings"]["cgs"]`, the table in cloudops_emulator/readings.py): `page_cap`
(a lower maximum page size) with `over_cap` `reject` (400, default) or `clamp` (answer `page_cap`
records); `offset: pages` (offset counts pages of `limit` records); `host_name: exact`; `total: omitted`
(no `total_num` in the answer). The
rate-limit readings are played by huawei/ratelimit.py.
"""
import uuid

from ...core import FixtureError
from ...readings import reading
from ..errors import HuaweiError
from ..routing import route
from ..util import ok

NODE = "cgs.node"
HOST_STATUSES = ("ACTIVE", "SHUTOFF", "BUILDING", "ERROR")
AGENT_STATUSES = ("not_register", "online", "offline")
PROTECT_STATUSES = ("closed", "opened")
# The filter says "not_installed" where nodes say "not_register" (seed 004 and both SDKs).
_AGENT_FILTER = {"not_installed": "not_register", "online": "online", "offline": "offline"}
_FIELDS = ("host_id", "host_name", "host_status", "agent_status", "protect_status")


def invalid_param():
    return HuaweiError(400, "HSS.0001", "invalid param error")


@route("GET", "/v5/{project_id}/container/nodes", "cgs", "ListContainerNodes")
def list_container_nodes(call):
    cap = reading(call.emu, "cgs", "page_cap")
    clamp = reading(call.emu, "cgs", "over_cap") == "clamp"
    limit = call.query_int("limit", 10, 1, None if clamp else cap, invalid_param)
    limit = min(limit, cap)
    offset = call.query_int("offset", 0, 0, None, invalid_param)
    if reading(call.emu, "cgs", "offset") == "pages":
        offset *= limit
    host_name = call.query("host_name")
    agent = call.query("agent_status")
    if agent not in (None, "") and agent not in _AGENT_FILTER:
        raise invalid_param()
    store, parent = call.emu.store, call.project["id"]
    if not host_name and not agent:
        total = store.count(NODE, parent=parent)
        page = store.list(NODE, parent=parent, offset=offset, limit=limit)
    else:
        wanted_agent = _AGENT_FILTER.get(agent)
        exact = reading(call.emu, "cgs", "host_name") == "exact"
        matches = [node for node in store.list(NODE, parent=parent)
                   if _name_matches(exact, host_name, node["host_name"])
                   and (wanted_agent is None or node["agent_status"] == wanted_agent)]
        total, page = len(matches), matches[offset:offset + limit]
    if reading(call.emu, "cgs", "total") == "omitted":
        return ok({"data_list": page})
    return ok({"total_num": total, "data_list": page})


def _name_matches(exact, wanted, name):
    if not wanted:
        return True
    if exact:
        return wanted == name
    return wanted.lower() in name.lower()


def seed_node(emu, project_id, spec):
    node = {field: spec[field] for field in _FIELDS}
    _check(node)
    emu.store.insert(NODE, "%s/%s" % (project_id, node["host_id"]), node, parent=project_id,
                     name=node["host_name"])


def generate_nodes(emu, project_id, count, prefix):
    """`count` nodes named `<prefix>-00001`..., statuses cycling so that filters have work."""
    for index in range(1, count + 1):
        name = "%s-%05d" % (prefix, index)
        seed_node(emu, project_id, {
            "host_id": str(uuid.uuid5(uuid.NAMESPACE_DNS, "%s.%s.cgs" % (name, project_id))),
            "host_name": name,
            "host_status": HOST_STATUSES[index % len(HOST_STATUSES)],
            "agent_status": AGENT_STATUSES[index % len(AGENT_STATUSES)],
            "protect_status": PROTECT_STATUSES[index % len(PROTECT_STATUSES)]})


def _check(node):
    for field, allowed in (("host_status", HOST_STATUSES), ("agent_status", AGENT_STATUSES),
                           ("protect_status", PROTECT_STATUSES)):
        if node[field] not in allowed:
            raise FixtureError("huawei fixtures: container node %s: %s must be one of %s"
                               % (node["host_name"], field, ", ".join(allowed)))
