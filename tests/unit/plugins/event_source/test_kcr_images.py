# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kcr_images event source (extensions/eda/plugins/event_source/kcr_images.py), loaded as
ansible-rulebook loads it (runpy.run_path), its ``main`` driven with a real asyncio queue against
an emulator serving HTTP in a thread; images are pushed with the emulator's push hook."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import itertools
import json
import logging
import os
import runpy
import stat

import pytest

from cloudops_emulator.core import Emulator
from cloudops_emulator.ksyun.admin import push_image
from cloudops_emulator.ksyun.util import fmt_time
from cloudops_emulator.server import serve_in_thread

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SOURCE_FILE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "kcr_images.py")
SECRET = "emulator-ksyun-secret"
INTERVAL = 0.2


@pytest.fixture(scope="module")
def source():
    """The source's globals, as ansible-rulebook gets them."""
    return runpy.run_path(SOURCE_FILE)


@pytest.fixture
def registry():
    """An emulator with one Running registry holding namespaces apps (one image) and tools."""
    emu = Emulator()
    server = serve_in_thread(emu)
    emu.reset(overrides={"ksyun": _fixtures([{"InstanceName": "eda-registry", "namespaces": [
        {"Namespace": "apps", "images": [{"repository": "web", "tag": "1.0"}]},
        {"Namespace": "tools"}]}])})
    registry = Registry(emu, "http://127.0.0.1:%d" % server.server_address[1])
    yield registry
    server.shutdown()
    server.server_close()


def _fixtures(instances):
    import yaml
    from cloudops_emulator.core import FIXTURES_DIR
    with open(os.path.join(FIXTURES_DIR, "ksyun.yaml"), encoding="utf-8") as handle:
        section = yaml.safe_load(handle)["ksyun"]
    section["kcrs"] = {"instances": instances}
    return section


class Registry:
    def __init__(self, emu, url):
        self.emu = emu
        self.url = url
        self.instance_id = emu.store.list("kcrs.instance")[0]["InstanceId"]

    def push(self, namespace, repository, tag, digest=None):
        status, image = push_image(self.emu, {"instance_id": self.instance_id, "namespace": namespace,
                                              "repository": repository, "tag": tag, "digest": digest})
        assert status == 200
        return image["ImageId"]

    def calls(self):
        """The KCR calls since the last look, by action."""
        calls = dict((op.split(":", 1)[1], n) for op, n in self.emu.stats.snapshot().items())
        self.emu.stats.clear()
        return calls

    def args(self, tmp_path, **extra):
        args = dict(access_key="AKLTEMULATOR", secret_key=SECRET, endpoint_url=self.url, interval=INTERVAL,
                    state_file=str(tmp_path / "kcr_images.json"))
        args.update(extra)
        return args


class Running:
    """``main`` as a task on a real queue; ``reads`` waits for its polls (each ends by saving the
    state file, after its events are queued)."""

    def __init__(self, source, args):
        self.queue = asyncio.Queue()
        self.state = args.get("state_file")
        self.saved = self._saved()
        self.task = asyncio.get_running_loop().create_task(source["main"](self.queue, args))

    def _saved(self):
        try:
            found = os.stat(self.state)
        except (FileNotFoundError, TypeError):
            return None
        return found.st_ino, found.st_mtime_ns

    async def reads(self, count=1, timeout=10.0):
        """Waits until the source has saved its state ``count`` more times."""
        for _number in range(count):
            deadline = asyncio.get_running_loop().time() + timeout
            while self._saved() == self.saved:
                assert not self.task.done(), self.task.exception()
                assert asyncio.get_running_loop().time() < deadline, "no poll within %ss" % timeout
                await asyncio.sleep(0.02)
            self.saved = self._saved()

    def drained(self):
        events = []
        while not self.queue.empty():
            events.append(self.queue.get_nowait())
        return events

    async def next_event(self, timeout=5.0):
        return await asyncio.wait_for(self.queue.get(), timeout)

    async def stop(self):
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


def _without_time(event):
    event = dict(event)
    assert event.pop("observed_at").endswith("Z")
    return event


def test_a_first_start_emits_nothing_then_a_push_is_one_event_with_the_tag(source, registry, tmp_path):
    now = registry.emu.now()
    registry.emu.now = lambda: now

    async def scenario():
        running = Running(source, registry.args(tmp_path))
        await running.reads(1)
        assert running.drained() == []
        digest = registry.push("apps", "api", "2.0")
        event = await running.next_event()
        await running.stop()
        return event, digest, running.drained()

    event, digest, rest = asyncio.run(scenario())
    assert rest == []
    pushed_at = fmt_time(now)  # the registry's time, to the second
    assert _without_time(event) == {
        "type": "kcr_images.tag_pushed", "region": "cn-beijing-6", "instance_id": registry.instance_id,
        "namespace": "apps", "repository": "api", "tag": "2.0", "digest": digest,
        "pushed_at": pushed_at, "image_created": pushed_at}


def test_emit_existing_emits_every_tag_there_at_a_first_start(source, registry, tmp_path):
    async def scenario():
        running = Running(source, registry.args(tmp_path, emit_existing=True))
        await running.reads(1)
        await running.stop()
        return running.drained()

    events = asyncio.run(scenario())
    assert [(e["namespace"], e["repository"], e["tag"]) for e in events] == [("apps", "web", "1.0")]


def test_a_moved_tag_says_from_which_digest_to_which(source, registry, tmp_path):
    old = registry.push("apps", "web", "latest")

    async def scenario():
        running = Running(source, registry.args(tmp_path))
        await running.reads(1)
        new = registry.push("apps", "web", "latest")
        event = await running.next_event()
        await running.stop()
        return new, event

    new, event = asyncio.run(scenario())
    assert new != old
    assert (event["tag"], event["digest"]) == ("latest", new)
    assert event["changed"] == {"digest": {"before": old, "after": new}}


def test_two_pushes_within_one_second_of_the_registry_clock_are_both_seen(source, registry, tmp_path):
    """UpdateTime counts seconds: the second push leaves it unchanged."""
    now = registry.emu.now()
    registry.emu.now = lambda: now  # the registry's clock stands still

    async def scenario():
        running = Running(source, registry.args(tmp_path))
        await running.reads(1)
        registry.push("apps", "api", "a")
        first = await running.next_event()
        registry.push("apps", "api", "b")
        second = await running.next_event()
        await running.stop()
        return first, second

    first, second = asyncio.run(scenario())
    assert (first["tag"], second["tag"]) == ("a", "b")
    assert first["pushed_at"] == second["pushed_at"]


def test_a_restart_replays_nothing_and_emits_what_was_pushed_while_stopped(source, registry, tmp_path):
    async def once(action=None):
        running = Running(source, registry.args(tmp_path))
        await running.reads(1)
        if action:
            action()
            await running.reads(2)
        await running.stop()
        return running.drained()

    assert asyncio.run(once(lambda: registry.push("apps", "api", "1"))) != []
    state = tmp_path / "kcr_images.json"
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    assert asyncio.run(once()) == []
    registry.push("tools", "lint", "3")
    registry.calls()
    events = asyncio.run(once())
    assert [(e["namespace"], e["repository"], e["tag"]) for e in events] == [("tools", "lint", "3")]
    assert "tools/lint" in json.dumps(json.loads(state.read_text()))


def test_calls_per_interval_one_listing_per_namespace_and_images_only_where_a_repository_moved(
        source, registry, tmp_path):
    async def scenario():
        running = Running(source, registry.args(tmp_path, interval=0.5))
        await running.reads(1)  # the baseline: everything listed once
        baseline = registry.calls()
        await asyncio.sleep(2.5)  # web's images listed again until SETTLE_SECONDS after its UpdateTime came
        await running.reads(1)
        registry.calls()
        await running.reads(2)  # two quiet polls
        quiet = registry.calls()
        registry.push("apps", "api", "1")
        await running.next_event()
        await running.stop()
        return baseline, quiet

    baseline, quiet = asyncio.run(scenario())
    # Not given instance_ids nor namespaces: instances, namespaces, and per namespace its repositories.
    assert baseline == {"DescribeInstance": 1, "DescribeNamespace": 1, "DescribeRepository": 2, "DescribeImages": 1}
    assert quiet == {"DescribeInstance": 2, "DescribeNamespace": 2, "DescribeRepository": 4}


def test_named_instances_and_namespaces_are_not_listed(source, registry, tmp_path):
    async def scenario():
        running = Running(source, registry.args(tmp_path, instance_ids=[registry.instance_id], namespaces=["tools"]))
        await running.reads(1)
        registry.calls()
        registry.push("apps", "api", "1")  # not watched
        registry.push("tools", "lint", "1")
        event = await running.next_event()
        await running.reads(2)
        await running.stop()
        return event, running.drained()

    event, rest = asyncio.run(scenario())
    assert (event["namespace"], event["repository"], rest) == ("tools", "lint", [])
    assert set(registry.calls()) == {"DescribeRepository", "DescribeImages"}


def test_faults_are_backed_off_then_the_push_is_emitted_and_no_secret_is_logged(source, registry, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        running = Running(source, registry.args(tmp_path, retries=0))
        await running.reads(1)
        registry.emu.faults.configure({"service": "kcrs", "operations": ["DescribeRepository"], "error_rate": 1.0,
                                       "times": 3})
        registry.push("apps", "api", "1")
        event = await running.next_event(timeout=10)
        await running.stop()
        return event

    event = asyncio.run(scenario())
    assert event["repository"] == "api"
    assert "reading failed" in caplog.text and "trying again" in caplog.text
    assert SECRET not in caplog.text and SECRET not in json.dumps(event)


@pytest.mark.parametrize("args, message", [
    (dict(interval=0), "kcr_images: interval: must be more than 0 seconds"),
    (dict(instance_ids=["registry-1"]), "kcr_images: instance_ids[0]: 'registry-1' is not a valid KCR instance"),
    (dict(namespaces=["A"]), "kcr_images: namespaces[0]: 'A' is not a valid KCR namespace name"),
    (dict(secret_key=None), "kcr_images: secret_key: required; set the secret_key option or the KSYUN_SECRET_KEY"),
    (dict(colour="blue"), "colour"),
    (dict(endpoint_url="http://registry.example.com"), "endpoint_url: refused plain http://"),
])
def test_bad_options_fail_at_startup_naming_the_option(source, registry, tmp_path, monkeypatch, args, message):
    for name in ("KSYUN_SECRET_KEY", "KS_SECRET_ACCESS_KEY", "CLOUDOPS_ALLOW_INSECURE_HTTP"):
        monkeypatch.delenv(name, raising=False)
    full = registry.args(tmp_path)
    full.update(args)
    full = dict((k, v) for k, v in full.items() if v is not None)
    with pytest.raises(Exception) as failure:
        asyncio.run(source["main"](asyncio.Queue(), full))
    assert type(failure.value).__name__ == "SourceError"
    assert message in str(failure.value)
    assert SECRET not in str(failure.value)
    assert registry.calls() == {}


def test_refused_credentials_stop_the_source_at_its_first_read(source, registry, tmp_path):
    with pytest.raises(Exception) as failure:
        asyncio.run(source["main"](asyncio.Queue(), registry.args(tmp_path, secret_key="wrong-secret")))
    assert type(failure.value).__name__ == "SourceError"
    assert "the credentials were refused" in str(failure.value)
    assert "wrong-secret" not in str(failure.value)


def test_credentials_come_from_the_modules_environment_variables(source, registry, tmp_path, monkeypatch):
    monkeypatch.setenv("KSYUN_ACCESS_KEY", "AKLTEMULATOR")
    monkeypatch.setenv("KSYUN_SECRET_KEY", SECRET)
    monkeypatch.setenv("KSYUN_ENDPOINT_URL", registry.url)
    # AWX's KSYUN credential type injects its empty optional fields as empty variables: unset.
    monkeypatch.setenv("KSYUN_REGION", "")
    monkeypatch.setenv("KSYUN_SECURITY_TOKEN", "")

    async def scenario():
        running = Running(source, {"interval": INTERVAL, "state_file": str(tmp_path / "state.json")})
        await running.reads(1)
        registry.push("apps", "api", "1")
        event = await running.next_event()
        await running.stop()
        return event

    event = asyncio.run(scenario())
    assert (event["repository"], event["region"]) == ("api", "cn-beijing-6")


def test_a_deleted_watched_instance_stops_the_source_naming_the_option(source, registry, tmp_path):
    args = registry.args(tmp_path, instance_ids=["2c4a6f3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b"])
    with pytest.raises(Exception) as failure:
        asyncio.run(source["main"](asyncio.Queue(), args))
    assert type(failure.value).__name__ == "SourceError"
    assert "instance_ids: instance_id: KCR instance 2c4a6f3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b not found" in str(failure.value)


def test_a_push_in_the_second_of_the_last_listing_before_a_stop_is_emitted_after_the_restart(source, registry, tmp_path):
    now = registry.emu.now()
    registry.emu.now = lambda: now  # the registry's clock stands still: UpdateTime cannot move

    async def first_run():
        running = Running(source, registry.args(tmp_path))
        await running.reads(1)
        registry.push("apps", "api", "a")
        event = await running.next_event()
        await running.stop()  # before the repository's listing settled
        return event

    async def second_run():
        running = Running(source, registry.args(tmp_path))
        event = await running.next_event()
        await running.stop()
        return event, running.drained()

    assert asyncio.run(first_run())["tag"] == "a"
    registry.push("apps", "api", "b")
    event, rest = asyncio.run(second_run())
    assert (event["tag"], rest) == ("b", [])


def test_a_quiet_interval_at_1000_images_is_two_repository_pages_and_a_push_one_image_listing(source, tmp_path):
    emu = Emulator()
    server = serve_in_thread(emu)
    ksyun = _fixtures([{"InstanceName": "big-registry", "namespaces": [{"Namespace": "apps"}]}])
    ksyun["generate"] = {"kcrs.image": {"instance": "big-registry", "namespace": "apps", "repositories": 100, "tags": 10}}
    emu.reset(overrides={"ksyun": ksyun})
    registry = Registry(emu, "http://127.0.0.1:%d" % server.server_address[1])
    try:
        assert len(emu.store.list("kcrs.image")) == 1000
        events = source["kcr_image_events"]
        params = source["event_source"].source_params(
            registry.args(tmp_path, instance_ids=[registry.instance_id], namespaces=["apps"]), events.ARGUMENT_SPEC, "kcr_images")
        clock = itertools.count(0, 10)  # each listing ten seconds after the one before: settled at once
        poller = events.KcrImagesPoller(source["event_source"].client(events.KCR_API, params, "kcr_images"),
                                        params, logging.getLogger("test"), monotonic=lambda: next(clock))
        registry.calls()
        assert len(poller.read()) == 1000
        assert registry.calls() == {"DescribeRepository": 2, "DescribeImages": 100}
        poller.read()
        assert registry.calls() == {"DescribeRepository": 2}
        later = emu.now() + 5
        emu.now = lambda: later  # (the fake monotonic clock has the listings settled: the push gets a new second)
        registry.push("apps", "repo0042", "hotfix")
        assert "%s/apps/repo0042:hotfix" % registry.instance_id in poller.read()
        assert registry.calls() == {"DescribeRepository": 2, "DescribeImages": 1}
        poller.close()
    finally:
        server.shutdown()
        server.server_close()


def test_an_instance_deleted_between_its_listing_and_its_namespaces_is_skipped(source, registry, tmp_path, caplog):
    caplog.set_level(logging.INFO)

    async def scenario():
        running = Running(source, registry.args(tmp_path))
        await running.reads(1)
        registry.emu.faults.configure({"service": "kcrs", "operations": ["DescribeNamespace"], "error_rate": 1.0,
                                       "error_status": 404, "error_code": "InstanceNotFound", "times": 1})
        await running.reads(2)
        registry.push("apps", "api", "1")
        event = await running.next_event()
        await running.stop()
        return event

    assert asyncio.run(scenario())["repository"] == "api"
    assert "not found in region cn-beijing-6 (deleted since it was listed)" in caplog.text
