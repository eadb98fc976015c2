# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Nova ``os-keypairs`` v2.1 on the ECS host: the keypair API seed 001 documents beside KPS v3,
over the same keypairs, with IAM actions of its own (``ecs:serverKeypairs:*``). keypair_api.py
decides when it is used.

It creates (the cloud generates the pair and hands its private key over once), imports, shows,
lists and deletes. It has no description, custody, scope nor binding tasks; ``type`` and
``user_id`` need the microversions 2.2 and 2.10 (SDK huaweicloudsdkecs 3.1.219
``NovaCreateKeypairOption``), which this client does not send, so neither is sent.

Readings the sources leave open, and how this code stays correct under each of them:

* the show answer's times are ISO datetimes (seed sample) or seconds (seed table): both read;
* the listing is not paged (nothing documented): one call, no ``limit``/``marker`` sent;
* "no such keypair" is 404, or 400 under the other KPS reading: a 400 is settled by the listing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, Missing
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.keypairs import unwrapped

NOVA_KEYPAIRS_PATH = "/v2.1/{project_id}/os-keypairs"
NOVA_KEYPAIR_PATH = "/v2.1/{project_id}/os-keypairs/{keypair_name}"

NOT_FOUND = Missing(statuses=(404,))
MAYBE_NOT_FOUND = Missing(statuses=(400,))


def kps_shaped(keypair):
    """A Nova keypair (``NovaKeypairDetail``, ``NovaSimpleKeypair`` or the create answer) in the
    fields of a KPS ``KeypairDetail``, so that one result shape serves both APIs. What Nova does
    not report stays absent (unknown, never compared)."""
    shaped = {}
    # created_at/updated_at are KPS's documented names too: keypair_result reads them in any form.
    for field in ("name", "id", "type", "user_id", "public_key", "fingerprint", "description",
                  "is_key_protection", "private_key", "created_at", "updated_at"):
        if keypair.get(field) not in (None, ""):
            shaped[field] = keypair[field]
    return shaped


def list_keypairs(ecs_client):
    """Every keypair of the project through NovaListKeypairs, KPS-shaped (one call: no paging is
    documented)."""
    answer = ecs_client.request("GET", NOVA_KEYPAIRS_PATH, operation="NovaListKeypairs") or {}
    return [kps_shaped(unwrapped(entry)) for entry in answer.get("keypairs") or []]


def get_keypair(ecs_client, name):
    """NovaShowKeypair: keypair ``name``, KPS-shaped, or None when there is none (a 400 is
    settled by the listing)."""
    try:
        answer = ecs_client.request("GET", NOVA_KEYPAIR_PATH, path_params={"keypair_name": name},
                                    operation="NovaShowKeypair")
    except CloudError as exc:
        if NOT_FOUND.matches(exc):
            return None
        if MAYBE_NOT_FOUND.matches(exc) and not any(k.get("name") == name for k in list_keypairs(ecs_client)):
            return None
        raise
    return kps_shaped(unwrapped(answer or {})) or None


def create_keypair(ecs_client, spec):
    """NovaCreateKeypair with the name and public key of ``spec`` (a KPS ``CreateKeypairAction``;
    its other fields are refused before a run gets here, keypair_api.refuse_for_nova). The answer,
    KPS-shaped, carries ``private_key`` when the cloud generated the pair; without it the answer
    is unclear (the engine deletes the keypair and makes it again)."""
    body = {"name": spec["name"]}
    if spec.get("public_key"):
        body["public_key"] = spec["public_key"]
    answer = ecs_client.request("POST", NOVA_KEYPAIRS_PATH, body={"keypair": body}, operation="NovaCreateKeypair")
    created = kps_shaped(unwrapped(answer or {}))
    if not body.get("public_key") and not created.get("private_key"):
        raise CloudError("the answer has no private_key", code="InvalidResponse", service="ecs",
                         operation="NovaCreateKeypair", unclear=True)
    return created


def delete_keypair(ecs_client, name):
    """NovaDeleteKeypair (returns None); a 400 after which the keypair is gone counts as deleted."""
    try:
        ecs_client.request("DELETE", NOVA_KEYPAIR_PATH, path_params={"keypair_name": name},
                           operation="NovaDeleteKeypair")
    except CloudError as exc:
        if MAYBE_NOT_FOUND.matches(exc) and get_keypair(ecs_client, name) is None:
            return
        raise
