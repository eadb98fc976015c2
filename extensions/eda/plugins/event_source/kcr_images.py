# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source cloudops.multicloud.kcr_images: tags pushed to KSYUN container
registries (KCR), new or moved to another digest. The poller is
plugins/plugin_utils/kcr_image_events.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kcr_images
short_description: Tags pushed to KSYUN container registries (KCR), new or moved to another digest
description:
  - Lists the repositories of each watched namespace (C(DescribeRepository), 99 a page) every
    O(interval) seconds and, only for a repository whose C(UpdateTime) moved, its images
    (C(DescribeImages), 99 a page); emits one event per tag that is new or points at another digest
    than before. A deleted tag emits nothing.
  - The first start takes what is there as the baseline and emits nothing (unless O(emit_existing));
    the last listing is kept in O(state_file), so a restart emits only what changed meanwhile.
    Delivery is at least once.
options:
  access_key:
    description: Access key. Env C(KSYUN_ACCESS_KEY), C(KS_ACCESS_KEY_ID).
    type: str
  secret_key:
    description: Secret key. Env C(KSYUN_SECRET_KEY), C(KS_SECRET_ACCESS_KEY).
    type: str
  security_token:
    description: Security token of temporary credentials. Env C(KSYUN_SECURITY_TOKEN).
    type: str
  region:
    description: Region of the registries. Env C(KSYUN_REGION).
    type: str
    default: cn-beijing-6
  endpoint_url:
    description: KCR endpoint instead of the region's public one. Env C(KSYUN_ENDPOINT_URL).
    type: str
  allow_insecure_http:
    description: Accept an C(http://) endpoint that is not loopback. Env C(CLOUDOPS_ALLOW_INSECURE_HTTP).
    type: bool
    default: false
  validate_certs:
    description: Check the endpoint's TLS certificate.
    type: bool
    default: true
  ca_bundle:
    description: CA certificates to check it with.
    type: path
  timeout:
    description: Seconds per HTTP attempt.
    type: float
  retries:
    description: Attempts again after a throttled answer, a 5xx or a network error (the transport's policy).
    type: int
  instance_ids:
    description:
      - The KCR instances to watch. Default - every running instance of the region (in the projects
        of O(project_ids), else the default project), listed anew at each interval.
    type: list
    elements: str
  project_ids:
    description: Where to look for instances when O(instance_ids) is not given.
    type: list
    elements: str
  namespaces:
    description: The namespaces to watch in each instance. Default - all of them.
    type: list
    elements: str
  interval:
    description: Seconds between two listings; more than 0.
    type: float
    default: 60
  state_file:
    description:
      - Where the last listing is kept (JSON, mode 0600). Default - one file per account, endpoint,
        region and filters in C(~/.ansible/tmp/cloudops-multicloud/eda/).
    type: path
  emit_existing:
    description: At a first start (no state file), emit C(kcr_images.tag_pushed) for every tag there.
    type: bool
    default: false
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
        run_playbook:
          name: cloudops.multicloud.scan_image
"""

EVENTS = r"""
- type: kcr_images.tag_pushed
  region: cn-beijing-6
  instance_id: 2c4a6f3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b
  namespace: apps
  repository: billing-api
  tag: "2.0.0"
  digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
  pushed_at: "2026-12-08 10:20:30"  # the repository's UpdateTime (its last push; the registry's clock)
  image_created: "2026-12-08 10:20:30"  # the image's CreateTime (when that digest first came)
  changed:  # a tag moved to another digest only
    digest: {before: "sha256:1b4f0e9851971998e732078544c96b36c3d01cedf7caa332359d6f1d83567014", after: "sha256:9f86..."}
  observed_at: "2026-12-08T02:20:31Z"
"""

import os  # noqa: E402  pylint: disable=wrong-import-position
import sys  # noqa: E402  pylint: disable=wrong-import-position

# pylint: disable=wrong-import-position
try:
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source, kcr_image_events
except ImportError:
    # ansible-rulebook runs this file with runpy.run_path, without the collection loader: put the
    # directory holding ansible_collections/ (8 levels up, symlinks kept) on the path.
    sys.path.insert(0, os.path.abspath(__file__).rsplit(os.sep, 8)[0])
    from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source, kcr_image_events


async def main(queue, args):
    """ansible-rulebook's entry point: events on ``queue`` until the task is cancelled; the
    options are checked before any call (SourceError naming the option)."""
    poller, state, params = kcr_image_events.poller_and_state(args)
    await event_source.run(queue, poller, state, params["interval"], params["emit_existing"], log=poller.log)
