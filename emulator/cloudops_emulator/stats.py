"""Per-operation call counters ("<service>:<Operation>" -> n), read by tests and benchmarks."""
import threading
from collections import Counter


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self._calls = Counter()

    def count(self, key, n=1):
        """Record `n` calls of `key` ("kcrs:DescribeNamespace", "kps:ListKeypairs", ...)."""
        with self._lock:
            self._calls[key] += n

    def get(self, key):
        with self._lock:
            return self._calls.get(key, 0)

    def snapshot(self):
        with self._lock:
            return dict(self._calls)

    def clear(self):
        with self._lock:
            self._calls.clear()
