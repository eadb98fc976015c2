# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CallPacer: never more than N calls in any window, one pacer for every client of a run, and a
throttled answer (with or without Retry-After or a window in the message) holds the calls."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import subprocess
import sys

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.nodes import NodeListing
from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import CGS_API, OPERATIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import HuaweiClient
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import KPS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.pacing import CallPacer
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.test_cgs_nodes import make_nodes
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.local_http import (
    fake_transport,
    json_answer,
)

THROTTLED = {"error_code": "APIGW.0308",
             "error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute"}
PAGE = {"total_num": 1, "data_list": [{"host_id": "h1", "host_name": "n1", "host_status": "ACTIVE",
                                       "agent_status": "online", "protect_status": "opened"}]}


def windows_respected(arrivals, per_minute=5, window=60.0):
    """True when no ``window`` seconds saw more than ``per_minute`` arrivals."""
    times = collections.deque()
    for t in arrivals:
        times.append(t)
        while times[0] <= t - window:
            times.popleft()
        if len(times) > per_minute:
            return False
    return True


def test_ten_pages_under_five_calls_a_minute_wait_and_never_get_throttled(cloud, fake):
    cloud.set_cgs_nodes(make_nodes(10000), settings={"cgs_rate_limit": 5})
    cgs = cloud.huawei_client("cgs", region="cn-south-4")
    lines = []
    pacer = CallPacer(5, notify=lines.append, sleep=fake.sleep, monotonic=fake.monotonic)
    cgs.transport.pacer = pacer
    nodes = NodeListing(cgs, pacer=pacer).list()
    assert len(nodes) == 10000
    assert [c.status for c in cloud.calls] == [200] * 10
    assert windows_respected([c.at for c in cloud.calls], 5, 60.0)
    assert fake.sleeps == [61.0]  # pages 6-10 wait once for the window (+1 s margin)
    assert lines == ["cgs ListContainerNodes page 6 (offset 5000, limit 1000): waiting 61.0s for the rate "
                     "limit (5 calls per 60s)"]


def test_one_pacer_serves_every_client_of_the_run(cloud, fake):
    cloud.set_cgs_nodes(make_nodes(3000), settings={"cgs_rate_limit": 5})
    pacer = CallPacer(5, sleep=fake.sleep, monotonic=fake.monotonic)
    for client in (cloud.huawei_client("cgs", region="cn-south-4"), cloud.huawei_client("cgs", region="cn-south-4")):
        client.transport.pacer = pacer
        NodeListing(client, pacer=pacer).list()
    both = [c.at for c in cloud.calls]
    assert len(both) == 6 and [c.status for c in cloud.calls] == [200] * 6
    assert both[5] - both[0] >= 60.0  # the sixth call of the run waited, whatever client sent it


def test_calls_to_other_services_pass_unpaced(fake):
    pacer = CallPacer(1, sleep=fake.sleep, monotonic=fake.monotonic)
    for _call in range(3):
        pacer.before("kps", "ListKeypairs")
        pacer.after("kps", "ListKeypairs")
    assert fake.sleeps == []
    assert not CallPacer(0).paces("cgs")


def cgs_client(server, fake, retries=4):
    transport = fake_transport(fake, retries=retries)
    return HuaweiClient("cgs", region="cn-south-4", access_key="AK", secret_key="SK", project_id="p1",
                        endpoint_url=server.url, transport=transport, operations=OPERATIONS)


@pytest.mark.parametrize("headers, message, held", [
    ({}, THROTTLED["error_msg"], 60.0),  # the window the message names
    ({"Retry-After": "7"}, THROTTLED["error_msg"], 7.0),  # what the gateway says
    ({}, "The throttling threshold has been reached.", 60.0),  # nothing said: one whole window
])
def test_a_throttled_answer_holds_the_calls_as_told(server, fake, headers, message, held):
    server.add(json_answer(429, dict(THROTTLED, error_msg=message), headers), json_answer(200, PAGE))
    client = cgs_client(server, fake)
    lines = []
    pacer = CallPacer(5, notify=lines.append, sleep=fake.sleep, monotonic=fake.monotonic)
    client.transport.pacer = pacer
    assert [n["host_id"] for n in NodeListing(client, pacer=pacer).list()] == ["h1"]
    assert len(server.requests) == 2
    assert sum(fake.sleeps) == pytest.approx(held)
    assert lines[0] == ("cgs ListContainerNodes page 1 (offset 0, limit 1000): throttled by the server (someone "
                        "this controller does not know spends the same budget (another controller, or this account "
                        "under another access key); this controller made 1 of the calls of the last 60s: this run "
                        "(1 call)); holding calls for %.1fs" % held)


def test_every_attempt_counts_against_the_budget(server, fake):
    # two throttled attempts and three answers: five calls, so the sixth waits for the window
    server.add(json_answer(429, THROTTLED, {"Retry-After": "1"}), json_answer(429, THROTTLED, {"Retry-After": "1"}))
    server.add(*[json_answer(200, PAGE)] * 4)
    client = cgs_client(server, fake)
    pacer = CallPacer(5, sleep=fake.sleep, monotonic=fake.monotonic)
    client.transport.pacer = pacer
    for _listing in range(3):
        NodeListing(client, pacer=pacer).list()
    assert fake.sleeps[:2] == [1.0, 1.0]
    before = fake.now
    NodeListing(client, pacer=pacer).list()
    assert fake.now - before == pytest.approx(61.0 - 2.0)


def test_the_api_object_declares_the_limit_and_its_clients_are_paced(cloud, fake):
    params = dict(access_key="AK", secret_key="SK", region="cn-south-4", project_id="p1")
    lines = []
    first = CGS_API.client(params, notify=lines.append)
    assert CGS_API.rate_limit.per_minute == 5
    pacer = CGS_API.pacer_of(first)
    assert (pacer.per_minute, pacer.paces("cgs"), pacer.notify) == (5, True, lines.append)
    # the run's other clients share it; the option overrides the declared limit (0 = unpaced)
    assert CGS_API.pacer_of(CGS_API.client(params, pacer=pacer)) is pacer
    assert CGS_API.pacer_of(CGS_API.client(dict(params, rate_limit_per_minute=0))).paces("cgs") is False
    assert CGS_API.pacer_of(CGS_API.client(dict(params, rate_limit_per_minute=2))).per_minute == 2
    # a service that declares no limit is not paced
    assert KPS_API.client(params).transport.pacer is None and KPS_API.pacer_of(first) is None
    # a client made by hand takes the declared limit from new_pacer, and runs on the run's clock
    cloud.set_cgs_nodes(make_nodes(6000), settings={"cgs_rate_limit": 5})
    stand_in = cloud.huawei_client("cgs", region="cn-south-4")
    stand_in.transport.pacer = CGS_API.new_pacer({})
    paced = CGS_API.pacer_of(stand_in, sleep=fake.sleep, monotonic=fake.monotonic)
    assert stand_in.transport.pacer is paced
    assert len(NodeListing(stand_in, pacer=paced).list()) == 6000
    assert fake.sleeps == [61.0] and [c.status for c in cloud.calls] == [200] * 6


# -- one budget per account on the controller (issue #22) ---------------------------------------

def account_pacer(fake, lines=None, access_key="AK", endpoint="https://cgs.cn-south-4.myhuaweicloud.com",
                  per_minute=None):
    """A pacer as CGS_API.client() makes it for ``access_key`` at ``endpoint``, on the fake clock."""
    pacer = CGS_API.rate_limit.pacer("cgs", per_minute, notify=None if lines is None else lines.append,
                                     endpoint=endpoint, account="ak:" + access_key)
    pacer.use(sleep=fake.sleep, monotonic=fake.monotonic)
    return pacer


def call(pacer, fake, log, took=0.5):
    """One paced call that takes ``took`` seconds; its arrival time goes to ``log``."""
    pacer.before("cgs", "ListContainerNodes")
    log.append(fake.now)
    fake.now += took
    pacer.after("cgs", "ListContainerNodes")


def test_two_pacers_of_one_account_share_the_budget_through_one_file(private_home, fake):
    lines = []
    first, second = account_pacer(fake), account_pacer(fake, lines)
    arrivals = []
    for _round in range(3):  # interleaved, as two forks would send
        call(first, fake, arrivals)
        call(second, fake, arrivals)
    assert len(arrivals) == 6 and windows_respected(arrivals, 5, 60.0)
    # the sixth (at 2.5 s) waited for the first's answer (0.5 s) + 60 s + the 1 s margin
    assert lines == ["cgs ListContainerNodes: waiting 59.0s for the rate limit (5 calls per 60s)"]
    assert arrivals[5] == pytest.approx(61.5)


def test_other_accounts_and_endpoints_spend_budgets_of_their_own(private_home, fake):
    arrivals = []
    for pacer in (account_pacer(fake), account_pacer(fake, access_key="AK2"),
                  account_pacer(fake, endpoint="http://127.0.0.1:8080")):
        for _call in range(5):
            call(pacer, fake, arrivals)
    assert fake.sleeps == []


def test_the_window_file_is_private_and_named_by_a_digest(private_home, fake):
    call(account_pacer(fake, access_key="AKSECRETISH"), fake, [])
    directory = private_home / ".ansible" / "tmp" / "cloudops-multicloud"
    names = [p.name for p in directory.iterdir()]
    assert len(names) == 1 and names[0].startswith("cgs-") and names[0].endswith(".window")
    assert "AKSECRETISH" not in names[0] and "AKSECRETISH" not in (directory / names[0]).read_text()
    assert oct(directory.stat().st_mode & 0o777) == "0o700"
    assert oct((directory / names[0]).stat().st_mode & 0o777) == "0o600"


def test_a_throttled_answer_holds_every_pacer_of_the_account(private_home, fake):
    first, second = account_pacer(fake), account_pacer(fake)
    first.before("cgs", "ListContainerNodes")
    first.after("cgs", "ListContainerNodes")
    first.throttled("cgs", "ListContainerNodes", 7.0)
    second.before("cgs", "ListContainerNodes")
    assert fake.sleeps == [7.0]


def test_a_place_taken_by_a_call_in_flight_is_not_given_twice(private_home, fake):
    # five calls of other processes sent and not yet answered: every place is taken, so the next
    # call looks again until they are answered, then waits for the window of their answers
    others = [account_pacer(fake) for _other in range(5)]
    for other in others:
        other.before("cgs", "ListContainerNodes")
    fake_sleep = fake.sleep

    def answered_meanwhile(seconds):
        fake_sleep(seconds)
        if len(fake.sleeps) == 2:  # the others' answers arrive during the second look
            for other in others:
                other.after("cgs", "ListContainerNodes")
    mine = account_pacer(fake)
    mine.use(sleep=answered_meanwhile)
    arrivals = []
    call(mine, fake, arrivals)
    assert fake.sleeps == [1.0, 1.0, pytest.approx(61.0)]
    assert arrivals == [pytest.approx(2.0 + 61.0)]


def test_the_option_still_overrides_and_zero_is_unpaced(private_home, fake):
    arrivals = []
    unpaced = account_pacer(fake, per_minute=0)
    for _call in range(20):
        call(unpaced, fake, arrivals)
    assert fake.sleeps == []
    assert account_pacer(fake, per_minute=2).per_minute == 2


def test_times_of_another_boot_are_forgotten(private_home, fake):
    fake.now = 10000.0
    for _call in range(5):
        call(account_pacer(fake), fake, [])
    fake.now = 5.0  # the machine restarted: monotonic time began again
    call(account_pacer(fake), fake, [])
    assert fake.sleeps == []


# -- long waits are warnings that say who spent the budget (issue #24) ---------------------------

INVENTORY, MODULE = "cloudops.multicloud.instances", "cloudops.multicloud.cgs_node_info"


@pytest.fixture(scope="module")
def ended_pid():
    """The process id of a process that has ended (an earlier run of this controller)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def run_of(fake, who, pid, warnings=None):
    """The pacer of one run (one process ``pid``) of ``who`` in the account's shared window."""
    pacer = account_pacer(fake)
    pacer.use(who=who, warn=None if warnings is None else warnings.append)
    pacer.pid = pid
    return pacer


def test_a_wait_of_a_minute_warns_that_this_controllers_earlier_runs_spent_the_budget(private_home, fake, ended_pid):
    earlier = run_of(fake, INVENTORY, ended_pid)
    for _call in range(5):
        call(earlier, fake, [])
    warnings = []
    call(run_of(fake, INVENTORY, os.getpid(), warnings), fake, [])
    assert fake.sleeps == [pytest.approx(59.0)]
    assert warnings == ["CGS rate limit: waiting 59s before ListContainerNodes: the account's 5 calls per 60s are "
                        "spent by this controller's earlier runs (5 calls by cloudops.multicloud.instances)"]


def test_the_warning_tells_this_run_earlier_runs_and_runs_under_way_apart(private_home, fake, ended_pid):
    warnings = []
    mine = run_of(fake, MODULE, os.getpid(), warnings)
    for pacer, calls in ((mine, 2), (run_of(fake, INVENTORY, ended_pid), 1), (run_of(fake, MODULE, ended_pid), 1),
                         (run_of(fake, MODULE, os.getppid()), 1)):
        for _call in range(calls):
            call(pacer, fake, [])
    call(mine, fake, [])
    assert warnings == ["CGS rate limit: waiting 59s before ListContainerNodes: the account's 5 calls per 60s are "
                        "spent by this run (2 calls by cloudops.multicloud.cgs_node_info) and this controller's "
                        "earlier runs (2 calls: 1 by cloudops.multicloud.cgs_node_info, 1 by "
                        "cloudops.multicloud.instances) and this controller's runs under way (1 call by "
                        "cloudops.multicloud.cgs_node_info)"]


def test_a_wait_under_five_seconds_is_no_warning(private_home, fake, ended_pid):
    earlier = run_of(fake, INVENTORY, ended_pid)
    for _call in range(5):
        call(earlier, fake, [], took=11.0)  # the oldest answer is 44 s old when the sixth call comes
    fake.now += 13.0
    warnings = []
    call(run_of(fake, INVENTORY, os.getpid(), warnings), fake, [])
    assert fake.sleeps == [pytest.approx(4.0)] and warnings == []


def test_a_window_written_before_callers_were_recorded_says_it_does_not_know_whose(private_home, fake):
    old = run_of(fake, None, os.getpid())
    for _call in range(5):
        call(old, fake, [])
    with old.budget.transaction() as state:  # as a window file of the previous release holds them
        state["calls"] = [entry[:2] for entry in state["calls"]]
    warnings = []
    call(run_of(fake, MODULE, os.getpid(), warnings), fake, [])
    assert warnings[0].endswith("are spent by calls of this controller that do not say whose (5 calls)")


def test_a_refusal_warns_once_that_someone_this_controller_does_not_know_spends_the_budget(private_home, fake):
    warnings = []
    mine = run_of(fake, MODULE, os.getpid(), warnings)
    call(mine, fake, [])
    mine.throttled("cgs", "ListContainerNodes", None)  # no Retry-After, no window named: one window
    call(mine, fake, [])
    assert fake.sleeps == [60.0]
    assert warnings == ["CGS rate limit: the server refused ListContainerNodes for the rate limit: someone this "
                        "controller does not know spends the same budget (another controller, or this account "
                        "under another access key); this controller made 1 of the calls of the last 60s: this run "
                        "(1 call by cloudops.multicloud.cgs_node_info); holding calls for 60s"]


def test_another_run_held_by_a_refusal_says_whose_call_was_refused(private_home, fake):
    refused = run_of(fake, INVENTORY, os.getppid())
    refused.throttled("cgs", "ListContainerNodes", 30.0)
    warnings = []
    call(run_of(fake, MODULE, os.getpid(), warnings), fake, [])
    assert warnings == ["CGS rate limit: waiting 30s before ListContainerNodes: the server refused a call of "
                        "cloudops.multicloud.instances for the rate limit: someone this controller does not know "
                        "spends the same budget (another controller, or this account under another access key)"]


def test_a_short_hold_is_no_warning(private_home, fake):
    warnings = []
    mine = run_of(fake, MODULE, os.getpid(), warnings)
    mine.throttled("cgs", "ListContainerNodes", 3.0)
    call(mine, fake, [])
    assert fake.sleeps == [3.0] and warnings == []


def test_a_refusal_while_this_controllers_calls_fill_the_window_names_them(private_home, fake, ended_pid):
    earlier = run_of(fake, INVENTORY, ended_pid)
    for _call in range(4):
        call(earlier, fake, [])
    warnings = []
    mine = run_of(fake, INVENTORY, os.getpid(), warnings)
    call(mine, fake, [])  # the fifth call of the minute, refused: the server's minute began earlier
    mine.throttled("cgs", "ListContainerNodes", 8.0)
    assert warnings == ["CGS rate limit: the server refused ListContainerNodes for the rate limit: the budget is spent "
                        "by this run (1 call by cloudops.multicloud.instances) and this controller's earlier runs (4 "
                        "calls by cloudops.multicloud.instances); holding calls for 8s"]
