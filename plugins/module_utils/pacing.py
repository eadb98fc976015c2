# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side pacing for APIs with a per-user call budget (CGS: 5 calls per minute per user).

A service declares its limit (``HuaweiApi(..., rate_limit=RateLimit(5))``) and
``HuaweiApi.client()`` attaches a ``CallPacer`` to every client's transport
(``transport.pacer``), so each HTTP attempt, retries included, passes through it.

The budget is the account's, not the run's: every fork, task and inventory refresh of the
controller that calls the same endpoint with the same account counts its calls in one
``SharedWindow``, a small file beside the controller locks (``controller_lock.lock_directory()``,
a private 0700 directory) named by a digest of the account and the endpoint (never the access
key itself), read and written under an ``fcntl`` lock. Its times are ``time.monotonic()``, which
is one clock for every process of the machine (CLOCK_MONOTONIC); a time later than now (left
from before a reboot) is dropped.

No more than ``per_minute`` calls are sent in any window of ``window`` seconds. That also holds
under a fixed (minute-aligned) server window, because every fixed window is one of the sliding
ones. A call is counted when its answer arrives (the server counted it earlier), plus a
``margin`` for clock differences; until then it holds a place in the window, so two processes
never both take the last one.

A throttled answer (429 APIGW.0308) means someone else spends the same budget (another
controller, or the same user under another access key): every pacer of the window then holds its
calls for what the gateway said (Retry-After or the window named in its message), or one whole
window when it said nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import hashlib
import json
import os
import time
import uuid

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import lock_directory

try:
    import fcntl
except ImportError:  # pragma: no cover - Ansible controllers are POSIX
    fcntl = None

DEFAULT_PER_MINUTE = 5
# A call still in flight after this long belongs to a process that died: its place is freed.
IN_FLIGHT_STALE = 120.0
# How often to look again while the budget's last places are held by calls still in flight.
IN_FLIGHT_POLL = 1.0
# A hold longer than this is a time of another boot, not what a gateway said.
HOLD_MOST = 3600.0


class RateLimit:
    """A service's declared call budget (``HuaweiApi(..., rate_limit=RateLimit(5))``):
    ``per_minute`` calls per minute per user."""

    def __init__(self, per_minute):
        self.per_minute = per_minute

    def pacer(self, service, per_minute=None, notify=None, endpoint=None, account=None):
        """A new CallPacer of ``service``'s calls at ``per_minute`` (this limit when None; 0 =
        unpaced), its -v lines to ``notify``, counting in the window ``account`` shares at
        ``endpoint`` with every process of the controller (when both are given; else this
        process's own)."""
        shared = endpoint and account and fcntl is not None
        window = SharedWindow(budget_name(service, endpoint, account)) if shared else LocalWindow()
        return CallPacer(self.per_minute if per_minute is None else per_minute, services=(service,),
                         notify=notify, budget=window)


def budget_name(service, endpoint, account):
    """The file name of the shared window of ``account`` (an access key, or an IAM user and its
    domain) at ``endpoint``: a digest, so no credential is ever part of a file name."""
    digest = hashlib.sha256("\0".join((service, endpoint, account)).encode("utf-8")).hexdigest()
    return "%s-%s.window" % (service, digest[:40])


class LocalWindow:
    """The calls of one process: what a pacer counts in when no shared window is given."""

    def __init__(self):
        self._state = new_state()

    @contextlib.contextmanager
    def transaction(self):
        yield self._state


class SharedWindow:
    """The calls of every process of the controller that spends one budget: a JSON file in the
    private lock directory, changed only under an exclusive ``fcntl`` lock."""

    def __init__(self, name):
        self.name = name

    @property
    def path(self):
        return os.path.join(lock_directory(), self.name)

    @contextlib.contextmanager
    def transaction(self):
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            state = _read_state(fd)
            yield state
            data = json.dumps(state).encode("utf-8")
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
        finally:
            os.close(fd)  # closing releases the lock


def new_state():
    """``calls``: [time, None] per answered call, [time sent, token] per call in flight;
    ``held_until``: when a throttled answer's hold ends."""
    return {"calls": [], "held_until": None}


def _read_state(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    try:
        state = json.loads(b"".join(chunks).decode("utf-8") or "null")
    except ValueError:  # a file cut short by a crash: the window starts again
        state = None
    if not isinstance(state, dict) or not isinstance(state.get("calls"), list):
        return new_state()
    return state


class CallPacer:
    """At most ``per_minute`` calls to ``services`` in any ``window`` seconds (0 = unpaced),
    counted in ``budget`` (a ``SharedWindow`` or ``LocalWindow``).

    ``label`` says what the next call is for ("page 3 (offset 2000)"); ``notify`` receives one
    line per wait, for -v output. ``sleep`` and ``monotonic`` are injectable for tests.
    """

    def __init__(self, per_minute=DEFAULT_PER_MINUTE, services=("cgs",), window=60.0, margin=1.0,
                 notify=None, sleep=time.sleep, monotonic=time.monotonic, budget=None):
        self.per_minute = int(per_minute or 0)
        self.services = frozenset(services)
        self.window = float(window)
        self.margin = float(margin)
        self.notify = notify
        self.label = None
        self.waited = 0.0
        self.budget = budget if budget is not None else LocalWindow()
        self._sleep = sleep
        self._monotonic = monotonic
        self._in_flight = None

    def use(self, notify=None, sleep=None, monotonic=None):
        """From now on send wait lines to ``notify`` and time waits with ``sleep``/``monotonic``
        (each only when given): a run's own sink and clock, for a pacer its client attached."""
        if notify is not None:
            self.notify = notify
        if sleep is not None:
            self._sleep = sleep
        if monotonic is not None:
            self._monotonic = monotonic

    def paces(self, service):
        return self.per_minute > 0 and service in self.services

    def before(self, service, operation):
        """Wait until one more call fits the budget, and take its place."""
        if not self.paces(service):
            return
        while True:
            with self.budget.transaction() as state:
                now = self._monotonic()  # under the lock: no other process writes a later time meanwhile
                self._forget_old(state, now)
                wait = self._wait_needed(state, now)
                if wait <= 0:
                    self._in_flight = uuid.uuid4().hex
                    state["calls"].append([now, self._in_flight])
                    return
            if wait >= 0.05:  # not the milliseconds by which an answer came late
                self._say("%s %s%s: waiting %.1fs for the rate limit (%d calls per %ds)"
                          % (service, operation, self._for_label(), wait, self.per_minute, self.window))
            self._sleep(wait)
            self.waited += wait

    def after(self, service, operation):
        """Count one attempt, answered or not, at the time it ended."""
        if not self.paces(service):
            return
        token, self._in_flight = self._in_flight, None
        with self.budget.transaction() as state:
            now = self._monotonic()
            state["calls"] = [entry for entry in state["calls"] if token is None or entry[1] != token]
            state["calls"].append([now, None])

    def throttled(self, service, operation, told=None):
        """The server refused for the rate limit: hold paced calls for ``told`` seconds (what the
        gateway said), or a whole window when it said nothing."""
        if not self.paces(service):
            return
        hold = self.window if told is None else max(0.0, float(told))
        with self.budget.transaction() as state:
            state["held_until"] = max(state.get("held_until") or 0.0, self._monotonic() + hold)
        self._say("%s %s%s: throttled by the server (someone else spends the same budget); holding "
                  "calls for %.1fs" % (service, operation, self._for_label(), hold))

    def _forget_old(self, state, now):
        def current(entry):
            at, token = entry
            if at > now:  # a time of another boot
                return False
            return now - at < (IN_FLIGHT_STALE if token else self.window + self.margin)
        state["calls"] = [entry for entry in state["calls"] if current(entry)]
        if (state.get("held_until") or 0.0) <= now or state["held_until"] > now + HOLD_MOST:
            state["held_until"] = None

    def _wait_needed(self, state, now):
        answered = sorted(at for at, token in state["calls"] if not token)
        room = self.per_minute - (len(state["calls"]) - len(answered))
        wait = 0.0
        if room <= 0:  # the last places are calls in flight, whose answers will come later
            wait = IN_FLIGHT_POLL
        elif len(answered) >= room:
            wait = answered[len(answered) - room] + self.window + self.margin - now
        if state.get("held_until") is not None:
            wait = max(wait, state["held_until"] - now)
        return wait

    def _for_label(self):
        return " " + self.label if self.label else ""

    def _say(self, line):
        if self.notify is not None:
            self.notify(line)
