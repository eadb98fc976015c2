"""The Huawei Cloud half of the emulator: IAM (tokens, projects), KPS v3 (SSH keypairs), VPCEP v1
(VPC endpoint services) and CGS v5 (container nodes).

`dispatch(emu, request)` routes by path (routing.py), counts the call under its SDK operation
name, authenticates it (AK/SK or IAM token), checks the project in the path against the caller,
applies CGS's rate limit and runs the handler inside one store transaction.
"""
from ..readings import reading
from . import ratelimit, routing
from .admin import ADMIN_ROUTES
from .auth import authenticate
from .errors import HuaweiError, error_response, keystone_response, not_authorized, not_found_api
from .fixtures import static
from .seed import load_fixtures
from .util import Call, new_hex_id

# Importing the handler modules registers their routes.
from . import cgs as _cgs  # noqa: F401  pylint: disable=unused-import
from . import iam as _iam  # noqa: F401  pylint: disable=unused-import
from . import kps as _kps  # noqa: F401  pylint: disable=unused-import
from . import vpcep as _vpcep  # noqa: F401  pylint: disable=unused-import

# Store kind prefixes GET /__admin/state/<service> dumps.
STATE_SERVICES = ("iam", "kps", "ecs", "vpcep", "cgs")

__all__ = ["dispatch", "service_of", "operation_of", "error_response", "load_fixtures", "ADMIN_ROUTES",
           "STATE_SERVICES"]


def service_of(request):
    """"kps", "vpcep", "cgs" or "iam" for a known API path, else None."""
    return routing.service_for_path(request.path)


def operation_of(request):
    """The SDK operation name of a known API request, else None."""
    try:
        return routing.resolve(request.method, request.path)[0].operation
    except HuaweiError:
        return None


def dispatch(emu, request):
    request_id = new_hex_id()
    keystone = False
    try:
        rte, params = routing.resolve(request.method, request.path)
        keystone = rte.service == "iam"
        emu.stats.count("%s:%s" % (rte.service, rte.operation))
        response = _run(emu, request, rte, params)
    except HuaweiError as exc:
        if keystone and reading(emu, "iam", "error_code") == "absent":
            keystone = "bare"
        if keystone and exc.code.startswith("APIGW."):
            # IAM answers a missing or bad caller the Keystone way (seed 004).
            response = keystone_response(exc.status, "The request you have made requires "
                                         "authentication." if exc.status == 401 else exc.message,
                                         keystone != "bare")
        else:
            response = exc.response(request_id, keystone=keystone)
    response.headers.setdefault("X-Request-Id", request_id)
    return response


def _run(emu, request, rte, params):
    if rte.service == "kps" and reading(emu, "kps", "keypairs_api") == "absent":
        raise not_found_api()  # the gateway knows no such API in this region, before any auth
    identity = authenticate(emu, request) if rte.auth else None
    if rte.service == "kps" and reading(emu, "kps", "keypairs_api") == "forbidden":
        raise not_authorized()
    project = None
    if "project_id" in params:
        project = _project(emu, identity, params["project_id"])
    if rte.service == "cgs":
        # Reading `rate_scope: user`: every access key and token of an IAM user shares one budget.
        key = "user:" + identity.user["id"] if reading(emu, "cgs", "rate_scope") == "user" else identity.rate_key
        readings = {point: reading(emu, "cgs", point) for point in ratelimit.READINGS}
        ratelimit.check(emu, "cgs", key, int(emu.settings.get("cgs_rate_limit") or 0), readings)
    call = Call(emu, request, identity, params, project)
    if rte.service == "vpcep" and project is not None:
        _vpcep.check_served(emu, project, rte.operation)
        _vpcep.prepare(emu, project["id"])
    try:
        with emu.store.transaction():
            return rte.handler(call)
    except HuaweiError as exc:
        if rte.service == "vpcep":
            raise _vpcep.answered_error(emu, exc)
        raise


def _project(emu, identity, project_id):
    """The path's project, which must be the caller's: a token's scope, the `X-Project-Id` of an
    AK/SK request, or (AK/SK without it) any project of the caller's account."""
    project = static(emu).projects_by_id.get(project_id)
    if project is None:
        raise not_authorized()
    if identity.method == "token" and identity.project_id is None:
        raise not_authorized()  # a domain-scoped or unscoped token
    if identity.project_id is not None and identity.project_id != project_id:
        raise not_authorized()
    return project
