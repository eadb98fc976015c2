# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the plugin unit tests: the emulated cloud (a fresh in-memory emulator per test), its
clock, and for the transport tests a real local HTTP server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import Cloud, FakeClock
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import LocalServer


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """A HOME of the test's own: the controller-side files a run keeps there (the locks, the
    shared CGS rate window) never outlive a test nor meet another test's fake clock."""
    home = tmp_path_factory.mktemp("home")  # beside tmp_path, not in it: tests list their tmp_path
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def clock():
    """The one fake clock of a test: the emulator's time, the module's waits, the signers' date."""
    return FakeClock()


@pytest.fixture
def cloud(clock):
    """A fresh emulator (default fixtures) on ``clock``; ``cloud.run(Module, args)`` runs a module
    against it, ``cloud.calls`` is what it received."""
    return Cloud(clock)


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fake(clock):
    """The transport tests' name for the clock."""
    return clock


# -- KCR (issue #21) ------------------------------------------------------------------------------

@pytest.fixture
def kcr(cloud):
    """The KCR account of ``cloud`` (cn-beijing-6): ``kcr.add_instance(...)``, ``add_namespace``,
    ``push``, ``add_token``, ``add_trigger``, ``add_endpoint`` and readers of what is stored."""
    from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import KcrAccount
    return KcrAccount(cloud)
