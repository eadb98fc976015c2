"""One CGS budget per account on the controller: 10 forks x 3 tasks of `cgs_node_info` and an
inventory refresh, all at once, against an emulator that allows 5 CGS calls a minute per IAM user
(`cgs_rate_limit: 5`, `readings.cgs.rate_scope: user`).

Every process counts its calls in the account's one window beside the controller locks
(plugins/module_utils/pacing.py), so together they never send more than 5 in any 60 s. The
emulator records the arrival time of every CGS call and every refusal (429) in process; the
bench passes when no 60 s window saw more than 5 arrivals, nothing was refused and nothing
failed. 31 calls at 5 a minute take about six minutes.

Writes a Markdown table to bench/results/budget.md (`make bench`; not part of `make test`).

    python bench/bench_shared_budget.py [--output bench/results/budget.md] [--forks 10] [--tasks 3]
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "emulator"))

from cloudops_emulator.huawei import ratelimit  # noqa: E402  pylint: disable=wrong-import-position
from inventory_support import (EmulatorServer, ansible_env,  # noqa: E402  pylint: disable=wrong-import-position
                               write_yaml)

BIN = os.path.dirname(sys.executable)
PER_MINUTE = 5
WINDOW = 60.0
TASK = """\
    - name: Every container node, paced in the account's budget ({n})
      cloudops.multicloud.cgs_node_info:
        region: cn-south-4
      register: listed_{n}
    - name: Three nodes ({n})
      ansible.builtin.assert:
        that: listed_{n}.nodes | length == 3
"""
PLAY = """\
- name: Forks listing container nodes at once
  hosts: all
  connection: local
  gather_facts: false
  tasks:
"""


class Recorder:
    """Arrival times of the emulator's CGS calls, and its refusals, on this process's clock."""

    def __init__(self, emulator):
        self.arrivals, self.refused = [], []
        self._emulator = emulator
        self._count = emulator.emu.stats.count
        self._check = ratelimit.check

    def __enter__(self):
        def counting(key, n=1):
            if key == "cgs:ListContainerNodes":
                self.arrivals.append(time.monotonic())
            self._count(key, n)

        def checking(*args, **kwargs):
            try:
                return self._check(*args, **kwargs)
            except Exception:
                self.refused.append(time.monotonic())
                raise
        self._emulator.emu.stats.count = counting
        ratelimit.check = checking
        return self

    def __exit__(self, *exc):
        self._emulator.emu.stats.count = self._count
        ratelimit.check = self._check

    def most_in_window(self):
        window, most = collections.deque(), 0
        for arrival in sorted(self.arrivals):
            window.append(arrival)
            while window[0] <= arrival - WINDOW:
                window.popleft()
            most = max(most, len(window))
        return most


def run_all(env, work, forks, tasks):
    hosts = os.path.join(work, "forks.ini")
    with open(hosts, "w", encoding="utf-8") as handle:
        handle.write("\n".join("fork%02d" % n for n in range(1, forks + 1)) + "\n")
    playbook = os.path.join(work, "forks.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAY + "".join(TASK.format(n=n) for n in range(1, tasks + 1)))
    source = write_yaml(os.path.join(work, "budget.instances.yml"), {
        "plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"]})
    play = subprocess.Popen([os.path.join(BIN, "ansible-playbook"), playbook, "-i", hosts, "--forks", str(forks)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(5)  # the refresh joins while the forks are under way
    refresh = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", source, "--list"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    play_out = play.communicate()[0]
    return play.returncode, refresh.returncode, play_out.decode("utf-8", "replace"), refresh.stdout.decode(
        "utf-8", "replace")


def report(forks, tasks, seconds, recorder, play_code, refresh_code):
    started = min(recorder.arrivals) if recorder.arrivals else 0.0
    lines = ["## One CGS budget per account", "",
             "%d forks x %d tasks of `cgs_node_info` and one inventory refresh (`instances`, started 5 s "
             "later) at once, against an emulator allowing %d CGS calls a minute per IAM user "
             "(`readings.cgs.rate_scope: user`); the arrival time of every call recorded inside the emulator."
             % (forks, tasks, PER_MINUTE), "",
             "| measure | value |", "|---|---|",
             "| CGS calls | %d (expected %d) |" % (len(recorder.arrivals), forks * tasks + 1),
             "| most arriving in any 60 s | %d (limit %d) |" % (recorder.most_in_window(), PER_MINUTE),
             "| refused (429) | %d |" % len(recorder.refused),
             "| playbook | %s |" % ("succeeded" if play_code == 0 else "FAILED (%d)" % play_code),
             "| inventory refresh | %s |" % ("succeeded" if refresh_code == 0 else "FAILED (%d)" % refresh_code),
             "| wall time | %.1f s (%d calls at %d a minute need at least %.0f s) |" % (
                 seconds, len(recorder.arrivals), PER_MINUTE,
                 max(0, (len(recorder.arrivals) - 1) // PER_MINUTE) * WINDOW),
             "", "Arrivals, seconds after the first: %s" % ", ".join(
                 "%.1f" % (t - started) for t in sorted(recorder.arrivals)), ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "budget.md"))
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="cloudops-bench-budget-")
    emulator = EmulatorServer()
    try:
        env = ansible_env(emulator.url, work)
        env["HOME"] = os.path.join(work, "home")  # a fresh controller: its own lock directory and window
        emulator.reset(settings={"cgs_rate_limit": PER_MINUTE, "readings": {"cgs": {"rate_scope": "user"}}})
        started = time.monotonic()
        with Recorder(emulator) as recorder:
            play_code, refresh_code, play_out, refresh_out = run_all(env, work, args.forks, args.tasks)
        seconds = time.monotonic() - started
    finally:
        emulator.stop()
    text = report(args.forks, args.tasks, seconds, recorder, play_code, refresh_code)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    failed = play_code or refresh_code or recorder.refused or recorder.most_in_window() > PER_MINUTE
    if failed:
        print(play_out[-3000:])
        print(refresh_out[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
