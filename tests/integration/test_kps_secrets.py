"""Secrets at -vvvv: the keypair targets run with ansible-playbook -vvvv under umask 000, and no
private key (generated, escrowed, given as server auth), server password, IAM password or secret
key appears anywhere in the output (stdout or stderr); every key file the modules wrote is mode
0600."""

import glob
import os
import re
import stat
import sys
import tempfile
import threading

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_targets import HUAWEI_ENV, admin, labelled, run_target, start_emulator  # noqa: E402  pylint: disable=wrong-import-position

TARGETS = ("ssh_keypair", "ssh_keypair_binding")
KNOWN_SECRETS = (HUAWEI_ENV["HUAWEICLOUD_SDK_SK"], "emulator-password", "R00t-Passw0rd-that-must-not-leak")
# A PEM armour followed by key material, raw or JSON-escaped.
PEM_WITH_BODY = re.compile(r"PRIVATE KEY-----(?:\\n|\s)+[A-Za-z0-9+/]{16}")
WRITTEN_BY_MODULES = ("bastion.pem", "escrowed.pem", "bind-a.pem", "bind-b.pem")


@pytest.fixture(scope="module")
def runs():
    workdir = tempfile.mkdtemp(prefix="cloudops-kps-secrets-")
    outputs, emulators = {}, []
    previous = os.umask(0)
    try:
        def run(target):
            proc, url = start_emulator(os.path.join(workdir, "emulator-%s.log" % target))
            emulators.append(proc)
            admin(url, "POST", "/__admin/reset", {"settings": {}})
            outputs[target] = run_target(target, url, 4, workdir, "a")

        threads = [threading.Thread(target=run, args=(t,)) for t in TARGETS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        os.umask(previous)
        for proc in emulators:
            proc.terminate()
            proc.wait(timeout=10)
    return workdir, outputs


def _key_material(path):
    with open(path) as handle:
        lines = handle.read().splitlines()
    return [line for line in lines if line and not line.startswith("-----") and len(line) >= 40]


@pytest.mark.parametrize("target", TARGETS)
def test_the_target_passes_at_vvvv_under_umask_000(runs, target):
    _workdir, outputs = runs
    run = outputs[target]
    assert run.code == 0, labelled(run.stdout[-5000:], run.stderr[-5000:])
    # What -vvvv prints of the module's arguments and results is on stdout.
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.stdout or "censored" in run.stdout, \
        labelled(run.stdout[-5000:], run.stderr[-5000:])


@pytest.mark.parametrize("target", TARGETS)
def test_no_secret_in_the_output(runs, target):
    workdir, outputs = runs
    run = outputs[target]
    key_files = [p for p in glob.glob(os.path.join(workdir, "%s-a" % target, "*"))
                 if not p.endswith(".pub")]
    assert key_files
    for name, output in (("stdout", run.stdout), ("stderr", run.stderr)):
        for secret in KNOWN_SECRETS:
            assert secret not in output, "a known secret is on %s" % name
        assert PEM_WITH_BODY.search(output) is None, "private key material is on %s" % name
        for path in key_files:
            for line in _key_material(path):
                assert line not in output, "material of %s is on %s" % (os.path.basename(path), name)


def test_key_files_are_0600_under_umask_000(runs):
    workdir, _outputs = runs
    written = glob.glob(os.path.join(workdir, "*-a", "*.pem"))
    assert sorted(os.path.basename(p) for p in written) == sorted(WRITTEN_BY_MODULES)
    for path in written:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
