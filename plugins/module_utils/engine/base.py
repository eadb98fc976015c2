# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module base every cloudops.multicloud module builds on: the argument spec (its API's common
options merged with the module's own), the run's one API client, and the one place where failures
become ``fail_json``. ``InfoModule`` lists resources. The contract (declarations and hooks, and the
modules that use each) is tabled in docs/dev/architecture.md."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import time

from ansible.module_utils.basic import AnsibleModule, env_fallback
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.errors import NoLogError

from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.waiter import MIN_WAIT_INTERVAL, Waiter
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure, ParentPending

WAIT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=600),
    wait_interval=dict(type="float", default=2.0, fallback=(env_fallback, ["CLOUDOPS_WAIT_INTERVAL"])),
)


def snake_result(api_object):
    """An API object as a module returns it: snake_case keys, values untouched."""
    if api_object is None:
        return None
    return camel_dict_to_snake_dict(api_object)


def write_attempts(params):
    """How often a write whose answer left open whether it acted may be sent, when a re-read shows
    that it did not: 1 + the ``retries`` budget."""
    retries = params.get("retries")
    return 1 + max(0, int(retries if retries is not None else 0))


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
    """Declarations: ``api`` (the service descriptor: ``argument_spec()`` and ``client(params,
    trace)``), ``shared_spec``/``shared_kwargs`` (options of a service family, e.g. the KCR
    instance), ``argument_spec``/``module_kwargs`` (the module's own), ``supports_wait``.
    Hooks: ``validate()``, ``execute()``, ``follow_up(result)``."""

    api = None
    shared_spec = {}
    shared_kwargs = {}
    argument_spec = {}
    module_kwargs = {}
    supports_wait = False
    result_key = "resource"

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
        self.diff_mode = self.module._diff
        self.verbosity = self.module._verbosity
        self.extra_result = {}
        self._client = None
        self._api_calls = []
        self.sleep = time.sleep
        self.monotonic = time.monotonic
        self.wait_interval = self.params.get("wait_interval", WAIT_SPEC["wait_interval"]["default"])
        if self.wait_interval < MIN_WAIT_INTERVAL:
            self.module.fail_json(msg="wait_interval must be at least %s seconds, got %s"
                                  % (MIN_WAIT_INTERVAL, self.params["wait_interval"]))

    @property
    def client(self):
        """The run's one API client (one HTTP session), made on first use."""
        if self._client is None:
            trace = self._api_calls.append if self.verbosity >= 3 else None
            try:
                self._client = self.api.client(self.params, trace=trace)
            except ValueError as exc:
                raise ModuleFailure(str(exc))
            self._client.transport.warn = self.module.warn
        return self._client

    @property
    def region(self):
        return self.params.get("region")

    @property
    def noun(self):
        """What the module manages, in messages (``kcr instance`` for result_key kcr_instance)."""
        return self.result_key.replace("_", " ")

    @property
    def write_attempts(self):
        return write_attempts(self.params)

    def warn(self, msg):
        self.module.warn(msg)

    def wait_for(self, done, what, read, status=None):
        """Poll ``read()`` every ``wait_interval`` until ``done(obj)``, for at most ``wait_timeout``;
        ``what`` finishes "waiting for <noun> ..." in the timeout message."""
        waiter = Waiter(self.params["wait_timeout"], self.wait_interval, self.sleep, self.monotonic)
        return waiter.until(read, done, "%s %s" % (self.noun, what), status=status)

    # hooks -------------------------------------------------------------------------------------

    def validate(self):
        """Check option values before any call; raise ModuleFailure naming the option and rule."""

    def execute(self):
        """The module's work; returns the result dict."""
        raise NotImplementedError

    def follow_up(self, result):
        """After ``execute()``: more work on its result (a scan, an export), or more fields."""
        return result

    # the error funnel ---------------------------------------------------------------------------

    def run(self):
        try:
            self.validate()
            result = self.follow_up(self.execute())
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


class InfoModule(CloudModule):
    """Read-only listing: ``list_resources()`` returns the API objects, returned under
    ``result_key`` through ``to_result``."""

    result_key = "resources"

    def list_resources(self):
        raise NotImplementedError

    def to_result(self, api_object):
        return snake_result(api_object)

    def execute(self):
        try:
            found = self.list_resources()
        except ParentPending as pending:
            self.warn(pending.msg)
            found = []
        result = {"changed": False, self.result_key: [self.to_result(o) for o in found]}
        result.update(self.extra_result)
        return result
