# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KCR access credentials (instance tokens): how kcr_token and kcr_token_info read them.

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
