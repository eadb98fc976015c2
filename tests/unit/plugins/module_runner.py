# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module class in-process with a scripted client: for the tests that drive the engine
through a made-up API (test_engine.py's widget, test_secret_options.py), whose every answer and
failure they script call by call. Tests of the services run on the emulator (emulated_cloud.py).

The module is a real ``AnsibleModule`` fed through ``patch_module_args``; what it prints on exit
(the JSON Ansible reads, secrets masked by ansible-core) is parsed and returned. Waits use an
injected clock, so nothing sleeps.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunClient
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import FakeClock, run_in_process


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

    def with_client(module):
        module._client = client

    return run_in_process(module_class, args, clock or FakeClock(), with_client)
