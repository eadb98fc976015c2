"""One check-mode rule for every module that writes a file: a directory that an earlier task of
the play would make is a warning in check mode, not a failure. A fresh ``--check --diff`` of a
playbook whose first task makes the directory and whose later tasks write into it goes through,
writes nothing and creates nothing."""
import glob
import os
import re

from test_playbooks import ROOT, cloud, emulator, play  # noqa: F401 (pytest fixtures)

# Every module that writes a file does it through SecretHandover (secret_handover.py), with the
# option named here; the playbook below has a task for each.
FILE_OPTIONS = {"kcr_token": "token_file", "ssh_keypair": "private_key_path"}

PLAYBOOK = """\
- name: Files written into a directory the first task makes
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: The directory
      ansible.builtin.file:
        path: "{out}"
        state: directory
        mode: "0700"

    - name: A registry
      cloudops.multicloud.kcr_instance:
        name: files-registry

    - name: kcr_token writes token_file
      cloudops.multicloud.kcr_token:
        instance_name: files-registry
        description: ci-push
        token_type: Day
        token_time: 3
        token_file: "{out}/token.json"

    - name: ssh_keypair writes private_key_path
      cloudops.multicloud.ssh_keypair:
        name: files-key
        private_key_path: "{out}/files-key.pem"
"""


def modules_writing_files():
    found = {}
    for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")):
        with open(path) as handle:
            match = re.search(r'SecretHandover\(self, "(\w+)"', handle.read())
        if match:
            found[os.path.basename(path)[:-3]] = match.group(1)
    return found


def test_every_module_that_writes_a_file_is_in_the_playbook():
    assert modules_writing_files() == FILE_OPTIONS
    for module, option in FILE_OPTIONS.items():
        assert "cloudops.multicloud.%s:" % module in PLAYBOOK and "%s:" % option in PLAYBOOK


def test_a_fresh_check_diff_run_warns_about_the_directory_and_goes_through(cloud, tmp_path):  # noqa: F811
    out = tmp_path / "made-by-the-first-task"
    playbook = tmp_path / "files.yml"
    playbook.write_text(PLAYBOOK.format(out=out))

    run = play(cloud, str(playbook), "--diff", check=True)

    assert run.rc == 0 and run.failed == 0, run.streams
    assert run.changed == 4, run.streams
    for option in FILE_OPTIONS.values():
        assert "%s: directory %s does not exist; check mode assumes an earlier task creates it" % (option, out) \
            in re.sub(r"\s+", " ", run.stderr), run.streams
    assert cloud.writes(cloud.calls()) == {}
    assert not out.exists()
