# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Event-Driven Ansible sources (``extensions/eda/plugins/event_source/``) share.

A source is a poller over the collection's own clients: ``Poller.read()`` lists what the cloud
holds now as ``{key: record}`` (plain JSON values, never a secret), and ``Poller.events(before,
now)`` turns two such snapshots into events. ``run`` does the rest: it reads in a worker thread
(the clients are synchronous), puts the events on ansible-rulebook's queue, keeps the last
snapshot in a state file so that a restart does not replay what was already seen, backs off on
faults the transport's own retries did not absorb, and stops cleanly when its task is cancelled.

Delivery is at least once: the snapshot is saved after its events are queued, so a process that
dies in between emits them again at its next start.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import datetime
import hashlib
import json
import logging
import os
import tempfile

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import lock_directory
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError

STATE_VERSION = 1
# Statuses that say the credentials are wrong: fatal at the first read, a backoff later (a key
# may be rotated under a running source).
CREDENTIAL_STATUSES = (401, 403)
MAX_BACKOFF_INTERVALS = 8


class SourceError(Exception):
    """A startup error: the message names the option (or credential) and the rule."""


def source_params(args, argument_spec, source):
    """``args`` (the rulebook's) validated against ``argument_spec``, with the modules' environment
    fallbacks and defaults applied; SourceError naming the option otherwise."""
    result = ArgumentSpecValidator(argument_spec).validate(dict(args or {}))
    if result.error_messages:
        # ansible-core's messages name the option; secret values are never part of them.
        raise SourceError("%s: %s" % (source, "; ".join(result.error_messages)))
    return result.validated_parameters


def source_spec(cloud_spec, default_interval=60.0, **options):
    """A source's options: the cloud's (``cloud_spec``, the modules'), the source's own
    ``options``, and ``interval``, ``state_file`` and ``emit_existing``, which every source takes."""
    spec = dict(cloud_spec, **options)
    spec.update(interval=dict(type="float", default=default_interval), state_file=dict(type="path"),
                emit_existing=dict(type="bool", default=False))
    return spec


def check_interval(params, source):
    """SourceError naming ``interval`` unless it is more than 0 seconds."""
    if not params["interval"] > 0:
        raise SourceError("%s: interval: must be more than 0 seconds, got %g" % (source, params["interval"]))


def observed_at(now=None):
    """An event's ``observed_at``: ``now`` (default the current time) as ISO-8601 UTC, to the second."""
    return (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")


def state_path(source, identity, state_file=None):
    """The state file: ``state_file`` when set, else one per source and identity (account,
    endpoint, region, filters) in the controller's private directory; the identity is hashed,
    so no credential is ever part of a file name."""
    if state_file:
        return state_file
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()[:40]
    directory = os.path.join(lock_directory(), "eda")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    return os.path.join(directory, "%s-%s.json" % (source, digest))


class StateFile:
    """The last snapshot a source saw, as JSON, written whole (a temporary file renamed over it),
    mode 0600."""

    def __init__(self, path):
        self.path = path

    def load(self):
        """The saved snapshot, or None when there is none (a first start)."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                saved = json.load(handle)
        except FileNotFoundError:
            return None
        except ValueError as exc:
            raise SourceError("state_file: %s is not a state file this source wrote (%s); move it away "
                              "or name another state_file" % (self.path, exc))
        if not isinstance(saved, dict) or saved.get("version") != STATE_VERSION:
            raise SourceError("state_file: %s is not a state file this source wrote; move it away or name "
                              "another state_file" % self.path)
        return saved["snapshot"]

    def save(self, snapshot):
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".state-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": STATE_VERSION, "snapshot": snapshot}, handle, sort_keys=True)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


def changes(before, now, fields):
    """``(kind, key, old, new, changed)`` for each key that ``appeared``, is ``gone`` or
    ``changed`` in one of ``fields`` (``changed`` lists those fields), in key order."""
    found = []
    for key in sorted(set(before) | set(now)):
        old, new = before.get(key), now.get(key)
        if old is None:
            found.append(("appeared", key, None, new, []))
        elif new is None:
            found.append(("gone", key, old, None, []))
        else:
            moved = [field for field in fields if old.get(field) != new.get(field)]
            if moved:
                found.append(("changed", key, old, new, moved))
    return found


class Poller:
    """One source's view of the cloud; see the module docstring."""

    name = None

    def read(self):
        raise NotImplementedError

    def events(self, before, now):
        raise NotImplementedError

    def first_events(self, now):
        """The events of a first start without ``emit_existing`` (``now`` becomes the baseline):
        none, unless the source has something that still needs action (vpcep_connections:
        requests waiting for acceptance)."""
        return []

    def next_interval(self, interval):
        """The seconds to wait before the next read: ``interval``, or longer where the poller must
        (a call budget that the last read showed too small for it)."""
        return interval

    def close(self):
        """Releases the clients' connections."""


async def run(queue, poller, state, interval, emit_existing=False, log=None, sleep=asyncio.sleep):
    """Polls every ``interval`` seconds until cancelled. At a first start (no saved snapshot) the
    cloud's current content is the baseline and emits only ``first_events``, unless
    ``emit_existing``."""
    log = log or logging.getLogger("cloudops.multicloud.%s" % poller.name)
    before = state.load()
    if before is None and emit_existing:
        before = {}
    failures = 0
    try:
        while True:
            try:
                now = await asyncio.to_thread(poller.read)
            except CloudError as exc:
                if before is None and exc.status in CREDENTIAL_STATUSES:
                    raise SourceError("%s: the credentials were refused: %s" % (poller.name, exc))
                failures += 1
                delay = poller.next_interval(interval) * min(2 ** (failures - 1), MAX_BACKOFF_INTERVALS)
                log.warning("%s: reading failed (%s); trying again in %.0f s", poller.name, exc, delay)
                await sleep(delay)
                continue
            failures = 0
            for event in poller.first_events(now) if before is None else poller.events(before, now):
                await queue.put(event)
            state.save(now)
            before = now
            await sleep(poller.next_interval(interval))
    finally:
        poller.close()


def client(api, params, source):
    """``api.client(params)``, its ValueError (an option and its rule) as a startup SourceError."""
    try:
        made = api.client(params)
    except ValueError as exc:
        raise SourceError("%s: %s" % (source, exc))
    made.transport.warn = logging.getLogger("cloudops.multicloud.%s" % source).warning
    return made


def configure(args, spec, source, api, check_options, identity):
    """``(params, client, state)`` for a source's ``args`` (the rulebook's): the options validated
    against ``spec`` and checked (``check_options(params)``), the client, and the ``StateFile`` per
    ``identity(params, client)``; SourceError naming the option before any call."""
    params = source_params(args, spec, source)
    check_options(params)
    api_client = client(api, params, source)
    return params, api_client, StateFile(state_path(source, identity(params, api_client), params["state_file"]))
