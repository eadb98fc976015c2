# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Handing over a secret the cloud shows once (a registry token, a generated private key): in the
result, or written 0600 to the file the task names (``secret_file``), and never lost on the way.

A resource module that creates such a secret sets ``self.secret = SecretHandover(self, option,
what)``. The path is checked before anything is created (``check_path``); the create answer's
secret is scrubbed from all output and handed over (``deliver``); a write that fails undoes the
create, so no credential is left that nobody holds. Until it is delivered the secret is
``pending``: a create whose answer was lost is then made again (engine/unclear_writes.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_file import (
    DirectoryMissing,
    SecretFileError,
    check_writable,
    write_secret_json,
    write_secret_text,
)


class SecretHandover:
    """``module``'s one-time secret; ``option`` names the file option (``token_file``), ``what``
    the resource in messages (``credential``), ``secret`` the secret (``token``)."""

    def __init__(self, module, option, what, secret="secret"):
        self.module = module
        self.option = option
        self.what = what
        self.secret = secret
        self.path = module.params.get(option)
        self.pending = True

    def check_path(self):
        """Before any call: the file can be written. A directory that does not exist yet is
        accepted in check mode, where an earlier task may be creating it (with a warning)."""
        if not self.path:
            return
        try:
            check_writable(self.path)
        except DirectoryMissing as exc:
            if not self.module.check_mode:
                raise ModuleFailure("%s: %s" % (self.option, exc))
            self.module.warn("%s: %s; check mode assumes an earlier task creates it" % (self.option, exc))
        except SecretFileError as exc:
            raise ModuleFailure("%s: %s" % (self.option, exc))

    def refuse_overwrite(self, force):
        """Before a create (in check mode too): a file already at the path, whoever wrote it, is
        replaced only with ``force``; the old content may be the only copy of another secret."""
        if self.path and not force and os.path.lexists(self.path):
            raise ModuleFailure("%s: %s already exists; the new %s's %s would replace it. Remove the file or set "
                                "force=true" % (self.option, self.path, self.what, self.secret))

    def file_missing(self, current):
        """The resource exists but the file that should hold its secret does not."""
        return current is not None and bool(self.path) and not os.path.exists(self.path)

    def deliver(self, secret, returned_as, undo, ident, content=None, into=None):
        """Hand ``secret`` over: written to the file (``content``, a dict as JSON or the secret as
        text; the absolute path goes under the option's name) or returned under ``returned_as``, in
        ``into`` (the module's ``extra_result`` by default). A failed write calls ``undo()`` to
        delete the new resource ``ident`` and fails saying what is left. A secret that was read
        again rather than created (an export) has nothing to undo: with ``undo=None`` a failed
        write fails saying that ``ident`` (what was read) could not be written."""
        self.module.client.transport.protect(secret)
        into = self.module.extra_result if into is None else into
        if self.path:
            content = secret if content is None else content
            write = write_secret_json if isinstance(content, dict) else write_secret_text
            try:
                into[self.option] = write(self.path, content)
            except SecretFileError as exc:
                if undo is None:
                    raise ModuleFailure("%s: cannot write %s: %s" % (self.option, ident, exc))
                self._undo(undo, ident, "%s: cannot write the new %s: %s" % (self.option, self.what, exc))
        else:
            into[returned_as] = secret
        self.pending = False

    def _undo(self, undo, ident, msg):
        try:
            undo()
        except CloudError as exc:
            raise ModuleFailure("%s; deleting the new %s %s failed too (%s): delete it by hand"
                                % (msg, self.what, ident, exc), error=exc.to_dict())
        raise ModuleFailure("%s; the new %s was deleted again" % (msg, self.what))
