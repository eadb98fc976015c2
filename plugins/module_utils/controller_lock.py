# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Serialize the tasks that manage one resource across the parallel forks (and playbooks) of one
controller: an exclusive lock on a file named after the resource's identity.

Needed where the cloud has no unique name to settle a race (KCR tokens are found by their
description, which the registry does not keep unique): two forks that both see no token would
both create one. With the lock, the second waits, then finds the first one's token.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import hashlib
import os
import stat
import tempfile
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - Ansible controllers are POSIX
    fcntl = None


class LockTimeout(Exception):
    pass


def lock_directory():
    """A directory only this user can use: created 0700, refused if it is a link or not ours."""
    path = os.path.join(tempfile.gettempdir(), "cloudops-multicloud-locks-%d" % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError("lock directory %s is not a private directory of this user" % path)
    return path


@contextlib.contextmanager
def identity_lock(identity, timeout=300.0, sleep=time.sleep, monotonic=time.monotonic):
    """Hold an exclusive lock for ``identity`` (a tuple of strings) for the ``with`` block."""
    if fcntl is None:
        yield
        return
    digest = hashlib.sha256("\0".join(str(part) for part in identity).encode("utf-8")).hexdigest()[:40]
    fd = os.open(os.path.join(lock_directory(), digest + ".lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        deadline = monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if monotonic() >= deadline:
                    raise LockTimeout("another task on this controller has held the lock for %s for %ss"
                                      % ("/".join(str(p) for p in identity), timeout))
                sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing releases the lock
