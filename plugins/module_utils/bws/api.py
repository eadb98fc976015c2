# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KSYUN shared bandwidth API (``bws``, 2016-03-04): its version and the HTTP method of each
action."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunApi

# Every BWS action is GET (kscore service-2.yaml).
ACTION_METHODS = {
    "CreateBandWidthShare": "GET",
    "DeleteBandWidthShare": "GET",
    "AssociateBandWidthShare": "GET",
    "DisassociateBandWidthShare": "GET",
    "DescribeBandWidthShares": "GET",
    "ModifyBandWidthShare": "GET",
}

BWS_API = KsyunApi("bws", "2016-03-04", ACTION_METHODS)
