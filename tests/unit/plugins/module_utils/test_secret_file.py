# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The secret file writer: mode 0600 from the first byte whatever the umask, atomic replacement,
nothing left behind on failure, and no secret in any error."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils import secret_file
from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_file import (
    SecretFileError,
    check_writable,
    write_secret_json,
)

SECRET = "kcr-token-0123456789abcdef"
DATA = {"username": "2000000001", "token": SECRET, "expire_time": None}


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_writes_json_with_mode_0600_even_with_an_open_umask(tmp_path, open_umask):
    path = tmp_path / "token.json"

    written = write_secret_json(str(path), DATA)

    assert written == str(path)
    assert mode_of(path) == 0o600
    assert json.loads(path.read_text()) == DATA
    assert os.listdir(str(tmp_path)) == ["token.json"]


def test_replaces_a_world_readable_file_with_a_0600_one(tmp_path, open_umask):
    path = tmp_path / "token.json"
    path.write_text("old")
    os.chmod(str(path), 0o644)
    old_inode = os.stat(str(path)).st_ino

    write_secret_json(str(path), DATA)

    assert mode_of(path) == 0o600
    assert os.stat(str(path)).st_ino != old_inode  # a new file renamed over the old one
    assert json.loads(path.read_text()) == DATA


def test_the_content_is_never_in_a_readable_file(tmp_path, monkeypatch, open_umask):
    """At the moment of the rename the temporary file is complete, 0600, and in the same directory."""
    seen = []
    real_replace = os.replace

    def watching_replace(source, target):
        seen.append((os.path.dirname(source), mode_of(source), open(source).read()))
        assert not os.path.exists(target)
        real_replace(source, target)
    monkeypatch.setattr(secret_file.os, "replace", watching_replace)

    write_secret_json(str(tmp_path / "token.json"), DATA)

    assert seen == [(str(tmp_path), 0o600, json.dumps(DATA, indent=2, sort_keys=True) + "\n")]


def test_the_content_is_synced_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(secret_file.os, "fsync", lambda fd: events.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(secret_file.os, "replace", lambda a, b: events.append("replace") or real_replace(a, b))

    write_secret_json(str(tmp_path / "token.json"), DATA)

    assert events[:2] == ["fsync", "replace"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "token.json"
    path.write_text("old content")

    def no_space(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(secret_file.os, "fsync", no_space)

    with pytest.raises(SecretFileError) as caught:
        write_secret_json(str(path), DATA)

    assert str(caught.value) == "cannot write %s: No space left on device" % path
    assert SECRET not in str(caught.value)
    assert path.read_text() == "old content"
    assert os.listdir(str(tmp_path)) == ["token.json"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refused(source, target):
        raise OSError(13, "Permission denied")
    monkeypatch.setattr(secret_file.os, "replace", refused)

    with pytest.raises(SecretFileError) as caught:
        write_secret_json(str(tmp_path / "token.json"), DATA)

    assert SECRET not in str(caught.value)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("make, expected", [
    (lambda d: str(d / "missing" / "t.json"), "directory {d}/missing does not exist"),
    (str, "{d} is a directory"),
])
def test_unwritable_targets_are_refused_before_writing(tmp_path, make, expected):
    with pytest.raises(SecretFileError) as caught:
        write_secret_json(make(tmp_path), DATA)

    assert str(caught.value) == expected.format(d=tmp_path)


def test_a_directory_without_write_permission_is_refused(tmp_path, monkeypatch):
    # Tests may run as root, who may write anywhere: the permission answer is stubbed.
    monkeypatch.setattr(secret_file.os, "access", lambda path, mode: path != str(tmp_path))

    with pytest.raises(SecretFileError) as caught:
        check_writable(str(tmp_path / "t.json"))

    assert str(caught.value) == "directory %s is not writable" % tmp_path


def test_a_relative_path_is_written_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(str(tmp_path))

    written = write_secret_json("token.json", DATA)

    assert written == str(tmp_path / "token.json")
    assert mode_of(tmp_path / "token.json") == 0o600


# -- only in directories no other user can write to (OpenSSH's StrictModes, sticky directories allowed) ---

OTHER_UID = 4242
UNTRUSTED = ", so another user could put their own file in its place; use a directory that only you (or root) can write to"


def directory(path, mode):
    path.mkdir()
    os.chmod(str(path), mode)
    return path


def as_another_user(path):
    if os.getuid() != 0:
        pytest.skip("needs root to give a file to another user")
    os.lchown(str(path), OTHER_UID, OTHER_UID)


@pytest.mark.parametrize("mode, writers", [(0o770, "its group"), (0o757, "others"), (0o777, "its group and others")])
def test_a_directory_others_can_write_is_refused_before_anything_is_written(tmp_path, mode, writers):
    shared = directory(tmp_path / "shared", mode)

    with pytest.raises(SecretFileError) as caught:
        write_secret_json(str(shared / "token.json"), DATA)

    assert str(caught.value) == "directory %s is writable by %s and has no sticky bit%s" % (shared, writers, UNTRUSTED)
    assert os.listdir(str(shared)) == []


def test_a_directory_above_that_others_can_write_is_refused_too(tmp_path):
    shared = directory(tmp_path / "shared", 0o777)
    private = directory(shared / "private", 0o700)

    with pytest.raises(SecretFileError) as caught:
        check_writable(str(private / "token.json"))

    assert str(caught.value) == "directory %s is writable by its group and others and has no sticky bit%s" % (
        shared, UNTRUSTED)


def test_the_directories_above_the_home_directory_are_not_checked(tmp_path, monkeypatch):
    """As StrictModes: the check stops at the home directory (an NFS /home may be odd above it)."""
    home = directory(directory(tmp_path / "outer", 0o777) / "home", 0o700)
    monkeypatch.setenv("HOME", str(home))

    assert write_secret_json(str(home / "token.json"), DATA) == str(home / "token.json")


def test_another_users_directory_is_refused(tmp_path):
    theirs = directory(tmp_path / "theirs", 0o755)
    as_another_user(theirs)

    with pytest.raises(SecretFileError) as caught:
        check_writable(str(theirs / "token.json"))

    assert str(caught.value) == "directory %s belongs to uid %d (neither this user nor root)%s" % (
        theirs, OTHER_UID, UNTRUSTED)


def test_a_sticky_directory_is_accepted_and_the_file_is_still_private(tmp_path):
    sticky = directory(tmp_path / "sticky", 0o1777)

    write_secret_json(str(sticky / "token.json"), DATA)

    assert mode_of(sticky / "token.json") == 0o600


def test_another_users_file_in_a_sticky_directory_is_refused(tmp_path):
    sticky = directory(tmp_path / "sticky", 0o1777)
    planted = sticky / "token.json"
    planted.write_text("")
    as_another_user(planted)

    with pytest.raises(SecretFileError) as caught:
        check_writable(str(planted))

    assert str(caught.value) == ("%s belongs to uid %d, and the sticky directory %s does not let this user replace it"
                                 % (planted, OTHER_UID, sticky))
    assert planted.read_text() == ""
