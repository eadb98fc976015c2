"""Fixtures of the end-to-end tests: one emulator per session, the built collection artifact and
collections paths holding the checkout or the installed artifact."""
import glob
import os

import pytest

from e2e_support import BIN, ROOT, Emulator, run


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    emu = Emulator(str(tmp_path_factory.mktemp("emulator") / "emulator.log"))
    yield emu
    emu.stop()


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory):
    """The artifact ``make dist`` ships, built from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(out), ROOT])
    (tarball,) = glob.glob(str(out / "cloudops-multicloud-*.tar.gz"))
    return tarball


@pytest.fixture(scope="session")
def installed_collections(tmp_path_factory, collection_tarball):
    """A collections path holding the artifact as ansible-galaxy installs it for a user."""
    path = tmp_path_factory.mktemp("installed-collections")
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline",
         "-p", str(path), collection_tarball])
    return str(path)


@pytest.fixture(scope="session")
def checkout_collections():
    """A collections path whose cloudops/multicloud is this checkout (a symlink)."""
    tree = os.path.join(ROOT, "build", "collections")
    link = os.path.join(tree, "ansible_collections", "cloudops", "multicloud")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    return tree
