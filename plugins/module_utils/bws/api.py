# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KSYUN shared bandwidth API (``bws``, 2016-03-04): its version and the HTTP method of each
action."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import READ, WRITE
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunApi

# Every BWS action is GET (kscore service-2.yaml); only the listing may be sent again after an
# unclear answer (api_actions).
ACTIONS = {
    "CreateBandWidthShare": ("GET", WRITE),
    "DeleteBandWidthShare": ("GET", WRITE),
    "AssociateBandWidthShare": ("GET", WRITE),
    "DisassociateBandWidthShare": ("GET", WRITE),
    "DescribeBandWidthShares": ("GET", READ),
    "ModifyBandWidthShare": ("GET", WRITE),
}

BWS_API = KsyunApi("bws", "2016-03-04", ACTIONS)
