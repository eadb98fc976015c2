# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of option values made before any API call, each failing with a message that names the
option and the rule. Argument types, choices and required options stay with AnsibleModule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure


class NameRule:
    """An immutable name rule: the whole value must match ``pattern`` (no trailing newline slips
    through, as it would with ``^...$``); ``rule`` says it in words."""

    __slots__ = ("kind", "_pattern", "rule")

    def __init__(self, kind, pattern, rule):
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "_pattern", re.compile(pattern))
        object.__setattr__(self, "rule", rule)

    def __setattr__(self, name, value):
        raise AttributeError("a NameRule cannot be changed")

    def matches(self, value):
        return self._pattern.fullmatch(value) is not None

    def check(self, option, value):
        """Raise ModuleFailure unless ``value`` (None passes) follows the rule."""
        if value is not None and not self.matches(value):
            raise ModuleFailure("%s: %r is not a valid %s name: %s" % (option, value, self.kind, self.rule))


def check_range(option, value, low, high):
    """Raise ModuleFailure unless ``low <= value <= high`` (None passes)."""
    if value is not None and not low <= value <= high:
        raise ModuleFailure("%s: must be from %s to %s, got %s" % (option, low, high, value))


def check_length(option, value, high, low=0):
    """Raise ModuleFailure unless the string's length is within bounds (None passes)."""
    if value is not None and not low <= len(value) <= high:
        raise ModuleFailure("%s: must be %d to %d characters long (%d given)" % (option, low, high, len(value)))
