# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssh_keypair's choice for a generated keypair that exists while its ``private_key_path`` does
not (``on_missing_file``): the private key is exported again where the service keeps it; else
the task fails (``fail``) or the keypair is rotated (``rotate``).

A rotation writes the new private key before the old keypair is deleted. KPS names are unique and
a public key cannot be changed in place, so the new pair is generated under a temporary name
(``rotation_name``), its private key written, the old keypair deleted, the new public key imported
under the keypair's name, and the temporary keypair deleted. A rotation never reaches the servers
that have the old keypair (they keep its public key under the same name), so a keypair that ECS
shows on any server is not rotated (``check_unbound``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import custody
from ansible_collections.cloudops.multicloud.plugins.module_utils.kps.servers import servers_with_keypair

SUFFIX = "-rotating"


def rotation_name(name):
    """The temporary name of the new pair (a valid keypair name: at most 64 characters)."""
    return name[:64 - len(SUFFIX)] + SUFFIX


def rotates(module, current):
    """ssh_keypair's preflight when the keypair ``current`` exists and its private key file does
    not: False when the kept private key is to be exported again, True when the keypair is to be
    rotated; fails otherwise (in check mode too)."""
    params = module.params
    if current.get("is_key_protection") or params["on_missing_file"] != "rotate":
        module.keypairs.check_exportable(current, params["name"], module.secret.path)
        return False
    check_unbound(module, params["name"])
    return True


def check_unbound(module, name):
    """Fail when ECS shows keypair ``name`` on a server; in check mode warn instead, since an
    earlier task of the play may unbind it."""
    bound = servers_with_keypair(module.client.for_service("ecs"), name)
    if not bound:
        return
    msg = ("on_missing_file=rotate: keypair %s is bound to %s; a new keypair of that name would not reach them "
           "(they keep the old public key), so it is not rotated. Unbind them first "
           "(cloudops.multicloud.ssh_keypair_binding, state=absent), then bind the new keypair"
           % (name, ", ".join("server %s (%s)" % (s.get("name"), s.get("id")) for s in bound)))
    if not module.check_mode:
        raise ModuleFailure(msg)
    module.warn(msg + "; check mode assumes an earlier task unbinds them")


def rotate_keypair(api, secret, spec, description, key_protection):
    """Rotate keypair ``spec["name"]`` (see the module doc) through ``api`` (a
    ``keypair_api.KeypairApi``), its new private key handed over through ``secret``; ``spec`` is
    the task's ``CreateKeypairAction`` without a public key, ``description`` the one to keep,
    ``key_protection`` the task's option (custody of the new key). Returns the new keypair's
    detail."""
    name, temporary = spec["name"], rotation_name(spec["name"])
    kept = "keypair %s is kept as it was" % name
    try:
        generated = api.create_keypair(dict(spec, name=temporary))
    except CloudError as exc:
        if exc.ambiguous:
            _delete_quietly(api, temporary)
        raise ModuleFailure("on_missing_file=rotate: generating the new pair as keypair %s failed (%s); %s"
                            % (temporary, exc, kept), error=exc.to_dict())
    private_key, public_key = generated.get("private_key"), generated.get("public_key")
    if not public_key:
        _delete_quietly(api, temporary)
        raise ModuleFailure("on_missing_file=rotate: the service generated keypair %s without showing its public "
                            "key, so it was deleted again; %s" % (temporary, kept))
    try:
        secret.deliver(private_key, "private_key", lambda: api.delete_keypair(temporary), temporary)
    except ModuleFailure as exc:
        exc.msg = "%s; %s" % (exc.msg, kept)
        raise
    imported = dict(spec, public_key=public_key)
    kept_key = custody.requested(key_protection, private_key)
    if kept_key:
        imported["key_protection"] = kept_key
    try:
        api.delete_keypair(name)
        api.create_keypair(imported)
        if description:
            api.update_description(name, description)
        api.delete_keypair(temporary)
    except CloudError as exc:
        raise ModuleFailure("on_missing_file=rotate: the new private key is in %s and its public key in keypair %s, "
                            "but moving it to keypair %s failed (%s); see both keypairs with "
                            "cloudops.multicloud.ssh_keypair_info" % (secret.path, temporary, name, exc),
                            error=exc.to_dict())
    return api.get_keypair(name)


def _delete_quietly(api, name):
    try:
        if api.get_keypair(name) is not None:
            api.delete_keypair(name)
    except CloudError:
        pass
