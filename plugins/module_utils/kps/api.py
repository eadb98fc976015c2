# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KPS API (Huawei Cloud SSH keypairs, v3, served on the ``kms.{region}`` host) and the ECS
host beside it (Nova ``os-keypairs`` and the server a keypair is bound to)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.api_actions import IDEMPOTENT, READ, READ_SECRET, WRITE, WRITE_SECRET
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import HuaweiApi

# Whether each operation may be sent again after an unclear answer (api_actions). ExportPrivateKey
# is a POST that changes nothing; deleting a failed task twice deletes it once. The answers of
# CreateKeypair (a generated private key), ImportPrivateKey (its key_protection may echo the key)
# and ExportPrivateKey carry a private key.
OPERATIONS = {
    "ListKeypairs": READ,
    "ListKeypairDetail": READ,
    "CreateKeypair": WRITE_SECRET,
    "UpdateKeypairDescription": WRITE,
    "DeleteKeypair": WRITE,
    "ImportPrivateKey": WRITE_SECRET,
    "ClearPrivateKey": WRITE,
    "ExportPrivateKey": READ_SECRET,
    "AssociateKeypair": WRITE,
    "BatchAssociateKeypair": WRITE,
    "DisassociateKeypair": WRITE,
    "ListKeypairTask": READ,
    "ListRunningTask": READ,
    "ListFailedTask": READ,
    "DeleteFailedTask": IDEMPOTENT,
    "DeleteAllFailedTask": IDEMPOTENT,
    # ECS, on its own host (for_service("ecs")): the server a keypair is bound to
    "ShowServer": READ,
    "ListServersDetails": READ,
    # ECS: Nova os-keypairs v2.1 (nova.py); a generated keypair's answer carries its private key
    "NovaListKeypairs": READ,
    "NovaShowKeypair": READ,
    "NovaCreateKeypair": WRITE_SECRET,
    "NovaDeleteKeypair": WRITE,
}

KPS_API = HuaweiApi("kps", OPERATIONS)

# The SDK (ListKeypairsRequest) documents a default page size of 50 and no maximum; 1000 is asked for, and a server that
# caps lower (clamping or refusing) is still read completely (keypairs.list_keypairs).
PAGE_SIZE = 1000
# Batch calls (batch-import, batch-associate, batch-export) take at most 10 records: the SDK's
# docstrings (huaweicloudsdkkps 3.1.219 BatchAssociateKeypairRequestBody, KpsClient
# batch_export_private_key); seed 001 does not say.
BATCH_LIMIT = 10
