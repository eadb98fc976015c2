"""What the inventory plugins cost: wall time of `ansible-inventory --list` against the emulator
holding 10,000 container nodes and 5,000 keypairs, versus the same hosts, variables and groups
from a static YAML inventory; API calls from the emulator's counters.

  * cold: the cache empty and the rate limit lifted (emulator and plugin), to measure the plugin
    itself - list calls must be ceil(N / page size);
  * warm: the same listing from the jsonfile cache - no API call; the goal is within 1.3x of the
    static inventory;
  * paced: 7,000 nodes (7 pages) under the real limit of 5 calls a minute, with every CGS call's
    arrival time recorded in the emulator: never more than 5 in any 60 s, no call refused.

Writes a Markdown table to bench/results/inventory.md (`make bench`; not part of `make test`).

    python bench/bench_inventory.py [--output bench/results/inventory.md] [--skip-paced]
"""

import argparse
import collections
import math
import os
import statistics
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
RUNS = 3


def timed(env, source, output, *args):
    started = time.monotonic()
    listing, _text = inventory_list(env, source, output, *args)
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


def paced_run(emulator, env, work):
    """7 pages under 5 calls a minute: arrival times of every CGS call, from inside the emulator."""
    arrivals = []
    count = emulator.emu.stats.count

    def recording(key, n=1):
        if key == "cgs:ListContainerNodes":
            arrivals.append(time.monotonic())
        count(key, n)

    emulator.emu.stats.count = recording
    emulator.reset(settings={"cgs_rate_limit": 5},
                   huawei={"cgs_nodes": [], "generate": {"cgs.node": {"count": PACED_NODES, "region": "cn-south-4"}}})
    source = write_yaml(os.path.join(work, "paced.instances.yml"),
                        {"plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"]})
    started = time.monotonic()
    code, out, err = inventory(env, source, "--list", "--output", os.path.join(work, "paced.json"), "-v")
    seconds = time.monotonic() - started
    emulator.emu.stats.count = count
    window = collections.deque()
    most = 0
    for arrival in arrivals:
        window.append(arrival)
        while window[0] <= arrival - 60.0:
            window.popleft()
        most = max(most, len(window))
    waits = [line for line in (out + err).splitlines() if "waiting" in line]
    return dict(ok=code == 0, seconds=seconds, calls=len(arrivals), most_in_60s=most, waits=waits,
                refused=emulator.calls().get("cgs:ListContainerNodes", 0) - PACED_NODES // PAGE)


def report(rows, paced):
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
              "the project up once (IAM). Goal: warm within 1.3x of static."]
    if paced:
        lines += ["", "Paced: %d nodes (%d pages of %d) under the emulator's 5 calls per minute, plugin at its "
                  "default `rate_limit_per_minute: 5`: %s in %.1f s, %d CGS calls, at most %d in any 60 s, "
                  "%d refused. The -v lines said:" % (
                      PACED_NODES, PACED_NODES // PAGE, PAGE, "succeeded" if paced["ok"] else "FAILED",
                      paced["seconds"], paced["calls"], paced["most_in_60s"], paced["refused"]), ""]
        lines += ["    %s" % line.strip() for line in paced["waits"]]
    lines += ["", "A cold listing of 10,000 nodes under the real limit costs 10 calls (about a minute); at an "
              "unknown page cap of 100 it is 100 calls, about twenty minutes: use the cache.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "inventory.md"))
    parser.add_argument("--skip-paced", action="store_true", help="skip the minute-long paced run")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="cloudops-bench-inventory-")
    emulator = EmulatorServer()
    try:
        env = ansible_env(emulator.url, work)
        emulator.reset(settings={"cgs_rate_limit": 0}, huawei={"cgs_nodes": [], "generate": {
            "cgs.node": {"count": NODES, "region": "cn-south-4"},
            "kps.keypair": {"count": KEYPAIRS, "region": "cn-north-4"}}})
        rows = [
            measure(emulator, env, work, "instances: CGS nodes", {
                "plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "cgs_regions": ["cn-south-4"],
                "keyed_groups": [{"key": "agent_status", "prefix": "agent"}]}, NODES),
            measure(emulator, env, work, "keypairs", {
                "plugin": "cloudops.multicloud.keypairs", "regions": ["cn-north-4"]}, KEYPAIRS),
        ]
        paced = None if args.skip_paced else paced_run(emulator, env, work)
    finally:
        emulator.stop()
    text = report(rows, paced)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    expected = math.ceil(NODES / PAGE)
    failed = rows[0]["calls"].get("cgs:ListContainerNodes") != expected or any(sum(r["warm_calls"].values())
                                                                               for r in rows)
    if paced:
        failed = failed or not paced["ok"] or paced["most_in_60s"] > 5 or paced["refused"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
