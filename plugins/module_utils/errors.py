# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two failure types of the collection, and how a resource declares which answers mean
"this thing does not exist".

* ``CloudError``: one failed API call, as the cloud (or the network) said it.
* ``ModuleFailure``: a failure the user can act on, with a message that names the option or the
  resource; modules turn it into ``fail_json`` once, centrally. ``ParentPending`` is the check-mode
  case of a parent that an earlier task would create.
* ``Missing``: declared once per resource (``NAMESPACE_MISSING = Missing("NamespaceNotFound")``);
  ``absent_if`` / ``translate`` apply it, so no module writes ``except CloudError`` by hand.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class CloudError(Exception):
    """One failed API call: what the cloud (or the network) said, ready for ``fail_json``."""

    def __init__(self, message, status=None, code=None, request_id=None, service=None, operation=None,
                 unclear=False):
        super(CloudError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.service = service
        self.operation = operation
        # A success whose answer was lost on the way (cut short, or unreadable where it carried a
        # secret): the call acted, but what it answered is unknown.
        self.unclear = unclear

    def __str__(self):
        text = "%s %s failed: %s: %s" % (self.service, self.operation, self.code, self.message)
        if self.request_id:
            text += " (request id %s)" % self.request_id
        return text

    def to_dict(self):
        return dict(status=self.status, code=self.code, message=self.message,
                    request_id=self.request_id, service=self.service, operation=self.operation)

    @property
    def ambiguous(self):
        """True when the call may or may not have acted, or acted without its answer arriving: no
        answer, a server error, or an unclear success."""
        return self.unclear or self.status is None or self.status >= 500


class ModuleFailure(Exception):
    """A failure the user can act on: a message naming the option or resource, plus data."""

    def __init__(self, msg, **data):
        super(ModuleFailure, self).__init__(msg)
        self.msg = msg
        self.data = data


class ParentPending(ModuleFailure):
    """Check mode only: the parent a resource lives in does not exist, presumably because an
    earlier task of the play would create it. The engine then predicts the resource as created
    too (or lists nothing) and warns with this message; anywhere else it fails with it."""


class Missing:
    """Which answers mean that a resource (or the parent named in a call) does not exist.

    ``codes`` are error codes; ``statuses`` HTTP statuses that mean "not found" whatever the code
    (use them only where the API answers nothing else with that status for the call). An answer
    whose code leaves open what is missing may carry ``implied``: the code a service with codes of
    its own would have answered, decided by the caller from listings (kcr/absence.py).
    """

    def __init__(self, *codes, statuses=()):
        self.codes = frozenset(codes)
        self.statuses = frozenset(statuses)

    def __or__(self, other):
        merged = Missing(*(self.codes | other.codes))
        merged.statuses = self.statuses | other.statuses
        return merged

    def matches(self, exc):
        return isinstance(exc, CloudError) and (exc.code in self.codes or exc.status in self.statuses
                                                or getattr(exc, "implied", None) in self.codes)

    def absent_if(self, call, *args, **kwargs):
        """``call(*args, **kwargs)``, or None when it fails because the thing is missing."""
        try:
            return call(*args, **kwargs)
        except CloudError as exc:
            if self.matches(exc):
                return None
            raise

    def translate(self, failure, call, *args, **kwargs):
        """``call(*args, **kwargs)``; a "missing" answer raises ``failure()`` (a ModuleFailure)."""
        try:
            return call(*args, **kwargs)
        except CloudError as exc:
            if self.matches(exc):
                raise failure()
            raise


def absent_if_any(declarations, call, *args, **kwargs):
    """``(call(*args, **kwargs), None)``, or ``(None, declaration)`` when the call fails with an
    answer one of ``declarations`` (``Missing``, tried in order) matches: for reads that name a
    resource and its parent, where the caller needs to know which one is missing."""
    try:
        return call(*args, **kwargs), None
    except CloudError as exc:
        for declaration in declarations:
            if declaration.matches(exc):
                return None, declaration
        raise


NOTHING_MISSING = Missing()


def resend_if_ambiguous(call, attempts, settled=None):
    """``call()`` for a write that is safe to send twice (setting a value, adding a member). An
    answer that may or may not have acted is settled by ``settled()`` (a read: True when the
    write took effect); if it did not, or without ``settled``, the write is sent again, up to
    ``attempts`` times in all."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except CloudError as exc:
            if not exc.ambiguous or attempt == attempts:
                raise
            if settled is not None and settled():
                return None
    return None
