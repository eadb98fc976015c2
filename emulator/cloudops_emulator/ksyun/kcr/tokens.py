"""kcrs access credentials: Create/ModifyStatus/ModifyInformation/Describe/DeleteInstanceToken.

Our choices where the documentation is silent (reading A; readings.py names the others): a new
token is enabled; its ExpireTime is CreateTime + TokenTime x TokenType (so DescribeInstanceToken
lets a client recover the validity), also after ModifyInstanceTokenInformation; TokenTime is
ignored for NeverExpire; the registry user name is the account id; the token secret is returned
once and never stored.
"""
import secrets

from ..actions import action
from ..util import fmt_time, new_id, paginate
from .common import TOKEN, get_instance, listing, missing, public, running_instance
from ...readings import reading

TOKEN_TYPES = ("Hour", "Day", "NeverExpire")
_UNIT = {"Hour": 3600, "Day": 86400}


def _validity(call):
    params = call.params
    token_type = params.string("TokenType", required=True, choices=TOKEN_TYPES)
    token_time = None
    if token_type != "NeverExpire":
        token_time = params.integer("TokenTime", required=True, minimum=1, maximum=9999)
    elif reading(call.emu, "kcrs", "never_expire_token_time") == "required":
        params.integer("TokenTime", required=True, minimum=1, maximum=9999)
    return token_type, token_time


def _expiry(created, token_type, token_time):
    if token_type == "NeverExpire":
        return None
    return created + token_time * _UNIT[token_type]


def _get_token(call, instance):
    token_id = call.params.string("TokenId", required=True)
    doc = call.store.get(TOKEN, token_id)
    if doc is None or doc["_instance"] != instance["InstanceId"]:
        raise missing(call, "TokenNotFound", "TokenId",
                      "The token %s does not exist in instance %s." % (token_id, instance["InstanceId"]))
    return doc


@action("kcrs", "CreateInstanceToken")
def create_instance_token(call):
    instance = running_instance(call)
    token_type, token_time = _validity(call)
    desc = call.params.string("Desc", max_len=256)
    created = int(call.now)
    doc = {
        "TokenId": new_id(),
        "Enable": reading(call.emu, "kcrs", "new_token") == "enabled",
        "Desc": desc,
        "CreateTime": fmt_time(created),
        "ExpireTime": fmt_time(_expiry(created, token_type, token_time)),
        "_instance": instance["InstanceId"],
        "_created": created,
        "_type": token_type,
        "_time": token_time,
    }
    call.store.insert(TOKEN, doc["TokenId"], doc, parent=instance["InstanceId"])
    account = str(call.emu.fixtures.get("ksyun", {}).get("account_id", "2000000000"))
    return {"Username": account, "tokenId": doc["TokenId"], "Token": secrets.token_hex(24),
            "ExpireTime": doc["ExpireTime"]}


@action("kcrs", "ModifyInstanceTokenStatus")
def modify_instance_token_status(call):
    instance = get_instance(call)
    doc = _get_token(call, instance)
    doc["Enable"] = call.params.boolean("Enable", required=True)
    call.store.update(TOKEN, doc["TokenId"], doc)
    return {}


@action("kcrs", "ModifyInstanceTokenInformation")
def modify_instance_token_information(call):
    instance = get_instance(call)
    doc = _get_token(call, instance)
    token_type, token_time = _validity(call)
    if "Desc" in call.params:
        doc["Desc"] = call.params.string("Desc", max_len=256, allow_empty=True) or None
    doc["_type"], doc["_time"] = token_type, token_time
    start = doc["_created"]
    if reading(call.emu, "kcrs", "token_expiry_from") == "modify":
        start = int(call.now)
    doc["ExpireTime"] = fmt_time(_expiry(start, token_type, token_time))
    call.store.update(TOKEN, doc["TokenId"], doc)
    return {}


@action("kcrs", "DescribeInstanceToken")
@listing("TokenSet")
def describe_instance_token(call):
    instance = get_instance(call)
    tokens = [public(doc) for doc in
              reversed(call.store.list(TOKEN, parent=instance["InstanceId"]))]
    page, echo = paginate(call, tokens)
    return {"TotalCount": echo["TotalCount"], "Marker": echo["Marker"],
            "MaxResults": echo["MaxResults"], "TokenSet": page}


@action("kcrs", "DeleteInstanceToken")
def delete_instance_token(call):
    instance = get_instance(call)
    doc = _get_token(call, instance)
    call.store.delete(TOKEN, doc["TokenId"])
    return {}
