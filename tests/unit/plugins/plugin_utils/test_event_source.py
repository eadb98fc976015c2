# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event sources' shared poller: baseline, no replay after a restart, backoff, a clean stop."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import os
import stat

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import ksyun_argument_spec
from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source


class Script(event_source.Poller):
    """A poller that reads the snapshots (or raises the errors) it is given, in order."""

    name = "script"

    def __init__(self, *reads):
        self.reads = list(reads)
        self.closed = False

    def read(self):
        item = self.reads.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def events(self, before, now):
        return [{"type": "script.%s" % kind, "key": key, "changed": fields}
                for kind, key, _old, _new, fields in event_source.changes(before, now, ["status"])]

    def close(self):
        self.closed = True


def drive(poller, state, emit_existing=False):
    return drive_and_sleeps(poller, state, emit_existing)[0]


def drive_and_sleeps(poller, state, emit_existing=False):
    """Runs the poller until its reads are spent, then cancels it in its sleep (as ansible-rulebook
    cancels a source at shutdown): (events queued, sleeps asked for)."""
    queue = asyncio.Queue()
    sleeps = []

    async def sleep(seconds):
        if not poller.reads:
            asyncio.current_task().cancel()
        else:
            sleeps.append(seconds)
        await asyncio.sleep(0)

    async def main():
        with pytest.raises(asyncio.CancelledError):
            await event_source.run(queue, poller, state, 30, emit_existing, sleep=sleep)

    asyncio.run(main())
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events, sleeps


@pytest.fixture
def state(tmp_path):
    return event_source.StateFile(str(tmp_path / "state.json"))


def test_a_first_start_is_the_baseline_and_later_changes_are_events(state):
    poller = Script({"a": {"status": "on"}}, {"a": {"status": "off"}, "b": {"status": "on"}}, {"b": {"status": "on"}})
    events, sleeps = drive_and_sleeps(poller, state)
    assert events == [
        {"type": "script.changed", "key": "a", "changed": ["status"]},
        {"type": "script.appeared", "key": "b", "changed": []},
        {"type": "script.gone", "key": "a", "changed": []},
    ]
    assert sleeps == [30, 30]
    assert poller.closed


def test_emit_existing_reports_what_is_there_at_a_first_start(state):
    events = drive(Script({"a": {"status": "on"}}), state, emit_existing=True)
    assert events == [{"type": "script.appeared", "key": "a", "changed": []}]


def test_a_restart_with_the_same_state_file_replays_nothing(state):
    drive(Script({"a": {"status": "on"}}, {"a": {"status": "off"}}), state)
    restarted = Script({"a": {"status": "off"}}, {"a": {"status": "off"}, "c": {"status": "on"}})
    events = drive(restarted, state, emit_existing=True)
    assert events == [{"type": "script.appeared", "key": "c", "changed": []}]


def test_the_state_file_is_private_and_holds_the_last_snapshot(state):
    drive(Script({"a": {"status": "on"}}, {"a": {"status": "off"}}), state)
    assert stat.S_IMODE(os.stat(state.path).st_mode) == 0o600
    with open(state.path) as handle:
        assert json.load(handle)["snapshot"] == {"a": {"status": "off"}}
    assert os.listdir(os.path.dirname(state.path)) == ["state.json"]


def test_faults_back_off_and_the_source_goes_on(state, caplog):
    fault = CloudError("service unavailable", status=503, code="SYS.0503", service="cgs", operation="ListContainerNodes")
    poller = Script({"a": {"status": "on"}}, fault, fault, {"a": {"status": "off"}})
    with caplog.at_level(logging.WARNING):
        events, sleeps = drive_and_sleeps(poller, state)
    assert events == [{"type": "script.changed", "key": "a", "changed": ["status"]}]
    assert sleeps == [30, 30, 60]
    assert "reading failed (cgs ListContainerNodes failed: SYS.0503: service unavailable); trying again in 60 s" in caplog.text


def test_refused_credentials_at_the_first_read_stop_the_source(state):
    refused = CloudError("signature mismatch", status=401, code="SignatureDoesNotMatch", service="kcr",
                         operation="DescribeInstance")
    poller = Script(refused, {})

    async def main():
        with pytest.raises(event_source.SourceError, match="^script: the credentials were refused: kcr DescribeInstance failed"):
            await event_source.run(asyncio.Queue(), poller, state, 30)

    asyncio.run(main())
    assert poller.closed
    assert not os.path.exists(state.path)


def test_a_state_file_written_by_something_else_is_refused_naming_the_option(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('["not", "ours"]')
    with pytest.raises(event_source.SourceError, match="^state_file: .*state.json is not a state file"):
        event_source.StateFile(str(path)).load()


def test_options_take_the_modules_env_fallbacks_and_name_the_bad_option(monkeypatch):
    monkeypatch.setenv("KSYUN_ACCESS_KEY", "AKLTexample")
    spec = dict(ksyun_argument_spec(), interval=dict(type="int", default=60))
    params = event_source.source_params({}, spec, "kcr_images")
    assert params["access_key"] == "AKLTexample" and params["interval"] == 60
    with pytest.raises(event_source.SourceError, match="^kcr_images: .*'interval'"):
        event_source.source_params({"interval": "soon"}, spec, "kcr_images")


def test_the_default_state_path_names_no_credential(private_home):
    path = event_source.state_path("kcr_images", {"account": "AKLTsecretish", "region": "cn-beijing-6"})
    assert path.startswith(str(private_home)) and "AKLT" not in path
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700


class Waiting(Script):
    """A source with something that still needs action at a first start: what is ``waiting``."""

    def first_events(self, now):
        return [{"type": "script.waiting", "key": key} for key, record in sorted(now.items())
                if record["status"] == "waiting"]


def test_a_first_start_emits_only_what_still_needs_action_and_a_restart_not_again(state):
    events = drive(Waiting({"a": {"status": "waiting"}, "b": {"status": "on"}}), state)
    assert events == [{"type": "script.waiting", "key": "a"}]
    events = drive(Waiting({"a": {"status": "waiting"}, "b": {"status": "on"}}), state)
    assert events == []
