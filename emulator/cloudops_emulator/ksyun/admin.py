"""KSYUN admin hooks: `POST /__admin/kcr/push` stands in for `docker push`.

Payload: {"instance_id" | "instance_name", "namespace", "repository", "tag", "size"?,
"digest"?}. The instance must be Running and the namespace must exist; the repository is
created if needed (within the repository quota), then the image and tag, and PushImage webhook
logs are written. Answers the pushed image (ImageId is its sha256 digest).
"""
from ..admin import AdminError
from .errors import KsyunError
from .kcr.common import INSTANCE, refresh_instance
from .kcr.images import push


def _instance(emu, payload):
    store = emu.store
    if payload.get("instance_id"):
        doc = store.get(INSTANCE, str(payload["instance_id"]))
    elif payload.get("instance_name"):
        found = store.list(INSTANCE, name=str(payload["instance_name"]))
        doc = found[0] if found else None
    else:
        raise AdminError(400, "instance_id or instance_name is required")
    doc = refresh_instance(store, doc, emu.now()) if doc else None
    if doc is None:
        raise AdminError(404, "InstanceNotFound: no such instance")
    if doc["InstanceStatus"] != "Running":
        raise AdminError(409, "IncorrectInstanceStatus: the instance is %s"
                         % doc["InstanceStatus"])
    return doc


def push_image(emu, payload):
    for key in ("namespace", "repository", "tag"):
        if not isinstance(payload.get(key), str) or not payload[key]:
            raise AdminError(400, "%s is required (a string)" % key)
    try:
        with emu.store.transaction():
            instance = _instance(emu, payload)
            result = push(emu, instance, payload["namespace"], payload["repository"],
                          payload["tag"], payload.get("size"), payload.get("digest"))
    except KsyunError as exc:
        raise AdminError(exc.status, "%s: %s" % (exc.code, exc.message)) from None
    return 200, result


ADMIN_ROUTES = {("POST", "/__admin/kcr/push"): push_image}
