#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kcr_token
short_description: Manage access credentials (tokens) of a KSYUN container registry (KCR) instance
version_added: 0.1.0
description:
  - Create, change the validity of, enable, disable and delete an access credential of a KCR
    registry instance. A credential is a user name and a token (password) for C(docker login).
  - The registry returns the token and the user name only when the credential is created. This
    module returns them once, in RV(credentials), or writes them to O(token_file); later runs
    cannot show them again.
  - A credential is identified by its O(description) among the instance's credentials.
  - An idempotent run costs one DescribeInstanceToken call (plus one DescribeInstance call when the
    instance is given by name).
options:
  description:
    description:
      - Description of the credential; it identifies the credential among the instance's
        credentials, so it cannot be changed by this module.
      - 1 to 256 characters.
      - When more than one credential of the instance has this description, the module fails and
        lists their IDs.
    type: str
    required: true
  token_type:
    description:
      - Unit of the validity period, or V(NeverExpire) for a credential that does not expire.
      - Required when O(state=present).
      - The registry does not report the type and time of an existing credential, only when it was
        created and when it expires. The validity is compared as that difference, in the largest
        whole unit, so V(Hour) with O(token_time=24) is the same as V(Day) with O(token_time=1)
        (and is reported as the latter). A different validity is changed in place with
        ModifyInstanceTokenInformation.
      - Whether a changed validity counts from the credential's creation or from the change is
        not documented; either way, a re-run with the same validity changes nothing.
    type: str
    choices: [Hour, Day, NeverExpire]
  token_time:
    description:
      - Validity period in units of O(token_type), 1 to 9999.
      - Required when O(token_type) is V(Hour) or V(Day); not allowed with V(NeverExpire) (the
        registry would ignore it, so giving it is treated as a mistake).
    type: int
  enabled:
    description:
      - Whether the credential can be used to log in.
      - When a credential is created and O(enabled) is not given, it is enabled. The status of a
        new credential is not documented; it is read back after the creation and set only when it
        is not the one asked for.
      - When omitted for an existing credential, its status is left as it is.
    type: bool
  token_file:
    description:
      - Write the new credential to this file on the managed host, as JSON with the keys
        C(username), C(token) and C(expire_time), instead of returning the token in RV(credentials).
      - The file is created with mode 0600 under a temporary name in the same directory, synced and
        renamed over an existing file, so it is never readable by others, not even for a moment.
      - Written only when the credential is created (not in check mode). The directory must exist;
        this is checked before any call. If the file cannot be written, the new credential is
        deleted again and the task fails.
      - An existing file is never overwritten unless O(force=true); the module fails before
        creating anything (in check mode too). A run that finds the credential writes nothing, so a
        re-run with the file the creating run wrote changes nothing.
      - When the credential already exists and the file does not, what happens is O(on_missing_file)'s
        choice; by default the module fails before any write.
      - The directory, and every directory above it up to your home directory (or C(/) for a file
        outside it), must be owned by you or root and not writable by group or others, unless it
        has the sticky bit (as C(/tmp)); in a sticky directory an existing file must be yours.
        Anyone else who can write there could put a file of theirs in its place. This is checked
        before any call.
    type: path
  on_missing_file:
    description:
      - What to do when the credential exists but O(token_file) does not (a new home directory, an
        AWX job's fresh file system). The registry showed the token only when it created the
        credential, so it cannot be written again.
      - V(fail) fails before any write, saying so.
      - V(rotate) makes a new credential with the same O(description), validity and status,
        writes its token to O(token_file), and only then deletes the old credential (reported
        as a change; RV(token.token_id) is the new one's). If the new credential cannot be made
        or its file cannot be written, the new credential is deleted again and the old one is
        kept. Whoever still uses the old token loses access.
      - Check mode reports the rotation (the old credential before, the new one after) without
        making or writing anything.
      - Requires O(token_file).
    type: str
    choices: [fail, rotate]
    default: fail
    version_added: 0.2.0
  force:
    description:
      - Allow O(token_file) to overwrite an existing file when a new credential is created.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the credential or brings its validity and status in line;
        V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - cloudops.multicloud.attributes
  - cloudops.multicloud.kcr_instance
  - cloudops.multicloud.ksyun
  - cloudops.multicloud.transport
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff never contains the token.
notes:
  - Check mode makes no write call, writes no file and reports the credential as it would be.
  - RV(credentials.token) is a secret. It is returned only by the run that creates the credential
    and only when O(token_file) is not set; register it and handle it with care (C(no_log) on the
    tasks that use it), or use O(token_file).
seealso:
  - module: cloudops.multicloud.kcr_token_info
  - module: cloudops.multicloud.kcr_instance
author:
  - cloudops.multicloud contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: A private directory for registry credentials
  ansible.builtin.file:
    path: ~/.kcr
    state: directory
    mode: "0700"

- name: A credential for the CI runners, valid for 30 days, kept in a file
  cloudops.multicloud.kcr_token:
    instance_name: prod-registry
    description: ci-runners
    token_type: Day
    token_time: 30
    token_file: ~/.kcr/ci-runners.json

- name: The same in a job that starts without the file (an AWX job), making a new credential then
  cloudops.multicloud.kcr_token:
    instance_name: prod-registry
    description: ci-runners
    token_type: Day
    token_time: 30
    token_file: ~/.kcr/ci-runners.json
    on_missing_file: rotate

- name: A credential that never expires, returned once
  cloudops.multicloud.kcr_token:
    instance_id: "{{ registry_id }}"
    description: deploy-bot
    token_type: NeverExpire
  register: deploy_token
  no_log: true

- name: Disable it for now
  cloudops.multicloud.kcr_token:
    instance_id: "{{ registry_id }}"
    description: deploy-bot
    token_type: NeverExpire
    enabled: false

- name: Delete it
  cloudops.multicloud.kcr_token:
    instance_id: "{{ registry_id }}"
    description: deploy-bot
    state: absent
"""

RETURN = r"""
token:
  description:
    - The credential after the task, without its secret; empty after O(state=absent).
    - In check mode, the credential as it would be.
  returned: always
  type: dict
  contains:
    instance_id:
      description: ID of the KCR instance.
      type: str
      sample: eb1d0d73-4845-4283-a736-a7217f861464
    token_id:
      description: ID of the credential (null in check mode for a credential to be created).
      type: str
      sample: 35265031-dfc1-4d06-a68b-5fd2a1d0e2b7
    description:
      description: Description of the credential.
      type: str
      sample: ci-runners
    enabled:
      description: Whether the credential can be used.
      type: bool
      sample: true
    create_time:
      description: When the credential was created (registry time, C(YYYY-MM-DD HH:MM:SS)).
      type: str
      sample: "2022-06-20 17:14:49"
    expire_time:
      description: When the credential expires; null when it never does.
      type: str
      sample: "2022-07-20 17:14:49"
    token_type:
      description:
        - Unit of the validity, derived from RV(token.expire_time) minus RV(token.create_time),
          V(Day) for whole days, else V(Hour); V(NeverExpire) when the credential does not expire.
        - The validity asked for when the credential has it (also when the registry counts it from
          the last change); null when it cannot be derived.
      type: str
      sample: Day
    token_time:
      description: Validity in units of RV(token.token_type); null for V(NeverExpire).
      type: int
      sample: 30
credentials:
  description:
    - The user name and, unless O(token_file) is set, the token for C(docker login).
    - Returned only by the run that creates the credential; the registry cannot show the token
      again.
  returned: when a credential was created (not in check mode)
  type: dict
  contains:
    username:
      description: Registry user name.
      type: str
      sample: "2000000001"
    token:
      description: The token (password). Sensitive.
      type: str
      returned: when O(token_file) is not set
      sample: 6f1c0f0e9d3b4a52b8a1c7e2d4f60a9b3c5d7e8f1a2b3c4d
    expire_time:
      description: When the credential expires; null when it never does.
      type: str
      sample: "2022-07-20 17:14:49"
    token_file:
      description: Absolute path of the file the credential was written to.
      type: str
      returned: when O(token_file) is set
      sample: /etc/ci/kcr-token.json
api_calls:
  description: One line per HTTP attempt (method, URL, status, duration), at verbosity 3 and above.
  returned: when run with -vvv or more
  type: list
  elements: str
"""

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.common import InstanceScoped
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.tokens import (
    DESCRIPTION_MAX,
    TOKEN_TIME_MAX,
    TOKEN_TIME_MIN,
    TOKEN_TYPES,
    check_token_file,
    create_token,
    delete_token,
    expire_time_after,
    find_token,
    has_validity,
    normalise_validity,
    rotate_token,
    token_result,
    update_token,
    validity_seconds,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_handover import SecretHandover


class KcrToken(InstanceScoped, StatefulModule):
    argument_spec = dict(
        description=dict(type="str", required=True),
        token_type=dict(type="str", choices=list(TOKEN_TYPES), no_log=False),
        token_time=dict(type="int", no_log=False),
        enabled=dict(type="bool"),
        token_file=dict(type="path", no_log=False),
        on_missing_file=dict(type="str", choices=["fail", "rotate"], default="fail"),
        force=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("state", "present", ["token_type"]), ("on_missing_file", "rotate", ["token_file"])])
    result_key = "token"
    updatable = {"token_type": "token_type", "token_time": "token_time", "enabled": "enabled"}

    def __init__(self):
        super(KcrToken, self).__init__()
        # The token is shown once: kcr/tokens.py (create_token) says when one is made again.
        self.secret = SecretHandover(self, "token_file", "credential", "token")
        self.rotating = False

    def validate(self):
        description = self.params["description"]
        if not description.strip() or len(description) > DESCRIPTION_MAX:
            raise ModuleFailure("description: must be 1 to %d characters and not blank (it identifies the "
                                "credential)" % DESCRIPTION_MAX)
        if self.params["state"] != "present":
            return
        token_type, token_time = self.params["token_type"], self.params["token_time"]
        if token_type == "NeverExpire":
            if token_time is not None:
                raise ModuleFailure("token_time: not allowed with token_type=NeverExpire (a credential that "
                                    "never expires has no validity period)")
        elif token_time is None:
            raise ModuleFailure("token_time: required with token_type=%s (1 to %d)" % (token_type, TOKEN_TIME_MAX))
        elif not TOKEN_TIME_MIN <= token_time <= TOKEN_TIME_MAX:
            raise ModuleFailure("token_time: %d is out of range; it must be %d to %d (%ss)"
                                % (token_time, TOKEN_TIME_MIN, TOKEN_TIME_MAX, token_type.lower()))
        self.secret.check_path()

    def _desired_validity(self):
        return normalise_validity(validity_seconds(self.params["token_type"], self.params["token_time"]))

    def desired_value(self, option):
        if option in ("token_type", "token_time") and self.params["token_type"] is not None:
            token_type, token_time = self._desired_validity()
            return token_type if option == "token_type" else token_time
        return self.params.get(option)

    def find(self):
        return find_token(self.instance, self.params["description"])

    def preflight(self, current):
        if self.params["state"] == "present":
            self.rotating = check_token_file(self.secret, current, self.params["description"],
                                             self.params["on_missing_file"])
            if current is None or self.rotating:
                self.secret.refuse_overwrite(self.params["force"])

    def replaces(self, current):
        return self.rotating

    def serial_identity(self):
        # Credentials are found by their description, which the registry does not keep unique.
        return (self.instance.id, self.params["description"])

    def to_result(self, api_object):
        result = token_result(self.instance.id, api_object)
        if self.params["state"] == "present" and self.params["token_type"] is not None and has_validity(
                api_object, self.params["token_type"], self.params["token_time"]):
            # The asked validity, however the registry counts it (from creation or from the last change).
            result["token_type"], result["token_time"] = self._desired_validity()
        return result

    def predict_created(self):
        token_type, token_time = self._desired_validity()
        return {
            "instance_id": self.instance.id,
            "token_id": None,
            "description": self.params["description"],
            "enabled": self.params["enabled"] is not False,
            "create_time": None,
            "expire_time": None,
            "token_type": token_type,
            "token_time": token_time,
        }

    def predict_updated(self, before, changes):
        after = super(KcrToken, self).predict_updated(before, changes)
        if "token_type" in changes or "token_time" in changes:
            after["expire_time"] = expire_time_after(before.get("create_time"), after["token_type"],
                                                     after["token_time"])
        return after

    def create(self):
        created, self.extra_result["credentials"] = create_token(
            self.instance, self.secret, self.params["description"], self.params["token_type"],
            self.params["token_time"], enabled=self.params["enabled"] is not False)
        return created

    def replace(self, current):
        created, self.extra_result["credentials"] = rotate_token(
            self.instance, self.secret, current, self.params["description"], self.params["token_type"],
            self.params["token_time"], enabled=self.params["enabled"] is not False)
        return created

    def update(self, current, changes):
        return update_token(self.instance, current, changes, self.params["token_type"], self.params["token_time"])

    def delete(self, current):
        delete_token(self.instance, current["TokenId"])


def main():
    KcrToken().run()


if __name__ == "__main__":
    main()
