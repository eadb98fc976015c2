"""The emulator's state: store, fixtures, settings, call counters and injected faults.

Fixture files are YAML with up to three top-level sections: `settings:`, `ksyun:`, `huawei:`.
The defaults are `fixtures/ksyun.yaml` and `fixtures/huawei.yaml`; a user file replaces each
cloud section it contains and merges its `settings:` over the defaults.

Each cloud package's `load_fixtures(emu, section)` seeds the store. It runs on a fresh store and
after every reset; when a `--state` file already holds state from an earlier run it is not run
again (the state already contains what it seeded), so request handlers read credentials and other
static fixture data from `emu.fixtures` rather than from memory set up at load time.
"""
import copy
import importlib
import os
import threading
import time

import yaml

from . import readings
from .faults import Faults
from .stats import Stats
from .store import Store

FIXTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
CLOUDS = ("ksyun", "huawei")
_META_KIND = "emulator.meta"

# Settings every part of the emulator may rely on; fixture files add to or override them.
DEFAULT_SETTINGS = {
    # seconds before an asynchronous operation completes, by resource kind
    "delays": {
        "kcrs.instance": 2,
        "kcrs.instance_delete": 2,
        "kcrs.internal_endpoint": 2,
        "kcrs.dns": 2,
        "kcrs.scan": 2,
    },
    "kcrs": {"namespace_quota": 50, "repo_quota": 1000},
    "cgs_rate_limit": 5,
    # KSYUN signatures more than this many seconds off the server clock are expired
    "ksyun_clock_skew": 900,
    # added to the wall clock, so tests can move time forward without sleeping
    "clock_offset": 0,
}


class FixtureError(ValueError):
    """A fixture file is unreadable or has the wrong shape."""


class Emulator:
    def __init__(self, state_path=None, fixtures_path=None, clock=None, admin_token=None):
        self.state_path = state_path
        # When set, every admin request must carry it (admin.TOKEN_HEADER).
        self.admin_token = admin_token
        # Epoch seconds; injectable so that in-process tests drive the emulator's time.
        self.clock = clock or time.time
        self.fixtures_path = fixtures_path
        self.store = Store(state_path or ":memory:")
        self.stats = Stats()
        self.faults = Faults()
        self._lock = threading.RLock()
        self.fixtures = {}
        self.settings = {}
        self._overrides = None
        fresh = self.store.count(_META_KIND) == 0
        self._load(seed_store=fresh)

    def now(self):
        """Epoch seconds on the emulator's clock (`clock`, the wall clock unless one was given,
        + settings["clock_offset"])."""
        return self.clock() + float(self.settings.get("clock_offset") or 0)

    def reset(self, overrides=None):
        """Clear the store, counters and faults; reload fixtures and settings.

        `overrides` is a fixture document (same shape as a file) applied over the fixture file,
        kept for later resets until another is given. If the fixtures cannot be loaded, the
        state is left as it was and FixtureError is raised.
        """
        with self._lock:
            previous = self._overrides
            if overrides is not None:
                self._overrides = overrides
            try:
                self._load(seed_store=True, clear=True)
            except Exception:
                self._overrides = previous
                raise
            self.stats.clear()
            self.faults.clear()

    def update_settings(self, changes):
        """Merge `changes` into the settings (nested mappings merge key by key).

        Settings that readings.py refuses (an unknown service or point, a value the point does
        not allow) raise FixtureError and change nothing.
        """
        with self._lock:
            merged = deep_merge(self.settings, changes)
            check_settings(merged)
            self.settings = merged
        return self.settings

    def delay(self, kind, default=0):
        return float(self.settings.get("delays", {}).get(kind, default))

    def _load(self, seed_store, clear=False):
        with self._lock:
            doc = load_fixture_document(self.fixtures_path, self._overrides)
            previous = self.fixtures, self.settings
            # Set first: loaders read settings such as quotas.
            self.fixtures = doc
            self.settings = copy.deepcopy(doc["settings"])
            if not seed_store:
                return
            try:
                with self.store.transaction():
                    if clear:
                        self.store.clear()
                    for cloud in CLOUDS:
                        package = cloud_package(cloud)
                        if package is not None:
                            package.load_fixtures(self, doc.get(cloud) or {})
                    self.store.insert(_META_KIND, "fixtures", {"loaded_at": time.time()})
            except Exception:
                self.fixtures, self.settings = previous
                raise


def cloud_package(cloud):
    """The `cloudops_emulator.<cloud>` package, or None while it is not installed."""
    name = "%s.%s" % (__package__, cloud)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def load_fixture_document(fixtures_path=None, overrides=None):
    """The merged fixture document: defaults, then the user's file, then `overrides`."""
    settings = copy.deepcopy(DEFAULT_SETTINGS)
    doc = {}
    for cloud in CLOUDS:
        default = _read_yaml(os.path.join(FIXTURES_DIR, cloud + ".yaml"), missing_ok=True)
        settings = deep_merge(settings, default.get("settings") or {})
        doc[cloud] = default.get(cloud) or {}
    for layer in (_read_yaml(fixtures_path) if fixtures_path else None, overrides):
        if not layer:
            continue
        if not isinstance(layer, dict):
            raise FixtureError("a fixture document must be a mapping")
        unknown = set(layer) - set(CLOUDS) - {"settings"}
        if unknown:
            raise FixtureError("unknown fixture sections: %s" % ", ".join(sorted(unknown)))
        settings = deep_merge(settings, layer.get("settings") or {})
        for cloud in CLOUDS:
            if cloud in layer:
                doc[cloud] = layer[cloud] or {}
    check_settings(settings)
    doc["settings"] = settings
    return doc


def check_settings(settings):
    """Raise FixtureError naming every setting readings.py refuses (`readings.<service>.<point>`)."""
    problems = readings.problems(settings)
    if problems:
        raise FixtureError("settings: " + "; ".join(problems))


def _read_yaml(path, missing_ok=False):
    if missing_ok and not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise FixtureError("cannot read fixtures %s: %s" % (path, exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FixtureError("fixtures %s: the top level must be a mapping" % path)
    return data


def deep_merge(base, changes):
    """A copy of `base` with `changes` merged in; nested dicts merge, everything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in (changes or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
