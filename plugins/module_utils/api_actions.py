# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an API action may be sent again after an answer that leaves open whether it acted.

Each service declares every action it uses in its ``api.py`` with one of:

READ        changes nothing: retried on server errors, timeouts and dropped connections
IDEMPOTENT  a write that leaves the same state however often it is sent (set X to a value):
            retried like a read
WRITE       anything else: retried by the transport only when the server surely did not act
            (throttled, connection refused); an unclear answer goes to the engine, which re-reads
            (engine/unclear_writes.py)

An action whose answer carries a secret the cloud shows (a registry token, a private key) is
declared READ_SECRET or WRITE_SECRET: retried as a READ or a WRITE, and its errors never quote the
answer's body (the secret is not known, so it cannot be scrubbed, before the answer was read), and
a 2xx answer that is cut short or unreadable is unclear (the secret in it is lost), not a failure.

A call to an undeclared action is a programming error: the client refuses it rather than guess.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

READ = "read"
IDEMPOTENT = "idempotent"
WRITE = "write"
READ_SECRET = "read; the answer carries a secret"
WRITE_SECRET = "write; the answer carries a secret"
SAFETIES = (READ, IDEMPOTENT, WRITE, READ_SECRET, WRITE_SECRET)


def retry_safe(safety, service, action):
    """True when ``action`` of ``service``, declared ``safety`` (None: not declared), may be sent
    again whatever its answer was."""
    if safety not in SAFETIES:
        raise ValueError("%s %s: not declared in the service's action table (READ, IDEMPOTENT, WRITE, "
                         "READ_SECRET or WRITE_SECRET)" % (service, action))
    return safety in (READ, IDEMPOTENT, READ_SECRET)


def carries_secret(safety):
    """True when the answer of an action declared ``safety`` carries a secret."""
    return safety in (READ_SECRET, WRITE_SECRET)
