# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cgs_node_info: filters (pushed and local), every page under the rate limit, -v paging lines,
option errors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.cgs_node_info import CgsNodeInfo
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_utils.test_cgs_nodes import make_nodes

CREDENTIALS = dict(access_key="AK", secret_key="SK", region="cn-south-4")


def run(cloud, args, nodes, rate_limit=0):
    cloud.set_cgs_nodes(nodes, settings={"cgs_rate_limit": rate_limit})
    return cloud.run(CgsNodeInfo, dict(CREDENTIALS, **args))


def sent(cloud):
    """(query, status) of each ListContainerNodes that reached the service."""
    return [(c.query, c.status) for c in cloud.calls if c.operation == "ListContainerNodes"]


def test_lists_every_page_paced_and_reports_pages_at_v(cloud, clock):
    result = run(cloud, {"_ansible_verbosity": 1}, make_nodes(6500), rate_limit=5)
    assert result["changed"] is False
    assert len(result["nodes"]) == 6500
    assert result["nodes"][0] == {"host_id": "id-00001", "host_name": "node-00001", "host_status": "SHUTOFF",
                                  "agent_status": "offline", "protect_status": "closed"}
    assert [status for _q, status in sent(cloud)] == [200] * 7
    assert clock.sleeps == [61.0]
    assert result["paging"][5] == ("cgs ListContainerNodes page 6 (offset 5000, limit 1000): waiting 61.0s for "
                                   "the rate limit (5 calls per 60s)")
    assert result["paging"][-1] == "CGS ListContainerNodes page 7 (offset 6000): 500 nodes, 6500 of 6500 listed"


def test_a_wait_for_the_budget_is_a_warning_at_default_verbosity(cloud, clock):
    result = run(cloud, {}, make_nodes(6500), rate_limit=5)
    assert len(result["nodes"]) == 6500 and clock.sleeps == [61.0]
    assert result["warnings"] == ["CGS rate limit: waiting 61s before ListContainerNodes page 6 (offset 5000, limit "
                                  "1000): the account's 5 calls per 60s are spent by this run (5 calls by "
                                  "cloudops.multicloud.cgs_node_info)"]


def test_without_v_no_paging_lines(cloud):
    assert "paging" not in run(cloud, {}, make_nodes(3))


def test_filters_pushed_and_applied_locally(cloud):
    result = run(cloud, {"agent_status": "not_installed", "protect_status": "closed", "host_status": "BUILDING"},
                 make_nodes(40))
    assert sent(cloud)[0][0] == {"agent_status": "not_installed", "limit": 1000, "offset": 0}
    assert {(n["host_status"], n["agent_status"], n["protect_status"]) for n in result["nodes"]} == {
        ("BUILDING", "not_register", "closed")}
    assert len(result["nodes"]) == 10
    assert run(cloud, {"protect_status": "opened", "host_status": "BUILDING"}, make_nodes(40))["nodes"] == []


def test_host_name_exact_under_a_substring_api(cloud):
    result = run(cloud, {"host_name": "node-00001"}, make_nodes(12))
    assert [n["host_name"] for n in result["nodes"]] == ["node-00001"]  # not node-00010..12


def test_bad_options_name_the_option(cloud):
    result = run(cloud, {"agent_status": "no_agent"}, [])
    assert result["failed"] and "agent_status" in result["msg"] and "not_register" in result["msg"]
    for value in (-1, 1001):
        result = run(cloud, {"rate_limit_per_minute": value}, [])
        assert result["failed"] and result["msg"] == "rate_limit_per_minute: must be from 0 to 1000, got %d" % value
        assert cloud.calls == []
    for value in ("node-1\n", "", "n" * 256):
        result = run(cloud, {"host_name": value}, [])
        assert result["failed"] and result["msg"].startswith("host_name: %s" % repr(value)[:20])
        assert result["msg"].endswith("is not a valid CGS node host name: 1 to 255 characters, no control characters, "
                                      "no space at either end")
        assert cloud.calls == []


def test_a_hostile_project_id_from_iam_fails_cleanly_and_reaches_no_service(cloud):
    huawei = cloud.fixtures("huawei")
    for project in huawei["projects"]:
        if project["name"] == CREDENTIALS["region"]:
            project["id"] = ".."
    cloud.reset(huawei=huawei)
    result = cloud.run(CgsNodeInfo, dict(CREDENTIALS))
    assert result["failed"]
    assert result["msg"] == ("the project id IAM returned: '..' cannot be part of a request path (empty, '.' and '..' "
                             "path segments are refused)")
    assert [c.operation for c in cloud.calls] == ["KeystoneListProjects"]


def test_back_to_back_tasks_share_the_accounts_budget(cloud, clock):
    # two tasks of three pages each: the second task's third call waits for the first task's
    # calls to leave the window, so the service never refuses one
    cloud.set_cgs_nodes(make_nodes(3000), settings={"cgs_rate_limit": 5})
    for _task in range(2):
        result = cloud.run(CgsNodeInfo, dict(CREDENTIALS, _ansible_verbosity=1))
        assert len(result["nodes"]) == 3000
    assert [status for _q, status in sent(cloud)] == [200] * 6
    assert clock.sleeps == [61.0]
    assert result["paging"][2].startswith("cgs ListContainerNodes page 3 (offset 2000, limit 1000): waiting 61.0s")


@pytest.mark.parametrize("word", ["not_installed", "not_register"])
@pytest.mark.parametrize("agent_filter", ["either", "not_installed", "not_register", "ignored"])
def test_both_words_for_no_agent_find_the_nodes_without_one(cloud, word, agent_filter):
    cloud.set_cgs_nodes(make_nodes(40), settings={"cgs_rate_limit": 0, "readings": {"cgs": {
        "agent_filter": agent_filter, "agent_answer": "not_installed"}}})
    result = cloud.run(CgsNodeInfo, dict(CREDENTIALS, agent_status=word))
    assert len(result["nodes"]) == 10
    assert {n["agent_status"] for n in result["nodes"]} == {"not_installed"}  # as the service said
    refused = agent_filter not in ("either", "ignored", word)
    assert [(q["agent_status"], status) for q, status in sent(cloud)] == (
        [(word, 400), (q_other(word), 200)] if refused else [(word, 200)])


def q_other(word):
    return "not_register" if word == "not_installed" else "not_installed"


def test_a_busy_answer_is_asked_again_and_never_taken_for_no_nodes(cloud):
    cloud.set_cgs_nodes(make_nodes(3), settings={"cgs_rate_limit": 0, "readings": {"cgs": {"busy": "always"}}})
    result = cloud.run(CgsNodeInfo, dict(CREDENTIALS))
    assert result["failed"] and "nodes" not in result
    assert "CGS answered ListContainerNodes without data_list or total_num 3 times" in result["msg"]
    assert [status for _q, status in sent(cloud)] == [202] * 3


def test_the_query_error_is_not_retried_and_says_what_to_check(cloud):
    cloud.set_cgs_nodes(make_nodes(3), settings={"cgs_rate_limit": 0})
    cloud.fault_next("cgs", "ListContainerNodes", "error", error_status=500, error_code="HSS.0041",
                     error_message="Query host extend info error")
    result = cloud.run(CgsNodeInfo, dict(CREDENTIALS, host_name="node-00001"))
    assert result["failed"]
    assert "Query host extend info error (the service's remedy: check the parameters: host_name=node-00001)" \
        in result["msg"]
    assert [status for _q, status in sent(cloud)] == [500]


def test_a_wait_the_cloud_imposes_on_an_unpaced_client_is_a_warning_at_default_verbosity(cloud, clock):
    result = run(cloud, {"rate_limit_per_minute": 0}, make_nodes(6500), rate_limit=5)
    assert len(result["nodes"]) == 6500
    assert [status for _q, status in sent(cloud)] == [200] * 5 + [429, 200, 200]
    assert clock.sleeps == [60.0]
    assert result["warnings"] == [
        "cgs ListContainerNodes: the cloud refused the call for its rate limit (429 APIGW.0308); waiting 60 s before "
        "attempt 2 of 11. The account's limit is spent by calls the cloud counts and this controller does not: other "
        "clients of the account, or other tasks and hosts running at the same time (the cloud does not say whose)"]
