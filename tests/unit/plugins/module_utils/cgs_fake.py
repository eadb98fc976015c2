# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-process CGS ListContainerNodes under any reading of what the seed leaves open, with a
server-side 5-per-minute budget on an injected clock - for listing, pacing and module tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError

STATUSES = (("ACTIVE", "online", "opened"), ("SHUTOFF", "offline", "closed"),
            ("BUILDING", "not_register", "closed"), ("ERROR", "online", "opened"))


def make_nodes(count, prefix="node"):
    return [{"host_id": "id-%05d" % i, "host_name": "%s-%05d" % (prefix, i),
             "host_status": STATUSES[i % 4][0], "agent_status": STATUSES[i % 4][1],
             "protect_status": STATUSES[i % 4][2]} for i in range(1, count + 1)]


class FakeTransport:
    def __init__(self):
        self.pacer = None


class FakeCgs:
    """``request()`` as HuaweiClient's, answering from ``nodes``.

    Readings: ``page_cap`` + ``over_cap`` (reject|clamp), ``offset`` (records|pages),
    ``host_name`` (substring|exact), ``total`` (False: no total_num). With ``clock`` and
    ``limit_per_minute`` calls over the budget raise 429 APIGW.0308 (sliding window)."""

    def __init__(self, nodes, clock=None, limit_per_minute=0, **readings):
        self.nodes = nodes
        self.readings = readings
        self.clock = clock
        self.limit_per_minute = limit_per_minute
        self.transport = FakeTransport()
        self.sent = []  # (query, status)
        self.arrivals = []

    def request(self, method, path, query=None, body=None, operation=None, path_params=None, idempotent=None):
        assert (method, path, operation) == ("GET", "/v5/{project_id}/container/nodes", "ListContainerNodes")
        pacer = self.transport.pacer
        if pacer is not None:
            pacer.before("cgs", operation)
        try:
            return self._answer(dict((k, v) for k, v in query.items() if v is not None))
        finally:
            if pacer is not None:
                pacer.after("cgs", operation)

    def _answer(self, query):
        if self.clock is not None:
            now = self.clock.monotonic()
            recent = [t for t in self.arrivals if t > now - 60]
            if self.limit_per_minute and len(recent) >= self.limit_per_minute:
                self.sent.append((query, 429))
                raise CloudError("The throttling threshold has been reached: policy user over ratelimit,limit:5,"
                                 "time:1 minute", status=429, code="APIGW.0308", service="cgs",
                                 operation="ListContainerNodes")
            self.arrivals.append(now)
        cap = self.readings.get("page_cap", 1000)
        limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
        if limit > cap:
            if self.readings.get("over_cap", "reject") == "reject":
                self.sent.append((query, 400))
                raise CloudError("invalid param error", status=400, code="HSS.0001", service="cgs",
                                 operation="ListContainerNodes")
            limit = cap
        if self.readings.get("offset") == "pages":
            offset *= limit
        self.sent.append((query, 200))
        wanted = query.get("host_name")
        agent = {"not_installed": "not_register"}.get(query.get("agent_status"), query.get("agent_status"))
        matching = [n for n in self.nodes
                    if (not wanted or (wanted == n["host_name"] if self.readings.get("host_name") == "exact"
                                       else wanted.lower() in n["host_name"].lower()))
                    and (not agent or n["agent_status"] == agent)]
        answer = {"data_list": [dict(n) for n in matching[offset:offset + limit]]}
        if self.readings.get("total", True):
            answer["total_num"] = len(matching)
        return answer

    @property
    def list_calls(self):
        return len(self.sent)

    def windows_respected(self, per_minute=5, window=60.0):
        """True when no ``window`` seconds saw more than ``per_minute`` arrivals."""
        times = collections.deque()
        for t in self.arrivals:
            times.append(t)
            while times[0] <= t - window:
                times.popleft()
            if len(times) > per_minute:
                return False
        return True
