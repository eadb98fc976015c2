# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One KCR account in memory for every KCR module test: instances, namespaces, access
credentials, intranet access with private DNS, webhook triggers with their logs, repositories,
images and scans.

It answers like the service (the emulator's error codes and choices, Marker/MaxResults paging,
substring name filters, only the default project unless ``ProjectId`` is given, newest first; a
token's ExpireTime is CreateTime + validity, also after a change; trigger headers come back as
``"k1:v1;k2:v2,v3"``) and records every call (``RecordingClient``; ``paginate`` is KsyunClient's
own). Status changes are counted in reads: a new instance is ``Creating`` for ``creating_reads``
DescribeInstance answers, then ``create_outcome``; a deleted one ``Deleting`` for
``deleting_reads`` answers, then gone; a new intranet access ``Creating`` for ``endpoint_reads``
answers; DNS ``Opening`` for ``dns_reads`` answers; a scan ``Scanning`` for ``scan_polls`` answers,
then ``scan_final``. ``fail_next[action]`` is a CloudError the action's next call raises. The
client has a real ``Transport`` so that the secrets a module protects can be checked.

Readings (docs/emulator.md): ``not_found`` "codes" (the emulator's 404 codes), "common" (400
InvalidParameterValue for anything missing) or "empty" (as "common", but a listing under a missing
parent answers an empty page and a never-scanned image a report with Status null);
``instance_not_found_code``; ``new_token_enabled``; ``validity_from`` "create" or "modify" (then
ModifyInstanceTokenInformation counts from ``modified_at``); ``page_cap`` for webhook listings;
``scan_running``, the status of a scan under way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import datetime
import hashlib
import ipaddress

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import Transport
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import RecordingClient

REGION = "cn-beijing-6"
ACCOUNT_ID = "2000000001"
VPC_ID = "31e21dca-c92e-4b06-a8ce-000000000001"
SUBNET_ID = "372bdbac-ea1d-4f99-9c30-000000000001"
SUBNET_CIDR = "10.0.1.0/24"
CREATED_AT = datetime.datetime(2024, 1, 15, 10, 0, 0)
_UNIT = {"Hour": 3600, "Day": 86400}


def error(code, action, status=400, message="refused"):
    return CloudError(message, status=status, code=code, request_id="req-%s" % code, service="kcrs",
                      operation=action)


LISTINGS = {"DescribeNamespace": "NamespaceSet", "DescribeInstanceToken": "TokenSet", "DescribeRepository": "RepoSet",
            "DescribeImages": "ImageSet", "DescribeWebhookTrigger": "TriggerSet", "DescribeWebhookTriggerLog": "Logs",
            "DescribeInternalEndpoint": "AccessVpcSet"}


def page(params, items, key, cap=None):
    """One Marker/MaxResults page; ``cap``: the most items the server answers, whatever was asked."""
    marker = int(params.get("Marker", 0))
    size = int(params.get("MaxResults", 20))
    assert 1 <= size <= 99, "MaxResults %s out of range" % size
    size = min(size, cap or size)
    return {"RequestId": "req-page", "TotalCount": len(items), "Marker": marker, "MaxResults": size,
            key: copy.deepcopy(items[marker:marker + size])}


def kcr_time(moment):
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def digest_of(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class FakeKcr(RecordingClient):

    def __init__(self):
        super(FakeKcr, self).__init__()
        self.transport = Transport()
        self.instances = []  # newest first
        self.namespaces = {}  # instance id -> [namespace dicts]
        self.tokens = {}  # instance id -> [token docs], newest first
        self.endpoints = {}  # instance id -> [access docs]
        self.triggers = {}  # (instance id, namespace) -> [trigger docs], newest first
        self.trigger_logs = {}  # trigger id -> [log entries], newest first
        self.repos = {}  # (instance id, namespace) -> {name: repository with its "images", newest first}
        self.scans = {}  # digest -> {"polls": reads left while Scanning, "final": status}
        self.creating_reads = 1
        self.create_outcome = "Running"
        self.deleting_reads = 1
        self.namespace_quota = 50
        self.endpoint_reads = 1
        self.endpoint_outcome = "Running"
        self.dns_reads = 1
        self.scan_polls = 1
        self.scan_final = "Success"
        self.fail_next = {}  # action -> CloudError its next call raises
        self.lose_next = set()  # actions whose next call acts, then loses its answer
        self.not_found = "codes"
        self.instance_not_found_code = "InstanceNotFound"
        self.new_token_enabled = True
        self.validity_from = "create"
        self.modified_at = None
        self.page_cap = None
        self.scan_running = "Scanning"
        self._pending = {}  # instance id -> [status, reads left]
        self._serial = 0
        self._token_serial = 0
        self._trigger_serial = 0
        self._clock = 0

    # -- what the tests read -----------------------------------------------------------------------

    def params_of(self, action):
        return [params for name, params in self.calls if name == action]

    # -- building the account ----------------------------------------------------------------------

    def add_instance(self, name, status="Running", instance_type="basic", charge_type="HourlyInstantSettlement",
                     project_id="0", **extra):
        self._serial += 1
        doc = {
            "InstanceId": "00000000-0000-4000-8000-%012d" % self._serial,
            "InstanceName": name,
            "InstanceType": instance_type,
            "InstanceStatus": status,
            "InternalEndpoint": "%s.ksyunkcr.com" % name,
            "CreateTime": "2024-01-15 08:30:%02d" % self._serial,
            "ExpiredTime": "2025-01-15 08:30:00" if charge_type == "Monthly" else None,
            "ChargeType": charge_type,
            "ProjectId": project_id,
        }
        doc.update(extra)
        self.instances.insert(0, doc)
        self.namespaces[doc["InstanceId"]] = []
        return doc

    def add_namespace(self, instance, name, public=False, repo_count=0):
        self.namespaces[instance["InstanceId"]].append(
            {"Namespace": name, "Public": public, "RepoCount": repo_count, "CreateTime": "2024-01-15 09:00:00"})

    def will_change(self, name, reads, status=None):
        """The instance keeps its status for ``reads`` more reads, then takes ``status`` (None: gone,
        for an instance that is Deleting)."""
        self._pending[self.instance(name)["InstanceId"]] = [status, reads]

    def instance(self, name):
        return next(i for i in self.instances if i["InstanceName"] == name)

    # -- the service -------------------------------------------------------------------------------

    def answer(self, action, params):
        failure = self.fail_next.pop(action, None)
        if failure is not None:
            raise failure
        handler = getattr(self, "_" + action, None)
        if handler is None:
            raise AssertionError("the fake has no %s" % action)
        try:
            answer = handler(action, params)
            if action in self.lose_next:
                self.lose_next.discard(action)
                raise CloudError("connection to kcrs.api.ksyun.com failed: reset by peer", code="ConnectionError",
                                 service="kcrs", operation=action)
            return answer
        except CloudError as exc:
            if exc.status != 404 or self.not_found == "codes":
                raise
            if self.not_found == "empty" and action in LISTINGS:
                return page(params, [], LISTINGS[action])
            if self.not_found == "empty" and exc.code == "ImageScanNotFound":
                return {"RequestId": "req", "Status": None, "TotalCount": 0, "FinishTime": None, "Summary": {},
                        "VulnerabilitySet": []}
            raise error("InvalidParameterValue", action, 400, "An invalid or out-of-range value was supplied "
                        "for the input parameter.")

    def _advance(self, doc):
        """One read of an instance: apply a pending status change; False once it is gone."""
        pending = self._pending.get(doc["InstanceId"])
        if pending is None:
            return True
        if pending[1] > 0:
            pending[1] -= 1
            return True
        del self._pending[doc["InstanceId"]]
        if doc["InstanceStatus"] == "Deleting":
            self.instances.remove(doc)
            return False
        doc["InstanceStatus"] = pending[0]
        return True

    def _get_instance(self, action, params):
        for doc in list(self.instances):
            if doc["InstanceId"] == params.get("InstanceId") and self._advance(doc):
                return doc
        raise error(self.instance_not_found_code, action, 404,
                    "The instance %s does not exist." % params.get("InstanceId"))

    def _DescribeInstance(self, action, params):
        ids = params.get("InstanceId")
        projects = params.get("ProjectId") or ["0"]
        name = params.get("InstanceName")
        found = []
        for doc in list(self.instances):
            if ids and doc["InstanceId"] not in ids or doc["ProjectId"] not in projects:
                continue
            if name and name not in doc["InstanceName"]:
                continue
            if self._advance(doc):
                found.append(doc)
        return page(params, found, "InstanceSet")

    def _CreateInstance(self, action, params):
        if any(i["InstanceName"] == params["InstanceName"] for i in self.instances):
            raise error("InstanceNameAlreadyExists", action, 409)
        doc = self.add_instance(params["InstanceName"], status="Creating", instance_type=params["InstanceType"],
                                charge_type=params.get("ChargeType", "HourlyInstantSettlement"),
                                project_id=params.get("ProjectId", "0"))
        self._pending[doc["InstanceId"]] = [self.create_outcome, self.creating_reads]
        return {"RequestId": "req-create", "InstanceId": doc["InstanceId"]}

    def _DeleteInstance(self, action, params):
        doc = self._get_instance(action, params)
        doc["InstanceStatus"] = "Deleting"
        self._pending[doc["InstanceId"]] = [None, self.deleting_reads]
        return {"RequestId": "req-delete"}

    def _DescribeInstanceUsage(self, action, params):
        doc = self._get_instance(action, params)
        namespaces = self.namespaces[doc["InstanceId"]]
        return {"RequestId": "req-usage", "NamespaceQuota": self.namespace_quota, "NamespaceUsage": len(namespaces),
                "RepoQuota": 1000, "RepoUsage": sum(int(n["RepoCount"]) for n in namespaces)}

    def _DescribeNamespace(self, action, params):
        doc = self._get_instance(action, params)
        found = [n for n in self.namespaces[doc["InstanceId"]]
                 if params.get("Namespace", "") in n["Namespace"]
                 and ("Public" not in params or n["Public"] == params["Public"])]
        return page(params, found, "NamespaceSet")

    def _CreateNamespace(self, action, params):
        doc = self._get_instance(action, params)
        if len(self.namespaces[doc["InstanceId"]]) >= self.namespace_quota:
            raise error("QuotaExceeded", action, message="The namespace quota (%d) is reached." % self.namespace_quota)
        self.add_namespace(doc, params["Namespace"], params["Public"])
        return {"RequestId": "req-ns"}

    def _namespace(self, action, params):
        doc = self._get_instance(action, params)
        for namespace in self.namespaces[doc["InstanceId"]]:
            if namespace["Namespace"] == params["Namespace"]:
                return doc, namespace
        raise error("NamespaceNotFound", action, 404)

    def _ModifyNamespaceType(self, action, params):
        namespace = self._namespace(action, params)[1]
        namespace["Public"] = params["Public"]
        return {"RequestId": "req-modify"}

    def _DeleteNamespace(self, action, params):
        doc, namespace = self._namespace(action, params)
        if namespace["RepoCount"]:
            raise error("NamespaceNotEmpty", action, 409)
        self.namespaces[doc["InstanceId"]].remove(namespace)
        return {"RequestId": "req-delete-ns"}

    # -- tokens ------------------------------------------------------------------------------------

    def add_token(self, instance, desc, token_type="Day", token_time=30, enabled=True):
        self._token_serial += 1
        created = CREATED_AT + datetime.timedelta(minutes=self._token_serial)
        doc = {"TokenId": "7da2318d-2f12-4957-8c77-%012d" % self._token_serial, "Enable": enabled, "Desc": desc,
               "CreateTime": kcr_time(created), "ExpireTime": self._expiry(created, token_type, token_time)}
        self.tokens.setdefault(instance["InstanceId"], []).insert(0, doc)
        return doc

    @staticmethod
    def _expiry(created, token_type, token_time):
        if token_type == "NeverExpire":
            return None
        return kcr_time(created + datetime.timedelta(seconds=_UNIT[token_type] * int(token_time)))

    def _validity(self, action, params):
        token_type = params.get("TokenType")
        if token_type not in ("Hour", "Day", "NeverExpire"):
            raise error("InvalidParameterValue", action)
        if token_type != "NeverExpire" and not 1 <= int(params.get("TokenTime", 0)) <= 9999:
            raise error("InvalidParameterValue", action)
        return token_type, params.get("TokenTime")

    def _token(self, action, params):
        doc = self._get_instance(action, params)
        for token in self.tokens.get(doc["InstanceId"], []):
            if token["TokenId"] == params.get("TokenId"):
                return doc, token
        raise error("TokenNotFound", action, 404)

    def _DescribeInstanceToken(self, action, params):
        doc = self._get_instance(action, params)
        return page(params, self.tokens.get(doc["InstanceId"], []), "TokenSet")

    def _CreateInstanceToken(self, action, params):
        doc = self._get_instance(action, params)
        token_type, token_time = self._validity(action, params)
        token = self.add_token(doc, params.get("Desc"), token_type, token_time, enabled=self.new_token_enabled)
        return {"RequestId": "req-token", "Username": ACCOUNT_ID, "tokenId": token["TokenId"],
                "Token": "tok-%s-secret" % token["TokenId"][-4:], "ExpireTime": token["ExpireTime"]}

    def _ModifyInstanceTokenStatus(self, action, params):
        self._token(action, params)[1]["Enable"] = params["Enable"]
        return {"RequestId": "req-status"}

    def _ModifyInstanceTokenInformation(self, action, params):
        token = self._token(action, params)[1]
        token_type, token_time = self._validity(action, params)
        start = datetime.datetime.strptime(token["CreateTime"], "%Y-%m-%d %H:%M:%S")
        if self.validity_from == "modify":
            start = self.modified_at
        token["ExpireTime"] = self._expiry(start, token_type, token_time)
        if "Desc" in params:
            token["Desc"] = params["Desc"]
        return {"RequestId": "req-info"}

    def _DeleteInstanceToken(self, action, params):
        doc, token = self._token(action, params)
        self.tokens[doc["InstanceId"]].remove(token)
        return {"RequestId": "req-delete-token"}

    # -- intranet access and private DNS -----------------------------------------------------------

    def add_endpoint(self, instance, status="Running", dns="Closed", vpc_id=VPC_ID, subnet_id=SUBNET_ID):
        hosts = ipaddress.ip_network(SUBNET_CIDR).hosts()
        next(hosts)
        taken = [e["EniLBIp"] for e in self.endpoints.get(instance["InstanceId"], [])]
        address = next(str(a) for a in hosts if str(a) not in taken)
        doc = {"VpcId": vpc_id, "SubnetId": subnet_id, "Status": status, "EniLBIp": address,
               "_dns": dns, "_reads": 0, "_dns_reads": 0}
        self.endpoints.setdefault(instance["InstanceId"], []).append(doc)
        return doc

    def _endpoint(self, action, params):
        doc = self._get_instance(action, params)
        for endpoint in self.endpoints.get(doc["InstanceId"], []):
            if endpoint["VpcId"] == params.get("VpcId") and endpoint["EniLBIp"] == params.get("EniLBIp"):
                return doc, endpoint
        raise error("InternalEndpointNotFound", action, 404)

    def _DescribeInternalEndpoint(self, action, params):
        doc = self._get_instance(action, params)
        found = []
        for endpoint in self.endpoints.get(doc["InstanceId"], []):
            if endpoint["Status"] == "Creating":
                if endpoint["_reads"] >= self.endpoint_reads:
                    endpoint["Status"] = self.endpoint_outcome
                endpoint["_reads"] += 1
            found.append(dict((k, v) for k, v in endpoint.items() if not k.startswith("_")))
        return {"RequestId": "req-endpoints", "TotalCount": len(found), "AccessVpcSet": found}

    def _CreateInternalEndpoint(self, action, params):
        doc = self._get_instance(action, params)
        if params.get("VpcId") != VPC_ID:
            raise error("VpcNotFound", action, 404, "The VPC %s does not exist." % params.get("VpcId"))
        if any(e["VpcId"] == params["VpcId"] for e in self.endpoints.get(doc["InstanceId"], [])):
            raise error("InternalEndpointAlreadyExists", action, 409)
        self.add_endpoint(doc, status="Creating", subnet_id=params["ReserveSubnetId"])
        return {"RequestId": "req-endpoint"}

    def _DeleteInternalEndpoint(self, action, params):
        doc, endpoint = self._endpoint(action, params)
        self.endpoints[doc["InstanceId"]].remove(endpoint)
        return {"RequestId": "req-delete-endpoint"}

    def _DescribeInternalEndpointDns(self, action, params):
        endpoint = self._endpoint(action, params)[1]
        if endpoint["_dns"] == "Opening":
            if endpoint["_dns_reads"] >= self.dns_reads:
                endpoint["_dns"] = "Running"
            endpoint["_dns_reads"] += 1
        return {"RequestId": "req-dns",
                "InternalEndpointDnsSet": [{"InternalEndpointDns": "PrivateDomain", "Status": endpoint["_dns"]}]}

    def _CreateInternalEndpointDns(self, action, params):
        endpoint = self._endpoint(action, params)[1]
        if endpoint["Status"] != "Running":
            raise error("IncorrectStatus", action, 409)
        if endpoint["_dns"] != "Closed":
            raise error("InternalEndpointDnsAlreadyExists", action, 409)
        endpoint["_dns"], endpoint["_dns_reads"] = "Opening", 0
        return {"RequestId": "req-dns-on"}

    def _DeleteInternalEndpointDns(self, action, params):
        endpoint = self._endpoint(action, params)[1]
        if endpoint["_dns"] == "Closed":
            raise error("InternalEndpointDnsNotFound", action, 404)
        endpoint["_dns"] = "Closed"
        return {"RequestId": "req-dns-off"}

    # -- webhook triggers --------------------------------------------------------------------------

    def add_trigger(self, instance, namespace, name, events=("PushImage",), url="https://hooks.example.com/kcr",
                    headers=None, enabled=True):
        self._trigger_serial += 1
        doc = {"TriggerId": self._trigger_serial, "TriggerName": name, "EventType": list(events), "TriggerUrl": url,
               "Enabled": enabled, "CreateTime": "2024-01-15 11:00:00", "UpdateTime": "2024-01-15 11:00:00",
               "_headers": [{"Key": k, "Value": v if isinstance(v, list) else [v]} for k, v in (headers or {}).items()]}
        self.triggers.setdefault((instance["InstanceId"], namespace), []).insert(0, doc)
        self.trigger_logs[doc["TriggerId"]] = []
        return doc

    @staticmethod
    def _trigger_view(doc):
        view = dict((k, v) for k, v in doc.items() if not k.startswith("_"))
        view["Header"] = ";".join("%s:%s" % (h["Key"], ",".join(h["Value"])) for h in doc["_headers"]) or None
        return view

    def _namespace_triggers(self, action, params):
        doc = self._namespace(action, params)[0]
        return self.triggers.setdefault((doc["InstanceId"], params["Namespace"]), [])

    def _trigger(self, action, params, trigger_id):
        for doc in self._namespace_triggers(action, params):
            if doc["TriggerId"] == int(trigger_id):
                return doc
        raise error("WebhookTriggerNotFound", action, 404)

    @staticmethod
    def _trigger_fields(params):
        """The Trigger structure as the client would flatten it: None values are not sent."""
        return dict((k, v) for k, v in (params.get("Trigger") or {}).items() if v is not None)

    def _DescribeWebhookTrigger(self, action, params):
        found = [self._trigger_view(t) for t in self._namespace_triggers(action, params)
                 if "TriggerId" not in params or t["TriggerId"] == int(params["TriggerId"])]
        return page(params, found, "TriggerSet", cap=self.page_cap)

    def _CreateWebhookTrigger(self, action, params):
        triggers = self._namespace_triggers(action, params)
        fields = self._trigger_fields(params)
        if any(t["TriggerName"] == fields["TriggerName"] for t in triggers):
            raise error("WebhookTriggerAlreadyExists", action, 409)
        doc = self.add_trigger(self._get_instance(action, params), params["Namespace"], fields["TriggerName"],
                               fields["EventType"], fields["TriggerUrl"], enabled=fields.get("Enabled", True))
        doc["_headers"] = fields.get("Header") or []
        return {"requestId": "req-trigger", "triggerId": doc["TriggerId"]}

    def _ModifyWebhookTrigger(self, action, params):
        fields = self._trigger_fields(params)
        doc = self._trigger(action, params, fields.pop("TriggerId"))
        for key, value in fields.items():
            doc["_headers" if key == "Header" else key] = value
        doc["UpdateTime"] = "2024-01-15 12:00:00"
        return {"RequestId": "req-modify-trigger"}

    def _DeleteWebhookTrigger(self, action, params):
        doc = self._trigger(action, params, params["TriggerId"])
        self._namespace_triggers(action, params).remove(doc)
        return {"RequestId": "req-delete-trigger"}

    def _DescribeWebhookTriggerLog(self, action, params):
        doc = self._trigger(action, params, params["TriggerId"])
        return page(params, self.trigger_logs[doc["TriggerId"]], "Logs")

    # -- repositories, images and scans (a docker push makes them) ---------------------------------

    def _now(self):
        self._clock += 1
        return "2024-01-15 08:%02d:%02d" % (self._clock // 60, self._clock % 60)

    def push(self, namespace, repo, tag, digest=None, instance=None):
        """What docker push does: the namespace and repository if needed, the image, the tag (moved
        if another image had it). ``instance`` defaults to the first one added."""
        instance = instance or self.instances[-1]
        if not any(n["Namespace"] == namespace for n in self.namespaces[instance["InstanceId"]]):
            self.add_namespace(instance, namespace)
        repos = self.repos.setdefault((instance["InstanceId"], namespace), {})
        now = self._now()
        if repo not in repos:
            repos[repo] = {"RepoName": repo, "Desc": None, "CreateTime": now, "images": []}
            self._namespace_doc(instance, namespace)["RepoCount"] += 1
        entry = repos[repo]
        entry["UpdateTime"] = now
        digest = digest or digest_of("%s/%s:%s" % (namespace, repo, tag))
        for image in entry["images"]:
            if tag in image["TagNames"] and image["ImageId"] != digest:
                image["TagNames"].remove(tag)
        entry["images"] = [i for i in entry["images"] if i["TagNames"]]
        for image in entry["images"]:
            if image["ImageId"] == digest:
                if tag not in image["TagNames"]:
                    image["TagNames"].append(tag)
                return digest
        entry["images"].insert(0, {"ImageId": digest, "Size": 1000 + len(entry["images"]), "CreateTime": now,
                                   "TagNames": [tag]})
        return digest

    def repo(self, namespace, name, instance=None):
        instance = instance or self.instances[-1]
        return self.repos.get((instance["InstanceId"], namespace), {}).get(name)

    def _namespace_doc(self, instance, namespace):
        return next(n for n in self.namespaces[instance["InstanceId"]] if n["Namespace"] == namespace)

    def _repository(self, action, params):
        doc, namespace = self._namespace(action, params)
        repo = self.repos.get((doc["InstanceId"], params["Namespace"]), {}).get(params.get("RepoName"))
        if repo is None:
            raise error("RepositoryNotFound", action, 404)
        return doc, namespace, repo

    def _image(self, action, params):
        repo = self._repository(action, params)[2]
        for image in repo["images"]:
            if image["ImageId"] == params.get("ImageId"):
                return repo, image
        raise error("ImageNotFound", action, 404)

    def _DescribeNamespaceExist(self, action, params):
        doc = self._get_instance(action, params)
        return {"Exist": any(n["Namespace"] == params.get("Namespace") for n in self.namespaces[doc["InstanceId"]])}

    def _DescribeRepository(self, action, params):
        doc, namespace = self._namespace(action, params)
        names = params.get("RepoName")
        items = [{"RepoName": r["RepoName"], "Public": namespace["Public"], "Desc": r["Desc"],
                  "CreateTime": r["CreateTime"], "UpdateTime": r["UpdateTime"]}
                 for r in self.repos.get((doc["InstanceId"], params["Namespace"]), {}).values()
                 if not names or r["RepoName"] in names]
        return page(params, items, "RepoSet")

    def _ModifyRepoDesc(self, action, params):
        repo = self._repository(action, params)[2]
        repo["Desc"] = params["Desc"]
        repo["UpdateTime"] = self._now()
        return {"RequestId": "req"}

    def _DeleteRepository(self, action, params):
        doc, namespace, repo = self._repository(action, params)
        del self.repos[(doc["InstanceId"], params["Namespace"])][repo["RepoName"]]
        namespace["RepoCount"] -= 1
        return {"RequestId": "req"}

    def _DescribeImages(self, action, params):
        repo = self._repository(action, params)[2]
        items = [dict(i, TagNames=list(i["TagNames"])) for i in repo["images"]
                 if params.get("ImageId") is None or i["ImageId"] == params["ImageId"]]
        return page(params, items, "ImageSet")

    def _DeleteImages(self, action, params):
        repo, image = self._image(action, params)
        repo["images"].remove(image)
        return {"RequestId": "req"}

    def _DeleteRepoTag(self, action, params):
        repo = self._repository(action, params)[2]
        for image in repo["images"]:
            if params["TagName"] in image["TagNames"]:
                image["TagNames"].remove(params["TagName"])
                repo["images"] = [i for i in repo["images"] if i["TagNames"]]
                return {"RequestId": "req"}
        raise error("TagNotFound", action, 404)

    def _StartImageScan(self, action, params):
        image = self._image(action, params)[1]
        self.scans[image["ImageId"]] = {"polls": self.scan_polls, "final": self.scan_final}
        return {"RequestId": "req"}

    def _DescribeImageScan(self, action, params):
        image = self._image(action, params)[1]
        scan = self.scans.get(image["ImageId"])
        if scan is None:
            raise error("ImageScanNotFound", action, 404)
        if scan["polls"] > 0:
            scan["polls"] -= 1
            return {"RequestId": "req", "Status": self.scan_running, "TotalCount": 0, "FinishTime": None,
                    "Summary": dict(High=0, Medium=0, Low=0, Negligible=0, Unknown=0), "VulnerabilitySet": []}
        return {"RequestId": "req", "Status": scan["final"], "TotalCount": 1, "FinishTime": "2024-01-15 09:00:00",
                "Summary": dict(High=1, Medium=0, Low=0, Negligible=0, Unknown=0),
                "VulnerabilitySet": [{"CveId": "CVE-2023-0464", "CveLink": "https://nvd.nist.gov/vuln/detail/CVE-2023-0464",
                                      "Description": "X.509 policy constraints", "Severity": "High",
                                      "Feature": "openssl", "CurrentVersion": "1.1.1k-r0",
                                      "RepairedVersion": "1.1.1t-r0"}]}
