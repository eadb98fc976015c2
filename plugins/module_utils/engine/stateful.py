# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The present/absent state machine every resource module runs: exact ``changed``, check mode that
predicts without writing (also under a parent an earlier task would create: ``errors.ParentPending``),
``--diff``, waits, and create-only options that fail clearly when they differ. Writes go through
``unclear_writes``; the contract is tabled in docs/dev/architecture.md."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import LockTimeout, identity_lock
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine import unclear_writes
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import CloudModule, snake_result
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import (
    NOTHING_MISSING,
    ModuleFailure,
    ParentPending,
)


class StatefulModule(CloudModule):
    """Declarations (class attributes):

    result_key      name of the returned resource (``namespace``)
    updatable       {option: result field} compared and changed in place
    create_only     {option: result field} that must match an existing resource
    wait_states     a ``waiter.WaitStates`` read through ``status_of``
    wait_for_absence  poll ``find()`` after delete until the resource is gone (with ``wait``)
    creatable       False for resources the API cannot create: present on a missing one calls
                    ``missing()``
    gone            an ``errors.Missing``: delete answers that mean "already gone"
    taken           an ``errors.Missing``: create answers that mean "already exists"
    taken_elsewhere the failure message when ``taken`` but ``find()`` sees nothing (the name is
                    used where find() does not look), else the cloud's error stands
    secret          a ``secret_handover.SecretHandover`` when the create answer carries a secret
                    that cannot be read again (set in ``__init__``), else None

    Hooks: ``find()`` (one read: the API object or None), ``create()``, ``update(current,
    changes)``, ``delete(current)``, ``to_result(api_object)``, and where needed ``status_of``,
    ``desired_value``, ``differs``, ``predict_created``, ``predict_updated``, ``preflight``,
    ``replaces`` with ``replace``, ``serial_identity``, ``missing``, plus ``follow_up`` from
    ``CloudModule``.
    """

    gone = NOTHING_MISSING
    taken = NOTHING_MISSING
    taken_elsewhere = None
    updatable = {}
    create_only = {}
    wait_states = None
    wait_for_absence = False
    creatable = True
    secret = None

    def __init__(self):
        self.supports_wait = self.supports_wait or bool(self.wait_states) or self.wait_for_absence
        super(StatefulModule, self).__init__()

    # hooks ------------------------------------------------------------------------------------

    def find(self):
        raise NotImplementedError

    def create(self):
        """Create the resource; return its API object (or None to re-read it with ``find``)."""
        raise NotImplementedError

    def update(self, current, changes):
        """Apply ``changes`` ({option: desired value}); may return the new API object."""
        raise NotImplementedError

    def delete(self, current):
        raise NotImplementedError

    def to_result(self, api_object):
        return snake_result(api_object)

    def status_of(self, api_object):
        return None

    def desired_value(self, option):
        """The option's value as it would appear in the result (override to normalise)."""
        return self.params.get(option)

    def differs(self, option, desired, actual):
        return desired != actual

    def predict_created(self):
        """The result check mode reports for a resource that would be created."""
        predicted = {}
        for option, field in list(self.create_only.items()) + list(self.updatable.items()):
            value = self.desired_value(option)
            if value is not None:
                predicted[field] = value
        return predicted

    def predict_updated(self, before, changes):
        """The result check mode reports after ``changes``; override when other fields follow."""
        after = copy.deepcopy(before)
        for option, value in changes.items():
            after[self.updatable[option]] = value
        return after

    def preflight(self, current):
        """Checks that need the current resource and must pass before any write, in check mode
        too; raise ModuleFailure to stop with nothing written."""

    def replaces(self, current):
        """Whether ``current`` is to be replaced by a new resource (``replace``) rather than
        compared and updated; decided after ``preflight``, in check mode too, where the result
        is ``predict_created()``."""
        return False

    def replace(self, current):
        """Make the new resource, then delete ``current``; return the new API object (or None to
        re-read it with ``find``)."""
        raise NotImplementedError

    def serial_identity(self):
        """For a resource the cloud does not keep unique (no name it refuses twice): a tuple naming
        it, on which the runs of this task on one controller take turns. None (the default) when
        the cloud settles races itself (the loser of a create race gets ``taken`` and re-reads)."""
        return None

    def missing(self):
        """present found nothing and ``creatable`` is False: raise ModuleFailure (saying how the
        resource comes into being), or return to report it unchanged and empty."""
        raise ModuleFailure("%s not found, and it cannot be created through the API" % self.noun)

    # what the engine and unclear_writes ask -----------------------------------------------------

    def status_in(self, api_object, kind):
        return bool(self.wait_states) and self.status_of(api_object) in getattr(self.wait_states, kind)

    def is_deleting(self, api_object):
        return self.status_in(api_object, "deleting")

    def check_create_only(self, before):
        """Fail when a create-only option asks for other than what the resource has. A field the
        cloud leaves out of its answer (absent or null) is unknown, not different: documents and
        samples omit fields (ChargeType, type, scope...), and a re-run must not fail over them."""
        for option, field in self.create_only.items():
            desired = self.desired_value(option)
            current = before.get(field)
            if desired is not None and current is not None and self.differs(option, desired, current):
                raise ModuleFailure(
                    "%s cannot be changed on an existing %s (current: %r, requested: %r); "
                    "delete and recreate it to change it" % (option, self.noun, before.get(field), desired))

    def changes_from(self, before):
        """{option: desired value} for every updatable option that differs from ``before``."""
        changes = {}
        for option, field in self.updatable.items():
            desired = self.desired_value(option)
            if desired is not None and self.differs(option, desired, before.get(field)):
                changes[option] = desired
        return changes

    def wait_ready(self, api_object):
        """``api_object`` once it is ready (waiting with ``wait``); fails on a failed status."""
        if not self.wait_states or not self.params.get("wait") or api_object is None:
            return api_object
        states = self.wait_states

        def ready(obj):
            if obj is None:
                raise ModuleFailure("%s disappeared while waiting for it to become %s"
                                    % (self.noun, "/".join(states.ready)))
            if self.status_in(obj, "failed"):
                reason = states.reason(obj)
                raise ModuleFailure("%s entered status %s%s" % (self.noun, self.status_of(obj),
                                                                ": " + reason if reason else ""),
                                    **{self.result_key: self.to_result(obj)})
            return self.status_of(obj) in states.ready

        if ready(api_object):
            return api_object
        return self.wait_for(ready, "to become %s" % "/".join(states.ready), self.find, status=self.status_of)

    # the state machine --------------------------------------------------------------------------

    def execute(self):
        identity = None if self.check_mode else self.serial_identity()
        if identity is None:
            return self._reconcile()
        try:
            # The lock is held through the waits too: another run waits its turn that long.
            timeout = 300.0 + (self.params.get("wait_timeout") or 0 if self.params.get("wait") else 0)
            with identity_lock((type(self).__name__, self.params.get("endpoint_url") or "", self.region) + identity,
                               timeout=timeout):
                return self._reconcile()
        except LockTimeout as exc:
            raise ModuleFailure("%s (runs of this task on one controller take turns: the cloud does not keep %s "
                                "unique)" % (exc, self.noun))

    def _reconcile(self):
        try:
            current = self.find()
        except ParentPending as pending:
            # Check mode, and the parent would be created by an earlier task: so would this.
            self.warn(pending.msg)
            current = None
        self.preflight(current)
        if self.params.get("state", "present") == "absent":
            return self._ensure_absent(current)
        return self._ensure_present(current)

    def _ensure_present(self, current):
        if current is not None and self.is_deleting(current):
            raise ModuleFailure("%s is being deleted (status %s); run the task again once it is gone"
                                % (self.noun, self.status_of(current)))
        if current is None and not self.creatable:
            self.missing()
            return self._result(False, {}, {})
        if current is None:
            if self.check_mode:
                return self._result(True, {}, self.predict_created())
            created = self.wait_ready(unclear_writes.create_settled(self))
            return self._result(True, {}, self.to_result(created))
        if self.status_in(current, "failed"):
            raise ModuleFailure("%s is in status %s: %s; delete it (state=absent) and run the task again"
                                % (self.noun, self.status_of(current),
                                   self.wait_states.reason(current) or "no reason given"),
                                **{self.result_key: self.to_result(current)})
        before = self.to_result(current)
        if self.replaces(current):
            if self.check_mode:
                return self._result(True, before, self.predict_created())
            return self._result(True, before, self.to_result(self.wait_ready(self.replace(current) or self.find())))
        self.check_create_only(before)
        changes = self.changes_from(before)
        if not changes:
            current = self.wait_ready(current) if self.status_in(current, "pending") else current
            return self._result(False, before, self.to_result(current))
        after = self.predict_updated(before, changes)
        if not self.check_mode:
            updated = unclear_writes.update_settled(self, current, changes)
            if updated is not None:
                after = self.to_result(self.wait_ready(updated))
        return self._result(True, before, after)

    def _ensure_absent(self, current):
        if current is None:
            return self._result(False, {}, {})
        deleting = self.is_deleting(current)
        before = {} if deleting else self.to_result(current)
        if not self.check_mode:
            if not deleting:
                unclear_writes.delete_settled(self, current)
            if self.wait_for_absence and self.params.get("wait"):
                self.wait_for(lambda obj: obj is None, "to be deleted", self.find)
        return self._result(not deleting, before, {})

    def _result(self, changed, before, after):
        result = dict(changed=changed)
        result[self.result_key] = after
        result.update(self.extra_result)
        if self.diff_mode:
            result["diff"] = dict(before=before, after=after)
        return result
