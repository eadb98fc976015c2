# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape docs/dev/architecture.md promises, kept by reading the source: modules are declarations
and a few hooks (at most 150 lines of code below their docs), every API call lives in its
service's module_utils, no module reaches into a name another file keeps private, and every
action a service sends is declared in its action table."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import importlib
import importlib.util
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))
MODULE_NAMES = [os.path.basename(p)[:-3] for p in MODULES if not p.endswith("__init__.py")]
MAX_CODE_LINES = 150
SERVICES = ("kcr", "bws", "kps", "vpcep", "cgs")
# Names shaped like KSYUN actions that are not ones: webhook event types
NOT_ACTIONS = {"DeleteImage"}


def source(name):
    with open(os.path.join(ROOT, "plugins", "modules", name + ".py")) as handle:
        return handle.read()


def code_below_docs(text):
    """The module's code: every line after the one that closes its RETURN string."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if re.match(r'^RETURN\s*=\s*r?"""', line))
    end = next(n for n in range(start + 1, len(lines)) if lines[n].rstrip().endswith('"""'))
    return lines[end + 1:]


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_a_module_is_at_most_150_lines_of_code(name):
    assert len(code_below_docs(source(name))) <= MAX_CODE_LINES


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_a_module_sends_no_call_of_its_own(name):
    # Calls are named functions in module_utils/<service>/<resource>.py.
    code = "\n".join(code_below_docs(source(name)))
    assert not re.findall(r"\.(call|request|paginate|paginate_marker|paginate_offset)\(", code)


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_a_module_touches_no_private_name_it_does_not_define(name):
    tree = ast.parse(source(name))
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
    used = set(node.attr for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"))
    assert used <= defined, sorted(used - defined)


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_a_resource_module_uses_hooks_not_an_execute_override(name):
    tree = ast.parse(source(name))
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        bases = set(getattr(b, "id", getattr(b, "attr", "")) for b in cls.bases)
        if "StatefulModule" in bases:
            assert "execute" not in set(f.name for f in cls.body if isinstance(f, ast.FunctionDef)), cls.name


def sent_actions(service):
    """Every action/operation name written literally in the service's module_utils."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, "plugins", "module_utils", service, "*.py")):
        with open(path) as handle:
            text = handle.read()
        names.update(re.findall(r'(?:\boperation|\bOPERATION\w*)\s*=\s*"(\w+)"', text))
        # KSYUN actions, however they are passed on (call, paginate, a helper that pages); not the
        # fields of an answer (read with .get or written as a key) nor webhook event names
        names.update(re.findall(r'(?<!get\()"((?:Describe|Create|Delete|Modify|Start|Associate|Disassociate)[A-Z]\w+)"'
                                r'(?!\s*:)', text))
    return names - NOT_ACTIONS


@pytest.mark.parametrize("service", SERVICES)
def test_every_action_a_service_sends_is_declared(service):
    api = importlib.import_module("ansible_collections.cloudops.multicloud.plugins.module_utils.%s.api" % service)
    declared = set(getattr(api, "ACTIONS", None) or getattr(api, "OPERATIONS"))
    sent = sent_actions(service)
    assert sent, service
    assert sent <= declared, sorted(sent - declared)


def test_the_architecture_doc_tables_the_engine_contract_as_the_modules_use_it():
    spec = importlib.util.spec_from_file_location("engine_contract", os.path.join(ROOT, "tools", "engine_contract.py"))
    engine_contract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine_contract)
    with open(os.path.join(ROOT, "docs", "dev", "architecture.md")) as handle:
        doc = handle.read()
    start, end = "<!-- engine contract: tools/engine_contract.py -->", "<!-- /engine contract -->"
    assert doc[doc.index(start) + len(start):doc.index(end)].strip() == engine_contract.table()
