# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # What the attributes every module declares mean; each module sets its own support level.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Whether the module can run in check mode, predicting its result without changing anything.
  diff_mode:
    description: Whether the module reports what it changed (or would change) as a before/after diff.
"""
