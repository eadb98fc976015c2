"""Print the engine contract as the Markdown table docs/dev/architecture.md carries: each declaration
and hook of the engine (plugins/module_utils/engine/), what it is for, and which modules use it,
read from the modules' source (a class attribute, a method, or ``self.<name> = ...``, in the
module or in a module_utils base class it names). tests/unit/test_structure.py checks that the
doc's table is this output.

    python tools/engine_contract.py
"""

import ast
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, kind, defined by, what it is for)
CONTRACT = [
    ("api", "declaration", "CloudModule", "the service descriptor: common options, the client, the action table"),
    ("argument_spec", "declaration", "CloudModule", "the module's own options (merged over the API's)"),
    ("module_kwargs", "declaration", "CloudModule", "AnsibleModule constraints of those options"),
    ("shared_spec", "declaration", "CloudModule", "options every module of a family takes (the KCR instance)"),
    ("shared_kwargs", "declaration", "CloudModule", "their constraints"),
    ("supports_wait", "declaration", "CloudModule", "add `wait`/`wait_timeout` for a wait on something else"),
    ("result_key", "declaration", "CloudModule", "the name the resource (or list) is returned under"),
    ("validate", "hook", "CloudModule", "check option values before any call"),
    ("execute", "hook", "CloudModule", "the work of a module that is neither a resource nor a listing"),
    ("follow_up", "hook", "CloudModule", "more work on the result after the state machine (a scan, an export)"),
    ("list_resources", "hook", "InfoModule", "the API objects a listing returns"),
    ("updatable", "declaration", "StatefulModule", "{option: result field} compared and changed in place"),
    ("create_only", "declaration", "StatefulModule", "{option: result field} that must match an existing resource"),
    ("wait_states", "declaration", "StatefulModule", "`WaitStates`: pending, ready, failed, deleting, and why it failed"),
    ("wait_for_absence", "declaration", "StatefulModule", "after delete, poll until the resource is gone"),
    ("creatable", "declaration", "StatefulModule", "False: the API cannot create it; present calls `missing()`"),
    ("gone", "declaration", "StatefulModule", "`Missing`: delete answers that mean already gone"),
    ("taken", "declaration", "StatefulModule", "`Missing`: create answers that mean already there (a race)"),
    ("taken_elsewhere", "declaration", "StatefulModule", "the message when taken but `find()` sees nothing"),
    ("secret", "declaration", "StatefulModule", "`SecretHandover`: the create answer carries a one-time secret"),
    ("find", "hook", "StatefulModule", "one read: the API object or None"),
    ("create", "hook", "StatefulModule", "create; return the API object or None to re-read"),
    ("update", "hook", "StatefulModule", "apply `{option: desired}`; may return the new API object"),
    ("delete", "hook", "StatefulModule", "delete"),
    ("to_result", "hook", "both", "the API object as the module returns it"),
    ("status_of", "hook", "StatefulModule", "the status `wait_states` reads"),
    ("desired_value", "hook", "StatefulModule", "an option's value as the result would show it"),
    ("differs", "hook", "StatefulModule", "compare an option other than by `!=`"),
    ("predict_created", "hook", "StatefulModule", "the check-mode result of a create"),
    ("predict_updated", "hook", "StatefulModule", "the check-mode result of an update"),
    ("preflight", "hook", "StatefulModule", "checks on the current resource before any write, check mode too"),
    ("replaces", "hook", "StatefulModule", "replace the current resource by a new one instead of updating it"),
    ("replace", "hook", "StatefulModule", "make the new resource, then delete the current one"),
    ("serial_identity", "hook", "StatefulModule", "runs on one controller take turns (the cloud keeps nothing unique)"),
    ("missing", "hook", "StatefulModule", "present on an uncreatable resource that is not there"),
]


def _classes(path):
    with open(path) as handle:
        tree = ast.parse(handle.read())
    return [node for node in tree.body if isinstance(node, ast.ClassDef)]


def _names(cls):
    """What a class body declares or defines, and what its methods set on ``self``."""
    names = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and \
                isinstance(node.value, ast.Name) and node.value.id == "self":
            names.add(node.attr)
    return names


def _bases():
    """The classes module_utils offers modules to build on (engine ones excluded)."""
    found = {}
    for path in glob.glob(os.path.join(ROOT, "plugins", "module_utils", "**", "*.py"), recursive=True):
        if os.sep + "engine" + os.sep in path:
            continue
        for cls in _classes(path):
            found[cls.name] = _names(cls)
    return found


def users():
    """{name: [module, ...]} for every name in CONTRACT."""
    bases = _bases()
    used = dict((entry[0], []) for entry in CONTRACT)
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))):
        module = os.path.basename(path)[:-3]
        names = set()
        for cls in _classes(path):
            names |= _names(cls)
            for base in cls.bases:
                names |= bases.get(getattr(base, "id", ""), set())
        for name in used:
            if name in names:
                used[name].append(module)
    return used


def _who(modules, used):
    """The users, said shortly when they are all modules, all resource or all _info modules."""
    everyone = set(used["api"])
    for group, members in (("every module", everyone),
                           ("every resource module", set(used["find"])),
                           ("every _info module", set(used["list_resources"]))):
        if set(modules) == members:
            return group
    return ", ".join(modules) if modules else "(the engine's default)"


def table():
    used = users()
    lines = ["| name | kind | of | what it is for | used by |", "|---|---|---|---|---|"]
    for name, kind, owner, purpose in CONTRACT:
        who = _who(used[name], used)
        lines.append("| `%s` | %s | %s | %s | %s |" % (name, kind, owner, purpose, who))
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
