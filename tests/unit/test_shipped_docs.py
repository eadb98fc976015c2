# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection tarball ships as documentation (README, docs/, role READMEs, playbook
headers, the ansible-doc blocks of plugins) holds no path that only a checkout of the collection
has, no path of someone's machine, and no relative link to a file the tarball lacks
(tools/check_dist.py checks the built tarball the same way)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("check_dist", os.path.join(ROOT, "tools", "check_dist.py"))
check_dist = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_dist)


def test_the_shipped_docs_lead_only_where_an_installed_collection_goes():
    texts = check_dist.shipped_texts()
    assert "docs/emulator.md" in texts and "README.md" in texts
    assert check_dist.doc_problems(texts) == []


def test_the_developer_reference_is_not_shipped():
    assert not check_dist.shipped("docs/dev/architecture.md")
    assert check_dist.shipped("docs/quickstart.md")


@pytest.mark.parametrize("line, what", [
    ("The defaults are in `emulator/cloudops_emulator/fixtures/ksyun.yaml`.", "'emulator/'"),
    ("Run `.venv/bin/python tests/integration/run_targets.py`.", "'.venv/'"),
    ("figures in bench/results.md", "'bench/'"),
    ("cd /work/main && make demo", "'/work/'"),
    ("cd ~/src/cloudops && make demo", "a cd into someone's directory"),
    ("see docs/dev/architecture.md", "'docs/dev/'"),
])
def test_a_checkout_or_machine_path_is_reported(line, what):
    problems = check_dist.doc_problems({"docs/page.md": "fine\n" + line + "\n"})
    assert problems and all(p.startswith("docs/page.md:2: ") for p in problems)
    assert any(what in p for p in problems)


@pytest.mark.parametrize("line", [
    "plugins/modules/kcr_token.py and roles/ssh_access/README.md ship",
    "cloudops-emulator --tls-dir ~/emu-tls; cd /tmp",
    "[quick start](quickstart.md#1-install), [home](https://example.com/tests/x), [top](#top)",
])
def test_what_an_installed_collection_has_is_not_reported(line):
    assert check_dist.doc_problems({"docs/page.md": line, "docs/quickstart.md": ""}) == []


def test_a_dead_relative_link_is_reported():
    texts = {"README.md": "[gone](docs/gone.md) and [guide](docs/a.md)", "docs/a.md": "[up](../README.md)"}
    assert check_dist.doc_problems(texts) == [
        "README.md:1: a link to docs/gone.md, which the collection does not hold"]


def test_in_plugins_only_the_ansible_doc_blocks_are_read():
    source = ('# code comment naming docs/dev/architecture.md\n'
              'DOCUMENTATION = r"""\nshort_description: see tests/unit\n"""\n')
    assert check_dist.doc_problems({"plugins/modules/m.py": source}) == [
        "plugins/modules/m.py:2: a path only a checkout has ('tests/'): short_description: see tests/unit"]
