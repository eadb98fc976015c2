"""Shared fixtures: one emulator server per test session, reset before every test."""
import pytest
from cloudops_emulator.core import Emulator
from cloudops_emulator.server import serve_in_thread

from admin_client import admin_call


class RunningEmulator:
    """A server in a background thread: `.url`, `.emu` and `.admin(method, path, json=None)`."""

    def __init__(self, emu, server):
        self.emu = emu
        self.server = server
        self.url = "http://127.0.0.1:%d" % server.server_address[1]

    def admin(self, method, path, json=None):  # pylint: disable=redefined-outer-name
        return admin_call(self.url, method, path, json)


@pytest.fixture(scope="session")
def _emulator_server():
    emu = Emulator()
    server = serve_in_thread(emu)
    yield RunningEmulator(emu, server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def emulator(_emulator_server):
    _emulator_server.emu.reset(overrides={})
    return _emulator_server
