# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-memory KCR account, extended with what kcr_token, kcr_internal_endpoint and kcr_webhook
use: access credentials, intranet access with private DNS, and webhook triggers with their logs.

It answers as the service does (the emulator's error codes and choices: a token's ExpireTime is
CreateTime + validity, also after a change; trigger headers come back as ``"k1:v1;k2:v2,v3"``).
Status changes are counted in reads: a new intranet access is ``Creating`` for ``endpoint_reads``
DescribeInternalEndpoint answers, DNS ``Opening`` for ``dns_reads`` DescribeInternalEndpointDns
answers. The client has a real ``Transport`` so that the secrets a module protects can be checked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress

from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import Transport
from ansible_collections.cloudops.multicloud.tests.unit.plugins.modules.kcr_account_fake import (
    FakeKcrAccount,
    error,
    page,
)

ACCOUNT_ID = "2000000001"
VPC_ID = "31e21dca-c92e-4b06-a8ce-000000000001"
SUBNET_ID = "372bdbac-ea1d-4f99-9c30-000000000001"
SUBNET_CIDR = "10.0.1.0/24"
CREATED_AT = datetime.datetime(2024, 1, 15, 10, 0, 0)
_UNIT = {"Hour": 3600, "Day": 86400}


def kcr_time(moment):
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


class FakeKcrAccess(FakeKcrAccount):

    def __init__(self):
        super(FakeKcrAccess, self).__init__()
        self.transport = Transport()
        self.tokens = {}  # instance id -> [token docs], newest first
        self.endpoints = {}  # instance id -> [access docs]
        self.triggers = {}  # (instance id, namespace) -> [trigger docs], newest first
        self.trigger_logs = {}  # trigger id -> [log entries], newest first
        self.endpoint_reads = 1
        self.endpoint_outcome = "Running"
        self.dns_reads = 1
        self.fail_next = {}  # action -> CloudError its next call raises
        self._token_serial = 0
        self._trigger_serial = 0

    def answer(self, action, params):
        failure = self.fail_next.pop(action, None)
        if failure is not None:
            raise failure
        return super(FakeKcrAccess, self).answer(action, params)

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
        token = self.add_token(doc, params.get("Desc"), token_type, token_time)
        return {"RequestId": "req-token", "Username": ACCOUNT_ID, "tokenId": token["TokenId"],
                "Token": "tok-%s-secret" % token["TokenId"][-4:], "ExpireTime": token["ExpireTime"]}

    def _ModifyInstanceTokenStatus(self, action, params):
        self._token(action, params)[1]["Enable"] = params["Enable"]
        return {"RequestId": "req-status"}

    def _ModifyInstanceTokenInformation(self, action, params):
        token = self._token(action, params)[1]
        token_type, token_time = self._validity(action, params)
        created = datetime.datetime.strptime(token["CreateTime"], "%Y-%m-%d %H:%M:%S")
        token["ExpireTime"] = self._expiry(created, token_type, token_time)
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
        return page(params, found, "TriggerSet")

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
