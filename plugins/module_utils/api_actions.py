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

A call to an undeclared action is a programming error: the client refuses it rather than guess.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

READ = "read"
IDEMPOTENT = "idempotent"
WRITE = "write"
SAFETIES = (READ, IDEMPOTENT, WRITE)


def retry_safe(safety, service, action):
    """True when ``action`` of ``service``, declared ``safety`` (None: not declared), may be sent
    again whatever its answer was."""
    if safety not in SAFETIES:
        raise ValueError("%s %s: not declared in the service's action table (READ, IDEMPOTENT or WRITE)"
                         % (service, action))
    return safety in (READ, IDEMPOTENT)
