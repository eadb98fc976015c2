# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``kcr_images`` event source (extensions/eda/plugins/event_source/kcr_images.py): tags pushed
to KSYUN container registries (KCR), new or moved to another digest.

Every ``interval`` seconds it lists the repositories of each watched namespace (DescribeRepository,
99 a page) and, only for a repository whose UpdateTime moved, its images (DescribeImages, 99 a
page); each tag that is new or points at another digest than before is one event.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import logging
import time

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import KCR_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import KcrInstanceRef
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.images import list_images
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.instances import INSTANCE_ID, describe_instances
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import (
    NAMESPACE_NAME,
    list_namespaces,
    paginate_in_namespace,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.repositories import RepositoryRef
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import PROJECT_ID, ksyun_argument_spec
from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source

NAME = "kcr_images"
EVENT_TYPE = "kcr_images.tag_pushed"
# UpdateTime counts whole seconds: a second push within the second the first was seen in leaves it
# as it was, so a repository is listed again until a listing came this long after its value did.
SETTLE_SECONDS = 2.0
EVENT_FIELDS = ("instance_id", "namespace", "repository", "tag", "digest", "pushed_at", "image_created")

ARGUMENT_SPEC = event_source.source_spec(
    ksyun_argument_spec(),
    instance_ids=dict(type="list", elements="str"),
    project_ids=dict(type="list", elements="str"),
    namespaces=dict(type="list", elements="str"),
)


def check_options(params):
    """SourceError naming the option for a bad ``interval``, instance, project or namespace."""
    event_source.check_interval(params, NAME)
    try:
        INSTANCE_ID.check_each("instance_ids", params["instance_ids"])
        PROJECT_ID.check_each("project_ids", params["project_ids"])
        NAMESPACE_NAME.check_each("namespaces", params["namespaces"])
    except ModuleFailure as exc:
        raise event_source.SourceError("%s: %s" % (NAME, exc.msg))


def identity(params, client):
    """What the state file is per: account, endpoint, region and filters."""
    return dict(account=params["access_key"], endpoint=client.endpoint, region=client.region,
                instance_ids=params["instance_ids"], project_ids=params["project_ids"],
                namespaces=params["namespaces"])


def poller_and_state(args):
    """The poller and state file ``args`` (the rulebook's) describe, and the options;
    SourceError naming the option."""
    params, client, state = event_source.configure(args, ARGUMENT_SPEC, NAME, KCR_API, check_options, identity)
    return KcrImagesPoller(client, params, saved=state.load()), state, params


class _InstanceScope:
    """What a ``KcrInstanceRef`` reads of its module: one instance, the client, never check mode."""

    check_mode = False

    def __init__(self, client, instance_id, log):
        self.client = client
        self.region = client.region
        self.params = {"instance_id": instance_id, "instance_name": None, "project_id": None}
        self.warn = log.warning


class _Repository:
    """What the poller remembers of one repository: its UpdateTime, when that value was first seen
    and last listed (monotonic), and its tags' records."""

    def __init__(self, updated, first_seen, listed, records):
        self.updated = updated
        self.first_seen = first_seen
        self.listed = listed
        self.records = records

    def settled(self):
        return self.listed - self.first_seen >= SETTLE_SECONDS


def tag_key(record):
    return "%(instance_id)s/%(namespace)s/%(repository)s:%(tag)s" % record


def _repository_key(instance_id, namespace, repository):
    return "%s/%s/%s" % (instance_id, namespace, repository)


class KcrImagesPoller(event_source.Poller):
    """Lists the watched repositories (and the images of those that moved) and turns two listings
    into events."""

    name = NAME

    def __init__(self, client, params, log=None, saved=None, monotonic=time.monotonic):
        self.client = client
        self.params = params
        self.log = log or logging.getLogger("cloudops.multicloud.%s" % NAME)
        self.monotonic = monotonic
        self.repositories = self._remembered(saved or {})

    @staticmethod
    def _remembered(snapshot):
        """The repositories of a saved snapshot: those whose last listing had settled are not listed
        again at a restart unless their UpdateTime moved."""
        repositories = {}
        for record in snapshot.values():
            key = _repository_key(record["instance_id"], record["namespace"], record["repository"])
            entry = repositories.setdefault(key, _Repository(record["pushed_at"], float("-inf"), 0.0, []))
            if not record.get("settled", True):
                entry.first_seen = 0.0
            entry.records.append(record)
        return repositories

    def read(self):
        seen = {}
        for instance_id in self._instance_ids():
            instance = KcrInstanceRef(_InstanceScope(self.client, instance_id, self.log))
            try:
                for namespace in self._namespaces(instance):
                    self._read_namespace(instance, namespace, seen)
            except ModuleFailure as exc:  # the instance is not (or no longer) there
                if self.params["instance_ids"]:
                    raise event_source.SourceError("%s: instance_ids: %s" % (NAME, exc.msg))
                # Kept as last seen: if it is back at the next poll, its tags are not new.
                self.log.info("%s: %s (deleted since it was listed)", NAME, exc.msg)
                seen.update((key, entry) for key, entry in self.repositories.items()
                            if key.startswith(instance_id + "/"))
        self.repositories = seen
        return dict((tag_key(r), r) for entry in seen.values() for r in entry.records)

    def _instance_ids(self):
        if self.params["instance_ids"]:
            return self.params["instance_ids"]
        listed = describe_instances(self.client, project_ids=self.params["project_ids"])
        return [i["InstanceId"] for i in listed if i.get("InstanceStatus") in (None, "Running")]

    def _namespaces(self, instance):
        return self.params["namespaces"] or [n["Namespace"] for n in list_namespaces(instance)]

    def _read_namespace(self, instance, namespace, seen):
        listed = paginate_in_namespace(instance, namespace, "DescribeRepository", {}, "RepoSet", missing_ok=True)
        for repository in listed or []:
            key = _repository_key(instance.id, namespace, repository["RepoName"])
            seen[key] = self._repository(instance, namespace, repository, self.repositories.get(key))

    def _repository(self, instance, namespace, repository, known):
        updated = repository.get("UpdateTime")
        if known is not None and known.updated == updated and known.settled():
            return known
        first_seen = known.first_seen if known is not None and known.updated == updated else self.monotonic()
        images = list_images(RepositoryRef(instance, namespace, repository["RepoName"])) or []
        entry = _Repository(updated, first_seen, self.monotonic(), [])
        entry.records = [dict(instance_id=instance.id, namespace=namespace, repository=repository["RepoName"], tag=tag,
                              digest=image["ImageId"], pushed_at=updated, image_created=image.get("CreateTime"),
                              settled=entry.settled())
                         for image in images for tag in image.get("TagNames") or []]
        return entry

    def events(self, before, now):
        observed_at = event_source.observed_at()
        found = []
        for kind, _key, old, new, _changed in event_source.changes(before, now, ("digest",)):
            if kind == "gone":
                continue
            event = dict(type=EVENT_TYPE, region=self.client.region)
            event.update((field, new[field]) for field in EVENT_FIELDS)
            if kind == "changed":
                event["changed"] = {"digest": {"before": old["digest"], "after": new["digest"]}}
            event["observed_at"] = observed_at
            found.append(event)
        return found

    def close(self):
        self.client.transport.close()
