"""The test environments come from their lock files and nothing else: every .in has its lock, every
locked package carries hashes, what an .in pins exactly is what its lock holds, and the venv these
tests run in holds exactly main.lock (plus the editable emulator)."""
import glob
import os
import re
import sys
from importlib import metadata

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOCKS = os.path.join(ROOT, "tests", "lock")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)(?: *; *([^\\]+))?")
INPUTS = sorted(glob.glob(os.path.join(LOCKS, "*.in")))


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path):
    """{package: (version, number of hashes, marker or None)} of a lock file."""
    packages, current = {}, None
    with open(path) as handle:
        for line in handle:
            found = PIN.match(line)
            if found:
                current = canonical(found.group(1))
                marker = found.group(3).strip() if found.group(3) else None
                packages[current] = (found.group(2), 0, marker)
            elif current and line.strip().startswith("--hash=sha256:"):
                version, hashes, marker = packages[current]
                packages[current] = (version, hashes + 1, marker)
    return packages


def exact_pins(path):
    pins = {}
    with open(path) as handle:
        for line in handle:
            found = PIN.match(line.strip())
            if found:
                pins[canonical(found.group(1))] = found.group(2)
    return pins


def test_every_input_has_a_lock_with_hashes():
    assert len(INPUTS) >= 9  # main, uv, docs, and one per ansible-core release 2.16..2.21
    for source in INPUTS:
        lock = source[:-3] + ".lock"
        assert os.path.exists(lock), "%s has no lock: run make lock" % os.path.basename(source)
        packages = locked(lock)
        assert packages, lock
        unhashed = [name for name, (_version, hashes, _marker) in packages.items() if hashes == 0]
        assert unhashed == [], "%s: packages without hashes: %s" % (os.path.basename(lock), unhashed)


@pytest.mark.parametrize("source", INPUTS, ids=os.path.basename)
def test_a_lock_holds_what_its_input_pins(source):
    packages = locked(source[:-3] + ".lock")
    for name, version in exact_pins(source).items():
        assert packages.get(name, (None,))[0] == version, "%s pins %s==%s; its lock has %s (run make lock)" % (
            os.path.basename(source), name, version, packages.get(name))


def test_each_release_lock_holds_that_release():
    for release in ("2.16", "2.17", "2.18", "2.19", "2.20", "2.21"):
        version = locked(os.path.join(LOCKS, "ansible-core-%s.lock" % release))["ansible-core"][0]
        assert version.startswith(release + "."), (release, version)


def test_main_lock_is_the_newest_release():
    main = locked(os.path.join(LOCKS, "main.lock"))["ansible-core"][0]
    assert main == locked(os.path.join(LOCKS, "ansible-core-2.21.lock"))["ansible-core"][0]


def test_uv_lock_and_main_lock_name_the_same_uv():
    assert locked(os.path.join(LOCKS, "uv.lock"))["uv"][0] == locked(os.path.join(LOCKS, "main.lock"))["uv"][0]


@pytest.mark.skipif(not sys.prefix.startswith(os.path.join(ROOT, ".venv")), reason="runs in make's .venv only")
def test_the_venv_holds_exactly_main_lock():
    from packaging.markers import Marker
    wanted = dict((name, version) for name, (version, _hashes, marker) in locked(os.path.join(LOCKS, "main.lock")).items()
                  if marker is None or Marker(marker).evaluate())
    installed = dict((canonical(dist.metadata["Name"]), dist.version) for dist in metadata.distributions())
    # pip comes with the venv (uv leaves it); the emulator is installed editable from emulator/.
    extra = set(installed) - set(wanted) - {"pip", "cloudops-emulator"}
    assert extra == set(), "installed but not locked"
    assert dict((name, installed.get(name)) for name in wanted) == wanted


def test_eda_lock_holds_main_locks_versions_of_what_both_hold():
    """make eda's ansible-rulebook venv runs the collection's modules in its own ansible-core."""
    main, eda = locked(os.path.join(LOCKS, "main.lock")), locked(os.path.join(LOCKS, "eda.lock"))
    assert "ansible-core" in eda and "ansible-rulebook" in eda
    differ = dict((name, (main[name][0], eda[name][0])) for name in set(main) & set(eda) if main[name][0] != eda[name][0])
    assert differ == {}, "eda.lock and main.lock (main, eda) disagree: run make lock"
