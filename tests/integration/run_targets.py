"""Run the integration targets with real ansible-playbook against a local emulator.

Each target under tests/integration/targets/ is a role (ansible-test layout). For every target the
runner resets the emulator, then runs a one-play playbook that applies the role on localhost with
the credentials and endpoint of the emulator in the environment (so the modules' env fallbacks are
exercised too). The role gets ``emulator_url`` to reach the admin API (call counts, image pushes).

    python tests/integration/run_targets.py [TARGET ...] [--reading NAME] [--emulator-url URL]
        [--collections-path PATH] [--list] [-v]

The collection is this checkout (build/collections links to it) unless --collections-path names
one where ansible-galaxy installed the release tarball (make matrix does).

Readings: where the API documents allow more than one reading of the service's behaviour, the
emulator plays each one through settings under ``readings.<service>.<point>`` (docs/dev/emulator.md).
Each service has one readings file, ``tests/integration/readings/<service>.yml``: ``readings``, a
mapping of reading name -> emulator settings, and ``targets``, the service's targets, each with the
list of readings it runs under (a name from ``readings``, or ``{name: settings}`` for a reading
only that target runs). The runner runs such a target once per reading (the emulator reset to
those settings; the play gets ``emulator_reading``); ``--reading`` picks one, ``--list`` prints
the runs. A target in no readings file runs once, under the emulator's defaults.

Speed: ``--jobs``/``INTEGRATION_JOBS`` runs (default 2) go at once, each against its own emulator,
the targets with the most tasks first; waiting modules poll every 0.25 s (CLOUDOPS_WAIT_INTERVAL,
their ``wait_interval`` option). Each run prints its duration and the CPU seconds it took (which,
unlike the duration, do not depend on what else loads the machine); the summary the totals.

The targets reach the emulator through the ``emulator_request`` action of the ``setup_emulator``
role (a meta dependency of each target; ``setup_*`` roles are not run as targets): requests made on
the controller, in the shape ``ansible.builtin.uri`` returns, without a module run each.
"""

import argparse
import collections
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGETS = os.path.join(HERE, "targets")
READINGS = os.path.join(HERE, "readings")

KSYUN_ENV = {"KSYUN_ACCESS_KEY": "AKLTEMULATOR", "KSYUN_SECRET_KEY": "emulator-ksyun-secret"}
HUAWEI_ENV = {"HUAWEICLOUD_SDK_AK": "HWEMULATOR", "HUAWEICLOUD_SDK_SK": "emulator-huawei-secret",
              "HW_REGION_NAME": "cn-north-4"}

PLAY = """\
- name: Integration target {target}
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    emulator_url: "{url}"
    emulator_reading: "{reading}"
  roles:
    - {target}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


def start_emulator(log_path):
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    exe = os.path.join(os.path.dirname(sys.executable), "cloudops-emulator")
    cmd = [exe, "--host", "127.0.0.1", "--port", str(port)]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("emulator exited with %s; see %s" % (proc.returncode, log_path))
        try:
            admin(url, "GET", "/__admin/stats")
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("emulator did not answer on %s within 30s" % url)


def collections_path(installed=None):
    """A collections tree whose cloudops/multicloud is this checkout (a symlink, always current),
    or ``installed``."""
    if installed:
        return installed
    tree = os.path.join(ROOT, "build", "collections")
    link = os.path.join(tree, "ansible_collections", "cloudops", "multicloud")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(ROOT, link)
        except FileExistsError:  # made meanwhile by a parallel worker or process
            pass
    return tree


def service_readings():
    """{target: {reading name: emulator settings}} from every tests/integration/readings/<service>.yml."""
    import yaml
    found = {}
    for name in sorted(os.listdir(READINGS)):
        if not name.endswith(".yml"):
            continue
        path = os.path.join(READINGS, name)
        with open(path) as handle:
            doc = yaml.safe_load(handle) or {}
        shared = doc.get("readings") or {}
        for target, entries in (doc.get("targets") or {}).items():
            if target in found:
                raise SystemExit("%s: target %s is in another readings file too" % (path, target))
            if not os.path.isdir(os.path.join(TARGETS, target, "tasks")):
                raise SystemExit("%s: no target %s in %s" % (path, target, TARGETS))
            runs = found[target] = {}
            for entry in entries or []:
                if isinstance(entry, dict) and len(entry) == 1:
                    (reading, settings), = entry.items()
                elif isinstance(entry, str) and entry in shared:
                    reading, settings = entry, shared[entry]
                else:
                    raise SystemExit("%s: target %s: %r is neither a reading of the file nor {name: settings}"
                                     % (path, target, entry))
                if reading in runs:
                    raise SystemExit("%s: target %s: reading %s twice" % (path, target, reading))
                runs[reading] = settings or {}
    return found


def readings_of(target):
    """{reading name: emulator settings} of a target (its service's readings file); one neutral
    reading when it is in none."""
    return service_readings().get(target) or {"default": {}}


def labelled(stdout, stderr):
    """A command's stdout and stderr for a human reading a failure, each under its name."""
    return "--- stdout ---\n%s\n--- stderr ---\n%s" % (stdout.rstrip("\n"), stderr.rstrip("\n"))


class Run(collections.namedtuple("Run", "code stdout stderr seconds cpu")):
    """One ansible-playbook run. Its streams stay apart: task results and the PLAY RECAP are on
    stdout, warnings and errors on stderr, where dependencies print theirs too."""

    @property
    def streams(self):
        return labelled(self.stdout, self.stderr)


def run_target(target, url, verbosity, workdir, reading="default", installed=None):
    playbook = os.path.join(workdir, "%s-%s.yml" % (target, reading))
    with open(playbook, "w") as handle:
        handle.write(PLAY.format(target=target, url=url, reading=reading))
    env = dict(os.environ)
    env.update(KSYUN_ENV)
    env.update(HUAWEI_ENV)
    env.update({
        "KSYUN_ENDPOINT_URL": url,
        "HUAWEICLOUD_ENDPOINT_URL": url,
        "ANSIBLE_COLLECTIONS_PATH": collections_path(installed),
        "ANSIBLE_ROLES_PATH": TARGETS,
        "ANSIBLE_STDOUT_CALLBACK": "default",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        # The emulator's resources settle within a second or two (its settings ``delays``): poll
        # them four times a second instead of the modules' default of every two seconds.
        "CLOUDOPS_WAIT_INTERVAL": os.environ.get("CLOUDOPS_WAIT_INTERVAL", "0.25"),
    })
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), playbook, "-i", "localhost,"]
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    started = time.monotonic()
    # stderr to a file, stdout through a pipe read to its end: neither can fill up and block the
    # other, and the process is still there for wait4.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=errors)
        with proc.stdout:
            stdout = proc.stdout.read().decode("utf-8", "replace")
        # wait4: the CPU seconds of ansible-playbook and everything it ran (forks, modules), which
        # unlike the wall time do not depend on what else loads the machine.
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    return Run(proc.returncode, stdout, stderr, time.monotonic() - started, usage.ru_utime + usage.ru_stime)


def size_of(target):
    """Bytes of a target's task files: a stand-in for how long one run of it takes."""
    tasks = os.path.join(TARGETS, target, "tasks")
    return sum(os.path.getsize(os.path.join(tasks, name)) for name in os.listdir(tasks))


def planned_runs(targets, only_reading):
    """(target, reading, settings) for every run, the longest first: the runs that start last are
    short, so no worker idles long while another finishes a long one."""
    runs = []
    for target in targets:
        for reading, settings in readings_of(target).items():
            if only_reading is None or reading == only_reading:
                runs.append((target, reading, settings or {}))
    sizes = dict((target, size_of(target)) for target in targets)
    return sorted(runs, key=lambda run: -sizes[run[0]])


def worker(url, runs, results, lock, verbosity, workdir, installed):
    """Take runs off the shared list until it is empty; each run starts from a reset emulator."""
    while True:
        with lock:
            if not runs:
                return
            target, reading, settings = runs.pop(0)
        # A neutral fixture document (plus the reading's settings): drops overrides an earlier
        # target may have set.
        admin(url, "POST", "/__admin/reset", {"settings": settings})
        run = run_target(target, url, verbosity, workdir, reading, installed)
        label = target if reading == "default" else "%s [%s]" % (target, reading)
        with lock:
            print("%-40s %s (%.1fs, %.1fs CPU)" % (label, "ok" if run.code == 0 else "FAILED", run.seconds, run.cpu),
                  flush=True)
            if run.code != 0:
                print(run.streams, flush=True)
            results.append((label, run.code, run.cpu))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--emulator-url", help="use a running emulator instead of starting one (implies --jobs 1)")
    parser.add_argument("--reading", help="run each target under this reading only (default: all of its readings)")
    parser.add_argument("--jobs", "-j", type=int, default=int(os.environ.get("INTEGRATION_JOBS", "2")),
                        help="targets run at once, each against its own emulator (default 2)")
    parser.add_argument("--collections-path", help="the collections path the targets use (default: this checkout)")
    parser.add_argument("--list", action="store_true", help="print the (target, reading) runs and exit")
    parser.add_argument("-v", dest="verbosity", action="count", default=0)
    args = parser.parse_args()

    targets = args.targets or sorted(
        t for t in os.listdir(TARGETS)
        if os.path.isdir(os.path.join(TARGETS, t, "tasks")) and not t.startswith("setup_"))
    runs = planned_runs(targets, args.reading)
    if args.list:
        for target, reading, _settings in sorted(runs):
            print("%s %s" % (target, reading))
        return 0
    total = len(runs)
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="cloudops-integration-")
    if args.emulator_url:
        urls, procs = [args.emulator_url], []
    else:
        emulators = [start_emulator(os.path.join(workdir, "emulator-%d.log" % n))
                     for n in range(max(1, min(args.jobs, total)))]
        procs, urls = [pair[0] for pair in emulators], [pair[1] for pair in emulators]
    collections_path(args.collections_path)  # once, before the workers start
    results, lock = [], threading.Lock()
    threads = [threading.Thread(target=worker, args=(url, runs, results, lock, args.verbosity, workdir,
                                                     args.collections_path))
               for url in urls]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    failed = [label for label, code, _cpu in results if code != 0]
    for label in failed:
        print("FAILED: %s" % label)
    print("integration: %d passed, %d failed in %.0fs (%d at once; %.0fs CPU, load average %.2f)" % (
        len(results) - len(failed), total - len(results) + len(failed), time.monotonic() - started, len(urls),
        sum(cpu for _label, _code, cpu in results), os.getloadavg()[0]))
    return 1 if failed or len(results) != total else 0


if __name__ == "__main__":
    sys.exit(main())
