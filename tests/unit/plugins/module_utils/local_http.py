# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted HTTP server on 127.0.0.1 for client tests: requests really go over the wire, the
server records exactly what arrived and answers from a script.

Script entries (consumed in order; the last one repeats when ``repeat_last`` is set):
- ``(status, headers, body)`` - an answer (body str or bytes; Content-Length is always set; a
  ``Date`` header given replaces the server's, ``"Date": None`` leaves it out);
- a callable ``f(recorded) -> (status, headers, body)``;
- ``DROP`` - close the connection without answering;
- ``Truncated(status, headers, body, claimed)`` - announce ``claimed`` bytes, send ``body``, close;
- ``Stall(seconds, answer)`` - wait, then answer.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DROP = "drop"
Truncated = collections.namedtuple("Truncated", "status headers body claimed")
Stall = collections.namedtuple("Stall", "seconds answer")


class Recorded:
    def __init__(self, handler, body):
        parts = urlsplit(handler.path)
        self.method = handler.command
        self.raw_path = handler.path
        self.path = parts.path
        self.raw_query = parts.query
        self.query = parse_qsl(parts.query, keep_blank_values=True)
        self.headers = handler.headers  # email.message.Message: case-insensitive get()
        self.body = body
        self.client_port = handler.client_address[1]

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def form(self):
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)


def json_answer(status, obj, headers=None):
    merged = {"Content-Type": "application/json"}
    merged.update(headers or {})
    return (status, merged, json.dumps(obj))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        recorded = Recorded(self, body)
        server = self.server.owner
        with server.lock:
            server.requests.append(recorded)
            entry = server.next_entry()
        if isinstance(entry, Stall):
            time.sleep(entry.seconds)
            entry = entry.answer
        if callable(entry):
            entry = entry(recorded)
        if entry == DROP:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(entry, Truncated):
            self._write(entry.status, entry.headers, entry.body, claimed=entry.claimed)
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, headers, body = entry
        self._write(status, headers, body)

    def _write(self, status, headers, body, claimed=None):
        data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        headers = dict(headers or {})
        if "Date" in headers:  # the script's Date (None: no Date header), not the server's own
            self.send_response_only(status)
        else:
            self.send_response(status)
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, value)
        self.send_header("Content-Length", str(claimed if claimed is not None else len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # dropped and truncated connections are on purpose


class LocalServer:
    """``with LocalServer() as server:`` - ``server.url``, ``server.script``, ``server.requests``."""

    def __init__(self, tls_context=None, host="127.0.0.1"):
        self.requests = []
        self.script = collections.deque()
        self.repeat_last = False
        self.lock = threading.Lock()
        self._httpd = _QuietServer((host, 0), _Handler)
        self._httpd.owner = self
        scheme = "http"
        if tls_context is not None:
            self._httpd.socket = tls_context.wrap_socket(self._httpd.socket, server_side=True)
            scheme = "https"
        self.port = self._httpd.server_address[1]
        self.url = "%s://%s:%d" % (scheme, host, self.port)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def add(self, *entries):
        self.script.extend(entries)
        return self

    def next_entry(self):
        if not self.script:
            return (500, {"Content-Type": "text/plain"}, "test server: script exhausted")
        if self.repeat_last and len(self.script) == 1:
            return self.script[0]
        return self.script.popleft()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()


def closed_port():
    """A local port with nothing listening (connections are refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def fake_transport(clock, lines=None, **kwargs):
    """A Transport on ``clock`` with fixed jitter, tracing into ``lines`` when given."""
    from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import Transport
    kwargs.setdefault("retries", 4)
    kwargs.setdefault("timeout", 5)
    return Transport(sleep=clock.sleep, rand=lambda: 0.5, monotonic=clock.monotonic,
                     trace=None if lines is None else lines.append, **kwargs)
