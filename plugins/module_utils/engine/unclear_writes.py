# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes that may or may not have acted, settled by re-reading, for every resource module.

A write is unclear when its answer was lost or said nothing (no answer, a dropped connection, a
5xx: ``CloudError.ambiguous``; the transport has already retried what was surely not acted on).
Then the resource is read again with ``find()``, and the run goes on from what exists:

* create: something exists -> it is the result (what still differs is updated); nothing -> the
  create surely did not act and is sent again. ``taken`` (a parallel run won the race) is read
  again the same way. A create whose lost answer carried a one-time secret (``secret``) is deleted
  and made again, so the secret is never silently lost.
* update: only what still differs is sent again.
* delete: gone or going away is done; still there is deleted again. ``gone`` answers are done.

Each write is sent at most ``write_attempts`` times (1 + ``retries``). ``resource`` is the
``StatefulModule`` whose hooks and declarations these use.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure


def create_settled(resource):
    """``resource.create()``, then the created API object."""
    attempts = resource.write_attempts
    for attempt in range(1, attempts + 1):
        try:
            created = resource.create()
        except CloudError as exc:
            if not (exc.ambiguous or resource.taken.matches(exc)):
                raise
            created = resource.find()
            if created is None and resource.taken.matches(exc) and resource.taken_elsewhere:
                raise ModuleFailure(resource.taken_elsewhere, error=exc.to_dict())
            if created is None and (resource.taken.matches(exc) or attempt == attempts):
                raise
            if created is None:
                continue
            if exc.ambiguous and resource.secret is not None and resource.secret.pending:
                # It did not exist when this run began, so it is this run's, and its secret was in
                # the answer that was lost: make it again.
                delete_settled(resource, created)
                resource.warn("%s was created but the answer carrying its secret was lost (%s); it was deleted "
                              "and is made again" % (resource.noun, exc))
                if attempt == attempts:
                    raise ModuleFailure("%s was created but the answer carrying its secret was lost (%s); it was "
                                        "deleted again: run the task again" % (resource.noun, exc),
                                        error=exc.to_dict())
                continue
            return _go_on_from(resource, created)
        return created if created is not None else resource.find()


def _go_on_from(resource, existing):
    """A create that may have acted, or lost a race, found ``existing``: it must match the
    create-only options, and what still differs from the task is updated."""
    before = resource.to_result(existing)
    resource.check_create_only(before)
    changes = resource.changes_from(before)
    if not changes:
        return existing
    updated = update_settled(resource, existing, changes)
    return updated if updated is not None else resource.find()


def update_settled(resource, current, changes):
    """``resource.update(current, changes)``; its return value (the new API object or None)."""
    attempts = resource.write_attempts
    for attempt in range(1, attempts + 1):
        try:
            return resource.update(current, changes)
        except CloudError as exc:
            if not exc.ambiguous or attempt == attempts:
                raise
            current = resource.find()
            if current is None:
                raise
            changes = resource.changes_from(resource.to_result(current))
            if not changes:
                return current
    return None


def delete_settled(resource, current):
    """``resource.delete(current)`` until the resource is gone or going away."""
    attempts = resource.write_attempts
    for attempt in range(1, attempts + 1):
        try:
            resource.delete(current)
            return
        except CloudError as exc:
            if resource.gone.matches(exc):
                return
            if not exc.ambiguous:
                raise
            remaining = resource.find()
            if remaining is None or resource.is_deleting(remaining):
                return
            if attempt == attempts:
                raise
            current = remaining
