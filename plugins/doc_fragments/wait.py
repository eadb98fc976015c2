# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The wait options the state engine adds to modules whose resources change state on their own.
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Whether to wait until the resource has reached its final state (for example V(Running))
        before the task returns, or until it is gone after O(state=absent).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most when O(wait=true); the task fails when the time is up.
    type: int
    default: 600
  wait_interval:
    description:
      - Seconds between two status reads while waiting.
      - The environment variable E(CLOUDOPS_WAIT_INTERVAL) sets it when the task does not; a short
        interval suits a local emulator whose resources settle in a second, the default a real cloud.
      - At least V(0.1).
    type: float
    default: 2.0
"""
