"""Lookups and bookkeeping shared by the kcrs handlers.

Store layout (kind: id; parent; name):
  kcrs.instance:  InstanceId; ""; InstanceName
  kcrs.token:     TokenId; InstanceId
  kcrs.endpoint:  "<InstanceId>/<VpcId>"; InstanceId
  kcrs.namespace: "<InstanceId>/<ns>"; InstanceId; ns
  kcrs.repo:      "<InstanceId>/<ns>/<repo>"; "<InstanceId>/<ns>"; repo
  kcrs.image:     "<repo key>@<digest>"; repo key; digest
  kcrs.trigger:   "<InstanceId>/<ns>#<TriggerId>"; "<InstanceId>/<ns>"; TriggerName
  kcrs.trigger_log: "<trigger key>#<n>"; trigger key
Status changes that take time (instances, endpoints, DNS, scans) carry the epoch second at which
they complete and are applied when the resource is next read.
"""
import functools

from ..errors import KsyunError, incorrect_status, invalid_parameter
from ..util import page_args
from ...readings import reading

INSTANCE = "kcrs.instance"
TOKEN = "kcrs.token"
ENDPOINT = "kcrs.endpoint"
NAMESPACE = "kcrs.namespace"
REPO = "kcrs.repo"
IMAGE = "kcrs.image"
TRIGGER = "kcrs.trigger"
TRIGGER_LOG = "kcrs.trigger_log"
SEQUENCE = "kcrs.sequence"


class ResourceMissing(KsyunError):
    """The answer for a resource that does not exist, as the `not_found` reading spells it."""


def missing(call, code, parameter, message):
    """A missing resource named by request parameter `parameter`: 404 with our own `code` under
    reading A, 400 InvalidParameterValue (the common code) under the others."""
    if reading(call.emu, "kcrs", "not_found") == "codes":
        return ResourceMissing(404, code, message)
    common = invalid_parameter(parameter)
    return ResourceMissing(common.status, common.code, common.message)


def listing(result_key, default_size=20):
    """Marks a listing action: under reading not_found=empty, a missing parent (instance,
    namespace, repository, trigger) answers an empty page instead of an error."""
    def wrap(handler):
        @functools.wraps(handler)
        def run(call):
            try:
                return handler(call)
            except ResourceMissing:
                if reading(call.emu, "kcrs", "not_found") != "empty":
                    raise
                marker, size = page_args(call, default_size)
                return {"TotalCount": 0, "Marker": marker, "MaxResults": size, result_key: []}
        return run
    return wrap


def public(doc):
    """The API view of a stored document: internal keys start with '_'."""
    return {key: value for key, value in doc.items() if not key.startswith("_")}


def next_number(store, name):
    """The next value of a named counter (1, 2, ...), kept in the store."""
    doc = store.get(SEQUENCE, name)
    if doc is None:
        doc = {"next": 1}
        store.insert(SEQUENCE, name, doc)
    number = doc["next"]
    doc["next"] = number + 1
    store.update(SEQUENCE, name, doc)
    return number


def refresh_instance(store, doc, now):
    """Apply a due status change; returns the document, or None once a deletion completed."""
    status = doc["InstanceStatus"]
    if status == "Creating" and now >= doc["_ready_at"]:
        doc["InstanceStatus"] = doc.get("_outcome") or "Running"
        store.update(INSTANCE, doc["InstanceId"], doc)
    elif status == "Deleting" and now >= doc["_gone_at"]:
        purge_instance(store, doc["InstanceId"])
        return None
    return doc


def purge_instance(store, instance_id):
    for namespace in store.list(NAMESPACE, parent=instance_id):
        purge_namespace(store, instance_id, namespace["Namespace"])
    store.delete_all(TOKEN, parent=instance_id)
    store.delete_all(ENDPOINT, parent=instance_id)
    store.delete(INSTANCE, instance_id)


def purge_namespace(store, instance_id, namespace):
    ns_key = namespace_key(instance_id, namespace)
    for repo in store.list(REPO, parent=ns_key):
        repo_key = "%s/%s" % (ns_key, repo["RepoName"])
        store.delete_all(IMAGE, parent=repo_key)
        store.delete(REPO, repo_key)
    for trigger in store.list(TRIGGER, parent=ns_key):
        trigger_key = "%s#%d" % (ns_key, trigger["TriggerId"])
        store.delete_all(TRIGGER_LOG, parent=trigger_key)
        store.delete(TRIGGER, trigger_key)
    store.delete(NAMESPACE, ns_key)


def namespace_key(instance_id, namespace):
    return "%s/%s" % (instance_id, namespace)


def repo_key(instance_id, namespace, repo):
    return "%s/%s/%s" % (instance_id, namespace, repo)


def find_instance(store, region, instance_id, now):
    doc = store.get(INSTANCE, instance_id)
    if doc is None or doc["_region"] != region:
        return None
    return refresh_instance(store, doc, now)


def get_instance(call, name="InstanceId"):
    """The instance named by the request parameter `name` (required)."""
    instance_id = call.params.string(name, required=True)
    doc = find_instance(call.store, call.region, instance_id, call.now)
    if doc is None:
        raise missing(call, reading(call.emu, "kcrs", "instance_not_found_code"), name,
                      "The instance %s does not exist." % instance_id)
    return doc


def running_instance(call, name="InstanceId"):
    doc = get_instance(call, name)
    if doc["InstanceStatus"] != "Running":
        raise incorrect_status("instance", doc["InstanceId"], doc["InstanceStatus"], "Running")
    return doc


def get_namespace(call, instance, name="Namespace"):
    namespace = call.params.string(name, required=True)
    doc = call.store.get(NAMESPACE, namespace_key(instance["InstanceId"], namespace))
    if doc is None:
        raise missing(call, "NamespaceNotFound", name,
                      "The namespace %s does not exist in instance %s."
                      % (namespace, instance["InstanceId"]))
    return doc


def get_repo(call, instance, namespace, name="RepoName"):
    repo = call.params.string(name, required=True)
    doc = call.store.get(REPO, repo_key(instance["InstanceId"], namespace["Namespace"], repo))
    if doc is None:
        raise missing(call, "RepositoryNotFound", name, "The repository %s/%s does not exist."
                      % (namespace["Namespace"], repo))
    return doc


def repo_usage(store, instance_id):
    return sum(ns["RepoCount"] for ns in store.list(NAMESPACE, parent=instance_id))


def quota(emu, name):
    return int(emu.settings.get("kcrs", {}).get(name, 0))
