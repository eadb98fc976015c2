# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR webhook triggers: input rules, the header format, the calls (DescribeWebhookTrigger,
DescribeWebhookTriggerLog, CreateWebhookTrigger, ModifyWebhookTrigger, DeleteWebhookTrigger; all in
one namespace, ``instance`` a ``common.KcrInstanceRef``), and results (kcr_webhook,
kcr_webhook_info).

Header values often carry credentials (``Authorization: Bearer ...``) and the registry cannot tell
which do, so no result or diff shows any value: a header appears as its name with the value
``********``. (kcr_webhook takes secrets in a separate ``no_log`` option: ansible-core masks a
no_log value wherever it appears in the output, which would mangle results if ordinary short
values such as ``kcr`` were no_log too.) The API sends headers as
``Trigger.Header.N.Key`` / ``Trigger.Header.N.Value.M`` and answers them as one string,
``"k1:v1;k2:v2,v3"`` (null when there are none); values are compared in that form, which is why a
value may not contain ``;``.

A trigger URL may carry a secret too (``?token=...``, ``https://user:password@host``): results,
diffs and errors show it with every query value and the password masked, key names kept
(``masked_url``); idempotence compares the real URLs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import urlsplit

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import PartialListing, kcr_bool
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import (
    call_in_namespace,
    paginate_in_namespace,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils import validation
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule, printable_name

EVENT_TYPES = ("PushImage", "DeleteImage")
TRIGGER_NAME_MAX = 64
URL_MAX = 1024
HIDDEN = "********"
HIDDEN_CHANGED = "******** (changed)"

# RFC 9110 field-name (token) characters.
HEADER_NAME = NameRule("HTTP header", r"[!#$%&'*+.^_`|~0-9A-Za-z-]+",
                       "letters, digits and !#$%&'*+.^_`|~- (an RFC 9110 token)")
# Not documented: printable text, as the emulator takes, without spaces at either end.
TRIGGER_NAME = printable_name("KCR webhook trigger", TRIGGER_NAME_MAX)
_BAD_VALUE_CHARS = re.compile(r"[;\r\n]")


def check_url(option, value):
    validation.check_url(option, value, schemes=("http", "https"), max_length=URL_MAX, masked=masked_url)


def check_secret_headers_scheme(url, secret_headers, allow_insecure):
    """Refuse sending ``secret_headers`` in clear text to an ``http://`` URL unless allowed."""
    scheme = urlsplit(url or "").scheme.lower()
    if secret_headers and scheme == "http" and not allow_insecure:
        raise ModuleFailure("secret_headers: would be sent in clear text, as the url's scheme is %r; give an https:// "
                            "url, or set allow_insecure_webhook=true to send them anyway" % scheme)


def _query_values(query):
    """{raw key: [raw values]} of a query string."""
    values = {}
    for pair in query.split("&"):
        key, _sep, value = pair.partition("=")
        values.setdefault(key, []).append(value)
    return values


def masked_url(url, previous=None):
    """``url`` as results show it: every non-empty query value and a password masked, key names
    kept. Against ``previous`` (the trigger's URL, when it exists) a key whose values changed is
    marked as changed."""
    if not url:
        return url
    before, _sep, fragment = url.partition("#")
    base, question, query = before.partition("?")
    if query:
        old = _query_values(urlsplit(previous).query) if previous is not None else None
        new = _query_values(query)
        pairs = []
        for pair in query.split("&"):
            key, equals, value = pair.partition("=")
            changed = old is not None and old.get(key) != new[key]
            pairs.append(key + equals + ((HIDDEN_CHANGED if changed else HIDDEN) if value else ""))
        query = "&".join(pairs)
    scheme, slashes, rest = base.partition("//")
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if ":" in userinfo:
        authority = userinfo.partition(":")[0] + ":" + HIDDEN + at + host
    masked = scheme + slashes + authority + slash + path + question + query
    return masked + "#" + fragment if fragment else masked


def normalise_headers(option, headers):
    """{name: [values]} from the option's {name: value or [values]}; errors never show a value."""
    if headers is None:
        return None
    result = {}
    for name, value in headers.items():
        HEADER_NAME.check(option, name)
        values = value if isinstance(value, list) else [value]
        if not values:
            raise ModuleFailure("%s: header %s has no value" % (option, name))
        texts = []
        for item in values:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise ModuleFailure("%s: the value of header %s must be a string or a list of strings" % (option, name))
            text = str(item)
            if not text:
                raise ModuleFailure("%s: header %s has an empty value" % (option, name))
            if _BAD_VALUE_CHARS.search(text):
                raise ModuleFailure("%s: the value of header %s contains ';' or a line break, which the registry "
                                    "cannot report back unambiguously" % (option, name))
            texts.append(text)
        result[name] = texts
    return result


def merge_headers(plain, secret):
    """One {name: [values]} from the normalised headers and secret_headers, None if both are omitted."""
    if plain is None and secret is None:
        return None
    merged = dict(plain or {})
    for name, values in (secret or {}).items():
        if name in merged:
            raise ModuleFailure("secret_headers: header %s is also in headers; give each header once" % name)
        merged[name] = values
    return merged


def header_params(headers):
    """The Trigger.Header list for the API from normalised headers."""
    return [{"Key": name, "Value": values} for name, values in headers.items()]


def secret_values(headers):
    return [value for values in (headers or {}).values() for value in values]


def api_header_values(api_header):
    """{name: "v1,v2"} from the answer's Header ("k1:v1;k2:v2,v3", a list of {Key, Value}, or null)."""
    if not api_header:
        return {}
    if isinstance(api_header, list):
        values = {}
        for entry in api_header:
            value = entry.get("Value")
            values[entry.get("Key")] = ",".join(value) if isinstance(value, list) else str(value)
        return values
    values = {}
    for part in str(api_header).split(";"):
        if part:
            name, _sep, value = part.partition(":")
            values[name] = value
    return values


def masked_headers(api_header):
    return dict((name, HIDDEN) for name in api_header_values(api_header))


def desired_masked_headers(headers, current):
    """The desired headers as results show them; against ``current`` ({name: "v1,v2"} of an existing
    trigger, None when it is to be created) a changed or added value is marked as such."""
    masked = {}
    for name, values in headers.items():
        same = current is None or current.get(name) == ",".join(values)
        masked[name] = HIDDEN if same else HIDDEN_CHANGED
    return masked


def list_triggers(instance, namespace, trigger_id=None, missing_ok=False, confirm_empty=False):
    """The namespace's DescribeWebhookTrigger entries ({TriggerId, TriggerName, EventType,
    TriggerUrl, Header, Enabled, CreateTime, UpdateTime}), only ``trigger_id`` if given. A missing
    namespace: as ``namespaces.paginate_in_namespace`` (None with ``missing_ok``).

    A partial listing (a service that refuses the paging parameters and lists fewer than its
    TotalCount) fails: a trigger looked for by name there might exist unseen and be created twice."""
    try:
        return paginate_in_namespace(instance, namespace, "DescribeWebhookTrigger", {"TriggerId": trigger_id},
                                     "TriggerSet", missing_ok=missing_ok, confirm_empty=confirm_empty)
    except PartialListing as exc:
        raise ModuleFailure("namespace %s: %s; a trigger cannot be looked for among them (it might be created "
                            "twice): keep the namespace at %d triggers or fewer" % (namespace, exc.msg, len(exc.items)))


def find_trigger(instance, namespace, name, missing_ok=False):
    """The DescribeWebhookTrigger entry named ``name``, or None (also for a missing namespace with
    ``missing_ok``); more than one of that name fails."""
    triggers = list_triggers(instance, namespace, missing_ok=missing_ok)
    matches = [t for t in triggers or [] if t.get("TriggerName") == name]
    if len(matches) > 1:
        raise ModuleFailure("name: %d triggers of namespace %s are named %r (ids %s)"
                            % (len(matches), namespace, name, ", ".join(str(t.get("TriggerId")) for t in matches)))
    return matches[0] if matches else None


def trigger_logs(instance, namespace, trigger_id):
    """The DescribeWebhookTriggerLog entries of one trigger (deliveries, as the registry words them).

    Logs are history that decides no write: a partial listing (see ``list_triggers``) gives the
    entries it has, with a warning."""
    try:
        return paginate_in_namespace(instance, namespace, "DescribeWebhookTriggerLog", {"TriggerId": trigger_id},
                                     "Logs")
    except PartialListing as exc:
        instance.module.warn("trigger %s of namespace %s: %s; only those are returned" % (trigger_id, namespace,
                                                                                          exc.msg))
        return exc.items


def trigger_params(name, event_types, url, enabled, headers=None, trigger_id=None):
    """The ``Trigger`` parameter of the create and modify calls; ``headers`` normalised ({name:
    [values]}), None to leave them out."""
    return {"TriggerName": name, "EventType": event_types, "TriggerUrl": url, "Enabled": enabled,
            "TriggerId": trigger_id, "Header": header_params(headers) if headers else None}


def create_trigger(instance, namespace, trigger):
    """CreateWebhookTrigger (``trigger`` from ``trigger_params``): the new trigger's id from the
    answer (``triggerId`` in seed 000's sample), or None. A missing namespace fails with
    ``namespaces.namespace_not_found``."""
    answer = call_in_namespace(instance, namespace, "CreateWebhookTrigger", {"Trigger": trigger})
    return answer.get("triggerId", answer.get("TriggerId"))


def read_trigger(instance, namespace, trigger_id):
    """The DescribeWebhookTrigger entry of ``trigger_id`` (the documented TriggerId filter, so a
    namespace of more triggers than one answer holds is not listed), or None."""
    for trigger in list_triggers(instance, namespace, trigger_id=trigger_id) or []:
        if str(trigger.get("TriggerId")) == str(trigger_id):
            return trigger
    return None


def modify_trigger(instance, namespace, trigger):
    """ModifyWebhookTrigger (``trigger`` from ``trigger_params``, with its TriggerId); the answer is
    not used."""
    instance.call("ModifyWebhookTrigger", {"Namespace": namespace, "Trigger": trigger})


def delete_trigger(instance, namespace, trigger_id):
    """DeleteWebhookTrigger; the answer is not used."""
    instance.call("DeleteWebhookTrigger", {"Namespace": namespace, "TriggerId": trigger_id})


def webhook_result(instance_id, namespace, api_object, logs=None):
    """A DescribeWebhookTrigger entry as kcr_webhook and kcr_webhook_info return it (header values
    masked); ``logs`` are DescribeWebhookTriggerLog entries, or None when not read."""
    trigger_id = api_object.get("TriggerId")
    result = {
        "instance_id": instance_id,
        "namespace": namespace,
        "trigger_id": None if trigger_id is None else int(trigger_id),  # XML answers carry strings
        "name": api_object.get("TriggerName"),
        "event_types": list(api_object.get("EventType") or []),
        "url": masked_url(api_object.get("TriggerUrl")),
        "headers": masked_headers(api_object.get("Header")),
        "enabled": kcr_bool(api_object.get("Enabled")),
        "create_time": api_object.get("CreateTime"),
        "update_time": api_object.get("UpdateTime"),
    }
    if logs is not None:
        result["logs"] = [camel_dict_to_snake_dict(entry) for entry in logs]
    return result
