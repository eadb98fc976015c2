"""Helpers of the end-to-end tests: the emulator process, clean ansible environments, commands'
output (stdout and stderr apart) and its parsing. The pytest fixtures built on them are in conftest.py."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)

# The emulator's default fixture credentials (emulator/cloudops_emulator/fixtures/*.yaml), as the
# docs tell users to set them.
KSYUN_ENV = {"KSYUN_ACCESS_KEY": "AKLTEMULATOR", "KSYUN_SECRET_KEY": "emulator-ksyun-secret"}
HUAWEI_ENV = {"HUAWEICLOUD_SDK_AK": "HWEMULATOR", "HUAWEICLOUD_SDK_SK": "emulator-huawei-secret",
              "HW_REGION_NAME": "cn-north-4"}
# Every delay of the default fixtures at zero (resources reach their final status on the next
# read) and no CGS rate limit: these tests run whole playbooks several times a minute, and the
# pacing under the limit has tests of its own (integration, bench).
NO_DELAYS = {"delays": {
    "kcrs.instance": 0, "kcrs.instance_delete": 0, "kcrs.internal_endpoint": 0, "kcrs.dns": 0,
    "kcrs.scan": 0, "vpcep.service": 0, "vpcep.service_delete": 0, "vpcep.endpoint": 0,
    "vpcep.connection": 0, "kps.task": 0}, "cgs_rate_limit": 0}


class Emulator:
    """A ``cloudops-emulator`` process on a free local port."""

    def __init__(self, log_path):
        self.log_path = log_path
        port = free_port()
        self.url = "http://127.0.0.1:%d" % port
        with open(log_path, "wb") as log:
            self.proc = subprocess.Popen([os.path.join(BIN, "cloudops-emulator"), "--port", str(port)],
                                         stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.admin("GET", "/__admin/health")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    with open(log_path) as handle:
                        raise RuntimeError("the emulator did not start:\n" + handle.read())
                time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def reset(self, settings=None):
        self.admin("POST", "/__admin/reset", {"settings": settings or {}})

    def calls(self):
        return self.admin("GET", "/__admin/stats")["calls"]

    def env(self):
        """The environment a user exports to point the collection at this emulator."""
        env = dict(KSYUN_ENV, **HUAWEI_ENV)
        env["KSYUN_ENDPOINT_URL"] = self.url
        env["HUAWEICLOUD_ENDPOINT_URL"] = self.url
        return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ansible_env(collections_path, home, extra=None):
    """A clean environment for ansible-* commands: only the given collections path, and a private
    HOME so that files the playbooks write and ansible's own temp files land in a temp dir."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ANSIBLE_", "KSYUN_", "KS_", "HW_", "HUAWEICLOUD_"))}
    env.update({
        "HOME": str(home),
        "PATH": BIN + os.pathsep + env.get("PATH", ""),
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
    })
    env.update(extra or {})
    return env


class Output:
    """What a command printed, its two streams apart: parse ``stdout`` (JSON, YAML, a PLAY
    RECAP: what Ansible prints on stdout), look for warnings and errors in ``stderr``;
    ``streams`` is both, each under its name, for a failure message."""

    def __init__(self, stdout, stderr):
        self.stdout = stdout
        self.stderr = stderr

    @property
    def streams(self):
        return labelled(self.stdout, self.stderr)

    def __str__(self):
        return self.streams


def labelled(stdout, stderr):
    """A command's stdout and stderr for a human reading a failure, each under its name."""
    return "--- stdout ---\n%s\n--- stderr ---\n%s" % (stdout.rstrip("\n"), stderr.rstrip("\n"))


def run(cmd, **kwargs):
    """Run a command: its Output; fail the test with both streams when it exits non-zero.
    stderr is never mixed into stdout: dependencies print warnings there (a
    CryptographyDeprecationWarning on every ansible-* start, for one), and what a test parses is
    stdout."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False, **kwargs)
    output = Output(proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))
    if proc.returncode != 0:
        pytest.fail("%s exited %s:\n%s" % (" ".join(cmd), proc.returncode, output.streams), pytrace=False)
    return output


def recap(output):
    """{'ok': n, 'changed': n, 'failed': n, ...} of localhost from the PLAY RECAP on the stdout of
    ansible-playbook's ``output``."""
    for line in output.stdout.splitlines():
        if line.startswith("localhost") and "ok=" in line:
            return {k: int(v) for k, v in (field.split("=") for field in line.split()[2:])}
    raise AssertionError("no PLAY RECAP for localhost on stdout:\n" + output.streams)
