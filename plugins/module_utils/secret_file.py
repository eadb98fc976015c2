# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing a secret the cloud returns once (a registry token, a private key) to a local file.

The file is never readable by anyone but its owner, not even for a moment: the content goes into a
temporary file that ``tempfile.mkstemp`` creates with ``O_EXCL`` and mode 0600 in the target's own
directory, is flushed to disk, and is renamed over the target (atomic on POSIX). A reader sees the
old file or the complete new one, never a partial or a world-readable file. ``AnsibleModule.
atomic_move`` is not used on purpose: it copies the mode of an existing target onto the new file.

Errors name the path and the reason, never the content.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import tempfile


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
    return path


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
