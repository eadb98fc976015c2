"""CGS admin hooks: container nodes added, changed and removed at run time, as the official
CgsClient then lists them (what the cgs_nodes event source's tests and rulebook rely on)."""
import urllib.error

import pytest
from huaweicloudsdkcgs.v5 import ListContainerNodesRequest

from huawei_support import SOUTH_PROJECT, client


@pytest.fixture
def cgs(emulator):
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 0})
    return client(emulator, "cgs", project_id=SOUTH_PROJECT)


def listed(cgs):
    return [(n.host_name, n.host_status, n.agent_status, n.protect_status)
            for n in cgs.list_container_nodes(ListContainerNodesRequest(limit=100)).data_list]


def refused(emulator, method, payload):
    with pytest.raises(urllib.error.HTTPError) as caught:
        emulator.admin(method, "/__admin/cgs/node", payload)
    return caught.value.code, caught.value.read().decode()


def test_a_node_added_is_listed_last_with_the_default_statuses(emulator, cgs):
    answer = emulator.admin("POST", "/__admin/cgs/node", {"host_name": "cce-node-9", "protect_status": "closed"})
    assert answer == {"host_id": answer["host_id"], "host_name": "cce-node-9", "host_status": "ACTIVE",
                      "agent_status": "online", "protect_status": "closed", "region": "cn-south-4",
                      "created": True}
    assert len(answer["host_id"]) == 36
    assert listed(cgs)[-1] == ("cce-node-9", "ACTIVE", "online", "closed")
    assert len(listed(cgs)) == 4


def test_a_node_changed_keeps_its_place_and_id(emulator, cgs):
    answer = emulator.admin("POST", "/__admin/cgs/node", {"host_id": "caa958ad-a481-4d46-b51e-6861b8864515",
                                                          "agent_status": "offline"})
    assert (answer["host_name"], answer["agent_status"], answer["created"]) == ("cce-node-1", "offline", False)
    assert listed(cgs)[0] == ("cce-node-1", "ACTIVE", "offline", "opened")
    emulator.admin("POST", "/__admin/cgs/node", {"host_name": "cce-node-1", "protect_status": "closed"})
    assert listed(cgs)[0] == ("cce-node-1", "ACTIVE", "offline", "closed")


def test_a_node_removed_is_no_longer_listed(emulator, cgs):
    assert emulator.admin("DELETE", "/__admin/cgs/node", {"host_id": "caa958ad-a481-4d46-b51e-6861b8864515"}) == {
        "removed": "caa958ad-a481-4d46-b51e-6861b8864515"}
    assert [name for name, *_statuses in listed(cgs)] == ["cce-node-2", "build-host"]


def test_the_other_regions_are_left_alone(emulator, cgs):
    emulator.admin("POST", "/__admin/cgs/node", {"region": "cn-north-4", "host_name": "north-only"})
    assert "north-only" not in [name for name, *_statuses in listed(cgs)]


@pytest.mark.parametrize("method, payload, status, message", [
    ("POST", {"host_name": "n", "agent_status": "asleep"}, 400, "agent_status must be one of"),
    ("POST", {"protect_status": "closed"}, 400, "host_name is required"),
    ("POST", {"region": "xx-nowhere-1", "host_name": "n"}, 404, "no project for region 'xx-nowhere-1'"),
    ("DELETE", {}, 400, "host_id is required"),
    ("DELETE", {"host_id": "no-such-node"}, 404, "no container node no-such-node"),
])
def test_bad_requests_say_what_is_wrong(emulator, cgs, method, payload, status, message):
    code, body = refused(emulator, method, payload)
    assert code == status and message in body
    assert len(listed(cgs)) == 3
