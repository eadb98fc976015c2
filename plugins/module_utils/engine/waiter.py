# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting: the statuses a resource passes through, and a poll loop with a deadline."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure

# Shortest pause between two status reads: an API is never polled in a tight loop.
MIN_WAIT_INTERVAL = 0.1


class WaitStates:
    """The statuses of a resource with a life cycle, as ``status_of(api_object)`` reads them.

    pending   on its way to ready (a no-op run waits for it)
    ready     done
    failed    broken: present fails, naming ``reason(api_object)`` when the API says why
    deleting  already going away: absent waits without a delete call; present fails
    """

    def __init__(self, pending=(), ready=(), failed=(), deleting=(), reason=None):
        self.pending = tuple(pending)
        self.ready = tuple(ready)
        self.failed = tuple(failed)
        self.deleting = tuple(deleting)
        self.reason = reason or (lambda api_object: "")


class Waiter:
    """Polls ``read()`` until ``done(obj)``, ``interval`` seconds apart, for at most ``timeout``
    seconds. ``sleep`` and ``monotonic`` are the clock (tests drive them)."""

    def __init__(self, timeout, interval, sleep, monotonic):
        self.timeout = timeout
        self.interval = interval
        self.sleep = sleep
        self.monotonic = monotonic

    def until(self, read, done, what, status=None):
        """The first ``read()`` value that is ``done``. On timeout the failure names ``what`` was
        awaited and the status last seen (``status(obj)``)."""
        deadline = self.monotonic() + self.timeout
        while True:
            self.sleep(self.interval)
            obj = read()
            if done(obj):
                return obj
            if self.monotonic() >= deadline:
                seen = ""
                if status is not None and obj is not None:
                    seen = " (last status seen: %s)" % status(obj)
                raise ModuleFailure("timed out after %ss waiting for %s%s" % (self.timeout, what, seen))
