# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CGS node listing under every reading of the page cap, the offset, host_name matching and
a missing total: each node exactly once, at the fewest calls the reading allows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.nodes import NodeListing, matches
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.cgs_fake import FakeCgs, make_nodes

NODES = make_nodes(2500)
IDS = [n["host_id"] for n in NODES]


def listed(fake, **filters):
    lines = []
    listing = NodeListing(fake, notify=lines.append)
    nodes = listing.list(**filters)
    return nodes, listing, lines


def sent(fake):
    return [(q.get("limit"), q.get("offset"), status) for q, status in fake.sent]


def test_pages_at_1000_by_record_offset_and_stops_at_the_total():
    fake = FakeCgs(NODES)
    nodes, listing, lines = listed(fake)
    assert [n["host_id"] for n in nodes] == IDS
    assert sent(fake) == [(1000, 0, 200), (1000, 1000, 200), (1000, 2000, 200)]
    assert listing.warnings == []
    assert lines[-1] == "CGS ListContainerNodes page 3 (offset 2000): 500 nodes, 2500 of 2500 listed"


def test_a_refused_page_size_steps_down_on_the_first_page():
    fake = FakeCgs(NODES, page_cap=200)
    nodes, _listing, lines = listed(fake)
    assert [n["host_id"] for n in nodes] == IDS
    assert sent(fake)[:3] == [(1000, 0, 400), (500, 0, 400), (200, 0, 200)]
    assert len(fake.sent) == 2 + 13  # two refusals, then ceil(2500 / 200) pages
    assert "limit=1000 refused (400 HSS.0001): asking with limit=500" in lines[0]


def test_a_clamped_page_size_goes_on_by_the_total():
    fake = FakeCgs(NODES, page_cap=300, over_cap="clamp")
    nodes, _listing, _lines = listed(fake)
    assert [n["host_id"] for n in nodes] == IDS
    assert [offset for _limit, offset, _status in sent(fake)] == list(range(0, 2500, 300))


@pytest.mark.parametrize("readings, calls", [
    # one call more than pages: the record offset that answers nothing
    ({}, 3 + 1),
    ({"page_cap": 100, "over_cap": "clamp"}, 25 + 1),
    ({"page_cap": 200}, 2 + 13 + 1),
])
def test_an_offset_that_counts_pages_is_detected(readings, calls):
    fake = FakeCgs(NODES, offset="pages", **readings)
    nodes, listing, lines = listed(fake)
    assert [n["host_id"] for n in sorted(nodes, key=lambda n: n["host_id"])] == IDS
    assert len(nodes) == len(IDS)
    assert len(fake.sent) == calls
    assert listing.warnings == []
    assert any("offset counts pages" in line for line in lines)


def test_a_tiny_clamped_page_counted_in_pages_is_still_read_completely():
    # page 10 by record offset = records 100..109: new ids but a sparse read; the empty page at
    # offset 250 (= record 2500) switches to pages, and host_ids keep every node once.
    fake = FakeCgs(NODES[:250], offset="pages", page_cap=10, over_cap="clamp")
    nodes, listing, _lines = listed(fake)
    assert sorted(n["host_id"] for n in nodes) == IDS[:250]
    assert listing.warnings == []


def test_without_a_total_the_listing_ends_on_an_empty_page():
    fake = FakeCgs(NODES, total=False)
    nodes, _listing, _lines = listed(fake)
    assert len(nodes) == 2500
    assert sent(fake)[-1] == (1000, 2500, 200)


@pytest.mark.parametrize("reading", ["substring", "exact"])
def test_host_name_is_sent_and_matched_exactly(reading):
    nodes = make_nodes(3) + [dict(make_nodes(1)[0], host_id="other", host_name="node-00001-copy")]
    fake = FakeCgs(nodes, host_name=reading)
    found, _listing, _lines = listed(fake, host_name="node-00001")
    assert [n["host_id"] for n in found] == ["id-00001"]
    assert fake.sent[0][0]["host_name"] == "node-00001"


def test_not_installed_matches_nodes_that_report_not_register():
    fake = FakeCgs(make_nodes(8))
    found, _listing, _lines = listed(fake, agent_status="not_installed")
    assert fake.sent[0][0]["agent_status"] == "not_installed"
    assert [n["agent_status"] for n in found] == ["not_register", "not_register"]
    assert all(matches(n, agent_status="not_installed") for n in found)
    assert not matches(make_nodes(1)[0], agent_status="not_installed")


def test_a_total_never_reached_is_a_warning_not_a_loop():
    class Shrinking(FakeCgs):
        def _answer(self, query):
            answer = super(Shrinking, self)._answer(query)
            answer["total_num"] = 3000  # claims more than exist
            return answer
    fake = Shrinking(NODES)
    nodes, listing, _lines = listed(fake)
    assert len(nodes) == 2500
    assert listing.warnings == ["CGS listed 2500 container nodes where total_num said 3000 (nodes may have "
                                "changed during the listing)"]
    assert len(fake.sent) <= 3 + 1 + 3


def test_other_errors_are_not_mistaken_for_a_page_cap():
    fake = FakeCgs(NODES, page_cap=10)
    listing = NodeListing(fake, page_sizes=(1000, 500))
    with pytest.raises(CloudError) as info:
        listing.list()
    assert info.value.code == "HSS.0001"
    assert len(fake.sent) == 2
