# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side locks per resource identity, across processes, in a private directory of the
user that nobody else can plant, link or take over."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import json
import multiprocessing
import os
import stat
import tempfile
import time

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils import controller_lock
from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import (
    LockDirectoryError,
    LockTimeout,
    identity_lock,
    lock_directory,
)
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_token import KcrToken

OTHER_UID = 4242  # another local user


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A home directory of the test's own (the locks go under ~/.ansible/tmp), and a system temp
    directory of its own (where another user could plant things)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "systmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "systmp"))
    return tmp_path / "home"


def locks_path(home):
    return home / ".ansible" / "tmp" / "cloudops-multicloud"


def foreign(path, monkeypatch):
    """Make ``path`` look like another user's: really (chown) when the tests run as root, else by
    making this process believe it runs as another uid."""
    if os.getuid() == 0:
        os.lchown(str(path), OTHER_UID, OTHER_UID)
    else:
        monkeypatch.setattr(controller_lock.os, "getuid", lambda: OTHER_UID)


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


def test_lock_directory_is_made_private_under_ansible_tmp_whatever_the_umask(home):
    previous = os.umask(0)
    try:
        path = lock_directory()
    finally:
        os.umask(previous)

    assert path == str(locks_path(home))
    info = os.lstat(path)
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    with identity_lock(("kcr-token", "i-1", "ci")):
        assert [stat.S_IMODE(os.lstat(os.path.join(path, n)).st_mode) for n in os.listdir(path)] == [0o600]


@pytest.mark.parametrize("kind", ["file", "directory", "symlink"])
def test_what_another_user_plants_in_the_system_temp_directory_is_not_used(cloud, kcr, tmp_path, kind):
    """The old place, <tmp>/cloudops-multicloud-locks-<uid>, taken first: the run goes on."""
    planted = tmp_path / "systmp" / ("cloudops-multicloud-locks-%d" % os.getuid())
    if kind == "file":
        planted.write_text("")
    elif kind == "directory":
        planted.mkdir(mode=0o777)
        os.chmod(str(planted), 0o777)
    else:
        planted.symlink_to(tmp_path)
    registry = kcr.add_instance("prod-registry")

    result = cloud.run(KcrToken, dict(access_key="AKLTUNIT", secret_key="unit-secret-lock", description="ci",
                                      instance_id=registry["InstanceId"], token_type="Day", token_time=1))

    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True


def plant(home, kind, monkeypatch):
    path = locks_path(home)
    path.parent.mkdir(parents=True)
    if kind == "a file":
        path.write_text("")
        return "is not a directory"
    if kind == "a symbolic link":
        target = home / "elsewhere"
        target.mkdir(mode=0o700)
        path.symlink_to(target)
        return "is a symbolic link"
    path.mkdir(mode=0o700)
    foreign(path, monkeypatch)
    return "is owned by uid %d, not by this user (uid %d)" % (os.lstat(str(path)).st_uid, os.getuid())


@pytest.mark.parametrize("kind", ["a file", "a symbolic link", "another user's directory"])
def test_a_lock_directory_planted_by_someone_else_is_a_clean_failure_naming_it(cloud, kcr, home, monkeypatch, kind):
    problem = plant(home, kind, monkeypatch)
    registry = kcr.add_instance("prod-registry")

    result = cloud.run(KcrToken, dict(access_key="AKLTUNIT", secret_key="unit-secret-lock", description="ci",
                                      instance_id=registry["InstanceId"], token_type="Day", token_time=1))

    assert result["failed"] is True
    assert result["msg"] == (
        "controller lock directory %s %s; it must be a directory of this user that only this user can use "
        "(mode 0700): remove it and run the task again" % (locks_path(home), problem))
    assert "Traceback" not in json.dumps(result)
    assert cloud.calls.writes() == [] and kcr.tokens(registry) == []


def test_an_own_lock_directory_open_to_others_is_made_private(home):
    path = locks_path(home)
    path.mkdir(parents=True)
    os.chmod(str(path), 0o777)

    with identity_lock(("kcr-token", "i-1", "ci")):
        pass

    assert stat.S_IMODE(os.lstat(str(path)).st_mode) == 0o700


def test_a_lock_directory_that_cannot_be_created_names_the_path_and_the_reason(home):
    (home / ".ansible").write_text("")  # a file where a directory should be

    with pytest.raises(LockDirectoryError) as caught:
        lock_directory()

    assert str(caught.value) == "controller lock directory %s: cannot create or open it: %s" % (
        locks_path(home), os.strerror(errno.ENOTDIR))
