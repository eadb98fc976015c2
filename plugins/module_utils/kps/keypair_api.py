# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which keypair API a run uses (the ``api`` option of ssh_keypair, ssh_keypair_info and the
``keypairs`` inventory): KPS v3 (``kps``), Nova ``os-keypairs`` v2.1 on the ECS host (``nova``),
or ``auto``: KPS v3 until its first answer says that KPS v3 is not there for this caller, then
Nova for the rest of the run. The happy path costs no call: the first KPS call is the run's own
first read.

What makes ``auto`` fall back, and why only that (``v3_unavailable``):

* a 403: the caller may not use KPS v3 (a policy that grants ``ecs:serverKeypairs:*`` but no
  ``kps:*`` action); Nova is the API the policy allows;
* a 404 that does not speak KPS (no ``KPS.*`` code; the gateway's ``APIGW.0101``: no such API in
  this region): KPS's own "no such keypair" is ``KPS.0005``, so a keypair that is merely missing
  never sends a run to Nova. A 404 on the detail is settled by the listing first
  (keypairs.get_keypair), so a server that answers a missing keypair without a code is read right.

Nothing else falls back: 401 (credentials: Nova would refuse them too), 400 (a bad request or a
missing keypair), 5xx (retried as outages). Only the run's first KPS answer can send it to Nova:
once KPS v3 has answered, a later refusal is that call's failure, not a missing API.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure, resend_if_ambiguous
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import custody, keypairs, nova

API_CHOICES = ["auto", "kps", "nova"]
API_OPTION = dict(type="str", choices=API_CHOICES, default="auto")
NOVA = "Nova os-keypairs v2.1"

# ssh_keypair options Nova cannot honour: option -> what Nova lacks
NOVA_LACKS = (
    ("description", "keypair descriptions"),
    ("key_protection", "private-key custody"),
    ("scope", "keypair scopes"),
    ("user_id", "keypairs of another user (microversion 2.10, which is not sent)"),
)


def v3_unavailable(exc):
    """True when a KPS v3 answer says that the API is not there for this caller (module doc)."""
    return isinstance(exc, CloudError) and (
        exc.status == 403 or (exc.status == 404 and not str(exc.code or "").startswith("KPS.")))


def refusal(option, lacks, why):
    return ModuleFailure("%s: %s has no %s (%s); leave %s out, or use KPS v3 (api=kps) where it is served"
                         % (option, NOVA, lacks, why, option))


def refuse_for_nova(params, why):
    """ssh_keypair over Nova: fail, before any write, on an option Nova cannot honour."""
    for option, lacks in NOVA_LACKS:
        if params.get(option) is not None:
            raise refusal(option, lacks, why)
    if params.get("type") == "x509":
        raise refusal("type", "x509 keypairs (microversion 2.2, which is not sent)", why)


class KeypairApi:
    """The keypair calls of a run over the API ``choice`` picks (``auto``, ``kps``, ``nova``);
    ``on_nova(why)`` runs once, before the first Nova call (a module's refusals)."""

    def __init__(self, client, choice, on_nova=None):
        self.client = client
        self.choice = choice
        self.on_nova = on_nova
        self.why_nova = "api=nova" if choice == "nova" else None
        self.answered = False  # KPS v3 has answered once: no fallback any more
        self.ecs_client = None

    @property
    def nova(self):
        return self.why_nova is not None

    def _call(self, kps_call, nova_call, *args):
        if not self.nova:
            try:
                answer = kps_call(self.client, *args)
            except CloudError as exc:
                if self.answered or not v3_unavailable(exc):
                    raise
                self._fall_back(exc)
            else:
                self.answered = True
                return answer
        if self.ecs_client is not None:
            return nova_call(self.ecs_client, *args)
        if self.on_nova:
            self.on_nova(self.why_nova)
        self.ecs_client = self.client.for_service("ecs")
        try:
            return nova_call(self.ecs_client, *args)
        except CloudError as exc:
            if self.choice != "auto" or exc.ambiguous:
                raise
            # the run's first Nova answer: say why Nova was asked at all
            raise ModuleFailure("%s (%s, so Nova os-keypairs was used)" % (exc, self.why_nova), error=exc.to_dict())

    def _fall_back(self, exc):
        answer = "%s %s" % (exc.status, exc.code) if exc.code else str(exc.status)
        if self.choice == "kps":
            raise ModuleFailure("api: KPS v3 answered %s in region %s, so it is not served there or this account may "
                                "not use it; set api=auto or api=nova to use %s (IAM actions ecs:serverKeypairs:*)"
                                % (answer, self.client.region, NOVA), error=exc.to_dict())
        self.why_nova = "api=auto: KPS v3 answered %s in region %s" % (answer, self.client.region)

    def get_keypair(self, name):
        return self._call(keypairs.get_keypair, nova.get_keypair, name)

    def list_keypairs(self):
        return self._call(keypairs.list_keypairs, nova.list_keypairs)

    def create_keypair(self, spec):
        return self._call(keypairs.create_keypair, nova.create_keypair, spec)

    def delete_keypair(self, name):
        return self._call(keypairs.delete_keypair, nova.delete_keypair, name)

    def update_description(self, name, description):
        return keypairs.update_description(self.client, name, description)  # refused over Nova

    def describe_created(self, name, description, attempts):
        """The ``description`` (if any) of the keypair just created, whose private key was handed
        over: an unclear answer is resent (at most ``attempts`` times), never taken for a lost create."""
        if description:
            resend_if_ambiguous(lambda: self.update_description(name, description), attempts)

    def replace_keypair(self, spec, description):
        """Replace the key of keypair ``spec["name"]`` (keypairs.replace_keypair); over Nova:
        delete, import, read back (a description to keep was refused in ``check_key_change``)."""
        if not self.nova:
            return keypairs.replace_keypair(self.client, spec, description)
        self.delete_keypair(spec["name"])
        self.create_keypair(spec)
        return self.get_keypair(spec["name"])

    def check_exportable(self, current, name, path):
        """custody.check_exportable, and over Nova a refusal: only KPS v3 exports a kept key."""
        custody.check_exportable(current, name, path)
        if self.nova:
            raise refusal("private_key_path", "export of a kept private key (keypair %s is kept in custody and %s "
                          "does not exist)" % (name, path), self.why_nova)

    def check_key_change(self, params, before, fingerprint):
        """Before a key that differs is replaced (check mode too): it needs ``force``, and over
        Nova a keypair without a description (Nova could not give it back)."""
        if not params["force"]:
            raise ModuleFailure("public_key: keypair %s holds another key (fingerprint %s; the given key's is %s); "
                                "set force=true to delete it and import the given key"
                                % (params["name"], before.get("fingerprint"), fingerprint))
        if self.nova and before.get("description"):
            raise refusal("force", "keypair descriptions, so replacing keypair %s would lose its description"
                          % params["name"], self.why_nova)
