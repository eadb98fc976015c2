# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Set reconciliation: what to add and what to remove so that a collection of members (EIPs in a
pool, whitelist entries, tags, tags of an image) becomes the desired one. Pure, so check mode
predicts exactly what a real run would do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def reconcile_set(current, desired, purge=True, key=None):
    """``(to_add, to_remove)`` for members ``current`` -> ``desired``.

    ``desired`` None means "leave the members alone": nothing to add or remove. With ``purge``
    false, members not desired are kept. ``key`` maps a member to its identity (default: the
    member itself), so members with extra fields (descriptions) compare by identity. Both lists
    keep the order of their source and hold no duplicates.
    """
    if desired is None:
        return [], []
    key = key or (lambda member: member)
    have = set(key(m) for m in current or [])
    want = set(key(m) for m in desired)
    to_add, added = [], set()
    for member in desired:
        k = key(member)
        if k not in have and k not in added:
            to_add.append(member)
            added.add(k)
    to_remove, removed = [], set()
    if purge:
        for member in current or []:
            k = key(member)
            if k not in want and k not in removed:
                to_remove.append(member)
                removed.add(k)
    return to_add, to_remove


def reconcile_dict(current, desired, purge=True):
    """``(to_set, to_unset)`` for a mapping (tags): ``to_set`` the keys whose value is new or
    different, ``to_unset`` the keys to remove (only with ``purge``). ``desired`` None: no change."""
    if desired is None:
        return {}, []
    current = current or {}
    to_set = dict((k, v) for k, v in desired.items() if k not in current or current[k] != v)
    to_unset = [k for k in current if k not in desired] if purge else []
    return to_set, to_unset
