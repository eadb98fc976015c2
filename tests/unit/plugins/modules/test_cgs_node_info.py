# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cgs_node_info: filters (pushed and local), every page under the rate limit, -v paging lines,
option errors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.modules.cgs_node_info import CgsNodeInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import FakeClock, run_module
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.cgs_fake import FakeCgs, make_nodes

CREDENTIALS = dict(access_key="AK", secret_key="SK", region="cn-south-4")


def run(args, fake, clock=None):
    return run_module(CgsNodeInfo, dict(CREDENTIALS, **args), fake, clock=clock)


def test_lists_every_page_paced_and_reports_pages_at_v():
    clock = FakeClock()
    fake = FakeCgs(make_nodes(6500), clock=clock, limit_per_minute=5)
    result = run({"_ansible_verbosity": 1}, fake, clock)
    assert result["changed"] is False
    assert len(result["nodes"]) == 6500
    assert result["nodes"][0] == {"host_id": "id-00001", "host_name": "node-00001", "host_status": "SHUTOFF",
                                  "agent_status": "offline", "protect_status": "closed"}
    assert [status for _q, status in fake.sent] == [200] * 7
    assert clock.sleeps == [61.0]
    assert result["paging"][5] == ("cgs ListContainerNodes page 6 (offset 5000, limit 1000): waiting 61.0s for "
                                   "the rate limit (5 calls per 60s)")
    assert result["paging"][-1] == "CGS ListContainerNodes page 7 (offset 6000): 500 nodes, 6500 of 6500 listed"


def test_without_v_no_paging_lines():
    assert "paging" not in run({}, FakeCgs(make_nodes(3)))


def test_filters_pushed_and_applied_locally():
    fake = FakeCgs(make_nodes(40))
    result = run({"agent_status": "not_installed", "protect_status": "closed", "host_status": "BUILDING"}, fake)
    assert fake.sent[0][0] == {"agent_status": "not_installed", "limit": 1000, "offset": 0}
    assert {(n["host_status"], n["agent_status"], n["protect_status"]) for n in result["nodes"]} == {
        ("BUILDING", "not_register", "closed")}
    assert len(result["nodes"]) == 10
    assert run({"protect_status": "opened", "host_status": "BUILDING"}, FakeCgs(make_nodes(40)))["nodes"] == []


def test_host_name_exact_under_a_substring_api():
    fake = FakeCgs(make_nodes(12))
    result = run({"host_name": "node-00001"}, fake)
    assert [n["host_name"] for n in result["nodes"]] == ["node-00001"]  # not node-00010..12


def test_bad_options_name_the_option():
    result = run({"agent_status": "not_register"}, FakeCgs([]))
    assert result["failed"] and "agent_status" in result["msg"]
    for value in (-1, 1001):
        fake = FakeCgs([])
        result = run({"rate_limit_per_minute": value}, fake)
        assert result["failed"] and result["msg"] == "rate_limit_per_minute: must be from 0 to 1000, got %d" % value
        assert fake.sent == []
    for value in ("node-1\n", "", "n" * 256):
        fake = FakeCgs([])
        result = run({"host_name": value}, fake)
        assert result["failed"] and result["msg"].startswith("host_name: %s" % repr(value)[:20])
        assert result["msg"].endswith("is not a valid CGS node host name: 1 to 255 characters, no control characters, "
                                      "no space at either end")
        assert fake.sent == []
