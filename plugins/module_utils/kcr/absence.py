# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failed KCR request found missing, when its answer does not say.

The KCR documents name only the common error codes. So a service may answer a missing namespace,
repository, image, ... with 400 InvalidParameterValue (reading ``common`` in docs/emulator.md)
rather than with a code of its own, and the ``Missing`` declarations, which list codes, cannot
tell. ``implied_code`` decides it from listings, on this error path only (a no-op never gets
here): the first thing the request names, from the namespace down, that the listings do not show,
spelled as the code the declarations know.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing

# The common code for a bad parameter: what a service without codes of its own answers.
UNSPECIFIC = Missing("InvalidParameterValue")


def _text(value):
    return value if isinstance(value, str) else None


def implied_code(listing, action, params):
    """The not-found code the answer to ``action`` with ``params`` implies, or None when every
    thing it names is listed. ``listing(action, params, result_key)`` lists within the instance."""
    namespace = _text(params.get("Namespace"))
    if namespace and action != "CreateNamespace":
        found = listing("DescribeNamespace", {"Namespace": namespace}, "NamespaceSet")
        if not any(n.get("Namespace") == namespace for n in found):
            return "NamespaceNotFound"
    repository = _text(params.get("RepoName"))
    if namespace and repository:
        found = listing("DescribeRepository", {"Namespace": namespace, "RepoName": [repository]}, "RepoSet")
        if not any(r.get("RepoName") == repository for r in found):
            return "RepositoryNotFound"
        digest, tag = _text(params.get("ImageId")), _text(params.get("TagName"))
        if (digest or tag) and action != "DescribeImages":
            images = listing("DescribeImages", {"Namespace": namespace, "RepoName": repository, "ImageId": digest},
                             "ImageSet")
            if digest and not any(i.get("ImageId") == digest for i in images):
                return "ImageNotFound"
            if tag and not any(tag in (i.get("TagNames") or []) for i in images):
                return "TagNotFound"
            if action == "DescribeImageScan":
                return "ImageScanNotFound"
    token = _text(params.get("TokenId"))
    if token and not any(t.get("TokenId") == token
                         for t in listing("DescribeInstanceToken", {}, "TokenSet")):
        return "TokenNotFound"
    trigger = params.get("TriggerId") or (params.get("Trigger") or {}).get("TriggerId")
    if namespace and trigger is not None and action != "DescribeWebhookTrigger":
        found = listing("DescribeWebhookTrigger", {"Namespace": namespace}, "TriggerSet")
        if not any(str(t.get("TriggerId")) == str(trigger) for t in found):
            return "WebhookTriggerNotFound"
    return None
