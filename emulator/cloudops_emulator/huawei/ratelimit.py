"""Per-user call rate limits (CGS: `settings["cgs_rate_limit"]` calls per minute, 0 = off).

Held in memory per (service, user key); cleared when the fixtures are (re)loaded, i.e. on every
reset. Readings (`settings["readings"]["cgs"]`, cloudops_emulator/readings.py; the caller passes
their values in `readings`, reading A where absent):
- `rate_window`: `sliding` (default: any 60 s) or `fixed` (minutes of the emulator clock);
- `count_refused`: refused calls spend the budget too (default false);
- `throttle_answer`: `hint` (default: no Retry-After, the message names the window),
  `retry_after` (a Retry-After header: seconds until a call is allowed again) or `bare` (neither).
"""
import collections
import math
import threading
import weakref

from .errors import throttled

WINDOW = 60.0
READINGS = ("rate_window", "count_refused", "throttle_answer")
_state = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def clear(emu):
    with _lock:
        _state[emu] = {}


def check(emu, service, user_key, limit, readings=None):
    """Record one call; raise APIGW.0308 (429) when it is over `limit` calls per minute."""
    if not limit:
        return
    readings = readings or {}
    fixed = readings.get("rate_window") == "fixed"
    now = emu.now()
    with _lock:
        windows = _state.setdefault(emu, {})
        calls = windows.setdefault((service, user_key), collections.deque())
        start = math.floor(now / WINDOW) * WINDOW if fixed else now - WINDOW
        while calls and (calls[0] < start if fixed else calls[0] <= start):
            calls.popleft()
        if len(calls) >= limit:
            if readings.get("count_refused"):
                calls.append(now)
            free_at = start + WINDOW if fixed else calls[0] + WINDOW
            raise throttled(limit, readings.get("throttle_answer") or "hint", max(0.0, free_at - now))
        calls.append(now)
