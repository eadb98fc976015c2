# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport shared by the KSYUN and Huawei clients: one set of keep-alive connections per
run (``connections.ConnectionPool``, standard library only), timeouts, certificate settings, and
the retry policy.

The transport knows nothing about either cloud's protocol: a client hands it a ``sign`` callable
(called afresh on every attempt, so a retried request carries a fresh signature date) and a
``parse_error`` callable that reads the cloud's error envelope. Failures are ``errors.CloudError``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import random
import re
import time

from urllib.parse import unquote_plus, urlsplit, urlunsplit

from ansible_collections.cloudops.multicloud.plugins.module_utils.connections import ConnectionPool, NetworkError
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError

USER_AGENT = "cloudops.multicloud/0.1.0"
EXCERPT_BYTES = 200

# Retry policy, keyed by (HTTP status, error code); None matches any value. The first matching rule
# wins, most specific first. "throttled" means the server refused before doing anything, so even a
# write may be retried; "server" (5xx) may have half-done the work, so only reads are retried.
THROTTLED = "throttled"
SERVER_ERROR = "server"
RETRY_RULES = (
    ((409, "LimitExceeded"), THROTTLED),  # KSYUN flow control (docs/dev/architecture.md)
    ((400, "Throttling"), THROTTLED),  # kscore's _retry.yaml also treats these as throttling
    ((400, "ThrottlingException"), THROTTLED),
    ((None, "APIGW.0308"), THROTTLED),  # Huawei API gateway: request throttled
    ((429, None), THROTTLED),
    # CGS "Query host extend info error", a 500 whose remedy is "check the parameters" (seed 004
    # L579-584): sending it again cannot help.
    ((None, "HSS.0041"), None),
)

_SENSITIVE_QUERY = re.compile(r"token|signature|credential|password|secret|accesskey|^sig$", re.I)


class Response:
    """A fully read HTTP answer (the parts the clients use). ``headers`` is case-insensitive."""

    def __init__(self, status_code, headers, content, url):
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def text(self):
        return self.content.decode("utf-8", errors="replace")

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def redact_url(url):
    """The URL with the values of credential-like query parameters (presigned URLs) masked; the
    rest of the query is kept exactly as sent."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = []
    for pair in parts.query.split("&"):
        name = unquote_plus(pair.split("=", 1)[0])
        kept.append("%s=REDACTED" % pair.split("=", 1)[0] if _SENSITIVE_QUERY.search(name) else pair)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), parts.fragment))


def scrub(text, secrets):
    """``text`` with every known secret value replaced (servers sometimes echo what they got)."""
    if not text:
        return text
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "********")
    return text


def excerpt(content):
    """The first bytes of an answer, as text, for error messages."""
    head = content[:EXCERPT_BYTES].decode("utf-8", errors="replace")
    return head + ("..." if len(content) > EXCERPT_BYTES else "")


def unexpected_answer(response, what, service, operation, secrets=(), secret_answer=False):
    """CloudError for an answer the client cannot read (non-JSON, broken XML, HTML error page),
    quoting its first bytes - unless it is the answer of a call that carries a secret
    (``secret_answer``), which cannot be scrubbed before it was read: then only its size is told,
    and a 2xx is unclear (the call acted; the secret in its answer is lost)."""
    message = "%s (HTTP %s, content-type %r): %s" % (
        what, response.status_code, response.content_type or "none",
        _body_shown(response.content, operation, secret_answer))
    return CloudError(scrub(message, secrets), status=response.status_code, code="InvalidResponse",
                      service=service, operation=operation,
                      request_id=response.headers.get("X-Request-Id"),
                      unclear=secret_answer and 200 <= response.status_code < 300)


def _body_shown(content, operation, secret_answer):
    """How an error message shows an answer's body: its first bytes, or only its size."""
    if secret_answer:
        return "%d bytes, not shown (the answer of %s carries a secret)" % (len(content), operation)
    return repr(excerpt(content))


def retry_kind(status, code):
    """THROTTLED, SERVER_ERROR or None for an error answer."""
    for (rule_status, rule_code), kind in RETRY_RULES:
        if rule_status not in (None, status):
            continue
        if rule_code not in (None, code):
            continue
        return kind
    if status is not None and status >= 500:
        return SERVER_ERROR
    return None


_WINDOW_HINT = re.compile(r"time:\s*(\d+)\s*(second|minute|hour)", re.I)
_WINDOW_UNITS = {"second": 1, "minute": 60, "hour": 3600}


def throttle_window(message):
    """Seconds of the rate-limit window a throttling message names, or None.

    Huawei's API gateway answers APIGW.0308 with "...policy user over ratelimit,limit:5,time:1
    minute" and no Retry-After; waiting one window is the shortest wait that surely gets through
    (CGS allows 5 calls a minute - jittered backoff of a few seconds would only burn the retries).
    """
    match = _WINDOW_HINT.search(message or "")
    if not match:
        return None
    return float(int(match.group(1)) * _WINDOW_UNITS[match.group(2).lower()])


# A wait for a rate limit this long or longer is told at default verbosity (here and in pacing.py).
WARN_AFTER = 5.0


def throttled_wait(service, operation, outcome, delay, attempt, retries):
    """The warning for a wait the cloud's rate limit imposes (``outcome``: status and code)."""
    return ("%s %s: the cloud refused the call for its rate limit (%s); waiting %.0f s before attempt %d of "
            "%d. The account's limit is spent by calls the cloud counts and this controller does not: other "
            "clients of the account, or other tasks and hosts running at the same time (the cloud does not "
            "say whose)" % (service, operation, outcome, delay, attempt + 1, retries + 1))


def parse_retry_after(value, now):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


# When an attempt without a usable answer may be repeated.
RETRY_ALWAYS = "always"  # the server surely did not act (no connection was made)
RETRY_READS = "reads"  # the server may have acted: only idempotent calls
RETRY_NEVER = "never"  # repeating cannot help (TLS verification)

# An endpoint that cannot be reached (connection refused, unknown host) or that does not answer
# within the timeout is tried at most this many more times in a call, whatever ``retries`` says:
# the endpoint is more likely wrong or down than busy, so a misspelt endpoint_url fails within a
# second or two, and a silent one after three timeouts. ``retries`` is for an endpoint that answers
# but is having a bad day (throttling, 5xx, dropped or lost answers).
UNREACHABLE_RETRIES = 2

# A plain-HTTP request whose connection is closed without an answer is retried at most this many
# times in a call: a TLS port does that to every plain request (http:// where https:// was meant),
# while a busy endpoint drops one now and then (six in a row at a 10% drop rate: one call in a
# million).
UNANSWERED_HTTP_RETRIES = 5
UNREACHABLE = ("unreachable", UNREACHABLE_RETRIES)


class _Failure(Exception):
    """An attempt that produced no usable answer (network error or truncated body)."""

    def __init__(self, code, message, label, retry=RETRY_READS, status=None, capped=None, unclear=False):
        super(_Failure, self).__init__(message)
        self.code = code
        self.message = message
        self.label = label
        self.retry = retry
        self.status = status
        self.unclear = unclear
        # (kind, most retries of that kind in one call) when ``retries`` is not the bound, else None.
        self.capped = capped


class Transport:
    """Sends signed requests over one ``ConnectionPool`` and retries per ``RETRY_RULES``.

    ``timeout`` is a number (connect and read timeout) or a ``(connect, read)`` pair. ``retries``
    is the number of retries after the first attempt (at most ``UNREACHABLE_RETRIES`` of them for
    an endpoint that cannot be reached or does not answer); ``deadline`` bounds the whole call,
    sleeps included. ``trace`` receives one line per attempt. ``sleep``, ``rand``, ``monotonic`` and
    ``wallclock`` are injectable for tests.
    """

    def __init__(self, timeout=30.0, validate_certs=True, ca_bundle=None, retries=10, deadline=300.0,
                 trace=None, sleep=time.sleep, rand=random.random, monotonic=time.monotonic,
                 wallclock=time.time, backoff_base=0.5, backoff_cap=20.0, user_agent=USER_AGENT):
        self.timeout = tuple(timeout) if isinstance(timeout, (tuple, list)) else (timeout, timeout)
        self.retries = retries
        self.deadline = deadline
        self.trace = trace
        self.user_agent = user_agent
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._rand = rand
        self._monotonic = monotonic
        self._wallclock = wallclock
        self._secrets = set()
        # A pacing.CallPacer shared by the run's clients of a rate-limited API, or None.
        self.pacer = None
        # Where a line shows at default verbosity (module.warn, display.warning), or None: a wait of
        # WARN_AFTER seconds or more that the cloud's rate limit imposes is told there, unless the
        # client's pacer told it already (with whose calls spent the budget).
        self.warn = None
        self.verify = ca_bundle if ca_bundle else bool(validate_certs)
        self.connections = ConnectionPool(self.timeout, self.verify)

    def protect(self, *values):
        """Register secret values that must never appear in errors or trace lines."""
        self._secrets.update(v for v in values if v)

    @property
    def secrets(self):
        return frozenset(self._secrets)

    def scrub(self, text):
        return scrub(text, self._secrets)

    def close(self):
        self.connections.close()

    # -- one logical call ---------------------------------------------------------------------------

    def request(self, method, url, headers=None, body=None, sign=None, service=None, operation=None,
                parse_error=None, idempotent=False, secret_answer=False):
        """Send until success or the retry policy gives up; return a ``Response`` (2xx) or raise
        ``CloudError``. ``secret_answer``: the answer carries a secret (api_actions), so no error
        quotes its body."""
        started = self._monotonic()
        attempt = 0
        capped_seen = {}
        while True:
            attempt += 1
            send_headers = {"User-Agent": self.user_agent}
            send_headers.update(headers or {})
            if self.pacer is not None:
                self.pacer.before(service, operation)  # before signing: the signature dates the request
            if sign is not None:
                send_headers.update(sign(method, url, dict(send_headers), body))
            sent_at = self._monotonic()
            retry_after = None
            throttled = told = False
            try:
                response = self._sent(method, url, send_headers, body, service, operation, secret_answer)
            except _Failure as failure:
                outcome = failure.label
                error = CloudError(self.scrub(failure.message), status=failure.status, code=failure.code,
                                   service=service, operation=operation, unclear=failure.unclear)
                retryable = failure.retry == RETRY_ALWAYS or (failure.retry == RETRY_READS and idempotent)
                if failure.capped:
                    kind, most = failure.capped
                    capped_seen[kind] = capped_seen.get(kind, 0) + 1
                    retryable = retryable and capped_seen[kind] <= most
            else:
                if 200 <= response.status_code < 300:
                    self._trace_line(method, url, str(response.status_code), sent_at, attempt, None,
                                     service, operation)
                    return response
                error = self._error_from(response, parse_error, service, operation, secret_answer)
                outcome = "%s %s" % (response.status_code, error.code)
                kind = retry_kind(response.status_code, error.code)
                throttled = kind == THROTTLED
                retryable = throttled or (kind == SERVER_ERROR and idempotent)
                retry_after = parse_retry_after(response.headers.get("Retry-After"), self._wallclock())
                if retry_after is None and kind == THROTTLED:
                    retry_after = throttle_window(error.message)
                if kind == THROTTLED and self.pacer is not None:
                    told = self.pacer.throttled(service, operation, retry_after)

            delay = None
            if retryable and attempt <= self.retries:
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                if self._monotonic() + delay - started > self.deadline:
                    delay = None
            self._trace_line(method, url, outcome, sent_at, attempt, delay, service, operation)
            if throttled and not told and delay is not None and delay >= WARN_AFTER and self.warn is not None:
                self.warn(throttled_wait(service, operation, outcome, delay, attempt, self.retries))
            if delay is None:
                if attempt > 1:
                    error.message += " (gave up after %d attempts)" % attempt
                raise error
            self._sleep(delay)

    def _backoff(self, attempt):
        # Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))).
        return self._rand() * min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))

    def _error_from(self, response, parse_error, service, operation, secret_answer=False):
        code = message = request_id = None
        if parse_error is not None and response.content:
            try:
                code, message, request_id = parse_error(response)
            except ValueError:  # an answer the client's parser cannot read is reported below
                code = None
        request_id = request_id or response.headers.get("X-Request-Id")
        if code is None:
            error = unexpected_answer(response, "unexpected answer", service, operation, self._secrets,
                                      secret_answer)
            error.code = str(response.status_code)
            error.request_id = request_id
            if urlsplit(response.url).scheme == "http" and b"sent to HTTPS port" in (response.content or b""):
                error.message += _tls_hint(sure=True)  # nginx's answer to plain HTTP on a TLS port
            return error
        message = self.scrub(message or "")
        if _CLOCK_SKEW.search(str(code) + " " + message):
            message += _clock_hint(response.headers.get("Date"), self._wallclock())
        return CloudError(message, status=response.status_code, code=str(code),
                          request_id=request_id, service=service, operation=operation)

    def _trace_line(self, method, url, outcome, sent_at, attempt, delay, service, operation):
        if self.trace is None:
            return
        line = "%s %s -> %s in %.3fs (%s %s, attempt %d%s)" % (
            method, redact_url(url), outcome, self._monotonic() - sent_at, service, operation, attempt,
            ", retrying in %.2fs" % delay if delay is not None else "")
        self.trace(self.scrub(line))

    # -- one attempt --------------------------------------------------------------------------------

    def _sent(self, method, url, headers, body, service, operation, secret_answer):
        try:
            return self._send(method, url, headers, body, secret_answer)
        finally:
            if self.pacer is not None:
                self.pacer.after(service, operation)

    def _send(self, method, url, headers, body, secret_answer=False):
        netloc = urlsplit(url).netloc
        headers = dict(headers)
        headers.setdefault("Accept-Encoding", "identity")
        try:
            status, response_headers, content = self.connections.send(method, url, headers, body)
        except NetworkError as exc:
            failure = _failure(exc, netloc, self.timeout, secret_answer)
            if urlsplit(url).scheme == "http" and exc.kind in ("broken", "truncated"):
                sure = bool(_TLS_RECORD.match(exc.reason or ""))
                failure.message += _tls_hint(sure)
                if sure:
                    failure.retry = RETRY_NEVER
                if exc.kind == "broken":
                    failure.capped = ("unanswered_http", UNANSWERED_HTTP_RETRIES)
            raise failure
        return Response(status, response_headers, content, url)


# Errors that mean the request's signing time is too far from the cloud's clock: KSYUN's
# RequestExpired and "Signature expired:...", Huawei's APIGW.0303 and "signature expired".
_CLOCK_SKEW = re.compile(r"^(RequestExpired|APIGW\.0303)\b|signature expired", re.I)


def _clock_hint(date_header, now):
    """What to tell the user about a request refused as signed at the wrong time: how far the
    controller's clock is from the cloud's, when the answer's Date header tells."""
    try:
        cloud_time = email.utils.parsedate_to_datetime(date_header).timestamp() if date_header else None
    except (TypeError, ValueError, IndexError):
        cloud_time = None
    if cloud_time is None:
        return " (the controller's clock may be off compared with the cloud's: check NTP on the controller)"
    skew = now - cloud_time
    return (" (the controller's clock is %d seconds %s the cloud's, by the answer's Date header: check NTP "
            "on the controller)" % (abs(skew), "ahead of" if skew >= 0 else "behind"))


# A TLS record (alert 0x15 or handshake 0x16) of TLS 1.x where an HTTP status line should be.
_TLS_RECORD = re.compile("[\x15\x16]\x03[\x00-\x04]")


def _tls_hint(sure):
    """What to tell the user when a plain-HTTP request met a broken or non-HTTP answer."""
    if sure:
        return " (the server answered in TLS: use https:// in endpoint_url)"
    return " (if this port serves TLS, use https:// in endpoint_url)"


# An https:// URL whose server answered the handshake in clear: the opposite of _tls_hint's mistake.
_PLAIN_HTTP_HINT = ("the endpoint seems to speak plain HTTP, not TLS: for a local emulator on a loopback address, "
                    "use http:// in endpoint_url")


def _failure(exc, netloc, timeout, secret_answer=False):
    """The retry policy's view of a NetworkError. A 2xx cut short is unclear: the call acted, and
    its answer is lost; its partial body is quoted unless it may carry a secret."""
    if exc.kind == "tls":
        hint = _PLAIN_HTTP_HINT if exc.plain else "check validate_certs and ca_bundle"
        return _Failure("TLSError", "TLS error talking to %s: %s (%s)" % (netloc, exc.reason, hint), "TLSError",
                        retry=RETRY_NEVER)
    if exc.kind == "proxy":
        return _Failure("ProxyError", exc.reason, "ProxyError", retry=RETRY_NEVER)
    if exc.kind == "connect":
        return _Failure("ConnectionError", "could not connect to %s: %s (check endpoint_url and region)"
                        % (netloc, exc.reason), "ConnectionError", retry=RETRY_ALWAYS, capped=UNREACHABLE)
    if exc.kind == "timeout" and exc.status is None:
        return _Failure("ReadTimeout", "no answer from %s within %ss" % (netloc, timeout[1]), "ReadTimeout",
                        capped=UNREACHABLE)
    if exc.kind == "timeout":
        return _Failure("ReadTimeout", "answer stalled for %ss (HTTP %s)" % (timeout[1], exc.status),
                        "%s ReadTimeout" % exc.status, status=exc.status)
    if exc.kind == "truncated":
        shown = "; not shown: the answer carries a secret)" if secret_answer else "): %r" % excerpt(exc.partial)
        return _Failure("IncompleteResponse", "answer cut short after %d bytes (HTTP %s, %s%s"
                        % (len(exc.partial), exc.status, exc.reason, shown),
                        "%s IncompleteResponse" % exc.status, status=exc.status,
                        unclear=exc.status is not None and 200 <= exc.status < 300)
    return _Failure("ConnectionError", "connection to %s failed: %s" % (netloc, exc.reason), "ConnectionError")
