# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud data is data, never a template. Before ansible-core 2.19 a string an inventory plugin
stores is templated whenever a play references it, so a container node's hostname or a keypair's
description could run a command on the controller. ansible-core 2.19 and later tag all inventory
data untrusted themselves; marking it here is what protects 2.16 to 2.18.

Only strings that could be read as Jinja (they contain ``{``, ``}`` or ``%``) are marked, as
community.general's inventory plugins do: a string without them templates to itself, and leaving
it plain keeps ``ansible-inventory --list`` printing plain values on those releases.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections.abc import Mapping

from ansible.utils.unsafe_proxy import wrap_var

_TEMPLATE_CHARACTERS = re.compile("[{}%]")


def untrusted(value):
    """``value`` with every string in it that could be read as Jinja marked unsafe (dict keys and
    values, list items, at any depth)."""
    if isinstance(value, Mapping):
        return dict((untrusted(key), untrusted(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(untrusted(item) for item in value)
    if isinstance(value, str) and _TEMPLATE_CHARACTERS.search(value):
        return wrap_var(value)
    return value


class UntrustedInventory:
    """The inventory as a plugin writes into it: every host name, group name and variable value
    goes in marked, whoever writes it (the plugin, or Constructable's ``compose``, ``groups`` and
    ``keyed_groups``, whose names and values are built from cloud data)."""

    def __init__(self, inventory):
        self._inventory = inventory

    def __getattr__(self, name):
        return getattr(self._inventory, name)

    def add_host(self, host, group=None, port=None):
        return self._inventory.add_host(untrusted(host), untrusted(group), port)

    def add_group(self, group):
        return self._inventory.add_group(untrusted(group))

    def add_child(self, group, child):
        return self._inventory.add_child(untrusted(group), untrusted(child))

    def set_variable(self, entity, varname, value):
        return self._inventory.set_variable(untrusted(entity), untrusted(varname), untrusted(value))
