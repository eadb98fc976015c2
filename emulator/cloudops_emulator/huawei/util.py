"""Small helpers shared by the Huawei handlers: ids, times, query and body parsing, answers."""
import datetime
import json
import uuid

from ..http import Response, json_response


def new_id():
    return str(uuid.uuid4())


def new_hex_id():
    return uuid.uuid4().hex


def iso_time(epoch):
    """UTC `YYYY-MM-DDTHH:MM:SSZ` (VPCEP `created_at` / `updated_at`)."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def iso_time_micro(epoch):
    """UTC with microseconds, as Keystone writes `expires_at` / `issued_at`."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def ok(body, status=200, headers=None):
    return json_response(status, body, headers)


def no_content():
    return Response(204, b"")


class Call:
    """One routed request: the emulator, the request, the caller and the path parameters."""

    def __init__(self, emu, request, identity, params, project):
        self.emu = emu
        self.request = request
        self.identity = identity
        self.params = params
        self.project = project  # the path's project ({id, name, domain_id}) or None

    @property
    def region(self):
        return self.project["name"] if self.project else None

    def now(self):
        return self.emu.now()

    def query(self, name, default=None):
        for key, value in self.request.query:
            if key == name:
                return value
        return default

    def query_int(self, name, default, minimum, maximum, error):
        """An integer query parameter within [minimum, maximum]; `error()` builds the failure."""
        raw = self.query(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise error() from None
        if value < minimum or (maximum is not None and value > maximum):
            raise error()
        return value

    def query_choice(self, name, choices, default, error):
        raw = self.query(name)
        if raw is None or raw == "":
            return default
        if raw not in choices:
            raise error()
        return raw

    def body(self, malformed, expect=dict):
        """The JSON body (of type `expect`); `malformed(detail)` builds the failure."""
        content_type = (self.request.headers.get("Content-Type") or "").lower()
        raw = self.request.body
        if not raw.strip():
            raise malformed("the request body is empty")
        if not content_type.startswith("application/json"):
            raise malformed("Content-Type must be application/json")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise malformed("the request body is not valid JSON") from None
        if not isinstance(data, expect):
            raise malformed("the request body must be a JSON %s"
                            % ("array" if expect is list else "object"))
        return data
