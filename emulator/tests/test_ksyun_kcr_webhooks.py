"""kcrs webhook triggers through kscore, and their logs (DescribeWebhookTriggerLog by hand)."""
import pytest
from kscore.exceptions import ClientError

from ksyun_support import call, client, client_error, ok, push, running_instance


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


@pytest.fixture
def registry(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="hooks", Public=False)
    return instance_id


def _create(kcrs, instance_id, name, events=("PushImage",), enabled="True", **extra):
    params = {"InstanceId": instance_id, "Namespace": "hooks", "Trigger.TriggerName": name,
              "Trigger.TriggerUrl": "https://ci.example.com/hook", "Trigger.Enabled": enabled}
    for index, event in enumerate(events, 1):
        params["Trigger.EventType.%d" % index] = event
    params.update(extra)
    return kcrs.create_webhook_trigger(**params)


def _logs(emulator, instance_id, trigger_id):
    return ok(call(emulator, "kcrs", "DescribeWebhookTriggerLog",
                   {"InstanceId": instance_id, "Namespace": "hooks", "TriggerId": trigger_id}))


def test_trigger_lifecycle(emulator, kcrs, registry):
    created = _create(kcrs, registry, "notify", ("PushImage", "DeleteImage"),
                      **{"Trigger.Header.1.Key": "X-Token", "Trigger.Header.1.Value.1": "abc",
                         "Trigger.Header.2.Key": "X-Env", "Trigger.Header.2.Value.1": "prod",
                         "Trigger.Header.2.Value.2": "eu"})
    assert set(created) == {"triggerId", "requestId"}  # lower camel case, as documented
    trigger_id = created["triggerId"]
    assert isinstance(trigger_id, int)
    listed = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="hooks")
    assert (listed["TotalCount"], listed["Marker"], listed["MaxResults"]) == (1, 0, 10)
    trigger = listed["TriggerSet"][0]
    assert trigger["TriggerId"] == trigger_id and trigger["TriggerName"] == "notify"
    assert trigger["EventType"] == ["PushImage", "DeleteImage"]
    assert trigger["TriggerUrl"] == "https://ci.example.com/hook"
    assert trigger["Header"] == "X-Token:abc;X-Env:prod,eu"
    assert trigger["Enabled"] is True
    assert trigger["CreateTime"] == trigger["UpdateTime"]

    kcrs.modify_webhook_trigger(InstanceId=registry, Namespace="hooks",
                                **{"Trigger.TriggerId": trigger_id, "Trigger.Enabled": "False",
                                   "Trigger.EventType.1": "DeleteImage"})
    trigger = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="hooks",
                                            TriggerId=trigger_id)["TriggerSet"][0]
    assert (trigger["Enabled"], trigger["EventType"]) == (False, ["DeleteImage"])
    assert trigger["TriggerName"] == "notify"  # keys not sent are kept
    assert trigger["Header"] == "X-Token:abc;X-Env:prod,eu"

    kcrs.delete_webhook_trigger(InstanceId=registry, Namespace="hooks", TriggerId=trigger_id)
    assert kcrs.describe_webhook_trigger(InstanceId=registry,
                                         Namespace="hooks")["TriggerSet"] == []
    with pytest.raises(ClientError) as exc:
        kcrs.delete_webhook_trigger(InstanceId=registry, Namespace="hooks", TriggerId=trigger_id)
    assert client_error(exc) == (404, "WebhookTriggerNotFound",
                                 "The trigger %d does not exist." % trigger_id)


def test_trigger_ids_are_integers_listed_newest_first(emulator, kcrs, registry):
    ids = [_create(kcrs, registry, "t%d" % n)["triggerId"] for n in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    listed = kcrs.describe_webhook_trigger(InstanceId=registry, Namespace="hooks")
    assert [t["TriggerId"] for t in listed["TriggerSet"]] == ids[::-1]
    assert listed["TriggerSet"][0]["Header"] is None


def test_trigger_validation(emulator, kcrs, registry):
    with pytest.raises(ClientError) as exc:
        _create(kcrs, registry, "bad", events=("PullImage",))
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")
    with pytest.raises(ClientError) as exc:
        _create(kcrs, registry, "none", events=())
    assert client_error(exc) == (400, "MissingParameter", "An value must be supplied for the "
                                 "input parameter Trigger.EventType.1.")
    with pytest.raises(ClientError) as exc:
        _create(kcrs, registry, "url", **{"Trigger.TriggerUrl": "ftp://x"})
    assert client_error(exc)[2].endswith("Trigger.TriggerUrl.")
    _create(kcrs, registry, "same")
    with pytest.raises(ClientError) as exc:
        _create(kcrs, registry, "same")
    assert client_error(exc)[:2] == (409, "WebhookTriggerAlreadyExists")


def test_push_and_delete_events_are_logged_for_enabled_triggers(emulator, kcrs, registry):
    on_push = _create(kcrs, registry, "on-push", ("PushImage",))["triggerId"]
    on_delete = _create(kcrs, registry, "on-delete", ("DeleteImage",))["triggerId"]
    disabled = _create(kcrs, registry, "off", ("PushImage", "DeleteImage"),
                       enabled="False")["triggerId"]
    digest = push(emulator, registry, "hooks", "app", "v1")["ImageId"]
    push(emulator, registry, "hooks", "app", "v2")
    kcrs.delete_repo_tag(InstanceId=registry, Namespace="hooks", RepoName="app", TagName="v1")

    pushes = _logs(emulator, registry, on_push)
    assert pushes["TotalCount"] == 2 and pushes["MaxResults"] == 10
    assert [(e["EventType"], e["Tag"], e["Status"]) for e in pushes["Logs"]] == [
        ("PushImage", "v2", "Success"), ("PushImage", "v1", "Success")]
    deletes = _logs(emulator, registry, on_delete)
    assert [(e["EventType"], e["Tag"], e["ImageId"]) for e in deletes["Logs"]] == [
        ("DeleteImage", "v1", digest)]
    assert _logs(emulator, registry, disabled)["TotalCount"] == 0
    response = call(emulator, "kcrs", "DescribeWebhookTriggerLog",
                    {"InstanceId": registry, "Namespace": "hooks", "TriggerId": "999"})
    assert response.status_code == 404
