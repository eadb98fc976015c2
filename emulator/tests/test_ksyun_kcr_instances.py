"""kcrs instances through kscore: lifecycle, filters, usage, deletion, errors."""
import pytest
from kscore.exceptions import ClientError

from ksyun_support import advance, client, client_error, fast, push, running_instance


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


def _status(kcrs, instance_id):
    found = kcrs.describe_instance(**{"InstanceId.1": instance_id})["InstanceSet"]
    return found[0]["InstanceStatus"] if found else None


def test_instance_lifecycle_creating_running_deleting_gone(emulator, kcrs):
    emulator.admin("POST", "/__admin/settings",
                   {"delays": {"kcrs.instance": 30, "kcrs.instance_delete": 20}})
    created = kcrs.create_instance(InstanceName="lifecycle", InstanceType="premium",
                                   ChargeType="HourlyInstantSettlement", ProjectId="0")
    instance_id = created["InstanceId"]
    instance = kcrs.describe_instance(**{"InstanceId.1": instance_id})["InstanceSet"][0]
    assert instance["InstanceStatus"] == "Creating"
    assert instance["InstanceName"] == "lifecycle"
    assert instance["InstanceType"] == "premium"
    assert instance["InternalEndpoint"] == "lifecycle.ksyunkcr.com"
    assert instance["ExpiredTime"] is None
    assert instance["ProjectId"] == "0"
    assert len(instance["CreateTime"]) == 19 and instance["CreateTime"][10] == " "
    advance(emulator, 29)
    assert _status(kcrs, instance_id) == "Creating"
    advance(emulator, 2)
    assert _status(kcrs, instance_id) == "Running"
    kcrs.delete_instance(InstanceId=instance_id, DeleteBucket=False)
    assert _status(kcrs, instance_id) == "Deleting"
    with pytest.raises(ClientError) as exc:
        kcrs.delete_instance(InstanceId=instance_id)
    assert client_error(exc)[:2] == (409, "IncorrectInstanceStatus")
    advance(emulator, 21)
    assert _status(kcrs, instance_id) is None
    with pytest.raises(ClientError) as exc:
        kcrs.describe_instance_usage(InstanceId=instance_id)
    assert client_error(exc) == (404, "InstanceNotFound",
                                 "The instance %s does not exist." % instance_id)


def test_deleting_an_instance_removes_its_contents(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="team", Public=False)
    push(emulator, instance_id, "team", "app", "v1")
    kcrs.create_instance_token(InstanceId=instance_id, TokenType="Day", TokenTime=1)
    kcrs.delete_instance(InstanceId=instance_id, DeleteBucket=True)
    assert kcrs.describe_instance()["TotalCount"] == 0
    store = emulator.emu.store
    for kind in ("kcrs.namespace", "kcrs.repo", "kcrs.image", "kcrs.token"):
        assert store.count(kind) == 0, kind


def test_monthly_instance_needs_purchase_time_and_expires(emulator, kcrs):
    with pytest.raises(ClientError) as exc:
        kcrs.create_instance(InstanceName="monthly", InstanceType="basic", ChargeType="Monthly")
    assert client_error(exc) == (400, "MissingParameter", "An value must be supplied for the "
                                 "input parameter PurchaseTime.")
    instance_id = kcrs.create_instance(InstanceName="monthly", InstanceType="basic",
                                       ChargeType="Monthly", PurchaseTime=2)["InstanceId"]
    instance = kcrs.describe_instance(**{"InstanceId.1": instance_id})["InstanceSet"][0]
    assert instance["ChargeType"] == "Monthly"
    created, expires = instance["CreateTime"], instance["ExpiredTime"]
    months = (int(expires[:4]) - int(created[:4])) * 12 + int(expires[5:7]) - int(created[5:7])
    assert months == 2 and expires[10:] == created[10:]


@pytest.mark.parametrize("name", ["a", "Upper", "9starts-with-digit", "x" * 31, "under_score"])
def test_instance_name_rules(kcrs, name):
    with pytest.raises(ClientError) as exc:
        kcrs.create_instance(InstanceName=name, InstanceType="basic")
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")


def test_instance_names_are_unique(kcrs):
    kcrs.create_instance(InstanceName="twin", InstanceType="basic")
    with pytest.raises(ClientError) as exc:
        kcrs.create_instance(InstanceName="twin", InstanceType="premium")
    assert client_error(exc) == (409, "InstanceNameAlreadyExists",
                                 "An instance named twin already exists.")


def test_describe_filters_newest_first_and_project_scoping(emulator, kcrs):
    fast(emulator)
    ids = [kcrs.create_instance(InstanceName=name, InstanceType="basic")["InstanceId"]
           for name in ("alpha-one", "beta-one", "alpha-two")]
    other = kcrs.create_instance(InstanceName="other-project", InstanceType="basic",
                                 ProjectId="1042")["InstanceId"]
    listed = kcrs.describe_instance()
    assert [i["InstanceId"] for i in listed["InstanceSet"]] == ids[::-1]
    assert listed["TotalCount"] == 3 and listed["Marker"] == 0 and listed["MaxResults"] == 20
    named = kcrs.describe_instance(InstanceName="alpha")["InstanceSet"]
    assert {i["InstanceName"] for i in named} == {"alpha-one", "alpha-two"}
    both = kcrs.describe_instance(**{"ProjectId.1": "0", "ProjectId.2": "1042"})
    assert both["TotalCount"] == 4
    only = kcrs.describe_instance(**{"ProjectId.1": "1042"})["InstanceSet"]
    assert [i["InstanceId"] for i in only] == [other]
    picked = kcrs.describe_instance(**{"InstanceId.1": ids[0], "InstanceId.2": ids[2]})
    assert {i["InstanceId"] for i in picked["InstanceSet"]} == {ids[0], ids[2]}
    page = kcrs.describe_instance(Marker=1, MaxResults=1)
    assert [i["InstanceId"] for i in page["InstanceSet"]] == [ids[1]]


def test_instances_are_regional(emulator, kcrs):
    kcrs.create_instance(InstanceName="in-beijing", InstanceType="basic")
    shanghai = client(emulator, "kcrs", region="cn-shanghai-2")
    assert shanghai.describe_instance()["TotalCount"] == 0
    assert kcrs.describe_instance()["TotalCount"] == 1


def test_usage_counts_namespaces_and_repositories(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    for name in ("ns-a", "ns-b"):
        kcrs.create_namespace(InstanceId=instance_id, Namespace=name, Public=True)
    push(emulator, instance_id, "ns-a", "web", "v1")
    push(emulator, instance_id, "ns-a", "web", "v2")
    push(emulator, instance_id, "ns-b", "db", "v1")
    usage = kcrs.describe_instance_usage(InstanceId=instance_id)
    usage.pop("RequestId")
    assert usage == {"NamespaceQuota": 50, "NamespaceUsage": 2, "RepoQuota": 1000,
                     "RepoUsage": 2}


def test_operations_on_a_creating_instance_are_refused(emulator, kcrs):
    instance_id = kcrs.create_instance(InstanceName="slow", InstanceType="basic")["InstanceId"]
    with pytest.raises(ClientError) as exc:
        kcrs.create_namespace(InstanceId=instance_id, Namespace="early", Public=True)
    assert client_error(exc) == (409, "IncorrectInstanceStatus", "The instance %s is Creating; "
                                 "this action needs it Running." % instance_id)
