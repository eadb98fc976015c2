"""The admin API under /__admin: counters, reset, faults, settings, the fixtures' ids
(fixture_ids.py), and cloud-specific hooks.

A cloud package may add routes by exposing `ADMIN_ROUTES = {(method, path): handler}`, where
`handler(emu, payload) -> (status, json_obj)` and `payload` is the parsed JSON body (or {}).
Handlers signal a bad payload by raising `AdminError`.

`GET /__admin/state/<service>` dumps the stored records of one service (kinds `<service>.*`) as
they are, so tests can check the cloud's state without going through any API code; secrets in
them (private keys, webhook header values...) are masked unless the query has `secrets=1`. A
cloud package lists the services it stores as `STATE_SERVICES`.

When the emulator has an admin token (`Emulator(admin_token=...)`), every admin request must
carry it in the `X-Emulator-Admin-Token` header.
"""
import hmac

from .core import CLOUDS, FixtureError, cloud_package
from .faults import FaultError
from .fixture_ids import rows
from .http import json_response


class AdminError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _stats(emu, payload):
    return 200, {"calls": emu.stats.snapshot()}


def _clear_stats(emu, payload):
    emu.stats.clear()
    return 200, {"calls": {}}


def _reset(emu, payload):
    try:
        emu.reset(overrides=payload or None)
    except FixtureError as exc:
        raise AdminError(400, str(exc)) from None
    return 200, {"reset": True}


def _get_faults(emu, payload):
    return 200, {"faults": emu.faults.config()}


def _cuts(emu, with_secrets):
    """The answers the cut fault cut short; their bodies (which may carry a new secret) only with
    ``?secrets=1``."""
    cuts = emu.faults.cuts()
    if not with_secrets:
        for cut in cuts:
            cut["body"] = MASK
    return 200, {"cuts": cuts}


def _set_faults(emu, payload):
    try:
        return 200, {"faults": emu.faults.configure(payload)}
    except FaultError as exc:
        raise AdminError(400, str(exc)) from None


def _get_settings(emu, payload):
    return 200, {"settings": emu.settings}


def _set_settings(emu, payload):
    try:
        return 200, {"settings": emu.update_settings(payload)}
    except FixtureError as exc:
        raise AdminError(400, str(exc)) from None


def _fixtures(emu, payload):
    return 200, {"fixtures": rows(emu.fixtures)}


def _health(emu, payload):
    return 200, {"status": "ok"}


CORE_ROUTES = {
    ("GET", "/__admin/health"): _health,
    ("GET", "/__admin/stats"): _stats,
    ("DELETE", "/__admin/stats"): _clear_stats,
    ("POST", "/__admin/reset"): _reset,
    ("GET", "/__admin/fixtures"): _fixtures,
    ("GET", "/__admin/faults"): _get_faults,
    ("POST", "/__admin/faults"): _set_faults,
    ("GET", "/__admin/settings"): _get_settings,
    ("POST", "/__admin/settings"): _set_settings,
}


STATE_PREFIX = "/__admin/state/"
CUTS_PATH = "/__admin/faults/cuts"
TOKEN_HEADER = "X-Emulator-Admin-Token"
MASK = "<secret: add ?secrets=1 to see it>"


def _masked(value):
    # None and "" stay as they are: they show that there is no secret.
    return MASK if value else value


def _masked_header_values(headers):
    """KCR webhook headers, [{"Key": name, "Value": [values]}]: the names stay, the values go."""
    return [dict(header, Value=[MASK for _value in header.get("Value") or ()])
            for header in headers or ()]


# Fields of stored records that hold a secret, and how each is masked in a state dump.
SECRET_FIELDS = {
    "private_key": _masked,   # kps.keypair: the escrowed private key
    "auth_key": _masked,      # kps.task: the current private key of a pending replace
    "password": _masked,
    "secret_key": _masked,
    "security_token": _masked,
    "token": _masked,
    "_headers": _masked_header_values,  # kcrs.trigger: the webhook's (secret) headers
}


def mask_secrets(value):
    """`value` (a stored document, or any part of one) with every secret field masked."""
    if isinstance(value, dict):
        return {key: SECRET_FIELDS[key](item) if key in SECRET_FIELDS else mask_secrets(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value


def state_services():
    services = set()
    for cloud in CLOUDS:
        package = cloud_package(cloud)
        services.update(getattr(package, "STATE_SERVICES", None) or ())
    return services


def _state(emu, service, with_secrets):
    services = state_services()
    if service not in services:
        raise AdminError(404, "no service %r; known: %s" % (service, ", ".join(sorted(services))))
    kinds = {}
    for record in emu.store.records(service + "."):
        if not with_secrets:
            record["doc"] = mask_secrets(record["doc"])
        kinds.setdefault(record.pop("kind"), []).append(record)
    return 200, {"service": service, "kinds": kinds}


def _wants_secrets(request):
    values = [value for key, value in request.query if key == "secrets"]
    if values and values[-1] not in ("0", "1"):
        raise AdminError(400, "secrets: must be 0 or 1, not %r" % values[-1])
    return values[-1:] == ["1"]


def _refusal(emu, request):
    """The answer refusing a request without the right admin token, or None to let it through."""
    if not emu.admin_token:
        return None
    given = request.headers.get(TOKEN_HEADER)
    if not given:
        return json_response(401, {"error": "the admin API requires the admin token in the %s "
                                            "header" % TOKEN_HEADER})
    if not hmac.compare_digest(given.encode(), emu.admin_token.encode()):
        return json_response(403, {"error": "the %s header does not hold the admin token"
                                            % TOKEN_HEADER})
    return None


def routes():
    table = dict(CORE_ROUTES)
    for cloud in CLOUDS:
        package = cloud_package(cloud)
        table.update(getattr(package, "ADMIN_ROUTES", None) or {})
    return table


def handle(emu, request):
    refusal = _refusal(emu, request)
    if refusal is not None:
        return refusal
    path = request.path.rstrip("/") or "/"
    if path.startswith(STATE_PREFIX) or path == CUTS_PATH:
        if request.method != "GET":
            return json_response(405, {"error": "method %s not allowed on %s" % (request.method, path)})
        try:
            if path == CUTS_PATH:
                status, body = _cuts(emu, _wants_secrets(request))
            else:
                status, body = _state(emu, path[len(STATE_PREFIX):], _wants_secrets(request))
        except AdminError as exc:
            return json_response(exc.status, {"error": exc.message})
        return json_response(status, body)
    table = routes()
    handler = table.get((request.method, path))
    if handler is None:
        if any(p == path for _method, p in table):
            return json_response(405, {"error": "method %s not allowed on %s"
                                       % (request.method, path)})
        return json_response(404, {"error": "no admin endpoint %s" % path})
    try:
        payload = request.json() if request.body.strip() else {}
    except ValueError:
        return json_response(400, {"error": "the body is not valid JSON"})
    if not isinstance(payload, dict):
        return json_response(400, {"error": "the body must be a JSON object"})
    try:
        status, body = handler(emu, payload)
    except AdminError as exc:
        return json_response(exc.status, {"error": exc.message})
    return json_response(status, body)
