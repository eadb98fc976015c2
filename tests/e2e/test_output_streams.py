"""What the tests parse is a command's stdout, whatever its dependencies print on stderr.

cryptography 51 made every ansible-* command print a CryptographyDeprecationWarning on stderr
(ansible-core imports DSA in its ssh-agent code), and a helper that merged stderr into stdout
handed that line to json.loads. Here a sitecustomize on PYTHONPATH plays such a dependency: every
Python process started with it warns on stderr before anything else runs."""
import json
import os

from e2e_support import BIN, ansible_env, recap, run

WARNING = "StandInDeprecationWarning: a dependency's deprecation warning, printed on stderr"
SITECUSTOMIZE = """\
import warnings


class StandInDeprecationWarning(UserWarning):
    \"\"\"Shown by default, as cryptography's CryptographyDeprecationWarning (a UserWarning) is.\"\"\"


warnings.warn("a dependency's deprecation warning, printed on stderr", StandInDeprecationWarning)
"""


def warning_env(collections_path, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return ansible_env(collections_path, tmp_path, {"PYTHONPATH": str(site)})


def test_json_on_stdout_parses_when_a_dependency_warns_on_stderr(checkout_collections, tmp_path):
    out = run([os.path.join(BIN, "ansible-galaxy"), "collection", "list", "cloudops.multicloud",
               "--format", "json"], env=warning_env(checkout_collections, tmp_path))
    assert WARNING in out.stderr, out.streams  # the stand-in did warn: the test tests something
    listing = json.loads(out.stdout)
    assert listing == {os.path.join(checkout_collections, "ansible_collections"): {
        "cloudops.multicloud": {"version": "0.1.0"}}}


def test_the_recap_is_read_from_stdout_when_a_dependency_warns_on_stderr(checkout_collections, tmp_path):
    playbook = tmp_path / "ping.yml"
    playbook.write_text("- hosts: localhost\n  connection: local\n  gather_facts: false\n"
                        "  tasks:\n    - ansible.builtin.ping:\n")
    out = run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", str(playbook)],
              env=warning_env(checkout_collections, tmp_path), cwd=str(tmp_path))
    assert WARNING in out.stderr and WARNING not in out.stdout, out.streams
    assert recap(out)["ok"] == 1 and recap(out)["failed"] == 0, out.streams
