"""kcrs namespaces through kscore (DescribeNamespaceExist by hand): rules, quota, paging."""
import pytest
from kscore.exceptions import ClientError

from ksyun_support import call, client, client_error, error_of, ok, push, running_instance


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


def _exists(emulator, instance_id, name):
    return ok(call(emulator, "kcrs", "DescribeNamespaceExist",
                   {"InstanceId": instance_id, "Namespace": name}))["Exist"]


def test_namespace_lifecycle(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    assert _exists(emulator, instance_id, "apps") is False
    kcrs.create_namespace(InstanceId=instance_id, Namespace="apps", Public=True)
    assert _exists(emulator, instance_id, "apps") is True
    listed = kcrs.describe_namespace(InstanceId=instance_id)
    assert listed["TotalCount"] == 1
    namespace = listed["NamespaceSet"][0]
    assert set(namespace) == {"Namespace", "Public", "RepoCount", "CreateTime"}
    assert (namespace["Namespace"], namespace["Public"], namespace["RepoCount"]) == \
        ("apps", True, 0)
    kcrs.modify_namespace_type(InstanceId=instance_id, Namespace="apps", Public=False)
    assert kcrs.describe_namespace(InstanceId=instance_id)["NamespaceSet"][0]["Public"] is False
    kcrs.delete_namespace(InstanceId=instance_id, Namespace="apps")
    assert kcrs.describe_namespace(InstanceId=instance_id)["TotalCount"] == 0
    with pytest.raises(ClientError) as exc:
        kcrs.delete_namespace(InstanceId=instance_id, Namespace="apps")
    assert client_error(exc) == (404, "NamespaceNotFound", "The namespace apps does not exist "
                                 "in instance %s." % instance_id)


def test_duplicate_namespace_conflicts(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="dup", Public=False)
    with pytest.raises(ClientError) as exc:
        kcrs.create_namespace(InstanceId=instance_id, Namespace="dup", Public=True)
    assert client_error(exc) == (409, "NamespaceAlreadyExists",
                                 "The namespace dup already exists.")


@pytest.mark.parametrize("name", ["a", "Apps", "-lead", "x" * 31, "sp ace", "ns/sub"])
def test_namespace_name_rules(emulator, kcrs, name):
    instance_id = running_instance(emulator, kcrs)
    with pytest.raises(ClientError) as exc:
        kcrs.create_namespace(InstanceId=instance_id, Namespace=name, Public=True)
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")


def test_public_is_required_and_boolean(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    with pytest.raises(ClientError) as exc:
        kcrs.create_namespace(InstanceId=instance_id, Namespace="nopub")
    assert client_error(exc)[:2] == (400, "MissingParameter")
    with pytest.raises(ClientError) as exc:
        kcrs.create_namespace(InstanceId=instance_id, Namespace="nopub", Public="maybe")
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")


def test_namespace_with_repositories_cannot_be_deleted(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="busy", Public=True)
    push(emulator, instance_id, "busy", "app", "latest")
    with pytest.raises(ClientError) as exc:
        kcrs.delete_namespace(InstanceId=instance_id, Namespace="busy")
    assert client_error(exc)[:2] == (409, "NamespaceNotEmpty")
    kcrs.delete_repository(InstanceId=instance_id, Namespace="busy", RepoName="app")
    kcrs.delete_namespace(InstanceId=instance_id, Namespace="busy")


def test_namespace_quota(emulator, kcrs):
    emulator.admin("POST", "/__admin/settings", {"kcrs": {"namespace_quota": 3}})
    instance_id = running_instance(emulator, kcrs)
    for number in range(3):
        kcrs.create_namespace(InstanceId=instance_id, Namespace="q%d" % number, Public=True)
    with pytest.raises(ClientError) as exc:
        kcrs.create_namespace(InstanceId=instance_id, Namespace="q3", Public=True)
    assert client_error(exc) == (400, "QuotaExceeded", "The instance %s already has 3 "
                                 "namespaces, its quota." % instance_id)
    usage = kcrs.describe_instance_usage(InstanceId=instance_id)
    assert (usage["NamespaceQuota"], usage["NamespaceUsage"]) == (3, 3)


def test_filters(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    for name, public in (("web-front", True), ("web-back", False), ("data", True)):
        kcrs.create_namespace(InstanceId=instance_id, Namespace=name, Public=public)
    named = kcrs.describe_namespace(InstanceId=instance_id, Namespace="web")
    assert [n["Namespace"] for n in named["NamespaceSet"]] == ["web-front", "web-back"]
    public = kcrs.describe_namespace(InstanceId=instance_id, Public=True)
    assert [n["Namespace"] for n in public["NamespaceSet"]] == ["web-front", "data"]
    both = kcrs.describe_namespace(InstanceId=instance_id, Namespace="web", Public=False)
    assert [n["Namespace"] for n in both["NamespaceSet"]] == ["web-back"]


def test_pagination_at_99_over_generated_namespaces(emulator, kcrs):
    emulator.admin("POST", "/__admin/reset", {
        "settings": {"kcrs": {"namespace_quota": 500}},
        "ksyun": dict(emulator.emu.fixtures["ksyun"],
                      kcrs={"instances": [{"InstanceName": "big", "InstanceId": "big-1"}]},
                      generate={"kcrs.namespace": {"instance": "big", "count": 250}})})
    seen, marker = [], 0
    while True:
        page = kcrs.describe_namespace(InstanceId="big-1", Marker=marker, MaxResults=99)
        assert page["TotalCount"] == 250 and page["MaxResults"] == 99
        assert page["Marker"] == marker
        seen += [n["Namespace"] for n in page["NamespaceSet"]]
        if len(page["NamespaceSet"]) < 99:
            break
        marker += 99
    assert len(seen) == 250 and len(set(seen)) == 250
    assert seen[0] == "ns0001" and seen[-1] == "ns0250"
    assert [len(p) for p in (seen[:99], seen[99:198], seen[198:])] == [99, 99, 52]
    response = call(emulator, "kcrs", "DescribeNamespace",
                    {"InstanceId": "big-1", "MaxResults": "100"})
    assert error_of(response) == (400, "InvalidParameterValue", "An invalid or out-of-range "
                                  "value was supplied for the input parameter MaxResults.")
    default = kcrs.describe_namespace(InstanceId="big-1")
    assert len(default["NamespaceSet"]) == 20 and default["MaxResults"] == 20
