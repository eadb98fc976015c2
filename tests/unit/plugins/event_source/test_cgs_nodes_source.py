# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cgs_nodes event source: loaded as ansible-rulebook loads it and run against an emulator
served over HTTP (events for nodes added, changed and removed through its admin API, no replay
after a restart, startup errors, no secret anywhere), and its poller on the in-process emulator's
fake clock (the shared CGS budget kept, the interval floor and its stretch, faults survived, the
calls per interval)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import datetime
import json
import logging
import os
import runpy
import stat
import subprocess
import sys
import urllib.request

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import CGS_API
from ansible_collections.cloudops.multicloud.plugins.modules.cgs_node_info import CgsNodeInfo
from ansible_collections.cloudops.multicloud.plugins.plugin_utils import cgs_node_events, event_source
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.test_cgs_nodes import make_nodes

from cloudops_emulator.core import Emulator
from cloudops_emulator.server import serve_in_thread

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4))
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "cgs_nodes.py")
SECRET = "emulator-huawei-secret"
CREDENTIALS = dict(access_key="HWEMULATOR", secret_key=SECRET, region="cn-south-4")
NODE_1 = "caa958ad-a481-4d46-b51e-6861b8864515"
BUILD_HOST = "3b9e8f7a-1d2c-4b5a-8e6f-7c8d9e0f1a2b"
SOUTH_PROJECT = "5c4b3a2918074f6e8d7c6b5a4f3e2d1c"


# -- the source as ansible-rulebook runs it, against an emulator over HTTP ---------------------------

class Served:
    """An emulator served on a loopback port, with its admin API."""

    def __init__(self):
        self.emu = Emulator()
        self.server = serve_in_thread(self.emu)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def admin(self, method, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def listings(self):
        return self.admin("GET", "/__admin/stats")["calls"].get("cgs:ListContainerNodes", 0)


@pytest.fixture
def served():
    served = Served()
    served.admin("POST", "/__admin/settings", {"cgs_rate_limit": 0})
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.fixture
def source_main():
    """The source's ``main`` as ansible-rulebook gets it: ``runpy.run_path`` of the file."""
    return runpy.run_path(SOURCE)["main"]


def args_for(served, tmp_path, **more):
    args = dict(CREDENTIALS, endpoint_url=served.url, rate_limit_per_minute=0, interval=0.05,
                state_file=str(tmp_path / "cgs.json"))
    args.update(more)
    return args


async def run_source(main, args, state_file, changes=(), want=0, timeout=10.0):
    """Starts the source, waits for its baseline (the state file), makes ``changes`` (admin
    calls), collects ``want`` events, then cancels it: (events, what the task ended with)."""
    queue = asyncio.Queue()
    task = asyncio.ensure_future(main(queue, args))
    deadline = asyncio.get_running_loop().time() + timeout
    while not os.path.exists(state_file) and not task.done():
        assert asyncio.get_running_loop().time() < deadline, "no baseline"
        await asyncio.sleep(0.01)
    for change in changes:
        change()
    events = []
    while len(events) < want:
        events.append(await asyncio.wait_for(queue.get(), deadline - asyncio.get_running_loop().time()))
    await asyncio.sleep(0.2)  # nothing more should come
    while not queue.empty():
        events.append(queue.get_nowait())
    task.cancel()
    try:
        await task
    except asyncio.CancelledError as exc:
        return events, exc
    return events, None


def without_time(events):
    for event in events:
        observed = datetime.datetime.strptime(event.pop("observed_at"), "%Y-%m-%dT%H:%M:%SZ")
        assert abs((datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - observed).total_seconds()) < 60
    return events


def test_events_for_nodes_added_changed_and_removed(served, tmp_path, source_main):
    state_file = str(tmp_path / "cgs.json")
    changes = [
        lambda: served.admin("POST", "/__admin/cgs/node", {"host_name": "cce-node-9", "protect_status": "closed",
                                                           "host_id": "9e1f0000-0000-4000-8000-000000000009"}),
        lambda: served.admin("POST", "/__admin/cgs/node", {"host_id": NODE_1, "agent_status": "offline"}),
        lambda: served.admin("DELETE", "/__admin/cgs/node", {"host_id": BUILD_HOST}),
    ]
    events, ended = asyncio.run(run_source(source_main, args_for(served, tmp_path), state_file, changes, want=3))
    assert isinstance(ended, asyncio.CancelledError)
    where = dict(region="cn-south-4", project_id=SOUTH_PROJECT)
    assert sorted(without_time(events), key=lambda e: e["type"]) == [
        dict(where, type="cgs_nodes.appeared", host_id="9e1f0000-0000-4000-8000-000000000009", host_name="cce-node-9",
             host_status="ACTIVE", agent_status="online", protect_status="closed"),
        dict(where, type="cgs_nodes.changed", host_id=NODE_1, host_name="cce-node-1", host_status="ACTIVE",
             agent_status="offline", protect_status="opened",
             changed={"agent_status": {"before": "online", "after": "offline"}}),
        dict(where, type="cgs_nodes.gone", host_id=BUILD_HOST, host_name="build-host", host_status="BUILDING",
             agent_status="not_register", protect_status="closed"),
    ]
    # the state file (0600) holds the last listing: the fixture's three nodes, one gone, one added
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o600
    with open(state_file) as handle:
        kept = set(json.load(handle)["snapshot"])
    assert kept == {"9e1f0000-0000-4000-8000-000000000009", NODE_1, "7d2f3b1e-5c4a-4e8f-9b6d-0a1c2e3f4a5b"}


def test_a_first_start_emits_nothing_and_a_restart_replays_nothing(served, tmp_path, source_main):
    state_file = str(tmp_path / "cgs.json")
    args = args_for(served, tmp_path)
    events, _ended = asyncio.run(run_source(source_main, args, state_file))
    assert events == []
    # while the source is stopped, protection is switched off on a node: the restart reports it, once
    served.admin("POST", "/__admin/cgs/node", {"host_id": NODE_1, "protect_status": "closed"})
    events, _ended = asyncio.run(run_source(source_main, dict(args, emit_existing=True), state_file, want=1))
    assert [(e["type"], e["host_name"], e["changed"]) for e in events] == [
        ("cgs_nodes.changed", "cce-node-1", {"protect_status": {"before": "opened", "after": "closed"}})]
    events, _ended = asyncio.run(run_source(source_main, args, state_file))
    assert events == []


def test_emit_existing_reports_every_node_at_a_first_start(served, tmp_path, source_main):
    args = args_for(served, tmp_path, emit_existing=True, protect_status="closed")
    events, _ended = asyncio.run(run_source(source_main, args, args["state_file"], want=2))
    assert [(e["type"], e["host_name"]) for e in events] == [
        ("cgs_nodes.appeared", "build-host"), ("cgs_nodes.appeared", "cce-node-2")]


def test_credentials_from_the_modules_env_and_no_secret_in_events_or_logs(served, tmp_path, source_main, caplog,
                                                                          monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "HWEMULATOR")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SECRET)
    monkeypatch.setenv("HW_REGION_NAME", "cn-south-4")
    args = dict(endpoint_url=served.url, rate_limit_per_minute=0, interval=0.05, state_file=str(tmp_path / "s.json"))
    change = [lambda: served.admin("POST", "/__admin/cgs/node", {"host_id": NODE_1, "agent_status": "offline"})]
    with caplog.at_level(logging.DEBUG):
        events, _ended = asyncio.run(run_source(source_main, args, args["state_file"], change, want=1))
    assert [e["host_name"] for e in events] == ["cce-node-1"]
    assert "CGS ListContainerNodes page 1 (offset 0)" in caplog.text  # the listing's lines are logged
    assert SECRET not in json.dumps(events) + caplog.text
    with open(args["state_file"]) as handle:
        assert SECRET not in handle.read()


def test_an_iam_password_works_too_and_shows_nowhere(served, tmp_path, source_main, caplog):
    args = args_for(served, tmp_path, auth_username="emulator", auth_password="emulator-password",
                    auth_domain="emulator")
    del args["access_key"], args["secret_key"]
    change = [lambda: served.admin("POST", "/__admin/cgs/node", {"host_id": NODE_1, "protect_status": "closed"})]
    with caplog.at_level(logging.DEBUG):
        events, _ended = asyncio.run(run_source(source_main, args, args["state_file"], change, want=1))
    assert [(e["host_name"], e["changed"]) for e in events] == [
        ("cce-node-1", {"protect_status": {"before": "opened", "after": "closed"}})]
    with open(args["state_file"]) as handle:
        assert "emulator-password" not in json.dumps(events) + caplog.text + handle.read()


def test_refused_credentials_stop_the_source_without_showing_the_secret(served, tmp_path, source_main):
    args = args_for(served, tmp_path, secret_key="not-the-secret-%s" % SECRET)
    with pytest.raises(event_source.SourceError) as caught:
        asyncio.run(source_main(asyncio.Queue(), args))
    assert str(caught.value).startswith("cgs_nodes: the credentials were refused: ")
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("change, message", [
    (dict(interval=10), "cgs_nodes: interval: must be at least 15 seconds, got 10: listing 0 nodes takes 1 call, and "
                        "the source spends at most 4 of the 5 CGS calls a minute the account has (shared with the "
                        "modules and the inventory)"),
    (dict(interval=0, rate_limit_per_minute=0), "cgs_nodes: interval: must be more than 0 seconds, got 0"),
    (dict(interval="soon"), "cgs_nodes: argument 'interval' is of type str and we were unable to convert to float: "
                            "<class 'str'> cannot be converted to a float"),
    (dict(rate_limit_per_minute=1001), "cgs_nodes: rate_limit_per_minute: must be from 0 to 1000, got 1001"),
    (dict(agent_status="asleep"), "cgs_nodes: value of agent_status must be one of: not_installed, not_register, "
                                  "online, offline, got: asleep"),
    (dict(host_name="node\n"), "cgs_nodes: host_name: 'node\\n' is not a valid CGS node host name: 1 to 255 "
                               "characters, no control characters, no space at either end"),
    (dict(region=None), "cgs_nodes: region: required; set the region option or the HW_REGION_NAME environment "
                        "variable"),
])
def test_startup_errors_name_the_option_and_send_nothing(served, tmp_path, source_main, change, message, monkeypatch):
    monkeypatch.delenv("HW_REGION_NAME", raising=False)
    args = args_for(served, tmp_path, rate_limit_per_minute=5, interval=60)
    args.update(change)
    with pytest.raises(event_source.SourceError) as caught:
        asyncio.run(source_main(asyncio.Queue(), args))
    assert str(caught.value) == message
    assert served.listings() == 0


def test_the_floor_at_startup_counts_the_pages_of_the_last_listing(served, tmp_path, source_main):
    state_file = tmp_path / "cgs.json"
    event_source.StateFile(str(state_file)).save(dict(("id-%d" % n, {}) for n in range(4500)))
    with pytest.raises(event_source.SourceError, match=r"^cgs_nodes: interval: must be at least 75 seconds, got 60: "
                                                       r"listing 4500 nodes takes 5 calls"):
        asyncio.run(source_main(asyncio.Queue(), args_for(served, tmp_path, rate_limit_per_minute=5, interval=60)))
    assert served.listings() == 0


def test_loaded_from_a_linked_collection_tree_outside_any_import_path(tmp_path):
    # ansible-rulebook's runpy.run_path in a process where the collection is not importable: the
    # source finds its root from its own path, as written (through the link)
    link = tmp_path / "root" / "ansible_collections" / "cloudops" / "multicloud"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT)
    source = str(link / "extensions" / "eda" / "plugins" / "event_source" / "cgs_nodes.py")
    script = "import runpy, sys; ns = runpy.run_path(sys.argv[1]); print(ns['cgs_node_events'].__file__)"
    out = subprocess.run([sys.executable, "-c", script, source], cwd=str(tmp_path), check=True, capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH="")).stdout
    assert out.strip() == str(link / "plugins" / "plugin_utils" / "cgs_node_events.py")


# -- the poller on the in-process emulator's fake clock ------------------------------------------

def poller_on(cloud, clock, nodes=None, settings=None, **params):
    """A NodePoller of the account's nodes in cn-south-4, paced in the account's shared budget on
    ``clock``; ``nodes`` (fixture entries) and ``settings`` reset the emulator first."""
    if nodes is not None:
        cloud.set_cgs_nodes(nodes, settings=dict({"cgs_rate_limit": 5}, **(settings or {})))
    args = dict(CREDENTIALS, interval=15)
    args.update(params)
    values = event_source.source_params(args, cgs_node_events.ARGUMENT_SPEC, "cgs_nodes")
    cloud.admit("huawei", values["access_key"], values["secret_key"])
    client = cloud.attach(CGS_API.client(values))
    pacer = CGS_API.pacer_of(client, sleep=clock.sleep, monotonic=clock.monotonic)
    return cgs_node_events.NodePoller(client, values, pacer=pacer)


def drive(poller, state, clock, reads, between=None):
    """``event_source.run`` for ``reads`` listings on the fake clock (its sleeps move the clock on;
    ``between(n)`` runs in the n-th one), then cancelled: (events, the sleeps it asked for)."""
    queue, sleeps = asyncio.Queue(), []

    async def sleep(seconds):
        sleeps.append(seconds)
        clock.sleep(seconds)
        if between is not None:
            between(len(sleeps))
        if len(sleeps) >= reads:
            asyncio.current_task().cancel()
        await asyncio.sleep(0)

    async def main():
        with pytest.raises(asyncio.CancelledError):
            await event_source.run(queue, poller, state, poller.params["interval"], sleep=sleep)

    asyncio.run(main())
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events, sleeps


def listing_calls(cloud):
    return [c for c in cloud.calls if c.operation == "ListContainerNodes"]


def assert_budget_kept(cloud, per_minute=5):
    """The service refused no call, and no 60 s held more than ``per_minute`` of them."""
    calls = listing_calls(cloud)
    assert [c.status for c in calls if c.status != 200] == []
    times = [c.at for c in calls]
    for start in times:
        assert len([t for t in times if start <= t < start + 60]) <= per_minute, times


@pytest.fixture
def state(tmp_path):
    return event_source.StateFile(str(tmp_path / "state.json"))


def test_a_source_and_the_module_on_one_account_keep_the_budget(cloud, clock, state):
    # 3000 nodes: 3 calls a listing, every 45 s (the least the budget allows for 3 pages); meanwhile
    # cgs_node_info lists them too (3 calls) on the same account: the service never refuses a call
    poller = poller_on(cloud, clock, make_nodes(3000), interval=45)
    outcomes = []

    def module_meanwhile(n):
        if n in (1, 3):
            outcomes.append(cloud.run(CgsNodeInfo, dict(CREDENTIALS)))

    drive(poller, state, clock, reads=5, between=module_meanwhile)
    assert [len(o["nodes"]) for o in outcomes] == [3000, 3000]
    assert len(listing_calls(cloud)) == 5 * 3 + 2 * 3
    assert_budget_kept(cloud)


def test_two_sources_on_one_account_keep_the_budget(cloud, clock, tmp_path):
    first = poller_on(cloud, clock, make_nodes(2500), interval=45)
    second = poller_on(cloud, clock, agent_status="offline", interval=45)
    for _round in range(4):
        assert len(first.read()) == 2500
        assert len(second.read()) == 625
        clock.sleep(45)
    assert len(listing_calls(cloud)) == 4 * (3 + 1)
    assert_budget_kept(cloud)


def test_the_interval_stretches_while_the_listing_needs_more_pages(cloud, clock, state, caplog):
    poller = poller_on(cloud, clock, make_nodes(900), interval=15)

    def grow_then_shrink(n):
        if n == 1:
            with cloud.unrecorded():
                cloud.set_cgs_nodes(make_nodes(2100), settings={"cgs_rate_limit": 5})
        if n == 3:
            with cloud.unrecorded():
                cloud.set_cgs_nodes(make_nodes(900), settings={"cgs_rate_limit": 5})

    with caplog.at_level(logging.WARNING):
        events, sleeps = drive(poller, state, clock, reads=4, between=grow_then_shrink)
    assert sleeps == [15, 45, 45, 15]
    assert caplog.messages == ["cgs_nodes: the listing now takes 3 CGS calls, more than an interval of 15 s allows "
                               "within the budget (4 of 5 calls a minute): polling every 45 s instead"]
    assert [e["type"] for e in events] == ["cgs_nodes.appeared"] * 1200 + ["cgs_nodes.gone"] * 1200
    assert_budget_kept(cloud)


@pytest.mark.parametrize("fault", [
    dict(kind="throttle", times=3),  # 429 APIGW.0308, past the transport's retries (2 here)
    dict(kind="error", times=3, error_status=503),
    dict(kind="error", times=1, error_status=500, error_code="HSS.0041", error_message="Query host extend info error"),
])
def test_faults_are_survived_and_the_change_is_reported_after(cloud, clock, state, caplog, fault):
    poller = poller_on(cloud, clock, make_nodes(10), interval=15, retries=2)
    fault = dict(fault)

    def change_then_fault(n):
        if n == 1:
            cloud.admin("POST", "/__admin/cgs/node", {"host_id": "id-00001", "protect_status": "opened"})
            cloud.fault_next("cgs", "ListContainerNodes", fault.pop("kind"), **fault)

    with caplog.at_level(logging.WARNING):
        events, sleeps = drive(poller, state, clock, reads=3, between=change_then_fault)
    assert [(e["type"], e["host_id"], e["changed"]) for e in events] == [
        ("cgs_nodes.changed", "id-00001", {"protect_status": {"before": "closed", "after": "opened"}})]
    assert sleeps[:2] == [15, 15]  # the failed read backs off one interval
    assert "cgs_nodes: reading failed (cgs ListContainerNodes failed" in caplog.text


@pytest.mark.parametrize("count, calls, least", [(10, 1, 15), (1000, 1, 15), (10000, 10, 150)])
def test_calls_per_interval_and_the_least_interval(cloud, clock, count, calls, least):
    poller = poller_on(cloud, clock, make_nodes(count), settings={"cgs_rate_limit": 0}, rate_limit_per_minute=5)
    assert len(poller.read()) == count
    assert (len(listing_calls(cloud)), poller.calls) == (calls, calls)
    assert cgs_node_events.least_interval(poller.calls, 5) == least
    assert cgs_node_events.least_interval(cgs_node_events.pages_of(count), 5) == least


# -- the rulebook -------------------------------------------------------------------------------

def test_the_guard_new_nodes_rulebook_names_what_exists():
    # what ansible-rulebook resolves at run time: the source and its options, the runbook and its
    # variables (the end-to-end run is docs/eda.md's command line)
    import yaml  # pylint: disable=import-outside-toplevel
    with open(os.path.join(ROOT, "extensions", "eda", "rulebooks", "guard_new_nodes.yml")) as handle:
        (ruleset,) = yaml.safe_load(handle)
    (source,) = ruleset["sources"]
    assert set(source["cloudops.multicloud.cgs_nodes"]) <= set(cgs_node_events.ARGUMENT_SPEC)
    (rule,) = ruleset["rules"]
    run = rule["action"]["run_playbook"]
    namespace, collection, playbook = run["name"].split(".")
    assert (namespace, collection) == ("cloudops", "multicloud")
    assert os.path.exists(os.path.join(ROOT, "playbooks", playbook + ".yml"))
    with open(os.path.join(ROOT, "roles", "container_guard_audit", "meta", "argument_specs.yml")) as handle:
        role_options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    assert set(run["extra_vars"]) <= set(role_options)
    for word in ("cgs_nodes.appeared", "cgs_nodes.changed", "protect_status", "agent_status", "closed", "offline"):
        assert word in rule["condition"]
