"""CGS admin hooks: what happens to container nodes outside the API, which cannot create them (a
node joins a cluster, its agent goes offline, protection is switched off, the node is removed).

`POST /__admin/cgs/node` `{"region"?, "host_id"?, "host_name"?, "host_status"?, "agent_status"?,
"protect_status"?}`: in the project of `region` (default `cn-south-4`, where CGS is documented),
changes the given fields of the node `host_id` (or, without `host_id`, of the node named
`host_name`), or adds the node when there is none (`host_name` required; `host_id` derived from
the name when not given; statuses default to `ACTIVE`, `online`, `opened`). Answers the node as
ListContainerNodes shows it, plus `region` and `created`.

`DELETE /__admin/cgs/node` `{"region"?, "host_id"}`: removes the node. Answers `{"removed":
host_id}`; 404 unknown node.
"""
import uuid

from ...admin import AdminError
from ..fixtures import static
from . import nodes

DEFAULT_REGION = "cn-south-4"
DEFAULTS = {"host_status": "ACTIVE", "agent_status": "online", "protect_status": "opened"}
STATUSES = {"host_status": nodes.HOST_STATUSES, "agent_status": nodes.AGENT_STATUSES,
            "protect_status": nodes.PROTECT_STATUSES}


def _project_id(emu, payload):
    region = payload.get("region") or DEFAULT_REGION
    project = static(emu).projects_by_name.get(region)
    if project is None:
        raise AdminError(404, "no project for region %r" % region)
    return project["id"]


def _key(project_id, host_id):
    return "%s/%s" % (project_id, host_id)


def _find(emu, project_id, payload):
    """The stored node the payload names (by `host_id`, else by `host_name`), or None."""
    host_id = payload.get("host_id")
    if host_id:
        return emu.store.get(nodes.NODE, _key(project_id, host_id))
    if not payload.get("host_name"):
        return None
    named = emu.store.list(nodes.NODE, parent=project_id, name=payload["host_name"])
    return named[0] if named else None


def _check(node):
    for field, allowed in STATUSES.items():
        if node[field] not in allowed:
            raise AdminError(400, "%s must be one of %s, not %r" % (field, ", ".join(allowed), node[field]))
    if not isinstance(node["host_name"], str) or not isinstance(node["host_id"], str):
        raise AdminError(400, "host_name and host_id must be strings")


def _put_node(emu, payload):
    project_id = _project_id(emu, payload)
    with emu.store.transaction():
        node = _find(emu, project_id, payload)
        created = node is None
        if created:
            if not payload.get("host_name"):
                raise AdminError(400, "host_name is required to add a node")
            node = dict(DEFAULTS, host_name=payload["host_name"], host_id=payload.get("host_id") or str(
                uuid.uuid5(uuid.NAMESPACE_DNS, "%s.%s.cgs" % (payload["host_name"], project_id))))
        node.update((field, payload[field]) for field in tuple(STATUSES) + ("host_name",) if payload.get(field))
        _check(node)
        if created:
            nodes.seed_node(emu, project_id, node)
        else:
            emu.store.update(nodes.NODE, _key(project_id, node["host_id"]), node, name=node["host_name"])
    return 200, dict(node, region=payload.get("region") or DEFAULT_REGION, created=created)


def _delete_node(emu, payload):
    project_id = _project_id(emu, payload)
    host_id = payload.get("host_id")
    if not isinstance(host_id, str) or not host_id:
        raise AdminError(400, "host_id is required")
    if not emu.store.delete(nodes.NODE, _key(project_id, host_id)):
        raise AdminError(404, "no container node %s in that region" % host_id)
    return 200, {"removed": host_id}


ADMIN_ROUTES = {("POST", "/__admin/cgs/node"): _put_node, ("DELETE", "/__admin/cgs/node"): _delete_node}
