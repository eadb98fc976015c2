# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CGS node listing under every reading of the page cap, the offset, host_name matching and
a missing total (the emulator's ``readings.cgs``): each node exactly once, at the fewest calls the
reading allows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.nodes import NodeListing, matches
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError

STATUSES = (("ACTIVE", "online", "opened"), ("SHUTOFF", "offline", "closed"),
            ("BUILDING", "not_register", "closed"), ("ERROR", "online", "opened"))


def make_nodes(count, prefix="node"):
    return [{"host_id": "id-%05d" % i, "host_name": "%s-%05d" % (prefix, i),
             "host_status": STATUSES[i % 4][0], "agent_status": STATUSES[i % 4][1],
             "protect_status": STATUSES[i % 4][2]} for i in range(1, count + 1)]


NODES = make_nodes(2500)
IDS = [n["host_id"] for n in NODES]


def account(cloud, nodes, **readings):
    """``cloud`` holding ``nodes`` under ``readings``, without a rate limit; its CGS client."""
    cloud.set_cgs_nodes(nodes, settings={"cgs_rate_limit": 0, "readings": {"cgs": readings}})
    return cloud.huawei_client("cgs", region="cn-south-4")


def listed(client, **filters):
    lines = []
    listing = NodeListing(client, notify=lines.append)
    nodes = listing.list(**filters)
    return nodes, listing, lines


def sent(cloud):
    return [(c.query.get("limit"), c.query.get("offset"), c.status) for c in cloud.calls]


def test_pages_at_1000_by_record_offset_and_stops_at_the_total(cloud):
    nodes, listing, lines = listed(account(cloud, NODES))
    assert [n["host_id"] for n in nodes] == IDS
    assert sent(cloud) == [(1000, 0, 200), (1000, 1000, 200), (1000, 2000, 200)]
    assert listing.warnings == []
    assert lines[-1] == "CGS ListContainerNodes page 3 (offset 2000): 500 nodes, 2500 of 2500 listed"


def test_a_refused_page_size_steps_down_on_the_first_page(cloud):
    nodes, _listing, lines = listed(account(cloud, NODES, page_cap=200))
    assert [n["host_id"] for n in nodes] == IDS
    assert sent(cloud)[:3] == [(1000, 0, 400), (500, 0, 400), (200, 0, 200)]
    assert len(cloud.calls) == 2 + 13  # two refusals, then ceil(2500 / 200) pages
    assert "limit=1000 refused (400 HSS.0001): asking with limit=500" in lines[0]


def test_a_clamped_page_size_goes_on_by_the_total(cloud):
    nodes, _listing, _lines = listed(account(cloud, NODES, page_cap=300, over_cap="clamp"))
    assert [n["host_id"] for n in nodes] == IDS
    assert [offset for _limit, offset, _status in sent(cloud)] == list(range(0, 2500, 300))


@pytest.mark.parametrize("readings, calls", [
    # one call more than pages: the record offset that answers nothing
    ({}, 3 + 1),
    ({"page_cap": 100, "over_cap": "clamp"}, 25 + 1),
    ({"page_cap": 200}, 2 + 13 + 1),
])
def test_an_offset_that_counts_pages_is_detected(cloud, readings, calls):
    nodes, listing, lines = listed(account(cloud, NODES, offset="pages", **readings))
    assert [n["host_id"] for n in sorted(nodes, key=lambda n: n["host_id"])] == IDS
    assert len(nodes) == len(IDS)
    assert len(cloud.calls) == calls
    assert listing.warnings == []
    assert any("offset counts pages" in line for line in lines)


def test_a_tiny_clamped_page_counted_in_pages_is_still_read_completely(cloud):
    # page 10 by record offset = records 100..109: new ids but a sparse read; the empty page at
    # offset 250 (= record 2500) switches to pages, and host_ids keep every node once.
    nodes, listing, _lines = listed(account(cloud, NODES[:250], offset="pages", page_cap=10, over_cap="clamp"))
    assert sorted(n["host_id"] for n in nodes) == IDS[:250]
    assert listing.warnings == []


def test_without_a_total_the_listing_ends_on_an_empty_page(cloud):
    nodes, _listing, _lines = listed(account(cloud, NODES, total="omitted"))
    assert len(nodes) == 2500
    assert sent(cloud)[-1] == (1000, 2500, 200)


@pytest.mark.parametrize("reading", ["substring", "exact"])
def test_host_name_is_sent_and_matched_exactly(cloud, reading):
    nodes = make_nodes(3) + [dict(make_nodes(1)[0], host_id="other", host_name="node-00001-copy")]
    found, _listing, _lines = listed(account(cloud, nodes, host_name=reading), host_name="node-00001")
    assert [n["host_id"] for n in found] == ["id-00001"]
    assert cloud.calls[0].query["host_name"] == "node-00001"


def test_not_installed_matches_nodes_that_report_not_register(cloud):
    found, _listing, _lines = listed(account(cloud, make_nodes(8)), agent_status="not_installed")
    assert cloud.calls[0].query["agent_status"] == "not_installed"
    assert [n["agent_status"] for n in found] == ["not_register", "not_register"]
    assert all(matches(n, agent_status="not_installed") for n in found)
    assert not matches(make_nodes(1)[0], agent_status="not_installed")


def test_a_total_never_reached_is_a_warning_not_a_loop(cloud):
    client = account(cloud, NODES)
    request = client.request

    def claiming_more(*args, **kwargs):
        answer = request(*args, **kwargs)
        answer["total_num"] = 3000  # claims more than exist (nodes went away during the listing)
        return answer
    client.request = claiming_more
    nodes, listing, _lines = listed(client)
    assert len(nodes) == 2500
    assert listing.warnings == ["CGS listed 2500 container nodes where total_num said 3000 (nodes may have "
                                "changed during the listing)"]
    assert len(cloud.calls) <= 3 + 1 + 3


def test_other_errors_are_not_mistaken_for_a_page_cap(cloud):
    listing = NodeListing(account(cloud, NODES, page_cap=10), page_sizes=(1000, 500))
    with pytest.raises(CloudError) as info:
        listing.list()
    assert info.value.code == "HSS.0001"
    assert len(cloud.calls) == 2


# -- issue #22: filter words, refusals told apart, busy answers, offsets from 1 or ignored -------

def sent_filter(cloud):
    return [(c.query.get("limit"), c.query.get("agent_status"), c.status) for c in cloud.calls]


def test_a_refused_filter_word_is_not_taken_for_a_page_size_refusal(cloud):
    nodes, _listing, lines = listed(account(cloud, NODES, agent_filter="not_register"), agent_status="not_installed")
    assert len(nodes) == 625 and {n["agent_status"] for n in nodes} == {"not_register"}
    assert sent_filter(cloud) == [(1000, "not_installed", 400), (1000, "not_register", 200)]
    assert lines[0] == ("CGS ListContainerNodes agent_status=not_installed refused (400 HSS.0001): asking with "
                        "agent_status=not_register")


def test_a_refused_filter_word_and_a_page_cap_are_both_found(cloud):
    nodes, _listing, _lines = listed(account(cloud, NODES, agent_filter="not_register", page_cap=500),
                                     agent_status="not_installed")
    assert len(nodes) == 625
    assert sent_filter(cloud) == [(1000, "not_installed", 400), (1000, "not_register", 400),
                                  (500, "not_installed", 400), (500, "not_register", 200),
                                  (500, "not_register", 200)]


def test_an_ignored_filter_is_applied_to_the_listing(cloud):
    nodes, _listing, _lines = listed(account(cloud, NODES, agent_filter="ignored"), agent_status="not_installed")
    assert len(nodes) == 625 and {n["agent_status"] for n in nodes} == {"not_register"}
    assert len(cloud.calls) == 3  # every node came back: three pages


@pytest.mark.parametrize("busy, calls", [("once", 1 + 3), ("always", 3)])
def test_an_answer_without_the_listings_fields_is_unclear(cloud, busy, calls):
    client = account(cloud, NODES, busy=busy)
    if busy == "once":
        nodes, listing, lines = listed(client)
        assert [n["host_id"] for n in nodes] == IDS and listing.warnings == []
        assert lines[0] == ("CGS ListContainerNodes page 1 (offset 0): answered without data_list or total_num "
                            "(the service may be busy), attempt 1 of 3")
    else:
        with pytest.raises(CloudError) as info:
            listed(client)
        assert info.value.code == "UnclearAnswer" and info.value.unclear
    assert [status for _limit, _offset, status in sent(cloud)][:1] == [202]
    assert len(cloud.calls) == calls


def test_an_ignored_offset_ends_the_listing_with_a_clear_error(cloud):
    with pytest.raises(CloudError) as info:
        listed(account(cloud, NODES, offset="ignored"))
    assert str(info.value.message) == ("CGS answered the first page again for offset 1000: the service seems to ignore "
                                       "offset, so only the first 1000 of the nodes can be listed")
    assert len(cloud.calls) == 2


def test_an_ignored_offset_under_a_small_clamp_ends_too(cloud):
    with pytest.raises(CloudError):
        listed(account(cloud, NODES[:25], offset="ignored", page_cap=1, over_cap="clamp"))
    assert len(cloud.calls) <= 4


@pytest.mark.parametrize("readings", [{}, {"page_cap": 300, "over_cap": "clamp"}, {"page_cap": 200}])
def test_pages_counted_from_1_read_the_last_partial_page(cloud, readings):
    # 2500 is not a multiple of the page size: the last page holds 500 (or 100) nodes
    nodes, listing, lines = listed(account(cloud, NODES, offset="pages_from_1", **readings))
    assert sorted(n["host_id"] for n in nodes) == IDS
    assert listing.warnings == []
    assert "CGS ListContainerNodes offset 1 answered the first page again: pages count from 1" in lines


def test_pages_counted_from_0_read_the_last_partial_page_too(cloud):
    nodes, listing, lines = listed(account(cloud, NODES, offset="pages", page_cap=300, over_cap="clamp"))
    assert sorted(n["host_id"] for n in nodes) == IDS
    assert listing.warnings == [] and not any("count from 1" in line for line in lines)
