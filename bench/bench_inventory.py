"""What the inventory plugins cost: wall time of `ansible-inventory --list` against the emulator
holding 10,000 container nodes and 5,000 keypairs, versus the same hosts, variables and groups
from a static YAML inventory; API calls from the emulator's counters.

  * cold: the cache empty and the rate limit lifted (emulator and plugin), to measure the plugin
    itself - list calls must be ceil(N / page size);
  * warm: the same listing from the jsonfile cache - no API call; the goal is within 1.3x of the
    static inventory;
  * paced: the plugin over 7,000 nodes (7 pages) and cgs_node_info over 10,000 (10 pages) under the
    real limit of 5 calls a minute, with every CGS call's arrival time recorded in the emulator:
    never more than 5 in any 60 s, no call refused, no failure.

Writes a Markdown table to bench/results/inventory.md (`make bench`; not part of `make test`).

    python bench/bench_inventory.py [--output bench/results/inventory.md] [--skip-paced]
"""

import argparse
import collections
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from inventory_support import (EmulatorServer, ansible_env, inventory,  # noqa: E402  pylint: disable=wrong-import-position
                               inventory_list, write_yaml)

NODES = 10000
KEYPAIRS = 5000
PACED_NODES = 7000
PAGE = 1000
RUNS = 2
WAIT_LINE = re.compile(r"cgs ListContainerNodes page \d+ \(offset \d+, limit \d+\): waiting [\d.]+s for the rate "
                       r"limit \(\d+ calls per \d+s\)")


def timed(env, source, output, *args):
    started = time.monotonic()
    listing, _out, _err = inventory_list(env, source, output, *args)
    return time.monotonic() - started, listing


def static_inventory(listing, path):
    """The --list answer as a static YAML inventory: the same hosts, variables and groups."""
    hostvars = listing["_meta"]["hostvars"]
    children = {}
    for group, body in listing.items():
        if group in ("_meta", "all", "ungrouped"):
            continue
        children[group] = {"hosts": dict((host, None) for host in body.get("hosts", []))}
    doc = {"all": {"hosts": hostvars, "children": children}}
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(doc, handle, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)
    return path


def best_of(env, source, output, *args):
    times = []
    for _run in range(RUNS):
        seconds, listing = timed(env, source, output, *args)
        times.append(seconds)
    return min(times), statistics.median(times), listing


def measure(emulator, env, work, name, config, count):
    """cold / warm / static figures for one plugin configuration."""
    cache_dir = os.path.join(work, name + "-cache")
    config = dict(config, cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=cache_dir,
                  cache_timeout=3600, rate_limit_per_minute=0)
    suffix = "instances" if "instances" in config["plugin"] else "keypairs"
    source = write_yaml(os.path.join(work, "%s.%s.yml" % (name, suffix)), config)
    output = os.path.join(work, name + ".json")

    emulator.clear_calls()
    cold, listing = timed(env, source, output, "--flush-cache")
    print("%s: cold %.2f s" % (name, cold), flush=True)
    calls = emulator.calls()
    assert len(listing["_meta"]["hostvars"]) == count, len(listing["_meta"]["hostvars"])
    emulator.clear_calls()
    warm, warm_median, warm_listing = best_of(env, source, output)
    warm_calls = emulator.calls()
    assert warm_listing == listing

    static = static_inventory(listing, os.path.join(work, name + "-static.yml"))
    static_best, static_median, static_listing = best_of(env, static, output)
    assert sorted(static_listing["_meta"]["hostvars"]) == sorted(listing["_meta"]["hostvars"])
    return dict(name=name, hosts=count, groups=len([g for g in listing if g != "_meta"]), cold=cold, calls=calls,
                warm=warm, warm_median=warm_median, warm_calls=warm_calls, static=static_best,
                static_median=static_median)


MODULE_PLAY = """\
- name: Every container node, paced
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: List them
      cloudops.multicloud.cgs_node_info:
        region: cn-south-4
      register: listed
    - name: Count them
      ansible.builtin.assert:
        that: listed.nodes | length == %d
"""


def paced(emulator, nodes, run):
    """Run ``run()`` (-> returncode, stdout, stderr) under the real limit (5 calls a minute) over ``nodes``
    generated nodes, recording the arrival time of every CGS call inside the emulator."""
    arrivals = []
    count = emulator.emu.stats.count

    def recording(key, n=1):
        if key == "cgs:ListContainerNodes":
            arrivals.append(time.monotonic())
        count(key, n)

    emulator.reset(settings={"cgs_rate_limit": 5},
                   huawei={"cgs_nodes": [], "generate": {"cgs.node": {"count": nodes, "region": "cn-south-4"}}})
    emulator.emu.stats.count = recording
    started = time.monotonic()
    try:
        code, stdout, _stderr = run()
    finally:
        emulator.emu.stats.count = count
    seconds = time.monotonic() - started
    window = collections.deque()
    most = 0
    for arrival in arrivals:
        window.append(arrival)
        while window[0] <= arrival - 60.0:
            window.popleft()
        most = max(most, len(window))
    waits = WAIT_LINE.findall(stdout)  # -v output (the plugin's lines, the module's result) is on stdout
    return dict(ok=code == 0, seconds=seconds, calls=len(arrivals), most_in_60s=most, waits=waits,
                refused=len(arrivals) - math.ceil(nodes / PAGE), nodes=nodes)


def paced_plugin(emulator, env, work):
    source = write_yaml(os.path.join(work, "paced.instances.yml"),
                        {"plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"]})

    def run():
        return inventory(env, source, "--list", "--output", os.path.join(work, "paced.json"), "-v")
    return paced(emulator, PACED_NODES, run)


def paced_module(emulator, env, work):
    playbook = os.path.join(work, "paced-module.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(MODULE_PLAY % NODES)

    def run():
        proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), playbook,
                               "-i", "localhost,", "-v"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    return paced(emulator, NODES, run)


def report(rows, paced_runs):
    lines = ["## Inventory plugins", "",
             "`ansible-inventory --list` against the emulator, best of %d runs (median in brackets). Cold: "
             "empty cache, rate limit lifted; warm: the jsonfile cache; static: the same hosts, variables "
             "and groups from a YAML file." % RUNS, "",
             "| listing | hosts | groups | cold | list calls (cold) | warm | static YAML | warm / static | "
             "calls (warm) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        list_calls = ", ".join("%s %d" % (k, v) for k, v in sorted(row["calls"].items()))
        lines.append("| %s | %d | %d | %.2f s | %s | %.2f s (%.2f) | %.2f s (%.2f) | %.2f | %d |" % (
            row["name"], row["hosts"], row["groups"], row["cold"], list_calls, row["warm"], row["warm_median"],
            row["static"], row["static_median"], row["warm"] / row["static"], sum(row["warm_calls"].values())))
    lines += ["", "Cold list calls: CGS ceil(10,000 / 1,000) = 10 (it stops at `total_num`); KPS "
              "ceil(5,000 / 1,000) = 5 pages plus the empty page that ends a marker listing. Both also look "
              "the project up once (IAM). Goal: warm within 1.3x of static. `keyed_groups` costs one Jinja "
              "evaluation per host and key (ansible-core's constructed code), which a static file has done "
              "beforehand; the keypairs' static file is slow to parse because of its 5,000 fingerprint groups."]
    for label, run in paced_runs:
        lines += ["", "Paced, %s: %d nodes (%d pages of %d) under the emulator's 5 calls per minute, at the "
                  "default `rate_limit_per_minute: 5`: %s in %.1f s, %d CGS calls, at most %d arriving in any "
                  "60 s (arrival times recorded inside the emulator), %d refused. The -v output said:" % (
                      label, run["nodes"], math.ceil(run["nodes"] / PAGE), PAGE,
                      "succeeded" if run["ok"] else "FAILED", run["seconds"], run["calls"], run["most_in_60s"],
                      run["refused"]), ""]
        lines += ["    %s" % line for line in run["waits"]]
    lines += ["", "A cold listing of 10,000 nodes under the real limit costs 10 calls (about a minute); at an "
              "unknown page cap of 100 it is 100 calls, about twenty minutes: use the cache.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "inventory.md"))
    parser.add_argument("--skip-paced", action="store_true", help="skip the minute-long paced runs")
    parser.add_argument("--only-paced", action="store_true", help="only the paced runs")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="cloudops-bench-inventory-")
    emulator = EmulatorServer()
    try:
        env = ansible_env(emulator.url, work)
        emulator.reset(settings={"cgs_rate_limit": 0}, huawei={"cgs_nodes": [], "generate": {
            "cgs.node": {"count": NODES, "region": "cn-south-4"},
            "kps.keypair": {"count": KEYPAIRS, "region": "cn-north-4"}}})
        rows = [] if args.only_paced else [
            measure(emulator, env, work, "instances: CGS nodes, default groups", {
                "plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"]}, NODES),
            measure(emulator, env, work, "instances: the same + keyed_groups (templated per host)", {
                "plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"],
                "keyed_groups": [{"key": "region", "prefix": "region"}]}, NODES),
            measure(emulator, env, work, "keypairs", {
                "plugin": "cloudops.multicloud.keypairs", "regions": ["cn-north-4"]}, KEYPAIRS),
        ]
        paced_runs = [] if args.skip_paced else [
            ("inventory plugin `instances`", paced_plugin(emulator, env, work)),
            ("module `cgs_node_info`", paced_module(emulator, env, work))]
    finally:
        emulator.stop()
    text = report(rows, paced_runs)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    expected = math.ceil(NODES / PAGE)
    failed = bool(rows) and rows[0]["calls"].get("cgs:ListContainerNodes") != expected
    failed = failed or any(sum(r["warm_calls"].values()) for r in rows)
    for _label, run in paced_runs:
        failed = failed or not run["ok"] or run["most_in_60s"] > 5 or run["refused"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
