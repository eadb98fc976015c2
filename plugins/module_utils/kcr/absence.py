# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failed KCR request found missing, when its answer does not say.

The KCR documents name only the common error codes. So a service may answer a missing namespace,
repository, image, ... with 400 InvalidParameterValue (reading ``common`` in docs/dev/emulator.md)
rather than with a code of its own, and the ``Missing`` declarations, which list codes, cannot
tell. ``Absence.implied_code`` decides it from listings, on this error path only (a no-op never
gets here): the first thing the request names, from the namespace down, that is not listed,
spelled as the code the declarations know. What earlier listings of the run showed is not read
again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing

# The common code for a bad parameter: what a service without codes of its own answers.
UNSPECIFIC = Missing("InvalidParameterValue")


def _text(value):
    return value if isinstance(value, str) else None


class Absence:
    """What the listings of one run showed to exist in one instance, and what a failed request
    that names things in it found missing. ``listing(action, params, result_key)`` lists."""

    def __init__(self, listing):
        self.listing = listing
        self.seen = set()

    def saw(self, action, params, items):
        """Note what a listing answered (its parents exist when it lists anything)."""
        namespace, repository = _text(params.get("Namespace")), _text(params.get("RepoName"))
        if items and namespace:
            self.seen.add(("namespace", namespace))
        for item in items:
            if action == "DescribeNamespace":
                self.seen.add(("namespace", item.get("Namespace")))
            elif action == "DescribeRepository":
                self.seen.add(("repository", namespace, item.get("RepoName")))
            elif action == "DescribeImages":
                self.seen.add(("repository", namespace, repository))
                self.seen.add(("image", namespace, repository, item.get("ImageId")))
                for tag in item.get("TagNames") or []:
                    self.seen.add(("tag", namespace, repository, tag))
            elif action == "DescribeInstanceToken":
                self.seen.add(("token", item.get("TokenId")))
            elif action == "DescribeWebhookTrigger":
                self.seen.add(("trigger", namespace, str(item.get("TriggerId"))))

    def _listed(self, key, action, params, result_key):
        if key not in self.seen:
            self.saw(action, params, self.listing(action, params, result_key))
        return key in self.seen

    def implied_code(self, action, params):
        """The not-found code the failure of ``action`` with ``params`` implies, or None when
        everything it names is listed."""
        namespace = _text(params.get("Namespace"))
        if namespace and action != "CreateNamespace" and not self._listed(
                ("namespace", namespace), "DescribeNamespace", {"Namespace": namespace}, "NamespaceSet"):
            return "NamespaceNotFound"
        repository = _text(params.get("RepoName"))
        if namespace and repository:
            if not self._listed(("repository", namespace, repository), "DescribeRepository",
                                {"Namespace": namespace, "RepoName": [repository]}, "RepoSet"):
                return "RepositoryNotFound"
            images = {"Namespace": namespace, "RepoName": repository, "ImageId": _text(params.get("ImageId"))}
            if images["ImageId"] and not self._listed(("image", namespace, repository, images["ImageId"]),
                                                      "DescribeImages", images, "ImageSet"):
                return "ImageNotFound"
            tag = _text(params.get("TagName"))
            if tag and not self._listed(("tag", namespace, repository, tag), "DescribeImages", images, "ImageSet"):
                return "TagNotFound"
            if action == "DescribeImageScan":
                return "ImageScanNotFound"
        token = _text(params.get("TokenId"))
        if token and not self._listed(("token", token), "DescribeInstanceToken", {}, "TokenSet"):
            return "TokenNotFound"
        trigger = params.get("TriggerId") or (params.get("Trigger") or {}).get("TriggerId")
        if namespace and trigger is not None and not self._listed(
                ("trigger", namespace, str(trigger)), "DescribeWebhookTrigger", {"Namespace": namespace}, "TriggerSet"):
            return "WebhookTriggerNotFound"
        return None
