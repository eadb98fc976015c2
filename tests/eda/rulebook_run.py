"""What the end-to-end rulebook runs of ``make eda`` share: ansible-rulebook from EDA_VENV, a local
emulator process, waiting for something to happen, and stopping ansible-rulebook."""
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CTL = os.path.join(ROOT, "tools", "emulator_ctl.py")


def eda_bin():
    """The bin directory of the venv holding ansible-rulebook (EDA_VENV)."""
    venv = os.environ.get("EDA_VENV")
    if not venv or not os.path.exists(os.path.join(venv, "bin", "ansible-rulebook")):
        pytest.fail("EDA_VENV must name the venv holding ansible-rulebook (make eda builds build/venv-eda)")
    return os.path.join(os.path.abspath(venv), "bin")


def admin(url, method, path, body=None):
    """An emulator admin call: its JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


@contextlib.contextmanager
def emulator_process(directory):
    """A local emulator (tools/emulator_ctl.py) for the block: its URL."""
    url = subprocess.run([sys.executable, CTL, "start", directory], check=True, stdout=subprocess.PIPE,
                         text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([sys.executable, CTL, "stop", directory], check=False)


def wait_for(what, check, timeout):
    """``check()``'s first true answer within ``timeout`` seconds; AssertionError naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("no %s within %ds" % (what, timeout))


def stop(process):
    """Stops ansible-rulebook (its process group) as Ctrl-C would, killing it after 15 s."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
