"""ECS servers, the side of a keypair binding that KPS cannot show (as plugins/module_utils/kps/
servers.py): seeded from the fixtures (`ecs_servers`), changed by the binding tasks (tasks.py), read
through ECS ShowServer on the ECS host (`key_name`: which keypair the server has). ShowServer's
errors are ECS's `{"error": {"code", "message"}}`.
"""
from ...http import json_response
from ..routing import route
from ..util import ok

SERVER = "ecs.server"


def seed_server(emu, project, spec):
    doc = {"id": spec["id"], "name": spec.get("name", spec["id"]),
           "status": spec.get("status", "ACTIVE"), "keypair_name": spec.get("keypair_name")}
    emu.store.insert(SERVER, "%s/%s" % (project["id"], doc["id"]), doc, parent=project["id"])


@route("GET", "/v1/{project_id}/cloudservers/{server_id}", "ecs", "ShowServer")
def show_server(call):
    server = call.emu.store.get(SERVER, "%s/%s" % (call.project["id"], call.params["server_id"]))
    if server is None:
        return json_response(404, {"error": {
            "code": "Ecs.0114",
            "message": "Instance[%s] could not be found." % call.params["server_id"]}})
    return ok({"server": {"id": server["id"], "name": server["name"],
                          "status": server["status"], "key_name": server.get("keypair_name") or "",
                          "metadata": {}}})
