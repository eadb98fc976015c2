"""Failure drills: does the collection converge when the cloud has a bad day?

  1. faults: playbooks/demo.yml under injected server errors, throttling, dropped connections
     and lost answers (the cloud acts, the answer never arrives), once per seed; then a second,
     fault-free run, which must change nothing. Counts: first runs that converged, duplicates
     and lost resources in the cloud's own state (/__admin/state), second runs with changed=0;
  2. races: the same tasks (namespace, webhook, token) in N parallel ansible-playbook runs:
     failed runs and duplicates;
  3. secrets at -vvvv: the demo at -vvvv, its output scanned for every secret in play (the
     credentials, and the token and private-key files the run wrote).
Writes bench/results/drills.md; exits non-zero when a goal is missed.

    python tools/drills.py [--seeds 10] [--parallel 5] [--output bench/results/drills.md]
"""

import argparse
import collections
import glob
import importlib.util
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)
FAULTS = {"service": "all", "error_rate": 0.2, "throttle_rate": 0.1, "drop_rate": 0.05, "lose_rate": 0.05}
SERVICES = ("kcrs", "bws", "kps", "vpcep", "cgs")

RACE_PLAY = """\
- name: Same tasks in parallel
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Namespace
      cloudops.multicloud.kcr_namespace:
        instance_id: "{instance_id}"
        name: race-ns
    - name: Webhook
      cloudops.multicloud.kcr_webhook:
        instance_id: "{instance_id}"
        namespace: race-ns
        name: race-hook
        url: https://deploy.example.com/hook
        event_types: [PushImage]
    - name: Token
      cloudops.multicloud.kcr_token:
        instance_id: "{instance_id}"
        description: race-token
        token_type: Day
        token_time: 7
        token_file: "{token_dir}/race-token.json"
"""


def load_runner():
    spec = importlib.util.spec_from_file_location("run_targets", os.path.join(ROOT, "tests", "integration",
                                                                              "run_targets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def environment(runner, url):
    env = dict(os.environ)
    env.update(runner.KSYUN_ENV)
    env.update(runner.HUAWEI_ENV)
    env.update(KSYUN_ENDPOINT_URL=url, HUAWEICLOUD_ENDPOINT_URL=url, ANSIBLE_COLLECTIONS_PATH=runner.collections_path(),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED="0")
    return env


def playbook(env, path, extra=(), verbosity=0):
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", path] + list(extra)
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(proc):
    out = proc.communicate()[0].decode("utf-8", "replace")
    return proc.returncode, out


def changed_count(output):
    found = re.findall(r"localhost\s+: ok=\d+\s+changed=(\d+)", output)
    return int(found[-1]) if found else None


def inventory(runner, url):
    """Named records of every service, as stored: {(kind, parent, name): count}."""
    counts = collections.Counter()
    for service in SERVICES:
        try:
            kinds = runner.admin(url, "GET", "/__admin/state/%s" % service).get("kinds", {})
        except OSError:
            continue
        for kind, records in kinds.items():
            for record in records:
                name = record.get("name")
                if kind == "kcrs.token":
                    name = (record.get("doc") or {}).get("Desc")
                if name:
                    counts[(kind, record.get("parent") or "", name)] += 1
    return counts


def names_only(counts):
    """The same records keyed by kind and name only (ids differ from run to run)."""
    return collections.Counter(dict(((k[0], k[2]), 1) for k in counts))


def drill_faults(runner, url, seeds, workdir):
    env = environment(runner, url)
    demo = os.path.join(ROOT, "playbooks", "demo.yml")
    runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
    code, out = finish(playbook(env, demo, ["-e", "demo_output_dir=%s" % os.path.join(workdir, "baseline")]))
    if code != 0:
        sys.stdout.write(out)
        raise SystemExit("the demo fails without faults")
    baseline = names_only(inventory(runner, url))
    baseline_files = len(glob.glob(os.path.join(workdir, "baseline", "*")))
    rows = []
    for seed in seeds:
        runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
        runner.admin(url, "POST", "/__admin/faults", dict(FAULTS, seed=seed))
        outdir = os.path.join(workdir, "seed-%d" % seed)
        first, first_out = finish(playbook(env, demo, ["-e", "demo_output_dir=%s" % outdir]))
        secret_files = sorted(glob.glob(os.path.join(outdir, "*")))
        runner.admin(url, "POST", "/__admin/faults", {})
        second, second_out = finish(playbook(env, demo, ["-e", "demo_output_dir=%s" % outdir]))
        counts = inventory(runner, url)
        duplicates = sum(n - 1 for n in counts.values() if n > 1)
        lost = sum(1 for key in baseline if key not in names_only(counts))
        failure = ""
        if first != 0:
            match = re.search(r'"msg": "([^"]{0,160})', first_out)
            failure = match.group(1) if match else "rc=%d" % first
        rows.append(dict(seed=seed, first=first, failure=failure, files=len(secret_files), second=second,
                         second_changed=changed_count(second_out), duplicates=duplicates, lost=lost))
    for row in rows:
        row["files_lost"] = max(0, baseline_files - row["files"]) if row["first"] == 0 else 0
    return rows


def drill_races(runner, url, parallel, workdir):
    env = environment(runner, url)
    runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
    setup = os.path.join(workdir, "race-setup.yml")
    with open(setup, "w") as handle:
        handle.write("- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
                     "    - name: Registry\n      cloudops.multicloud.kcr_instance:\n        name: race-registry\n"
                     "      register: registry\n    - name: Id\n      ansible.builtin.copy:\n"
                     "        content: \"{{ registry.instance.instance_id }}\"\n        dest: %s/id\n        mode: '0600'\n"
                     % workdir)
    code, out = finish(playbook(env, setup))
    if code != 0:
        sys.stdout.write(out)
        raise SystemExit("race setup failed")
    with open(os.path.join(workdir, "id")) as handle:
        instance_id = handle.read().strip()
    token_dir = os.path.join(workdir, "race-tokens")
    os.makedirs(token_dir, exist_ok=True)
    play = os.path.join(workdir, "race.yml")
    with open(play, "w") as handle:
        handle.write(RACE_PLAY.format(instance_id=instance_id, token_dir=token_dir))
    procs = [playbook(env, play) for _n in range(parallel)]
    results = [finish(p) for p in procs]
    failed = [out for code, out in results if code != 0]
    counts = inventory(runner, url)
    duplicates = dict(("%s %s" % (k[0], k[2]), n) for k, n in counts.items() if n > 1)
    token_file = os.path.join(token_dir, "race-token.json")
    return dict(runs=parallel, failed=len(failed), duplicates=duplicates, token_file=os.path.exists(token_file),
                first_failure=(re.search(r'"msg": "([^"]{0,200})', failed[0]).group(1)
                               if failed and re.search(r'"msg": "([^"]{0,200})', failed[0]) else ""))


def drill_secrets(runner, url, workdir):
    env = environment(runner, url)
    runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
    outdir = os.path.join(workdir, "vvvv")
    code, out = finish(playbook(env, os.path.join(ROOT, "playbooks", "demo.yml"),
                                ["-e", "demo_output_dir=%s" % outdir], verbosity=4))
    secrets = {"KSYUN secret key": runner.KSYUN_ENV["KSYUN_SECRET_KEY"],
               "Huawei secret key": runner.HUAWEI_ENV["HUAWEICLOUD_SDK_SK"]}
    for path in glob.glob(os.path.join(outdir, "**", "*"), recursive=True):
        if os.path.isfile(path):
            with open(path, errors="replace") as handle:
                text = handle.read()
            for token in re.findall(r'"(?:token|password|Token|Password|private_key)"\s*:\s*"([^"]{8,})"', text):
                secrets["%s in %s" % ("value", os.path.basename(path))] = token
            if "PRIVATE KEY" in text:
                secrets["private key %s" % os.path.basename(path)] = text.strip().splitlines()[1]
    leaks = [label for label, value in secrets.items() if value and value in out]
    return dict(rc=code, lines=len(out.splitlines()), secrets=len(secrets), leaks=leaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--parallel", type=int, default=5)
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "results", "drills.md"))
    args = parser.parse_args()

    runner = load_runner()
    workdir = tempfile.mkdtemp(prefix="cloudops-drills-")
    proc, url = runner.start_emulator(os.path.join(workdir, "emulator.log"))
    started = time.monotonic()
    try:
        faults = drill_faults(runner, url, range(1, args.seeds + 1), workdir)
        races = drill_races(runner, url, args.parallel, workdir)
        secrets = drill_secrets(runner, url, workdir)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    converged = sum(1 for r in faults if r["first"] == 0)
    lines = ["# Failure drills", "",
             "Machine: %s, %d cores, Python %s; %.0f s." % (
                 platform.machine(), os.cpu_count() or 0, platform.python_version(), time.monotonic() - started),
             "", "## playbooks/demo.yml under faults", "",
             "Faults: %s (all services), then a fault-free second run." % ", ".join(
                 "%s %s" % (k, v) for k, v in FAULTS.items() if k != "service"), "",
             "| seed | first run | second run | second run changed | duplicates | lost | secret files lost | first-run failure |",
             "|---:|---|---|---:|---:|---:|---:|---|"]
    for r in faults:
        lines.append("| %d | %s | %s | %s | %d | %d | %d | %s |" % (
            r["seed"], "converged" if r["first"] == 0 else "failed", "ok" if r["second"] == 0 else "failed",
            r["second_changed"], r["duplicates"], r["lost"], r["files_lost"], r["failure"].replace("|", "/")))
    lines += ["", "First run converged for **%d/%d** seeds; duplicates %d; lost %d; second runs with changed=0: %d/%d."
              % (converged, len(faults), sum(r["duplicates"] for r in faults), sum(r["lost"] for r in faults),
                 sum(1 for r in faults if r["second_changed"] == 0), len(faults)), "",
              "## Races: the same tasks in %d parallel runs" % races["runs"], "",
              "Failed runs: **%d**; duplicates: **%s**; the token file the task names exists: **%s**.%s" % (
                  races["failed"], races["duplicates"] or 0, "yes" if races["token_file"] else "no",
                  (" First failure: %s" % races["first_failure"]) if races["first_failure"] else ""), "",
              "## Secrets at -vvvv", "",
              "The demo at -vvvv (%d lines, rc=%d) scanned for %d secret values: leaks: **%s**." % (
                  secrets["lines"], secrets["rc"], secrets["secrets"], ", ".join(secrets["leaks"]) or "none"), ""]
    text = "\n".join(lines)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    sys.stdout.write(text)
    missed = (converged < len(faults)
              or any(r["duplicates"] or r["lost"] or r["files_lost"] or r["second_changed"] != 0 for r in faults)
              or races["failed"] or races["duplicates"] or not races["token_file"] or secrets["leaks"])
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
