"""The emulator the inventory tests of a module share (inventory_support.EmulatorServer)."""
import pytest

from inventory_support import EmulatorServer


@pytest.fixture(scope="module")
def emulator():
    server = EmulatorServer()
    yield server
    server.stop()
