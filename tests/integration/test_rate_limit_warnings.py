"""What a user sees when the CGS budget (5 calls a minute per account) is spent: ansible-inventory
against the emulator prints a warning at default verbosity, before it waits, saying how long and
who spent the budget.

The budget's window is a minute; so that a test does not wait one, the window file of this
controller is aged (its calls moved back in time, as if the earlier run had been 49 s ago), or the
emulator's clock moved on, instead of sleeping. What is left of the minute then (10 s) leaves
ansible-inventory time to start and still wait more than the 5 s that make a warning."""
import glob
import json
import os
import re
import time

import pytest

from inventory_support import ansible_env, inventory, write_yaml

LEFT = 10.0


@pytest.fixture
def controller(emulator, tmp_path):
    """An ansible-inventory of the instances plugin (CGS only, the default budget of 5 calls a
    minute) with a HOME of its own: ``run()`` is one ``--graph --flush-cache`` refresh, (seconds,
    stderr as one line)."""
    env = ansible_env(emulator.url, str(tmp_path))
    env["HOME"] = str(tmp_path / "home")
    source = write_yaml(tmp_path / "cloud.instances.yml", {
        "plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"]})

    def run(home=None):
        started = time.monotonic()
        code, out, err = inventory(dict(env, HOME=home or env["HOME"]), source, "--graph", "--flush-cache")
        assert code == 0 and "@cgs" in out, err
        return time.monotonic() - started, " ".join(err.split())  # the warning as one line

    run.home = env["HOME"]
    return run


def age_window(home, left):
    """Move the calls of the controller's CGS window back in time (CLOCK_MONOTONIC, the clock of
    every process of the machine), the oldest to ``left`` seconds before it leaves the window;
    returns by how many seconds."""
    (path,) = glob.glob(os.path.join(home, ".ansible", "tmp", "cloudops-multicloud", "cgs-*.window"))
    with open(path, encoding="utf-8") as handle:
        state = json.load(handle)
    shift = min(entry[0] for entry in state["calls"]) - (time.monotonic() + left - 61.0)
    for entry in state["calls"]:
        entry[0] -= shift
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    return shift


def test_a_refresh_that_waits_for_the_budget_says_this_controllers_earlier_runs_spent_it(emulator, controller):
    emulator.reset()
    for _run in range(5):
        _seconds, quiet = controller()
        assert "rate limit" not in quiet, quiet
    shift = age_window(controller.home, LEFT)
    emulator.admin("POST", "/__admin/settings", {"clock_offset": shift})  # the cloud's minute as well
    seconds, stderr = controller()
    assert re.search(r"\[WARNING\]: CGS rate limit: waiting (\d+)s before ListContainerNodes page 1 \(offset 0, limit "
                     r"1000\): the account's 5 calls per 60s are spent by this controller's earlier runs \(5 calls "
                     r"by cloudops.multicloud.instances\)", stderr), stderr
    assert seconds > 5.0


def test_a_refresh_refused_by_the_cloud_says_someone_this_controller_does_not_know_spent_it(emulator, controller,
                                                                                            tmp_path):
    # The cloud allows one call a minute, and says in Retry-After when the next one may come.
    emulator.reset(settings={"cgs_rate_limit": 1, "readings": {"cgs": {"throttle_answer": "retry_after"}}})
    controller(home=str(tmp_path / "another-controller"))  # spends the account's one call of the minute
    emulator.admin("POST", "/__admin/settings", {"clock_offset": 60.0 - LEFT})
    seconds, stderr = controller()
    assert re.search(r"\[WARNING\]: CGS rate limit: the server refused ListContainerNodes page 1 \(offset 0, limit "
                     r"1000\) for the rate limit: someone this controller does not know spends the same budget "
                     r"\(another controller, or this account under another access key\); this controller made 1 of "
                     r"the calls of the last 60s: this run \(1 call by cloudops.multicloud.instances\); holding "
                     r"calls for \d+s", stderr), stderr
    assert seconds > 5.0
