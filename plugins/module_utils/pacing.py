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

Each call in the window records the process that sent it and what it was (``who``: the module or
inventory plugin), so a wait of ``WARN_AFTER`` seconds or more is told at default verbosity
(``warn``) with who spent the budget: this run, this controller's earlier runs or its runs under
way - or, after a refusal, someone this controller does not know.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import contextlib
import hashlib
import json
import os
import time
import uuid

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import lock_directory
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import WARN_AFTER

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
# A wait this long or longer is a warning at default verbosity, not only a -v line.
UNKNOWN_SPENDER = ("someone this controller does not know spends the same budget (another controller, or this account "
                   "under another access key)")


class RateLimit:
    """A service's declared call budget (``HuaweiApi(..., rate_limit=RateLimit(5))``):
    ``per_minute`` calls per minute per user."""

    def __init__(self, per_minute):
        self.per_minute = per_minute

    def pacer(self, service, per_minute=None, notify=None, endpoint=None, account=None, warn=None):
        """A new CallPacer of ``service``'s calls at ``per_minute`` (this limit when None; 0 =
        unpaced), its -v lines to ``notify`` and its long waits to ``warn``, counting in the
        window ``account`` shares at ``endpoint`` with every process of the controller (when both
        are given; else this process's own)."""
        shared = endpoint and account and fcntl is not None
        window = SharedWindow(budget_name(service, endpoint, account)) if shared else LocalWindow()
        return CallPacer(self.per_minute if per_minute is None else per_minute, services=(service,),
                         notify=notify, budget=window, warn=warn)


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
    """``calls``: [time, None, pid, who] per answered call, [time sent, token, pid, who] per call
    in flight (a file written before pid and who were recorded holds [time, token]);
    ``held_until``: when a throttled answer's hold ends, ``held_by``: whose call was refused,
    ``held_why``: who spent the budget, as that refusal was explained."""
    return {"calls": [], "held_until": None, "held_by": None, "held_why": None}


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
    line per wait, for -v output; ``warn`` one warning per wait of ``WARN_AFTER`` seconds or more,
    saying who spent the budget. ``who`` names the caller in the window ("cloudops.multicloud.
    cgs_node_info"), ``pid`` its process. ``sleep`` and ``monotonic`` are injectable for tests.
    """

    def __init__(self, per_minute=DEFAULT_PER_MINUTE, services=("cgs",), window=60.0, margin=1.0,
                 notify=None, sleep=time.sleep, monotonic=time.monotonic, budget=None, warn=None):
        self.per_minute = int(per_minute or 0)
        self.services = frozenset(services)
        self.window = float(window)
        self.margin = float(margin)
        self.notify = notify
        self.warn = warn
        self.who = None
        self.pid = os.getpid()
        self._warned_hold = None
        self.label = None
        self.waited = 0.0
        self.budget = budget if budget is not None else LocalWindow()
        self._sleep = sleep
        self._monotonic = monotonic
        self._in_flight = None

    def use(self, notify=None, sleep=None, monotonic=None, warn=None, who=None):
        """From now on send wait lines to ``notify``, long waits to ``warn``, record calls as
        ``who``'s and time waits with ``sleep``/``monotonic`` (each only when given): a run's own
        sinks, name and clock, for a pacer its client attached."""
        if notify is not None:
            self.notify = notify
        if warn is not None:
            self.warn = warn
        if who is not None:
            self.who = who
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
                    state["calls"].append([now, self._in_flight, self.pid, self.who])
                    return
                warning = self._wait_warning(service, operation, wait, state, now)
            if warning:
                self.warn(warning)
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
            state["calls"].append([now, None, self.pid, self.who])

    def throttled(self, service, operation, told=None):
        """The server refused for the rate limit: hold paced calls for ``told`` seconds (what the
        gateway said), or a whole window when it said nothing. True when a warning said so."""
        if not self.paces(service):
            return False
        hold = self.window if told is None else max(0.0, float(told))
        with self.budget.transaction() as state:
            now = self._monotonic()
            state["held_until"] = max(state.get("held_until") or 0.0, now + hold)
            spent_by = self._refused_by(state, now)
            state["held_by"], state["held_why"] = self.who, spent_by
            self._warned_hold = state["held_until"] if hold >= WARN_AFTER else self._warned_hold
        warned = hold >= WARN_AFTER and self.warn is not None
        if warned:
            self.warn("%s rate limit: the server refused %s%s for the rate limit: %s; holding calls for %.0fs"
                      % (service.upper(), operation, self._for_label(), spent_by, hold))
        self._say("%s %s%s: throttled by the server (%s); holding calls for %.1fs"
                  % (service, operation, self._for_label(), spent_by, hold))
        return warned

    def _forget_old(self, state, now):
        def current(entry):
            at, token = entry[0], entry[1]
            if at > now:  # a time of another boot
                return False
            return now - at < (IN_FLIGHT_STALE if token else self.window + self.margin)
        state["calls"] = [entry for entry in state["calls"] if current(entry)]
        if (state.get("held_until") or 0.0) <= now or state["held_until"] > now + HOLD_MOST:
            state["held_until"] = None

    def _wait_needed(self, state, now):
        answered = sorted(entry[0] for entry in state["calls"] if not entry[1])
        room = self.per_minute - (len(state["calls"]) - len(answered))
        wait = 0.0
        if room <= 0:  # the last places are calls in flight, whose answers will come later
            wait = IN_FLIGHT_POLL
        elif len(answered) >= room:
            wait = answered[len(answered) - room] + self.window + self.margin - now
        if state.get("held_until") is not None:
            wait = max(wait, state["held_until"] - now)
        return wait

    def _wait_warning(self, service, operation, wait, state, now):
        """The warning for a wait of ``WARN_AFTER`` seconds or more (else None): what is spent and
        by whom. A wait for a hold this pacer already warned of (its own refused call) is not told
        again."""
        held = state.get("held_until")
        if wait < WARN_AFTER or self.warn is None or (held is not None and held == self._warned_hold):
            return None
        if held is not None and held - now >= wait:
            reason = ("the server refused a call%s for the rate limit: %s"
                      % (" of " + state["held_by"] if state.get("held_by") else "",
                         state.get("held_why") or UNKNOWN_SPENDER))
            self._warned_hold = held
        else:
            reason = "the account's %s per %ds %s spent by %s" % (
                _calls(self.per_minute), self.window, "is" if self.per_minute == 1 else "are",
                spenders(state["calls"], self.pid))
        return "%s rate limit: waiting %.0fs before %s%s: %s" % (
            service.upper(), wait, operation, self._for_label(), reason)

    def _refused_by(self, state, now):
        """Who spent the budget a refusal says is spent: this controller's own calls when they
        fill the window (the server's minute ends a little later than ours), else someone outside
        this controller's count."""
        counted = [entry for entry in state["calls"] if now - entry[0] < self.window]
        if len(counted) >= self.per_minute:
            return "the budget is spent by %s" % spenders(counted, self.pid)
        text = UNKNOWN_SPENDER
        if counted:
            text += "; this controller made %d of the calls of the last %ds: %s" % (
                len(counted), self.window, spenders(counted, self.pid))
        return text

    def _for_label(self):
        return " " + self.label if self.label else ""

    def _say(self, line):
        if self.notify is not None:
            self.notify(line)


def spenders(calls, pid):
    """Who sent ``calls`` (window entries), for a warning: "this run (2 calls) and this
    controller's earlier runs (3 calls: 2 by cloudops.multicloud.instances, 1 by ...)"."""
    groups = {}
    for entry in calls:
        caller = entry[2] if len(entry) > 2 and isinstance(entry[2], int) else None
        if caller == pid:
            group = "this run"
        elif caller is None:
            group = "calls of this controller that do not say whose"
        else:
            group = "this controller's runs under way" if _running(caller) else "this controller's earlier runs"
        groups.setdefault(group, []).append(entry[3] if len(entry) > 3 else None)
    return " and ".join("%s (%s)" % (group, _by_whom(groups[group])) for group in sorted(groups, key=_GROUP_ORDER.index))


_GROUP_ORDER = ["this run", "this controller's earlier runs", "this controller's runs under way",
                "calls of this controller that do not say whose"]


def _by_whom(names):
    counts = collections.Counter(names)
    total = _calls(len(names))
    if len(counts) == 1:
        return total + (" by %s" % names[0] if names[0] else "")
    named = ["%d by %s" % (n, name) for name, n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
             if name]
    return total + (": " + ", ".join(named) if named else "")


def _calls(count):
    return "%d call%s" % (count, "" if count == 1 else "s")


def _running(pid):
    """Whether the process ``pid`` still runs (a process of this user: the window is private)."""
    try:
        os.kill(pid, 0)
    except OSError:  # gone, or the number is another user's process now
        return False
    return True
