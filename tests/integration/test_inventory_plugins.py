"""The inventory plugins for real: ansible-inventory --graph/--list and ansible-playbook against an
emulator, groups and host variables as a user sees them, the cache hit (no API call at all, from
/__admin/stats), and bad configurations failing or warning with the option's name."""

import ast
import json
import os
import subprocess

import pytest
import yaml

from inventory_support import (BIN, ansible_env, hosts_of, inventory, inventory_list, labelled, plain,
                               registries, write_yaml)

NODE_1 = {"source": "cgs", "region": "cn-south-4", "id": "caa958ad-a481-4d46-b51e-6861b8864515",
          "host_id": "caa958ad-a481-4d46-b51e-6861b8864515", "host_name": "cce-node-1",
          "host_status": "ACTIVE", "agent_status": "online", "protect_status": "opened"}


@pytest.fixture
def env(emulator, tmp_path):
    # No CGS limit in the emulator unless a test sets one: each test makes a few listings within
    # seconds; pacing is proven by the unit tests and bench/bench_inventory.py.
    emulator.reset(settings={"cgs_rate_limit": 0}, ksyun=registries(2))
    return ansible_env(emulator.url, str(tmp_path))


def instances_file(tmp_path, name="test", **options):
    # The client's CGS budget is lifted like the emulator's: it is shared by every
    # ansible-inventory run of the account on this controller, and these tests list many times.
    config = {"plugin": "cloudops.multicloud.instances", "cgs_regions": ["cn-south-4"], "rate_limit_per_minute": 0}
    config.update(options)
    return write_yaml(tmp_path / ("%s.instances.yml" % name), config)


CONSTRUCTED = dict(
    compose={"ansible_connection": "'local'", "guard": "'on' if protect_status == 'opened' else 'off'"},
    groups={"unprotected": "source == 'cgs' and protect_status == 'closed'"},
    keyed_groups=[{"key": "region", "prefix": "region"}],
)


def test_list_groups_and_hostvars(emulator, env, tmp_path):
    source = instances_file(tmp_path, **CONSTRUCTED)
    emulator.clear_calls()
    listing, out, err = inventory_list(env, source, tmp_path / "out.json", "-v")
    hostvars = listing["_meta"]["hostvars"]
    assert sorted(hostvars) == ["build-host", "cce-node-1", "cce-node-2", "registry-1", "registry-2"]
    assert hostvars["cce-node-1"] == dict(NODE_1, ansible_host="cce-node-1", ansible_connection="local", guard="on")
    registry = hostvars["registry-2"]
    assert (registry["source"], registry["region"], registry["instance_type"], registry["instance_status"]) == (
        "kcr", "cn-beijing-6", "premium", "Running")
    assert registry["ansible_host"] == registry["internal_endpoint"] == "registry-2.ksyunkcr.com"
    assert registry["id"] == registry["instance_id"]
    assert hosts_of(listing, "unprotected") == ["build-host", "cce-node-2"]
    assert hosts_of(listing, "region_cn_south_4") == ["build-host", "cce-node-1", "cce-node-2"]
    assert hosts_of(listing, "region_cn_beijing_6") == ["registry-1", "registry-2"]
    assert hosts_of(listing, "cgs_agent_not_register") == ["build-host"]
    assert hosts_of(listing, "cgs_protect_opened") == ["cce-node-1"]
    assert hosts_of(listing, "cgs_host_shutoff") == ["cce-node-2"]
    assert hosts_of(listing, "kcr_type_basic") == ["registry-1"]
    assert hosts_of(listing, "kcr_status_running") == ["registry-1", "registry-2"]
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "cgs:ListContainerNodes": 1,
                                "kcrs:DescribeInstance": 1}
    # -v says which page it read; no host variable uses a name Ansible reserves
    assert "CGS ListContainerNodes page 1 (offset 0): 3 nodes, 3 of 3 listed" in out, labelled(out, err)
    assert "reserved name" not in out and "reserved name" not in err, labelled(out, err)


def test_graph(env, tmp_path):
    code, out, err = inventory(env, instances_file(tmp_path, **CONSTRUCTED), "--graph", "unprotected")
    assert code == 0, labelled(out, err)
    assert out.split() == ["@unprotected:", "|--cce-node-2", "|--build-host"]


def test_prefix_filters_hostnames_and_duplicates(emulator, env, tmp_path):
    source = instances_file(tmp_path, sources=["cgs"], cgs_regions=["cn-south-4", "cn-north-4"],
                            hostvars_prefix="cg_", cgs_protect_status="closed", default_groups=False,
                            hostnames=["cg_missing", "host_name ~ '.' ~ region"],
                            keyed_groups=[{"key": "cg_agent_status", "prefix": "agent"}])
    listing, _out, _err = inventory_list(env, source, tmp_path / "out.json")
    hostvars = listing["_meta"]["hostvars"]
    assert sorted(hostvars) == ["build-host.cn-north-4", "build-host.cn-south-4", "cce-node-2.cn-north-4",
                                "cce-node-2.cn-south-4"]
    assert hostvars["cce-node-2.cn-north-4"]["cg_protect_status"] == "closed"
    assert "protect_status" not in hostvars["cce-node-2.cn-north-4"]
    assert hosts_of(listing, "agent_offline") == ["cce-node-2.cn-north-4", "cce-node-2.cn-south-4"]
    assert "cgs" not in listing
    # the same name claimed twice: both hosts are qualified (here the emulator even lists one ID
    # in both regions, so region and source qualify them)
    listing, _out, _err = inventory_list(env, instances_file(tmp_path, sources=["cgs"], cgs_regions=[
        "cn-south-4", "cn-north-4"], cgs_host_name="cce-node-1"), tmp_path / "dup.json")
    assert sorted(listing["_meta"]["hostvars"]) == [
        "cce-node-1_cgs_cn-north-4_caa958ad-a481-4d46-b51e-6861b8864515",
        "cce-node-1_cgs_cn-south-4_caa958ad-a481-4d46-b51e-6861b8864515"]


def test_cache_hit_makes_no_api_call(emulator, env, tmp_path):
    cache = dict(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"),
                 cache_timeout=3600)
    source = instances_file(tmp_path, **cache)
    emulator.clear_calls()
    cold, _out, _err = inventory_list(env, source, tmp_path / "cold.json")
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "cgs:ListContainerNodes": 1,
                                "kcrs:DescribeInstance": 1}
    emulator.clear_calls()
    warm, out, err = inventory_list(env, source, tmp_path / "warm.json", "-v")
    assert emulator.calls() == {}
    assert warm == cold
    assert "3 records of cgs in cn-south-4 from the cache" in out, labelled(out, err)
    # another region of the same account: its own entry; the KCR listing is shared
    emulator.clear_calls()
    other = instances_file(tmp_path, name="north", cgs_regions=["cn-north-4"], **cache)
    inventory_list(env, other, tmp_path / "north.json")
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "cgs:ListContainerNodes": 1}
    # another account: a miss
    emulator.clear_calls()
    sts = dict(env, HUAWEICLOUD_SDK_AK="HWEMULATORSTS", HUAWEICLOUD_SDK_SK="emulator-huawei-sts-secret",
               HUAWEICLOUD_SDK_SECURITY_TOKEN="t")
    inventory_list(sts, source, tmp_path / "sts.json")
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "cgs:ListContainerNodes": 1}
    # --flush-cache lists again
    emulator.clear_calls()
    inventory_list(env, source, tmp_path / "flushed.json", "--flush-cache")
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "cgs:ListContainerNodes": 1,
                                "kcrs:DescribeInstance": 1}


def test_a_playbook_targets_a_constructed_group(env, tmp_path):
    source = instances_file(tmp_path, **CONSTRUCTED)
    playbook = write_yaml(tmp_path / "audit.yml", [{
        "name": "Unprotected nodes", "hosts": "unprotected", "gather_facts": False,
        "tasks": [{"name": "Only unprotected container nodes are here",
                   "ansible.builtin.assert": {"that": ["source == 'cgs'", "protect_status == 'closed'",
                                                       "guard == 'off'"]}}]}])
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", source, playbook], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0 and "PLAY RECAP" in out, labelled(out, err)
    recap = out[out.index("PLAY RECAP"):]
    assert [line.split()[0] for line in recap.splitlines()[1:] if line.strip()] == ["build-host", "cce-node-2"]


@pytest.mark.parametrize("options, message", [
    ({"sources": ["cgs", "ecs"]}, "sources: unknown value 'ecs'; choose from cgs, kcr"),
    ({"cgs_regions": ["south"]}, "cgs_regions: 'south' is not a Huawei Cloud region name"),
    ({"sources": ["kcr"], "kcr_regions": ["Beijing!"]}, "kcr_regions: 'Beijing!' is not a KSYUN region name"),
    ({"cgs_agent_status": "no_agent"}, "Invalid value 'no_agent' for config 'cgs_agent_status'"),
    ({"rate_limit_per_minute": -1}, "rate_limit_per_minute: must be 0 (no pacing) or more, got -1"),
    ({"huaweicloud_secret_key": "wrong"}, "listing cgs in cn-south-4 failed: iam KeystoneListProjects failed: "
                                          "Unauthorized"),
    ({"compose": {"broken": "protect_status |"}, "strict": True}, "compose.broken: cannot template"),
    ({"groups": {"bad": "no_such_var == 1"}, "strict": True}, "groups:"),
])
def test_bad_configuration_fails_naming_the_option(env, tmp_path, options, message):
    code, out, err = inventory(env, instances_file(tmp_path, **options), "--list")
    assert code != 0
    assert message in " ".join(err.split()), labelled(out, err)


def test_empty_region_variables_count_as_unset(env, tmp_path):
    """AWX injects an optional credential field left empty as an empty variable (KSYUN_REGION=""):
    the registries are then listed in KSYUN's default region, as the modules do."""
    source = write_yaml(tmp_path / "registries.instances.yml",
                        {"plugin": "cloudops.multicloud.instances", "sources": ["kcr"]})
    listing, _out, _err = inventory_list(dict(env, KSYUN_REGION=""), source, tmp_path / "out.json")
    assert sorted(listing["_meta"]["hostvars"]) == ["registry-1", "registry-2"]
    assert {host["region"] for host in listing["_meta"]["hostvars"].values()} == {"cn-beijing-6"}


def test_bad_credentials_name_the_options(env, tmp_path):
    code, out, err = inventory(env, instances_file(tmp_path, huaweicloud_secret_key="wrong"), "--list")
    assert code != 0
    assert "huaweicloud_access_key and huaweicloud_secret_key" in " ".join(err.split()), labelled(out, err)


def test_a_broken_compose_without_strict_warns_once_naming_the_option(env, tmp_path):
    source = instances_file(tmp_path, sources=["cgs"], compose={"broken": "no_such_var + 1", "fine": "host_name"})
    code, out, err = inventory(env, source, "--list")
    assert code == 0, labelled(out, err)
    text = " ".join(err.split())
    assert text.count("compose.broken: cannot template") == 1
    assert "strict is false" in text
    assert json.loads(out, object_hook=plain)["_meta"]["hostvars"]["cce-node-1"]["fine"] == "cce-node-1"


def keypairs_file(tmp_path, **options):
    config = {"plugin": "cloudops.multicloud.keypairs", "regions": ["cn-north-4"]}
    config.update(options)
    return write_yaml(tmp_path / "audit.keypairs.yml", config)


def test_keypairs_as_hosts_grouped_and_cached(emulator, env, tmp_path):
    emulator.reset(huawei={"generate": {"kps.keypair": {"count": 3, "region": "cn-north-4"}}})
    stored = [r["doc"] for r in emulator.admin("GET", "/__admin/state/kps")["kinds"]["kps.keypair"]]
    source = keypairs_file(tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile",
                           cache_connection=str(tmp_path / "cache"),
                           groups={"not_in_custody": "not key_protection"})
    emulator.clear_calls()
    listing, _out, _err = inventory_list(env, source, tmp_path / "cold.json")
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "kps:ListKeypairs": 2}  # a page, then an empty one
    hostvars = listing["_meta"]["hostvars"]
    assert sorted(hostvars) == ["bulk-key-00001", "bulk-key-00002", "bulk-key-00003"]
    key = hostvars["bulk-key-00001"]
    assert (key["source"], key["region"], key["type"]) == ("kps", "cn-north-4", "ssh")
    assert key["ansible_connection"] == "local"
    assert key["keypair_name"] == "bulk-key-00001" and "name" not in key
    assert key["fingerprint"] == next(d["fingerprint"] for d in stored if d["name"] == "bulk-key-00001")
    assert "private_key" not in key
    assert hosts_of(listing, "kps_type_ssh") == sorted(hostvars)
    assert hosts_of(listing, "kps_custody_none") == hosts_of(listing, "not_in_custody") == sorted(hostvars)
    assert hosts_of(listing, "kps_fingerprint_" + key["fingerprint"].replace(":", "")) == ["bulk-key-00001"]
    emulator.clear_calls()
    warm, _out, _err = inventory_list(env, source, tmp_path / "warm.json")
    assert emulator.calls() == {}
    assert warm == listing


@pytest.mark.parametrize("v3, probe", [("absent", "404 APIGW.0101"), ("forbidden", "403 APIGW.0302")])
def test_keypairs_over_nova_where_kps_v3_is_not_there(emulator, env, tmp_path, v3, probe):
    emulator.reset(settings={"readings": {"kps": {"keypairs_api": v3}}},
                   huawei={"generate": {"kps.keypair": {"count": 2, "region": "cn-north-4"}}})
    stored = [r["doc"] for r in emulator.admin("GET", "/__admin/state/kps")["kinds"]["kps.keypair"]]
    emulator.clear_calls()
    listing, _out, _err = inventory_list(env, keypairs_file(tmp_path), tmp_path / "nova.json")
    assert emulator.calls() == {"iam:KeystoneListProjects": 1, "kps:ListKeypairs": 1, "ecs:NovaListKeypairs": 1}
    hostvars = listing["_meta"]["hostvars"]
    assert sorted(hostvars) == ["bulk-key-00001", "bulk-key-00002"]
    key = hostvars["bulk-key-00001"]
    assert key["fingerprint"] == next(d["fingerprint"] for d in stored if d["name"] == "bulk-key-00001")
    assert key["id"] == key["keypair_name"] == "bulk-key-00001" and "private_key" not in key
    assert hosts_of(listing, "kps_custody_none") == sorted(hostvars)
    code, out, err = inventory(env, keypairs_file(tmp_path, api="kps"), "--list")
    assert code != 0
    assert "api: KPS v3 answered %s in region cn-north-4" % probe in " ".join(err.split()), labelled(out, err)


def plugin_examples(plugin):
    """The first YAML document of a plugin's EXAMPLES (its configuration file)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "plugins", "inventory", plugin + ".py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    text = next(node.value.value for node in tree.body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES")
    return next(yaml.safe_load_all(text))


@pytest.mark.parametrize("plugin, group, count", [("instances", "unprotected", 2), ("keypairs", "not_in_custody", 2)])
def test_the_documented_examples_run_against_the_emulator(emulator, env, tmp_path, plugin, group, count):
    emulator.reset(settings={"cgs_rate_limit": 0}, ksyun=registries(1),
                   huawei={"generate": {"kps.keypair": {"count": 2, "region": "cn-north-4"}}})
    env = dict(env, HOME=str(tmp_path))  # the examples cache under ~/.cache
    source = write_yaml(tmp_path / ("example.%s.yml" % plugin), plugin_examples(plugin))
    listing, _out, _err = inventory_list(env, source, tmp_path / "out.json")
    assert len(hosts_of(listing, group)) == count
    assert os.listdir(tmp_path / ".cache" / "cloudops-inventory")


def test_cgs_agent_filter_applies_even_where_the_service_ignores_it(emulator, env, tmp_path):
    emulator.admin("POST", "/__admin/settings", {"readings": {"cgs": {"agent_filter": "ignored"}}})
    for word in ("not_installed", "not_register"):
        source = instances_file(tmp_path, name=word, sources=["cgs"], cgs_agent_status=word)
        listing, _out, _err = inventory_list(env, source, tmp_path / ("%s.json" % word))
        assert sorted(listing["_meta"]["hostvars"]) == ["build-host"]


def test_a_busy_cgs_answer_fails_the_source_and_is_never_cached(emulator, env, tmp_path):
    cache = dict(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"),
                 cache_timeout=3600)
    source = instances_file(tmp_path, sources=["cgs"], **cache)
    emulator.admin("POST", "/__admin/settings", {"readings": {"cgs": {"busy": "always"}}})
    _code, out, err = inventory(env, source, "--list")
    assert "without data_list or total_num 3 times" in err, labelled(out, err)
    assert "cce-node-1" not in out
    emulator.admin("POST", "/__admin/settings", {"readings": {"cgs": {"busy": "never"}}})
    emulator.clear_calls()
    listing, out, err = inventory_list(env, source, tmp_path / "after.json")
    assert emulator.calls()["cgs:ListContainerNodes"] == 1  # listed, not the cache of a busy answer
    assert sorted(listing["_meta"]["hostvars"]) == ["build-host", "cce-node-1", "cce-node-2"]
