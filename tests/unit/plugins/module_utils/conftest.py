# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the transport and client tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import FakeClock, LocalServer


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fake():
    return FakeClock()
