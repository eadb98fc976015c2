"""Helpers for running the inventory plugins for real (ansible-inventory, ansible-playbook) against
an emulator started in this process: fixture documents, environment, admin calls. Used by
test_inventory_plugins.py and bench/bench_inventory.py."""

import copy
import json
import os
import subprocess
import sys
import urllib.request

import yaml
from cloudops_emulator.core import FIXTURES_DIR, Emulator
from cloudops_emulator.server import serve_in_thread

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_targets import HUAWEI_ENV, KSYUN_ENV, collections_path, labelled  # noqa: E402  pylint: disable=wrong-import-position

BIN = os.path.dirname(sys.executable)
ROOT_DOC = os.path.join(os.path.dirname(os.path.dirname(HERE)), "docs", "inventory.md")
SOUTH_PROJECT = "5c4b3a2918074f6e8d7c6b5a4f3e2d1c"


class EmulatorServer:
    """An emulator in a background thread, with `admin()`, `reset()` and `calls()`."""

    def __init__(self):
        self.emu = Emulator()
        self.server = serve_in_thread(self.emu)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def reset(self, settings=None, huawei=None, ksyun=None):
        """Default fixtures with `huawei`/`ksyun` entries added to those sections."""
        doc = {"settings": settings or {}}
        for cloud, extra in (("huawei", huawei), ("ksyun", ksyun)):
            if extra:
                with open(os.path.join(FIXTURES_DIR, cloud + ".yaml"), encoding="utf-8") as handle:
                    section = copy.deepcopy(yaml.safe_load(handle)[cloud])
                section.update(extra)
                doc[cloud] = section
        self.admin("POST", "/__admin/reset", doc)

    def calls(self):
        return self.admin("GET", "/__admin/stats")["calls"]

    def clear_calls(self):
        self.admin("DELETE", "/__admin/stats")


def registries(count, region="cn-beijing-6", prefix="registry"):
    """KSYUN fixture entries for `count` KCR instances (Running at once)."""
    return {"kcrs": {"instances": [{"InstanceName": "%s-%d" % (prefix, n), "region": region,
                                    "InstanceType": "premium" if n % 2 == 0 else "basic"}
                                   for n in range(1, count + 1)]}}


def ansible_env(url, home):
    env = dict(os.environ)
    env.update(KSYUN_ENV)
    env.update(HUAWEI_ENV)
    env.pop("HW_REGION_NAME", None)
    env.update({
        "KSYUN_ENDPOINT_URL": url,
        "HUAWEICLOUD_ENDPOINT_URL": url,
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "1",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
        "ANSIBLE_HOME": os.path.join(home, "ansible"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "0",
    })
    return env


def write_yaml(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, sort_keys=False)
    return str(path)


def inventory(env, source, *args):
    """`ansible-inventory -i source args...`: (returncode, stdout, stderr)."""
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(source)] + list(args), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def inventory_list(env, source, output, *args):
    """`ansible-inventory --list --output output`: (inventory dict, stdout, stderr). -v lines are
    on stdout, warnings and errors on stderr."""
    code, out, err = inventory(env, source, "--list", "--output", str(output), *args)
    assert code == 0, labelled(out, err)
    with open(output, encoding="utf-8") as handle:
        return json.load(handle, object_hook=plain), out, err


def plain(obj):
    """--output files mark templated strings as {"__ansible_unsafe": value}: the value."""
    return obj["__ansible_unsafe"] if list(obj) == ["__ansible_unsafe"] else obj


def hosts_of(listing, group):
    return sorted(listing.get(group, {}).get("hosts", []))
