#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: bandwidth_share_info
short_description: List KSYUN shared bandwidth pools
version_added: 0.1.0
description:
  - Lists KSYUN shared bandwidth (BWS) pools with their EIPs, all of them or only those with the
    given IDs, name, projects, or the EIP they hold.
  - Costs one DescribeBandWidthShares call. Finding nothing is not an error.
options:
  ids:
    description:
      - Only the pools with these IDs. An ID that does not exist is left out of the result.
    type: list
    elements: str
    aliases: [id]
  name:
    description:
      - Only the pools with this exact name.
      - Where the service lists pools without their names, this fails naming O(ids) rather than
        find nothing.
    type: str
  project_ids:
    description:
      - The projects to list. When omitted, only the account's default project is listed, as the
        service does.
    type: list
    elements: str
    aliases: [project_id]
  eip:
    description:
      - Only the pool that holds the EIP with this allocation ID (empty when the EIP is in no pool).
    type: str
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
seealso:
  - module: cloudops.multicloud.bandwidth_share
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Every pool of the default project
  cloudops.multicloud.bandwidth_share_info:
  register: pools

- name: The pool an EIP is in
  cloudops.multicloud.bandwidth_share_info:
    eip: 9f4b2a10-0000-4000-8000-000000000001
  register: holder

- name: Its name
  ansible.builtin.debug:
    msg: "{{ holder.bandwidth_shares | map(attribute='name') | first | default('in no shared bandwidth') }}"

- name: A pool by name in two projects
  cloudops.multicloud.bandwidth_share_info:
    name: web-egress
    project_ids: ["0", "1032"]
"""

RETURN = r"""
bandwidth_shares:
  description: The pools found, in the order the service lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the pool.
      type: str
      sample: 89869da1-c601-426a-914f-d9287bcc7b80
    name:
      description: Name of the pool; null when the service does not report it.
      type: str
      sample: web-egress
    bandwidth:
      description: Bandwidth of the pool in Mbps.
      type: int
      sample: 50
    line_id:
      description: ID of the pool's line.
      type: str
      sample: 5fc2595f-1bfd-481b-bf64-2d08f116d800
    charge_type:
      description: How the pool is billed, by its current name; null when not reported.
      type: str
      sample: Peak
    project_id:
      description: The pool's project; null when not reported.
      type: str
      sample: "0"
    create_time:
      description: When the pool was created (C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2016-05-05 18:27:36"
    eips:
      description: Allocation IDs of the EIPs in the pool.
      type: list
      elements: str
      sample: [9f4b2a10-0000-4000-8000-000000000001]
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.api import BWS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.shares import (
    EIP_ID,
    SHARE_ID,
    SHARE_NAME,
    describe_shares,
    share_eips,
    share_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import LIST_PARAM_MAX, PROJECT_ID
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_count


class BandwidthShareInfo(InfoModule):
    api = BWS_API
    argument_spec = dict(
        ids=dict(type="list", elements="str", aliases=["id"]),
        name=dict(type="str"),
        project_ids=dict(type="list", elements="str", aliases=["project_id"]),
        eip=dict(type="str"),
    )
    result_key = "bandwidth_shares"

    def validate(self):
        SHARE_ID.check_each("ids", self.params["ids"])
        SHARE_NAME.check("name", self.params["name"])
        PROJECT_ID.check_each("project_ids", self.params["project_ids"])
        EIP_ID.check("eip", self.params["eip"])
        check_count("project_ids", self.params["project_ids"], LIST_PARAM_MAX, "projects")

    def list_resources(self):
        eip, ids, name = self.params["eip"], self.params["ids"], self.params["name"]
        # IDs are matched in the listing, not sent: the service may refuse an unknown one.
        shares = describe_shares(self.client, self.params["project_ids"], eip_ids=[eip] if eip else None)
        unnamed = [s.get("BandWidthShareId") for s in shares if not s.get("BandWidthShareName")]
        if name is not None and unnamed:
            raise ModuleFailure("name: the service lists shared bandwidths without their names (%s), so none can be "
                                "found by name; filter by ids instead" % ", ".join(map(str, unnamed)))
        return [s for s in shares
                if (ids is None or s.get("BandWidthShareId") in ids)
                and (name is None or s.get("BandWidthShareName") == name)
                and (eip is None or eip in share_eips(s))]

    def to_result(self, api_object):
        return share_result(api_object)


def main():
    BandwidthShareInfo().run()


if __name__ == "__main__":
    main()
