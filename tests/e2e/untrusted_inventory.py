"""Hostile cloud data through both inventory plugins, on any ansible-core: a container node whose
hostname and the comment of a keypair's public key are Jinja that would run a command on the controller,
listed from the API and again from the inventory cache, then referenced by a play in every way a
play references inventory data (the host's name, its variables, a composed variable, its keyed
groups, ``groups``, ``group_names``, ``hostvars``). The data must come out verbatim and never run.

Before ansible-core 2.19 nothing but the plugin marks such strings unsafe; 2.19 and later tag all
inventory data untrusted themselves. ``check()`` is one step of every tools/matrix.py cell (make
test runs it on 2.16 and 2.18) and tests/e2e/test_untrusted_inventory.py runs it on make test's
main ansible-core.
"""
import json
import os
import shutil
import subprocess

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HUAWEI_FIXTURES = os.path.join(ROOT, "emulator", "cloudops_emulator", "fixtures", "huawei.yaml")


class Exploited(AssertionError):
    """Hostile inventory data ran, or did not come out verbatim."""


def command(marker):
    """Jinja that creates ``marker`` on the controller if anything ever templates it."""
    return "{{ lookup('pipe', 'touch %s') }}" % marker


def statement(marker):
    return "{%% if lookup('pipe', 'touch %s') == '' %%}x{%% endif %%}" % marker


CGS_INVENTORY = """\
plugin: cloudops.multicloud.instances
sources: [cgs]
cgs_regions: [cn-south-4]
hostnames: [host_name]
compose:
  copied_name: host_name ~ ''
  replaced_name: host_name | replace('touch', 'touch')
  joined_name: "[host_name] | join('')"
  formatted_name: "'%s' | format(host_name)"
keyed_groups:
  - key: host_name
    prefix: node
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {cache}
"""

KEYPAIRS_INVENTORY = """\
plugin: cloudops.multicloud.keypairs
regions: [cn-north-4]
hostnames: [name]
keyed_groups:
  - key: public_key.split(' ', 2)[-1]
    prefix: comment
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {cache}
"""

# An imported public key's comment is free text the listing returns; !unsafe keeps this play from
# templating the key it sends.
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHSBARyp4RZw6Sl6EVO4JwUQuGk+4GC3DJ/z4a9Tpm0j"
IMPORT_KEYPAIR = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - cloudops.multicloud.ssh_keypair:
        name: hostile-key
        public_key: !unsafe "{public_key}"
"""

REFERENCE_ALL = """\
- hosts: all
  gather_facts: false
  connection: local
  tasks:
    - ansible.builtin.debug:
        msg:
          name: "{{ inventory_hostname }}"
          vars: "{{ hostvars[inventory_hostname] }}"
          groups: "{{ group_names }}"
          all_groups: "{{ groups }}"
"""


# Two nodes that claim one name: each host is named "<name>_<host_id>", a name the plugin builds.
TWINS = ("0badc0de-0000-4000-8000-000000000002", "0badc0de-0000-4000-8000-000000000003")


def huawei_fixtures(markers):
    with open(HUAWEI_FIXTURES) as handle:
        section = yaml.safe_load(handle)["huawei"]
    section["cgs_nodes"] = list(section["cgs_nodes"]) + [
        {"host_id": "0badc0de-0000-4000-8000-000000000001", "host_name": command(markers["hostname"]),
         "host_status": "ACTIVE", "agent_status": "online", "protect_status": "closed"},
    ] + [{"host_id": host_id, "host_name": statement(markers["statement"]), "host_status": "ACTIVE",
          "agent_status": "online", "protect_status": "closed"} for host_id in TWINS]
    return section


def run(cmd, env, cwd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, check=False)
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise Exploited("%s exited %d:\n--- stdout\n%s\n--- stderr\n%s" % (
            " ".join(cmd), proc.returncode, out[-3000:], err[-3000:]))
    return out


def plain(value):
    """A value of ``ansible-inventory --list``, whose encoder writes unsafe strings as
    ``{"__ansible_unsafe": "..."}``."""
    if isinstance(value, dict) and set(value) == {"__ansible_unsafe"}:
        return value["__ansible_unsafe"]
    return value


def check(bin_dir, env, work, emulator, no_delays):
    """Run the scenario with the ansible-* commands of ``bin_dir``; raise ``Exploited`` with what
    went wrong. ``emulator`` is an e2e_support.Emulator (its ``admin()`` resets it with the hostile
fixtures); ``env`` points the collection at it."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    markers = {name: os.path.join(work, "ran-" + name) for name in ("hostname", "statement", "key_comment")}
    emulator.admin("POST", "/__admin/reset", {"settings": no_delays, "huawei": huawei_fixtures(markers)})
    public_key = "%s %s" % (PUBLIC_KEY, command(markers["key_comment"]))
    for name, text in (("import.yml", IMPORT_KEYPAIR.format(public_key=public_key)),
                       ("cgs.instances.yml", CGS_INVENTORY.format(cache=os.path.join(work, "cache"))),
                       ("all.keypairs.yml", KEYPAIRS_INVENTORY.format(cache=os.path.join(work, "cache"))),
                       ("reference.yml", REFERENCE_ALL)):
        with open(os.path.join(work, name), "w") as handle:
            handle.write(text)

    def ansible(tool, *args):
        return run([os.path.join(bin_dir, tool)] + list(args), env, work)

    ansible("ansible-playbook", "import.yml")
    inventories = ["-i", "cgs.instances.yml", "-i", "all.keypairs.yml"]
    twins = {"%s_%s" % (statement(markers["statement"]), host_id) for host_id in TWINS}
    hostile = {command(markers["hostname"])} | twins
    for source in ("the API", "the cache"):
        # ansible-inventory has no --flush-cache before 2.19: the API's turn starts with no cache
        flush = ["--flush-cache"] if source == "the API" else []
        if flush:
            shutil.rmtree(os.path.join(work, "cache"), ignore_errors=True)
        listed = json.loads(ansible("ansible-inventory", "--list", *inventories))
        hosts = listed["_meta"]["hostvars"]
        missing = hostile - set(hosts)
        if missing:
            raise Exploited("from %s: hosts %s not listed verbatim (hosts: %s)" % (source, sorted(missing),
                                                                                   sorted(hosts)))
        for name in hostile:
            for composed in ("copied_name", "replaced_name", "joined_name", "formatted_name"):
                if plain(hosts[name].get(composed)) != plain(hosts[name]["host_name"]):
                    raise Exploited("from %s: composed %s of %r is %r" % (source, composed, name,
                                                                          hosts[name].get(composed)))
        listed_key = plain(hosts["hostile-key"].get("public_key")) or ""
        if listed_key.strip() != public_key:
            raise Exploited("from %s: the public key is listed as %r" % (source, listed_key))
        played = ansible("ansible-playbook", *(inventories + flush + ["reference.yml", "-v"]))
        for text in hostile | {public_key}:
            if text not in played:
                raise Exploited("from %s: the play did not print %r verbatim:\n%s" % (source, text, played[-3000:]))
        ran = sorted(name for name, path in markers.items() if os.path.exists(path))
        if ran:
            raise Exploited("from %s: inventory data was templated: %s ran a command on the controller"
                            % (source, ", ".join(ran)))
