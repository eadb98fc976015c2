"""kcrs images and tags: DescribeImages, DeleteImages, DeleteRepoTag, and the push hook.

An image is one digest in a repository with its tags. Our choices: pushing a tag that another
image carries moves the tag; an image left without tags (by DeleteRepoTag or by a tag moving
away) is removed, so DescribeImages lists tagged versions only; listings are newest first.
"""
import hashlib
import re

from ..actions import action
from ..errors import invalid_parameter, not_found, quota_exceeded
from ..util import fmt_time, paginate
from .common import (IMAGE, NAMESPACE, REPO, get_instance, get_namespace, get_repo, listing, missing,
                     namespace_key, next_number, public, quota, repo_key, repo_usage)
from .webhooks import record_event

REPO_NAME = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
TAG_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
DIGEST = r"sha256:[0-9a-f]{64}"


def view(doc):
    result = public(doc)
    return {"ImageId": result["ImageId"], "Size": result["Size"],
            "CreateTime": result["CreateTime"], "TagNames": result["TagNames"]}


def _untag(store, key, doc, tag):
    doc["TagNames"] = [name for name in doc["TagNames"] if name != tag]
    if doc["TagNames"]:
        store.update(IMAGE, key, doc)
    else:
        store.delete(IMAGE, key)


def _image_with_tag(store, rkey, tag):
    for doc in store.list(IMAGE, parent=rkey):
        if tag in doc["TagNames"]:
            return doc
    return None


def push(emu, instance, namespace_name, repo, tag, size=None, digest=None):
    """Do what `docker push <domain>/<namespace>/<repo>:<tag>` does; returns the image.

    Raises KsyunError (NamespaceNotFound, QuotaExceeded, InvalidParameterValue).
    """
    store = emu.store
    instance_id = instance["InstanceId"]
    if not re.fullmatch(REPO_NAME, repo or "") or len(repo) > 128:
        raise invalid_parameter("repository")
    if not re.fullmatch(TAG_NAME, tag or ""):
        raise invalid_parameter("tag")
    if digest is not None and not re.fullmatch(DIGEST, digest):
        raise invalid_parameter("digest")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise invalid_parameter("size")
    ns_key = namespace_key(instance_id, namespace_name)
    namespace = store.get(NAMESPACE, ns_key)
    if namespace is None:
        raise not_found("NamespaceNotFound", "The namespace %s does not exist in instance %s."
                        % (namespace_name, instance_id))
    now = emu.now()
    rkey = repo_key(instance_id, namespace_name, repo)
    repository = store.get(REPO, rkey)
    created = repository is None
    if created:
        limit = quota(emu, "repo_quota")
        if repo_usage(store, instance_id) >= limit:
            raise quota_exceeded("The instance %s already has %d repositories, its quota."
                                 % (instance_id, limit))
        repository = {"RepoName": repo, "Desc": None, "CreateTime": fmt_time(now),
                      "UpdateTime": fmt_time(now)}
        store.insert(REPO, rkey, repository, parent=ns_key, name=repo)
        namespace["RepoCount"] += 1
        store.update(NAMESPACE, ns_key, namespace)
    if digest is None:
        number = next_number(store, "push")
        digest = "sha256:" + hashlib.sha256(("%s/%s:%s#%d" % (namespace_name, repo, tag, number))
                                            .encode()).hexdigest()
    if size is None:
        size = 2 * 1024 * 1024 + int(digest[7:15], 16) % (200 * 1024 * 1024)
    ikey = "%s@%s" % (rkey, digest)
    previous = _image_with_tag(store, rkey, tag)
    if previous is not None and previous["ImageId"] != digest:
        _untag(store, "%s@%s" % (rkey, previous["ImageId"]), previous, tag)
    image = store.get(IMAGE, ikey)
    if image is None:
        image = {"ImageId": digest, "Size": size, "CreateTime": fmt_time(now), "TagNames": [tag],
                 "_scan": None}
        store.insert(IMAGE, ikey, image, parent=rkey, name=digest)
    elif tag not in image["TagNames"]:
        image["TagNames"].append(tag)
        store.update(IMAGE, ikey, image)
    repository["UpdateTime"] = fmt_time(now)
    store.update(REPO, rkey, repository)
    record_event(emu, instance_id, namespace_name, "PushImage", repo, tag, digest)
    return {"InstanceId": instance_id, "Namespace": namespace_name, "RepoName": repo,
            "Tag": tag, "ImageId": digest, "Size": image["Size"],
            "RepositoryCreated": created}


def get_image(call, repo_doc, instance, namespace):
    digest = call.params.string("ImageId", required=True)
    rkey = repo_key(instance["InstanceId"], namespace["Namespace"], repo_doc["RepoName"])
    doc = call.store.get(IMAGE, "%s@%s" % (rkey, digest))
    if doc is None:
        raise missing(call, "ImageNotFound", "ImageId", "The image %s does not exist in %s/%s."
                      % (digest, namespace["Namespace"], repo_doc["RepoName"]))
    return "%s@%s" % (rkey, digest), doc


@action("kcrs", "DescribeImages")
@listing("ImageSet")
def describe_images(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    repo = get_repo(call, instance, namespace)
    digest = call.params.string("ImageId")
    rkey = repo_key(instance["InstanceId"], namespace["Namespace"], repo["RepoName"])
    images = [view(doc) for doc in reversed(call.store.list(IMAGE, parent=rkey))
              if digest is None or doc["ImageId"] == digest]
    page, echo = paginate(call, images)
    return {"MaxResults": echo["MaxResults"], "Marker": echo["Marker"],
            "TotalCount": echo["TotalCount"], "ImageSet": page}


@action("kcrs", "DeleteImages")
def delete_images(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    repo = get_repo(call, instance, namespace)
    key, doc = get_image(call, repo, instance, namespace)
    call.store.delete(IMAGE, key)
    record_event(call.emu, instance["InstanceId"], namespace["Namespace"], "DeleteImage",
                 repo["RepoName"], None, doc["ImageId"])
    return {}


@action("kcrs", "DeleteRepoTag")
def delete_repo_tag(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    repo = get_repo(call, instance, namespace)
    tag = call.params.string("TagName", required=True)
    rkey = repo_key(instance["InstanceId"], namespace["Namespace"], repo["RepoName"])
    doc = _image_with_tag(call.store, rkey, tag)
    if doc is None:
        raise missing(call, "TagNotFound", "TagName", "The tag %s does not exist in %s/%s."
                      % (tag, namespace["Namespace"], repo["RepoName"]))
    _untag(call.store, "%s@%s" % (rkey, doc["ImageId"]), doc, tag)
    record_event(call.emu, instance["InstanceId"], namespace["Namespace"], "DeleteImage",
                 repo["RepoName"], tag, doc["ImageId"])
    return {}
