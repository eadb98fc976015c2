"""The demo as two launches of one AWX job template: each job gets a fresh private data directory,
a fresh HOME and a fresh output directory (AWX starts every job on a fresh file system), against the
same cloud. The second job finds the push token and the SSH keypair made by the first, without
their files, and rotates both (the demo's on_missing_file: rotate); no secret reaches the job's
output or events.
"""
import glob
import json
import os
import subprocess

import ansible_runner
import pytest
import yaml

from cloudops_emulator.huawei.kps.sshkeys import private_matches
from e2e_support import BIN, HUAWEI_ENV, KSYUN_ENV, NO_DELAYS
from test_awx_runner import awx_env

TOKEN_FILE = "kcr-ci-push-token.json"
KEY_FILE = "demo-deploy.pem"


@pytest.fixture(scope="module")
def installed(tmp_path_factory, collection_tarball):
    """The collection as AWX's project sync installs it (requirements_collections)."""
    path = tmp_path_factory.mktemp("requirements_collections")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "-p", str(path),
                    collection_tarball], check=True, stdout=subprocess.DEVNULL)
    return str(path)


def launch(job_dir, installed, emulator):
    """One job: a fresh private data directory (its HOME and output directory inside), run."""
    pdd, home = job_dir / "runner", job_dir / "home"
    for directory in (pdd / "env", pdd / "inventory", pdd / "project", home):
        directory.mkdir(parents=True)
    envvars = awx_env(emulator)
    envvars.update({"ANSIBLE_COLLECTIONS_PATH": installed, "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
                    "HOME": str(home), "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
                    "ANSIBLE_FORCE_COLOR": "False"})
    (pdd / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    (pdd / "env" / "extravars").write_text(yaml.safe_dump({"demo_output_dir": str(home / "demo")}))
    (pdd / "env" / "settings").write_text(yaml.safe_dump({"job_timeout": 600, "idle_timeout": 300,
                                                          "suppress_ansible_output": True}))
    (pdd / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % os.path.join(BIN, "python"))
    (pdd / "project" / "demo.yml").write_text(
        "---\n- name: The demo, as a job template runs it\n  ansible.builtin.import_playbook: cloudops.multicloud.demo\n")
    job = ansible_runner.run(private_data_dir=str(pdd), playbook="demo.yml", quiet=True)
    assert (job.status, job.rc) == ("successful", 0), job.stdout.read()
    return job, home / "demo"


def job_output(pdd):
    """What AWX stores and shows of a job: its stdout and its events."""
    paths = glob.glob(str(pdd / "artifacts" / "*" / "stdout"))
    paths += glob.glob(str(pdd / "artifacts" / "*" / "job_events" / "*.json"))
    assert len(paths) > 20
    text = []
    for path in paths:
        with open(path, errors="replace") as handle:
            text.append(handle.read())
    return "\n".join(text)


def state(emulator, service, kind):
    """The emulator's stored documents of ``kind``, secrets included."""
    return [r["doc"] for r in emulator.admin("GET", "/__admin/state/%s?secrets=1" % service)["kinds"].get(kind, [])]


def push_tokens(emulator):
    return [t["TokenId"] for t in state(emulator, "kcrs", "kcrs.token") if t["Desc"] == "ci-push"]


def keypairs(emulator):
    return dict((k["name"], k["public_key"]) for k in state(emulator, "kps", "kps.keypair"))


def delta(before, after):
    return dict((op, n - before.get(op, 0)) for op, n in after.items() if n != before.get(op, 0))


def test_the_demo_job_runs_twice_each_time_on_a_fresh_file_system(tmp_path, installed, emulator, monkeypatch):
    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    emulator.reset(NO_DELAYS)
    _first, first_out = launch(tmp_path / "job-1", installed, emulator)
    first_token = json.loads((first_out / TOKEN_FILE).read_text())
    first_key = (first_out / KEY_FILE).read_text()
    [first_token_id] = push_tokens(emulator)
    assert private_matches(first_key, keypairs(emulator)["demo-deploy"])
    before = emulator.calls()

    second, second_out = launch(tmp_path / "job-2", installed, emulator)
    calls = delta(before, emulator.calls())

    # The second job rotated both: a new credential and keypair, written 0600, the old ones deleted.
    assert sum(second.stats["changed"].values()) > 0 and second.stats["failures"] == {}
    assert calls["kcrs:CreateInstanceToken"] == 1 and calls["kcrs:DeleteInstanceToken"] == 1
    assert calls["kps:CreateKeypair"] == 2 and calls["kps:DeleteKeypair"] == 2
    second_token = json.loads((second_out / TOKEN_FILE).read_text())
    second_key = (second_out / KEY_FILE).read_text()
    for path in (second_out / TOKEN_FILE, second_out / KEY_FILE):
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    [second_token_id] = push_tokens(emulator)
    assert second_token_id != first_token_id and second_token["token"] != first_token["token"]
    stored = keypairs(emulator)
    assert sorted(stored) == ["demo-deploy"]  # the temporary keypair of the rotation is gone too
    assert private_matches(second_key, stored["demo-deploy"]) and not private_matches(first_key, stored["demo-deploy"])
    # ... and the servers were bound again, to the new keypair
    assert calls["kps:DisassociateKeypair"] == 2
    servers = state(emulator, "ecs", "ecs.server")
    assert [s["keypair_name"] for s in servers if s["name"].startswith("ecs-web-")] == ["demo-deploy"] * 2

    # No secret in what AWX stores of either job: the credentials' nor those the jobs made.
    secrets = [KSYUN_ENV["KSYUN_SECRET_KEY"], HUAWEI_ENV["HUAWEICLOUD_SDK_SK"], first_token["token"],
               second_token["token"]]
    secrets += [line for key in (first_key, second_key) for line in key.splitlines()[1:-1]]
    for job_dir in (tmp_path / "job-1", tmp_path / "job-2"):
        shown = job_output(job_dir / "runner")
        assert not [s for s in secrets if s in shown], job_dir
