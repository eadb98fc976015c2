# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: instances
short_description: Huawei Cloud container guard nodes and KSYUN container registries as inventory
version_added: 0.1.0
description:
  - One host per Huawei Cloud container guard (CGS) container node and per KSYUN container
    registry (KCR) instance, from several regions per source; each source can be switched off.
  - Uses the same clients as the modules of this collection (signing, retries, project lookup).
  - B(CGS allows 5 calls per minute per user.) Listing pages are paced under
    O(rate_limit_per_minute) instead of failing; with C(-v) the plugin says which page it is on
    and how long it waits, and a wait of 5 seconds or more is a warning that says who spent the
    budget. Pages hold up to 1000 nodes, so 10,000 nodes take ten calls and about a
    minute; but the page cap is undocumented, and a service that caps pages at 100 makes a cold
    listing of 10,000 nodes a hundred calls - B(about twenty minutes). Enable the inventory cache
    (O(cache=true) with a persistent O(cache_plugin) such as V(ansible.builtin.jsonfile)); a
    cached listing makes no API call at all. In AWX, where each inventory update runs in a fresh
    container that takes the plugin's cache with it, set the inventory source's cache timeout
    (C(update_cache_timeout)) instead, so job launches do not list again.
  - The configuration file name must end with C(instances.yml) or C(instances.yaml).
options:
  plugin:
    description: The name of this plugin.
    required: true
    type: str
    choices: [cloudops.multicloud.instances]
  sources:
    description:
      - Which resources become hosts. V(cgs) lists container nodes, V(kcr) registry instances.
    type: list
    elements: str
    default: [cgs, kcr]
  cgs_regions:
    description:
      - Huawei Cloud regions to list container nodes in (CGS is documented for V(cn-south-4)).
      - Required when O(sources) contains V(cgs).
    type: list
    elements: str
    env:
      - name: HW_REGION_NAME
  kcr_regions:
    description:
      - KSYUN regions to list registry instances in.
      - Empty (also an empty E(KSYUN_REGION)) means the default, as for the modules.
    type: list
    elements: str
    default: [cn-beijing-6]
    env:
      - name: KSYUN_REGION
  cgs_agent_status:
    description:
      - Only nodes whose agent is in this state; sent to the API, and applied to the listing too
        (a service may ignore the filter).
      - V(not_installed) and V(not_register) both select the nodes without an agent (the API's
        filter and its answers name that state differently); a word the service refuses is
        asked again with the other one.
    type: str
    choices: [not_installed, not_register, online, offline]
  cgs_host_name:
    description:
      - Only the node with this exact name; sent to the API and matched exactly on the answer.
    type: str
  cgs_protect_status:
    description:
      - Only nodes with protection V(opened) or V(closed) (applied to the listing).
    type: str
    choices: [opened, closed]
  kcr_project_ids:
    description:
      - KSYUN projects to list registries of; the API's default project (V(0)) when not set.
    type: list
    elements: str
  rate_limit_per_minute:
    description:
      - At most this many CGS calls in any 60 seconds, for the account at each endpoint on this
        controller, counted together with every task, fork and inventory refresh that uses the
        same account (a small file beside the controller locks in C(~/.ansible/tmp)).
      - V(0) sends without pacing (for an emulator with the limit lifted).
    type: int
    default: 5
  hostnames:
    description:
      - How hosts are named, in order of preference - a host variable name (without
        O(hostvars_prefix)) or a Jinja2 expression over the host variables; the first that gives
        a non-empty value wins, else the resource ID.
      - A name that several resources would get (a node and a registry, or two nodes in two
        regions) becomes C(<name>_<id>) for each of them, whatever the listing order.
    type: list
    elements: str
    default: [host_name, instance_name]
  hostvars_prefix:
    description:
      - Prefix of every host variable the plugin sets (not of C(ansible_host) nor of O(compose)
        results). O(compose), O(groups) and O(keyed_groups) see the prefixed names.
    type: str
    default: ""
  default_groups:
    description:
      - Add hosts to the groups C(cgs) and C(kcr), C(cgs_agent_<status>),
        C(cgs_protect_<status>), C(cgs_host_<status>), C(kcr_type_<type>) and C(kcr_status_<status>).
    type: bool
    default: true
  huaweicloud_access_key:
    description:
      - Huawei Cloud access key ID (AK).
    type: str
    env:
      - name: HUAWEICLOUD_SDK_AK
      - name: HW_ACCESS_KEY
  huaweicloud_secret_key:
    description:
      - Huawei Cloud secret access key (SK).
    type: str
    env:
      - name: HUAWEICLOUD_SDK_SK
      - name: HW_SECRET_KEY
  huaweicloud_security_token:
    description:
      - Security token of temporary Huawei Cloud AK/SK credentials.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_SECURITY_TOKEN
  huaweicloud_project_id:
    description:
      - Huawei Cloud project ID of the one region listed; looked up through IAM by region name when
        not set.
      - A project ID belongs to one region; with several O(cgs_regions) it is not used (the
        plugin warns, and looks each region's project up unless O(huaweicloud_project_ids) names
        it).
    type: str
    env:
      - name: HUAWEICLOUD_SDK_PROJECT_ID
      - name: HW_PROJECT_ID
  huaweicloud_project_ids:
    description:
      - The Huawei Cloud project ID of each region of O(cgs_regions), as a mapping of region name
        to project ID; a region not in it is looked up through IAM.
      - Use it rather than O(huaweicloud_project_id) to list several regions without the lookup.
    type: dict
    version_added: 0.2.0
  huaweicloud_auth_username:
    description:
      - IAM user name for password authentication, the alternative to AK/SK.
    type: str
  huaweicloud_auth_password:
    description:
      - Password of O(huaweicloud_auth_username).
    type: str
  huaweicloud_auth_domain:
    description:
      - Account (IAM domain) of O(huaweicloud_auth_username).
    type: str
  huaweicloud_endpoint_url:
    description:
      - Base URL for every Huawei Cloud service request instead of the public endpoints, for
        example the local emulator (IAM too when it is a loopback URL; see
        O(huaweicloud_iam_endpoint_url)).
      - Must be C(https://), except for a loopback host (C(localhost), C(127.0.0.0/8), C(::1)),
        unless O(allow_insecure_http) is set.
    type: str
    env:
      - name: HUAWEICLOUD_ENDPOINT_URL
  huaweicloud_iam_endpoint_url:
    description:
      - Base URL of IAM, for the project lookup and the token. If not set,
        O(huaweicloud_endpoint_url) when it is a loopback URL, else
        C(https://iam.<region>.myhuaweicloud.com).
      - Must be C(https://), except for a loopback host, unless O(allow_insecure_http) is set.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_IAM_ENDPOINT
  ksyun_access_key:
    description:
      - KSYUN access key ID.
    type: str
    env:
      - name: KSYUN_ACCESS_KEY
      - name: KS_ACCESS_KEY_ID
  ksyun_secret_key:
    description:
      - KSYUN secret access key.
    type: str
    env:
      - name: KSYUN_SECRET_KEY
      - name: KS_SECRET_ACCESS_KEY
  ksyun_security_token:
    description:
      - Security token of temporary KSYUN credentials.
    type: str
    env:
      - name: KSYUN_SECURITY_TOKEN
  ksyun_endpoint_url:
    description:
      - Base URL for every KSYUN request instead of C(https://kcrs.api.ksyun.com), for example the
        local emulator.
      - Must be C(https://), except for a loopback host (C(localhost), C(127.0.0.0/8), C(::1)),
        unless O(allow_insecure_http) is set.
    type: str
    env:
      - name: KSYUN_ENDPOINT_URL
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - cloudops.multicloud.transport.plugins
notes:
  - "Host variables of a node: C(source) (V(cgs)), C(region), C(id), C(host_id),
    C(host_name), C(host_status), C(agent_status) (C(not_register) when no agent is installed),
    C(protect_status); C(ansible_host) is the node's name (CGS reports no address)."
  - "Host variables of a registry: C(source) (V(kcr)), C(region), C(id), C(instance_id),
    C(instance_name), C(instance_type), C(instance_status), C(internal_endpoint), C(charge_type),
    C(project_id), C(create_time), C(expired_time), and C(public_domain) when reported;
    C(ansible_host) is the public domain, else the internal endpoint."
  - The cache holds one entry per source, account, region and server-side filter; O(compose),
    O(groups), O(keyed_groups), O(hostnames) and the local filters apply to cached listings too.
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# guarded.instances.yml - container nodes of cn-south-4 and the registries of cn-beijing-6,
# cached for an hour; credentials and endpoints come from the environment.
plugin: cloudops.multicloud.instances
cgs_regions: [cn-south-4]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/cloudops-inventory
cache_timeout: 3600
keyed_groups:
  - key: region
    prefix: region
groups:
  unprotected: source == 'cgs' and protect_status == 'closed'
compose:
  ansible_user: "'root'"

---
# registries.instances.yml - only the KSYUN registries, named by their intranet domain, else by
# their name (a host variable: there is no "name" variable)
plugin: cloudops.multicloud.instances
sources: [kcr]
hostnames: [internal_endpoint, instance_name]
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import CGS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.nodes import (
    AGENT_STATUSES,
    PROTECT_STATUSES,
    NodeListing,
    matches,
    node_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import KCR_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.instances import (
    describe_instances,
    instance_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import DEFAULT_REGION
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.cloud_inventory import CloudInventory, Listing
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.options import (
    HUAWEI_PARAMS,
    KSYUN_PARAMS,
    client_params,
    list_option,
    option_error,
    region_projects,
)

SOURCES = ("cgs", "kcr")


class InventoryModule(CloudInventory):
    NAME = "cloudops.multicloud.instances"
    SUFFIXES = ("instances.yml", "instances.yaml")
    SHORT_NAME = "instances"
    DEFAULT_HOSTNAMES = ("host_name", "instance_name")

    def listings(self):
        sources = list_option(self.get_option, "sources", SOURCES)
        if not sources:
            raise ValueError("sources: list at least one of %s" % ", ".join(SOURCES))
        self._check_choice("cgs_agent_status", AGENT_STATUSES)
        self._check_choice("cgs_protect_status", PROTECT_STATUSES)
        found = []
        if "cgs" in sources:
            regions = list_option(self.get_option, "cgs_regions")
            if not regions:
                raise ValueError("cgs_regions: required when sources contains cgs (or set HW_REGION_NAME)")
            projects = self._projects(regions, "huaweicloud_")
            found.extend(self._cgs_listing(region, projects[region]) for region in regions)
        if "kcr" in sources:
            # Empty (KSYUN_REGION="" from an AWX credential's empty field) counts as unset, as for
            # the modules: KSYUN has a default region.
            regions = list_option(self.get_option, "kcr_regions") or [DEFAULT_REGION]
            found.extend(self._kcr_listing(region) for region in regions)
        return found

    def _projects(self, regions, prefix):
        projects, warning = region_projects(self.get_option, regions, prefix)
        if warning:
            self.display.warning("%s: %s" % (self.NAME, warning))
        return projects

    def _check_choice(self, option, choices):
        value = self.get_option(option)
        if value and value not in choices:
            raise ValueError("%s: %r is not one of %s" % (option, value, ", ".join(choices)))

    def _client(self, api, names, region, prefix, region_option, overrides=None, **kwargs):
        params = dict(client_params(self.get_option, names, region, prefix, **(overrides or {})),
                      rate_limit_per_minute=self.rate_limit)
        try:
            client = api.client(params, **kwargs)
        except ValueError as exc:
            raise ValueError(option_error(str(exc), prefix, region_option))
        client.transport.warn = self.display.warning
        return client

    # -- CGS container nodes ---------------------------------------------------------------------

    def _cgs_listing(self, region, project_id):
        # CGS_API paces its clients, each in the account's budget at its endpoint, which every
        # process of the controller shares (the regions of this run, forks, other tasks).
        client = self._client(CGS_API, HUAWEI_PARAMS, region, "huaweicloud_", "cgs_regions",
                              dict(project_id=project_id), notify=self.display.v)
        pacer = CGS_API.pacer_of(client, warn=self.display.warning, who=self.NAME)
        host_name, agent_status = self.get_option("cgs_host_name"), self.get_option("cgs_agent_status")
        identity = dict(account=self.get_option("huaweicloud_access_key") or self.get_option(
            "huaweicloud_auth_username"), domain=self.get_option("huaweicloud_auth_domain"),
            endpoint=client.endpoint, project=project_id,
            host_name=host_name, agent_status=agent_status)

        def fetch():
            listing = NodeListing(client, pacer=pacer, notify=self.display.v)
            nodes = listing.list(host_name=host_name, agent_status=agent_status)
            for warning in listing.warnings:
                self.display.warning("%s: %s (region %s)" % (self.NAME, warning, region))
            return [self._node_record(region, node) for node in nodes]

        return Listing("cgs", region, identity, fetch)

    @staticmethod
    def _node_record(region, node):
        record = dict(source="cgs", region=region, id=node.get("host_id"))
        record.update(node_result(node))
        return record

    # -- KCR registry instances ------------------------------------------------------------------

    def _kcr_listing(self, region):
        client = self._client(KCR_API, KSYUN_PARAMS, region, "ksyun_", "kcr_regions")
        project_ids = list_option(self.get_option, "kcr_project_ids") or None
        identity = dict(account=self.get_option("ksyun_access_key"), endpoint=client.endpoint,
                        project_ids=project_ids)

        def fetch():
            return [self._registry_record(region, instance)
                    for instance in describe_instances(client, project_ids=project_ids)]

        return Listing("kcr", region, identity, fetch)

    @staticmethod
    def _registry_record(region, instance):
        result = instance_result(instance)
        record = dict(source="kcr", region=region, id=result["instance_id"])
        record.update(result)
        return record

    # -- hosts -------------------------------------------------------------------------------------

    def populate(self, records):
        # Applied to every listing, cached ones too: a service may ignore the agent_status filter.
        wanted = dict(protect_status=self.get_option("cgs_protect_status"),
                      agent_status=self.get_option("cgs_agent_status"))
        if any(wanted.values()):
            records = [r for r in records if r["source"] != "cgs" or matches(r, **wanted)]
        super(InventoryModule, self).populate(records)

    def default_groups(self, record):
        if record["source"] == "cgs":
            return ["cgs", "cgs_agent_%s" % record.get("agent_status"), "cgs_protect_%s" % record.get("protect_status"),
                    "cgs_host_%s" % str(record.get("host_status")).lower()]
        return ["kcr", "kcr_type_%s" % record.get("instance_type"),
                "kcr_status_%s" % str(record.get("instance_status")).lower()]

    def credential_options(self, source):
        if source == "cgs":
            return ("huaweicloud_access_key and huaweicloud_secret_key (or huaweicloud_auth_username, "
                    "huaweicloud_auth_password and huaweicloud_auth_domain)")
        return "ksyun_access_key and ksyun_secret_key"

    def connection_vars(self, record):
        if record["source"] == "cgs":
            address = record.get("host_name")
        else:
            address = record.get("public_domain") or record.get("internal_endpoint")
        return {"ansible_host": address} if address else {}
