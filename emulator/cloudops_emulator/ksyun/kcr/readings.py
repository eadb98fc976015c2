"""Where seed 000 leaves the service's behaviour open, which reading the emulator plays.

Each point is a setting under `readings.kcrs.<point>`; absent means reading A (the emulator's
first choice). docs/emulator.md tables every point, its readings and their sources.

  not_found         "codes" (A): a missing resource answers 404 with our own code
                    (InstanceNotFound, NamespaceNotFound, ...);
                    "common": 400 InvalidParameterValue naming the parameter (the only codes the
                    seeds document are the common ones);
                    "empty": as "common", except that a listing whose parent is missing answers
                    an empty page, and DescribeImageScan of a never-scanned image answers an
                    empty report with Status null.
  instance_not_found_code  the code of a missing instance under "codes" (A: InstanceNotFound;
                    also InvalidInstanceId.NotFound, InstanceNotExist).
  page_cap          {Action: n}: the server returns at most n items per page whatever MaxResults
                    asked, and echoes MaxResults n (A: no cap beyond 99).
  never_expire_token_time  "optional" (A: TokenTime is ignored for NeverExpire) or "required"
                    (B: MissingParameter without it, as for the other types).
  new_token         "enabled" (A) or "disabled" (B): the Enable state of a new token.
  token_expiry_from "create" (A: ExpireTime = CreateTime + validity, also after a modification)
                    or "modify" (B: ModifyInstanceTokenInformation restarts the validity).
  unfiltered_projects  "default" (A: DescribeInstance without ProjectId.N lists the default
                    project "0") or "all" (B: every project of the account).
  scan_running_status  the Status a scan in progress answers (A: "Scanning"; any string);
  scan_final_status the Status a finished scan answers (A: "Success"; e.g. "Failed").
"""
from ..errors import KsyunError

DEFAULTS = {
    "not_found": "codes",
    "instance_not_found_code": "InstanceNotFound",
    "page_cap": {},
    "never_expire_token_time": "optional",
    "new_token": "enabled",
    "token_expiry_from": "create",
    "unfiltered_projects": "default",
    "scan_running_status": "Scanning",
    "scan_final_status": "Success",
}

CHOICES = {
    "not_found": ("codes", "common", "empty"),
    "instance_not_found_code": ("InstanceNotFound", "InvalidInstanceId.NotFound",
                                "InstanceNotExist"),
    "never_expire_token_time": ("optional", "required"),
    "new_token": ("enabled", "disabled"),
    "token_expiry_from": ("create", "modify"),
    "unfiltered_projects": ("default", "all"),
}


def reading(emu, point, service="kcrs"):
    """The value of reading `point` in the emulator's settings (reading A when unset).

    A value outside the point's choices answers 500 EmulatorSettingInvalid, so a misspelt setting
    cannot quietly play reading A.
    """
    value = ((emu.settings.get("readings") or {}).get(service) or {}).get(point)
    if value is None:
        return DEFAULTS.get(point)
    choices = CHOICES.get(point)
    if choices is not None and value not in choices:
        raise KsyunError(500, "EmulatorSettingInvalid",
                         "readings.%s.%s is %r; it must be one of %s."
                         % (service, point, value, ", ".join(choices)))
    return value
