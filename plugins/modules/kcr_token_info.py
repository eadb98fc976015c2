#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_token_info
short_description: List the access credentials (tokens) of a KSYUN container registry (KCR) instance
version_added: 0.1.0
description:
  - Lists the access credentials of a KCR instance, optionally only those with one description or
    one ID, paging at the API's maximum page size (99).
  - Token values are never returned; the registry shows a token only when it is created (see
    M(cloudops.multicloud.kcr_token)).
options:
  description:
    description:
      - Only the credentials with exactly this description.
    type: str
  token_id:
    description:
      - Only the credential with this ID.
    type: str
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
  - module: cloudops.multicloud.kcr_token
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: All credentials of the registry
  cloudops.multicloud.kcr_token_info:
    instance_name: prod-registry
  register: creds

- name: Descriptions of the credentials that expire
  ansible.builtin.debug:
    msg: "{{ creds.tokens | selectattr('expire_time') | map(attribute='description') | list }}"
"""

RETURN = r"""
tokens:
  description: The credentials found, newest first as the registry lists them; never with their token.
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    token_id:
      description: ID of the credential.
      type: str
      sample: 35265031-dfc1-4d06-a68b-5fd2a1d0e2b7
    description:
      description: Description of the credential; null when it has none.
      type: str
      sample: ci-runners
    enabled:
      description: Whether the credential can be used.
      type: bool
      sample: true
    create_time:
      description: When the credential was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-20 17:14:49"
    expire_time:
      description: When the credential expires; null when it never does.
      type: str
      sample: "2022-07-20 17:14:49"
    token_type:
      description:
        - Unit of the validity, derived from RV(tokens[].expire_time) minus RV(tokens[].create_time),
          V(Day) for whole days, else V(Hour); V(NeverExpire) when the credential does not expire.
        - Null when that difference is no whole number of hours (the registry may restart the
          validity when it is changed), so that the validity cannot be read back.
      type: str
      sample: Day
    token_time:
      description: Validity in units of RV(tokens[].token_type); null for V(NeverExpire).
      type: int
      sample: 30
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.tokens import list_tokens, token_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule


class KcrTokenInfo(InstanceScoped, InfoModule):
    argument_spec = dict(
        description=dict(type="str"),
        token_id=dict(type="str", no_log=False),
    )
    result_key = "tokens"

    def list_resources(self):
        wanted = dict(Desc=self.params["description"], TokenId=self.params["token_id"])
        return [t for t in list_tokens(self.instance)
                if all(value is None or t.get(key) == value for key, value in wanted.items())]

    def to_result(self, api_object):
        return token_result(self.instance.id, api_object)


def main():
    KcrTokenInfo().run()


if __name__ == "__main__":
    main()
