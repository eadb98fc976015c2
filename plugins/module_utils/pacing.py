# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side pacing for APIs with a per-user call budget (CGS: 5 calls per minute per user).

One ``CallPacer`` serves a whole run - a module, or an inventory plugin listing several regions -
and is attached to every client's transport (``transport.pacer``), so each HTTP attempt, retries
included, passes through it. The API object attaches it: a service declares its limit
(``HuaweiApi(..., rate_limit=RateLimit(5))``) and ``HuaweiApi.client()`` paces every client it
makes. It never sends more than ``per_minute`` calls in any window of
``window`` seconds. That also holds under a fixed (minute-aligned) server window, because every
fixed window is one of the sliding ones. Calls are counted when their answer arrives (the server
counted them earlier), plus a ``margin`` for clock differences.

A throttled answer (429 APIGW.0308) means someone else spends the same budget (another run, or
the same user under another access key): the pacer then holds every paced call for what the
gateway said (Retry-After or the window named in its message), or one whole window when it said
nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import time

DEFAULT_PER_MINUTE = 5


class RateLimit:
    """A service's declared call budget (``HuaweiApi(..., rate_limit=RateLimit(5))``):
    ``per_minute`` calls per minute per user."""

    def __init__(self, per_minute):
        self.per_minute = per_minute

    def pacer(self, service, per_minute=None, notify=None):
        """A new CallPacer of ``service``'s calls at ``per_minute`` (this limit when None; 0 =
        unpaced), its -v lines to ``notify``: one per run, shared by the run's clients."""
        return CallPacer(self.per_minute if per_minute is None else per_minute, services=(service,), notify=notify)


class CallPacer:
    """At most ``per_minute`` calls to ``services`` in any ``window`` seconds (0 = unpaced).

    ``label`` says what the next call is for ("page 3 (offset 2000)"); ``notify`` receives one
    line per wait, for -v output. ``sleep`` and ``monotonic`` are injectable for tests.
    """

    def __init__(self, per_minute=DEFAULT_PER_MINUTE, services=("cgs",), window=60.0, margin=1.0,
                 notify=None, sleep=time.sleep, monotonic=time.monotonic):
        self.per_minute = int(per_minute or 0)
        self.services = frozenset(services)
        self.window = float(window)
        self.margin = float(margin)
        self.notify = notify
        self.label = None
        self.waited = 0.0
        self._sleep = sleep
        self._monotonic = monotonic
        self._answered = collections.deque()
        self._held_until = None

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
        """Wait until one more call fits the budget."""
        if not self.paces(service):
            return
        wait = self._wait_needed(self._monotonic())
        if wait > 0:
            if wait >= 0.05:  # not the milliseconds by which an answer came late
                self._say("%s %s%s: waiting %.1fs for the rate limit (%d calls per %ds)"
                          % (service, operation, self._for_label(), wait, self.per_minute, self.window))
            self._sleep(wait)
            self.waited += wait

    def after(self, service, operation):
        """Count one attempt, answered or not, at the time it ended."""
        if not self.paces(service):
            return
        self._answered.append(self._monotonic())
        while len(self._answered) > self.per_minute:
            self._answered.popleft()

    def throttled(self, service, operation, told=None):
        """The server refused for the rate limit: hold paced calls for ``told`` seconds (what the
        gateway said), or a whole window when it said nothing."""
        if not self.paces(service):
            return
        hold = self.window if told is None else max(0.0, float(told))
        self._held_until = max(self._held_until or 0.0, self._monotonic() + hold)
        self._say("%s %s%s: throttled by the server (someone else spends the same budget); holding "
                  "calls for %.1fs" % (service, operation, self._for_label(), hold))

    def _wait_needed(self, now):
        wait = 0.0
        if len(self._answered) >= self.per_minute:
            wait = self._answered[0] + self.window + self.margin - now
        if self._held_until is not None:
            wait = max(wait, self._held_until - now)
        return wait

    def _for_label(self):
        return " " + self.label if self.label else ""

    def _say(self, line):
        if self.notify is not None:
            self.notify(line)
