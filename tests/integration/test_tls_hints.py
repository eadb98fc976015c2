"""The hint a user gets for the wrong scheme in endpoint_url, in both directions, from a module run
with ansible against a real emulator: https:// to the plain-HTTP emulator, http:// to the emulator
serving TLS (``cloudops-emulator --tls-dir``)."""
import json
import os
import re
import subprocess
import sys

import pytest

from inventory_support import ansible_env

BIN = os.path.dirname(sys.executable)


@pytest.fixture
def launch(tmp_path):
    """Start ``cloudops-emulator --port 0 [args]``; its URL (http:// or https://)."""
    processes = []

    def start(*args):
        proc = subprocess.Popen([os.path.join(BIN, "cloudops-emulator"), "--port", "0"] + list(args),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        processes.append(proc)
        match = re.search(r"listening on (\S+)", proc.stdout.readline())
        assert match, "the emulator did not say where it listens"
        return match.group(1)

    yield start
    for proc in processes:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def module_failure(tmp_path, endpoint_url, args=""):
    """The failure message of kcr_instance_info run with ansible against ``endpoint_url``."""
    env = ansible_env(endpoint_url, str(tmp_path))
    env.update(HOME=str(tmp_path), ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    proc = subprocess.run([os.path.join(BIN, "ansible"), "localhost", "-m", "cloudops.multicloud.kcr_instance_info",
                           "-a", args],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert proc.returncode != 0 and proc.stdout, proc.stdout + proc.stderr
    return json.loads(proc.stdout.split("FAILED! => ", 1)[1])["msg"]


def test_https_to_the_plain_http_emulator_says_it_speaks_plain_http(launch, tmp_path):
    url = launch()
    assert url.startswith("http://")
    msg = module_failure(tmp_path, url.replace("http://", "https://"))
    assert msg.endswith("(the endpoint seems to speak plain HTTP, not TLS: for a local emulator on a loopback "
                        "address, use http:// in endpoint_url)"), msg
    assert "validate_certs" not in msg


def test_http_to_the_tls_emulator_says_use_https(launch, tmp_path):
    url = launch("--tls-dir", str(tmp_path / "tls"))
    assert url.startswith("https://")
    # retries=0: a TLS port closes a plain request unanswered, which is retried (with backoff) otherwise
    msg = module_failure(tmp_path, url.replace("https://", "http://"), "retries=0")
    assert "(if this port serves TLS, use https:// in endpoint_url)" in msg, msg
