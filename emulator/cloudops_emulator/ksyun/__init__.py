"""The KSYUN half of the emulator: kcrs (container registry) and bws (shared bandwidth).

`dispatch(emu, request)` authenticates the request (SigV4, routed by the credential scope's
service), finds the action and runs it inside one store transaction.
"""
from . import render
from .actions import SERVICES, Call
from .admin import ADMIN_ROUTES
from .auth import authenticate, scope_service
from .errors import (KsyunError, dry_run, invalid_method, invalid_parameter, missing_parameter,
                     unknown_action)
from .fixtures import keyring, load_fixtures, regions
from .params import Params, parse_body
from .util import new_id

# Importing the handler modules registers their actions.
from . import bws as _bws  # noqa: F401  pylint: disable=unused-import
from . import kcr as _kcr  # noqa: F401  pylint: disable=unused-import

# Store kind prefixes GET /__admin/state/<service> dumps.
STATE_SERVICES = ("kcrs", "bws", "ksyun")

__all__ = ["dispatch", "service_of", "operation_of", "error_response", "load_fixtures", "ADMIN_ROUTES",
           "STATE_SERVICES"]


def service_of(request):
    """The service named by the credential scope ("kcrs", "bws"), or None."""
    service = scope_service(request)
    return service if service in SERVICES else None


def operation_of(request):
    """The action a request names (query, form body or X-Action header), else None."""
    try:
        params = Params.merged(request.query, parse_body(request))
    except KsyunError:
        return None
    return params.raw("Action") or request.headers.get("X-Action")


def error_response(request, status, code, message):
    return render.error(request, status, code, message, new_id())


def dispatch(emu, request):
    request_id = new_id()
    try:
        return _dispatch(emu, request, request_id)
    except KsyunError as exc:
        return render.error(request, exc.status, exc.code, exc.message, request_id)


def _dispatch(emu, request, request_id):
    if request.method not in ("GET", "POST"):
        raise invalid_method(request.method)
    params = Params.merged(request.query, parse_body(request))
    action_name = params.raw("Action") or request.headers.get("X-Action")
    claimed = service_of(request)
    if claimed and action_name:
        emu.stats.count("%s:%s" % (claimed, action_name))
    identity = authenticate(keyring(emu), regions(emu), SERVICES, request, params, emu.now(),
                            float(emu.settings.get("ksyun_clock_skew", 900)))
    service = SERVICES[identity.service]
    if not action_name:
        raise missing_parameter("Action")
    version = params.raw("Version") or request.headers.get("X-Version")
    if not version:
        raise missing_parameter("Version")
    if version != service.version:
        raise invalid_parameter("Version")
    action = service.actions.get(action_name)
    if action is None:
        raise unknown_action()
    call = Call(emu, request, params, identity, service.name, action_name)
    dry = params.boolean("DryRun", default=False)
    with emu.store.transaction():
        result = action.handler(call)
        if dry:
            # The action ran (so its parameters were validated); raising rolls it back.
            raise dry_run()
    body = {action.request_id_key: request_id}
    body.update(result or {})
    return render.success(request, action_name, service.name, service.version, body,
                          request_id)
