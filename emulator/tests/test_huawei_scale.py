"""Bulk fixtures for scale tests: 10,000 container nodes listed at the maximum page size in
under 2 seconds, and 5,000 keypairs paged by marker, through the official clients."""
import time

import pytest
from huaweicloudsdkcgs.v5 import ListContainerNodesRequest
from huaweicloudsdkkps.v3 import ListKeypairsRequest

from huawei_support import SOUTH_PROJECT, client, default_section


@pytest.fixture
def bulk(emulator):
    section = default_section()
    section["cgs_nodes"] = []
    section["generate"] = {"cgs.node": {"count": 10000, "region": "cn-south-4"},
                           "kps.keypair": {"count": 5000, "region": "cn-north-4"}}
    started = time.monotonic()
    emulator.admin("POST", "/__admin/reset", {"huawei": section,
                                              "settings": {"cgs_rate_limit": 0}})
    print("\nbulk fixtures loaded in %.2f s" % (time.monotonic() - started))
    return emulator


def test_ten_thousand_nodes_at_the_maximum_page_size_in_under_two_seconds(bulk):
    cgs = client(bulk, "cgs", project_id=SOUTH_PROJECT)
    started = time.monotonic()
    names, online, offset = [], 0, 0
    while True:
        page = cgs.list_container_nodes(ListContainerNodesRequest(limit=1000, offset=offset))
        names += [node.host_name for node in page.data_list]
        online += sum(1 for node in page.data_list if node.agent_status == "online")
        offset += len(page.data_list)
        if not page.data_list or offset >= page.total_num:
            break
    elapsed = time.monotonic() - started
    print("listed %d nodes in %d pages in %.3f s" % (len(names), offset // 1000, elapsed))
    assert len(names) == len(set(names)) == 10000
    assert names[0] == "node-00001" and names[-1] == "node-10000"
    assert elapsed < 2.0
    assert bulk.admin("GET", "/__admin/stats")["calls"]["cgs:ListContainerNodes"] == 10
    # a filtered listing counts every match
    filtered = cgs.list_container_nodes(ListContainerNodesRequest(agent_status="online"))
    assert filtered.total_num == online > 0


def test_five_thousand_keypairs_paged_by_marker(bulk):
    kps = client(bulk, "kps")
    started = time.monotonic()
    names, marker = [], None
    while True:
        page = kps.list_keypairs(ListKeypairsRequest(limit="1000", marker=marker))
        names += [k.keypair.name for k in page.keypairs]
        marker = page.page_info.next_marker
        if not marker:
            break
    elapsed = time.monotonic() - started
    print("listed %d keypairs in %.3f s" % (len(names), elapsed))
    assert names == sorted(names) and len(set(names)) == 5000
    assert all(k.startswith("bulk-key-") for k in names)
    assert elapsed < 5.0
