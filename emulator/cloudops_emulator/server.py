"""The HTTP(S) front door: one port, keep-alive, routing to the admin API and the two clouds.

Routing: `/__admin/...` goes to the admin API; a request carrying KSYUN authentication (an
`AWS4-HMAC-SHA256` Authorization header or `X-Amz-Credential` in the query or form body), or for
path `/`, goes to the KSYUN dispatcher; everything else to the Huawei dispatcher. Injected faults
are applied here, before dispatch. A handler that raises produces the cloud's own 500 error.
`handle(emu, request)` does all of that for one request, so it serves in process too (the
collection's unit tests).
"""
import logging
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import admin
from .core import cloud_package
from .http import Request, json_response

MAX_BODY = 12 * 1024 * 1024
log = logging.getLogger("cloudops_emulator")


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emulator, ssl_context=None):
        super().__init__(address, Handler)
        self.emulator = emulator
        self.ssl_context = ssl_context
        self.scheme = "https" if ssl_context else "http"

    def get_request(self):
        conn, addr = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.ssl_context is not None:
            # The handshake happens in the worker thread (first read), not in the accept loop.
            conn = self.ssl_context.wrap_socket(conn, server_side=True,
                                                do_handshake_on_connect=False)
        return conn, addr

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout)):
            # A client that went away or failed the TLS handshake: not the server's problem.
            log.debug("connection from %s ended: %s", client_address[0], exc)
        else:
            log.exception("error on the connection from %s", client_address[0])

    @property
    def url(self):
        host, port = self.server_address[:2]
        return "%s://%s:%d" % (self.scheme, host, port)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 300  # seconds an idle keep-alive connection is kept
    server_version = "cloudops-emulator/0.1"
    sys_version = ""

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    # Errors found by the HTTP parser itself (bad request line, oversized headers): a short JSON
    # answer rather than the standard library's HTML page.
    error_message_format = '{"error": {"code": %(code)d, "message": "%(message)s"}}'
    error_content_type = "application/json"

    def log_message(self, fmt, *args):
        # The default handler logs the request line, which may carry presigned signatures or
        # security tokens in its query; log the method and path only.
        pass

    def _handle(self):
        started = time.monotonic()
        emu = self.server.emulator
        target = self.path
        cloud = _cloud_by_headers(self)
        body, problem = self._read_body()
        if problem:
            # The rest of an unread or malformed body would poison the connection: close it.
            self.close_connection = True
            bare = self._bare_request()
            return self._send(_error(cloud or _cloud_of(bare), bare, problem))
        request = Request(self.command, target, self.headers, body,
                          scheme=self.server.scheme, client_address=self.client_address)
        response = handle(emu, request, cloud)
        if response is None:  # a dropped connection
            self.close_connection = True
            return None
        self._send(response)
        log.debug("%s %s -> %d (%.1f ms)", request.method, request.path, response.status,
                  (time.monotonic() - started) * 1000)
        return None

    def _read_body(self):
        """(body, None), or (None, error kind) for a bad length or a body over 12 MB."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return _read_chunked(self.rfile)
        length = _content_length(self.headers)
        if length is None:
            return None, "bad_length"
        if length > MAX_BODY:
            return None, "too_large"  # refused without reading it
        return (self.rfile.read(length) if length else b""), None

    def _bare_request(self):
        return Request(self.command, self.path, self.headers, b"", scheme=self.server.scheme,
                       client_address=self.client_address)

    def _send(self, response):
        self.send_response(response.status)
        headers = response.headers
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body if response.cut is None else response.body[:response.cut])
        if response.cut is not None:  # the whole length was announced: the client sees it cut short
            self.close_connection = True


def handle(emu, request, cloud=None, sleep=time.sleep):
    """The answer to one request: a Response, or None for a dropped connection.

    What the HTTP handler does with a request once it has been read, also usable without HTTP
    (the collection's unit tests hand requests over in process): `/__admin/...` goes to the admin
    API; otherwise injected faults are applied (`sleep` waits out injected latency), then the
    cloud's dispatcher answers; a handler that raises produces the cloud's own 500 error.
    `cloud` is "ksyun" when the caller already knows it (None: decided from the request).
    """
    cloud = cloud or _cloud_by_request(request)
    try:
        return _route(emu, request, cloud, sleep)
    except Exception:  # pylint: disable=broad-except
        log.exception("unhandled error serving %s %s", request.method, request.path)
        return _error(cloud or _cloud_of(request), request, "internal")


def _route(emu, request, cloud, sleep):
    if request.path.startswith("/__admin"):
        return admin.handle(emu, request)
    cloud = cloud or _cloud_of(request)
    package = cloud_package(cloud)
    if package is None:
        return json_response(501, {"error": "the %s emulator is not installed" % cloud})
    decision = emu.faults.decide(package.service_of(request), lambda: package.operation_of(request))
    if decision.latency:
        sleep(decision.latency)
    if decision.action == "drop":
        return None
    if decision.action == "error":
        return _error(cloud, request, "unavailable", decision.error_status, decision.error_code,
                      decision.error_message)
    if decision.action == "throttle":
        return _error(cloud, request, "throttled")
    response = package.dispatch(emu, request)
    if decision.action == "lose":
        return None  # carried out, but the answer never arrives
    if decision.action == "late_error":
        return _error(cloud, request, "unavailable", decision.error_status)  # carried out all the same
    if decision.action == "cut" and response.body:
        response.cut = decision.cut_at(response.body)
        emu.faults.record_cut(package.operation_of(request), response.status, response.body, response.cut)
    return response


def _read_chunked(stream):
    chunks, total = [], 0
    while True:
        line = stream.readline(1024).split(b";", 1)[0].strip()
        try:
            size = int(line, 16)
        except ValueError:
            return None, "bad_length"
        if size == 0:
            while stream.readline(1024).strip():  # trailers
                pass
            return b"".join(chunks), None
        total += size
        if total > MAX_BODY:
            return None, "too_large"
        chunks.append(stream.read(size))
        stream.readline(16)  # the CRLF after each chunk


def _content_length(headers):
    value = headers.get("Content-Length")
    if value is None:
        return 0
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


def _cloud_by_headers(handler):
    """'ksyun' when the headers or the query show KSYUN auth, else None (decided later)."""
    return _ksyun_auth(handler.headers, handler.path)


def _cloud_by_request(request):
    return _ksyun_auth(request.headers, request.raw_path)


def _ksyun_auth(headers, target):
    auth = headers.get("Authorization", "") or ""
    if auth.startswith("AWS4-") or "X-Amz-Credential=" in target:
        return "ksyun"
    return None


def _cloud_of(request):
    if request.path == "/":
        return "ksyun"
    if b"X-Amz-Credential=" in request.body[:65536]:
        return "ksyun"
    return "huawei"


# The cloud-specific error answers the front door gives itself.
_KSYUN_ERRORS = {
    "throttled": (409, "LimitExceeded", "Request was rejected because the request speed of this "
                  "openAPI is beyond the current flow control limit."),
    "unavailable": (503, "ServiceUnavailable", "OpenAPI or Service is unavailable because of an "
                    "unknown error, exception or failure."),
    "internal": (500, "ServiceUnavailable", "OpenAPI or Service is unavailable because of an "
                 "unknown error, exception or failure."),
    "too_large": (413, "RequestEntityTooLarge", "The request body exceeds 12 MB."),
    "bad_length": (400, "InvalidParameterValue", "The Content-Length header is not a number."),
}
_HUAWEI_ERRORS = {
    "throttled": (429, "APIGW.0308", "The throttling threshold has been reached."),
    "unavailable": (503, "APIGW.0203", "Backend unavailable."),
    "internal": (500, "APIGW.0202", "Backend error."),
    "too_large": (413, "APIGW.0201", "Request entity too large: the body exceeds 12 MB."),
    "bad_length": (400, "APIGW.0201", "Bad request: the Content-Length header is not a number."),
}


def _error(cloud, request, kind, status=None, code=None, message=None):
    """The `kind` of error in the cloud's own shape (`status`, `code`, `message` override the
    kind's own)."""
    cloud = cloud or "huawei"
    package = cloud_package(cloud)
    table = _KSYUN_ERRORS if cloud == "ksyun" else _HUAWEI_ERRORS
    default_status, default_code, default_message = table[kind]
    status = status or default_status
    code = code or default_code
    message = message or default_message
    if package is None:
        return json_response(status, {"error_code": code, "error_msg": message})
    if cloud == "ksyun":
        return package.error_response(request, status, code, message)
    return package.error_response(status, code, message)


def serve(emulator, host="127.0.0.1", port=0, ssl_context=None):
    """Create the server (not yet serving); port 0 picks a free port."""
    return EmulatorServer((host, port), emulator, ssl_context)


def serve_in_thread(emulator, host="127.0.0.1", port=0, ssl_context=None):
    """Start a server in a daemon thread; returns it (call .shutdown() to stop)."""
    server = serve(emulator, host, port, ssl_context)
    thread = threading.Thread(target=server.serve_forever, name="cloudops-emulator",
                              daemon=True)
    thread.start()
    return server


def make_ssl_context(cert_file, key_file):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context
