# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side locks per resource identity, across processes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os
import stat
import time

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import (
    LockTimeout,
    identity_lock,
    lock_directory,
)


def _hold(identity, seconds, ready):
    with identity_lock(identity):
        ready.set()
        time.sleep(seconds)


def test_a_second_holder_waits_for_the_first():
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold, args=(("kcr-token", "i-1", "ci"), 0.6, ready))
    holder.start()
    ready.wait(5)
    started = time.monotonic()
    with identity_lock(("kcr-token", "i-1", "ci")):
        waited = time.monotonic() - started
    holder.join()
    assert waited >= 0.3


def test_other_identities_do_not_wait():
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold, args=(("kcr-token", "i-1", "ci"), 0.6, ready))
    holder.start()
    ready.wait(5)
    started = time.monotonic()
    with identity_lock(("kcr-token", "i-1", "other")):
        waited = time.monotonic() - started
    holder.join()
    assert waited < 0.3


def test_timeout_names_the_identity():
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold, args=(("kcr-token", "i-9", "ci"), 1.0, ready))
    holder.start()
    ready.wait(5)
    with pytest.raises(LockTimeout) as caught:
        with identity_lock(("kcr-token", "i-9", "ci"), timeout=0.2):
            pass
    holder.join()
    assert "kcr-token/i-9/ci" in str(caught.value)


def test_lock_directory_is_private():
    mode = stat.S_IMODE(os.lstat(lock_directory()).st_mode)
    assert mode & 0o077 == 0
