"""make eda: the scan_on_push rulebook run end to end by ansible-rulebook (build/venv-eda, from
tests/lock/eda.lock) against a local emulator: an image pushed (the emulator's push hook) -> the
kcr_images source's event -> the scan_image playbook -> a scan started, seen in the emulator's
state. The command is the one the rulebook's header gives."""
import datetime
import os
import re
import shlex
import subprocess
import time

import pytest
import yaml

from cloudops_emulator.core import FIXTURES_DIR
from rulebook_run import ROOT, admin, eda_bin, emulator_process, stop, wait_for

RULEBOOK = os.path.join(ROOT, "extensions", "eda", "rulebooks", "scan_on_push.yml")
SECRET = "emulator-ksyun-secret"
INTERVAL = 1
EVENT_BANNER = re.compile(r"\*\* (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \[received event\]")


def header_command():
    """The ansible-rulebook command line the rulebook's header gives."""
    with open(RULEBOOK, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#   ansible-rulebook "):
                return shlex.split(line[1:])
    raise AssertionError("scan_on_push.yml: its header gives no ansible-rulebook command line")


class Emulator:
    def __init__(self, url):
        self.url = url

    def admin(self, method, path, body=None):
        return admin(self.url, method, path, body)

    def calls(self, action):
        return self.admin("GET", "/__admin/stats")["calls"].get("kcrs:" + action, 0)

    def images(self):
        return dict((entry["doc"]["ImageId"], entry["doc"])
                    for entry in self.admin("GET", "/__admin/state/kcrs")["kinds"].get("kcrs.image", []))


@pytest.fixture
def emulator(tmp_path):
    with emulator_process(str(tmp_path / "emulator")) as url:
        emulator = Emulator(url)
        with open(os.path.join(FIXTURES_DIR, "ksyun.yaml"), encoding="utf-8") as handle:
            ksyun = yaml.safe_load(handle)["ksyun"]
        ksyun["kcrs"] = {"instances": [{"InstanceName": "eda-registry", "namespaces": [
            {"Namespace": "apps", "images": [{"repository": "web", "tag": "1.0"}]}]}]}
        emulator.admin("POST", "/__admin/reset", {"ksyun": ksyun})
        yield emulator


def test_a_pushed_image_is_scanned_by_the_scan_on_push_rulebook(emulator, tmp_path):
    bin_dir = eda_bin()
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": os.path.join(bin_dir, "python")}}}}))
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], HOME=str(tmp_path),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "build", "collections"), ANSIBLE_NOCOLOR="1",
               KSYUN_ACCESS_KEY="AKLTEMULATOR", KSYUN_SECRET_KEY=SECRET, KSYUN_ENDPOINT_URL=emulator.url,
               kcr_images_interval=str(INTERVAL))
    existing = set(emulator.images())
    log = tmp_path / "ansible-rulebook.log"
    with open(log, "w") as output:
        command = header_command()
        command[0] = os.path.join(bin_dir, command[0])  # (Popen looks commands up on this process's PATH)
        rulebook = subprocess.Popen(command, cwd=str(tmp_path), env=env, stdout=output,
                                    stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # The source's first read (the baseline, which emits nothing) is over when its second begins; then a push.
        wait_for("second read by the source", lambda: emulator.calls("DescribeRepository") >= 2 or rulebook.poll(), 60)
        assert rulebook.poll() is None, log.read_text()
        pushed = emulator.admin("POST", "/__admin/kcr/push", {"instance_name": "eda-registry", "namespace": "apps",
                                                              "repository": "api", "tag": "2.0"})
        pushed_at = time.time()
        digest = pushed["ImageId"]
        wait_for("scan of the pushed image", lambda: emulator.images()[digest].get("_scan") or rulebook.poll(), 60)
        scanned_at = time.time()
        wait_for("end of the scan_image run", lambda: "PLAY RECAP" in log.read_text() or rulebook.poll(), 30)
    finally:
        stop(rulebook)
    output = log.read_text()
    assert emulator.images()[digest]["_scan"], output
    assert all(not emulator.images()[d]["_scan"] for d in existing), "an image there before the start was scanned"
    assert emulator.calls("StartImageScan") == 1, output
    assert "apps/api@%s: scan started" % digest in output, output
    assert re.search(r"localhost\s+: ok=\d+\s+changed=1\s+unreachable=0\s+failed=0", output), output
    assert SECRET not in output
    received = datetime.datetime.strptime(EVENT_BANNER.search(output).group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
    print("\nscan_on_push (interval %ds): push -> event %.1fs, push -> scan started %.1fs"
          % (INTERVAL, received - pushed_at, scanned_at - pushed_at))
