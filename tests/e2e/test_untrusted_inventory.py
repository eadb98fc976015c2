"""Hostile cloud data through both inventory plugins on make test's ansible-core (untrusted_inventory.py
says what is checked; tools/matrix.py runs the same check on every other release)."""
from e2e_support import BIN, NO_DELAYS, ansible_env

import untrusted_inventory


def test_hostile_hostname_and_description_are_listed_verbatim_and_never_run(emulator, checkout_collections,
                                                                            tmp_path):
    env = ansible_env(checkout_collections, tmp_path / "home", emulator.env())
    untrusted_inventory.check(BIN, env, str(tmp_path / "work"), emulator, NO_DELAYS)
