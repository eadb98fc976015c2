"""kcrs instances: CreateInstance, DescribeInstance, DescribeInstanceUsage, DeleteInstance."""
import calendar
import datetime
import re

from ..actions import action
from ..errors import conflict, incorrect_status, invalid_parameter
from ..util import fmt_time, new_id, paginate
from .common import (INSTANCE, NAMESPACE, get_instance, public, quota, refresh_instance,
                     repo_usage)
from ...readings import reading

# Our choice (the documented rule is illegible): 2-30 characters, lower-case letters, digits and
# hyphens, starting with a letter, since the name becomes the registry's domain name.
INSTANCE_NAME = r"[a-z][a-z0-9-]{1,29}"
INSTANCE_TYPES = ("basic", "premium")
CHARGE_TYPES = ("HourlyInstantSettlement", "Monthly")
DOMAIN = "ksyunkcr.com"


def _add_months(epoch, months):
    start = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day).timestamp()


def new_instance(emu, region, name, instance_type, charge_type="HourlyInstantSettlement",
                 purchase_time=None, project_id="0", status="Creating", instance_id=None):
    """Insert an instance document; used by CreateInstance and by fixtures."""
    if not re.fullmatch(INSTANCE_NAME, name or ""):
        raise invalid_parameter("InstanceName")
    now = emu.now()
    store = emu.store
    existing = [refresh_instance(store, doc, now) for doc in store.list(INSTANCE, name=name)]
    if any(existing):
        raise conflict("InstanceNameAlreadyExists", "An instance named %s already exists." % name)
    doc = {
        "InstanceId": instance_id or new_id(),
        "InstanceName": name,
        "InstanceType": instance_type,
        "InstanceStatus": status,
        "InternalEndpoint": "%s.%s" % (name, DOMAIN),
        "CreateTime": fmt_time(now),
        "ExpiredTime": fmt_time(_add_months(now, purchase_time)) if charge_type == "Monthly"
        else None,
        "ChargeType": charge_type,
        "ProjectId": project_id,
        "_region": region,
        "_ready_at": now + emu.delay("kcrs.instance", 2),
        # what Creating ends in (setting kcrs.instance_outcome, default Running)
        "_outcome": str(emu.settings.get("kcrs", {}).get("instance_outcome") or "Running"),
    }
    store.insert(INSTANCE, doc["InstanceId"], doc, name=name)
    return doc


@action("kcrs", "CreateInstance")
def create_instance(call):
    params = call.params
    name = params.string("InstanceName", required=True)
    instance_type = params.string("InstanceType", required=True, choices=INSTANCE_TYPES)
    charge_type = params.string("ChargeType", default="HourlyInstantSettlement",
                                choices=CHARGE_TYPES)
    purchase_time = params.integer("PurchaseTime", required=charge_type == "Monthly",
                                   minimum=1, maximum=36)
    project_id = params.string("ProjectId", default="0", max_len=64)
    doc = new_instance(call.emu, call.region, name, instance_type, charge_type, purchase_time,
                       project_id)
    return {"InstanceId": doc["InstanceId"]}


@action("kcrs", "DescribeInstance")
def describe_instance(call):
    params = call.params
    ids = params.string_list("InstanceId")
    projects = params.string_list("ProjectId")
    if not projects and reading(call.emu, "kcrs", "unfiltered_projects") == "default":
        projects = ["0"]
    name = params.string("InstanceName")
    found = []
    for doc in reversed(call.store.list(INSTANCE)):  # newest first
        if doc["_region"] != call.region:
            continue
        if ids and doc["InstanceId"] not in ids:
            continue
        if projects and doc["ProjectId"] not in projects:
            continue
        if name and name not in doc["InstanceName"]:
            continue
        doc = refresh_instance(call.store, doc, call.now)
        if doc is not None:
            found.append(public(doc))
    page, echo = paginate(call, found)
    return {"TotalCount": echo["TotalCount"], "InstanceSet": page,
            "MaxResults": echo["MaxResults"], "Marker": echo["Marker"]}


@action("kcrs", "DescribeInstanceUsage")
def describe_instance_usage(call):
    instance = get_instance(call)
    instance_id = instance["InstanceId"]
    return {
        "NamespaceQuota": quota(call.emu, "namespace_quota"),
        "NamespaceUsage": call.store.count(NAMESPACE, parent=instance_id),
        "RepoQuota": quota(call.emu, "repo_quota"),
        "RepoUsage": repo_usage(call.store, instance_id),
    }


@action("kcrs", "DeleteInstance")
def delete_instance(call):
    instance = get_instance(call)
    call.params.boolean("DeleteBucket", default=False)
    if instance["InstanceStatus"] == "Deleting":
        raise incorrect_status("instance", instance["InstanceId"], "Deleting",
                               "Running, Creating or Error")
    instance["InstanceStatus"] = "Deleting"
    instance["_gone_at"] = call.now + call.emu.delay("kcrs.instance_delete", 2)
    call.store.update(INSTANCE, instance["InstanceId"], instance)
    refresh_instance(call.store, instance, call.now)
    return {}
