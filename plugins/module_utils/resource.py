# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state engine shared by every cloudops.multicloud module; it knows no cloud by name.

A module is a small class of declarations plus a few hooks:

* ``CloudModule`` builds the AnsibleModule (its API's common options merged with the module's
  own), creates one API client per run, and turns every failure into a clean ``fail_json``.
  ``api`` is a service descriptor (``ksyun.KsyunApi``, ``huaweicloud.HuaweiApi``) that supplies the
  common options and the client, so a module ships only its own cloud's code.
* ``StatefulModule`` adds ``state: present|absent`` with exact ``changed``, check mode that predicts
  without writing (also under a parent an earlier task would create: ``errors.ParentPending``),
  ``--diff``, waits, and create-only options that fail clearly when they differ.
* ``InfoModule`` lists resources.

Hooks a ``StatefulModule`` implements: ``find()`` (one read, the API object or None),
``create()``, ``update(current, changes)``, ``delete(current)`` and ``to_result(api_object)``;
optionally ``preflight(current)`` for checks that need the current resource and must pass before
any write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import time

from ansible.module_utils.basic import AnsibleModule, env_fallback
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.errors import NoLogError

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import LockTimeout, identity_lock
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import (
    NOTHING_MISSING,
    CloudError,
    ModuleFailure,
    ParentPending,
)

WAIT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=600),
    wait_interval=dict(type="float", default=2.0, fallback=(env_fallback, ["CLOUDOPS_WAIT_INTERVAL"])),
)
# Shortest pause between two status reads: an API is never polled in a tight loop.
MIN_WAIT_INTERVAL = 0.1


def snake_result(api_object):
    """An API object as a module returns it: snake_case keys, values untouched."""
    if api_object is None:
        return None
    return camel_dict_to_snake_dict(api_object)


class _AnsibleModule(AnsibleModule):
    """AnsibleModule, except that an option whose list elements are not dicts fails naming the
    option: ansible-core meets such an element first while collecting no_log values of the
    suboptions, and would report that error, which names no option."""

    def fail_json(self, msg, **kwargs):
        result = getattr(self, "validation_result", None)
        errors = list(result.errors.errors) if result is not None else []
        if errors and isinstance(errors[0], NoLogError) and msg == str(errors[0]):
            named = [error for error in errors if not isinstance(error, NoLogError)]
            if named:
                msg = str(named[0])
        super(_AnsibleModule, self).fail_json(msg=msg, **kwargs)


def _merged_kwargs(*kwargs_dicts):
    """AnsibleModule keyword arguments; list-valued ones (mutually_exclusive, ...) are concatenated."""
    merged = {}
    for kwargs in kwargs_dicts:
        for key, value in kwargs.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    return merged


class CloudModule:
    """Argument spec assembly, the run's single API client, and central error handling.

    Declarations:
      api              the service descriptor: ``argument_spec()`` and ``client(params, trace)``
      shared_spec      options every module of a service family takes (e.g. the KCR instance)
      shared_kwargs    their AnsibleModule constraints (mutually_exclusive, required_one_of, ...)
      argument_spec    the module's own options; module_kwargs their constraints
    """

    api = None
    shared_spec = {}
    shared_kwargs = {}
    argument_spec = {}
    module_kwargs = {}
    supports_wait = False

    def __init__(self):
        spec = self.api.argument_spec()
        if self.supports_wait:
            spec.update(copy.deepcopy(WAIT_SPEC))
        spec.update(copy.deepcopy(self.shared_spec))
        spec.update(copy.deepcopy(self.argument_spec))
        kwargs = _merged_kwargs(self.shared_kwargs, self.module_kwargs)
        self.module = _AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self._client = None
        self._api_calls = []
        self.sleep = time.sleep
        self.monotonic = time.monotonic
        self.wait_interval = self.params.get("wait_interval", WAIT_SPEC["wait_interval"]["default"])
        if self.wait_interval < MIN_WAIT_INTERVAL:
            self.module.fail_json(msg="wait_interval must be at least %s seconds, got %s"
                                  % (MIN_WAIT_INTERVAL, self.params["wait_interval"]))

    # -- the run's one client ------------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def _make_client(self):
        trace = self._api_calls.append if self.module._verbosity >= 3 else None
        try:
            return self.api.client(self.params, trace=trace)
        except ValueError as exc:
            raise ModuleFailure(str(exc))

    @property
    def region(self):
        return self.params.get("region")

    # -- running ---------------------------------------------------------------------------------

    def validate(self):
        """Check option values before any call; raise ModuleFailure naming the option and rule."""

    def execute(self):
        raise NotImplementedError

    def run(self):
        try:
            self.validate()
            result = self.execute()
        except ModuleFailure as exc:
            self._fail(exc.msg, **exc.data)
        except CloudError as exc:
            self._fail(str(exc), error=exc.to_dict())
        if self._api_calls:
            result["api_calls"] = list(self._api_calls)
        self.module.exit_json(**result)

    def _fail(self, msg, **data):
        if self._api_calls:
            data["api_calls"] = list(self._api_calls)
        self.module.fail_json(msg=msg, **data)

    def _write_attempts(self):
        """How often a write whose answer left open whether it acted may be sent, when a re-read
        shows that it did not: 1 + the ``retries`` budget."""
        retries = self.params.get("retries")
        return 1 + max(0, int(retries if retries is not None else 0))


class StatefulModule(CloudModule):
    """present/absent, exact changed, check mode, diff, waits, create-only options.

    Declarations:
      result_key    name of the returned resource (``namespace``); ``returned()`` shapes what is
                    returned under it when that differs from what is compared and diffed
      updatable     {option: result field} compared and changed in place
      create_only   {option: result field} that must match an existing resource
      wait_states   dict(pending=(...), ready=(...), failed=(...)) read through ``status_of``;
                    optional deleting=(...): already going away (absent waits without a delete
                    call and reports no change; present fails clearly)
      wait_for_absence  poll ``find()`` after delete until the resource is gone (with ``wait``)
      supports_wait  add ``wait``/``wait_timeout`` for a module that waits on something else
      creatable     False for resources the API cannot create (they come into being elsewhere):
                    state=present on a missing one calls ``missing()`` instead of ``create()``
      gone          an ``errors.Missing``: answers to ``delete()`` that mean the resource is
                    already gone (deleted meanwhile), so absent is reached
      taken         an ``errors.Missing`` of the codes that mean "already exists" on create
                    (``taken_elsewhere(exc)`` explains one that ``find()`` cannot see)
      secret_once() True when the create answer carries a secret that cannot be read again (a
                    registry token, a generated private key)

    Writes that may or may not have acted are reconciled here, not per module: a create that
    fails ambiguously (no answer, 5xx) or as ``taken`` (a parallel run won the race) re-reads
    with ``find()`` and goes on from what exists, updating what still differs; a delete that
    fails re-reads too, and a resource that is gone counts as deleted. When the lost answer
    carried a secret (``secret_once``), the resource this run just made is deleted and made
    again, so the secret is never silently lost.
    """

    result_key = "resource"
    gone = NOTHING_MISSING
    taken = NOTHING_MISSING
    updatable = {}
    create_only = {}
    wait_states = None
    wait_for_absence = False
    creatable = True

    def __init__(self):
        self.supports_wait = self.supports_wait or bool(self.wait_states) or self.wait_for_absence
        super(StatefulModule, self).__init__()
        self.extra_result = {}

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

    def returned(self, result):
        """What the module returns under ``result_key`` for a ``to_result`` value (the value itself)."""
        return result

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
        """Reads and checks that must pass before any write, in check mode too, once ``find()``
        has read ``current`` (e.g. a member that belongs to another resource); raise
        ModuleFailure to stop with nothing written."""

    def secret_once(self):
        return False

    def serial_identity(self):
        """For a resource the cloud does not keep unique (no name it refuses twice): a tuple naming
        it, on which the runs of this task on one controller take turns, so a parallel fork finds
        the resource the first one made instead of making a twin. None (the default) when the cloud
        settles races itself (the loser of a create race gets ``taken`` and re-reads)."""
        return None

    def taken_elsewhere(self, exc):
        """create() failed as ``taken`` and ``find()`` still sees nothing: the name is used where
        find() does not look. Return the exception to raise (a ModuleFailure saying where)."""
        return exc

    def failure_reason(self, api_object):
        """Why a resource in a ``failed`` wait state failed, as the API says it ("" if unknown)."""
        return ""

    def missing(self):
        """state=present found nothing and ``creatable`` is False: raise ModuleFailure (saying how
        the resource comes into being), or return to report it unchanged and empty."""
        raise ModuleFailure("%s not found, and it cannot be created through the API"
                            % self.result_key.replace("_", " "))

    # engine -----------------------------------------------------------------------------------

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
                                "unique)" % (exc, self.result_key.replace("_", " ")))

    def _reconcile(self):
        try:
            current = self.find()
        except ParentPending as pending:
            # Check mode, and the parent would be created by an earlier task: so would this.
            self.module.warn(pending.msg)
            current = None
        self.preflight(current)
        if self.params.get("state", "present") == "absent":
            return self._ensure_absent(current)
        return self._ensure_present(current)

    def _ensure_present(self, current):
        if current is not None and self._is_deleting(current):
            raise ModuleFailure("%s is being deleted (status %s); run the task again once it is gone"
                                % (self.result_key.replace("_", " "), self.status_of(current)))
        if current is None and not self.creatable:
            self.missing()
            return self._result(False, {}, {})
        if current is None:
            before = {}
            if self.check_mode:
                after = self.predict_created()
            else:
                created = self._create_reconciled()
                created = self._wait_ready(created)
                after = self.to_result(created)
            return self._result(True, before, after)

        if self._is_failed(current):
            reason = self.failure_reason(current)
            raise ModuleFailure("%s is in status %s: %s; delete it (state=absent) and run the task again"
                                % (self.result_key.replace("_", " "), self.status_of(current),
                                   reason or "no reason given"),
                                **{self.result_key: self.returned(self.to_result(current))})
        before = self.to_result(current)
        self._check_create_only(before)
        changes = self._changes(before)
        if not changes:
            current = self._wait_ready(current) if self._is_pending(current) else current
            return self._result(False, before, self.to_result(current))
        after = self.predict_updated(before, changes)
        if not self.check_mode:
            updated = self._update_reconciled(current, changes)
            if updated is not None:
                after = self.to_result(self._wait_ready(updated))
        return self._result(True, before, after)

    def _ensure_absent(self, current):
        if current is None:
            return self._result(False, {}, {})
        if self._is_deleting(current):
            if not self.check_mode and self.wait_for_absence and self.params.get("wait"):
                self._wait(lambda obj: obj is None, "to be deleted")
            return self._result(False, {}, {})
        before = self.to_result(current)
        if not self.check_mode:
            self._delete_reconciled(current)
            if self.wait_for_absence and self.params.get("wait"):
                self._wait(lambda obj: obj is None, "to be deleted")
        return self._result(True, before, {})

    def _create_reconciled(self):
        """create(), then the created API object. A create that may have acted (no answer, 5xx)
        or that lost a race ("taken") is re-read: what exists is the result; if nothing exists,
        the create surely did not act and is sent again within the retry budget."""
        attempts = self._write_attempts()
        for attempt in range(1, attempts + 1):
            try:
                created = self.create()
            except CloudError as exc:
                if not (exc.ambiguous or self.taken.matches(exc)):
                    raise
                created = self.find()
                if created is None and self.taken.matches(exc):
                    raise self.taken_elsewhere(exc)
                if created is None and attempt == attempts:
                    raise
                if created is None:
                    continue
                if exc.ambiguous and self.secret_once():
                    # It did not exist when this run began, so it is this run's, and its secret
                    # was in the answer that was lost: make it again.
                    self._delete_reconciled(created)
                    if attempt == attempts:
                        raise ModuleFailure("%s was created but the answer carrying its secret was lost (%s); "
                                            "it was deleted again: run the task again"
                                            % (self.result_key.replace("_", " "), exc), error=exc.to_dict())
                    continue
                return self._go_on_from(created)
            return created if created is not None else self.find()

    def _go_on_from(self, existing):
        """A create that may have acted, or lost a race, found ``existing``: it must match the
        create-only options, and what still differs from the task (members a create() joins after
        its first call, say) is updated."""
        before = self.to_result(existing)
        self._check_create_only(before)
        changes = self._changes(before)
        if not changes:
            return existing
        updated = self._update_reconciled(existing, changes)
        return updated if updated is not None else self.find()

    def _update_reconciled(self, current, changes):
        """update(); one that may have acted is re-read and only what still differs is sent
        again, within the retry budget."""
        attempts = self._write_attempts()
        for attempt in range(1, attempts + 1):
            try:
                return self.update(current, changes)
            except CloudError as exc:
                if not exc.ambiguous or attempt == attempts:
                    raise
                current = self.find()
                if current is None:
                    raise
                changes = self._changes(self.to_result(current))
                if not changes:
                    return current

    def _delete_reconciled(self, current):
        """delete(); "gone" answers reach the goal, and one that may have acted is re-read: gone
        or going away is done, still there is deleted again within the retry budget."""
        attempts = self._write_attempts()
        for attempt in range(1, attempts + 1):
            try:
                self.delete(current)
                return
            except CloudError as exc:
                if self.gone.matches(exc):
                    return
                if not exc.ambiguous:
                    raise
                remaining = self.find()
                if remaining is None or self._is_deleting(remaining):
                    return
                if attempt == attempts:
                    raise
                current = remaining

    def _check_create_only(self, before):
        for option, field in self.create_only.items():
            desired = self.desired_value(option)
            if desired is None:
                continue
            if self.differs(option, desired, before.get(field)):
                raise ModuleFailure(
                    "%s cannot be changed on an existing %s (current: %r, requested: %r); "
                    "delete and recreate it to change it" % (option, self.result_key.replace("_", " "),
                                                             before.get(field), desired))

    def _changes(self, before):
        changes = {}
        for option, field in self.updatable.items():
            desired = self.desired_value(option)
            if desired is not None and self.differs(option, desired, before.get(field)):
                changes[option] = desired
        return changes

    def _result(self, changed, before, after):
        result = dict(changed=changed)
        result[self.result_key] = self.returned(after)
        result.update(self.extra_result)
        if self.module._diff:
            result["diff"] = dict(before=before, after=after)
        return result

    # waiting ----------------------------------------------------------------------------------

    def _is_deleting(self, api_object):
        return bool(self.wait_states) and self.status_of(api_object) in self.wait_states.get("deleting", ())

    def _is_failed(self, api_object):
        return bool(self.wait_states) and self.status_of(api_object) in self.wait_states.get("failed", ())

    def _is_pending(self, api_object):
        return bool(self.wait_states) and self.status_of(api_object) in self.wait_states.get("pending", ())

    def _wait_ready(self, api_object):
        if not self.wait_states or not self.params.get("wait") or api_object is None:
            return api_object
        states = self.wait_states

        def ready(obj):
            if obj is None:
                raise ModuleFailure("%s disappeared while waiting for it to become %s"
                                    % (self.result_key.replace("_", " "), "/".join(states["ready"])))
            status = self.status_of(obj)
            if status in states.get("failed", ()):
                reason = self.failure_reason(obj)
                raise ModuleFailure("%s entered status %s%s" % (
                    self.result_key.replace("_", " "), status, ": " + reason if reason else ""),
                    **{self.result_key: self.to_result(obj)})
            return status in states["ready"]

        if ready(api_object):
            return api_object
        return self._wait(ready, "to become %s" % "/".join(states["ready"]), status=self.status_of)

    def _wait(self, done, what, read=None, status=None):
        """Poll ``read`` (default ``find``) until ``done(obj)``; return that obj. On timeout the
        message names the status last seen (``status(obj)``), whatever its name."""
        read = read or self.find
        deadline = self.monotonic() + self.params["wait_timeout"]
        while True:
            self.sleep(self.wait_interval)
            obj = read()
            if done(obj):
                return obj
            if self.monotonic() >= deadline:
                seen = ""
                if status is not None and obj is not None:
                    seen = " (last status seen: %s)" % status(obj)
                raise ModuleFailure("timed out after %ss waiting for %s %s%s"
                                    % (self.params["wait_timeout"], self.result_key.replace("_", " "), what, seen))


class InfoModule(CloudModule):
    """Read-only listing: ``list_resources()`` returns the API objects, returned under ``result_key``."""

    result_key = "resources"

    def list_resources(self):
        raise NotImplementedError

    def to_result(self, api_object):
        return snake_result(api_object)

    def execute(self):
        try:
            found = self.list_resources()
        except ParentPending as pending:
            self.module.warn(pending.msg)
            found = []
        return {"changed": False, self.result_key: [self.to_result(o) for o in found]}
