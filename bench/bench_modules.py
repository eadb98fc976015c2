"""What the collection's modules cost: API calls and wall time of real ansible-playbook runs.

Starts the emulator, then measures, from its own call counters:
  * playbooks/demo.yml, first run (creates everything) and second run (must be reads only:
    one per resource);
  * kcr_namespace_info over a registry with 300 namespaces (paging at 99: 4 list calls).
Writes a Markdown table to bench/results/modules.md.

    python bench/bench_modules.py [--output bench/results/modules.md]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from benchlib import environment, load_runner, streams

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


NAMESPACE_INFO_PLAY = """\
- name: List 300 namespaces
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: List them
      cloudops.multicloud.kcr_namespace_info:
        instance_name: bulk-registry
      register: listed
    - name: Check the count
      ansible.builtin.assert:
        that: listed.namespaces | length == 300
"""

BULK_FIXTURES = {
    "settings": {"kcrs": {"namespace_quota": 300}},
    "ksyun": {
        "access_keys": [{"access_key": "AKLTEMULATOR", "secret_key": "emulator-ksyun-secret"}],
        "kcrs": {"instances": [{"InstanceName": "bulk-registry"}]},
        "generate": {"kcrs.namespace": {"instance": "bulk-registry", "count": 300, "prefix": "ns"}},
    },
}


def playbook(runner, url, path, extra_vars=()):
    env = environment(runner, url)
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", path]
    for item in extra_vars:
        cmd += ["-e", item]
    runner.admin(url, "DELETE", "/__admin/stats")
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.stdout.write(streams(proc))
        raise SystemExit("%s failed" % path)
    calls = runner.admin(url, "GET", "/__admin/stats")["calls"]
    return calls, seconds


READS = ("Describe", "List", "Show", "Keystone", "Count", "Get", "Check")


def describe(calls):
    reads = sum(n for op, n in calls.items() if op.split(":", 1)[1].startswith(READS))
    writes = sum(calls.values()) - reads
    detail = ", ".join("%s %d" % (op.split(":", 1)[1], n) for op, n in sorted(calls.items()))
    return reads, writes, detail


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "modules.md"))
    args = parser.parse_args()

    runner = load_runner()
    workdir = tempfile.mkdtemp(prefix="cloudops-bench-")
    proc, url = runner.start_emulator(os.path.join(workdir, "emulator.log"))
    rows = []
    try:
        demo = os.path.join(ROOT, "playbooks", "demo.yml")
        out = "demo_output_dir=%s" % workdir
        for label in ("demo.yml, first run", "demo.yml, second run (no-op)"):
            calls, seconds = playbook(runner, url, demo, [out])
            rows.append((label, seconds) + describe(calls))
        runner.admin(url, "POST", "/__admin/reset", BULK_FIXTURES)
        info_play = os.path.join(workdir, "namespace_info.yml")
        with open(info_play, "w", encoding="utf-8") as handle:
            handle.write(NAMESPACE_INFO_PLAY)
        calls, seconds = playbook(runner, url, info_play)
        rows.append(("kcr_namespace_info, 300 namespaces", seconds) + describe(calls))
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    lines = ["The whole demo (every role) twice, and a listing of 300 namespaces (KCR pages of 99: 4 calls), "
             "load average %.1f at the end." % os.getloadavg()[0], "",
             "| run | wall time | reads | writes | calls |", "|---|---:|---:|---:|---|"]
    lines += ["| %s | %.1f s | %d | %d | %s |" % row for row in rows]
    table = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write("# Module costs against the emulator\n\n" + table)
    sys.stdout.write(table)


if __name__ == "__main__":
    main()
