"""Every EXAMPLES block runs against the emulator, as written.

Each module's (and task plugin's) EXAMPLES become the tasks of one play run by ansible-playbook;
each inventory plugin's EXAMPLES documents become inventory sources read by ansible-inventory.
Plugins are discovered from plugins/, so new ones are covered without touching this file.

What an example assumes exists (a registry called prod-registry, an image that was pushed, a
variable such as ``registry_id``) comes from setup files in examples/: every file whose name is
the plugin's name or a prefix of it at a ``_`` boundary (``kcr.yml``, then ``kcr_webhook_info.yml``
for kcr_webhook_info), applied shortest first. A setup file holds ``emulator_fixtures`` (sections
merged over the emulator's default fixtures: mappings key by key, lists replaced) and
``emulator_settings`` for the reset before the play, ``vars`` and ``pre_tasks`` for the play, and
``substitute``: literal IDs of the examples mapped to a Jinja expression (without braces) over
what the pre_tasks registered, for IDs the cloud assigns at creation. With substitutions the pre_tasks run in a play
of their own first, and the examples' text gets the values they produced. The plays run with
HOME set to a temp dir, so an example writing to ``~/...`` writes there.
"""
import ast
import glob
import json
import os
import re
import subprocess

import cloudops_emulator
import pytest
import yaml

from e2e_support import BIN, NO_DELAYS, ROOT, ansible_env, labelled, recap, run

EXAMPLES_SETUP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "examples")
FIXTURES = os.path.join(os.path.dirname(cloudops_emulator.__file__), "fixtures")
TASK_PLUGIN_TYPES = ("modules", "lookup", "filter", "test")


def doc_strings(path):
    """The plugin's DOCUMENTATION, EXAMPLES and RETURN strings, read without importing it."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    docs = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("DOCUMENTATION", "EXAMPLES", "RETURN"):
                    docs[target.id] = node.value.value
    return docs


def plugins():
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "*", "*.py"))):
        kind = os.path.basename(os.path.dirname(path))
        name = os.path.splitext(os.path.basename(path))[0]
        if name.startswith("_") or (kind not in TASK_PLUGIN_TYPES and kind != "inventory"):
            continue
        found.append(pytest.param(kind, name, path, id="%s/%s" % (kind, name)))
    return found


def setup_for(name):
    """The merged setup of every examples/<prefix>.yml whose prefix leads up to ``name``."""
    parts = name.split("_")
    merged = {"vars": {}, "pre_tasks": [], "emulator_settings": {}, "emulator_fixtures": {},
              "substitute": {}}
    for i in range(1, len(parts) + 1):
        path = os.path.join(EXAMPLES_SETUP, "_".join(parts[:i]) + ".yml")
        if os.path.exists(path):
            with open(path) as handle:
                setup = yaml.safe_load(handle) or {}
            merged["vars"].update(setup.get("vars") or {})
            merged["pre_tasks"] += setup.get("pre_tasks") or []
            merged["substitute"].update(setup.get("substitute") or {})
            deep_merge(merged["emulator_settings"], setup.get("emulator_settings") or {})
            deep_merge(merged["emulator_fixtures"], setup.get("emulator_fixtures") or {})
    return merged


def deep_merge(base, over):
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def reset_document(setup):
    """The /__admin/reset document: no delays, the setup's settings, and its fixtures over the
    emulator's default sections (a section in the document replaces the default one whole)."""
    document = {"settings": deep_merge(deep_merge({}, NO_DELAYS), setup["emulator_settings"])}
    for section, fixtures in setup["emulator_fixtures"].items():
        with open(os.path.join(FIXTURES, section + ".yaml")) as handle:
            default = yaml.safe_load(handle)[section]
        document[section] = deep_merge(default, fixtures)
    return document


@pytest.mark.parametrize("kind,name,path", plugins())
def test_documentation_is_yaml(kind, name, path):
    """What ansible-doc, the docs site and the changelog read; a ': ' in a plain scalar breaks it."""
    for section, text in sorted(doc_strings(path).items()):
        try:
            # An inventory plugin's EXAMPLES may hold several source files, one YAML document each.
            list(yaml.safe_load_all(text)) if section == "EXAMPLES" else yaml.safe_load(text)
        except yaml.YAMLError as exc:
            pytest.fail("%s/%s %s is not valid YAML: %s" % (kind, name, section, exc), pytrace=False)


@pytest.mark.parametrize("kind,name,path", plugins())
def test_examples_run(kind, name, path, emulator, checkout_collections, tmp_path):
    examples = doc_strings(path).get("EXAMPLES", "")
    assert examples.strip(), "%s has no EXAMPLES" % name
    setup = setup_for(name)
    emulator.admin("POST", "/__admin/reset", reset_document(setup))
    home = tmp_path / "home"
    home.mkdir()
    env = ansible_env(checkout_collections, home, emulator.env())
    if kind == "inventory":
        run_inventory_examples(name, path, examples, setup, env, tmp_path)
    else:
        run_task_examples(name, examples, setup, env, tmp_path, emulator)


def run_task_examples(name, examples, setup, env, tmp_path, emulator):
    play_vars = dict(setup["vars"], emulator_url=emulator.url)
    pre_tasks = setup["pre_tasks"]
    # A setup shared through a prefix may name IDs of a sibling's examples: only those present count.
    substitute = {k: v for k, v in setup["substitute"].items() if k in examples}
    if substitute:
        values = run_setup_for_substitutions(name, dict(setup, substitute=substitute), play_vars,
                                             env, tmp_path)
        for literal, value in values.items():
            examples = examples.replace(literal, value)
        pre_tasks = []
    tasks = yaml.safe_load(examples)
    assert isinstance(tasks, list) and tasks, "%s's EXAMPLES are not a list of tasks" % name
    output = run_play(name, "EXAMPLES of cloudops.multicloud.%s" % name, play_vars, pre_tasks, tasks,
                      env, tmp_path)
    counts = recap(output)
    assert counts["failed"] == 0 and counts.get("ignored", 0) == 0, output.streams
    assert counts["ok"] >= len(pre_tasks) + len(tasks), output.streams


def run_setup_for_substitutions(name, setup, play_vars, env, tmp_path):
    values_file = tmp_path / "substitutions.json"
    save = {"name": "Values for the examples", "ansible.builtin.copy": {
        "dest": str(values_file), "mode": "0600",
        "content": "{{ {%s} | to_json }}" % ", ".join(
            "%s: (%s)" % (json.dumps(literal), expression)
            for literal, expression in setup["substitute"].items())}}
    run_play(name + "-setup", "Setup of %s's EXAMPLES" % name, play_vars, setup["pre_tasks"] + [save],
             [], env, tmp_path)
    return {literal: str(value) for literal, value in json.loads(values_file.read_text()).items()}


def run_play(label, title, play_vars, pre_tasks, tasks, env, tmp_path):
    play = [{"name": title, "hosts": "localhost", "connection": "local", "gather_facts": False,
             "vars": play_vars, "pre_tasks": pre_tasks, "tasks": tasks}]
    playbook = tmp_path / ("examples-%s.yml" % label)
    playbook.write_text(yaml.safe_dump(play, sort_keys=False))
    return run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", str(playbook)],
               env=env, cwd=str(tmp_path))


def inventory_file_names(name, documentation):
    """File names the plugin may accept: those its DOCUMENTATION mentions, then common forms."""
    mentioned = re.findall(r"[\w.-]*\b%s\.ya?ml\b" % re.escape(name), documentation)
    mentioned += re.findall(r"[\w.-]+\.ya?ml\b", documentation)
    names = []
    for candidate in mentioned + ["cloudops.%s.yml" % name, "%s.yml" % name]:
        base = os.path.basename(candidate.lstrip("*"))
        if base and base not in names:
            names.append(base)
    return names


def run_inventory_examples(name, path, examples, setup, env, tmp_path):
    sources = [doc for doc in yaml.safe_load_all(examples) if doc]
    assert sources, "%s's EXAMPLES hold no inventory source" % name
    candidates = inventory_file_names(name, doc_strings(path).get("DOCUMENTATION", ""))
    for number, source in enumerate(sources, 1):
        assert source.get("plugin") in (name, "cloudops.multicloud.%s" % name), source
        source_dir = tmp_path / ("source-%d" % number)
        source_dir.mkdir()
        tried = []
        for file_name in candidates:
            source_path = source_dir / file_name
            source_path.write_text(yaml.safe_dump(source, sort_keys=False))
            env_strict = dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED="1", ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="1")
            cmd = [os.path.join(BIN, "ansible-inventory"), "-i", str(source_path), "--list"]
            proc = subprocess.run(cmd, env=env_strict, cwd=str(tmp_path), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, check=False)
            if proc.returncode == 0:
                break
            streams = labelled(proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))
            tried.append("%s:\n%s" % (file_name, streams))
            source_path.unlink()
        else:
            pytest.fail("example %d of %s failed under every file name it may have:\n%s"
                        % (number, name, "\n".join(tried)), pytrace=False)
