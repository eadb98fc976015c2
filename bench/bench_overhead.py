"""Per-task cost of the collection's modules, measured against ansible.builtin.ping.

Starts the emulator and measures:
  * task overhead: plays of N no-op tasks of a KSYUN module (kcr_namespace) and of a Huawei
    module (ssh_keypair), against a play of N ``ansible.builtin.ping`` tasks of the same shape;
    the runs alternate, R rounds, and the ratio is of the medians;
  * latency sensitivity: the demo's no-op run with 0 and 50 ms injected per call, compared with
    calls x 50 ms;
  * payload: the AnsiballZ payload of every module (bytes, and which module_utils it carries),
    kept with ANSIBLE_KEEP_REMOTE_FILES;
  * import time of each module's module_utils after ``ansible.module_utils.basic``;
  * the cost of one no-op task of kcr_namespace and of ssh_keypair broken down, run from the
    module's own AnsiballZ zip as Ansible runs it (source compiled on every run, no bytecode
    cache): ansible.module_utils.basic, each collection module_util (own time, from
    ``-X importtime``) and the standard library it pulls in, argument processing (building the
    module), the first HTTP round trip (connect, sign, send, parse) and a second one on the kept
    connection.
Writes Markdown to bench/results/overhead.md.

    python bench/bench_overhead.py [--tasks 50] [--rounds 5] [--output bench/results/overhead.md]
"""

import argparse
import base64
import glob
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

from benchlib import environment, load_runner, streams

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)


def play(tasks):
    lines = ["- name: Bench", "  hosts: localhost", "  connection: local", "  gather_facts: false", "  tasks:"]
    for n in range(len(tasks)):
        lines.append("    - name: Task %d" % n)
        lines.extend("      " + line for line in tasks[n].splitlines())
    return "\n".join(lines) + "\n"


def run_play(env, path):
    started = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", path], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.stdout.write(streams(proc))
        raise SystemExit("%s failed" % path)
    return seconds


SETUP = """\
- name: Resources the no-op tasks find
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Registry
      cloudops.multicloud.kcr_instance:
        name: bench-registry
        instance_type: basic
      register: registry
    - name: Namespace
      cloudops.multicloud.kcr_namespace:
        instance_id: "{{ registry.instance.instance_id }}"
        name: bench-ns
    - name: Keypair
      cloudops.multicloud.ssh_keypair:
        name: bench-key
        public_key: "{{ public_key }}"
    - name: Remember the instance id
      ansible.builtin.copy:
        content: "{{ registry.instance.instance_id }}"
        dest: "{{ id_file }}"
        mode: "0600"
"""

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBFGhGNW0RLJbdG8EGYsBHTHUo1cYgXAg0KYYNq5oC0q bench@cloudops")


def measure_overhead(runner, url, workdir, tasks, rounds):
    env = environment(runner, url)
    setup = os.path.join(workdir, "setup.yml")
    id_file = os.path.join(workdir, "instance_id")
    with open(setup, "w") as handle:
        handle.write(SETUP)
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", setup,
                           "-e", "public_key='%s'" % PUBLIC_KEY, "-e", "id_file=%s" % id_file],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        sys.stdout.write(streams(proc))
        raise SystemExit("setup failed")
    with open(id_file) as handle:
        instance_id = handle.read().strip()
    shapes = {
        "ansible.builtin.ping": "ansible.builtin.ping:",
        "kcr_namespace (no-op)": "cloudops.multicloud.kcr_namespace:\n  instance_id: %s\n  name: bench-ns" % instance_id,
        "ssh_keypair (no-op)": "cloudops.multicloud.ssh_keypair:\n  name: bench-key\n  public_key: %s" % PUBLIC_KEY,
    }
    paths = {}
    for label, task in shapes.items():
        paths[label] = os.path.join(workdir, re.sub(r"\W+", "_", label) + ".yml")
        with open(paths[label], "w") as handle:
            handle.write(play([task] * tasks))
    times = dict((label, []) for label in shapes)
    runner.admin(url, "DELETE", "/__admin/stats")
    labels = list(shapes)
    for round_number in range(rounds):
        # Each round starts with another play, so that no play always follows the same one.
        shift = round_number % len(labels)
        for label in labels[shift:] + labels[:shift]:
            times[label].append(run_play(env, paths[label]))
    calls = runner.admin(url, "GET", "/__admin/stats")["calls"]
    return times, calls


def measure_latency(runner, url, workdir, rounds=3):
    """The demo's second (no-op) run with no added latency, with 50 ms per call (the goal's figure)
    and with 500 ms (large enough to stand out of the noise of a loaded machine), alternating for
    ``rounds`` rounds (so that a change of load hits each alike): {latency: (calls of each run,
    seconds of each run)}."""
    env = environment(runner, url)
    # The demo lists CGS nodes twice a run: at the service's 5 calls a minute, the runs would be
    # throttled and wait a minute now and then, which is not latency.
    runner.admin(url, "POST", "/__admin/settings", {"cgs_rate_limit": 0})
    demo = os.path.join(ROOT, "playbooks", "demo.yml")
    out = ["-e", "demo_output_dir=%s" % workdir]
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", demo] + out
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    runs = dict((latency, ([], [])) for latency in LATENCIES)
    for _round in range(rounds):
        for latency in LATENCIES:
            runner.admin(url, "POST", "/__admin/faults", {"latency_ms": latency} if latency else {})
            runner.admin(url, "DELETE", "/__admin/stats")
            started = time.monotonic()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            runs[latency][1].append(time.monotonic() - started)
            runs[latency][0].append(sum(runner.admin(url, "GET", "/__admin/stats")["calls"].values()))
    runner.admin(url, "POST", "/__admin/faults", {})
    return runs


LATENCIES = (0, 50, 500)


def load_average():
    return "%.1f" % os.getloadavg()[0]


def payload_modules(path):
    """Bytes of an AnsiballZ payload and the collection module_utils it carries."""
    with open(path, "rb") as handle:
        data = handle.read()
    # ansible-core 2.19 writes zip_data='...'; older releases a ZIPDATA triple-quoted string.
    match = re.search(rb"zip_data='([A-Za-z0-9+/=]+)'", data) or re.search(rb'ZIPDATA = """(.*?)"""', data, re.S)
    utils = []
    if match:
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(match.group(1))))
        for name in archive.namelist():
            found = re.search(r"cloudops/multicloud/plugins/module_utils/(.+)\.py$", name)
            if found and not found.group(1).endswith("__init__"):
                utils.append(found.group(1))
    return len(data), sorted(utils)


def measure_payloads(runner, url, workdir):
    rows = []
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        tmp = tempfile.mkdtemp(prefix="payload-", dir=workdir)
        env = environment(runner, url, {"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": tmp})
        subprocess.run([os.path.join(BIN, "ansible"), "localhost", "-i", "localhost,", "-c", "local",
                        "-m", "cloudops.multicloud.%s" % name, "-a", "bench=1"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        found = glob.glob(os.path.join(tmp, "**", "AnsiballZ_*.py"), recursive=True)
        if found:
            size, utils = payload_modules(found[0])
            rows.append((name, size, utils))
    return rows


def import_time(module_name):
    """Microseconds to import a module's collection code once ansible.module_utils.basic is loaded."""
    code = ("import ansible.module_utils.basic, importlib, time; t = time.perf_counter(); "
            "importlib.import_module(%r); print(int((time.perf_counter() - t) * 1e6))" % module_name)
    tree = os.path.join(ROOT, "build", "collections")
    samples = []
    for _sample in range(5):
        out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=tree),
                             stdout=subprocess.PIPE, check=True).stdout
        samples.append(int(out))
    return statistics.median(samples)


# Runs in a fresh interpreter with the payload's zip first on sys.path, as the AnsiballZ wrapper
# does; prints the phase times (seconds) as JSON on stdout.
PHASES = r"""
import importlib, json, sys, time
marks = [(time.process_time(), time.perf_counter())]
sys.path.insert(0, sys.argv[1])
from ansible.module_utils import basic
marks.append((time.process_time(), time.perf_counter()))
module = importlib.import_module("ansible_collections.cloudops.multicloud.plugins.modules." + sys.argv[2])
marks.append((time.process_time(), time.perf_counter()))
basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": json.loads(sys.argv[4])}).encode()
basic._ANSIBLE_PROFILE = "legacy"
instance = getattr(module, sys.argv[3])()
marks.append((time.process_time(), time.perf_counter()))
instance.find()
marks.append((time.process_time(), time.perf_counter()))
instance.find()
marks.append((time.process_time(), time.perf_counter()))
names = ["ansible.module_utils.basic", "collection module_utils (with their stdlib imports)",
         "argument processing (building the module)", "first HTTP round trip (connect, sign, send, parse)",
         "second HTTP round trip (kept connection)"]
print(json.dumps(dict((name, [marks[n + 1][0] - marks[n][0], marks[n + 1][1] - marks[n][1]])
                      for n, name in enumerate(names))))
"""

STDLIB_SHOWN = ("http.client", "ssl", "xml.etree.ElementTree", "email.utils", "hashlib", "hmac",
                "datetime", "json", "random", "select", "socket", "tempfile", "fcntl")


def payload_zip(runner, url, workdir, name, args):
    """The module zip of a kept AnsiballZ payload of ``name`` run with ``args``, as a file."""
    tmp = tempfile.mkdtemp(prefix="breakdown-", dir=workdir)
    env = environment(runner, url, {"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": tmp})
    subprocess.run([os.path.join(BIN, "ansible"), "localhost", "-i", "localhost,", "-c", "local",
                    "-m", "cloudops.multicloud.%s" % name, "-a", json.dumps(args)], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    found = glob.glob(os.path.join(tmp, "**", "AnsiballZ_*.py"), recursive=True)
    with open(found[0], "rb") as handle:
        match = re.search(rb"zip_data='([A-Za-z0-9+/=]+)'", handle.read())
    path = os.path.join(workdir, "%s.zip" % name)
    with open(path, "wb") as handle:
        handle.write(base64.b64decode(match.group(1)))
    return path


def parse_importtime(text):
    """{module: own microseconds} from ``python -X importtime`` output."""
    own = {}
    for line in text.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)$", line)
        if found:
            own[found.group(2)] = int(found.group(1))
    return own


def measure_breakdown(runner, url, workdir, name, class_name, args, runs=5):
    """Median phase times of one no-op task of ``name``, and the import time of each piece."""
    archive = payload_zip(runner, url, workdir, name, args)
    env = environment(runner, url)
    phases, imports = {}, {}
    for _run in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", PHASES, archive, name, class_name,
                               json.dumps(args)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              check=True)
        for phase, (cpu, wall) in json.loads(proc.stdout).items():
            phases.setdefault(phase, ([], []))
            phases[phase][0].append(cpu)
            phases[phase][1].append(wall)
        for module, micros in parse_importtime(proc.stderr.decode()).items():
            if "cloudops.multicloud.plugins.module_utils" in module or module in STDLIB_SHOWN:
                imports.setdefault(module, []).append(micros)
    compile_cpu = compile_times(archive)
    return (os.path.getsize(archive),
            dict((phase, (statistics.median(cpu), statistics.median(wall))) for phase, (cpu, wall) in phases.items()),
            sorted(((m.replace("ansible_collections.cloudops.multicloud.plugins.module_utils.", ""),
                     statistics.median(v), compile_cpu.get(m)) for m, v in imports.items()), key=lambda item: -item[1]))


def compile_times(archive, repeat=20):
    """{module: CPU seconds to compile its source}, for the collection's files in a module zip: the
    part of an import that AnsiballZ pays on every run and that grows with the file."""
    times = {}
    with zipfile.ZipFile(archive) as payload:
        for name in payload.namelist():
            if "cloudops/multicloud/plugins/module_utils/" not in name or not name.endswith(".py"):
                continue
            source = payload.read(name)
            module = name[:-3].replace("/", ".")
            module = module[:-len(".__init__")] if module.endswith(".__init__") else module
            started = time.process_time()
            for _round in range(repeat):
                compile(source, name, "exec")
            times[module] = (time.process_time() - started) / repeat
    return times


def breakdown_markdown(rows):
    out = ["Median of 5, each run in a fresh interpreter from the module's AnsiballZ zip (sources",
           "compiled as on every real run, as AnsiballZ imports from the zip without a bytecode cache),",
           "under `-X importtime`, which adds a little to each import. CPU is the process's own time",
           "(steady on a busy machine); wall includes waiting for the CPU and, for the round trips",
           "(`find()`, the one read of a no-op), the emulator's answer.", ""]
    for name, size, phases, imports in rows:
        out += ["## %s (module zip %d bytes)" % (name, size), "", "| phase | CPU ms | wall ms |", "|---|---:|---:|"]
        out += ["| %s | %.1f | %.1f |" % (phase, cpu * 1000, wall * 1000) for phase, (cpu, wall) in phases.items()]
        out += ["", "| import | own wall ms (median) | compile CPU ms |", "|---|---:|---:|"]
        out += ["| %s | %.1f | %s |" % (module, micros / 1000.0, "" if cpu is None else "%.1f" % (cpu * 1000))
                for module, micros, cpu in imports]
        total = sum(cpu for _module, _micros, cpu in imports if cpu)
        out += ["", "Compiling the collection's module_utils: %.1f ms CPU of every run." % (total * 1000), ""]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency-rounds", type=int, default=3)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "overhead.md"))
    parser.add_argument("--breakdown", default=os.path.join(HERE, "results", "breakdown.md"))
    parser.add_argument("--breakdown-only", action="store_true",
                        help="only the breakdown of one no-op task (no plays, latency or payload runs)")
    args = parser.parse_args()

    runner = load_runner()
    workdir = tempfile.mkdtemp(prefix="cloudops-bench-")
    proc, url = runner.start_emulator(os.path.join(workdir, "emulator.log"))
    loads = {}
    try:
        loads["overhead"] = [load_average()]
        times, calls = measure_overhead(runner, url, workdir, args.tasks, 0 if args.breakdown_only else args.rounds)
        loads["overhead"].append(load_average())
        if not args.breakdown_only:
            loads["latency"] = [load_average()]
            latency = measure_latency(runner, url, workdir, args.latency_rounds)
            loads["latency"].append(load_average())
            payloads = measure_payloads(runner, url, workdir)
        instance_id = runner.admin(url, "GET", "/__admin/state/kcrs")["kinds"]["kcrs.instance"][0]["id"]
        breakdown = [
            ("kcr_namespace",) + measure_breakdown(runner, url, workdir, "kcr_namespace", "KcrNamespace",
                                                   {"instance_id": instance_id, "name": "bench-ns"}),
            ("ssh_keypair",) + measure_breakdown(runner, url, workdir, "ssh_keypair", "SshKeypair",
                                                 {"name": "bench-key", "public_key": PUBLIC_KEY}),
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    write(args.breakdown, "# One no-op task broken down\n\n" + "\n".join(breakdown_markdown(breakdown)) + "\n")
    if args.breakdown_only:
        return
    ping = statistics.median(times["ansible.builtin.ping"])
    out = ["## Task overhead (%d tasks a play, median of %d rounds)" % (args.tasks, args.rounds), "",
           "The three plays run in turn in each round, each round starting with another play, so that the load "
           "of the machine weighs on each alike "
           "(load average %s at the start, %s at the end). Goal: a no-op module task within 1.3x a ping task."
           % tuple(loads["overhead"]), "",
           "| play | median | runs | per task | ratio to ping | goal 1.3x |", "|---|---:|---|---:|---:|---|"]
    for label, samples in times.items():
        median = statistics.median(samples)
        ratio = median / ping
        verdict = "" if label == "ansible.builtin.ping" else (
            "met" if ratio <= 1.3 else "missed by %.2fx" % (ratio - 1.3))
        out.append("| %s | %.1f s | %s | %.0f ms | %.2f | %s |" % (
            label, median, ", ".join("%.1f" % s for s in samples), median / args.tasks * 1000, ratio, verdict))
    reads = ", ".join("%s %d" % (op, n) for op, n in sorted(calls.items()))
    expected = args.tasks * args.rounds
    out += ["", "API calls during those runs: %s (%d no-op tasks of each module: one read each%s)."
            % (reads, expected, "" if all(n == expected for op, n in calls.items() if "Keystone" not in op)
               else "; NOT one read each"), ""]
    out += ["## Latency sensitivity (demo.yml, no-op run)", "",
            "The demo's second run (everything exists) with no injected latency, and with 50 ms and 500 ms "
            "added by the emulator to every call, in turn, median of %d runs each (load average %s at the "
            "start, %s at the end). Expected: the 0 ms run (the local floor) + calls x latency, as the calls "
            "are made one after another. The 500 ms runs measure the slope where the machine's noise (seconds "
            "between runs of the same play, under load) is small beside it." % (
                (args.latency_rounds,) + tuple(loads["latency"])), "",
            "| injected latency | calls | runs | median | floor + calls x latency | measured / expected | "
            "added / (calls x latency) |", "|---:|---:|---|---:|---:|---:|---:|"]
    floor = statistics.median(latency[0][1])
    for ms, (counts, seconds) in sorted(latency.items()):
        median = statistics.median(seconds)
        expected_s = floor + counts[0] * ms / 1000.0
        injected = counts[0] * ms / 1000.0
        out.append("| %d ms | %s | %s | %.1f s | %.1f s | %.2f | %s |" % (
            ms, "/".join(str(c) for c in sorted(set(counts))), ", ".join("%.1f" % x for x in seconds), median,
            expected_s, median / expected_s, "%.2f" % ((median - floor) / injected) if ms else ""))
    out += ["", "## AnsiballZ payload per module", "", "| module | bytes | collection module_utils |", "|---|---:|---|"]
    for name, size, utils in payloads:
        out.append("| %s | %d | %s |" % (name, size, ", ".join(utils)))
    out += ["", "## Import time after ansible.module_utils.basic (median of 5)", "", "| module_utils | ms |", "|---|---:|"]
    for name in ("ksyun", "huaweicloud", "transport", "resource"):
        full = "ansible_collections.cloudops.multicloud.plugins.module_utils.%s" % name
        out.append("| %s | %.1f |" % (name, import_time(full) / 1000.0))
    write(args.output, "# Per-task cost\n\n" + "\n".join(out) + "\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
