# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A KCR account in memory for the instance and namespace module tests.

It answers like the service (the emulator's error codes, Marker/MaxResults paging, substring name
filters, only the default project unless ``ProjectId`` is given, newest instance first) and
records every call. Status changes are counted in reads: a new instance is ``Creating`` for
``creating_reads`` DescribeInstance answers, then ``create_outcome``; a deleted one is
``Deleting`` for ``deleting_reads`` answers, then gone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import RecordingClient

REGION = "cn-beijing-6"


def error(code, action, status=400, message="refused"):
    return CloudError(message, status=status, code=code, request_id="req-%s" % code, service="kcrs",
                      operation=action)


def page(params, items, key):
    marker = int(params.get("Marker", 0))
    size = int(params.get("MaxResults", 20))
    return {"RequestId": "req-page", "TotalCount": len(items), "Marker": marker, "MaxResults": size,
            key: copy.deepcopy(items[marker:marker + size])}


class FakeKcrAccount(RecordingClient):

    def __init__(self):
        super(FakeKcrAccount, self).__init__()
        self.instances = []  # newest first
        self.namespaces = {}  # instance id -> [namespace dicts]
        self.creating_reads = 1
        self.create_outcome = "Running"
        self.deleting_reads = 1
        self.namespace_quota = 50
        self._pending = {}  # instance id -> [status, reads left]
        self._serial = 0

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
        return getattr(self, "_" + action)(action, params)

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
        raise error("InstanceNotFound", action, 404, "The instance %s does not exist." % params.get("InstanceId"))

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
