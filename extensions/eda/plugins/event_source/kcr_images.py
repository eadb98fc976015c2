# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudops.multicloud.kcr_images: an Event-Driven Ansible source of tags pushed to KSYUN container
registries (KCR).

Every ``interval`` seconds it lists the repositories of each watched namespace (DescribeRepository,
99 a page) and, for a repository whose UpdateTime moved, its images (DescribeImages, 99 a page);
each tag that is new or points at another digest than before is one event. What it saw is kept in
a state file (0600), so a restart emits only what changed meanwhile; a first start emits nothing
unless ``emit_existing``. Delivery is at least once (see docs/eda.md).

Options (the rulebook's ``args``):
  access_key, secret_key, security_token, region, endpoint_url, allow_insecure_http,
  validate_certs, ca_bundle, timeout, retries:
      as for the modules, with the same environment variables (KSYUN_ACCESS_KEY, KSYUN_SECRET_KEY,
      KSYUN_SECURITY_TOKEN, KSYUN_REGION, KSYUN_ENDPOINT_URL, ...): AWX's KSYUN credential type
      injected as environment works unchanged.
  instance_ids: the KCR instance IDs to watch; default every instance of the region (in the
      projects of project_ids, else the default project), listed anew at each interval.
  project_ids: where to look for instances when instance_ids is not given.
  namespaces: the namespaces to watch in each instance; default all of them.
  interval: seconds between two polls (default 60; more than 0).
  state_file: where to keep what was seen (default: one file per account, endpoint, region and
      filters under ~/.ansible/tmp/cloudops-multicloud/eda/).
  emit_existing: at a first start, emit every tag already there (default false).

Event (one per new or moved tag):
  {"type": "kcr_images.tag_pushed", "region": "cn-beijing-6", "instance_id": "...",
   "namespace": "apps", "repository": "billing-api", "tag": "2.0.0", "digest": "sha256:...",
   "pushed_at": "2026-12-08 10:20:30", "image_created": "2026-12-08 10:20:30",
   "observed_at": "2026-12-08T02:20:31Z"}
  and for a tag that moved, "changed": {"digest": {"before": "sha256:old", "after": "sha256:new"}}.
  pushed_at is the repository's UpdateTime (its last push, to the second, the registry's clock);
  image_created the image's CreateTime (when that digest first came).
"""

EXAMPLES = r"""
- name: Scan what is pushed
  hosts: localhost
  sources:
    - cloudops.multicloud.kcr_images:
        instance_ids: [2c4a6f3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b]
        namespaces: [apps]
        interval: 60
  rules:
    - name: A pushed tag
      condition: event.type == "kcr_images.tag_pushed"
      action:
        debug:
"""

import datetime
import logging
import os
import sys
import time

try:
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source
except ImportError:
    # ansible-rulebook runs this file by path: the collections root is 8 levels up from it (not
    # resolved: the dev tree reaches the checkout through a symlink).
    sys.path.insert(0, os.path.abspath(__file__).rsplit(os.sep, 8)[0])
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source

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

SOURCE = "kcr_images"
EVENT_TYPE = "kcr_images.tag_pushed"
# UpdateTime counts whole seconds: a second push within the second the first was seen in leaves it
# as it was, so a repository is listed again until a listing came this long after its value did.
SETTLE_SECONDS = 2.0
EVENT_FIELDS = ("instance_id", "namespace", "repository", "tag", "digest", "pushed_at", "image_created")


def argument_spec():
    spec = ksyun_argument_spec()
    spec.update(
        instance_ids=dict(type="list", elements="str"),
        project_ids=dict(type="list", elements="str"),
        namespaces=dict(type="list", elements="str"),
        interval=dict(type="float", default=60.0),
        state_file=dict(type="path"),
        emit_existing=dict(type="bool", default=False),
    )
    return spec


def checked_params(args):
    """The validated options; SourceError naming the option otherwise."""
    params = event_source.source_params(args, argument_spec(), SOURCE)
    if params["interval"] <= 0:
        raise event_source.SourceError("%s: interval: must be more than 0 seconds (%s given)"
                                       % (SOURCE, params["interval"]))
    try:
        INSTANCE_ID.check_each("instance_ids", params["instance_ids"])
        PROJECT_ID.check_each("project_ids", params["project_ids"])
        NAMESPACE_NAME.check_each("namespaces", params["namespaces"])
    except ModuleFailure as exc:
        raise event_source.SourceError("%s: %s" % (SOURCE, exc.msg))
    return params


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
    name = SOURCE

    def __init__(self, client, params, log, saved=None, monotonic=time.monotonic):
        self.client = client
        self.params = params
        self.log = log
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
                    raise event_source.SourceError("%s: instance_ids: %s" % (SOURCE, exc.msg))
                # Kept as last seen: if it is back at the next poll, its tags are not new.
                self.log.info("%s: %s (deleted since it was listed)", SOURCE, exc.msg)
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
        observed_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
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


async def main(queue, args):
    """ansible-rulebook's entry point: polls until cancelled."""
    params = checked_params(args)
    client = event_source.client(KCR_API, params, SOURCE)
    identity = dict(account=params["access_key"], endpoint=client.endpoint, region=client.region,
                    instance_ids=params["instance_ids"], project_ids=params["project_ids"],
                    namespaces=params["namespaces"])
    state = event_source.StateFile(event_source.state_path(SOURCE, identity, params["state_file"]))
    log = logging.getLogger("cloudops.multicloud.%s" % SOURCE)
    poller = KcrImagesPoller(client, params, log, saved=state.load())
    await event_source.run(queue, poller, state, params["interval"], params["emit_existing"], log=log)
