"""ECS servers, the side of a keypair binding that KPS cannot show (as plugins/module_utils/kps/
servers.py): seeded from the fixtures (`ecs_servers`), changed by the binding tasks (tasks.py), read
through ECS ShowServer and ListServersDetails on the ECS host (`key_name`: which keypair the server
has). ShowServer's errors are ECS's `{"error": {"code", "message"}}`. ListServersDetails pages by
`offset` (the page number, from 1) and `limit` (1-1000, default 25), as the ECS API reference says.
"""
from ...http import json_response
from ..routing import route
from ..util import ok

SERVER = "ecs.server"


def seed_server(emu, project, spec):
    doc = {"id": spec["id"], "name": spec.get("name", spec["id"]),
           "status": spec.get("status", "ACTIVE"), "keypair_name": spec.get("keypair_name")}
    emu.store.insert(SERVER, "%s/%s" % (project["id"], doc["id"]), doc, parent=project["id"])


def _view(server):
    return {"id": server["id"], "name": server["name"], "status": server["status"],
            "key_name": server.get("keypair_name") or "", "metadata": {}}


@route("GET", "/v1/{project_id}/cloudservers/detail", "ecs", "ListServersDetails")
def list_servers_details(call):
    def invalid():
        return json_response(400, {"error": {"code": "Ecs.0005", "message": "Invalid offset or limit."}})
    try:
        offset = int(call.query("offset") or 1)
        limit = int(call.query("limit") or 25)
    except ValueError:
        return invalid()
    if offset < 1 or not 1 <= limit <= 1000:
        return invalid()
    servers = sorted(call.emu.store.list(SERVER, parent=call.project["id"]), key=lambda d: d["id"])
    page = servers[(offset - 1) * limit:offset * limit]
    return ok({"count": len(servers), "servers": [_view(s) for s in page]})


@route("GET", "/v1/{project_id}/cloudservers/{server_id}", "ecs", "ShowServer")
def show_server(call):
    server = call.emu.store.get(SERVER, "%s/%s" % (call.project["id"], call.params["server_id"]))
    if server is None:
        return json_response(404, {"error": {
            "code": "Ecs.0114",
            "message": "Instance[%s] could not be found." % call.params["server_id"]}})
    return ok({"server": _view(server)})
