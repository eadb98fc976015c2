# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR access credentials (instance tokens): the calls about them (DescribeInstanceToken,
CreateInstanceToken, ModifyInstanceTokenStatus, ModifyInstanceTokenInformation,
DeleteInstanceToken), the create flow with its one-time token, and how kcr_token and kcr_token_info
read them. ``instance`` is a ``common.KcrInstanceRef`` throughout.

When is a token made again? For a credential that exists when the run begins, only when its
``token_file`` is gone and the task says ``on_missing_file=rotate`` (``check_token_file``,
``rotate_token``: the new one is written before the old one is deleted); otherwise only when the
answer carrying a new token was lost (``create_token``).

DescribeInstanceToken returns neither TokenType nor TokenTime, only CreateTime and ExpireTime
(null for a token that never expires). The validity is therefore derived as ExpireTime -
CreateTime and expressed in the largest whole unit: 48 hours is reported as ``Day``/2, 36 hours as
``Hour``/36. Requested values are normalised the same way, so ``Hour``/24 and ``Day``/1 are the same
validity.

That holds while the registry counts the validity from the token's creation (the reading of the API
samples). It may instead restart it at ModifyInstanceTokenInformation (the documents do not say):
ExpireTime is then the time of that change plus the validity, so ExpireTime - CreateTime is no
whole number of hours. ``has_validity`` accepts both readings; ``derived_validity`` reports such a
token's validity as unknown (None) rather than a wrong one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import kcr_bool

TOKEN_TYPES = ("Hour", "Day", "NeverExpire")
TOKEN_TIME_MIN = 1
TOKEN_TIME_MAX = 9999
DESCRIPTION_MAX = 256
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_UNIT_SECONDS = {"Hour": 3600, "Day": 86400}
# Registry times are Beijing local time (UTC+8) without a zone.
REGISTRY_UTC_OFFSET = datetime.timedelta(hours=8)
# Seconds of disagreement between the registry's times (rounding) and between its clock and ours.
TIME_SLACK = 60
CLOCK_SLACK = 300


def registry_now():
    """The registry's current local time, naive (as its time strings are)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + REGISTRY_UTC_OFFSET


def _whole_hours(seconds):
    """``seconds`` rounded to whole hours, or None when it is not within TIME_SLACK of any."""
    hours = int(round(float(seconds) / _UNIT_SECONDS["Hour"]))
    if abs(seconds - hours * _UNIT_SECONDS["Hour"]) > TIME_SLACK:
        return None
    return hours


def parse_time(text):
    """A KCR time string (``YYYY-MM-DD HH:MM:SS``, registry local time) as a naive datetime, or None."""
    if not text:
        return None
    try:
        return datetime.datetime.strptime(str(text).strip(), TIME_FORMAT)
    except ValueError:
        return None


def validity_seconds(token_type, token_time):
    """Seconds a token of this type and time is valid for; None for NeverExpire."""
    if token_type == "NeverExpire":
        return None
    return _UNIT_SECONDS[token_type] * int(token_time)


def normalise_validity(seconds):
    """(token_type, token_time) for a validity in seconds, in the largest whole unit."""
    if seconds is None:
        return "NeverExpire", None
    if seconds % _UNIT_SECONDS["Day"] == 0:
        return "Day", seconds // _UNIT_SECONDS["Day"]
    return "Hour", int(round(float(seconds) / _UNIT_SECONDS["Hour"]))


def derived_validity(api_object):
    """(token_type, token_time) of a listed token, or (None, None) when its times are unreadable or
    its validity was restarted by a later change (ExpireTime - CreateTime is no whole number of
    hours)."""
    if not api_object.get("ExpireTime"):
        return "NeverExpire", None
    created, expires = parse_time(api_object.get("CreateTime")), parse_time(api_object.get("ExpireTime"))
    if created is None or expires is None:
        return None, None
    hours = _whole_hours((expires - created).total_seconds())
    if hours is None or hours < 1:
        return None, None
    return normalise_validity(hours * _UNIT_SECONDS["Hour"])


def has_validity(api_object, token_type, token_time, now=None):
    """Whether a listed token has this validity, under either reading of what it counts from.

    From creation: ExpireTime - CreateTime is the validity. From the last change: ExpireTime minus
    the validity is a moment after the creation (not on a whole hour from it, which would be a
    validity counted from creation) and not in the future.
    """
    seconds = validity_seconds(token_type, token_time)
    if seconds is None:
        return not api_object.get("ExpireTime")
    created, expires = parse_time(api_object.get("CreateTime")), parse_time(api_object.get("ExpireTime"))
    if created is None or expires is None:
        return False
    started = expires - datetime.timedelta(seconds=seconds)
    offset = (started - created).total_seconds()
    if abs(offset) <= TIME_SLACK:
        return True
    if _whole_hours((expires - created).total_seconds()) is not None:
        return False
    now = now or registry_now()
    return offset > 0 and started <= now + datetime.timedelta(seconds=CLOCK_SLACK)


def expire_time_after(create_time, token_type, token_time):
    """The ExpireTime the registry reports for a token created at ``create_time`` (string or None)."""
    seconds = validity_seconds(token_type, token_time)
    created = parse_time(create_time)
    if seconds is None or created is None:
        return None
    return (created + datetime.timedelta(seconds=seconds)).strftime(TIME_FORMAT)


def token_result(instance_id, api_object):
    """A DescribeInstanceToken entry as kcr_token and kcr_token_info return it (no secret in it:
    the listing has none)."""
    token_type, token_time = derived_validity(api_object)
    return {
        "instance_id": instance_id,
        "token_id": api_object.get("TokenId"),
        "description": api_object.get("Desc"),
        "enabled": kcr_bool(api_object.get("Enable")),
        "create_time": api_object.get("CreateTime"),
        "expire_time": api_object.get("ExpireTime"),
        "token_type": token_type,
        "token_time": token_time,
    }


# calls ----------------------------------------------------------------------------------------

def list_tokens(instance):
    """Every DescribeInstanceToken entry of the instance ({TokenId, Desc, Enable, CreateTime,
    ExpireTime}; no token in them)."""
    return instance.paginate("DescribeInstanceToken", {}, "TokenSet")


def read_token(instance, token_id):
    """The DescribeInstanceToken entry of ``token_id``, or None (one listing)."""
    for item in list_tokens(instance):
        if item.get("TokenId") == token_id:
            return item
    return None


def find_token(instance, description):
    """The DescribeInstanceToken entry described as ``description``, or None; more than one fails
    (a credential is identified by its description, which the registry does not keep unique)."""
    matches = [t for t in list_tokens(instance) if t.get("Desc") == description]
    if len(matches) > 1:
        raise ModuleFailure("description: %d credentials of KCR instance %s are described as %r (%s); "
                            "delete the extra ones or give them distinct descriptions"
                            % (len(matches), instance.id, description,
                               ", ".join(t.get("TokenId") or "?" for t in matches)))
    return matches[0] if matches else None


def validity_params(token_type, token_time):
    """TokenType and TokenTime as the create and modify calls take them."""
    # TokenTime always goes along: the documents say NeverExpire ignores it, but whether it is
    # required is unreadable, and tf-ksyun always sends it. 1 is in every type's range.
    return {"TokenType": token_type, "TokenTime": 1 if token_type == "NeverExpire" else token_time}


def set_token_enabled(instance, token_id, enabled):
    """ModifyInstanceTokenStatus; the answer is not used."""
    instance.call("ModifyInstanceTokenStatus", {"TokenId": token_id, "Enable": enabled})


def delete_token(instance, token_id):
    """DeleteInstanceToken; the answer is not used."""
    instance.call("DeleteInstanceToken", {"TokenId": token_id})


# the flows kcr_token runs -----------------------------------------------------------------------

def check_token_file(secret, current, description, on_missing_file):
    """Before any write (kcr_token's preflight), in check mode too: whether the credential
    ``current`` is to be rotated (``rotate_token``) because its ``token_file`` is gone. The
    registry showed its token only once, at its creation, so with ``on_missing_file=fail`` such a
    credential fails here, and is never made again silently."""
    if not secret.file_missing(current):
        return False
    if on_missing_file == "rotate":
        return True
    raise ModuleFailure(
        "token_file: %s does not exist, but the credential %r (%s) does: the registry shows a token only "
        "when it creates the credential, so it cannot be written now. Set on_missing_file=rotate to make a new "
        "credential, write it and then delete this one, or delete the credential (state=absent) and run the "
        "task again" % (secret.path, description, current.get("TokenId")))


def rotate_token(instance, secret, current, description, token_type, token_time, enabled):
    """on_missing_file=rotate: a new credential described as ``description`` is made and its token
    written to ``token_file`` (``create_token``) before the credential ``current`` is deleted.
    Whatever fails before the write completes leaves ``current`` as it was: a new credential whose
    file could not be written is deleted again (``secret.deliver``), and so is one whose create
    answer was lost (found among the credentials so described). Returns what ``create_token``
    returns."""
    old_id = current.get("TokenId")
    try:
        created = create_token(instance, secret, description, token_type, token_time, enabled)
    except CloudError as exc:
        if exc.ambiguous:
            for token in list_tokens(instance):
                if token.get("Desc") == description and token.get("TokenId") != old_id:
                    delete_token(instance, token.get("TokenId"))
        raise ModuleFailure("on_missing_file=rotate: the new credential could not be made (%s); the credential "
                            "%s is kept as it was" % (exc, old_id), error=exc.to_dict())
    except ModuleFailure as exc:
        exc.msg = "%s; the credential %s is kept as it was" % (exc.msg, old_id)
        raise
    try:
        delete_token(instance, old_id)
    except CloudError as exc:
        new_id = created[0].get("TokenId")
        raise ModuleFailure("on_missing_file=rotate: the new credential %s is in %s, but deleting the old credential "
                            "%s failed (%s): delete it by hand, by its ID" % (new_id, secret.path, old_id, exc),
                            error=exc.to_dict())
    return created


def create_token(instance, secret, description, token_type, token_time, enabled):
    """CreateInstanceToken; its one-time token handed over through ``secret`` (a
    ``secret_handover.SecretHandover``: returned, or written to ``token_file``); then the status
    set to ``enabled`` where the registry made it otherwise. Returns (the new credential's
    DescribeInstanceToken entry, or what the create answered while it is not listed yet;
    ``credentials``: {username, expire_time} plus ``token`` or ``token_file``).

    Made again: if the CreateInstanceToken answer is lost (a 5xx, a dropped connection), the token
    never reaches ``secret``, which stays ``pending``; engine/unclear_writes.create_settled then
    finds the new credential by its description, deletes it and calls this again. That is the
    only case: once delivered, a token is replaced only by ``rotate_token``.
    """
    params = validity_params(token_type, token_time)
    params["Desc"] = description
    answer = instance.call("CreateInstanceToken", params)
    # The sample answer and tf-ksyun spell it tokenId; the seed's table says TokenId.
    token_id = answer.get("tokenId") or answer.get("TokenId")
    token = answer.get("Token")
    if not token:  # the credential exists, but its token is lost: unclear, so it is made again
        raise CloudError("the answer has no Token", code="InvalidResponse", service="kcrs",
                         operation="CreateInstanceToken", request_id=answer.get("RequestId"), unclear=True)
    credentials = {"username": answer.get("Username"), "expire_time": answer.get("ExpireTime")}
    secret.deliver(token, "token", lambda: delete_token(instance, token_id), token_id,
                   content=dict(credentials, token=token), into=credentials)
    # A new token's status is not documented (enabled in the emulator, disabled after tf-ksyun's
    # reading): read it, and write only when it is not the one asked for.
    try:
        created = read_token(instance, token_id)
        if created is None or kcr_bool(created.get("Enable")) != enabled:
            set_token_enabled(instance, token_id, enabled)
            if created is not None:
                created["Enable"] = enabled
    except CloudError as exc:
        kept = ("it was written to %s" % secret.path if secret.path
                else "it cannot be shown again: delete the credential (state=absent) and run again")
        raise ModuleFailure("the credential %s was created, but %s; its token is not in this result: %s"
                            % (token_id, exc, kept), error=exc.to_dict())
    if created is None:  # not listed yet: what the creation answered
        created = {"TokenId": token_id, "Desc": description, "Enable": enabled,
                   "CreateTime": None, "ExpireTime": answer.get("ExpireTime")}
    return created, credentials


def update_token(instance, current, changes, token_type, token_time):
    """ModifyInstanceTokenInformation when the validity changes (``token_type``/``token_time`` as
    the task gives them), ModifyInstanceTokenStatus when ``enabled`` does. Returns the entry read
    back after a validity change (its expiry, as the registry counts it), else None: only the
    status changed, and the result is the prediction, without a read."""
    token_id = current["TokenId"]
    validity = "token_type" in changes or "token_time" in changes
    if validity:
        params = validity_params(token_type, token_time)
        params.update(TokenId=token_id, Desc=current.get("Desc"))
        instance.call("ModifyInstanceTokenInformation", params)
    if "enabled" in changes:
        set_token_enabled(instance, token_id, changes["enabled"])
    return read_token(instance, token_id) if validity else None
