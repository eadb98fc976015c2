# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep-alive HTTP(S) connections on the standard library, one per host for a run.

``ConnectionPool.send`` makes one attempt and returns ``(status, headers, body)`` or raises
``NetworkError`` saying how far the attempt got, which is what the retry policy needs to know:
``connect`` (nothing reached the server), ``tls`` (certificate or handshake), ``timeout`` (no
answer in time), ``broken`` (the connection failed after the request was sent) or ``truncated``
(the answer was cut short; ``partial`` holds what arrived) or ``proxy`` (a proxy this pool cannot
use safely). Proxies come from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``), as
with curl and requests; they are spoken to in plain HTTP, so an ``https://`` proxy is refused
rather than sent CONNECT and ``Proxy-Authorization`` in clear.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import http.client
import select
import socket
import ssl
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies, proxy_bypass


# What OpenSSL says when the first bytes of the "server hello" are no TLS record at all: the server
# answered in clear (an HTTP error page, most likely) to our handshake.
_NOT_TLS = frozenset(("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG", "UNKNOWN_PROTOCOL"))


class NetworkError(Exception):
    """``plain``: a TLS handshake answered by something that is not TLS (kind ``tls`` only)."""

    def __init__(self, kind, reason, status=None, partial=b"", plain=False):
        super(NetworkError, self).__init__(reason)
        self.kind = kind
        self.reason = reason
        self.status = status
        self.partial = partial
        self.plain = plain


def _reason(exc):
    text = str(exc) or type(exc).__name__
    return text[:200]


def _dropped(conn):
    """True when an idle kept-alive connection was closed by the server meanwhile (it would
    read as EOF): reusing it would fail after the request was sent."""
    if conn.sock is None:
        return False
    try:
        readable = select.select([conn.sock], [], [], 0)[0]
    except (OSError, ValueError):
        return True
    return bool(readable)


class ConnectionPool:
    """``timeout`` is ``(connect, read)`` seconds; ``verify`` True, False or a CA bundle path."""

    def __init__(self, timeout=(30.0, 30.0), verify=True):
        self.timeout = timeout
        self.verify = verify
        self._context = None
        self._connections = {}
        self._proxies = getproxies()

    def close(self):
        for entry in self._connections.values():
            entry[0].close()
        self._connections.clear()

    def _ssl_context(self):
        if self._context is None:
            if self.verify is False:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            elif isinstance(self.verify, str):
                context = ssl.create_default_context(cafile=self.verify)
            else:
                context = ssl.create_default_context()
            self._context = context
        return self._context

    def _proxy_for(self, scheme, host):
        proxy = self._proxies.get(scheme)
        if not proxy or proxy_bypass(host):
            return None
        proxy = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        if proxy.scheme != "http":
            variable = "%s_PROXY" % scheme.upper()
            raise NetworkError("proxy", "%s (or %s) names a %s:// proxy; only http:// proxies are supported (TLS "
                               "to the endpoint goes through them end to end): set an http:// proxy URL, or leave %s "
                               "out with NO_PROXY" % (variable, variable.lower(), proxy.scheme, host))
        return proxy

    def _open(self, scheme, host, port):
        """(connection, absolute_form): absolute_form when a plain-HTTP proxy gets the whole URL."""
        proxy = self._proxy_for(scheme, host)
        https = scheme == "https"
        if proxy is None:
            if https:
                return http.client.HTTPSConnection(host, port, timeout=self.timeout[0],
                                                   context=self._ssl_context()), False
            return http.client.HTTPConnection(host, port, timeout=self.timeout[0]), False
        proxy_headers = {}
        if proxy.username:
            userinfo = "%s:%s" % (unquote(proxy.username), unquote(proxy.password or ""))
            proxy_headers["Proxy-Authorization"] = "Basic " + base64.b64encode(userinfo.encode()).decode()
        if https:
            conn = http.client.HTTPSConnection(proxy.hostname, proxy.port or 8080, timeout=self.timeout[0],
                                               context=self._ssl_context())
            conn.set_tunnel(host, port, headers=proxy_headers)
            return conn, False
        conn = http.client.HTTPConnection(proxy.hostname, proxy.port or 8080, timeout=self.timeout[0])
        conn.proxy_headers = proxy_headers
        return conn, True

    def _drop(self, key):
        entry = self._connections.pop(key, None)
        if entry is not None:
            entry[0].close()

    def send(self, method, url, headers, body):
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        entry = self._connections.get(key)
        if entry is not None and _dropped(entry[0]):
            self._drop(key)
            entry = None
        if entry is None:
            entry = self._connections[key] = self._open(parts.scheme, parts.hostname, port)
        conn, absolute_form = entry
        headers = dict(headers)
        if absolute_form:
            target = url
            headers["Host"] = parts.netloc
            headers.update(getattr(conn, "proxy_headers", {}))
        else:
            target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        if conn.sock is None:
            self._connect(key, conn)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
        except socket.timeout:
            self._drop(key)
            raise NetworkError("timeout", "no answer within %ss" % self.timeout[1])
        except (OSError, http.client.HTTPException) as exc:
            self._drop(key)
            raise NetworkError("broken", _reason(exc))
        try:
            content = response.read()
        except http.client.IncompleteRead as exc:
            self._drop(key)
            raise NetworkError("truncated", "%s bytes announced" % response.getheader("Content-Length", "more"),
                               status=response.status, partial=exc.partial)
        except socket.timeout:
            self._drop(key)
            raise NetworkError("timeout", "answer stalled for %ss" % self.timeout[1], status=response.status)
        except (OSError, http.client.HTTPException) as exc:
            self._drop(key)
            raise NetworkError("truncated", _reason(exc), status=response.status)
        if response.will_close:
            self._drop(key)
        return response.status, response.headers, content

    def _connect(self, key, conn):
        try:
            conn.connect()
        except ssl.SSLError as exc:
            self._drop(key)
            raise NetworkError("tls", _reason(getattr(exc, "verify_message", None) or exc),
                               plain=getattr(exc, "reason", None) in _NOT_TLS)
        except ssl.CertificateError as exc:
            self._drop(key)
            raise NetworkError("tls", _reason(exc))
        except socket.timeout:
            self._drop(key)
            raise NetworkError("connect", "timed out after %ss" % self.timeout[0])
        except OSError as exc:
            self._drop(key)
            raise NetworkError("connect", _reason(exc))
        conn.sock.settimeout(self.timeout[1])
