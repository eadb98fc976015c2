# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the instances and keypairs inventory plugins share: reading listings (from the cache or
the API, one cache entry per source/account/region), host names, host variables under a prefix,
default groups, and the constructed options with errors that name the option.

A plugin subclass declares ``NAME`` and ``SUFFIXES`` and implements ``listings()``: one
``Listing`` per source and region, each with a cache identity and a ``fetch()`` that returns plain
records (JSON-serialisable dicts with at least ``id``; never a key Ansible reserves, such as
``name``), plus ``default_groups(record)``
and ``connection_vars(record)``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.group import to_safe_group_name
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.cache_keys import listing_key
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.options import rate_limit
from ansible_collections.cloudops.multicloud.plugins.plugin_utils.untrusted import UntrustedInventory, untrusted


class Listing:
    """One API listing of the run: ``source`` in ``region``; ``identity`` (account, endpoint,
    filters sent) goes into the cache key; ``fetch()`` returns the records."""

    def __init__(self, source, region, identity, fetch):
        self.source = source
        self.region = region
        self.identity = identity
        self.fetch = fetch

    @property
    def label(self):
        return "%s in %s" % (self.source, self.region)


class CloudInventory(BaseInventoryPlugin, Constructable, Cacheable):
    """The parse flow of both plugins; see the module docstring."""

    NAME = None
    SUFFIXES = ()
    SHORT_NAME = None  # cache key component: "instances", "keypairs"
    DEFAULT_HOSTNAMES = ()

    def verify_file(self, path):
        return super(CloudInventory, self).verify_file(path) and path.endswith(self.SUFFIXES)

    # -- to implement ------------------------------------------------------------------------------

    def listings(self):
        raise NotImplementedError

    def default_groups(self, record):
        return []

    def connection_vars(self, record):
        """``ansible_*`` variables of a host (not prefixed; ``compose`` may override them)."""
        return {}

    def credential_options(self, source):
        """The options to check when ``source`` refuses the credentials."""
        return "access_key and secret_key (or auth_username, auth_password and auth_domain)"

    # -- the flow ----------------------------------------------------------------------------------

    def parse(self, inventory, loader, path, cache=True):
        super(CloudInventory, self).parse(inventory, loader, path, cache)
        self.inventory = UntrustedInventory(inventory)
        self._read_config_data(path)
        try:
            # Rate-limited APIs pace their clients themselves (HuaweiApi.client) at this value.
            self.rate_limit = rate_limit(self.get_option)
            listings = self.listings()
        except ValueError as exc:
            raise AnsibleParserError("%s: %s" % (path, exc))
        records = []
        use_cache = bool(self.get_option("cache"))
        for listing in listings:
            records.extend(self._records(listing, use_cache, use_cache and cache))
        self.populate(records)

    def _records(self, listing, use_cache, read_cache):
        key = listing_key(self.SHORT_NAME, listing.source, listing.region, listing.identity)
        if read_cache:
            try:
                records = self._cache[key]
            except KeyError:
                pass
            else:
                self.display.v("%s: %d records of %s from the cache (%s)" % (self.NAME, len(records), listing.label,
                                                                             key))
                return records
        try:
            records = listing.fetch()
        except CloudError as exc:
            hint = ""
            if exc.status in (401, 403):
                hint = " (check %s)" % self.credential_options(listing.source)
            raise AnsibleParserError("%s: listing %s failed: %s%s" % (self.NAME, listing.label, exc, hint))
        except ValueError as exc:
            raise AnsibleParserError("%s: %s" % (self.NAME, exc))
        self.display.v("%s: %d records of %s from the API" % (self.NAME, len(records), listing.label))
        if use_cache:
            self._cache[key] = records
        return records

    # -- hosts -------------------------------------------------------------------------------------

    def populate(self, records):
        """Hosts from ``records`` (from the API or the cache: untrusted either way, so marked
        before anything, ``hostnames`` and ``compose`` included, templates over them)."""
        records = untrusted(records)
        prefix = self.get_option("hostvars_prefix") or ""
        strict = self.get_option("strict")
        names = self.host_names(records)
        add_default_groups = self.get_option("default_groups")
        compose, groups, keyed_groups = (self.get_option(o) for o in ("compose", "groups", "keyed_groups"))
        broken = set()
        for name, record in zip(names, records):
            self.inventory.add_host(name)
            for key, value in record.items():
                self.inventory.set_variable(name, prefix + key, value)
            for key, value in self.connection_vars(record).items():
                self.inventory.set_variable(name, key, value)
            if add_default_groups:
                for group in self.default_groups(record):
                    self.inventory.add_child(self.inventory.add_group(to_safe_group_name(group)), name)
            if compose:
                self._compose_vars(name, compose, self.inventory.get_host(name).get_vars(), strict, broken)
            if groups or keyed_groups:
                host_vars = self.inventory.get_host(name).get_vars()
            for option, value, add in (("groups", groups, self._add_host_to_composed_groups),
                                       ("keyed_groups", keyed_groups, self._add_host_to_keyed_groups)):
                if not value:
                    continue
                try:
                    add(value, host_vars, name, strict=strict, fetch_hostvars=False)
                except AnsibleError as exc:
                    raise AnsibleParserError("%s: %s: %s" % (self.NAME, option, exc.message))

    def _compose_vars(self, name, compose, host_vars, strict, broken):
        """``compose`` with errors that name the option and the variable: fatal with ``strict``,
        else one warning per broken expression."""
        for var, expression in compose.items():
            try:
                value = self._compose(expression, host_vars)
            except Exception as exc:  # any templating failure: undefined, syntax, filter errors
                message = "%s: compose.%s: cannot template %r for host %s: %s" % (
                    self.NAME, var, expression, name, getattr(exc, "message", None) or exc)
                if strict:
                    raise AnsibleParserError(message)
                if var not in broken:
                    broken.add(var)
                    self.display.warning(message + " (skipped for every such host: strict is false)")
                continue
            self.inventory.set_variable(name, var, value)

    def host_names(self, records):
        """One inventory name per record: the first ``hostnames`` entry (a field, or a Jinja
        expression over the record) that gives a non-empty value, else the record's id. A name
        more than one record claims becomes ``<name>_<id>`` for each of them (and, should that
        still collide, ``<name>_<source>_<region>_<id>``), so no host silently merges into another
        and the outcome does not depend on listing order."""
        wanted = self.get_option("hostnames") or self.DEFAULT_HOSTNAMES
        names = [self._host_name(wanted, record) for record in records]
        for qualify in (lambda name, record: "%s_%s" % (name, record["id"]),
                        # the same resource listed twice (one ID in two regions or sources)
                        lambda name, record: "%s_%s_%s_%s" % (name.rsplit("_" + str(record["id"]), 1)[0],
                                                              record.get("source"), record.get("region"), record["id"])):
            claims = collections.Counter(names)
            names = [name if claims[name] == 1 else qualify(name, record) for name, record in zip(names, records)]
        return names

    def _host_name(self, wanted, record):
        for entry in wanted:
            if entry in record:
                value = record[entry]
            else:
                try:
                    value = self._compose(entry, record)
                except Exception:  # an expression that does not apply to this record
                    value = None
            if value not in (None, "") and not isinstance(value, (dict, list)):
                return str(value)
        return str(record["id"])
