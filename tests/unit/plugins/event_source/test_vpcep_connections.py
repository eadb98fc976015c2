# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vpcep_connections event source against the emulator: requests made at run time through the
emulator's admin API, their acceptance or rejection, first starts and restarts, faults, the calls
made per interval, and ansible-rulebook's way of loading the source (runpy) over real HTTP."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import os
import runpy
import stat
import subprocess
import sys
import time
import urllib.request

import pytest

from ansible_collections.cloudops.multicloud.extensions.eda.plugins.event_source import vpcep_connections as source
from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_connection import VpcepConnection
from ansible_collections.cloudops.multicloud.plugins.modules.vpcep_service import VpcepService
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.event_source import SourceError, StateFile, run
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.vpcep_connection_events import VpcepConnections
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.services import create_service

from cloudops_emulator.server import serve_in_thread
from cloudops_emulator.core import Emulator

SECRET = "unit-secret-never-shown-eda-vpcep"
PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # the emulator's cn-north-4 project
AUTH = dict(access_key="HWUNIT", secret_key=SECRET, region="cn-north-4", project_id=PROJECT)
VPC = "4dfe5c6e-0000-4000-8000-000000000001"
PORT = "a1b2c3d4-0000-4000-8000-000000000001"
PARTNER = "b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b"  # consumer accounts of the default fixtures
OTHER = "c8f4d5b2e3a75f6b0d9c8b7a6f5e4d3c"
SERVICE = dict(vpc_id=VPC, server_type="LB", port_id=PORT, approval_enabled=True,
               ports=[{"client_port": 443, "server_port": 8443}])
SOURCE_FILE = os.path.join(os.path.dirname(source.__file__), "vpcep_connections.py")


def ports(number):
    """The port mapping of the ``number``-th service (two services of one port cannot share one)."""
    return [{"client_port": 1000 + number, "server_port": 1000 + number, "protocol": "TCP"}]


def publish(cloud, name, number=0):
    """An available endpoint service of the project; its id."""
    with cloud.unrecorded():
        result = cloud.run(VpcepService, dict(AUTH, name=name, **dict(SERVICE, ports=ports(number))))
    assert result["changed"] is True, result
    return result["service"]["id"]


def connect(cloud, service_id, domain_id=PARTNER):
    """Another account creates an endpoint to the service (the emulator's admin API); its id."""
    return cloud.admin("POST", "/__admin/vpcep/connect", {"service_id": service_id, "domain_id": domain_id})["id"]


def decide(cloud, service_id, endpoint_id, action):
    with cloud.unrecorded():
        result = cloud.run(VpcepConnection, dict(AUTH, service_id=service_id, action=action, endpoint_ids=[endpoint_id]))
    assert result["changed"] is True, result


class Ticks:
    """``run``'s sleep: each one moves the cloud's clock on and waits for the test's ``tick()``, so
    the test sees the events of one listing at a time."""

    def __init__(self, clock):
        self.clock = clock
        self.slept = asyncio.Queue()
        self.go = asyncio.Queue()

    async def sleep(self, seconds):
        await self.slept.put(seconds)
        await self.go.get()
        self.clock.sleep(seconds)

    async def tick(self):
        """Lets the source list once more; the seconds it slept before."""
        await self.go.put(None)
        return await asyncio.wait_for(self.slept.get(), 30)


class Watch:
    """The source running over ``cloud`` with a real queue: ``await listed()`` after each listing."""

    def __init__(self, cloud, clock, state_file, services=None, emit_existing=False, interval=10):
        self.cloud = cloud
        self.queue = asyncio.Queue()
        self.ticks = Ticks(clock)
        self.poller = VpcepConnections(cloud.huawei_client("vpcep", access_key="HWUNIT", secret_key=SECRET,
                                                           project_id=PROJECT), services)
        self.task = asyncio.ensure_future(run(self.queue, self.poller, StateFile(str(state_file)), interval,
                                              emit_existing, sleep=self.ticks.sleep))

    async def first(self):
        """The events of the first listing."""
        self.slept = await asyncio.wait_for(self.ticks.slept.get(), 30)
        return self.drain()

    async def next(self):
        """The events of the next listing."""
        self.slept = await self.ticks.tick()
        return self.drain()

    def drain(self):
        events = []
        while not self.queue.empty():
            events.append(self.queue.get_nowait())
        for event in events:
            assert SECRET not in json.dumps(event)
        return events

    async def stop(self):
        """Cancels the source as ansible-rulebook does; its connections are closed."""
        closed = []
        self.poller.client.transport.connections.close = lambda: closed.append(True)
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task
        assert closed == [True]


def shape(events):
    """(type, service_id, endpoint_id, domain_id, status, changed) of each event."""
    return [(e["type"], e["service_id"], e["endpoint_id"], e["domain_id"], e["status"], e.get("changed"))
            for e in events]


def test_a_request_made_at_run_time_is_emitted_once_as_pending(cloud, clock, tmp_path):
    service_id = publish(cloud, "orders-api")

    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json")
        assert await watch.first() == []  # nothing waits yet
        endpoint_id = connect(cloud, service_id)
        [event] = await watch.next()  # 10 s later: past delays.vpcep.endpoint, it waits for acceptance
        assert await watch.next() == []  # still waiting: not emitted again
        await watch.stop()
        return endpoint_id, event

    endpoint_id, event = asyncio.run(scenario())
    observed_at = event.pop("observed_at")
    assert observed_at.endswith("Z") and len(observed_at) == 20
    marker_id, created_at = event.pop("marker_id"), event.pop("created_at")
    assert isinstance(marker_id, int) and created_at.endswith("Z")
    assert event == {"type": "vpcep_connections.pending", "region": "cn-north-4", "project_id": PROJECT,
                     "service_id": service_id, "service_name": "orders-api", "endpoint_id": endpoint_id,
                     "domain_id": PARTNER, "status": "pendingAcceptance"}


def test_accepted_rejected_and_gone_connections_are_emitted_as_they_happen(cloud, clock, tmp_path):
    from cloudops_emulator.huawei.vpcep import common  # pylint: disable=import-outside-toplevel
    service_id = publish(cloud, "orders-api")

    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json")
        await watch.first()
        first, second = connect(cloud, service_id), connect(cloud, service_id, OTHER)
        pending = await watch.next()
        decide(cloud, service_id, first, "accept")  # the module waits until it is accepted
        decide(cloud, service_id, second, "reject")
        decided = await watch.next()
        cloud.emu.store.delete(common.ENDPOINT, second)  # the partner deletes its endpoint
        gone = await watch.next()
        await watch.stop()
        return first, second, pending, decided, gone

    first, second, pending, decided, gone = asyncio.run(scenario())
    waiting = sorted([("vpcep_connections.pending", service_id, first, PARTNER, "pendingAcceptance", None),
                      ("vpcep_connections.pending", service_id, second, OTHER, "pendingAcceptance", None)])
    assert sorted(shape(pending)) == waiting
    assert sorted(shape(decided)) == sorted([
        ("vpcep_connections.changed", service_id, first, PARTNER, "accepted",
         {"status": {"before": "pendingAcceptance", "after": "accepted"}}),
        ("vpcep_connections.changed", service_id, second, OTHER, "rejected",
         {"status": {"before": "pendingAcceptance", "after": "rejected"}})])
    assert shape(gone) == [("vpcep_connections.gone", service_id, second, OTHER, "rejected", None)]


def test_the_passage_through_creating_is_not_reported(cloud, clock, tmp_path):
    service_id = publish(cloud, "orders-api")
    cloud.settings({"delays": {"vpcep.endpoint": 15, "vpcep.connection": 15}})

    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json")
        await watch.first()
        endpoint_id = connect(cloud, service_id)
        creating = await watch.next()  # listed creating: not yet a request
        pending = await watch.next()
        with cloud.unrecorded():
            cloud.run(VpcepConnection, dict(AUTH, service_id=service_id, action="accept", endpoint_ids=[endpoint_id],
                                            wait=False))
        accepting = await watch.next()
        clock.sleep(15)
        accepted = await watch.next()
        await watch.stop()
        return creating, pending, accepting, accepted

    creating, pending, accepting, accepted = asyncio.run(scenario())
    assert (creating, [e["type"] for e in pending], accepting) == ([], ["vpcep_connections.pending"], [])
    assert [e["changed"] for e in accepted] == [{"status": {"before": "creating", "after": "accepted"}}]


def test_a_first_start_emits_the_requests_already_waiting_and_a_restart_replays_nothing(cloud, clock, tmp_path):
    service_id = publish(cloud, "orders-api")
    waiting, accepted = connect(cloud, service_id), connect(cloud, service_id, OTHER)
    clock.sleep(2)
    decide(cloud, service_id, accepted, "accept")
    state_file = tmp_path / "state.json"

    async def scenario():
        watch = Watch(cloud, clock, state_file)
        at_start = await watch.first()
        await watch.stop()
        again = Watch(cloud, clock, state_file)  # a restart: the same state file
        after_restart = await again.first()
        await again.stop()
        late = connect(cloud, service_id)  # while the source is stopped
        clock.sleep(2)
        third = Watch(cloud, clock, state_file)
        after_stop = await third.first()
        await third.stop()
        return at_start, after_restart, after_stop, late

    at_start, after_restart, after_stop, late = asyncio.run(scenario())
    assert [(e["type"], e["endpoint_id"]) for e in at_start] == [("vpcep_connections.pending", waiting)]
    assert after_restart == []
    assert [(e["type"], e["endpoint_id"]) for e in after_stop] == [("vpcep_connections.pending", late)]
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o600
    assert SECRET not in state_file.read_text()


def test_emit_existing_emits_every_connection_at_a_first_start(cloud, clock, tmp_path):
    service_id = publish(cloud, "orders-api")
    waiting, accepted = connect(cloud, service_id), connect(cloud, service_id, OTHER)
    clock.sleep(2)
    decide(cloud, service_id, accepted, "accept")

    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json", emit_existing=True)
        events = await watch.first()
        await watch.stop()
        return events

    assert sorted(shape(asyncio.run(scenario()))) == sorted([
        ("vpcep_connections.pending", service_id, waiting, PARTNER, "pendingAcceptance", None),
        ("vpcep_connections.changed", service_id, accepted, OTHER, "accepted",
         {"status": {"before": None, "after": "accepted"}})])


def test_services_limits_the_watch_to_the_services_named_by_name_or_id(cloud, clock, tmp_path, caplog):
    orders, billing, audit = (publish(cloud, "orders-api"), publish(cloud, "billing-api", 1),
                              publish(cloud, "audit-api", 2))

    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json", services=["orders-api", billing, "later-api"])
        await watch.first()
        for service_id in (orders, billing, audit):
            connect(cloud, service_id)
        cloud.calls[:] = []
        events = await watch.next()
        calls = [c.operation for c in cloud.calls]
        await watch.stop()
        return events, calls

    with caplog.at_level(logging.WARNING):
        events, calls = asyncio.run(scenario())
    assert sorted(e["service_id"] for e in events) == sorted([orders, billing])
    assert sorted(calls) == ["ListEndpointService", "ListServiceConnections", "ListServiceConnections"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["vpcep_connections: services: no endpoint service later-api in region cn-north-4 (yet)"]


def many_services(cloud, count):
    """``count`` available services made through the API (the quota raised to allow them); their ids."""
    section = cloud.fixtures("huawei")
    section["vpcep"] = dict(section["vpcep"], quotas={"endpoint_service": count, "endpoint": 50})
    cloud.reset(settings={"delays": {"vpcep.service": 0}}, huawei=section)
    client = cloud.huawei_client("vpcep")
    with cloud.unrecorded():
        return [create_service(client, dict(SERVICE, service_name="s%d" % n, service_type="interface",
                                            ports=ports(n)))["id"] for n in range(count)]


def calls_of_one_listing(cloud, clock, tmp_path):
    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json")
        await watch.first()
        cloud.calls[:] = []
        events = await watch.next()
        await watch.stop()
        return events

    events = asyncio.run(scenario())
    return events, [(c.operation, c.query["limit"], c.query["offset"]) for c in cloud.calls]


# 1,000 services give 1 + 1,000 calls too (measured; the emulator takes ~40 s to serve them, too
# long for every run).
@pytest.mark.parametrize("count", [10, 100])
def test_calls_per_interval_one_service_listing_and_one_connection_listing_per_service(cloud, clock, tmp_path, count):
    services = many_services(cloud, count)
    connect(cloud, services[-1])
    events, calls = calls_of_one_listing(cloud, clock, tmp_path)
    assert [e["service_id"] for e in events] == [services[-1]]
    assert calls == [("ListEndpointService", 1000, 0)] + [("ListServiceConnections", 1000, 0)] * count


@pytest.mark.parametrize("count, pages", [(10, 1), (1000, 1), (1001, 2)])
def test_calls_per_interval_connections_are_read_1000_a_page(cloud, clock, tmp_path, count, pages):
    service_id = publish(cloud, "orders-api")
    for _n in range(count):
        connect(cloud, service_id)
    clock.sleep(2)
    cloud.calls[:] = []
    events, calls = calls_of_one_listing(cloud, clock, tmp_path)
    assert events == []  # they were all waiting at the first start... and emitted then, not again
    assert calls == [("ListEndpointService", 1000, 0)] + [("ListServiceConnections", 1000, 1000 * n)
                                                          for n in range(pages)]


def test_a_faulty_listing_is_retried_later_and_nothing_is_lost(cloud, clock, tmp_path, caplog):
    service_id = publish(cloud, "orders-api")

    async def scenario():
        watch = Watch(cloud, clock, tmp_path / "state.json")
        await watch.first()
        endpoint_id = connect(cloud, service_id)
        cloud.faults({"service": "vpcep", "operations": ["ListServiceConnections"], "error_rate": 1.0})
        during = await watch.next(), await watch.next()
        slept = watch.slept
        cloud.faults({"service": "vpcep", "operations": ["ListServiceConnections"], "drop_rate": 1.0})
        dropped = await watch.next()
        cloud.faults({})
        after = await watch.next()
        await watch.stop()
        return endpoint_id, during, slept, dropped, after

    with caplog.at_level(logging.WARNING):
        endpoint_id, during, slept, dropped, after = asyncio.run(scenario())
    assert during == ([], []) and dropped == []
    assert slept == 20  # backing off: twice the interval after the second failure
    assert [(e["type"], e["endpoint_id"]) for e in after] == [("vpcep_connections.pending", endpoint_id)]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3 and all("vpcep_connections: reading failed" in w for w in warnings)
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_refused_credentials_at_the_first_listing_stop_the_source(cloud, clock, tmp_path):
    poller = VpcepConnections(cloud.huawei_client("vpcep", access_key="HWUNIT", secret_key=SECRET,
                                                  project_id=PROJECT))
    poller.client._secret_key = "not-the-secret"  # pylint: disable=protected-access

    with pytest.raises(SourceError, match="vpcep_connections: the credentials were refused") as caught:
        asyncio.run(run(asyncio.Queue(), poller, StateFile(str(tmp_path / "state.json")), 10))
    assert SECRET not in str(caught.value) and "not-the-secret" not in str(caught.value)
    assert not (tmp_path / "state.json").exists()


@pytest.mark.parametrize("args, message", [
    (dict(AUTH, interval=0), "vpcep_connections: interval: must be more than 0 seconds, got 0$"),
    (dict(AUTH, interval="soon"), "vpcep_connections: .*interval"),
    (dict(AUTH, services="orders-api, billing", emit_existing="perhaps"), "vpcep_connections: .*emit_existing"),
    (dict(AUTH, region=None), "vpcep_connections: region: required; set the region option or the "),
    (dict(AUTH, endpoint_url="http://vpcep.example.com"), "vpcep_connections: endpoint_url"),
])
def test_bad_options_fail_at_startup_naming_the_option(args, message, monkeypatch):
    monkeypatch.delenv("HW_REGION_NAME", raising=False)
    with pytest.raises(SourceError, match=message) as caught:
        asyncio.run(source.main(asyncio.Queue(), args))
    assert SECRET not in str(caught.value)


def test_the_source_file_finds_its_collection_without_the_collection_loader(tmp_path):
    """ansible-rulebook's process has no ansible_collections on its path: the file puts the root
    it lies under (symlinks kept) there itself."""
    probe = "import runpy, sys; found = runpy.run_path(sys.argv[1]); print(found['vpcep_connection_events'].VpcepConnections.name)"
    env = dict((k, v) for k, v in os.environ.items() if k != "PYTHONPATH")
    found = subprocess.run([sys.executable, "-c", probe, SOURCE_FILE], cwd=str(tmp_path), env=env,
                           capture_output=True, text=True, check=False)
    assert (found.returncode, found.stdout, found.stderr) == (0, "vpcep_connections\n", "")


@pytest.fixture
def emulator_server():
    emu = Emulator()
    server = serve_in_thread(emu)
    yield emu, "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_source_file_as_ansible_rulebook_runs_it_over_http(emulator_server, tmp_path, monkeypatch, caplog):
    emu, url = emulator_server
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "HWEMULATOR")  # the credentials as AWX injects them
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "emulator-huawei-secret")
    monkeypatch.setenv("HW_REGION_NAME", "cn-north-4")
    monkeypatch.setenv("HUAWEICLOUD_ENDPOINT_URL", url)
    emu.reset(overrides={"settings": {"delays": {"vpcep.service": 0, "vpcep.endpoint": 0}}})
    from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep.api import VPCEP_API  # pylint: disable=import-outside-toplevel
    client = VPCEP_API.client(dict(access_key="HWEMULATOR", secret_key="emulator-huawei-secret", region="cn-north-4",
                                   endpoint_url=url, timeout=10, retries=0, validate_certs=True))
    service_id = create_service(client, dict(SERVICE, service_name="orders-api", service_type="interface"))["id"]
    loaded = runpy.run_path(SOURCE_FILE)  # what ansible-rulebook does with a collection's source
    state_file = tmp_path / "state.json"

    async def scenario():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(loaded["main"](queue, {"interval": 0.2, "state_file": str(state_file)}))
        while not state_file.exists():  # the baseline is saved
            await asyncio.sleep(0.05)
        requested = time.monotonic()
        endpoint_id = await asyncio.to_thread(admin_connect, url, service_id)
        event = await asyncio.wait_for(queue.get(), 10)
        latency = time.monotonic() - requested
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return endpoint_id, event, latency

    with caplog.at_level(logging.DEBUG):
        endpoint_id, event, latency = asyncio.run(scenario())
    assert (event["type"], event["service_id"], event["endpoint_id"], event["domain_id"]) == (
        "vpcep_connections.pending", service_id, endpoint_id, PARTNER)
    assert latency < 2  # the next listing (0.2 s) and one listing
    saved = json.loads(state_file.read_text())["snapshot"]
    assert [r["status"] for r in saved.values()] == ["pendingAcceptance"]
    assert "emulator-huawei-secret" not in json.dumps(event) + caplog.text + state_file.read_text()


def admin_connect(url, service_id):
    """``POST /__admin/vpcep/connect`` over HTTP: the partner asks to connect; the endpoint's id."""
    request = urllib.request.Request(url + "/__admin/vpcep/connect", method="POST",
                                     data=json.dumps({"service_id": service_id, "domain_id": PARTNER}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["id"]
