"""Shared fixtures: one emulator server per test session, reset before every test."""
import json
import urllib.request

import pytest

from cloudops_emulator.core import Emulator
from cloudops_emulator.server import serve_in_thread


class RunningEmulator:
    """A server in a background thread: `.url`, `.emu` and `.admin(method, path, json=None)`."""

    def __init__(self, emu, server):
        self.emu = emu
        self.server = server
        self.url = "http://127.0.0.1:%d" % server.server_address[1]

    def admin(self, method, path, json=None):  # pylint: disable=redefined-outer-name
        return admin_call(self.url, method, path, json)


def admin_call(url, method, path, payload=None):
    """Call the admin API; returns the parsed JSON (raises HTTPError on 4xx/5xx)."""
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


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
