"""Every reading the emulator can play, in one table, and the one way to read one.

Where the documents leave a service's behaviour open (an error code, a page cap, an answer's
shape), the emulator plays each plausible reading; the setting `readings.<service>.<point>` picks
one (absent or null: reading A, the emulator's first choice). `<service>` is the wire name
(`kcrs`, `bws`, `kps`, `vpcep`, `iam`, `cgs`).

`READINGS[service][point]` holds reading A, the allowed values (or a check, for points such as
page caps that take a number or a mapping) and a one-line description. `problems(settings)` is
checked whenever settings are loaded or changed (core.check_settings: fixture files,
`Emulator.reset`, `Emulator.update_settings`, so `POST /__admin/reset` and `POST
/__admin/settings` too): an unknown service, an unknown point or a value outside its choices is
refused there as a FixtureError (an admin 400), naming `readings.<service>.<point>` and what it
allows. `reading(emu, service, point)` is what the handlers call; should a bad value reach it
anyway (settings changed in process without a check), it answers the cloud's `500
EmulatorSettingInvalid` instead of quietly playing reading A.

docs/dev/emulator.md carries `markdown()`'s table (emulator/tests/test_readings.py keeps them equal):
`python -m cloudops_emulator.readings` prints it.
"""
import json

import yaml


class Point:
    """One open point: reading A (`default`), the values allowed (`choices`, A first; or `check`,
    a function returning an error text or None, with `allowed` saying in words what it takes) and
    what the point chooses (`about`)."""

    __slots__ = ("default", "choices", "check", "allowed", "about")

    def __init__(self, about, choices=None, default=None, check=None, allowed=None):
        self.about = about
        self.choices = tuple(choices) if choices is not None else None
        self.default = self.choices[0] if choices is not None else default
        self.check = check
        self.allowed = allowed

    def problem(self, value):
        """Why `value` is not allowed, or None."""
        if self.choices is not None:
            if any(_same(value, choice) for choice in self.choices):
                return None
            return "it must be one of %s" % ", ".join(_show(c) for c in self.choices)
        return self.check(value)


def _same(value, choice):
    # True == 1 in Python: a bool matches only a bool, a number only a number, a string a string.
    return type(value) is type(choice) and value == choice  # pylint: disable=unidiomatic-typecheck


def _show(value):
    """`value` as YAML writes it: a string that YAML would read as something else is quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        try:
            looks_plain = yaml.safe_load(value) == value
        except yaml.YAMLError:
            looks_plain = False
        return value if looks_plain and value else json.dumps(value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _positive_int(value):
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    return "it must be a positive integer"


def _any_text(value):
    if isinstance(value, str) and value:
        return None
    return "it must be a non-empty string"


def _action_caps(value):
    if isinstance(value, dict) and all(isinstance(action, str) and _positive_int(cap) is None
                                       for action, cap in value.items()):
        return None
    return "it must be a mapping of action name to a positive integer"


# service -> point -> Point. The wire service names; the clouds answer their own errors.
READINGS = {
    "kcrs": {
        "not_found": Point("the answer for a missing resource: 404 with our own code, 400 InvalidParameterValue, "
                           "or as 400 but an empty listing under a missing parent",
                           ("codes", "common", "empty")),
        "instance_not_found_code": Point("the code of a missing instance under `not_found: codes`",
                                         ("InstanceNotFound", "InvalidInstanceId.NotFound", "InstanceNotExist")),
        "page_cap": Point("the most items per page of a listing, whatever MaxResults asked (`{Action: n}`)",
                          default={}, check=_action_caps, allowed="`{Action: n}`, n a positive integer"),
        "never_expire_token_time": Point("whether a NeverExpire token needs TokenTime", ("optional", "required")),
        "new_token": Point("the Enable state of a new token", ("enabled", "disabled")),
        "token_expiry_from": Point("what a token's validity counts from: its creation or its last modification",
                                   ("create", "modify")),
        "unfiltered_projects": Point("what DescribeInstance without ProjectId.N lists: project 0 or every project",
                                     ("default", "all")),
        "trigger_names": Point("whether a webhook trigger's name is unique in its namespace (409) or may repeat",
                               ("unique", "repeatable")),
        "trigger_paging": Point("whether the webhook listings take Marker/MaxResults (seed 000 lists them only in "
                                "the answers) or refuse them (400 InvalidQueryParameter; without them: the first 10)",
                                ("accepted", "refused")),
        "scan_running_status": Point("the Status of an image scan in progress", default="Scanning",
                                     check=_any_text, allowed="any string"),
        "scan_final_status": Point("the Status of a finished image scan (not `Success`: no findings)",
                                   default="Success", check=_any_text, allowed="any string"),
    },
    "bws": {
        "unknown_id": Point("the answer for an unknown share, EIP or line id: 404 not found or 400 "
                            "InvalidParameterValue", ("not_found", "invalid_parameter")),
        "eip_pooled": Point("associating an EIP that is already in a share: 409, 400, or it moves",
                            ("conflict", "invalid_parameter", "move")),
        "delete_in_use": Point("deleting a share that still holds EIPs: refused (409), released, or refused as "
                               "400 InvalidParameterValue", ("refuse", "release", "invalid_parameter")),
        "modify_answer": Point("the shape of ModifyBandWidthShare's answer", ("object", "item_list", "return")),
        "empty_listing": Point("an empty DescribeBandWidthShares: `[]`, no BandWidthShareSet, or null",
                               ("empty_list", "omitted", "null")),
        "create_answer": Point("where CreateBandWidthShare puts the new share: under the root or wrapped",
                               ("flat", "wrapped")),
        "share_name": Point("whether a listed share carries BandWidthShareName (the listing sample has none)",
                            ("listed", "omitted")),
        "pool_fields": Point("which other fields a share shows: all, the documented object (no ChargeType) or the "
                             "listing sample (no ChargeType, no ProjectId)", ("full", "documented", "sample")),
        "return_false": Point("when a join, leave or delete answers 200 `Return: false` without acting: never, "
                              "instead of a refusal's error, or always", ("never", "refusals", "always")),
    },
    "kps": {
        "name_max": Point("the longest keypair name", (64, 255)),
        "duplicate_status": Point("the status of KPS.0004, a name already used", (409, 400)),
        "not_found_status": Point("the status of KPS.0005, no such keypair", (404, 400)),
        "no_content": Point("the answer of update, delete, clear: 204, 200 without a body, 200 `{}`",
                            ("204", "200", "200-json")),
        "max_limit": Point("the largest `limit` of ListKeypairs", default=1000, check=_positive_int,
                           allowed="any positive integer"),
        "over_limit": Point("a `limit` above `max_limit`: refused or clamped", ("reject", "clamp")),
        "marker": Point("what a listing's `marker` is: the last name or an id listed with each entry",
                        ("name", "id")),
        "next_marker": Point("when and how a listing gives `next_marker`", ("when-more", "absent", "url", "always")),
        "frozen_state": Point("the type of `frozen_state`: string in the listing (SDK) or swapped", ("sdk", "swapped")),
        "time_unit": Point("the form of create and update times: epoch seconds, milliseconds, or ISO 8601 text "
                           "(seed 001's detail sample)", ("s", "ms", "iso")),
        "paging": Point("how ListKeypairs takes `limit`/`marker` (SDK ListKeypairsRequest; seed 001's list has "
                        "none): pages, ignores them (the whole listing every time), refuses them (400), or takes "
                        "`limit` but ignores `marker` (the first page every time)",
                        ("marker", "ignored", "refused", "limit_only")),
        "keypair_fields": Point("the fields of a keypair: the SDK models', or only what seed 001's tables list "
                                "(no type, scope, key_id, frozen_state; `created_at`/`updated_at`; a string id)",
                                ("sdk", "documented")),
        "kms_key_field": Point("where the detail names the KMS key of a kept private key: `key_id` (SDK "
                               "KeypairDetail) or `key_protection.encryption.kms_key_id` (as a request has it)",
                               ("key_id", "key_protection")),
        "public_key": Point("what the service keeps of an imported public key", ("as-sent", "normalised")),
        "private_key_format": Point("the PEM form of generated private keys", ("pkcs1", "pkcs8")),
        "default_scope": Point("the default `scope` of a new keypair", ("user", "domain")),
        "task_ready": Point("whether a binding task shows READY_* for the first half of its run", (False, True)),
        "replace_status": Point("how a replace task ends: *_RESET (the doc) or *_REPLACE", ("RESET", "REPLACE")),
        "batch_associate": Point("how a batch with a bad entry fails: FAILED entries in a 200, or refused whole",
                                 ("per-entry", "reject")),
        "associate_failure": Point("how a refused single AssociateKeypair answers: the error, or FAILED in a 200 "
                                   "(AssociateKeypairResponse's status/error_code/error_msg)", ("error", "answer")),
        "keypairs_api": Point("whether KPS v3 is there for the caller: served; absent (every v3 call answers 404 "
                              "APIGW.0101, a region without it); forbidden (403 APIGW.0302, a policy granting only "
                              "`ecs:serverKeypairs:*`). Nova `os-keypairs` on the ECS host is served either way",
                              ("served", "absent", "forbidden")),
    },
    "vpcep": {
        "service_outcome": Point("how a new endpoint service ends", ("available", "failed")),
        "delete_status": Point("the status of an accepted delete", (204, 200)),
        "delete_with_connections": Point("deleting a service with live connections: allowed, or 400 EndPoint.3055",
                                         ("allowed", "refused")),
        "update_omitted": Point("what an update does to fields it does not name: keeps them or resets them",
                                ("keep", "reset")),
        "limit_zero": Point("`limit=0`: an empty page or the default page size", ("empty", "default")),
        "offset_past_end": Point("an offset past the total: an empty page or 400 EndPoint.0010", ("empty", "error")),
        "accept_twice": Point("accepting an accepted connection: 400 EndPoint.2014 or 200", ("error", "ok")),
        "accept_creating": Point("an accepted connection passes through `creating` or is accepted at once",
                                 ("creating", "skip")),
        "not_found_status": Point("the status of EndPoint.0005 / EndPoint.2006", (404, 400)),
        "permission_twice": Point("adding a whitelist record twice: kept, or 400 EndPoint.3056", ("keep", "error")),
        "max_tags": Point("the most tags a resource may hold", (20, 10)),
        "port_ip": Point("whether an endpoint to an interface service needs `port_ip`", ("optional", "required")),
        "regional_operations": Point("what ae-ad-1, eu-west-0, my-kualalumpur-1 and tr-west-1 answer for an operation "
                                     "their API reference does not list: 404 APIGW.0101, or they serve it",
                                     ("documented", "all")),
    },
    "iam": {
        "error_code": Point("whether Keystone error bodies carry `code` and `title`", ("present", "absent")),
        "login_failure_status": Point("the status of a wrong user or password", (401, 400)),
        "expired_token": Point("the code of an expired token (401)", ("APIGW.0307", "APIGW.0301")),
        "content_type": Point("whether the project lookup (GET /v3/projects) needs `Content-Type` (the seeds mark "
                              "it mandatory on every request) or takes a request without it", ("optional", "required")),
    },
    "cgs": {
        "page_cap": Point("the largest `limit` of ListContainerNodes", default=1000, check=_positive_int,
                          allowed="any positive integer"),
        "over_cap": Point("a `limit` above `page_cap`: 400 HSS.0001 or clamped", ("reject", "clamp")),
        "offset": Point("what `offset` counts: records, pages from 0, pages from 1 (0 is page 1 too), or "
                        "nothing (every offset answers the first page)", ("records", "pages", "pages_from_1", "ignored")),
        "agent_filter": Point("the `agent_status` filter's word for no agent: either word, only `not_installed` "
                              "(the query table), only `not_register` (the answer table), each refused with 400 "
                              "HSS.0001; or the filter ignored", ("either", "not_installed", "not_register", "ignored")),
        "agent_answer": Point("the word a node without an agent reports: `not_register` (the answer table) or "
                              "`not_installed` (the query table)", ("not_register", "not_installed")),
        "busy": Point("a listing answered 202 (\"busy, processed later\") without `data_list` or `total_num`: "
                      "never, on the first listing call, or always", ("never", "once", "always")),
        "host_name": Point("how the `host_name` filter matches", ("substring", "exact")),
        "total": Point("whether a node listing carries `total_num`", ("present", "omitted")),
        "rate_scope": Point("whose calls share a rate budget: per access key (or IAM user for tokens) or per user",
                            ("key", "user")),
        "rate_window": Point("the rate limit's minute: any 60 s, or minutes of the clock", ("sliding", "fixed")),
        "count_refused": Point("whether a refused call spends the rate budget too", (False, True)),
        "throttle_answer": Point("what a 429 says: the window in its message, a Retry-After header, or neither",
                                 ("hint", "retry_after", "bare")),
    },
}

# Which cloud answers a service's requests (and so renders EmulatorSettingInvalid).
CLOUD_OF = {"kcrs": "ksyun", "bws": "ksyun", "kps": "huawei", "vpcep": "huawei", "iam": "huawei", "cgs": "huawei"}


def _name(service, point=None):
    return "readings.%s" % service if point is None else "readings.%s.%s" % (service, point)


def problems(settings):
    """Every problem with `settings["readings"]`, as texts naming the setting; [] when all is well."""
    readings = (settings or {}).get("readings")
    if readings is None:
        return []
    if not isinstance(readings, dict):
        return ["readings must be a mapping of service to points; the services are %s" % ", ".join(READINGS)]
    found = []
    for service, points in readings.items():
        table = READINGS.get(service)
        if table is None:
            found.append("%s: no such service; the services with readings are %s"
                         % (_name(service), ", ".join(READINGS)))
            continue
        if points is None:
            continue
        if not isinstance(points, dict):
            found.append("%s must be a mapping of point to value; its points are %s"
                         % (_name(service), ", ".join(table)))
            continue
        for point, value in points.items():
            if point not in table:
                found.append("%s: no such reading; the readings of %s are %s"
                             % (_name(service, point), service, ", ".join(table)))
            elif value is not None:
                problem = table[point].problem(value)
                if problem:
                    found.append("%s is %s; %s" % (_name(service, point), _show(value), problem))
    return found


def reading(emu, service, point):
    """The value of `readings.<service>.<point>` in the emulator's settings (reading A when unset).

    A value the point does not allow answers the cloud's 500 EmulatorSettingInvalid, so a bad
    setting that got past core.check_settings() is never taken for reading A.
    """
    entry = READINGS[service][point]  # a KeyError here is a bug in the caller
    value = ((emu.settings.get("readings") or {}).get(service) or {}).get(point)
    if value is None:
        return entry.default
    problem = entry.problem(value)
    if problem:
        raise _setting_invalid(service, "%s is %s; %s" % (_name(service, point), _show(value), problem))
    return value


def _setting_invalid(service, message):
    if CLOUD_OF[service] == "ksyun":
        from .ksyun.errors import KsyunError  # pylint: disable=import-outside-toplevel
        return KsyunError(500, "EmulatorSettingInvalid", message)
    from .huawei.errors import HuaweiError  # pylint: disable=import-outside-toplevel
    return HuaweiError(500, "EmulatorSettingInvalid", message)


def _cell(text):
    return text.replace("|", "\\|")


def markdown():
    """The table of every reading, as docs/dev/emulator.md carries it."""
    lines = ["| setting | reading A (default) | other readings | what it chooses |", "|---|---|---|---|"]
    for service, table in READINGS.items():
        for point, entry in table.items():
            if entry.choices is not None:
                others = " · ".join("`%s`" % _show(c) for c in entry.choices[1:])
            else:
                others = entry.allowed
            default = "no cap" if entry.default == {} else "`%s`" % _show(entry.default)
            lines.append("| `%s` | %s | %s | %s |" % (_name(service, point), default, _cell(others),
                                                      _cell(entry.about)))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
