# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KPS keypairs: the calls, the name rule, local fingerprints and the result shape that
ssh_keypair, ssh_keypair_info and the ``keypairs`` inventory plugin share.

Readings the sources leave open, and how this code stays correct under each of them:

* not found is 404 or 400 with some ``KPS.*`` code: a 404 with a ``KPS.*`` code on the detail
  means absent; a 400 (or a 404 without one) is settled by the listing (the name is listed or
  not), never by the code;
* paging: ``limit`` has no documented maximum (a server may clamp it or refuse it: a refused
  first page is asked again without ``limit``, i.e. at the documented default of 50); ``marker``
  may be the last name or an id, and ``next_marker`` may be absent, a URL, or present on the last
  page: the next marker is taken from the last item (its ``id`` when the listing carries one,
  else its name) and the listing ends on an empty page; seed 001's list has no paging at all, so
  the service may ignore ``limit``/``marker`` (a page that adds no new name ends the listing) or
  refuse them (asked again without them);
* the fields: the SDK models have ``type``, ``scope``, ``key_id``, ``frozen_state`` and
  ``create_time``/``update_time``; seed 001's tables have none of the first four, name the times
  ``created_at``/``updated_at`` and type ``id`` as a String. An absent field is unknown (None),
  never a default; ``id`` is returned as a string;
* ``frozen_state`` arrives as a string or an integer, times in seconds, milliseconds or ISO 8601
  text: all are normalised (integer state, epoch seconds);
* the KMS key of a kept private key is ``key_id`` (SDK KeypairDetail) or
  ``key_protection.encryption.kms_key_id`` (the request's shape); absent, it is unknown;
* "the same key" is the same key type and base64 blob: comments and trailing newlines differ
  between what was sent and what the service keeps.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import datetime
import hashlib
import re
import struct

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, Missing, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.api import PAGE_SIZE
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import NameRule

KEYPAIRS_PATH = "/v3/{project_id}/keypairs"
KEYPAIR_PATH = "/v3/{project_id}/keypairs/{keypair_name}"

# Seed 001 and the import model say 64 bytes; the create model says 255. The stricter rule holds
# under both readings (the characters are ASCII, so bytes = characters).
KEYPAIR_NAME = NameRule("KPS keypair", r"[A-Za-z0-9_-]{1,64}",
                        "1 to 64 characters: letters, digits, '_' and '-'")
DESCRIPTION_MAX = 255

# A 404 on the detail means "no such keypair" whatever the code; a 400 may mean it too (some
# KPS.* code), so the listing decides.
NOT_FOUND = Missing(statuses=(404,))
MAYBE_NOT_FOUND = Missing(statuses=(400,))
# Create: the name is taken (409, or 400 under the other reading); the engine re-reads to decide.
MAYBE_TAKEN = Missing(statuses=(400, 409))

FROZEN_STATES = {
    0: "normal", 1: "frozen", 2: "police frozen", 3: "frozen and police frozen",
    4: "violation frozen", 5: "frozen and violation frozen", 6: "police and violation frozen",
    7: "frozen, police and violation frozen", 8: "frozen for unverified identity",
    9: "frozen and frozen for unverified identity", 10: "police frozen and frozen for unverified identity",
}

_KEY_TYPE = re.compile(r"(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+|[a-z0-9-]+-cert-v01@openssh\.com)")


# -- key material --------------------------------------------------------------------------------

class KeyMaterialError(ValueError):
    """Unusable key material; the message says why, never the key."""


def parse_public_key(text):
    """(key type, base64 blob) of an OpenSSH public key line; KeyMaterialError when it is not one.

    The blob must decode and start with its own key type (the SSH wire format), so a truncated or
    pasted-wrong key fails before anything is sent."""
    if not isinstance(text, str) or not text.strip():
        raise KeyMaterialError("empty public key")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) != 1:
        raise KeyMaterialError("expected one OpenSSH public key line, got %d lines" % len(lines))
    parts = lines[0].split()
    if len(parts) < 2 or not _KEY_TYPE.fullmatch(parts[0]):
        raise KeyMaterialError("not an OpenSSH public key line (expected '<type> <base64> [comment]', "
                               "e.g. 'ssh-ed25519 AAAA... user@host')")
    key_type, encoded = parts[0], parts[1]
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise KeyMaterialError("the key data of the %s key is not valid base64" % key_type)
    if len(blob) < 4:
        raise KeyMaterialError("the %s key data is too short" % key_type)
    (length,) = struct.unpack(">I", blob[:4])
    if blob[4:4 + length] != key_type.encode("ascii"):
        raise KeyMaterialError("the key data does not belong to a %s key" % key_type)
    return key_type, encoded


def fingerprint(public_key):
    """The fingerprint KPS reports: MD5 of the base64-decoded key blob, as lower-case hex pairs
    joined by ':'. Raises KeyMaterialError for an unusable key."""
    _key_type, encoded = parse_public_key(public_key)
    digest = hashlib.md5(base64.b64decode(encoded)).hexdigest()  # nosec B324 - KPS's format, not security
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def same_key(first, second):
    """True when two public key lines hold the same key (type and blob; comments ignored)."""
    try:
        return parse_public_key(first) == parse_public_key(second)
    except KeyMaterialError:
        return False


def read_key_file(option, path):
    """The text of the key file ``path`` that ``option`` names; ModuleFailure naming the option
    when it cannot be read."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return handle.read()
    except (IOError, OSError, UnicodeDecodeError) as exc:
        raise ModuleFailure("%s: cannot read %s: %s" % (option, path, getattr(exc, "strerror", None) or
                                                        exc.__class__.__name__))


def public_key_of(params):
    """The public key line the task gives (``public_key`` or the file ``public_key_file``), checked
    to be one OpenSSH key; None when neither is given (KPS generates the pair)."""
    option, text = "public_key", params["public_key"]
    if params["public_key_file"]:
        option, text = "public_key_file", read_key_file("public_key_file", params["public_key_file"])
    if text is None:
        return None
    try:
        fingerprint(text)
    except KeyMaterialError as exc:
        raise ModuleFailure("%s: %s" % (option, exc))
    return text


# PKCS#1 (BEGIN RSA PRIVATE KEY), PKCS#8 (BEGIN PRIVATE KEY), SEC1 (EC) and OpenSSH keys.
_PRIVATE_KEY = re.compile(r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY)-----\r?\n"
                          r"[A-Za-z0-9+/=\r\n:,\- ]+?"
                          r"-----END \1-----\s*")


def public_key_and_fingerprint(params):
    """(the task's public key to import, its fingerprint), or (None, None) for a generated keypair."""
    public_key = public_key_of(params)
    return public_key, fingerprint(public_key) if public_key else None


def differs(option, desired, actual):
    """Whether ssh_keypair's ``option`` differs: no description is an empty one, and a KMS key the
    answer does not name is unknown, not another key (seed 001's detail names none)."""
    if option == "description":
        return (desired or "") != (actual or "")
    if option == "kms_key_id" and actual is None:
        return False
    return desired != actual


def check_private_key(text):
    """Raise KeyMaterialError unless ``text`` is one unencrypted PEM private key (the message never
    contains the key)."""
    if not isinstance(text, str) or not _PRIVATE_KEY.fullmatch(text.strip() + "\n"):
        raise KeyMaterialError("not an unencrypted PEM private key (expected '-----BEGIN RSA PRIVATE KEY-----', "
                               "'-----BEGIN PRIVATE KEY-----' or '-----BEGIN OPENSSH PRIVATE KEY-----')")
    if "ENCRYPTED" in text:
        raise KeyMaterialError("the private key is encrypted with a passphrase; KPS needs it unencrypted")


# -- reading ---------------------------------------------------------------------------------------

def unwrapped(entry):
    """A keypair of a KPS or Nova answer, whose entries come wrapped as ``{"keypair": {...}}``
    ({} for an entry that is not an object)."""
    if isinstance(entry, dict) and isinstance(entry.get("keypair"), dict):
        return entry["keypair"]
    return entry if isinstance(entry, dict) else {}


def _marker_of(item):
    return str(item["id"]) if item.get("id") not in (None, "") else item.get("name")


def list_keypairs(client, limit=PAGE_SIZE):
    """Every keypair of the project (KPS ``Keypair`` API objects, unwrapped), by marker paging.

    ``limit`` and ``marker`` are the SDK's (ListKeypairsRequest); seed 001's list has no paging
    at all, so the service may ignore them or refuse them. Asks for ``limit`` per page and takes
    the next marker from the last item; the listing ends on an empty page or on a page that adds
    no new name (a service that ignores the marker answers the whole listing again; one that takes
    the page size but ignores the marker cannot be listed past its first page, and a one-keypair
    probe tells them apart). A refused page size is asked again without it
    (the default); when the marker is then refused too, the service takes no paging parameters
    and that first answer was the whole listing."""
    items, names, marker, read_bare = [], set(), None, False
    while True:
        try:
            answer = _page(client, limit, marker)
        except CloudError as exc:
            if exc.status != 400 or (limit is None and marker is None):
                raise
            if limit is not None:  # the page size was refused: ask again at the default
                limit = None
                continue
            if read_bare:
                return items  # the marker is refused too: the answer without parameters was all there is
            raise
        read_bare = limit is None and marker is None
        page = [unwrapped(entry) for entry in (answer or {}).get("keypairs") or []]
        new = [item for item in page if item.get("name") not in names]
        if page and not new and marker is not None and limit is not None and len(items) > 1:
            _check_the_page_size_is_ignored(client, len(items))
        if not new:
            return items
        items.extend(new)
        names.update(item.get("name") for item in new)
        marker = _marker_of(page[-1])
        if not marker:
            raise CloudError("the keypair listing has an entry without a name or id", code="InvalidResponse",
                             service="kps", operation="ListKeypairs")


def _check_the_page_size_is_ignored(client, listed):
    """A page after a marker repeated what was listed: the service ignores the marker. If it
    ignores the page size too, its answer was the whole listing; if it takes the page size (one
    keypair asked for, one answered), nothing lists past its first page: a clear error, never a
    listing quietly cut short."""
    probe = [unwrapped(entry) for entry in (_page(client, 1, None) or {}).get("keypairs") or []]
    if len(probe) <= 1:
        raise CloudError("the keypair listing takes a page size but ignores the marker: %d keypairs were "
                         "listed and the rest cannot be reached" % listed, code="PaginationError",
                         service="kps", operation="ListKeypairs")


def _page(client, limit, marker):
    query = {}
    if limit is not None:
        query["limit"] = limit
    if marker is not None:
        query["marker"] = marker
    return client.request("GET", KEYPAIRS_PATH, query=query, operation="ListKeypairs")


def get_keypair(client, name):
    """The KPS ``KeypairDetail`` of ``name``, or None when there is no such keypair (one call; a
    400 answer, or a 404 without a ``KPS.*`` code, is settled by the listing)."""
    try:
        answer = client.request("GET", KEYPAIR_PATH, path_params={"keypair_name": name},
                                operation="ListKeypairDetail")
    except CloudError as exc:
        if NOT_FOUND.matches(exc) and str(exc.code or "").startswith("KPS."):
            return None
        # a 404 that does not speak KPS may be a gateway's "no such API" (keypair_api.py)
        if (NOT_FOUND.matches(exc) or MAYBE_NOT_FOUND.matches(exc)) and not is_listed(client, name):
            return None
        raise
    return unwrapped(answer or {}) or None


def is_listed(client, name):
    """True when the listing (list_keypairs) holds a keypair named ``name``."""
    return any(item.get("name") == name for item in list_keypairs(client))


# -- writing --------------------------------------------------------------------------------------

def create_spec(params, public_key=None, key_protection=None):
    """The ``CreateKeypairAction`` of a task: its name, the type/scope/user_id it gives, the public
    key to import (None: KPS generates the pair) and the ``KeyProtection`` object (None: no
    custody asked for)."""
    spec = {"name": params["name"]}
    for option in ("type", "scope", "user_id"):
        if params[option]:
            spec[option] = params[option]
    if public_key:
        spec["public_key"] = public_key
    if key_protection:
        spec["key_protection"] = key_protection
    return spec


def create_keypair(client, spec):
    """CreateKeypair with a ``CreateKeypairAction``; the ``CreateKeypairResp`` (``private_key``
    only when the service generated the pair: without it, the answer is unclear, so the engine
    deletes the keypair and makes it again)."""
    answer = client.request("POST", KEYPAIRS_PATH, body={"keypair": spec}, operation="CreateKeypair")
    created = unwrapped(answer or {})
    if not spec.get("public_key") and not created.get("private_key"):
        raise CloudError("the answer has no private_key", code="InvalidResponse", service="kps",
                         operation="CreateKeypair", unclear=True)
    return created


def update_description(client, name, description):
    """UpdateKeypairDescription: set the description of ``name`` (returns None; the answer has no
    fields to read)."""
    client.request("PUT", KEYPAIR_PATH, path_params={"keypair_name": name},
                   body={"keypair": {"description": description}}, operation="UpdateKeypairDescription")


def delete_keypair(client, name):
    """DeleteKeypair (returns None); a 400 after which the keypair is gone counts as deleted (the
    other reading of "not found")."""
    try:
        client.request("DELETE", KEYPAIR_PATH, path_params={"keypair_name": name}, operation="DeleteKeypair")
    except CloudError as exc:
        if MAYBE_NOT_FOUND.matches(exc) and get_keypair(client, name) is None:
            return
        raise


def description_kept(params, current):
    """The description a replaced keypair gets back: the task's, else the one it had."""
    return params["description"] if params["description"] is not None else current.get("description")


def replace_keypair(client, spec, description):
    """Replace the key of keypair ``spec["name"]``: KPS cannot change a public key in place, so
    the keypair is deleted, made again from ``spec`` (the ``CreateKeypairAction`` importing the
    given key) and given ``description`` back (when not empty). Returns its ``KeypairDetail``,
    read back (None if it is gone again)."""
    name = spec["name"]
    delete_keypair(client, name)
    create_keypair(client, spec)
    if description:
        update_description(client, name, description)
    return get_keypair(client, name)


# -- results --------------------------------------------------------------------------------------

def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def epoch_seconds(value):
    """Seconds since 1970 from a time in seconds or milliseconds (both readings occur) or ISO 8601
    text (seed 001's sample ``2014-05-07T12:06:13.681238``; no zone means UTC)."""
    number = as_int(value)
    if number is None:
        return _iso_seconds(value)
    if number <= 0:
        return None
    return number // 1000 if number >= 100000000000 else number


def _iso_seconds(value):
    if not isinstance(value, str) or not value:
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


def _first_present(api_object, *fields):
    for field in fields:
        if api_object.get(field) not in (None, ""):
            return api_object[field]
    return None


def kms_key_of(api_object):
    """The KMS key of a kept private key as the answer names it (``key_id``, or
    ``key_protection.encryption.kms_key_id``); None when it names none."""
    encryption = (api_object.get("key_protection") or {}).get("encryption") or {}
    return api_object.get("key_id") or encryption.get("kms_key_id") or None


def keypair_result(api_object):
    """A keypair as the modules and the inventory return it, from a ``Keypair`` (listing) or a
    ``KeypairDetail``: fingerprint, type, scope, custody and frozen state. A field the answer
    leaves out is None (unknown), not a default. Never a private key: only the public fields are
    read."""
    if not api_object:
        return {}
    public_key = api_object.get("public_key")
    reported = api_object.get("fingerprint")
    try:
        computed = fingerprint(public_key) if public_key else None
    except KeyMaterialError:
        computed = None
    frozen_state = as_int(api_object.get("frozen_state"))
    protected = api_object.get("is_key_protection")
    return {
        "name": api_object.get("name"),
        "id": str(api_object["id"]) if api_object.get("id") not in (None, "") else None,
        "type": api_object.get("type"),
        "scope": api_object.get("scope"),
        "user_id": api_object.get("user_id"),
        "description": api_object.get("description"),
        "public_key": public_key,
        "fingerprint": reported or computed,
        "algorithm": api_object.get("algorithm"),
        "key_protection": bool(protected) if protected is not None else None,
        "kms_key_id": kms_key_of(api_object),
        "frozen_state": frozen_state,
        "frozen": bool(frozen_state) if frozen_state is not None else None,
        "frozen_reason": FROZEN_STATES.get(frozen_state) if frozen_state else None,
        "create_time": epoch_seconds(_first_present(api_object, "create_time", "created_at")),
        "update_time": epoch_seconds(_first_present(api_object, "update_time", "updated_at")),
    }


def compared_result(api_object):
    """``keypair_result`` with the fingerprint computed from the public key where it can be (what
    ssh_keypair compares with the key a task gives), not as the service reports it."""
    result = keypair_result(api_object)
    if result.get("public_key"):
        try:
            result["fingerprint"] = fingerprint(result["public_key"])
        except KeyMaterialError:
            pass
    return result


def predicted_keypair(params, public_key, key_protection, kms_key_id, over_nova=False):
    """The keypair check mode reports before CreateKeypair: what the task gives (``params``, the
    public key, the custody asked for); what the service decides is null, but for the freezing a
    new KPS keypair starts without (Nova reports none)."""
    unfrozen = None if over_nova else 0
    return {
        "name": params["name"], "id": None, "type": params["type"],
        "scope": params["scope"], "user_id": params["user_id"],
        "description": params["description"], "public_key": public_key,
        "fingerprint": fingerprint(public_key) if public_key else None, "algorithm": None,
        "key_protection": key_protection, "kms_key_id": kms_key_id,
        "frozen_state": unfrozen, "frozen": None if over_nova else False, "frozen_reason": None,
        "create_time": None, "update_time": None,
    }


def predicted_replacement(predicted, before, params):
    """The keypair check mode reports after ``replace_keypair``: ``predicted`` (the keypair as
    the task would create it) with the type, scope, user and description of ``before`` (the
    replaced one) that the task does not give."""
    after = dict(predicted)
    after.update(description=description_kept(params, before), type=params["type"] or before.get("type"),
                 scope=params["scope"] or before.get("scope"), user_id=params["user_id"] or before.get("user_id"))
    return after
