# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a cloudops.multicloud module class in-process, as Ansible would, with a fake API client.

The module is a real ``AnsibleModule`` fed through ``patch_module_args``; what it prints on exit
(the JSON Ansible reads, secrets masked by ansible-core) is parsed and returned. Waits use an
injected clock, so nothing sleeps.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import io
import json

from ansible.module_utils.common import warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunClient
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import FakeClock, Outcome


class RecordingClient:
    """A KsyunClient stand-in: ``answer(action, params)`` is the cloud; every call is recorded
    (without the None values the real client drops). ``paginate`` is KsyunClient's own."""

    paginate = KsyunClient.paginate

    def __init__(self):
        self.calls = []

    def call(self, action, params=None, idempotent=None):
        sent = dict((k, v) for k, v in (params or {}).items() if v is not None)
        self.calls.append((action, sent))
        return self.answer(action, sent)

    def answer(self, action, params):
        raise NotImplementedError

    @property
    def actions(self):
        return [call[0] for call in self.calls]

    def writes(self):
        return [action for action in self.actions if not action.startswith("Describe")]


def run_module(module_class, args, client, check_mode=False, diff=False, clock=None):
    """The module's result dict (``failed`` set when it failed), as Ansible would read it.

    Argument-spec failures happen while the module is built, before the client is set: they come
    back the same way."""
    args = dict(args)
    args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
    clock = clock or FakeClock()
    # ansible-core keeps a run's warnings in module globals: start each run with none.
    warnings._global_warnings.clear()
    warnings._global_deprecations.clear()
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module = module_class()
            module._client = client
            module.sleep = clock.sleep
            module.monotonic = clock.monotonic
            module.run()
        except SystemExit:
            pass
        else:
            raise AssertionError("the module returned without exit_json/fail_json")
    result = Outcome(json.loads(out.getvalue()))
    if "warnings" in result:
        # What the user sees: the message of each warning.
        result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    return result
