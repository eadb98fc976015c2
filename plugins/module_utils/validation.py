# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of option values made before any API call, each failing with a message that names the
option and the rule. Argument types, choices and required options stay with AnsibleModule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re
from urllib.parse import quote, urlsplit

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure


SHOWN_MAX = 80


def shown(value):
    """``repr(value)``, shortened: errors quote what was given without echoing 5000 characters."""
    text = repr(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 3] + "..."


class NameRule:
    """An immutable name rule: the whole value must match ``pattern`` (no trailing newline slips
    through, as it would with ``^...$``); ``rule`` says it in words."""

    __slots__ = ("kind", "_pattern", "rule")
    noun = "name"

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
        if value is not None and not (isinstance(value, str) and self.matches(value)):
            raise ModuleFailure("%s: %s is not a valid %s %s: %s" % (option, shown(value), self.kind, self.noun,
                                                                     self.rule))

    def check_each(self, option, values):
        """``check`` every item of a list option (None passes); errors say which item."""
        for index, value in enumerate(values or []):
            self.check("%s[%d]" % (option, index), value)


class IdRule(NameRule):
    """The format of a resource ID (``check`` says "is not a valid <kind> ID")."""

    __slots__ = ()
    noun = "ID"


def printable_name(kind, max_length):
    """A NameRule for a name the API documents no rule for: 1 to ``max_length`` characters, no
    control characters (a newline included), no space at either end."""
    edge, inner = r"[^\s\x00-\x1f\x7f]", r"[^\x00-\x1f\x7f]"
    return NameRule(kind, r"%s(%s{0,%d}%s)?" % (edge, inner, max_length - 2, edge),
                    "1 to %d characters, no control characters, no space at either end" % max_length)


_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID_RULE = "a UUID: 32 hexadecimal digits in groups of 8-4-4-4-12, such as 3f2a1c9e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"


def uuid_rule(kind):
    """An IdRule for a service whose ``kind`` IDs are UUIDs."""
    return IdRule(kind, _UUID, _UUID_RULE)


def check_range(option, value, low, high):
    """Raise ModuleFailure unless ``low <= value <= high`` (None passes)."""
    if value is not None and not low <= value <= high:
        raise ModuleFailure("%s: must be from %s to %s, got %s" % (option, low, high, value))


def check_count(option, values, high, noun="items"):
    """Raise ModuleFailure when the list option has more than ``high`` items (None passes)."""
    if values is not None and len(values) > high:
        raise ModuleFailure("%s: at most %d %s (%d given)" % (option, high, noun, len(values)))


def check_url(option, value, schemes=("https", "http"), max_length=1024, masked=None):
    """Raise ModuleFailure unless ``value`` (None passes) is an absolute URL of one of ``schemes``
    with a host, a valid port if any, and no whitespace or control characters anywhere. The error
    shows ``masked(value)`` when given (a URL may carry a token)."""
    if value is None:
        return
    rule = "an absolute %s URL with a host, at most %d characters, without spaces or control characters" % (
        " or ".join("%s://" % s for s in schemes), max_length)
    problem = None
    if len(value) > max_length:
        problem = "it is %d characters long" % len(value)
    elif any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        problem = "it contains whitespace or a control character"
    else:
        parts = urlsplit(value)
        try:
            # Reading the port raises ValueError when it is not a number from 0 to 65535.
            parts.port  # pylint: disable=pointless-statement
        except ValueError:
            problem = "its port is not a number from 1 to 65535"
        else:
            if parts.scheme.lower() not in schemes:
                problem = "its scheme is %r" % parts.scheme if parts.scheme else "it has no scheme"
            elif not parts.hostname:
                problem = "it has no host"
    if problem:
        raise ModuleFailure("%s: %s is not valid (%s): give %s"
                            % (option, shown(masked(value) if masked else value), problem, rule))


def check_length(option, value, high, low=0):
    """Raise ModuleFailure unless the string's length is within bounds (None passes)."""
    if value is not None and not low <= len(value) <= high:
        raise ModuleFailure("%s: must be %d to %d characters long (%d given)" % (option, low, high, len(value)))


class UnsafeValue(ModuleFailure, ValueError):
    """A value that cannot go into a request path or header. A ModuleFailure for modules, a
    ValueError for the plugins, which report ValueError as bad input."""


class Sourced(collections.namedtuple("Sourced", "value origin")):
    """A request path parameter with where it came from, for errors (``path_segment``): a value
    the server returned, where the parameter's own name would not say it."""

    __slots__ = ()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DOT_SEGMENTS = ("", ".", "..")


def path_segment(value, origin):
    """``value`` percent-encoded as one segment of a request path. ``origin`` names where it came
    from: an option name, or words such as "the project id IAM returned".

    Raises UnsafeValue for an empty, ``.`` or ``..`` segment (which ``quote`` leaves as it is and
    which would change the path the request goes to) and for control characters."""
    text = str(value)
    if text in _DOT_SEGMENTS:
        raise UnsafeValue("%s: %s cannot be part of a request path (empty, '.' and '..' path segments are "
                          "refused)" % (origin, shown(text)))
    if _CONTROL.search(text):
        raise UnsafeValue("%s: %s cannot be part of a request path (it contains a control character)"
                          % (origin, shown(text)))
    return quote(text, safe="")


def header_value(value, origin, header):
    """``value``, checked for the ``header`` request header: UnsafeValue naming ``origin`` when it
    contains a control character (CR/LF would split the header). The message never shows the
    value: header values are often credentials."""
    text = str(value)
    found = _CONTROL.search(text)
    if found:
        raise UnsafeValue("%s: cannot be sent in the %s header (it contains the control character U+%04X at "
                          "position %d)" % (origin, header, ord(found.group()), found.start()))
    return text
