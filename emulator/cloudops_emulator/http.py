"""The request and response objects handed between the server and the cloud handlers."""
import json
from email.message import Message
from urllib.parse import parse_qsl, unquote, urlsplit


class Request:
    """One HTTP request as received.

    `path` is the decoded path without the query, `raw_path` the request target exactly as sent
    (with its query), `query` the decoded (key, value) pairs in order, `headers` a
    case-insensitive mapping, `body` the raw bytes.
    """

    __slots__ = ("method", "path", "raw_path", "query", "headers", "body", "host", "scheme",
                 "client_address")

    def __init__(self, method, raw_path, headers, body=b"", scheme="http", client_address=None):
        self.method = method.upper()
        self.raw_path = raw_path
        split = urlsplit(raw_path)
        self.path = unquote(split.path) or "/"
        self.query = parse_qsl(split.query, keep_blank_values=True)
        self.headers = headers if isinstance(headers, Message) else _headers(headers)
        self.body = body or b""
        self.host = self.headers.get("Host", "")
        self.scheme = scheme
        self.client_address = client_address

    @property
    def raw_query(self):
        """The query string exactly as sent (still percent-encoded), '' when absent."""
        return urlsplit(self.raw_path).query

    def json(self):
        """The body parsed as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def __repr__(self):
        return "<Request %s %s>" % (self.method, self.raw_path)


def _headers(pairs):
    msg = Message()
    items = pairs.items() if hasattr(pairs, "items") else pairs
    for name, value in items or ():
        msg[name] = value
    return msg


class Response:
    """A response to send: status, body bytes, headers (a plain dict of name -> value); `cut`:
    None, or how many bytes of the body are sent before the connection closes (a fault)."""

    __slots__ = ("status", "body", "headers", "cut")

    def __init__(self, status, body=b"", headers=None):
        self.status = int(status)
        self.body = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        self.headers = dict(headers or {})
        self.cut = None

    def __repr__(self):
        return "<Response %d %d bytes>" % (self.status, len(self.body))


def json_response(status, obj, headers=None):
    """A JSON response; `Content-Type: application/json` unless the caller sets one."""
    merged = {"Content-Type": "application/json"}
    merged.update(headers or {})
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), merged)
