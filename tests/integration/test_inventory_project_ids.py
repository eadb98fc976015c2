"""A Huawei Cloud project ID belongs to one region. The inventory plugins list each region in its
own project: named per region (huaweicloud_project_ids / project_ids), or looked up through IAM,
with a warning, where one project ID (an AWX credential's, from HUAWEICLOUD_SDK_PROJECT_ID) meets
several regions. Seen from what is listed: a node and a keypair that only cn-south-4's project
holds."""

import pytest

from inventory_support import SOUTH_PROJECT, ansible_env, hosts_of, inventory, inventory_list, labelled, write_yaml

NORTH_PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SOUTH_NODE = {"host_id": "5a0d1e2f-0000-4000-8000-00000000c0de", "host_name": "south-only",
              "host_status": "ACTIVE", "agent_status": "online", "protect_status": "opened", "region": "cn-south-4"}


@pytest.fixture
def env(emulator, tmp_path):
    emulator.reset(settings={"cgs_rate_limit": 0}, huawei={
        "cgs_nodes": [{"host_id": "caa958ad-a481-4d46-b51e-6861b8864515", "host_name": "cce-node-1",
                       "host_status": "ACTIVE", "agent_status": "online", "protect_status": "opened"},
                      {"host_id": "7d2f3b1e-5c4a-4e8f-9b6d-0a1c2e3f4a5b", "host_name": "cce-node-2",
                       "host_status": "SHUTOFF", "agent_status": "offline", "protect_status": "closed"},
                      {"host_id": "3b9e8f7a-1d2c-4b5a-8e6f-7c8d9e0f1a2b", "host_name": "build-host",
                       "host_status": "BUILDING", "agent_status": "not_register", "protect_status": "closed"},
                      SOUTH_NODE],
        "generate": {"kps.keypair": {"count": 1, "region": "cn-south-4"}}})
    emulator.clear_calls()
    # one project ID in the environment, as an AWX credential of the Huawei Cloud type injects it
    return dict(ansible_env(emulator.url, str(tmp_path)), HUAWEICLOUD_SDK_PROJECT_ID=NORTH_PROJECT)


def nodes_file(tmp_path, **options):
    config = {"plugin": "cloudops.multicloud.instances", "sources": ["cgs"], "rate_limit_per_minute": 0,
              "cgs_regions": ["cn-north-4", "cn-south-4"], "hostnames": ["host_name"]}
    config.update(options)
    return write_yaml(tmp_path / "nodes.instances.yml", config)


def test_one_project_id_for_two_regions_warns_and_lists_each_region_in_its_own_project(emulator, env, tmp_path):
    listing, out, err = inventory_list(env, nodes_file(tmp_path), tmp_path / "out.json")
    assert "south-only" in hosts_of(listing, "cgs"), listing
    assert listing["_meta"]["hostvars"]["south-only"]["region"] == "cn-south-4"
    assert ("huaweicloud_project_id: a project ID belongs to one region and 2 regions are listed "
            "(cn-north-4, cn-south-4): the project of cn-north-4, cn-south-4 is looked up through IAM instead; "
            "name each region's in huaweicloud_project_ids") in " ".join(err.split()), labelled(out, err)
    assert emulator.calls()["iam:KeystoneListProjects"] >= 1


def test_project_ids_per_region_are_used_without_a_lookup_or_a_warning(emulator, env, tmp_path):
    source = nodes_file(tmp_path, huaweicloud_project_ids={"cn-north-4": NORTH_PROJECT, "cn-south-4": SOUTH_PROJECT})
    listing, out, err = inventory_list(env, source, tmp_path / "out.json")
    assert "south-only" in listing["_meta"]["hostvars"], listing
    assert "project_id" not in err, labelled(out, err)
    assert "iam:KeystoneListProjects" not in emulator.calls()


def test_one_region_takes_the_one_project_id(emulator, env, tmp_path):
    listing, out, err = inventory_list(env, nodes_file(tmp_path, cgs_regions=["cn-south-4"],
                                                       huaweicloud_project_id=SOUTH_PROJECT), tmp_path / "out.json")
    assert "south-only" in listing["_meta"]["hostvars"] and "project_id" not in err, labelled(out, err)
    assert "iam:KeystoneListProjects" not in emulator.calls()


def test_keypairs_list_each_region_in_its_own_project(emulator, env, tmp_path):
    source = write_yaml(tmp_path / "audit.keypairs.yml", {"plugin": "cloudops.multicloud.keypairs",
                                                          "regions": ["cn-north-4", "cn-south-4"]})
    listing, out, err = inventory_list(env, source, tmp_path / "out.json")
    regions = {v["region"] for v in listing["_meta"]["hostvars"].values()}
    assert regions == {"cn-south-4"}, listing  # the generated keypair is in cn-south-4's project only
    assert "project_id: a project ID belongs to one region" in " ".join(err.split()), labelled(out, err)

    source = write_yaml(tmp_path / "audit.keypairs.yml", {
        "plugin": "cloudops.multicloud.keypairs", "regions": ["cn-north-4", "cn-south-4"],
        "project_ids": {"cn-north-4": NORTH_PROJECT, "cn-south-4": SOUTH_PROJECT}})
    listing, out, err = inventory_list(env, source, tmp_path / "out2.json")
    assert {v["region"] for v in listing["_meta"]["hostvars"].values()} == {"cn-south-4"}
    assert "project_id" not in err, labelled(out, err)


def test_project_ids_that_are_not_a_mapping_fail_naming_the_option(env, tmp_path):
    code, out, err = inventory(env, nodes_file(tmp_path, huaweicloud_project_ids={"cn-north-4": ""}), "--list")
    assert code != 0
    assert "huaweicloud_project_ids: must map each region to its project ID" in " ".join(err.split()), labelled(out, err)
