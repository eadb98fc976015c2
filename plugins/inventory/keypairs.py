# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: keypairs
short_description: Huawei Cloud KPS SSH keypairs as inventory entries, for audit runbooks
version_added: 0.1.0
description:
  - One host per SSH keypair of Huawei Cloud KPS (Key Pair Service), in one or several regions,
    with its fingerprint, type, scope, custody (private key kept in KMS or not) and frozen state as
    host variables, and grouped by them.
  - The hosts stand for keypairs, not machines - C(ansible_connection) is V(local) so that audit
    tasks run on the controller (override it with O(compose)).
  - Uses the same client as the modules of this collection; pages of 1000 keypairs.
  - The configuration file name must end with C(keypairs.yml) or C(keypairs.yaml).
options:
  plugin:
    description: The name of this plugin.
    required: true
    type: str
    choices: [cloudops.multicloud.keypairs]
  regions:
    description:
      - Regions to list keypairs in; O(region) when not set.
    type: list
    elements: str
  project_ids:
    description:
      - The project ID of each region of O(regions), as a mapping of region name to project ID; a
        region not in it is looked up through IAM.
      - O(project_id) is one region's project - it applies when one region is listed; with several
        it is not used (the plugin warns, and looks each region's project up unless this option
        names it).
    type: dict
    version_added: 0.2.0
  rate_limit_per_minute:
    description:
      - Pacing of rate-limited APIs (CGS) in the run; KPS listings are not paced.
    type: int
    default: 5
  hostnames:
    description:
      - How hosts are named, in order of preference - a host variable name (without
        O(hostvars_prefix)) or a Jinja2 expression over the host variables; the first that gives
        a non-empty value wins, else the keypair ID.
      - Keypair names are unique in a project; a name found in several regions becomes
        C(<name>_<id>) (or C(<name>_kps_<region>_<id>)) for each of them (the ID is the name when
        the listing carries no ID).
    type: list
    elements: str
    default: [keypair_name]
  api:
    description:
      - The keypair API - V(kps) (KPS v3), V(nova) (Nova C(os-keypairs) v2.1 on the ECS host) or
        V(auto) (KPS v3, and Nova in a region where KPS v3 answers 403 or a 404 that is not a KPS
        error; no extra call where KPS v3 is served).
      - Nova's listing has no C(id), C(type), C(scope), C(description) nor times (those host
        variables are null, and the ID is the keypair name).
    type: str
    choices: [auto, kps, nova]
    default: auto
    version_added: 0.2.0
  hostvars_prefix:
    description:
      - Prefix of every host variable the plugin sets (not of C(ansible_connection) nor of
        O(compose) results).
    type: str
    default: ""
  default_groups:
    description:
      - Add hosts to the groups C(kps), C(kps_type_<type>), C(kps_scope_<scope>),
        C(kps_custody_kms) or C(kps_custody_none), C(kps_frozen) and C(kps_fingerprint_<hex>) (one
        group per distinct key, so the same key under several names shows up together).
    type: bool
    default: true
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - cloudops.multicloud.huaweicloud.plugins
  - cloudops.multicloud.transport.plugins
notes:
  - "Host variables: C(source) (V(kps)), C(region), C(id), C(keypair_name), C(fingerprint), C(type),
    C(scope), C(user_id), C(description), C(public_key), C(algorithm), C(key_protection),
    C(kms_key_id), C(frozen_state), C(frozen), C(frozen_reason), C(create_time), C(update_time).
    Never a private key."
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# audit.keypairs.yml - every keypair of cn-north-4, cached for a day
plugin: cloudops.multicloud.keypairs
regions: [cn-north-4]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/cloudops-inventory
cache_timeout: 86400
groups:
  not_in_custody: not key_protection
keyed_groups:
  - key: type
    prefix: keytype
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import KPS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypair_api import KeypairApi
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import keypair_result
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.cloud_inventory import CloudInventory, Listing
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.options import (
    HUAWEI_PARAMS,
    client_params,
    list_option,
    option_error,
    region_projects,
)


class InventoryModule(CloudInventory):
    NAME = "cloudops.multicloud.keypairs"
    SUFFIXES = ("keypairs.yml", "keypairs.yaml")
    SHORT_NAME = "keypairs"
    DEFAULT_HOSTNAMES = ("keypair_name",)

    def listings(self):
        regions = list_option(self.get_option, "regions")
        if not regions and self.get_option("region"):
            regions = [self.get_option("region")]
        if not regions:
            raise ValueError("regions: required (or set region or HW_REGION_NAME)")
        projects, warning = region_projects(self.get_option, regions)
        if warning:
            self.display.warning("%s: %s" % (self.NAME, warning))
        return [self._listing(region, projects[region]) for region in regions]

    def _listing(self, region, project_id):
        try:
            client = KPS_API.client(client_params(self.get_option, HUAWEI_PARAMS, region, project_id=project_id))
            client.transport.warn = self.display.warning
        except ValueError as exc:
            raise ValueError(option_error(str(exc), region_option="regions"))
        identity = dict(account=self.get_option("access_key") or self.get_option("auth_username"),
                        domain=self.get_option("auth_domain"), endpoint=client.endpoint,
                        project=project_id, api=self.get_option("api"))
        keypairs = KeypairApi(client, self.get_option("api"))

        def fetch():
            try:
                return [self._record(region, keypair) for keypair in keypairs.list_keypairs()]
            except ModuleFailure as exc:  # api=kps where KPS v3 is not there
                raise ValueError(exc.msg)

        return Listing("kps", region, identity, fetch)

    @staticmethod
    def _record(region, keypair):
        result = keypair_result(keypair)
        record = dict(source="kps", region=region)
        record.update(result)
        # "name" is reserved by Ansible (a host variable of that name is ignored, with a warning)
        record["keypair_name"] = record.pop("name")
        record["id"] = result.get("id") or record["keypair_name"]
        return record

    def default_groups(self, record):
        groups = ["kps", "kps_type_%s" % record.get("type"), "kps_scope_%s" % record.get("scope"),
                  "kps_custody_%s" % ("kms" if record.get("key_protection") else "none")]
        if record.get("frozen"):
            groups.append("kps_frozen")
        if record.get("fingerprint"):
            groups.append("kps_fingerprint_%s" % record["fingerprint"].replace(":", ""))
        return groups

    def connection_vars(self, record):
        return {"ansible_connection": "local"}
