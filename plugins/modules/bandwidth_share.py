#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: bandwidth_share
short_description: Manage KSYUN shared bandwidth pools and the EIPs in them
version_added: 0.1.0
description:
  - Create a KSYUN shared bandwidth (BWS) pool, change its bandwidth, make it hold exactly the
    elastic IPs (EIPs) you list, and delete it.
  - A shared bandwidth pools the traffic of several EIPs under one billed bandwidth.
  - An idempotent run costs one DescribeBandWidthShares call. The same listing shows which EIPs
    are already in another pool of the project, so adding EIPs needs no further read.
options:
  name:
    description:
      - Name of the pool (C(BandWidthShareName)). Pools are found by this name in the project
        O(project_id) names; two pools with the name there is an error that lists their IDs.
      - Where the service lists pools without their names, a pool cannot be found by name, and the task
        fails before any write, naming O(id), unless the project has no pool at all (then it is
        created). Pin the pool with O(id) (the result's C(id)) from then on.
      - A new pool is always created by name; 1 to 64 characters, no control characters, no space
        at either end.
      - Exactly one of O(name) and O(id) is required.
    type: str
  id:
    description:
      - ID of an existing pool (C(BandWidthShareId), a UUID), instead of O(name).
      - With O(state=present), a pool that is not found is an error, since it cannot be created by ID.
    type: str
  bandwidth:
    description:
      - Bandwidth of the pool in Mbps, 1 to 15000 (the price system may allow less for an account).
      - Required to create a pool; changed in place on an existing one.
    type: int
  line_id:
    description:
      - ID of the line (link type, such as BGP) of the pool, a UUID. Every EIP in the pool must be on
        this line.
      - Required to create a pool. It cannot be changed; a different value for an existing pool
        fails, naming both values.
    type: str
  charge_type:
    description:
      - How the pool is billed. V(Peak) is pay-as-you-go by the monthly peak, V(Daily) by the day
        (settled monthly), V(TrafficMonthly) by traffic (settled monthly).
      - The legacy names V(PostPaidByPeak), V(PostPaidByDay) and V(PostPaidByTransfer) are accepted
        and compared as V(Peak), V(Daily) and V(TrafficMonthly); the new name is sent.
      - Required to create a pool. It cannot be changed; a different value for an existing pool
        fails, naming both values.
    type: str
    choices: [Peak, Daily, TrafficMonthly, PostPaidByPeak, PostPaidByDay, PostPaidByTransfer]
  project_id:
    description:
      - The project the pool belongs to (digits, such as V(0)). The pool is looked up in this project
        only, and a new pool is created in it.
      - When omitted, the pool is looked up in the account's default project only (the service
        lists nothing else unless asked for a project), and a new pool goes into the default project.
      - It cannot be changed on an existing pool.
    type: str
  eips:
    description:
      - Allocation IDs (UUIDs) of the EIPs the pool must hold.
      - An EIP that is in another pool is an error that names both pools, found before any write,
        so nothing is half done. Only pools of the project searched (see O(project_id)) can be
        checked beforehand; an EIP in a pool of another project is refused by the service when it
        is asked to join.
      - An EIP that does not exist, or is on another line, is found only when it is asked to join,
        because the BWS API reads no EIP and the EIP API's C(DescribeAddresses) is documented
        without its parameters or answer. For a pool that does not exist yet, such an EIP costs a create and a
        delete - the module creates the pool, the EIP is refused, and the module deletes the pool
        again (see O(eip_bandwidth) when other EIPs joined it first). Check mode cannot find such an
        EIP either.
      - When omitted, the pool's EIPs are left as they are.
    type: list
    elements: str
  purge_eips:
    description:
      - Whether EIPs in the pool that O(eips) does not list leave it.
    type: bool
    default: true
  eip_bandwidth:
    description:
      - Bandwidth in Mbps (1 to 15000) that each EIP leaving the pool gets as its own again.
      - The service requires it to disassociate an EIP, and the BWS API cannot read the bandwidth
        an EIP had before it joined, so the module asks for it rather than guessing.
      - Required only when some EIP must leave the pool (O(purge_eips), or O(state=absent) for a
        pool that holds EIPs); the module fails before any write when it is missing then.
      - If an EIP cannot join a new pool, the module deletes the pool again; when EIPs had already
        joined it, it needs O(eip_bandwidth) to take them out first.
    type: int
  state:
    description:
      - V(present) creates the pool or brings it to the given bandwidth and EIPs.
      - V(absent) takes every EIP out of the pool (see O(eip_bandwidth)), then deletes the pool.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff shows the pool, with its bandwidth and EIPs, before and after.
notes:
  - Check mode makes no write call and reports the pool as it would be; the ID and creation time of
    a pool that would be created are unknown (null).
  - EIPs join before others leave and before the bandwidth changes, so an EIP that cannot join stops
    the task before anything else is changed.
seealso:
  - module: cloudops.multicloud.bandwidth_share_info
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: A 50 Mbps pool for the web tier's EIPs
  cloudops.multicloud.bandwidth_share:
    name: web-egress
    line_id: 5fc2595f-1bfd-481b-bf64-2d08f116d800
    charge_type: Peak
    bandwidth: 50
    eips:
      - 9f4b2a10-0000-4000-8000-000000000001
      - 9f4b2a10-0000-4000-8000-000000000002
  register: pool

- name: Grow it to 100 Mbps and add an EIP, keeping the others
  cloudops.multicloud.bandwidth_share:
    id: "{{ pool.bandwidth_share.id }}"
    bandwidth: 100
    eips:
      - 9f4b2a10-0000-4000-8000-000000000003
    purge_eips: false

- name: Delete the pool; its EIPs go back to 5 Mbps each
  cloudops.multicloud.bandwidth_share:
    name: web-egress
    eip_bandwidth: 5
    state: absent
"""

RETURN = r"""
bandwidth_share:
  description:
    - The pool after the task; empty after O(state=absent).
    - In check mode, the pool as it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the pool (C(BandWidthShareId)).
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
      description:
        - How the pool is billed, by its current name (a legacy name the service reports is mapped).
        - Null when the service does not report it.
      type: str
      sample: Peak
    project_id:
      description: The pool's project; null when unknown (check mode without O(project_id), or not reported).
      type: str
      sample: "0"
    create_time:
      description: When the pool was created (C(YYYY-MM-DD HH:MM:SS)); null in check mode.
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

import copy

from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.api import BWS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.pools import (
    change_members,
    check_eip_bandwidth,
    check_present,
    create_pool,
    delete_pool,
    members_after,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.bws.shares import (
    BANDWIDTH_MAX,
    BANDWIDTH_MIN,
    CHARGE_TYPE_CHOICES,
    EIP_ID,
    LINE_ID,
    SHARE_GONE,
    SHARE_ID,
    SHARE_NAME,
    charge_type_name,
    describe_shares,
    find_share,
    modify_share_bandwidth,
    read_share,
    share_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import PROJECT_ID
from ansible_collections.cloudops.multicloud.plugins.module_utils.reconcile import reconcile_set
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import check_range


class BandwidthShare(StatefulModule):
    api = BWS_API
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        bandwidth=dict(type="int"),
        line_id=dict(type="str"),
        charge_type=dict(type="str", choices=list(CHARGE_TYPE_CHOICES)),
        project_id=dict(type="str"),
        eips=dict(type="list", elements="str"),
        purge_eips=dict(type="bool", default=True),
        eip_bandwidth=dict(type="int"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(
        mutually_exclusive=[("name", "id")],
        required_one_of=[("name", "id")],
    )
    result_key = "bandwidth_share"
    updatable = {"bandwidth": "bandwidth", "eips": "eips"}
    listing = None  # every pool of the projects, as find() listed them
    create_only = {"line_id": "line_id", "charge_type": "charge_type", "project_id": "project_id"}
    gone = SHARE_GONE

    @property
    def projects(self):
        return [self.params["project_id"]] if self.params["project_id"] else None

    def validate(self):
        SHARE_NAME.check("name", self.params["name"])
        SHARE_ID.check("id", self.params["id"])
        LINE_ID.check("line_id", self.params["line_id"])
        PROJECT_ID.check("project_id", self.params["project_id"])
        EIP_ID.check_each("eips", self.params["eips"])
        check_range("bandwidth", self.params["bandwidth"], BANDWIDTH_MIN, BANDWIDTH_MAX)
        check_range("eip_bandwidth", self.params["eip_bandwidth"], BANDWIDTH_MIN, BANDWIDTH_MAX)

    def serial_identity(self):
        # Pool names are not unique: parallel runs would each create one.
        return (self.params["id"] or "", self.params["name"] or "")

    def find(self):
        # Matched in the listing rather than sent as BandWidthShareId.N: the service may refuse
        # an unknown id instead of listing nothing.
        self.listing = describe_shares(self.client, self.projects)
        return find_share(self.listing, self.params["id"], self.params["name"])

    def preflight(self, current):
        if self.params["state"] == "present":
            # find() listed every pool of these projects: where the EIPs are is known without a call.
            check_present(self.client, current, self.params, self.listing)
        elif current is not None:
            check_eip_bandwidth(share_result(current)["eips"], self.params["eip_bandwidth"])

    def desired_value(self, option):
        value = self.params.get(option)
        if option == "charge_type" and value is not None:
            return charge_type_name(value)
        return value

    def differs(self, option, desired, actual):
        if option == "eips":
            return any(reconcile_set(actual, desired, self.params["purge_eips"]))
        return desired != actual

    def to_result(self, api_object):
        return share_result(api_object)

    def predict_created(self):
        return {
            "id": None,
            "name": self.params["name"],
            "bandwidth": self.params["bandwidth"],
            "line_id": self.params["line_id"],
            "charge_type": self.desired_value("charge_type"),
            "project_id": self.params["project_id"],
            "create_time": None,
            "eips": reconcile_set([], self.params["eips"])[0],
        }

    def predict_updated(self, before, changes):
        after = dict(copy.deepcopy(before), **changes)
        if "eips" in changes:
            after["eips"] = members_after(before["eips"], changes["eips"], self.params["purge_eips"])
        return after

    def create(self):
        # An EIP that cannot join: the pool is deleted again where safe, and the run fails.
        share_id = create_pool(self.client, self.params["name"], self.params["line_id"], self.params["bandwidth"],
                               self.desired_value("charge_type"), self.params["project_id"],
                               reconcile_set([], self.params["eips"])[0], self.params["eip_bandwidth"])
        # Read back by id (the answer lacks the project and the EIPs; the listing may lack names).
        return read_share(self.client, share_id, self.projects) if share_id else None

    def update(self, current, changes):
        share_id = current["BandWidthShareId"]
        if "eips" in changes:
            change_members(self.client, share_id, share_result(current)["eips"], changes["eips"],
                           self.params["purge_eips"], self.params["eip_bandwidth"], self.projects)
        if "bandwidth" in changes:
            # The answer's shape is not settled, so the result is the prediction.
            modify_share_bandwidth(self.client, share_id, changes["bandwidth"])

    def delete(self, current):
        delete_pool(self.client, current["BandWidthShareId"], share_result(current)["eips"],
                    self.params["eip_bandwidth"], self.projects)


def main():
    BandwidthShare().run()


if __name__ == "__main__":
    main()
