# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CGS API (Huawei Cloud container guard service, v5)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import READ
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import HuaweiApi
from ansible_collections.cloudops.multicloud.plugins.module_utils.pacing import RateLimit

# Whether each operation may be sent again after an unclear answer (api_actions).
OPERATIONS = {"ListContainerNodes": READ}

# CGS allows 5 calls per minute per user (seed 004 L36): every client's calls are paced to that,
# or to the rate_limit_per_minute option of the module or inventory plugin (0 = unpaced), in one
# budget per account and endpoint shared by every process of the controller (pacing.py).
CGS_API = HuaweiApi("cgs", OPERATIONS, rate_limit=RateLimit(5))
