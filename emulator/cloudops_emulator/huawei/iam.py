"""IAM: password tokens (`POST /v3/auth/tokens`) and the project lookup (`GET /v3/projects`).

Errors are Keystone-shaped (`{"error": {"code", "message", "title"}}`); dispatch() renders them.

Readings (settings `readings.iam.<point>`, docs/dev/emulator.md): `error_code` "absent" (error bodies
carry only `message`); `login_failure_status` 400 (A: 401 for a wrong user or password);
`expired_token` "APIGW.0301" (A: `401 APIGW.0307` for an expired token); `content_type`
"required" (the seeds mark Content-Type mandatory on every request: a project lookup without it
answers 400; A: taken, as huaweicloudsdkcore sends none).
"""
import secrets

from ..readings import reading
from .auth import TOKEN_KIND, token_key
from .errors import HuaweiError
from .fixtures import static
from .routing import route
from .util import iso_time_micro, ok

TOKEN_LIFETIME = 24 * 3600
# The service catalog a token lists: (type, name), every endpoint pointing at the emulator.
_CATALOG = (("identity", "iam"), ("kms", "kms"), ("vpcep", "vpcep"), ("cgs", "cgs"))


def _bad_request(message):
    return HuaweiError(400, "400", message)


class LoginFailed(HuaweiError):
    """401 with its own message: a failed login (not a missing or invalid caller)."""

    def __init__(self, message):
        super().__init__(401, "401", message)


@route("POST", "/v3/auth/tokens", "iam", "KeystoneCreateUserTokenByPassword", auth=False)
def create_token(call):
    body = call.body(lambda detail: _bad_request("The request body is malformed: %s." % detail))
    auth = body.get("auth")
    if not isinstance(auth, dict) or not isinstance(auth.get("identity"), dict):
        raise _bad_request("Expecting to find auth.identity in the request body.")
    identity = auth["identity"]
    methods = identity.get("methods")
    if not isinstance(methods, list) or "password" not in methods:
        raise LoginFailed("Attempted to authenticate with an unsupported method.")
    tables = static(call.emu)
    try:
        user = _check_password(tables, identity.get("password"))
    except LoginFailed as exc:
        exc.status = reading(call.emu, "iam", "login_failure_status")
        raise
    project, scope_domain = _scope(tables, auth.get("scope"))
    now = call.now()
    token = "MII" + secrets.token_urlsafe(96)
    call.emu.store.insert(TOKEN_KIND, token_key(token), {
        "user_id": user["id"], "project_id": project["id"] if project else None,
        "issued_at": now, "expires_at": now + TOKEN_LIFETIME})
    domain = {"id": tables.domain["id"], "name": tables.domain["name"]}
    body = {"expires_at": iso_time_micro(now + TOKEN_LIFETIME), "issued_at": iso_time_micro(now),
            "methods": ["password"],
            "roles": [{"id": "0", "name": "op_service"}, {"id": "1", "name": "te_admin"}],
            "user": {"id": user["id"], "name": user["name"], "domain": domain,
                     "password_expires_at": ""}}
    if project:
        body["project"] = {"id": project["id"], "name": project["name"], "domain": domain}
    elif scope_domain:
        body["domain"] = domain
    if (call.query("nocatalog") or "").lower() != "true":
        body["catalog"] = _catalog(call, project)
    return ok({"token": body}, status=201, headers={"X-Subject-Token": token})


def _check_password(tables, password):
    if not isinstance(password, dict) or not isinstance(password.get("user"), dict):
        raise _bad_request("Expecting to find identity.password.user in the request body.")
    spec = password["user"]
    user = None
    if spec.get("id"):
        user = tables.users_by_id.get(spec["id"])
    elif spec.get("name"):
        domain = spec.get("domain") if isinstance(spec.get("domain"), dict) else {}
        if not (domain.get("name") or domain.get("id")):
            raise _bad_request("Expecting to find domain in user.")
        if domain.get("name", tables.domain["name"]) == tables.domain["name"] and \
                domain.get("id", tables.domain["id"]) == tables.domain["id"]:
            user = tables.users.get(spec["name"])
    else:
        raise _bad_request("Expecting to find the user name or id in the request body.")
    given = spec.get("password")
    if user is None or not isinstance(given, str) or not secrets.compare_digest(
            given.encode("utf-8"), str(user["password"]).encode("utf-8")):
        raise LoginFailed("The username or password is wrong.")
    return user


def _scope(tables, scope):
    """(project or None, domain-scoped?)"""
    if scope is None:
        return None, False
    if not isinstance(scope, dict):
        raise _bad_request("Invalid scope.")
    if isinstance(scope.get("project"), dict):
        spec = scope["project"]
        project = tables.projects_by_id.get(spec.get("id")) or \
            tables.projects_by_name.get(spec.get("name"))
        if project is None:
            raise _bad_request("Could not find project: %s." % (spec.get("name") or spec.get("id")))
        return project, False
    if isinstance(scope.get("domain"), dict):
        return None, True
    raise _bad_request("Invalid scope.")


def _catalog(call, project):
    base = "%s://%s" % (call.request.scheme, call.request.host)
    region = project["name"] if project else None
    return [{"type": kind, "name": name, "id": "%s-%s" % (name, index),
             "endpoints": [{"id": "%s-endpoint-%s" % (name, index), "interface": "public",
                            "region": region or "*", "region_id": region or "*", "url": base}]}
            for index, (kind, name) in enumerate(_CATALOG)]


@route("GET", "/v3/projects", "iam", "KeystoneListProjects")
def list_projects(call):
    if reading(call.emu, "iam", "content_type") == "required" and not call.request.headers.get("Content-Type"):
        raise _bad_request("The request is missing the Content-Type header.")
    tables = static(call.emu)
    base = "%s://%s" % (call.request.scheme, call.request.host)
    wanted = {key: call.query(key) for key in ("name", "domain_id", "parent_id", "id")}
    projects = []
    for project in tables.projects:
        if any(value is not None and project.get(key, tables.domain["id"]) != value
               for key, value in wanted.items() if key != "parent_id"):
            continue
        if wanted["parent_id"] not in (None, tables.domain["id"]):
            continue
        if (call.query("is_domain") or "false").lower() == "true":
            continue
        projects.append({"id": project["id"], "name": project["name"],
                         "domain_id": tables.domain["id"], "parent_id": tables.domain["id"],
                         "is_domain": False, "enabled": True, "description": "",
                         "links": {"self": "%s/v3/projects/%s" % (base, project["id"]),
                                   "next": None, "previous": None}})
    return ok({"projects": projects,
               "links": {"self": base + "/v3/projects", "next": None, "previous": None}})
