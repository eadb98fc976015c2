"""meta/execution-environment.yml works both ways ansible-builder reads it. Building the image
itself needs a container engine (podman or docker), which the test machines lack: these tests
stop at the build context."""
import os

import yaml

from e2e_support import BIN, ROOT, run


def test_ansible_builder_creates_the_build_context(tmp_path):
    context = tmp_path / "context"
    out = run([os.path.join(BIN, "ansible-builder"), "create", "-f",
               os.path.join(ROOT, "meta", "execution-environment.yml"), "-c", str(context),
               "--output-filename", "Containerfile"])
    assert "Complete!" in out.stdout, out.streams
    containerfile = (context / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/centos/centos:stream9"' in containerfile
    assert "ansible-galaxy collection install" in containerfile
    assert not (context / "_build" / "requirements.txt").exists()  # no Python requirements
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert galaxy == {"collections": [{"name": "cloudops.multicloud", "version": ">=0.1.0"}]}


def test_builder_adds_nothing_for_the_installed_collection(installed_collections):
    """What ansible-builder does with the collection inside another execution environment: it
    needs no Python or system package (and no requirements file that is missing)."""
    out = run([os.path.join(BIN, "ansible-builder"), "introspect", "--sanitize", installed_collections])
    assert yaml.safe_load(out.stdout) == {"python": [], "system": []}, out.streams
