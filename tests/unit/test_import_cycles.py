# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No circle of imports in the collection's plugins nor in the emulator: every import statement,
also one inside a function, is an edge from the importing file to the imported one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = "ansible_collections.cloudops.multicloud"
TREES = {
    # package name of the tree's top directory -> the directory
    COLLECTION + ".plugins": os.path.join(ROOT, "plugins"),
    "cloudops_emulator": os.path.join(ROOT, "emulator", "cloudops_emulator"),
}


def modules_of(package, directory):
    """{dotted module name: (path, is_package)} for every .py file under ``directory``."""
    found = {}
    for folder, _dirs, files in os.walk(directory):
        relative = os.path.relpath(folder, directory)
        prefix = package if relative == "." else package + "." + relative.replace(os.sep, ".")
        for name in files:
            if name.endswith(".py"):
                dotted = prefix if name == "__init__.py" else prefix + "." + name[:-3]
                found[dotted] = (os.path.join(folder, name), name == "__init__.py")
    return found


def imported_names(dotted, path, is_package):
    """The dotted names each import statement of the file may refer to (module or module.attr)."""
    with open(path, "rb") as handle:
        tree = ast.parse(handle.read(), path)
    here = dotted if is_package else dotted.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _level in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = base + "." + node.module if node.module else base
            else:
                base = node.module
            names.extend(base + "." + alias.name for alias in node.names)
    return names


def import_graph(package, directory):
    modules = modules_of(package, directory)
    graph = {}
    for dotted, (path, is_package) in modules.items():
        edges = set()
        for name in imported_names(dotted, path, is_package):
            # "from pkg import x": x is a submodule when a file holds it, else an attribute of pkg.
            target = name if name in modules else name.rpartition(".")[0]
            if target in modules and target != dotted:
                edges.add(target)
        graph[dotted] = edges
    return graph


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", sorted(TREES))
def test_no_import_cycles(package):
    graph = import_graph(package, TREES[package])
    assert len(graph) > 10
    assert cycles(graph) == []


def test_the_detector_sees_a_cycle_through_an_import_inside_a_function(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "data.py").write_text("def load():\n    from .sub import user\n")
    (pkg / "sub" / "user.py").write_text("from . import helper\n")
    (pkg / "sub" / "helper.py").write_text("from ..data import load\n")
    assert cycles(import_graph("pkg", str(pkg))) == [["pkg.data", "pkg.sub.helper", "pkg.sub.user"]]
