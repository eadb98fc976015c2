#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_webhook
short_description: Manage webhook triggers of a KSYUN container registry (KCR) namespace
version_added: 0.1.0
description:
  - Create, change and delete a webhook trigger of a namespace in a KCR registry instance. The
    registry calls the trigger's URL when an image is pushed to or deleted from the namespace.
  - A trigger is identified by its O(name) within the namespace.
  - An idempotent run costs one DescribeWebhookTrigger call (plus one DescribeInstance call when
    the instance is given by name).
options:
  namespace:
    description:
      - Name of the namespace whose events trigger the webhook; it must exist (see
        M(cloudops.multicloud.kcr_namespace)).
    type: str
    required: true
  name:
    description:
      - Name of the trigger, unique within the namespace; 1 to 64 characters, no control
        characters, no space at either end.
    type: str
    required: true
    aliases: [trigger_name]
  event_types:
    description:
      - The events that call the URL. Compared as a set.
      - Required when O(state=present).
    type: list
    elements: str
    choices: [PushImage, DeleteImage]
  url:
    description:
      - The URL the registry sends the event to, C(http://) or C(https://) with a host; at most
        1024 characters, without spaces or control characters.
      - Required when O(state=present).
      - Results, diffs and errors show it with the value of every query parameter and a password
        masked as V(********) (key names kept; V(******** (changed)) where the task changes a
        value), so a token in it stays out of the output; the whole URL is sent and compared.
    type: str
  headers:
    description:
      - Extra HTTP headers sent with every call whose values are not secret, as a mapping of
        header name to value (or to a list of values), for example C(X-Source).
      - Put credentials such as C(Authorization) into O(secret_headers) instead.
      - A value may not contain V(;) or a line break (the registry reports headers back as
        C(name:value;name:value), so such a value could not be compared).
      - When O(headers) and O(secret_headers) are both omitted, the trigger's headers are left as
        they are. When either is given, the two together replace all headers of the trigger.
      - The API cannot remove every header of a trigger in place, so giving only empty mappings for
        a trigger that has headers fails; delete the trigger and create it again.
      - Results and diffs show every header by name only, with the value V(********), or
        V(******** (changed)) where the task changes it, whichever option it came from (the
        registry does not know which values are secret).
    type: dict
  secret_headers:
    description:
      - Extra HTTP headers whose values are secrets, such as C(Authorization), as for O(headers).
      - These values are C(no_log), so Ansible keeps them out of its output and logs; it does so by
        masking any text in the output that equals a value, so a secret value should not be a
        short common word. Errors never show them either.
      - A header name may appear in only one of O(headers) and O(secret_headers).
      - Refused with an C(http://) O(url), where anyone on the way could read them, unless
        O(allow_insecure_webhook=true).
    type: dict
  allow_insecure_webhook:
    description:
      - Send O(secret_headers) to an C(http://) O(url) anyway. The registry then sends the secret
        values in clear text over the network with every event.
    type: bool
    default: false
  enabled:
    description:
      - Whether the trigger is active.
      - When a trigger is created and O(enabled) is not given, it is enabled.
      - When omitted for an existing trigger, its status is left as it is.
    type: bool
  state:
    description:
      - V(present) creates or changes the trigger; V(absent) deletes it (a missing namespace counts
        as an absent trigger).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: Header values are shown masked.
notes:
  - Check mode makes no write call and reports the trigger as it would be.
seealso:
  - module: cloudops.multicloud.kcr_webhook_info
  - module: cloudops.multicloud.kcr_namespace
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Tell the deployment service about every new image
  cloudops.multicloud.kcr_webhook:
    instance_name: prod-registry
    namespace: apps
    name: deploy-on-push
    event_types: [PushImage]
    url: https://deploy.example.com/hooks/kcr
    headers:
      X-Source: kcr-prod
    secret_headers:
      Authorization: "Bearer {{ deploy_hook_token }}"

- name: Pause it
  cloudops.multicloud.kcr_webhook:
    instance_name: prod-registry
    namespace: apps
    name: deploy-on-push
    event_types: [PushImage]
    url: https://deploy.example.com/hooks/kcr
    enabled: false

- name: Remove it
  cloudops.multicloud.kcr_webhook:
    instance_name: prod-registry
    namespace: apps
    name: deploy-on-push
    state: absent
"""

RETURN = r"""
webhook:
  description:
    - The trigger after the task; empty after O(state=absent).
    - In check mode, or after a change, the trigger as the task left it (RV(webhook.update_time) is
      not read again).
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    namespace:
      description: Name of the namespace.
      type: str
      sample: apps
    trigger_id:
      description: ID of the trigger (null in check mode for a trigger to be created).
      type: int
      sample: 7
    name:
      description: Name of the trigger.
      type: str
      sample: deploy-on-push
    event_types:
      description: The events that call the URL.
      type: list
      elements: str
      sample: [PushImage]
    url:
      description: The URL called.
      type: str
      sample: https://deploy.example.com/hooks/kcr
    headers:
      description: The extra headers by name; every value is masked.
      type: dict
      sample: {"Authorization": "********", "X-Source": "********"}
    enabled:
      description: Whether the trigger is active.
      type: bool
      sample: true
    create_time:
      description: When the trigger was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-27 20:42:37"
    update_time:
      description: When the trigger was last changed.
      type: str
      sample: "2022-06-27 20:42:37"
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import NAMESPACE_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.webhooks import (
    EVENT_TYPES,
    TRIGGER_NAME,
    api_header_values,
    check_secret_headers_scheme,
    check_url,
    create_trigger,
    delete_trigger,
    desired_masked_headers,
    find_trigger,
    masked_url,
    merge_headers,
    modify_trigger,
    normalise_headers,
    read_trigger,
    secret_values,
    trigger_params,
    webhook_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule


class KcrWebhook(InstanceScoped, StatefulModule):
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        name=dict(type="str", required=True, aliases=["trigger_name"]),
        event_types=dict(type="list", elements="str", choices=list(EVENT_TYPES)),
        url=dict(type="str"),
        headers=dict(type="dict"),
        secret_headers=dict(type="dict", no_log=True),
        allow_insecure_webhook=dict(type="bool", default=False),
        enabled=dict(type="bool"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("state", "present", ["event_types", "url"])])
    result_key = "webhook"
    updatable = {"event_types": "event_types", "url": "url", "headers": "headers", "enabled": "enabled"}

    def __init__(self):
        super(KcrWebhook, self).__init__()
        self.headers = None
        self.current = None

    def validate(self):
        NAMESPACE_NAME.check("namespace", self.params["namespace"])
        TRIGGER_NAME.check("name", self.params["name"])
        check_url("url", self.params["url"])
        if self.params["event_types"] is not None and not self.params["event_types"]:
            raise ModuleFailure("event_types: give at least one of %s" % ", ".join(EVENT_TYPES))
        secret_headers = normalise_headers("secret_headers", self.params["secret_headers"])
        check_secret_headers_scheme(self.params["url"], secret_headers, self.params["allow_insecure_webhook"])
        self.headers = merge_headers(normalise_headers("headers", self.params["headers"]), secret_headers)
        secrets = secret_values(secret_headers)
        if secrets:
            # Servers sometimes echo what they got: keep secret values out of errors and traces.
            self.client.transport.protect(*secrets)

    # reading ----------------------------------------------------------------------------------

    def serial_identity(self):
        # The API documents no uniqueness of trigger names, so no "already exists" answer can be
        # counted on to settle a race: runs on one controller take turns.
        return (self.instance.id, self.params["namespace"], self.params["name"])

    def find(self):
        # Removing a trigger of a namespace that does not exist: nothing to do.
        self.current = find_trigger(self.instance, self.params["namespace"], self.params["name"],
                                    missing_ok=self.params["state"] == "absent")
        return self.current

    def to_result(self, api_object):
        return webhook_result(self.instance.id, self.params["namespace"], api_object)

    def desired_value(self, option):
        if option == "event_types" and self.params["event_types"] is not None:
            return sorted(set(self.params["event_types"]))
        if option == "headers" and self.headers is not None:
            current = api_header_values(self.current.get("Header")) if self.current is not None else None
            if current and not self.headers:
                raise ModuleFailure("headers: the API cannot remove every header of trigger %r in place; delete "
                                    "the trigger (state=absent) and create it again without headers"
                                    % self.params["name"])
            return desired_masked_headers(self.headers, current)
        if option == "url" and self.params["url"] is not None:
            return masked_url(self.params["url"], self.current.get("TriggerUrl") if self.current else None)
        return self.params.get(option)

    def differs(self, option, desired, actual):
        if option == "event_types":
            return desired != sorted(set(actual or []))
        if option == "url":  # results mask the URL: compare the real ones
            return self.params["url"] != self.current.get("TriggerUrl")
        return desired != actual

    def predict_created(self):
        return {
            "instance_id": self.instance.id,
            "namespace": self.params["namespace"],
            "trigger_id": None,
            "name": self.params["name"],
            "event_types": self.desired_value("event_types"),
            "url": masked_url(self.params["url"]),
            "headers": desired_masked_headers(self.headers or {}, None),
            "enabled": self.params["enabled"] is not False,
            "create_time": None,
            "update_time": None,
        }

    # writing ----------------------------------------------------------------------------------

    def _trigger(self, headers, trigger_id=None):
        return trigger_params(self.params["name"], self.desired_value("event_types"), self.params["url"],
                              self.params["enabled"], headers, trigger_id)

    def create(self):
        # Read back by id: a listing by name may not fit one answer (a service refusing paging).
        trigger_id = create_trigger(self.instance, self.params["namespace"], self._trigger(self.headers))
        return None if trigger_id is None else read_trigger(self.instance, self.params["namespace"], trigger_id)

    def update(self, current, changes):
        # How the API treats omitted keys is not documented: send every desired key, headers when
        # they change (the given mapping replaces the trigger's headers).
        trigger = self._trigger(self.headers if "headers" in changes else None, current["TriggerId"])
        modify_trigger(self.instance, self.params["namespace"], trigger)
        return None

    def delete(self, current):
        delete_trigger(self.instance, self.params["namespace"], current["TriggerId"])


def main():
    KcrWebhook().run()


if __name__ == "__main__":
    main()
