"""kcrs readings: each setting under readings.kcrs switches one point to its other reading, and a
repeated request key is refused whatever the reading."""
import datetime
import json
from urllib.error import HTTPError

import pytest
from kscore.exceptions import ClientError

from ksyun_support import advance, call, client, client_error, error_of, ok, push, running_instance

MISSING_INSTANCE = "00000000-0000-4000-8000-00000000dead"


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


@pytest.fixture
def registry(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="team", Public=False)
    return instance_id


def reading(emulator, **points):
    emulator.admin("POST", "/__admin/settings", {"readings": {"kcrs": points}})


def _parse(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


# -- not found ------------------------------------------------------------------------------------

def test_not_found_codes_by_default(kcrs, registry):
    with pytest.raises(ClientError) as exc:
        kcrs.describe_namespace(InstanceId=MISSING_INSTANCE)
    assert client_error(exc) == (404, "InstanceNotFound",
                                 "The instance %s does not exist." % MISSING_INSTANCE)
    with pytest.raises(ClientError) as exc:
        kcrs.describe_repository(InstanceId=registry, Namespace="nope")
    assert client_error(exc)[:2] == (404, "NamespaceNotFound")


@pytest.mark.parametrize("code", ["InvalidInstanceId.NotFound", "InstanceNotExist"])
def test_instance_not_found_code_is_a_setting(emulator, kcrs, code):
    reading(emulator, instance_not_found_code=code)
    with pytest.raises(ClientError) as exc:
        kcrs.delete_instance(InstanceId=MISSING_INSTANCE)
    assert client_error(exc)[:2] == (404, code)


def test_not_found_common_answers_invalid_parameter_naming_it(emulator, kcrs, registry):
    reading(emulator, not_found="common")
    cases = [
        (lambda: kcrs.describe_namespace(InstanceId=MISSING_INSTANCE), "InstanceId"),
        (lambda: kcrs.delete_namespace(InstanceId=registry, Namespace="nope"), "Namespace"),
        (lambda: kcrs.describe_images(InstanceId=registry, Namespace="team", RepoName="nope"),
         "RepoName"),
        (lambda: kcrs.delete_instance_token(InstanceId=registry, TokenId=MISSING_INSTANCE),
         "TokenId"),
        (lambda: kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="nope"),
         "Namespace"),
    ]
    for run, parameter in cases:
        with pytest.raises(ClientError) as exc:
            run()
        assert client_error(exc) == (
            400, "InvalidParameterValue",
            "An invalid or out-of-range value was supplied for the input parameter %s."
            % parameter)


def test_not_found_empty_lists_nothing_under_a_missing_parent(emulator, kcrs, registry):
    reading(emulator, not_found="empty")
    answer = kcrs.describe_repository(InstanceId=registry, Namespace="nope", MaxResults=50)
    assert answer["TotalCount"] == 0 and answer["RepoSet"] == [] and answer["MaxResults"] == 50
    assert kcrs.describe_namespace(InstanceId=MISSING_INSTANCE)["NamespaceSet"] == []
    assert kcrs.describe_instance_token(InstanceId=MISSING_INSTANCE)["TokenSet"] == []
    assert kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="nope")["TriggerSet"] == []
    # writes still fail, with the common code
    with pytest.raises(ClientError) as exc:
        kcrs.delete_namespace(InstanceId=registry, Namespace="nope")
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")


def test_never_scanned_image_under_each_reading(emulator, kcrs, registry):
    digest = push(emulator, registry, "team", "app", "v1")["ImageId"]
    args = dict(InstanceId=registry, Namespace="team", RepoName="app", ImageId=digest)
    with pytest.raises(ClientError) as exc:
        kcrs.describe_image_scan(**args)
    assert client_error(exc)[:2] == (404, "ImageScanNotFound")
    reading(emulator, not_found="common")
    with pytest.raises(ClientError) as exc:
        kcrs.describe_image_scan(**args)
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")
    reading(emulator, not_found="empty")
    report = kcrs.describe_image_scan(**args)
    assert report["Status"] is None and report["VulnerabilitySet"] == []


def test_a_misspelt_reading_is_refused_not_taken_for_reading_a(emulator, kcrs):
    with pytest.raises(HTTPError) as exc:
        reading(emulator, not_found="emtpy")
    assert exc.value.code == 400
    assert json.loads(exc.value.read())["error"] == (
        "settings: readings.kcrs.not_found is emtpy; it must be one of codes, common, empty")
    # Should a bad value reach the settings in process, the call answers 500, never reading A.
    emulator.emu.settings["readings"] = {"kcrs": {"not_found": "emtpy"}}
    with pytest.raises(ClientError) as exc:
        kcrs.describe_namespace(InstanceId=MISSING_INSTANCE)
    assert client_error(exc) == (500, "EmulatorSettingInvalid",
                                 "readings.kcrs.not_found is emtpy; it must be one of codes, common, empty")


# -- paging ---------------------------------------------------------------------------------------

def test_page_cap_per_action(emulator, kcrs, registry):
    for number in range(12):
        kcrs.create_namespace(InstanceId=registry, Namespace="ns%02d" % number, Public=False)
    reading(emulator, page_cap={"DescribeNamespace": 5})
    page = kcrs.describe_namespace(InstanceId=registry, MaxResults=99, Marker=10)
    assert page["TotalCount"] == 13 and page["MaxResults"] == 5 and page["Marker"] == 10
    assert len(page["NamespaceSet"]) == 3
    assert len(kcrs.describe_namespace(InstanceId=registry, MaxResults=3)["NamespaceSet"]) == 3
    # other actions keep their sizes
    for number in range(7):
        kcrs.create_instance_token(InstanceId=registry, TokenType="Hour", TokenTime=1)
    assert len(kcrs.describe_instance_token(InstanceId=registry, MaxResults=99)["TokenSet"]) == 7


def test_webhook_listing_capped_at_ten_as_in_the_samples(emulator, kcrs, registry):
    reading(emulator, page_cap={"DescribeWebhookTrigger": 10})
    for number in range(11):
        kcrs.create_webhook_trigger(**{
            "InstanceId": registry, "Namespace": "team", "Trigger.TriggerName": "t%d" % number,
            "Trigger.EventType.1": "PushImage", "Trigger.TriggerUrl": "https://hook.example"})
    first = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="team", MaxResults=99)
    assert (first["TotalCount"], first["MaxResults"], len(first["TriggerSet"])) == (11, 10, 10)
    rest = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="team", MaxResults=99,
                                         Marker=10)
    assert [t["TriggerName"] for t in rest["TriggerSet"]] == ["t0"]


@pytest.mark.parametrize("paging", [{"Marker": 0}, {"MaxResults": 99}])
def test_webhook_listings_accept_or_refuse_paging(emulator, kcrs, registry, paging):
    for number in range(11):
        _trigger(kcrs, registry, "t%d" % number)
    page = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="team", **paging)
    assert page["TotalCount"] == 11

    reading(emulator, trigger_paging="refused")
    name = list(paging)[0]
    refusal = (400, "InvalidQueryParameter", "The query parameter %s is malformed or does not adhere to KSC "
               "standards." % name)
    with pytest.raises(ClientError) as exc:
        kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="team", **paging)
    assert client_error(exc) == refusal
    logs = dict(paging, InstanceId=registry, Namespace="team", TriggerId=page["TriggerSet"][0]["TriggerId"])
    assert error_of(call(emulator, "kcrs", "DescribeWebhookTriggerLog", logs)) == refusal
    whole = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="team")
    assert (whole["TotalCount"], whole["MaxResults"], len(whole["TriggerSet"])) == (11, 10, 10)


# -- tokens ---------------------------------------------------------------------------------------

def test_never_expire_token_time(emulator, kcrs, registry):
    kcrs.create_instance_token(InstanceId=registry, TokenType="NeverExpire")
    reading(emulator, never_expire_token_time="required")
    with pytest.raises(ClientError) as exc:
        kcrs.create_instance_token(InstanceId=registry, TokenType="NeverExpire")
    assert client_error(exc) == (400, "MissingParameter",
                                 "An value must be supplied for the input parameter TokenTime.")
    created = kcrs.create_instance_token(InstanceId=registry, TokenType="NeverExpire",
                                         TokenTime=1)
    assert created["ExpireTime"] is None


@pytest.mark.parametrize("state,enabled", [("enabled", True), ("disabled", False)])
def test_new_token_status(emulator, kcrs, registry, state, enabled):
    reading(emulator, new_token=state)
    kcrs.create_instance_token(InstanceId=registry, TokenType="Hour", TokenTime=1)
    assert kcrs.describe_instance_token(InstanceId=registry)["TokenSet"][0]["Enable"] is enabled


@pytest.mark.parametrize("start,expected", [("create", datetime.timedelta(days=1)),
                                            ("modify", datetime.timedelta(days=1, hours=5))])
def test_token_expiry_counts_from_create_or_modify(emulator, kcrs, registry, start, expected):
    reading(emulator, token_expiry_from=start)
    emulator.admin("POST", "/__admin/settings", {"ksyun_clock_skew": 86400})  # signatures stay valid
    token_id = kcrs.create_instance_token(InstanceId=registry, TokenType="Hour",
                                          TokenTime=2)["tokenId"]
    advance(emulator, 5 * 3600)
    kcrs.modify_instance_token_information(InstanceId=registry, TokenId=token_id,
                                           TokenType="Day", TokenTime=1)
    token = kcrs.describe_instance_token(InstanceId=registry)["TokenSet"][0]
    assert _parse(token["ExpireTime"]) - _parse(token["CreateTime"]) == expected


# -- projects -------------------------------------------------------------------------------------

def test_unfiltered_instance_listing_default_project_or_all(emulator, kcrs):
    running_instance(emulator, kcrs, name="home")
    kcrs.create_instance(InstanceName="elsewhere", InstanceType="basic", ProjectId="104")

    def names(**kw):
        return [i["InstanceName"] for i in kcrs.describe_instance(**kw)["InstanceSet"]]

    assert names() == ["home"]
    assert names(**{"ProjectId.1": "104"}) == ["elsewhere"]
    reading(emulator, unfiltered_projects="all")
    assert names() == ["elsewhere", "home"]
    assert names(**{"ProjectId.1": "0"}) == ["home"]


# -- scans ----------------------------------------------------------------------------------------

def test_scan_statuses_are_settings(emulator, kcrs, registry):
    emulator.admin("POST", "/__admin/settings", {"delays": {"kcrs.scan": 30}})
    reading(emulator, scan_running_status="Queued", scan_final_status="Failed")
    digest = push(emulator, registry, "team", "app", "v1")["ImageId"]
    args = dict(InstanceId=registry, Namespace="team", RepoName="app", ImageId=digest)
    kcrs.start_image_scan(**args)
    assert kcrs.describe_image_scan(**args)["Status"] == "Queued"
    advance(emulator, 31)
    report = kcrs.describe_image_scan(**args)
    assert report["Status"] == "Failed" and report["VulnerabilitySet"] == []


# -- webhook trigger names ------------------------------------------------------------------------

def _trigger(kcrs, registry, name, **extra):
    params = {"InstanceId": registry, "Namespace": "team", "Trigger.TriggerName": name,
              "Trigger.TriggerUrl": "https://ci.example.com/hook", "Trigger.EventType.1": "PushImage"}
    params.update(extra)
    return kcrs.create_webhook_trigger(**params)["triggerId"]


def test_trigger_names_unique_or_repeatable(emulator, kcrs, registry):
    first = _trigger(kcrs, registry, "deploy")
    other = _trigger(kcrs, registry, "audit")
    with pytest.raises(ClientError) as exc:
        _trigger(kcrs, registry, "deploy")
    assert client_error(exc)[:2] == (409, "WebhookTriggerAlreadyExists")
    with pytest.raises(ClientError) as exc:
        kcrs.modify_webhook_trigger(InstanceId=registry, Namespace="team", **{
            "Trigger.TriggerId": other, "Trigger.TriggerName": "deploy"})
    assert client_error(exc)[:2] == (409, "WebhookTriggerAlreadyExists")

    reading(emulator, trigger_names="repeatable")
    second = _trigger(kcrs, registry, "deploy")
    kcrs.modify_webhook_trigger(InstanceId=registry, Namespace="team", **{
        "Trigger.TriggerId": other, "Trigger.TriggerName": "deploy"})
    listed = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="team")["TriggerSet"]
    assert [(t["TriggerId"], t["TriggerName"]) for t in listed] == [
        (second, "deploy"), (other, "deploy"), (first, "deploy")]


# -- repeated keys (not a reading: always refused) ------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("pairs,key", [
    ([("Filter.1.Name", "allocation-id"), ("Filter.1.Name", "line-id"),
      ("Filter.1.Value.1", "x")], "Filter.1.Name"),
    ([("Filter.1.Name", "allocation-id"), ("Filter.1.Value.1", "a"),
      ("Filter.1.Value.1", "b")], "Filter.1.Value.1"),
])
def test_repeated_keys_are_refused(emulator, method, pairs, key):
    answer = call(emulator, "bws", "DescribeBandWidthShares", pairs, method=method)
    assert error_of(answer) == (
        400, "InvalidQueryParameter",
        "The query parameter %s is malformed or does not adhere to KSC standards." % key)


def test_repeated_plain_key_is_refused_too(emulator, registry):
    answer = call(emulator, "kcrs", "DescribeNamespace",
                  [("InstanceId", registry), ("Namespace", "team"), ("Namespace", "other")])
    assert error_of(answer)[:2] == (400, "InvalidQueryParameter")
    # the same request without the repeat is fine
    answer = call(emulator, "kcrs", "DescribeNamespace",
                  [("InstanceId", registry), ("Namespace", "team")])
    assert ok(answer)["TotalCount"] == 1
