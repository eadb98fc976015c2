# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing a secret the cloud returns once (a registry token, a private key) to a local file.

The file is never readable by anyone but its owner, not even for a moment: the content goes into a
temporary file that ``tempfile.mkstemp`` creates with ``O_EXCL`` and mode 0600 in the target's own
directory, is flushed to disk, and is renamed over the target (atomic on POSIX). A reader sees the
old file or the complete new one, never a partial or a world-readable file. ``AnsibleModule.
atomic_move`` is not used on purpose: it copies the mode of an existing target onto the new file.

The directory must be one that no other user can write to, the rule of OpenSSH's StrictModes
(``safe_path`` in auth.c) with the exception a sticky bit makes: the directory and each directory
above it, up to the home directory when the file is in it, else up to ``/``, is owned by this user
or by root and is not writable by group or others unless it has the sticky bit (as ``/tmp``).
In a sticky directory others can create names but not replace or remove ours, so the file itself,
if it exists, must then be this user's. Anyone else who can write to a directory on the way could
move the file, or the directory, aside and put theirs in its place.

Errors name the path and the reason, never the content.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import tempfile


UNTRUSTED = (", so another user could put their own file in its place; use a directory that only you (or root) "
             "can write to")


class SecretFileError(Exception):
    """The file could not be written; the message names the path and the reason only."""


class DirectoryMissing(SecretFileError):
    """The file's directory does not exist (in check mode, an earlier task may be creating it)."""


def check_writable(path):
    """Fail before anything is created when ``path`` cannot be written (bad directory, a directory
    in the way, no permission); returns the absolute path."""
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise DirectoryMissing("directory %s does not exist" % directory)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise SecretFileError("directory %s is not writable" % directory)
    if os.path.isdir(path):
        raise SecretFileError("%s is a directory" % path)
    check_trusted_directory(directory)
    _check_own_file_in_sticky_directory(path, directory)
    return path


def check_trusted_directory(directory):
    """Fail unless ``directory`` and the directories above it (to the home directory or ``/``)
    are writable by this user or root only, or are sticky."""
    uid = os.getuid()
    home = os.path.realpath(os.path.expanduser("~"))
    current = os.path.realpath(directory)
    while True:
        info = _stat(current)
        if info.st_uid not in (uid, 0):
            raise SecretFileError("directory %s belongs to uid %d (neither this user nor root)%s"
                                  % (current, info.st_uid, UNTRUSTED))
        writers = _other_writers(info.st_mode)
        if writers and not info.st_mode & stat.S_ISVTX:
            raise SecretFileError("directory %s is writable by %s and has no sticky bit%s" % (current, writers, UNTRUSTED))
        parent = os.path.dirname(current)
        if current == home or parent == current:
            return
        current = parent


def _check_own_file_in_sticky_directory(path, directory):
    info = _stat(directory)
    if not (_other_writers(info.st_mode) and info.st_mode & stat.S_ISVTX):
        return
    try:
        owner = os.lstat(path).st_uid
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SecretFileError("cannot read %s: %s" % (path, exc.strerror))
    if owner != os.getuid():
        raise SecretFileError("%s belongs to uid %d, and the sticky directory %s does not let this user replace it"
                              % (path, owner, directory))


def _other_writers(mode):
    return " and ".join(who for who, bit in (("its group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if mode & bit)


def _stat(path):
    try:
        return os.stat(path)
    except OSError as exc:
        raise SecretFileError("cannot read %s: %s" % (path, exc.strerror))


def write_secret_json(path, data):
    """Write ``data`` as JSON to ``path`` with mode 0600, atomically replacing any existing file."""
    return write_secret_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def write_secret_text(path, content):
    """Write the text ``content`` (a private key...) to ``path`` with mode 0600, atomically
    replacing any existing file; returns the absolute path."""
    path = check_writable(path)
    directory = os.path.dirname(path)
    try:
        fd, temp_path = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path), suffix=".tmp")
    except OSError as exc:
        raise SecretFileError("cannot create a file in %s: %s" % (directory, exc.strerror))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_path, path)
    except OSError as exc:
        _remove_quietly(temp_path)
        raise SecretFileError("cannot write %s: %s" % (path, exc.strerror or exc.__class__.__name__))
    except BaseException:
        _remove_quietly(temp_path)
        raise
    _sync_directory(directory)
    return path


def _remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_directory(directory):
    # Makes the rename itself durable; not every platform or file system allows it.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
