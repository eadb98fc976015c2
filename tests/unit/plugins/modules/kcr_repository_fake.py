# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A KCR account in memory for the repository and image module tests, and a module runner.

``FakeKcr.call`` answers like the service (the emulator's error codes, Marker/MaxResults paging,
newest image first) and records every call; ``paginate`` is KsyunClient's own, so the modules'
paging is exercised as it runs for real. ``run_module`` runs a module's ``main()`` in-process with
this client and returns what Ansible would get.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.cloudops.multicloud.plugins.module_utils import resource
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunClient
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError

INSTANCE_ID = "eb1d0d73-4845-4283-a736-a7217f861464"
INSTANCE_NAME = "demo"
DOMAIN = "demo.ksyunkcr.com"
SECRET = "fake-secret-never-shown"


def digest_of(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def not_found(code, action):
    return CloudError("The resource does not exist.", status=404, code=code, request_id="req-1",
                      service="kcrs", operation=action)


class FakeKcr:
    def __init__(self):
        self.calls = []
        self.instances = {INSTANCE_ID: {"InstanceId": INSTANCE_ID, "InstanceName": INSTANCE_NAME,
                                        "InternalEndpoint": DOMAIN, "InstanceStatus": "Running"}}
        self.namespaces = {}  # namespace -> {"Public": bool, "repos": {name: repo}}
        self.scans = {}  # digest -> {"polls": reads left while Scanning, "final": status}
        self.scan_polls = 1
        self.scan_final = "Success"
        self.fail_once = {}  # action -> CloudError raised by its next call
        self._clock = 0

    # -- building the account ----------------------------------------------------------------------

    def _now(self):
        self._clock += 1
        return "2024-01-15 08:%02d:%02d" % (self._clock // 60, self._clock % 60)

    def add_namespace(self, namespace, public=False):
        self.namespaces.setdefault(namespace, {"Public": public, "repos": {}})

    def push(self, namespace, repo, tag, digest=None):
        """What docker push does: the repository if needed, the image, the tag (moved if taken)."""
        self.add_namespace(namespace)
        repos = self.namespaces[namespace]["repos"]
        now = self._now()
        entry = repos.setdefault(repo, {"RepoName": repo, "Desc": None, "CreateTime": now, "images": []})
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

    def repo(self, namespace, name):
        return self.namespaces[namespace]["repos"].get(name)

    # -- what the tests read -----------------------------------------------------------------------

    def actions(self):
        return [call[0] for call in self.calls]

    def writes(self):
        return [action for action in self.actions() if not action.startswith("Describe")]

    def params_of(self, action):
        return [params for name, params in self.calls if name == action]

    # -- the client --------------------------------------------------------------------------------

    paginate = KsyunClient.paginate

    def call(self, action, params=None):
        # the real client drops None values, as the wire has no null
        params = dict((k, v) for k, v in (params or {}).items() if v is not None)
        self.calls.append((action, params))
        if action in self.fail_once:
            raise self.fail_once.pop(action)
        handler = getattr(self, "_" + action, None)
        if handler is None:
            raise AssertionError("the fake has no %s" % action)
        return handler(action, params)

    def _page(self, params, key, items):
        marker, size = int(params.get("Marker", 0)), int(params.get("MaxResults", 20))
        assert 1 <= size <= 99, "MaxResults %s out of range" % size
        return {"RequestId": "req", "Marker": marker, "MaxResults": size, "TotalCount": len(items),
                key: items[marker:marker + size]}

    def _instance(self, action, params):
        if params.get("InstanceId") not in self.instances:
            raise not_found("InstanceNotFound", action)

    def _namespace(self, action, params):
        self._instance(action, params)
        if params.get("Namespace") not in self.namespaces:
            raise not_found("NamespaceNotFound", action)
        return self.namespaces[params["Namespace"]]

    def _repository(self, action, params):
        namespace = self._namespace(action, params)
        repo = namespace["repos"].get(params.get("RepoName"))
        if repo is None:
            raise not_found("RepositoryNotFound", action)
        return namespace, repo

    def _image(self, action, params):
        repo = self._repository(action, params)[1]
        for image in repo["images"]:
            if image["ImageId"] == params.get("ImageId"):
                return repo, image
        raise not_found("ImageNotFound", action)

    def _DescribeNamespaceExist(self, action, params):
        return {"Exist": params.get("Namespace") in self.namespaces}

    def _DescribeInstance(self, action, params):
        ids = params.get("InstanceId") or list(self.instances)
        items = [dict(self.instances[i]) for i in ids if i in self.instances]
        if params.get("InstanceName"):
            items = [i for i in items if params["InstanceName"] in i["InstanceName"]]
        return self._page(params, "InstanceSet", items)

    def _DescribeRepository(self, action, params):
        namespace = self._namespace(action, params)
        names = params.get("RepoName")
        items = [{"RepoName": r["RepoName"], "Public": namespace["Public"], "Desc": r["Desc"],
                  "CreateTime": r["CreateTime"], "UpdateTime": r["UpdateTime"]}
                 for r in namespace["repos"].values() if not names or r["RepoName"] in names]
        return self._page(params, "RepoSet", items)

    def _ModifyRepoDesc(self, action, params):
        repo = self._repository(action, params)[1]
        repo["Desc"] = params["Desc"]
        repo["UpdateTime"] = self._now()
        return {"RequestId": "req"}

    def _DeleteRepository(self, action, params):
        namespace, repo = self._repository(action, params)
        del namespace["repos"][repo["RepoName"]]
        return {"RequestId": "req"}

    def _DescribeImages(self, action, params):
        repo = self._repository(action, params)[1]
        items = [dict(i, TagNames=list(i["TagNames"])) for i in repo["images"]
                 if params.get("ImageId") is None or i["ImageId"] == params["ImageId"]]
        return self._page(params, "ImageSet", items)

    def _DeleteImages(self, action, params):
        repo, image = self._image(action, params)
        repo["images"].remove(image)
        return {"RequestId": "req"}

    def _DeleteRepoTag(self, action, params):
        repo = self._repository(action, params)[1]
        for image in repo["images"]:
            if params["TagName"] in image["TagNames"]:
                image["TagNames"].remove(params["TagName"])
                repo["images"] = [i for i in repo["images"] if i["TagNames"]]
                return {"RequestId": "req"}
        raise not_found("TagNotFound", action)

    def _StartImageScan(self, action, params):
        image = self._image(action, params)[1]
        self.scans[image["ImageId"]] = {"polls": self.scan_polls, "final": self.scan_final}
        return {"RequestId": "req"}

    def _DescribeImageScan(self, action, params):
        image = self._image(action, params)[1]
        scan = self.scans.get(image["ImageId"])
        if scan is None:
            raise not_found("ImageScanNotFound", action)
        if scan["polls"] > 0:
            scan["polls"] -= 1
            return {"RequestId": "req", "Status": "Scanning", "TotalCount": 0, "FinishTime": None,
                    "Summary": dict(High=0, Medium=0, Low=0, Negligible=0, Unknown=0), "VulnerabilitySet": []}
        return {"RequestId": "req", "Status": scan["final"], "TotalCount": 1, "FinishTime": "2024-01-15 09:00:00",
                "Summary": dict(High=1, Medium=0, Low=0, Negligible=0, Unknown=0),
                "VulnerabilitySet": [{"CveId": "CVE-2023-0464", "CveLink": "https://nvd.nist.gov/vuln/detail/CVE-2023-0464",
                                      "Description": "X.509 policy constraints", "Severity": "High",
                                      "Feature": "openssl", "CurrentVersion": "1.1.1k-r0",
                                      "RepairedVersion": "1.1.1t-r0"}]}


class Outcome(dict):
    """What the module returned (``exit_json``/``fail_json`` arguments) and whether it failed."""

    @property
    def failed(self):
        return bool(self.get("failed"))


def run_module(main, args, fake, monkeypatch, capsys, check_mode=False, diff=False):
    """Run ``main()`` as Ansible would, with ``fake`` as the API client; the engine never sleeps."""
    module_args = dict(access_key="AKLTFAKE", secret_key=SECRET, _ansible_check_mode=check_mode,
                       _ansible_diff=diff)
    module_args.update(args)
    monkeypatch.setattr(resource.CloudModule, "_make_client", lambda self: fake)
    monkeypatch.setattr(resource.time, "sleep", lambda seconds: None)
    with patch_module_args(module_args):
        with pytest.raises(SystemExit):
            main()
    out = capsys.readouterr().out
    assert SECRET not in out
    return Outcome(json.loads(out))
