"""extensions/eda/rulebooks/approve_whitelisted_connections.yml against the emulator: the rule's
runbook call, its extra vars rendered from a real vpcep_connections event, accepts exactly that
endpoint; and, where ansible-rulebook is installed, the header's command lines run as written."""
import asyncio
import contextlib
import json
import os
import runpy
import signal
import subprocess
import time

import jinja2
import pytest
import yaml

from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import VPCEP_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.services import create_service
from test_playbooks import BIN, OTHER, PARTNER, ROOT, _endpoint_statuses, cloud, emulator, play  # noqa: F401  pylint: disable=unused-import

RULEBOOK = os.path.join(ROOT, "extensions", "eda", "rulebooks", "approve_whitelisted_connections.yml")
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "vpcep_connections.py")
# Where ansible-rulebook is: make eda runs the header test with EDA_VENV (build/venv-eda, from
# tests/lock/eda.lock; it needs Java 17); the playbooks phase leaves that one test to it.
EDA_VENV = os.environ.get("EDA_VENV")
RULEBOOK_BIN = os.environ.get("CLOUDOPS_ANSIBLE_RULEBOOK") or (
    os.path.join(EDA_VENV, "bin", "ansible-rulebook") if EDA_VENV else None)
CREDENTIALS = {"access_key": "HWEMULATOR", "secret_key": "emulator-huawei-secret", "region": "cn-north-4"}
SERVICE = {"vpc_id": "4dfe5c6e-0000-4000-8000-000000000001", "port_id": "a1b2c3d4-0000-4000-8000-000000000001",
           "server_type": "LB", "service_name": "orders-api", "service_type": "interface", "approval_enabled": True,
           "ports": [{"client_port": 443, "server_port": 8443, "protocol": "TCP"}]}


def service_with_requests(cloud, *accounts):
    """An endpoint service with approval and a request waiting from each of ``accounts``: its id."""
    cloud.admin("POST", "/__admin/settings", {"delays": {"vpcep.service": 0, "vpcep.endpoint": 0,
                                                         "vpcep.connection": 0}})
    client = VPCEP_API.client(dict(CREDENTIALS, endpoint_url=cloud.url, timeout=10, retries=0, validate_certs=True))
    service_id = create_service(client, SERVICE)["id"]
    for account in accounts:
        connect(cloud, service_id, account)
    cloud.calls()
    return service_id


def connect(cloud, service_id, account):
    return cloud.admin("POST", "/__admin/vpcep/connect", {"service_id": service_id, "domain_id": account})["id"]


def first_events(cloud, state_file):
    """The events of the source's first listing (runpy, as ansible-rulebook loads it)."""
    main = runpy.run_path(SOURCE)["main"]

    async def listen():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(main(queue, dict(CREDENTIALS, endpoint_url=cloud.url, interval=30,
                                                      state_file=str(state_file))))
        while not os.path.exists(state_file):
            await asyncio.sleep(0.05)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        events = []
        while not queue.empty():
            events.append(queue.get_nowait())
        return events

    return asyncio.run(listen())


def the_rule():
    with open(RULEBOOK, encoding="utf-8") as handle:
        [ruleset] = yaml.safe_load(handle)
    [rule] = ruleset["rules"]
    return rule


def rendered(value, event):
    """``value`` with its templates rendered over ``event``, as ansible-rulebook renders extra vars."""
    if isinstance(value, dict):
        return dict((k, rendered(v, event)) for k, v in value.items())
    if isinstance(value, list):
        return [rendered(v, event) for v in value]
    return jinja2.Template(value).render(event=event) if isinstance(value, str) else value


def test_the_rules_runbook_call_accepts_the_endpoint_of_the_event_only(cloud, tmp_path):
    service_with_requests(cloud, PARTNER, OTHER)
    events = first_events(cloud, tmp_path / "state.json")
    assert sorted((e["type"], e["domain_id"]) for e in events) == sorted(
        [("vpcep_connections.pending", PARTNER), ("vpcep_connections.pending", OTHER)])
    rule = the_rule()
    assert rule["condition"] == ('event.type == "vpcep_connections.pending" and event.domain_id in '
                                 'vars.whitelisted_accounts')
    action = rule["action"]["run_playbook"]
    assert action["name"] == "cloudops.multicloud.approve_endpoint_connections"
    [partners] = [e for e in events if e["domain_id"] == PARTNER]  # what the condition selects

    run = play(cloud, "approve_endpoint_connections", "-e", json.dumps(rendered(action["extra_vars"], partners)))

    assert run.rc == 0 and run.changed == 1, run.streams
    assert _endpoint_statuses(cloud) == {PARTNER: "accepted", OTHER: "pendingAcceptance"}


def example_lines():
    """The command lines under ``# Example:`` in the rulebook's header."""
    with open(RULEBOOK, encoding="utf-8") as handle:
        header = [line[1:].strip() for line in handle if line.startswith("#")]
    return header[header.index("Example:") + 1:]


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.skipif(RULEBOOK_BIN is None, reason="make eda runs it, with ansible-rulebook from EDA_VENV")
def test_the_header_example_approves_waiting_and_new_requests_of_whitelisted_accounts(cloud, tmp_path):
    service_id = service_with_requests(cloud, PARTNER, OTHER)
    env = dict(os.environ, HOME=str(tmp_path), HUAWEICLOUD_ENDPOINT_URL=cloud.url,
               PATH=os.pathsep.join([os.path.dirname(RULEBOOK_BIN), BIN, os.environ["PATH"]]),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "build", "collections"), ANSIBLE_NOCOLOR="1",
               HUAWEICLOUD_SDK_AK=CREDENTIALS["access_key"], HUAWEICLOUD_SDK_SK=CREDENTIALS["secret_key"],
               HW_REGION_NAME=CREDENTIALS["region"])
    *files, command = example_lines()
    for line in files:
        subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, check=True)
    with open(tmp_path / "partners.yml", "a", encoding="utf-8") as handle:
        handle.write("poll_interval: 1\n")  # not a minute for the request made at run time
    output = open(tmp_path / "rulebook.out", "w+", encoding="utf-8")  # pylint: disable=consider-using-with
    proc = subprocess.Popen(["bash", "-c", "exec " + command], cwd=tmp_path, env=env, stdout=output,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        waiting = wait_for(lambda: _endpoint_statuses(cloud)[PARTNER] == "accepted", 180)
        asked = time.monotonic()
        new = connect(cloud, service_id, PARTNER)
        accepted = wait_for(lambda: endpoint_status(cloud, new) == "accepted", 120)
        latency = time.monotonic() - asked
        # The runbook accepts before it prints its recap: stop ansible-rulebook only after both runs end.
        wait_for(lambda: (tmp_path / "rulebook.out").read_text(encoding="utf-8").count("PLAY RECAP") >= 2, 60)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    output.seek(0)
    log = output.read()
    assert waiting and accepted, log[-6000:]
    assert _endpoint_statuses(cloud)[OTHER] == "pendingAcceptance"
    assert log.count("PLAY RECAP") == 2, log[-6000:]  # one runbook run per whitelisted request
    assert CREDENTIALS["secret_key"] not in log
    print("request to accepted (poll_interval 1, runbook included): %.1f s" % latency)


def endpoint_status(cloud, endpoint_id):
    endpoints = cloud.admin("GET", "/__admin/state/vpcep")["kinds"].get("vpcep.endpoint", [])
    return next((e["doc"]["status"] for e in endpoints if e["doc"]["id"] == endpoint_id), None)
