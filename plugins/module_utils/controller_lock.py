# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Serialize the tasks that manage one resource across the parallel forks (and playbooks) of one
controller: an exclusive lock on a file named after the resource's identity.

Needed where the cloud has no unique name to settle a race (KCR tokens are found by their
description, which the registry does not keep unique): two forks that both see no token would
both create one. With the lock, the second waits, then finds the first one's token.

The lock files live in ``~/.ansible/tmp/cloudops-multicloud``, beside ansible-core's own local temp
files, not in the system temp directory (where another local user can create the path first) and
not in ``$XDG_RUNTIME_DIR``: a lock only works between runs that agree on its path, and
``XDG_RUNTIME_DIR`` is set in a login session but not under cron, sudo, AWX or a plain ssh
command, so two runs of one user could each lock a file of their own. The directory is opened once
(never through a link), checked through its descriptor (a directory of this user, mode 0700) and
the lock files are opened relative to it, so a parent directory others can write cannot swap it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import errno
import hashlib
import os
import stat
import time

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure

try:
    import fcntl
except ImportError:  # pragma: no cover - Ansible controllers are POSIX
    fcntl = None

DIRECTORY_NAME = "cloudops-multicloud"


class LockTimeout(Exception):
    pass


class LockDirectoryError(ModuleFailure):
    """The private directory (or a lock file in it) cannot be used; the message names the path
    and what is wrong."""


def _unsafe(path, problem):
    return LockDirectoryError("controller lock directory %s %s; it must be a directory of this user that only this "
                              "user can use (mode 0700): remove it and run the task again" % (path, problem))


def _failed(path, action, exc):
    reason = exc.strerror or errno.errorcode.get(exc.errno) or exc.__class__.__name__
    return LockDirectoryError("controller lock directory %s: %s: %s" % (path, action, reason))


def lock_directory_path():
    """Where the private directory is (it may not exist yet)."""
    return os.path.join(os.path.expanduser("~"), ".ansible", "tmp", DIRECTORY_NAME)


def lock_directory():
    """The path of this user's private directory for the collection's controller-side files (the
    locks, and files kept beside them), created 0700 and checked; ``LockDirectoryError`` (a
    ``ModuleFailure``) when it cannot be used."""
    path = lock_directory_path()
    os.close(_open_private_directory(path))
    return path


def _open_private_directory(path):
    """A descriptor of the directory ``path``, created if missing, refused unless it is a real
    directory of this user; group and other permissions taken away if it has any."""
    try:
        os.makedirs(os.path.dirname(path), 0o700, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        _refuse_unless_own_directory(path, os.lstat(path))
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise _failed(path, "cannot create or open it", exc)
    try:
        info = os.fstat(fd)  # what was opened, in case the path was swapped since the lstat
        _refuse_unless_own_directory(path, info)
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, 0o700)
    except OSError as exc:
        os.close(fd)
        raise _failed(path, "cannot make it private", exc)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _refuse_unless_own_directory(path, info):
    if stat.S_ISLNK(info.st_mode):
        raise _unsafe(path, "is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise _unsafe(path, "is not a directory")
    if info.st_uid != os.getuid():
        raise _unsafe(path, "is owned by uid %d, not by this user (uid %d)" % (info.st_uid, os.getuid()))


@contextlib.contextmanager
def identity_lock(identity, timeout=300.0, sleep=time.sleep, monotonic=time.monotonic):
    """Hold an exclusive lock for ``identity`` (a tuple of strings) for the ``with`` block."""
    if fcntl is None:
        yield
        return
    digest = hashlib.sha256("\0".join(str(part) for part in identity).encode("utf-8")).hexdigest()[:40]
    fd = _open_lock_file(digest + ".lock")
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
            except OSError as exc:  # no locks on this file system, ...
                raise _failed(lock_directory_path(), "cannot lock %s.lock in it" % digest, exc)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _open_lock_file(name):
    path = lock_directory_path()
    directory = _open_private_directory(path)
    try:
        return os.open(name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600, dir_fd=directory)
    except OSError as exc:
        raise _failed(path, "cannot open the lock file %s in it" % name, exc)
    finally:
        os.close(directory)
