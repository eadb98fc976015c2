"""docs/inventory.md, "Plain output": what it says `ansible-inventory --list` prints on this
ansible-core, and that each command it gives for plain output prints the host variables
unwrapped. The inventory file is the page's own (its `cat > guarded.instances.yml` block), and the
commands run through bash as the page writes them."""

import json
import os
import re
import subprocess

import pytest
import yaml

from inventory_support import BIN, ROOT_DOC, ansible_env, inventory, labelled

NODE = {"source": "cgs", "region": "cn-south-4", "host_name": "build-host", "protect_status": "closed"}


def page():
    with open(ROOT_DOC, encoding="utf-8") as handle:
        return handle.read()


def section(text, title):
    return text.split("## " + title, 1)[1].split("\n## ", 1)[0]


def documented_inventory():
    return re.search(r"cat > guarded\.instances\.yml <<'EOF'\n(.*?)\nEOF\n", page(), re.S).group(1)


def plain_output_commands():
    block = re.search(r"For plain output on any release:\n\n```console\n(.*?)```",
                      section(page(), "Plain output"), re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.fixture
def env(emulator, tmp_path):
    """The page's environment (credentials and endpoints), the venv's commands first on PATH."""
    env = ansible_env(emulator.url, str(tmp_path))
    return dict(env, HOME=str(tmp_path), PATH=BIN + os.pathsep + env["PATH"])


@pytest.fixture
def workdir(emulator, tmp_path):
    emulator.reset(settings={"cgs_rate_limit": 0})
    (tmp_path / "guarded.instances.yml").write_text(documented_inventory() + "\n")
    (tmp_path / ".cache").mkdir()
    return tmp_path


def shell(command, env, cwd):
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], env=env, cwd=str(cwd),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    assert proc.returncode == 0, "%s\n%s" % (command, labelled(proc.stdout, proc.stderr))
    assert "__ansible_unsafe" not in proc.stdout, command
    return proc.stdout


def test_list_wraps_every_plugin_variable_as_the_page_says(env, workdir):
    code, out, err = inventory(env, workdir / "guarded.instances.yml", "--list")
    assert code == 0, labelled(out, err)
    assert json.loads(out)["_meta"]["hostvars"]["build-host"]["region"] == {"__ansible_unsafe": "cn-south-4"}
    assert '"__ansible_unsafe": "cn-south-4"' in section(page(), "Plain output")


def test_each_documented_command_prints_plain_values(env, workdir):
    commands = plain_output_commands()
    assert len(commands) == 4, commands
    as_yaml, one_host, with_jq, with_python = (shell(c, env, workdir) for c in commands)

    hosts = yaml.safe_load(as_yaml)["all"]["children"]["cgs"]["hosts"]
    assert NODE.items() <= hosts["build-host"].items()
    assert NODE.items() <= json.loads(one_host).items()
    unwrapped = json.loads(with_jq)
    assert NODE.items() <= unwrapped["_meta"]["hostvars"]["build-host"].items()
    assert json.loads(with_python) == unwrapped
    # the same listing as --list, only unwrapped: groups included
    assert sorted(unwrapped["unprotected"]["hosts"]) == ["build-host", "cce-node-2"]


def test_plays_see_plain_values(env, workdir):
    out = shell("ansible -i guarded.instances.yml build-host -c local -m ansible.builtin.debug -a var=region",
                env, workdir)
    assert '"region": "cn-south-4"' in out, out
