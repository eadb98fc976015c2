"""CGS v5 container nodes with the official CgsClient: listing, filters, limit/offset and the
per-user rate limit of settings["cgs_rate_limit"] calls per minute."""
import pytest
from huaweicloudsdkcgs.v5 import ListContainerNodesRequest

from huawei_support import (SOUTH_PROJECT, STS_AK, STS_SK, advance, client, sdk_error, signed,
                            token)

NODES = "/v5/%s/container/nodes" % SOUTH_PROJECT


@pytest.fixture
def cgs(emulator):
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 0})
    return client(emulator, "cgs", project_id=SOUTH_PROJECT)


def nodes(cgs, **query):
    return cgs.list_container_nodes(ListContainerNodesRequest(**query))


def test_listing_the_fixture_nodes(cgs):
    answer = nodes(cgs)
    assert answer.total_num == 3
    assert [(n.host_name, n.host_status, n.agent_status, n.protect_status)
            for n in answer.data_list] == [
        ("cce-node-1", "ACTIVE", "online", "opened"),
        ("cce-node-2", "SHUTOFF", "offline", "closed"),
        ("build-host", "BUILDING", "not_register", "closed")]
    assert answer.data_list[0].host_id == "caa958ad-a481-4d46-b51e-6861b8864515"


def test_filters(cgs):
    assert [n.host_name for n in nodes(cgs, host_name="CCE").data_list] == ["cce-node-1",
                                                                            "cce-node-2"]
    assert [n.host_name for n in nodes(cgs, agent_status="offline").data_list] == ["cce-node-2"]
    # the filter says not_installed where the nodes say not_register
    installed = nodes(cgs, agent_status="not_installed")
    assert [(n.host_name, n.agent_status) for n in installed.data_list] == [
        ("build-host", "not_register")]
    assert nodes(cgs, host_name="cce", agent_status="online").total_num == 1


def test_limit_and_offset(cgs):
    page = nodes(cgs, limit=2, offset=1)
    assert page.total_num == 3
    assert [n.host_name for n in page.data_list] == ["cce-node-2", "build-host"]
    assert nodes(cgs, offset=3).data_list == []
    filtered = nodes(cgs, host_name="cce", limit=1, offset=1)
    assert (filtered.total_num, [n.host_name for n in filtered.data_list]) == (2, ["cce-node-2"])


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 1001}, {"offset": -1},
                                   {"agent_status": "no_agent"}])
def test_invalid_parameters(cgs, query):
    err = sdk_error(nodes, cgs, **query)
    assert (err.status_code, err.error_code, err.error_msg) == (
        400, "HSS.0001", "invalid param error")


def test_rate_limit_is_five_calls_per_minute_per_user(emulator):
    cgs = client(emulator, "cgs", project_id=SOUTH_PROJECT)  # default settings: 5 per minute
    for _call in range(5):
        assert nodes(cgs).total_num == 3
    # The SDK's urllib3 retry policy turns any 429 into a RetryError (error_code "429") before
    # the body is read; the gateway's answer itself is checked on the wire.
    err = sdk_error(nodes, cgs)
    assert (err.status_code, err.error_code) == (429, "429")
    response = signed(emulator, "GET", NODES, project_id=SOUTH_PROJECT)
    assert response.status_code == 429
    assert response.json()["error_code"] == "APIGW.0308"
    assert response.json()["error_msg"] == ("The throttling threshold has been reached: policy "
                                            "user over ratelimit,limit:5,time:1 minute")
    # another access key and an IAM token user have their own budgets
    other = client(emulator, "cgs", ak=STS_AK, sk=STS_SK, security_token="t",
                   project_id=SOUTH_PROJECT)
    assert nodes(other).total_num == 3
    with_token = client(emulator, "cgs", token=token(emulator, "cn-south-4"),
                        project_id=SOUTH_PROJECT)
    assert nodes(with_token).total_num == 3
    advance(emulator, 61)  # the window slides
    assert nodes(cgs).total_num == 3
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert calls["cgs:ListContainerNodes"] == 10  # refused calls are counted too


def test_rate_limit_follows_the_setting(emulator):
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 2})
    cgs = client(emulator, "cgs", project_id=SOUTH_PROJECT)
    nodes(cgs)
    nodes(cgs)
    assert sdk_error(nodes, cgs).status_code == 429
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 0})
    for _call in range(10):
        nodes(cgs)


def test_rate_limit_does_not_apply_to_other_services(emulator):
    from huaweicloudsdkkps.v3 import ListKeypairsRequest  # pylint: disable=import-outside-toplevel
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 2})
    cgs = client(emulator, "cgs", project_id=SOUTH_PROJECT)
    kps = client(emulator, "kps")
    nodes(cgs)
    nodes(cgs)
    assert sdk_error(nodes, cgs).status_code == 429  # the same user is at its CGS limit...
    answers = [kps.list_keypairs(ListKeypairsRequest()) for _call in range(8)]
    assert all(answer.keypairs is not None for answer in answers)  # ...and KPS answers all 8
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert (calls["cgs:ListContainerNodes"], calls["kps:ListKeypairs"]) == (3, 8)


# --- readings (settings["readings"]["cgs"]): what the seed leaves open --------------------------

def reading(emulator, **points):
    emulator.admin("POST", "/__admin/settings", {"readings": {"cgs": points}})


def test_reading_page_cap_rejects_or_clamps(emulator, cgs):
    reading(emulator, page_cap=100)
    err = sdk_error(nodes, cgs, limit=101)
    assert (err.status_code, err.error_code) == (400, "HSS.0001")
    assert nodes(cgs, limit=100).total_num == 3
    reading(emulator, page_cap=2, over_cap="clamp")
    page = nodes(cgs, limit=1000)
    assert (page.total_num, len(page.data_list)) == (3, 2)


def test_reading_offset_counts_pages(emulator, cgs):
    reading(emulator, offset="pages")
    assert [n.host_name for n in nodes(cgs, limit=2, offset=1).data_list] == ["build-host"]
    assert nodes(cgs, limit=2, offset=2).data_list == []
    assert [n.host_name for n in nodes(cgs, limit=1, offset=1).data_list] == ["cce-node-2"]


def test_reading_offset_counts_pages_from_1(emulator, cgs):
    reading(emulator, offset="pages_from_1")
    assert [n.host_name for n in nodes(cgs, limit=2, offset=0).data_list] == ["cce-node-1", "cce-node-2"]
    assert [n.host_name for n in nodes(cgs, limit=2, offset=1).data_list] == ["cce-node-1", "cce-node-2"]
    assert [n.host_name for n in nodes(cgs, limit=2, offset=2).data_list] == ["build-host"]
    assert nodes(cgs, limit=2, offset=3).data_list == []


def test_reading_offset_ignored(emulator, cgs):
    reading(emulator, offset="ignored")
    assert [n.host_name for n in nodes(cgs, limit=2, offset=2).data_list] == ["cce-node-1", "cce-node-2"]


@pytest.mark.parametrize("agent_filter, refused, listed", [
    ("either", None, ["build-host"]),
    ("not_installed", "not_register", ["build-host"]),
    ("not_register", "not_installed", ["build-host"]),
    ("ignored", None, ["cce-node-1", "cce-node-2", "build-host"]),
])
def test_reading_agent_filter(emulator, cgs, agent_filter, refused, listed):
    reading(emulator, agent_filter=agent_filter)
    for word in ("not_installed", "not_register"):
        if word == refused:
            assert sdk_error(nodes, cgs, agent_status=word).status_code == 400
        else:
            assert [n.host_name for n in nodes(cgs, agent_status=word).data_list] == listed


def test_reading_agent_answer(emulator, cgs):
    reading(emulator, agent_answer="not_installed")
    assert [n.agent_status for n in nodes(cgs).data_list] == ["online", "offline", "not_installed"]


@pytest.mark.parametrize("busy, answers", [("once", [202, 200, 200]), ("always", [202, 202, 202])])
def test_reading_busy(emulator, busy, answers):
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 0})
    reading(emulator, busy=busy)
    seen = [signed(emulator, "GET", NODES, project_id=SOUTH_PROJECT) for _call in range(3)]
    assert [answer.status_code for answer in seen] == answers
    assert seen[0].json() == {}


def test_reading_host_name_exact(emulator, cgs):
    reading(emulator, host_name="exact")
    assert nodes(cgs, host_name="cce").total_num == 0
    assert [n.host_name for n in nodes(cgs, host_name="cce-node-2").data_list] == ["cce-node-2"]


def test_reading_rate_limit_per_user_across_access_keys(emulator):
    reading(emulator, rate_scope="user")
    first = client(emulator, "cgs", project_id=SOUTH_PROJECT)
    other = client(emulator, "cgs", ak=STS_AK, sk=STS_SK, security_token="t", project_id=SOUTH_PROJECT)
    for _call in range(3):
        nodes(first)
    nodes(other)
    nodes(other)
    assert sdk_error(nodes, first).status_code == 429  # both keys belong to user "emulator"


def test_reading_fixed_window_frees_at_the_minute(emulator):
    reading(emulator, rate_window="fixed")
    now = emulator.emu.now()
    advance(emulator, 60 - now % 60 + 50)  # 50 s into a minute of the emulator's clock
    cgs = client(emulator, "cgs", project_id=SOUTH_PROJECT)
    for _call in range(5):
        nodes(cgs)
    assert sdk_error(nodes, cgs).status_code == 429
    advance(emulator, 11)  # next minute: a fresh budget, though the calls are 11 s old
    for _call in range(5):
        nodes(cgs)
    assert sdk_error(nodes, cgs).status_code == 429


def test_reading_refused_calls_spend_the_budget(emulator):
    reading(emulator, count_refused=True)
    cgs = client(emulator, "cgs", project_id=SOUTH_PROJECT)
    for _call in range(5):
        nodes(cgs)
    advance(emulator, 30)
    assert sdk_error(nodes, cgs).status_code == 429
    advance(emulator, 31)  # the first five have left the window, the refused call has not
    for _call in range(4):
        nodes(cgs)
    assert sdk_error(nodes, cgs).status_code == 429


@pytest.mark.parametrize("answer, retry_after, message", [
    ("hint", None, "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute"),
    ("retry_after", "60", "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute"),
    ("bare", None, "The throttling threshold has been reached."),
])
def test_reading_throttle_answers(emulator, answer, retry_after, message):
    reading(emulator, throttle_answer=answer)
    for _call in range(5):
        assert signed(emulator, "GET", NODES, project_id=SOUTH_PROJECT).status_code == 200
    response = signed(emulator, "GET", NODES, project_id=SOUTH_PROJECT)
    assert response.status_code == 429
    assert response.headers.get("Retry-After") == retry_after
    assert (response.json()["error_code"], response.json()["error_msg"]) == ("APIGW.0308", message)
