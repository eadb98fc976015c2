"""The demo from the built artifact, as a Galaxy user runs it: the tarball installed with
ansible-galaxy into a fresh collections path, the emulator started on its own, the environment
variables of the docs, ``ansible-playbook cloudops.multicloud.demo`` twice."""
import json
import os
import re
import stat

from e2e_support import BIN, NO_DELAYS, ansible_env, recap, run


def test_installed_collection_lists_where_it_was_installed(installed_collections, tmp_path):
    out = run([os.path.join(BIN, "ansible-galaxy"), "collection", "list", "cloudops.multicloud",
               "--format", "json"], env=ansible_env(installed_collections, tmp_path))
    listing = json.loads(out.stdout)
    assert list(listing) == [os.path.join(installed_collections, "ansible_collections")]
    assert listing[os.path.join(installed_collections, "ansible_collections")] == {
        "cloudops.multicloud": {"version": "0.1.0"}}


def test_demo_from_the_installed_collection_twice(installed_collections, emulator, tmp_path):
    emulator.reset(NO_DELAYS)
    env = ansible_env(installed_collections, tmp_path, emulator.env())
    play = [os.path.join(BIN, "ansible-playbook"), "cloudops.multicloud.demo"]  # as docs/quickstart.md says

    first = run(play, env=env, cwd=str(tmp_path))
    assert recap(first)["changed"] > 0 and recap(first)["failed"] == 0, first.streams

    emulator.admin("DELETE", "/__admin/stats")
    second = run(play, env=env, cwd=str(tmp_path))
    assert recap(second)["changed"] == 0 and recap(second)["failed"] == 0, second.streams
    # A no-op costs reads only.
    writes = [op for op in emulator.calls() if not re.match(r"(Keystone)?(Describe|List|Show|Get)", op.split(":")[1])]
    assert writes == []

    # The demo writes its push token under the user's home, readable by the user only.
    token_files = [os.path.join(d, f) for d, _dirs, files in os.walk(str(tmp_path)) for f in files
                   if f.endswith("token.json")]
    assert token_files, "the demo wrote no token file under HOME"
    for path in token_files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
