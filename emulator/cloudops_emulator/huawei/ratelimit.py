"""Per-user call rate limits (CGS: `settings["cgs_rate_limit"]` calls per minute, 0 = off).

A sliding 60-second window per (service, user) held in memory; cleared when the fixtures are
(re)loaded, i.e. on every reset.
"""
import collections
import threading
import weakref

from .errors import throttled

WINDOW = 60.0
_state = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def clear(emu):
    with _lock:
        _state[emu] = {}


def check(emu, service, user_key, limit):
    """Record one call; raise APIGW.0308 (429) when it is over `limit` calls per minute."""
    if not limit:
        return
    now = emu.now()
    with _lock:
        windows = _state.setdefault(emu, {})
        calls = windows.setdefault((service, user_key), collections.deque())
        while calls and calls[0] <= now - WINDOW:
            calls.popleft()
        if len(calls) >= limit:
            raise throttled(limit)
        calls.append(now)
