"""make eda: the guard_new_nodes rulebook run end to end by ansible-rulebook (build/venv-eda, from
tests/lock/eda.lock) against a local emulator, its header's example lines as written: a container
node made unprotected through the emulator's admin API -> the cgs_nodes source's event -> the
audit_container_guard runbook -> its report names that node.

The source polls at the least interval the CGS budget allows (15 s: 5 calls a minute, 4 of them
the source's), so the node's event comes at most 15 s after it appeared."""
import glob
import json
import os
import subprocess
import time

import pytest

from rulebook_run import ROOT, admin, eda_bin, emulator_process, stop, wait_for

RULEBOOK = os.path.join(ROOT, "extensions", "eda", "rulebooks", "guard_new_nodes.yml")
SECRET = "emulator-huawei-secret"
LEAST_INTERVAL = 15


def example_lines():
    """The lines under ``# Example:`` in the rulebook's header: the ``export`` of the variables
    the user sets, then the command lines."""
    with open(RULEBOOK, encoding="utf-8") as handle:
        header = [line[1:].strip() for line in handle if line.startswith("#")]
    return header[header.index("Example:") + 1:]


def exported_names(line):
    assert line.startswith("export "), line
    return sorted(word.split("=", 1)[0] for word in line.split()[1:])


@pytest.fixture
def emulator_url(tmp_path):
    with emulator_process(str(tmp_path / "emulator")) as url:
        yield url


def findings(report):
    if not os.path.exists(report):
        return None
    with open(report, encoding="utf-8") as handle:
        return dict((f["host_name"], f["problems"]) for f in json.load(handle)["findings"])


def test_a_node_made_unprotected_is_audited_by_the_guard_new_nodes_rulebook(emulator_url, tmp_path):
    started = time.monotonic()
    bin_dir = eda_bin()
    home = tmp_path / "home"
    home.mkdir()
    # What the header's export line sets, here for the emulator.
    exported = dict(HUAWEICLOUD_SDK_AK="HWEMULATOR", HUAWEICLOUD_SDK_SK=SECRET, HW_REGION_NAME="cn-south-4",
                    CGS_NODES_INTERVAL=str(LEAST_INTERVAL))
    export, *commands = example_lines()
    assert exported_names(export) == sorted(exported)
    env = dict(os.environ, **exported, PATH=bin_dir + os.pathsep + os.environ["PATH"], HOME=str(home),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "build", "collections"), ANSIBLE_NOCOLOR="1",
               HUAWEICLOUD_ENDPOINT_URL=emulator_url)
    *files, command = commands
    for line in files:
        subprocess.run(["bash", "-c", line], cwd=str(tmp_path), env=env, check=True)
    state_files = str(home / ".ansible" / "tmp" / "*" / "eda" / "cgs_nodes-*.json")
    report = str(home / "container-guard-audit" / "container-guard-audit.json")
    log = tmp_path / "ansible-rulebook.log"
    with open(log, "w", encoding="utf-8") as output:
        rulebook = subprocess.Popen(["bash", "-c", "exec " + command], cwd=str(tmp_path), env=env, stdout=output,
                                    stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # The first listing is the baseline (it emits nothing): the node comes once it is saved.
        wait_for("baseline of the source", lambda: glob.glob(state_files) or rulebook.poll() is not None, 60)
        assert rulebook.poll() is None, log.read_text()
        admin(emulator_url, "POST", "/__admin/cgs/node", {"host_name": "new-node", "protect_status": "closed"})
        appeared = time.monotonic()
        audited = wait_for("audit report naming new-node",
                           lambda: "new-node" in (findings(report) or {}) or rulebook.poll() is not None,
                           LEAST_INTERVAL + 60)
        reported = time.monotonic()
        wait_for("end of the audit run", lambda: "PLAY RECAP" in log.read_text() or rulebook.poll() is not None, 30)
    finally:
        stop(rulebook)
    output = log.read_text()
    assert audited is True, output
    assert findings(report)["new-node"] == ["protection_closed"], output
    # One event (--print-events), the new node's: the unprotected nodes there at the start are the baseline.
    assert output.count("[received event]") == 1, output
    assert "'host_name': 'new-node'" in output and "'type': 'cgs_nodes.appeared'" in output, output
    assert SECRET not in output
    print("\nguard_new_nodes (interval %ds): node -> audit report %.1fs; the whole test %.1fs"
          % (LEAST_INTERVAL, reported - appeared, time.monotonic() - started))
