#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_webhook_info
short_description: List the webhook triggers of a KSYUN container registry (KCR) namespace
version_added: 0.1.0
description:
  - Lists the webhook triggers of a namespace in a KCR instance, or one of them by name or ID,
    optionally with each trigger's delivery log.
  - Listing costs one DescribeWebhookTrigger call per 99 triggers; O(include_logs=true) adds one
    DescribeWebhookTriggerLog call per 99 log entries of every trigger listed.
  - Header values are never returned (they may hold credentials); headers are listed by name.
options:
  namespace:
    description:
      - Name of the namespace.
    type: str
    required: true
  name:
    description:
      - Only the trigger with this name.
    type: str
    aliases: [trigger_name]
  trigger_id:
    description:
      - Only the trigger with this ID (filtered by the registry).
    type: int
  include_logs:
    description:
      - Also read each trigger's delivery log (DescribeWebhookTriggerLog), returned as
        RV(webhooks[].logs).
      - Off by default because it costs at least one call per trigger.
    type: bool
    default: false
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
seealso:
  - module: cloudops.multicloud.kcr_webhook
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Triggers of the apps namespace
  cloudops.multicloud.kcr_webhook_info:
    instance_name: prod-registry
    namespace: apps
  register: hooks

- name: Did the deployment hook fire?
  cloudops.multicloud.kcr_webhook_info:
    instance_name: prod-registry
    namespace: apps
    name: deploy-on-push
    include_logs: true
  register: deploy_hook

- name: Show its failed deliveries
  ansible.builtin.debug:
    msg: "{{ deploy_hook.webhooks[0].logs | rejectattr('status', 'equalto', 'Success') | list }}"
"""

RETURN = r"""
webhooks:
  description: The triggers found, newest first as the registry lists them.
  returned: always
  type: list
  elements: dict
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
      description: ID of the trigger.
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
      sample: {"Authorization": "********"}
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
    logs:
      description:
        - The trigger's deliveries, newest first, with the keys the registry returns in snake_case.
        - RV(webhooks[].logs[].status) is always there; other keys (such as C(event_type),
          C(repo_name), C(tag), C(create_time)) depend on the registry.
      returned: when O(include_logs=true)
      type: list
      elements: dict
      contains:
        status:
          description: Result of the delivery.
          type: str
          sample: Success
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
    list_triggers,
    trigger_logs,
    webhook_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule


class KcrWebhookInfo(InstanceScoped, InfoModule):
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        name=dict(type="str", aliases=["trigger_name"]),
        trigger_id=dict(type="int"),
        include_logs=dict(type="bool", default=False),
    )
    result_key = "webhooks"

    def validate(self):
        NAMESPACE_NAME.check("namespace", self.params["namespace"])
        if self.params["trigger_id"] is not None and self.params["trigger_id"] < 1:
            raise ModuleFailure("trigger_id: must be a positive integer")

    def list_resources(self):
        namespace = self.params["namespace"]
        triggers = list_triggers(self.instance, namespace, self.params["trigger_id"], confirm_empty=True)
        triggers = [t for t in triggers if self.params["name"] is None or t.get("TriggerName") == self.params["name"]]
        if self.params["include_logs"]:
            triggers = [dict(t, Logs=trigger_logs(self.instance, namespace, t["TriggerId"])) for t in triggers]
        return triggers

    def to_result(self, api_object):
        logs = api_object.get("Logs") if self.params["include_logs"] else None
        return webhook_result(self.instance.id, self.params["namespace"], api_object, logs)


def main():
    KcrWebhookInfo().run()


if __name__ == "__main__":
    main()
