"""CGS v5: `GET /v5/{project_id}/container/nodes` (list container nodes).

Nodes come from fixtures only (the API cannot create them). `limit` 1-1000 (default 10; the seed
documents no maximum, 1000 is the emulator's), `offset` >= 0 counted in records, `host_name` a
case-insensitive substring filter, `agent_status` one of `not_installed` or `not_register`
(matching nodes without an agent), `online`, `offline`. Bad values answer 400 HSS.0001. The
per-user rate limit is applied by dispatch().

Readings (`settings["readings"]["cgs"]`, the table in cloudops_emulator/readings.py): `page_cap`
(a lower maximum page size) with `over_cap` `reject` (400, default) or `clamp` (answer `page_cap`
records); `offset` `pages` (offset counts pages of `limit` records from 0), `pages_from_1` (from
1; 0 is page 1 too) or `ignored` (every offset answers the first page); `agent_filter` (which word
for "no agent" the filter takes, the other refused with 400 HSS.0001; or `ignored`);
`agent_answer` (the word nodes without an agent report); `busy` (`once`: the first listing call
after a reset, `always`: every one, answers 202 `{}`); `host_name: exact`; `total: omitted` (no
`total_num` in the answer). The rate-limit readings are played by huawei/ratelimit.py.
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
# The filter says "not_installed" where nodes say "not_register" (seed 004 L389-395, L458-464).
_AGENT_FILTER = {"not_installed": "not_register", "not_register": "not_register", "online": "online",
                 "offline": "offline"}
# Reading `agent_filter`: the filter words for "no agent" each reading takes.
_NO_AGENT_WORDS = {"either": ("not_installed", "not_register"), "not_installed": ("not_installed",),
                   "not_register": ("not_register",), "ignored": ("not_installed", "not_register")}
_BUSY = "cgs.busy"
_FIELDS = ("host_id", "host_name", "host_status", "agent_status", "protect_status")


def invalid_param():
    return HuaweiError(400, "HSS.0001", "invalid param error")


@route("GET", "/v5/{project_id}/container/nodes", "cgs", "ListContainerNodes")
def list_container_nodes(call):
    cap = reading(call.emu, "cgs", "page_cap")
    clamp = reading(call.emu, "cgs", "over_cap") == "clamp"
    limit = call.query_int("limit", 10, 1, None if clamp else cap, invalid_param)
    limit = min(limit, cap)
    offset = _record_offset(call.emu, call.query_int("offset", 0, 0, None, invalid_param), limit)
    host_name = call.query("host_name")
    agent = _agent_filter(call.emu, call.query("agent_status"))
    if _busy(call.emu):
        return ok({}, status=202)
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
    page = [_as_reported(call.emu, node) for node in page]
    if reading(call.emu, "cgs", "total") == "omitted":
        return ok({"data_list": page})
    return ok({"total_num": total, "data_list": page})


def _record_offset(emu, offset, limit):
    """The first record `offset` names under reading `offset`."""
    counts = reading(emu, "cgs", "offset")
    if counts == "pages":
        return offset * limit
    if counts == "pages_from_1":
        return max(0, offset - 1) * limit
    if counts == "ignored":
        return 0
    return offset


def _agent_filter(emu, agent):
    """The filter value to apply (None: no filter), or 400 HSS.0001 for a word the reading refuses."""
    if agent in (None, ""):
        return None
    words = _NO_AGENT_WORDS[reading(emu, "cgs", "agent_filter")]
    if agent not in _AGENT_FILTER or (_AGENT_FILTER[agent] == "not_register" and agent not in words):
        raise invalid_param()
    return None if reading(emu, "cgs", "agent_filter") == "ignored" else agent


def _busy(emu):
    """Whether this listing call meets reading `busy` (202 without the listing's fields)."""
    busy = reading(emu, "cgs", "busy")
    if busy == "always":
        return True
    if busy == "once" and emu.store.get(_BUSY, "answered") is None:
        emu.store.insert(_BUSY, "answered", {"answered": True})
        return True
    return False


def _as_reported(emu, node):
    if node["agent_status"] == "not_register":
        return dict(node, agent_status=reading(emu, "cgs", "agent_answer"))
    return node


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
