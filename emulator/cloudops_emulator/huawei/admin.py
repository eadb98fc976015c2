"""Huawei admin hooks: `POST /__admin/vpcep/connect` stands in for another account creating a
VPC endpoint to one of your endpoint services (whitelist or not).

Payload: {"service_id", "domain_id"?, "endpoint_id"?}. `domain_id` defaults to the first fixture
consumer; `endpoint_id` (a UUID not in use) to a new one, so that a documented example naming an
endpoint can run as written. The
endpoint starts `creating` and becomes `pendingAcceptance` (approval enabled) or `accepted` after
`settings.delays["vpcep.endpoint"]` seconds. Answers the connection as ListServiceConnections
shows it, plus `service_id`.
"""
import re

from ..admin import AdminError
from .cgs import admin as cgs_admin
from .fixtures import static
from .vpcep import common, endpoints, services

_DOMAIN_RE = re.compile(r"^[A-Za-z0-9]{1,64}$")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _connect(emu, payload):
    service_id = payload.get("service_id")
    if not isinstance(service_id, str) or not service_id:
        raise AdminError(400, "service_id is required")
    with emu.store.transaction():
        service = emu.store.get(common.SERVICE, service_id)
        if service is not None:
            service = services.settle(emu, service)
        if service is None or service["status"] == "deleting":
            raise AdminError(404, "no endpoint service %s" % service_id)
        consumers = static(emu).consumers
        domain_id = payload.get("domain_id") or (consumers[0] if consumers else None)
        if not isinstance(domain_id, str) or not _DOMAIN_RE.match(domain_id):
            raise AdminError(400, "domain_id must be 1-64 letters or digits")
        endpoint_id = payload.get("endpoint_id")
        if endpoint_id is not None and (not isinstance(endpoint_id, str) or not _UUID_RE.match(endpoint_id)):
            raise AdminError(400, "endpoint_id must be a lower-case UUID")
        if endpoint_id is not None and emu.store.get(common.ENDPOINT, endpoint_id) is not None:
            raise AdminError(409, "endpoint %s exists" % endpoint_id)
        endpoint = endpoints.connect_consumer(emu, service, domain_id, endpoint_id)
    return 200, dict(endpoints.connection_view(endpoint), service_id=service_id)


ADMIN_ROUTES = {("POST", "/__admin/vpcep/connect"): _connect}
# Container nodes joining, changing and leaving (cgs/admin.py).
ADMIN_ROUTES.update(cgs_admin.ADMIN_ROUTES)
