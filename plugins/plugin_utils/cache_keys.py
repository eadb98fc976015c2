# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cache keys of the inventory plugins: one entry per (plugin, source, account, region, filters).

A listing is cached under a key that differs for every account (access key or IAM user, endpoint,
project), region, source and server-side filter, so two inventory files that list the same thing
share an entry and nothing else does. The identity is hashed: no credential appears in a key (a
jsonfile cache names its files after the keys).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def listing_key(plugin, source, region, identity):
    """``cloudops_multicloud_<plugin>_<source>_<region>_<hash of identity>``.

    ``identity`` is a JSON-serialisable mapping of everything else that changes the listing's
    answer: account, endpoint, project, filters sent to the API."""
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
    return _UNSAFE.sub("_", "cloudops_multicloud_%s_%s_%s_%s" % (plugin, source, region, digest))
