# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kcr_webhook and kcr_webhook_info against the emulator in process: what goes on the wire,
header values kept out of every result, diff and error, check mode, and the delivery logs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.webhooks import webhook_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import flatten
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_webhook import KcrWebhook
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_webhook_info import KcrWebhookInfo

SECRET = "unit-secret-never-shown-0005"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}
HOOK_SECRET = "Bearer hook-secret-1111"
NEW_SECRET = "Bearer hook-secret-2222"
NS = "apps"
URL = "https://deploy.example.com/hook"


@pytest.fixture
def registry(kcr):
    registry = kcr.add_instance("prod-registry")
    kcr.add_namespace(registry, NS)
    return registry


def run(cloud, module=KcrWebhook, check_mode=False, diff=False, **args):
    result = cloud.run(module, dict(AUTH, **args), check_mode=check_mode, diff=diff)
    assert SECRET not in json.dumps(result)
    return result


def hook_args(registry, **extra):
    args = dict(instance_id=registry["InstanceId"], namespace=NS, name="deploy", event_types=["PushImage"], url=URL,
                headers={"X-Source": "kcr"}, secret_headers={"Authorization": HOOK_SECRET})
    args.update(extra)
    return dict((k, v) for k, v in args.items() if v is not None)  # None: the option is left out


def wire(call):
    """A recorded call's parameters as the client sent them (flattened again)."""
    return dict(flatten(call[1]))


def no_hook_secret(result):
    text = json.dumps(result)
    return HOOK_SECRET not in text and NEW_SECRET not in text and "hook-secret" not in text


# -- input ---------------------------------------------------------------------------------------------

URL_RULE = "give an absolute http:// or https:// URL with a host, at most 1024 characters, without spaces or control " \
    "characters"
NAME_RULE = "is not a valid KCR webhook trigger name: 1 to 64 characters, no control characters, no space at either end"


@pytest.mark.parametrize("extra, msg", [
    (dict(url="ftp://x.example.com/h"), "url: 'ftp://x.example.com/h' is not valid (its scheme is 'ftp'): " + URL_RULE),
    (dict(url="https://deploy.example.com/hook\n"),
     "url: 'https://deploy.example.com/hook\\n' is not valid (it contains whitespace or a control character): "
     + URL_RULE),
    (dict(url="https:///hook"), "url: 'https:///hook' is not valid (it has no host): " + URL_RULE),
    (dict(url="https://deploy.example.com:99999/h"),
     "url: 'https://deploy.example.com:99999/h' is not valid (its port is not a number from 1 to 65535): " + URL_RULE),
    (dict(name="x" * 65), "name: '%s' " % ("x" * 65) + NAME_RULE),
    (dict(name="hook\n"), "name: 'hook\\n' " + NAME_RULE),
    (dict(name=" "), "name: ' ' " + NAME_RULE),
    (dict(headers={"X-Source\n": "v"}), "headers: 'X-Source\\n' is not a valid HTTP header name: letters, digits "
                                        "and !#$%&'*+.^_`|~- (an RFC 9110 token)"),
    (dict(namespace="Apps"), "namespace: 'Apps' is not a valid KCR namespace name: 2 to 30 characters: lower-case "
                             "letters, digits, '.', '_' and '-', starting with a letter or digit"),
    (dict(event_types=[]), "event_types: give at least one of PushImage, DeleteImage"),
    (dict(headers={"Bad Name": "v"}), "headers: 'Bad Name' is not a valid HTTP header name: letters, digits and "
                                      "!#$%&'*+.^_`|~- (an RFC 9110 token)"),
    (dict(secret_headers={"Authorization": HOOK_SECRET + ";x"}),
     "secret_headers: the value of header Authorization contains ';' or a line break, which the registry cannot "
     "report back unambiguously"),
    (dict(headers={"X-Source": "kcr;x"}),
     "headers: the value of header X-Source contains ';' or a line break, which the registry cannot report "
     "back unambiguously"),
    (dict(secret_headers={"Authorization": HOOK_SECRET + "\r\nX-Evil: 1"}),
     "secret_headers: the value of header Authorization contains ';' or a line break, which the registry cannot report "
     "back unambiguously"),
    (dict(secret_headers={"Authorization": ""}), "secret_headers: header Authorization has an empty value"),
    (dict(headers={"X-Source": []}), "headers: header X-Source has no value"),
    (dict(secret_headers={"Authorization": {"nested": HOOK_SECRET}}),
     "secret_headers: the value of header Authorization must be a string or a list of strings"),
    (dict(headers={"Authorization": "public"}),
     "secret_headers: header Authorization is also in headers; give each header once"),
])
def test_bad_input_fails_before_any_call_without_showing_header_values(cloud, kcr, registry, extra, msg):
    result = run(cloud, **hook_args(registry, **extra))

    assert result["failed"] is True
    assert result["msg"] == msg
    assert "hook-secret" not in json.dumps(result)
    assert cloud.calls == []


@pytest.mark.parametrize("not_found", ["codes", "common", "empty"])  # the readings of a missing namespace
def test_a_missing_namespace_fails_present_and_is_nothing_to_do_for_absent(cloud, kcr, registry, not_found):
    cloud.settings({"readings": {"kcrs": {"not_found": not_found}}})
    present = run(cloud, **hook_args(registry, namespace="nowhere"))
    present_calls = list(cloud.calls.actions)
    absent = run(cloud, instance_id=registry["InstanceId"], namespace="nowhere", name="deploy", state="absent")

    assert present["msg"] == ("namespace nowhere not found in KCR instance %s; create it with "
                              "cloudops.multicloud.kcr_namespace" % registry["InstanceId"])
    assert absent["changed"] is False
    # Extra reads only where the answer was an error that leaves open what is missing.
    assert cloud.calls.actions[len(present_calls):] == ["DescribeWebhookTrigger"] + (
        ["DescribeInstance", "DescribeNamespace"] if not_found == "common" else [])
    expected = {
        "codes": ["DescribeWebhookTrigger"],
        # the common code leaves open what is missing: the instance, then the namespace, is read
        "common": ["DescribeWebhookTrigger", "DescribeInstance", "DescribeNamespace"],
        # the empty listing lets the create go out; its refusal is explained the same way
        "empty": ["DescribeWebhookTrigger", "CreateWebhookTrigger", "DescribeInstance", "DescribeNamespace"],
    }[not_found]
    assert present_calls == expected
    assert kcr.triggers(registry, "nowhere") == []


def test_a_registry_error_never_shows_header_values(cloud, kcr, registry):
    cloud.faults({"service": "kcrs", "operations": ["CreateWebhookTrigger"], "times": 1, "error_rate": 1.0,
                  "error_status": 400, "error_code": "InvalidParameterValue",
                  "error_message": "bad header %s" % HOOK_SECRET})

    result = run(cloud, **hook_args(registry))

    assert result["failed"] is True
    assert result["msg"].startswith("kcrs CreateWebhookTrigger failed: InvalidParameterValue: bad header ")
    assert no_hook_secret(result)
    # what the module's real transport scrubs from errors and traces
    assert HOOK_SECRET in cloud.clients[-1].transport.secrets


# -- create ------------------------------------------------------------------------------------------

def test_create_sends_the_trigger_and_masks_header_values(cloud, kcr, registry):
    result = run(cloud, diff=True, **hook_args(registry, headers={"X-Multi": ["a", "b"]}))

    assert cloud.calls.actions == ["DescribeWebhookTrigger", "CreateWebhookTrigger", "DescribeWebhookTrigger"]
    assert wire(cloud.calls[1]) == {
        "InstanceId": registry["InstanceId"], "Namespace": NS,
        "Trigger.TriggerName": "deploy", "Trigger.EventType.1": "PushImage", "Trigger.TriggerUrl": URL,
        "Trigger.Header.1.Key": "X-Multi", "Trigger.Header.1.Value.1": "a", "Trigger.Header.1.Value.2": "b",
        "Trigger.Header.2.Key": "Authorization", "Trigger.Header.2.Value.1": HOOK_SECRET}
    # as seed 000's request table has it: no Marker/MaxResults
    assert wire(cloud.calls[0]) == {"InstanceId": registry["InstanceId"], "Namespace": NS}
    assert result["changed"] is True
    assert result["webhook"] == {
        "instance_id": registry["InstanceId"], "namespace": NS, "trigger_id": 1, "name": "deploy",
        "event_types": ["PushImage"], "url": URL, "headers": {"X-Multi": "********", "Authorization": "********"},
        "enabled": True, "create_time": "2024-01-15 18:00:00", "update_time": "2024-01-15 18:00:00"}
    assert result["diff"] == {"before": {}, "after": result["webhook"]}
    assert no_hook_secret(result)


def test_create_disabled_and_without_headers(cloud, kcr, registry):
    result = run(cloud, **hook_args(registry, headers=None, secret_headers=None, enabled=False))

    assert wire(cloud.calls[1])["Trigger.Enabled"] == "False"
    assert not any(key.startswith("Trigger.Header") for key in wire(cloud.calls[1]))
    assert result["webhook"]["headers"] == {}
    assert result["webhook"]["enabled"] is False


def test_check_mode_create_predicts_and_writes_nothing(cloud, kcr, registry):
    result = run(cloud, check_mode=True, diff=True,
                 **hook_args(registry, event_types=["PushImage", "DeleteImage", "PushImage"]))

    assert cloud.calls.actions == ["DescribeWebhookTrigger"]
    assert result["webhook"] == {
        "instance_id": registry["InstanceId"], "namespace": NS, "trigger_id": None, "name": "deploy",
        "event_types": ["DeleteImage", "PushImage"], "url": URL,
        "headers": {"Authorization": "********", "X-Source": "********"}, "enabled": True, "create_time": None,
        "update_time": None}
    assert no_hook_secret(result)


# -- secrets in the URL and over plain HTTP -------------------------------------------------------------

TOKEN_URL = "https://deploy.example.com/hook?token=url-secret-3333&team=apps&flag"
MASKED_TOKEN_URL = "https://deploy.example.com/hook?token=********&team=********&flag"


def test_secret_headers_are_not_sent_to_a_plain_http_url(cloud, kcr, registry):
    result = run(cloud, **hook_args(registry, url="http://deploy.example.com/hook"))
    assert result["failed"]
    assert result["msg"] == ("secret_headers: would be sent in clear text, as the url's scheme is 'http'; give an "
                             "https:// url, or set allow_insecure_webhook=true to send them anyway")
    assert cloud.calls == []
    assert no_hook_secret(result)


def test_plain_http_takes_plain_headers_and_secret_headers_only_when_allowed(cloud, kcr, registry):
    plain = run(cloud, **hook_args(registry, url="http://deploy.example.com/hook", secret_headers=None))
    assert plain["changed"] is True and plain["webhook"]["url"] == "http://deploy.example.com/hook"
    allowed = run(cloud, **hook_args(registry, url="http://deploy.example.com/hook", allow_insecure_webhook=True))
    assert allowed["changed"] is True
    modify = wire([c for c in cloud.calls if c[0] == "ModifyWebhookTrigger"][0])
    assert modify["Trigger.Header.2.Key"] == "Authorization" and modify["Trigger.Header.2.Value.1"] == HOOK_SECRET


def test_query_values_in_the_url_are_masked_in_results_and_diffs_but_sent_and_compared_whole(cloud, kcr, registry):
    args = hook_args(registry, url=TOKEN_URL)
    predicted = run(cloud, check_mode=True, diff=True, **args)
    created = run(cloud, diff=True, **args)
    again = run(cloud, diff=True, **args)
    listed = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS)

    assert wire([c for c in cloud.calls if c[0] == "CreateWebhookTrigger"][0])["Trigger.TriggerUrl"] == TOKEN_URL
    assert predicted["webhook"]["url"] == created["webhook"]["url"] == MASKED_TOKEN_URL
    assert created["diff"]["after"]["url"] == again["diff"]["before"]["url"] == MASKED_TOKEN_URL
    assert listed["webhooks"][0]["url"] == MASKED_TOKEN_URL
    assert again["changed"] is False
    assert cloud.calls.actions[-3:] == ["DescribeWebhookTrigger", "DescribeWebhookTrigger", "DescribeWebhookTrigger"]
    for result in (predicted, created, again, listed):
        assert "url-secret-3333" not in json.dumps(result)


def test_a_changed_query_value_is_marked_and_sent(cloud, kcr, registry):
    kcr.add_trigger(registry, NS, "deploy", url=TOKEN_URL, headers={"X-Source": "kcr", "Authorization": HOOK_SECRET})
    new_url = TOKEN_URL.replace("url-secret-3333", "url-secret-4444")

    result = run(cloud, diff=True, **hook_args(registry, url=new_url))

    assert cloud.calls.writes() == ["ModifyWebhookTrigger"]
    assert wire([c for c in cloud.calls if c[0] == "ModifyWebhookTrigger"][0])["Trigger.TriggerUrl"] == new_url
    assert result["diff"]["before"]["url"] == MASKED_TOKEN_URL
    assert result["diff"]["after"]["url"] == MASKED_TOKEN_URL.replace("token=********", "token=******** (changed)")
    assert "url-secret" not in json.dumps(result)


def test_a_password_in_the_url_is_masked_in_results_and_errors(cloud, kcr, registry):
    result = run(cloud, **hook_args(registry, url="https://hook:pass-5555@deploy.example.com/h"))
    assert result["webhook"]["url"] == "https://hook:********@deploy.example.com/h"
    failed = run(cloud, **hook_args(registry, url="https://hook:pass-5555@deploy.example.com/h?token=url-secret-3333 x"))
    assert failed["msg"].startswith("url: 'https://hook:********@deploy.example.com/h?token=********' is not valid")
    assert "pass-5555" not in json.dumps(result) + json.dumps(failed)
    assert "url-secret-3333" not in json.dumps(failed)


# -- an existing trigger -------------------------------------------------------------------------------

def test_same_again_in_any_order_is_one_read_and_no_change(cloud, kcr, registry):
    kcr.add_trigger(registry, NS, "deploy", events=["DeleteImage", "PushImage"], url=URL,
                    headers={"X-Source": "kcr", "Authorization": HOOK_SECRET})

    result = run(cloud, diff=True, **hook_args(registry, event_types=["PushImage", "DeleteImage"]))

    assert cloud.calls.actions == ["DescribeWebhookTrigger"]
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert no_hook_secret(result)


def test_a_changed_header_value_is_marked_not_shown(cloud, kcr, registry):
    trigger = kcr.add_trigger(registry, NS, "deploy", url=URL,
                              headers={"Authorization": HOOK_SECRET, "X-Source": "kcr"})
    args = hook_args(registry, secret_headers={"Authorization": NEW_SECRET})
    predicted = run(cloud, check_mode=True, diff=True, **args)
    assert cloud.calls.writes() == []

    result = run(cloud, diff=True, **args)

    assert cloud.calls.writes() == ["ModifyWebhookTrigger"]
    modify = [c for c in cloud.calls if c[0] == "ModifyWebhookTrigger"][0]
    assert wire(modify) == {
        "InstanceId": registry["InstanceId"], "Namespace": NS, "Trigger.TriggerId": str(trigger["TriggerId"]),
        "Trigger.TriggerName": "deploy", "Trigger.EventType.1": "PushImage", "Trigger.TriggerUrl": URL,
        "Trigger.Header.1.Key": "X-Source", "Trigger.Header.1.Value.1": "kcr",
        "Trigger.Header.2.Key": "Authorization", "Trigger.Header.2.Value.1": NEW_SECRET}
    assert result["changed"] is True
    assert result["diff"]["before"]["headers"] == {"Authorization": "********", "X-Source": "********"}
    assert result["diff"]["after"]["headers"] == {"Authorization": "******** (changed)", "X-Source": "********"}
    assert predicted["webhook"] == result["webhook"]
    assert no_hook_secret(result) and no_hook_secret(predicted)
    assert run(cloud, **args)["changed"] is False


def test_a_header_added_is_marked_and_omitted_headers_are_left_alone(cloud, kcr, registry):
    kcr.add_trigger(registry, NS, "deploy", url=URL, headers={"X-Source": "kcr"})

    added = run(cloud, diff=True, **hook_args(registry))
    left = run(cloud, **hook_args(registry, headers=None, secret_headers=None))

    assert added["diff"]["after"]["headers"] == {"X-Source": "********", "Authorization": "******** (changed)"}
    assert left["changed"] is False
    assert left["webhook"]["headers"] == {"X-Source": "********", "Authorization": "********"}


def test_removing_every_header_is_refused(cloud, kcr, registry):
    kcr.add_trigger(registry, NS, "deploy", url=URL, headers={"Authorization": HOOK_SECRET})

    for check_mode in (True, False):
        result = run(cloud, check_mode=check_mode, **hook_args(registry, headers={}, secret_headers={}))
        assert result["msg"] == ("headers: the API cannot remove every header of trigger 'deploy' in place; delete "
                                 "the trigger (state=absent) and create it again without headers")
        assert no_hook_secret(result)
    assert cloud.calls.writes() == []


def test_enabled_url_and_events_change_in_place(cloud, kcr, registry):
    trigger = kcr.add_trigger(registry, NS, "deploy", url=URL, headers={"Authorization": HOOK_SECRET,
                                                                        "X-Source": "kcr"})

    result = run(cloud, diff=True, **hook_args(registry, headers=None, secret_headers=None, enabled=False,
                                               url=URL + "2", event_types=["DeleteImage"]))

    modify = wire([c for c in cloud.calls if c[0] == "ModifyWebhookTrigger"][0])
    assert modify["Trigger.TriggerId"] == str(trigger["TriggerId"])
    assert modify["Trigger.Enabled"] == "False"
    assert modify["Trigger.TriggerUrl"] == URL + "2"
    assert modify["Trigger.EventType.1"] == "DeleteImage"
    assert not any(key.startswith("Trigger.Header") for key in modify)
    assert result["webhook"]["enabled"] is False
    assert result["webhook"]["event_types"] == ["DeleteImage"]
    assert result["webhook"]["headers"] == {"Authorization": "********", "X-Source": "********"}


def test_two_triggers_with_one_name_is_an_error(cloud, kcr, registry):
    cloud.settings({"readings": {"kcrs": {"trigger_names": "repeatable"}}})  # no uniqueness is documented
    kcr.add_trigger(registry, NS, "deploy")
    kcr.add_trigger(registry, NS, "deploy")

    result = run(cloud, **hook_args(registry))

    assert result["msg"] == "name: 2 triggers of namespace apps are named 'deploy' (ids 2, 1)"


def test_absent_deletes_once(cloud, kcr, registry):
    trigger = kcr.add_trigger(registry, NS, "deploy", headers={"Authorization": HOOK_SECRET})

    deleted = run(cloud, diff=True, instance_id=registry["InstanceId"], namespace=NS, name="deploy", state="absent")
    again = run(cloud, instance_id=registry["InstanceId"], namespace=NS, name="deploy", state="absent")

    assert cloud.calls.writes() == ["DeleteWebhookTrigger"]
    assert ("DeleteWebhookTrigger", {"InstanceId": registry["InstanceId"], "Namespace": NS,
                                     "TriggerId": trigger["TriggerId"]}) in cloud.calls
    assert deleted["changed"] is True
    assert deleted["diff"]["after"] == {}
    assert deleted["diff"]["before"]["headers"] == {"Authorization": "********"}
    assert again["changed"] is False
    assert no_hook_secret(deleted)


# -- kcr_webhook_info ----------------------------------------------------------------------------------

def test_info_lists_triggers_with_logs_on_request(cloud, kcr, registry):
    deploy = kcr.add_trigger(registry, NS, "deploy", headers={"Authorization": HOOK_SECRET})
    # two pushes: a log entry each for deploy (PushImage); audit comes after them and has none
    first = kcr.push(registry, NS, "web", "v1")
    second = kcr.push(registry, NS, "web", "v2")
    audit = kcr.add_trigger(registry, NS, "audit")

    plain = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS)
    cloud.calls.clear()
    with_logs = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS,
                    include_logs=True)

    assert [w["name"] for w in plain["webhooks"]] == ["audit", "deploy"]
    assert "logs" not in plain["webhooks"][0]
    assert plain["webhooks"][1]["headers"] == {"Authorization": "********"}
    assert cloud.calls.actions == ["DescribeWebhookTrigger", "DescribeWebhookTriggerLog",
                                   "DescribeWebhookTriggerLog"]
    assert with_logs["webhooks"][0]["logs"] == []
    # newest first; the emulator delivers nothing and logs every event Success, with fields of its own
    assert with_logs["webhooks"][1]["logs"] == [
        {"log_id": log_id, "status": "Success", "event_type": "PushImage", "trigger_id": deploy["TriggerId"],
         "trigger_url": "https://hooks.example.com/kcr", "namespace": NS, "repo_name": "web", "tag": tag,
         "image_id": digest, "create_time": "2024-01-15 18:00:00"}
        for log_id, tag, digest in [(2, "v2", second), (1, "v1", first)]]
    # each trigger's own logs were asked for, in listing order
    asked = [wire(call)["TriggerId"] for call in cloud.calls[1:]]
    assert asked == [str(audit["TriggerId"]), str(deploy["TriggerId"])]
    assert wire(cloud.calls[2]) == {"InstanceId": registry["InstanceId"], "Namespace": NS,
                                    "TriggerId": str(deploy["TriggerId"])}
    assert no_hook_secret(plain) and no_hook_secret(with_logs)


def test_info_by_id_is_filtered_by_the_registry_and_by_name_here(cloud, kcr, registry):
    deploy = kcr.add_trigger(registry, NS, "deploy")
    kcr.add_trigger(registry, NS, "audit")

    by_id = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS,
                trigger_id=deploy["TriggerId"])
    by_name = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS, name="audit")

    assert cloud.calls[0][1]["TriggerId"] == deploy["TriggerId"]
    assert [w["name"] for w in by_id["webhooks"]] == ["deploy"]
    assert [w["name"] for w in by_name["webhooks"]] == ["audit"]


@pytest.mark.parametrize("not_found", ["codes", "common", "empty"])
def test_info_for_a_missing_namespace_says_so(cloud, kcr, registry, not_found):
    cloud.settings({"readings": {"kcrs": {"not_found": not_found}}})
    result = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace="nowhere")

    assert result["msg"] == ("namespace nowhere not found in KCR instance %s; create it with "
                             "cloudops.multicloud.kcr_namespace" % registry["InstanceId"])


def test_a_trigger_read_from_an_xml_answer_has_typed_fields():
    # XML answers carry every scalar as a string.
    result = webhook_result("i-1", NS, {"TriggerId": "7", "TriggerName": "deploy", "EventType": ["PushImage"],
                                        "TriggerUrl": URL, "Enabled": "False", "Header": "k1:v1;k2:v2,v3"})

    assert result["trigger_id"] == 7
    assert result["enabled"] is False
    assert result["headers"] == {"k1": "********", "k2": "********"}


@pytest.mark.parametrize("cap", [None, 10])  # a server that pages webhooks at 10 whatever was asked
def test_trigger_11_is_found_whatever_page_size_the_server_chose(cloud, kcr, registry, cap):
    if cap:
        cloud.settings({"readings": {"kcrs": {"page_cap": {"DescribeWebhookTrigger": cap}}}})
    for number in range(1, 12):
        kcr.add_trigger(registry, NS, "hook-%02d" % number)
    first = min(kcr.triggers(registry, NS), key=lambda t: t["TriggerId"])

    result = run(cloud, **hook_args(registry, name=first["TriggerName"], url=first["TriggerUrl"],
                                    event_types=first["EventType"], enabled=True, headers=None,
                                    secret_headers=None))

    assert result["changed"] is False, result
    assert cloud.calls.writes() == []
    # asked as documented (10 of 11 answered), then page by page
    assert [c[1].get("Marker") for c in cloud.calls] == ([None, 0, 10] if cap else [None, 0])
    assert len(kcr.triggers(registry, NS)) == 11


# -- a service that refuses the paging parameters (seed 000 lists none for the two listings) --------------

REFUSED = {"readings": {"kcrs": {"trigger_paging": "refused"}}}


def paged(call):
    return "Marker" in call[1] or "MaxResults" in call[1]


@pytest.mark.parametrize("paging", ["accepted", "refused"])
def test_the_listings_are_asked_as_documented_and_paged_only_when_the_answer_says_there_is_more(
        cloud, kcr, registry, paging):
    cloud.settings({"readings": {"kcrs": {"trigger_paging": paging}}})
    for number in range(1, 10):
        kcr.add_trigger(registry, NS, "hook-%02d" % number)
    cloud.calls.clear()

    created = run(cloud, **hook_args(registry))
    again = run(cloud, **hook_args(registry))

    assert created["changed"] is True and again["changed"] is False, (created, again)
    assert [t["TriggerName"] for t in kcr.triggers(registry, NS)].count("deploy") == 1
    assert [(action, paged(call)) for action, call in [(c[0], c) for c in cloud.calls]] == [
        ("DescribeWebhookTrigger", False), ("CreateWebhookTrigger", False), ("DescribeWebhookTrigger", False),
        ("DescribeWebhookTrigger", False)]


def test_a_partial_trigger_listing_fails_before_any_write(cloud, kcr, registry):
    cloud.settings(REFUSED)
    for number in range(1, 12):
        kcr.add_trigger(registry, NS, "hook-%02d" % number)
    cloud.calls.clear()

    result = run(cloud, **hook_args(registry))

    assert result["failed"] is True
    assert result["msg"] == (
        "namespace apps: kcrs DescribeWebhookTrigger listed 10 of 11 entries and refuses the paging parameters "
        "(Marker, MaxResults), so the others cannot be read; a trigger cannot be looked for among them (it might "
        "be created twice): keep the namespace at 10 triggers or fewer")
    # asked as documented; told there are more; asked with paging, refused (400)
    assert [(c[0], paged(c)) for c in cloud.calls] == [("DescribeWebhookTrigger", False),
                                                       ("DescribeWebhookTrigger", True)]
    assert cloud.answers[1][1]["Error"]["Code"] == "InvalidQueryParameter"
    assert len(kcr.triggers(registry, NS)) == 11


def test_info_returns_the_logs_a_refusing_service_lists_with_a_warning(cloud, kcr, registry):
    cloud.settings(REFUSED)
    deploy = kcr.add_trigger(registry, NS, "deploy")
    for number in range(12):
        kcr.push(registry, NS, "web", "v%d" % number)
    cloud.calls.clear()

    result = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS, include_logs=True)

    assert result.get("failed") is not True, result
    assert [log["tag"] for log in result["webhooks"][0]["logs"]] == ["v%d" % n for n in range(11, 1, -1)]
    assert result["warnings"] == [
        "trigger %s of namespace apps: kcrs DescribeWebhookTriggerLog listed 10 of 12 entries and refuses the paging "
        "parameters (Marker, MaxResults), so the others cannot be read; only those are returned" % deploy["TriggerId"]]
    assert [(c[0], paged(c)) for c in cloud.calls] == [
        ("DescribeWebhookTrigger", False), ("DescribeWebhookTriggerLog", False), ("DescribeWebhookTriggerLog", True)]


def test_logs_past_the_first_answer_are_paged_where_the_service_takes_paging(cloud, kcr, registry):
    kcr.add_trigger(registry, NS, "deploy")
    for number in range(12):
        kcr.push(registry, NS, "web", "v%d" % number)

    result = run(cloud, module=KcrWebhookInfo, instance_id=registry["InstanceId"], namespace=NS, include_logs=True)

    assert [log["tag"] for log in result["webhooks"][0]["logs"]] == ["v%d" % n for n in range(11, -1, -1)]
    assert "warnings" not in result


def test_the_trigger_that_makes_eleven_is_read_back_by_its_id(cloud, kcr, registry):
    cloud.settings(REFUSED)
    for number in range(1, 11):
        kcr.add_trigger(registry, NS, "hook-%02d" % number)
    cloud.calls.clear()

    result = run(cloud, **hook_args(registry))

    assert result["changed"] is True, result
    created = [t for t in kcr.triggers(registry, NS) if t["TriggerName"] == "deploy"]
    assert result["webhook"]["trigger_id"] == created[0]["TriggerId"]
    assert result["webhook"]["name"] == "deploy"
    assert [c[0] for c in cloud.calls] == ["DescribeWebhookTrigger", "CreateWebhookTrigger", "DescribeWebhookTrigger"]
    assert wire(cloud.calls[2]) == {"InstanceId": registry["InstanceId"], "Namespace": NS,
                                    "TriggerId": str(created[0]["TriggerId"])}
