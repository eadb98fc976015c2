"""kcrs webhook triggers (per namespace) and their logs.

Trigger ids are integers counted across the account; listings are newest first. A name is
unique in its namespace (409 WebhookTriggerAlreadyExists) unless reading trigger_names is
"repeatable". `Header` is
answered as the string "k1:v1;k2:v2" (several values of one key joined by ","), or null.
The emulator sends no HTTP requests: a push or delete event records a log entry with
Status "Success" for every enabled trigger of the namespace that subscribes to the event.
Log entry fields besides Status (which the documentation shows) are the emulator's own.
Seed 000 lists no Marker/MaxResults in the request tables of the two listings, only in their
answers: under reading trigger_paging "refused" a listing that sends either answers 400
InvalidQueryParameter, and one without them lists the first 10 (the samples' MaxResults).
"""
from ..actions import action
from ..errors import conflict, invalid_parameter, invalid_query_parameter, missing_parameter
from ..util import fmt_time, paginate
from .common import (TRIGGER, TRIGGER_LOG, get_instance, get_namespace, listing, missing, namespace_key,
                     next_number, public)
from ...readings import reading

EVENT_TYPES = ("PushImage", "DeleteImage")
URL_PREFIXES = ("http://", "https://")


def _trigger_key(ns_key, trigger_id):
    return "%s#%d" % (ns_key, trigger_id)


def _view(doc):
    view = public(doc)
    headers = doc["_headers"]
    view["Header"] = ";".join("%s:%s" % (h["Key"], ",".join(h["Value"])) for h in headers) \
        if headers else None
    return view


def _event_types(params, required):
    values = params.string_list("Trigger.EventType")
    if not values:
        if required:
            raise missing_parameter("Trigger.EventType.1")
        return None
    for value in values:
        if value not in EVENT_TYPES:
            raise invalid_parameter("Trigger.EventType")
    return list(dict.fromkeys(values))


def _headers(params):
    """[{"Key", "Value": [...]}] from Trigger.Header.N.Key / .Value.M, or None if absent."""
    groups = params.indexed("Trigger.Header")
    if not groups:
        return None
    headers = []
    for index, group in groups.items():
        key = group.pop("Key", "")
        if not key:
            raise missing_parameter("Trigger.Header.%d.Key" % index)
        values = []
        for rest, value in sorted(group.items(), key=lambda item: _value_index(index, item[0])):
            values.append(value)
        if not values:
            raise missing_parameter("Trigger.Header.%d.Value.1" % index)
        headers.append({"Key": key, "Value": values})
    return headers


def _value_index(index, rest):
    name, _separator, number = rest.partition(".")
    if name != "Value" or not number.isdigit():
        raise invalid_parameter("Trigger.Header.%d.%s" % (index, rest))
    return int(number)


def _url(params, required):
    url = params.string("Trigger.TriggerUrl", required=required, max_len=1024)
    if url is not None and not url.startswith(URL_PREFIXES):
        raise invalid_parameter("Trigger.TriggerUrl")
    return url


def _refuse_paging(call):
    if reading(call.emu, "kcrs", "trigger_paging") != "refused":
        return
    for name in ("Marker", "MaxResults"):
        if name in call.params:
            raise invalid_query_parameter(name)


def _check_name_free(call, ns_key, name, own_id=None):
    if reading(call.emu, "kcrs", "trigger_names") == "repeatable":
        return
    for doc in call.store.list(TRIGGER, parent=ns_key, name=name):
        if doc["TriggerId"] != own_id:
            raise conflict("WebhookTriggerAlreadyExists",
                           "A trigger named %s already exists in this namespace." % name)


def _get_trigger(call, ns_key, name):
    trigger_id = call.params.integer(name, required=True, minimum=1)
    doc = call.store.get(TRIGGER, _trigger_key(ns_key, trigger_id))
    if doc is None:
        raise missing(call, "WebhookTriggerNotFound", name,
                      "The trigger %d does not exist." % trigger_id)
    return doc


@action("kcrs", "CreateWebhookTrigger", request_id_key="requestId")
def create_webhook_trigger(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    params = call.params
    ns_key = namespace_key(instance["InstanceId"], namespace["Namespace"])
    name = params.string("Trigger.TriggerName", required=True, max_len=64)
    events = _event_types(params, required=True)
    url = _url(params, required=True)
    headers = _headers(params) or []
    enabled = params.boolean("Trigger.Enabled", default=True)
    _check_name_free(call, ns_key, name)
    trigger_id = next_number(call.store, "trigger")
    now = fmt_time(call.now)
    doc = {"TriggerId": trigger_id, "TriggerName": name, "EventType": events, "TriggerUrl": url,
           "Enabled": enabled, "CreateTime": now, "UpdateTime": now, "_headers": headers}
    call.store.insert(TRIGGER, _trigger_key(ns_key, trigger_id), doc, parent=ns_key, name=name)
    return {"triggerId": trigger_id}


@action("kcrs", "DescribeWebhookTrigger")
@listing("TriggerSet", default_size=10)
def describe_webhook_trigger(call):
    _refuse_paging(call)
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    ns_key = namespace_key(instance["InstanceId"], namespace["Namespace"])
    wanted = call.params.integer("TriggerId", minimum=1)
    triggers = [_view(doc) for doc in reversed(call.store.list(TRIGGER, parent=ns_key))
                if wanted is None or doc["TriggerId"] == wanted]
    page, echo = paginate(call, triggers, default_size=10)
    return {"TotalCount": echo["TotalCount"], "Marker": echo["Marker"],
            "MaxResults": echo["MaxResults"], "TriggerSet": page}


@action("kcrs", "ModifyWebhookTrigger")
def modify_webhook_trigger(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    params = call.params
    ns_key = namespace_key(instance["InstanceId"], namespace["Namespace"])
    doc = _get_trigger(call, ns_key, "Trigger.TriggerId")
    name = params.string("Trigger.TriggerName", max_len=64)
    if name is not None:
        _check_name_free(call, ns_key, name, own_id=doc["TriggerId"])
        doc["TriggerName"] = name
    events = _event_types(params, required=False)
    if events is not None:
        doc["EventType"] = events
    url = _url(params, required=False)
    if url is not None:
        doc["TriggerUrl"] = url
    headers = _headers(params)
    if headers is not None:
        doc["_headers"] = headers
    enabled = params.boolean("Trigger.Enabled")
    if enabled is not None:
        doc["Enabled"] = enabled
    doc["UpdateTime"] = fmt_time(call.now)
    call.store.update(TRIGGER, _trigger_key(ns_key, doc["TriggerId"]), doc,
                      name=doc["TriggerName"])
    return {}


@action("kcrs", "DeleteWebhookTrigger")
def delete_webhook_trigger(call):
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    ns_key = namespace_key(instance["InstanceId"], namespace["Namespace"])
    doc = _get_trigger(call, ns_key, "TriggerId")
    key = _trigger_key(ns_key, doc["TriggerId"])
    call.store.delete_all(TRIGGER_LOG, parent=key)
    call.store.delete(TRIGGER, key)
    return {}


@action("kcrs", "DescribeWebhookTriggerLog")
@listing("Logs", default_size=10)
def describe_webhook_trigger_log(call):
    _refuse_paging(call)
    instance = get_instance(call)
    namespace = get_namespace(call, instance)
    ns_key = namespace_key(instance["InstanceId"], namespace["Namespace"])
    doc = _get_trigger(call, ns_key, "TriggerId")
    logs = list(reversed(call.store.list(TRIGGER_LOG,
                                         parent=_trigger_key(ns_key, doc["TriggerId"]))))
    page, echo = paginate(call, logs, default_size=10)
    return {"MaxResults": echo["MaxResults"], "Marker": echo["Marker"],
            "TotalCount": echo["TotalCount"], "Logs": page}


def record_event(emu, instance_id, namespace, event_type, repo, tag, digest):
    """Log `event_type` for every enabled trigger of the namespace subscribed to it."""
    store = emu.store
    ns_key = namespace_key(instance_id, namespace)
    for trigger in store.list(TRIGGER, parent=ns_key):
        if not trigger["Enabled"] or event_type not in trigger["EventType"]:
            continue
        key = _trigger_key(ns_key, trigger["TriggerId"])
        number = next_number(store, "trigger_log")
        store.insert(TRIGGER_LOG, "%s#%d" % (key, number), {
            "LogId": number, "TriggerId": trigger["TriggerId"], "EventType": event_type,
            "Status": "Success", "TriggerUrl": trigger["TriggerUrl"], "Namespace": namespace,
            "RepoName": repo, "Tag": tag, "ImageId": digest, "CreateTime": fmt_time(emu.now()),
        }, parent=key)
