"""kcrs repositories, images, tags and scans, fed by the push hook."""
import re
from urllib.error import HTTPError

import pytest
from kscore.exceptions import ClientError

from ksyun_support import advance, client, client_error, push, running_instance


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


@pytest.fixture
def registry(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="team", Public=True)
    return instance_id


def _images(kcrs, instance_id, repo="app", **extra):
    return kcrs.describe_images(InstanceId=instance_id, Namespace="team", RepoName=repo, **extra)


def test_push_creates_repository_image_and_tag(emulator, kcrs, registry):
    pushed = push(emulator, registry, "team", "app", "v1", size=1234)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", pushed["ImageId"])
    assert pushed["RepositoryCreated"] is True and pushed["Size"] == 1234
    repos = kcrs.describe_repository(InstanceId=registry, Namespace="team")
    assert repos["TotalCount"] == 1
    repo = repos["RepoSet"][0]
    assert set(repo) == {"RepoName", "Public", "CreateTime", "UpdateTime", "Desc"}
    assert (repo["RepoName"], repo["Public"], repo["Desc"]) == ("app", True, None)
    images = _images(kcrs, registry)
    assert images["TotalCount"] == 1
    assert images["ImageSet"][0] == {"ImageId": pushed["ImageId"], "Size": 1234,
                                     "CreateTime": images["ImageSet"][0]["CreateTime"],
                                     "TagNames": ["v1"]}
    namespace = kcrs.describe_namespace(InstanceId=registry)["NamespaceSet"][0]
    assert namespace["RepoCount"] == 1


def test_tags_images_and_deletion(emulator, kcrs, registry):
    first = push(emulator, registry, "team", "app", "v1")["ImageId"]
    push(emulator, registry, "team", "app", "latest", digest=first)
    second = push(emulator, registry, "team", "app", "v2")["ImageId"]
    assert first != second
    listed = _images(kcrs, registry)["ImageSet"]
    assert [(i["ImageId"], i["TagNames"]) for i in listed] == [(second, ["v2"]),
                                                               (first, ["v1", "latest"])]
    # pushing "latest" again with new content moves the tag
    third = push(emulator, registry, "team", "app", "latest")["ImageId"]
    tags = {i["ImageId"]: i["TagNames"] for i in _images(kcrs, registry)["ImageSet"]}
    assert tags == {first: ["v1"], second: ["v2"], third: ["latest"]}
    only = _images(kcrs, registry, ImageId=second)
    assert [i["ImageId"] for i in only["ImageSet"]] == [second]

    kcrs.delete_repo_tag(InstanceId=registry, Namespace="team", RepoName="app", TagName="v1")
    tags = {i["ImageId"]: i["TagNames"] for i in _images(kcrs, registry)["ImageSet"]}
    assert tags == {second: ["v2"], third: ["latest"]}  # the untagged image is gone
    with pytest.raises(ClientError) as exc:
        kcrs.delete_repo_tag(InstanceId=registry, Namespace="team", RepoName="app", TagName="v1")
    assert client_error(exc) == (404, "TagNotFound", "The tag v1 does not exist in team/app.")

    kcrs.delete_images(InstanceId=registry, Namespace="team", RepoName="app", ImageId=second)
    assert [i["ImageId"] for i in _images(kcrs, registry)["ImageSet"]] == [third]
    with pytest.raises(ClientError) as exc:
        kcrs.delete_images(InstanceId=registry, Namespace="team", RepoName="app", ImageId=second)
    assert client_error(exc)[:2] == (404, "ImageNotFound")


def test_repository_description_and_deletion(emulator, kcrs, registry):
    push(emulator, registry, "team", "app", "v1")
    kcrs.modify_repo_desc(InstanceId=registry, Namespace="team", RepoName="app",
                          Desc="the app")
    repo = kcrs.describe_repository(InstanceId=registry, Namespace="team")["RepoSet"][0]
    assert repo["Desc"] == "the app"
    with pytest.raises(ClientError) as exc:
        kcrs.modify_repo_desc(InstanceId=registry, Namespace="team", RepoName="app",
                              Desc="x" * 257)
    assert client_error(exc)[:2] == (400, "InvalidParameterValue")
    kcrs.delete_repository(InstanceId=registry, Namespace="team", RepoName="app")
    assert kcrs.describe_repository(InstanceId=registry, Namespace="team")["TotalCount"] == 0
    assert emulator.emu.store.count("kcrs.image") == 0
    with pytest.raises(ClientError) as exc:
        kcrs.describe_images(InstanceId=registry, Namespace="team", RepoName="app")
    assert client_error(exc) == (404, "RepositoryNotFound",
                                 "The repository team/app does not exist.")


def test_repository_filters_and_visibility(emulator, kcrs, registry):
    for repo in ("web", "web-api", "db"):
        push(emulator, registry, "team", repo, "v1")
    exact = kcrs.describe_repository(InstanceId=registry, Namespace="team",
                                     **{"RepoName.1": "web", "RepoName.2": "db"})
    assert [r["RepoName"] for r in exact["RepoSet"]] == ["web", "db"]
    fuzzy = kcrs.describe_repository(InstanceId=registry, Namespace="team", RepoName="web")
    assert [r["RepoName"] for r in fuzzy["RepoSet"]] == ["web", "web-api"]
    kcrs.modify_namespace_type(InstanceId=registry, Namespace="team", Public=False)
    repos = kcrs.describe_repository(InstanceId=registry, Namespace="team")["RepoSet"]
    assert {r["Public"] for r in repos} == {False}


def test_repository_quota(emulator, kcrs, registry):
    emulator.admin("POST", "/__admin/settings", {"kcrs": {"repo_quota": 2}})
    push(emulator, registry, "team", "one", "v1")
    push(emulator, registry, "team", "two", "v1")
    push(emulator, registry, "team", "two", "v2")  # existing repository: no new quota use
    with pytest.raises(HTTPError) as exc:
        push(emulator, registry, "team", "three", "v1")
    assert exc.value.code == 400
    assert "QuotaExceeded" in exc.value.read().decode()
    usage = kcrs.describe_instance_usage(InstanceId=registry)
    assert (usage["RepoQuota"], usage["RepoUsage"]) == (2, 2)


def test_scan_goes_to_success_with_deterministic_findings(emulator, kcrs, registry):
    emulator.admin("POST", "/__admin/settings", {"delays": {"kcrs.scan": 30}})
    digest = push(emulator, registry, "team", "app", "v1",
                  digest="sha256:" + "ab" * 32)["ImageId"]
    args = {"InstanceId": registry, "Namespace": "team", "RepoName": "app", "ImageId": digest}
    with pytest.raises(ClientError) as exc:
        kcrs.describe_image_scan(**args)
    assert client_error(exc)[:2] == (404, "ImageScanNotFound")
    kcrs.start_image_scan(**args)
    running = kcrs.describe_image_scan(**args)
    assert (running["Status"], running["TotalCount"], running["VulnerabilitySet"]) == \
        ("Scanning", 0, [])
    advance(emulator, 31)
    done = kcrs.describe_image_scan(**args)
    assert done["Status"] == "Success"
    assert done["TotalCount"] == len(done["VulnerabilitySet"]) > 0
    assert set(done["Summary"]) == {"High", "Medium", "Low", "Negligible", "Unknown"}
    assert sum(done["Summary"].values()) == done["TotalCount"]
    finding = done["VulnerabilitySet"][0]
    assert {"CveLink", "Description", "Severity", "Feature", "CurrentVersion",
            "RepairedVersion"} <= set(finding)
    # the same digest in another repository gets the same report
    push(emulator, registry, "team", "copy", "v1", digest=digest)
    kcrs.start_image_scan(**dict(args, RepoName="copy"))
    advance(emulator, 31)
    again = kcrs.describe_image_scan(**dict(args, RepoName="copy"))
    assert again["VulnerabilitySet"] == done["VulnerabilitySet"]


def test_push_errors(emulator, kcrs, registry):
    for payload, status in (({"namespace": "missing"}, 404), ({"tag": "bad tag"}, 400),
                            ({"repository": "Upper"}, 400), ({"digest": "sha1:abc"}, 400)):
        body = {"instance_id": registry, "namespace": "team", "repository": "app", "tag": "v1"}
        body.update(payload)
        with pytest.raises(HTTPError) as exc:
            emulator.admin("POST", "/__admin/kcr/push", body)
        assert exc.value.code == status, payload
    emulator.admin("POST", "/__admin/settings", {"delays": {"kcrs.instance": 60}})
    kcrs.create_instance(InstanceName="still-creating", InstanceType="basic")
    for name, status in (("still-creating", 409), ("nope", 404)):
        with pytest.raises(HTTPError) as exc:
            emulator.admin("POST", "/__admin/kcr/push", {"instance_name": name, "namespace": "a",
                                                         "repository": "b", "tag": "c"})
        assert exc.value.code == status
