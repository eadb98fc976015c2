"""kcrs repositories: DescribeRepository, ModifyRepoDesc, DeleteRepository.

No action creates a repository: a push does (see images.push). `Public` is the namespace's.
`RepoName.N` selects exact names; a plain `RepoName` filters by substring.
"""
from ..actions import action
from ..util import fmt_time, paginate
from .common import (IMAGE, NAMESPACE, REPO, get_instance, get_namespace, get_repo, listing,
                     namespace_key, repo_key)
from .webhooks import record_event


def view(doc, namespace):
    return {"RepoName": doc["RepoName"], "Public": namespace["Public"],
            "CreateTime": doc["CreateTime"], "UpdateTime": doc["UpdateTime"], "Desc": doc["Desc"]}


@action("kcrs", "DescribeRepository")
@listing("RepoSet")
def describe_repository(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    names = call.params.string_list("RepoName")
    contains = call.params.string("RepoName")
    ns_key = namespace_key(instance["InstanceId"], namespace["Namespace"])
    repos = [view(doc, namespace) for doc in call.store.list(REPO, parent=ns_key)
             if (not names or doc["RepoName"] in names)
             and (contains is None or contains in doc["RepoName"])]
    page, echo = paginate(call, repos)
    return {"MaxResults": echo["MaxResults"], "Marker": echo["Marker"],
            "TotalCount": echo["TotalCount"], "RepoSet": page}


@action("kcrs", "ModifyRepoDesc")
def modify_repo_desc(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    doc = get_repo(call, instance, namespace)
    desc = call.params.string("Desc", required=True, max_len=256, allow_empty=True)
    doc["Desc"] = desc
    doc["UpdateTime"] = fmt_time(call.now)
    call.store.update(REPO, repo_key(instance["InstanceId"], namespace["Namespace"],
                                     doc["RepoName"]), doc)
    return {}


@action("kcrs", "DeleteRepository")
def delete_repository(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    doc = get_repo(call, instance, namespace)
    remove_repository(call.emu, instance["InstanceId"], namespace, doc["RepoName"])
    record_event(call.emu, instance["InstanceId"], namespace["Namespace"], "DeleteImage",
                 doc["RepoName"], None, None)
    return {}


def remove_repository(emu, instance_id, namespace, repo):
    store = emu.store
    key = repo_key(instance_id, namespace["Namespace"], repo)
    store.delete_all(IMAGE, parent=key)
    store.delete(REPO, key)
    namespace["RepoCount"] -= 1
    store.update(NAMESPACE, namespace_key(instance_id, namespace["Namespace"]), namespace)
