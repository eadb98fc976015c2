"""The example command lines of every playbook header (playbooks/*.yml), run exactly as written
through bash against the emulator, with no cloud variable but those the header names in its
"Credentials ... come from" sentence, on the account the header's example line says it assumes;
then what each example claims to do is checked in the emulator's state and the files written."""
import json
import os
import re
import subprocess

import pytest

from test_playbooks import (BIN, KEYPAIR_PLAY, OTHER, PARTNER, POOL_PLAY, REGISTRY_PLAY, ROOT, Run,
                            _endpoint_statuses, _keypair_names, _server_keypairs, cloud, emulator, play, published_service)

assert cloud and emulator  # pytest fixtures, used by name

HEADER_END = re.compile(r"^(?!#)", re.M)
# The value each cloud variable a header may name has against the emulator (its URL filled in).
CLOUD_VARIABLES = {
    "KSYUN_ACCESS_KEY": "AKLTEMULATOR", "KSYUN_SECRET_KEY": "emulator-ksyun-secret", "KSYUN_REGION": "cn-beijing-6",
    "KSYUN_ENDPOINT_URL": "{url}", "HUAWEICLOUD_SDK_AK": "HWEMULATOR", "HUAWEICLOUD_SDK_SK": "emulator-huawei-secret",
    "HW_REGION_NAME": "cn-north-4", "HUAWEICLOUD_ENDPOINT_URL": "{url}",
}


def header(name):
    with open(os.path.join(ROOT, "playbooks", name)) as handle:
        text = handle.read()
    return text[:HEADER_END.search(text, len("---\n")).start()]


def examples(name):
    """The command lines of the "# Example" paragraph, continuation lines joined as bash joins them."""
    lines = header(name).split("# Example", 1)[1].splitlines()
    commands, current = [], ""
    for line in lines:
        if not line.startswith("#   "):
            if commands:
                break
            continue  # what the example assumes and does
        current += line[len("#   "):]
        if current.endswith("\\"):
            current = current[:-1]
            continue
        commands.append(current.strip())
        current = ""
    return commands


def named_variables(name):
    """The cloud variables the header's "Credentials ... come from" sentence names."""
    sentence = re.search(r"# Credentials.*? come from (.*?)\.\n", header(name), re.S).group(1)
    return re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", sentence)


def run_example(emulator, command, home):
    env = {"PATH": BIN + os.pathsep + os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
           "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, "build", "collections"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_STDOUT_CALLBACK": "default", "ANSIBLE_RETRY_FILES_ENABLED": "0"}
    if "CLOUDOPS_WAIT_INTERVAL" in os.environ:  # make's test phases poll waits faster
        env["CLOUDOPS_WAIT_INTERVAL"] = os.environ["CLOUDOPS_WAIT_INTERVAL"]
    for variable in named_variables_of(command):
        env[variable] = CLOUD_VARIABLES[variable].format(url=emulator.url)
    return Run(subprocess.run(["bash", "-c", command], env=env, cwd=str(home), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, check=False))


def named_variables_of(command):
    playbook = re.search(r"cloudops\.multicloud\.(\w+)", command).group(1)
    return named_variables(playbook + ".yml")


def runbooks():
    return sorted(n for n in os.listdir(os.path.join(ROOT, "playbooks")) if n.endswith(".yml"))


@pytest.mark.parametrize("name", runbooks())
def test_every_example_is_a_command_of_this_playbook_and_names_known_variables(name):
    commands = examples(name)
    assert commands, name
    for command in commands:
        assert command.startswith("ansible-playbook cloudops.multicloud.%s" % name[:-4]), command
    assert named_variables(name), name
    assert set(named_variables(name)) <= set(CLOUD_VARIABLES), named_variables(name)


def test_approve_endpoint_connections_examples(cloud, tmp_path):
    service_id = published_service(cloud, tmp_path)
    accept, reject = examples("approve_endpoint_connections.yml")
    # The header's account: the partner's endpoint and the one the second example names, waiting.
    rejected = re.search(r'"endpoint_ids": \["([0-9a-f-]+)"\]', reject).group(1)
    cloud.admin("POST", "/__admin/vpcep/connect", {"service_id": service_id, "domain_id": PARTNER})
    cloud.admin("POST", "/__admin/vpcep/connect",
                {"service_id": service_id, "domain_id": OTHER, "endpoint_id": rejected})

    run = run_example(cloud, accept, tmp_path)
    assert run.rc == 0 and run.changed == 1, run.streams
    assert _endpoint_statuses(cloud) == {PARTNER: "accepted", OTHER: "pendingAcceptance"}

    run = run_example(cloud, reject, tmp_path)
    assert run.rc == 0 and run.changed == 1, run.streams
    endpoint = next(e["doc"] for e in cloud.admin("GET", "/__admin/state/vpcep")["kinds"]["vpcep.endpoint"]
                    if e["doc"]["id"] == rejected)
    assert endpoint["status"] == "rejected"
    assert endpoint["connection_description"] == "contract ended"


def test_audit_container_guard_example(cloud, tmp_path):
    (command,) = examples("audit_container_guard.yml")
    run = run_example(cloud, command, tmp_path)
    assert run.rc == 0, run.streams
    report = json.loads((tmp_path / "container-guard-audit" / "container-guard-audit.json").read_text())
    assert [f["host_name"] for f in report["findings"]] == ["cce-node-2"]


def test_resize_bandwidth_pool_example(cloud, tmp_path):
    setup = tmp_path / "pool.yml"
    setup.write_text(POOL_PLAY)
    assert play(cloud, str(setup)).rc == 0
    (command,) = examples("resize_bandwidth_pool.yml")
    run = run_example(cloud, command, tmp_path)
    assert run.rc == 0 and run.changed == 1, run.streams
    pools = [p["doc"] for p in cloud.admin("GET", "/__admin/state/bws")["kinds"]["bws.share"]]
    assert [(p["BandWidthShareName"], p["BandWidth"]) for p in pools] == [("web-egress", 200)]


def test_rotate_registry_token_example(cloud, tmp_path):
    (command,) = examples("rotate_registry_token.yml")
    token_file = tmp_path / ".kcr" / "ci-push.json"
    token_file.parent.mkdir(mode=0o700)
    setup = tmp_path / "registry.yml"
    setup.write_text(REGISTRY_PLAY % token_file)
    assert play(cloud, str(setup)).rc == 0
    before = json.loads(token_file.read_text())

    run = run_example(cloud, command, tmp_path)
    assert run.rc == 0 and run.changed == 2, run.streams
    assert json.loads(token_file.read_text())["token"] != before["token"]


def test_rotate_ssh_keypair_example(cloud, tmp_path):
    (command,) = examples("rotate_ssh_keypair.yml")
    old, new = re.search(r"old_keypair=(\S+)", command).group(1), re.search(r"new_keypair=(\S+)", command).group(1)
    servers = json.loads(re.search(r"'(\{\"server_ids\".*?\})'", command).group(1))["server_ids"]
    (tmp_path / ".ssh").mkdir(mode=0o700)
    setup = tmp_path / "keypair.yml"
    setup.write_text(KEYPAIR_PLAY.replace("deploy-old", old) % (tmp_path / ".ssh", json.dumps(servers)))
    assert play(cloud, str(setup)).rc == 0

    run = run_example(cloud, command, tmp_path)
    assert run.rc == 0, run.streams
    assert _keypair_names(cloud) == [new]
    assert _server_keypairs(cloud)["ecs-web-1"] == new
    assert oct((tmp_path / ".ssh" / (new + ".pem")).stat().st_mode & 0o777) == "0o600"


def test_demo_examples(cloud, tmp_path):
    commands = examples("demo.yml")
    for command in commands:
        run = run_example(cloud, command, tmp_path)
        assert run.rc == 0 and run.failed == 0 and run.changed > 0, run.streams
    again = run_example(cloud, commands[-1], tmp_path)
    assert again.rc == 0 and again.changed == 0, again.streams
