# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``cgs_nodes`` event source (extensions/eda/plugins/event_source/cgs_nodes.py): container
nodes that appeared, are gone, or whose ``protect_status`` or ``agent_status`` changed, read with
the listing of cgs_node_info (module_utils/cgs/nodes.py) through a client whose calls count in the
account's CGS budget (5 calls a minute, ``pacing.SharedWindow``), which the modules, the inventory
and every other source of the controller on the same account spend too.

The budget sets the shortest poll interval: a listing of ``n`` pages is ``n`` calls, and the
source spends at most ``SOURCE_SHARE`` of the budget, so that the runbooks it starts (the audit
lists the nodes too) and the modules are never starved. An ``interval`` below that is refused at
startup; when the listing grows to more pages than the interval allows, the source warns and
polls less often (never more calls than its share), and goes back to the interval once the
listing shrinks.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import logging
import math

from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.api import CGS_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.cgs.nodes import (
    AGENT_STATUSES,
    HOST_NAME,
    HOST_STATUSES,
    PAGE_SIZES,
    PROTECT_STATUSES,
    NodeListing,
    matches,
    node_result,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import account_of, huawei_argument_spec
from ansible_collections.cloudops.multicloud.plugins.plugin_utils import event_source

NAME = "cgs_nodes"
WATCHED = ("protect_status", "agent_status")
WINDOW = 60.0
# The share of the account's CGS budget the source may spend: 4 of the 5 calls a minute, one left
# for the modules, the inventory and the runbooks the rulebook starts.
SOURCE_SHARE = 0.8
PER_MINUTE_MAX = 1000
DEFAULT_INTERVAL = 60.0

ARGUMENT_SPEC = event_source.source_spec(
    huawei_argument_spec(),
    default_interval=DEFAULT_INTERVAL,
    host_name=dict(type="str"),
    agent_status=dict(type="str", choices=list(AGENT_STATUSES)),
    protect_status=dict(type="str", choices=list(PROTECT_STATUSES)),
    host_status=dict(type="str", choices=list(HOST_STATUSES)),
    rate_limit_per_minute=dict(type="int", default=CGS_API.rate_limit.per_minute),
)


def least_interval(calls, per_minute):
    """The shortest interval (s) at which a listing of ``calls`` calls stays within the source's
    share of ``per_minute`` calls a minute; 0 when the calls are not paced (``per_minute`` 0)."""
    if not per_minute:
        return 0.0
    return max(1, calls) * WINDOW / (per_minute * SOURCE_SHARE)


def pages_of(node_count):
    """The fewest calls a listing of ``node_count`` nodes takes (pages of the largest size)."""
    return max(1, int(math.ceil(node_count / float(PAGE_SIZES[0]))))


def check_options(params, known_nodes=0):
    """SourceError naming the option for a bad filter, budget or ``interval``; ``known_nodes``
    (the last snapshot's) sets the pages the interval must allow, one at a first start."""
    def refuse(message):
        raise event_source.SourceError("%s: %s" % (NAME, message))

    try:
        HOST_NAME.check("host_name", params["host_name"])
    except ModuleFailure as exc:
        refuse(exc.msg)
    per_minute, interval = params["rate_limit_per_minute"], params["interval"]
    if not 0 <= per_minute <= PER_MINUTE_MAX:
        refuse("rate_limit_per_minute: must be from 0 to %d, got %d" % (PER_MINUTE_MAX, per_minute))
    event_source.check_interval(params, NAME)
    pages = pages_of(known_nodes)
    least = least_interval(pages, per_minute)
    if interval < least:
        refuse("interval: must be at least %g seconds, got %g: listing %d node%s takes %d call%s, and the "
               "source spends at most %g of the %d CGS calls a minute the account has (shared with the modules "
               "and the inventory)" % (least, interval, known_nodes, "" if known_nodes == 1 else "s", pages,
                                       "" if pages == 1 else "s", per_minute * SOURCE_SHARE, per_minute))


def identity(params, client):
    """What the state file is per: account, endpoint, region, project and filters (hashed into
    its name by ``event_source.state_path``)."""
    return dict(account=account_of(params), endpoint=client.endpoint, region=params["region"],
                project_id=params["project_id"], host_name=params["host_name"],
                agent_status=params["agent_status"], protect_status=params["protect_status"],
                host_status=params["host_status"])


def poller_and_state(args):
    """The poller and state file ``args`` (the rulebook's) describe, and the options; SourceError
    naming the option. The interval is checked against the pages of the last listing too."""
    params, client, state = event_source.configure(args, ARGUMENT_SPEC, NAME, CGS_API, check_options, identity)
    check_options(params, known_nodes=len(state.load() or {}))
    log = logging.getLogger("cloudops.multicloud.%s" % NAME)
    poller = NodePoller(client, params, pacer=CGS_API.pacer_of(client, notify=log.info), log=log)
    return poller, state, params


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


class NodePoller(event_source.Poller):
    """Lists the nodes (every page, paced) and turns two listings into events."""

    name = NAME

    def __init__(self, client, params, pacer=None, log=None, now=utc_now):
        self.client = client
        self.pacer = pacer
        self.params = params
        self.log = log or logging.getLogger("cloudops.multicloud.%s" % NAME)
        self.page_sizes = list(PAGE_SIZES)  # the sizes the service takes, learned once
        self.calls = 0  # the calls the last listing took
        self.stretched = None  # the interval the budget imposes, once it exceeds the configured one
        self.observed_at = None
        self._now = now

    def read(self):
        listing = NodeListing(self.client, pacer=self.pacer, notify=self.log.debug, page_sizes=self.page_sizes)
        nodes = listing.list(host_name=self.params["host_name"], agent_status=self.params["agent_status"])
        self.page_sizes, self.calls = listing.page_sizes, listing.calls
        for warning in listing.warnings:
            self.log.warning("%s: %s", NAME, warning)
        self.observed_at = event_source.observed_at(self._now())
        wanted = dict((option, self.params[option]) for option in ("host_status", "protect_status", "agent_status"))
        return dict((node["host_id"], node_result(node)) for node in nodes if matches(node, **wanted))

    def next_interval(self, interval):
        least = least_interval(self.calls, self.params["rate_limit_per_minute"])
        if least <= interval:
            self.stretched = None
            return interval
        if self.stretched is None or least > self.stretched:
            self.log.warning("%s: the listing now takes %d CGS calls, more than an interval of %g s allows within "
                             "the budget (%g of %d calls a minute): polling every %g s instead", NAME, self.calls,
                             interval, self.params["rate_limit_per_minute"] * SOURCE_SHARE,
                             self.params["rate_limit_per_minute"], least)
        self.stretched = least
        return least

    def events(self, before, now):
        found = []
        for kind, _key, old, new, moved in event_source.changes(before, now, WATCHED):
            event = dict(type="%s.%s" % (NAME, kind), region=self.params["region"],
                         project_id=self.client.project_id)
            event.update(new if new is not None else old)
            if kind == "changed":
                event["changed"] = dict((field, {"before": old.get(field), "after": new.get(field)})
                                        for field in moved)
            event["observed_at"] = self.observed_at
            found.append(event)
        return found

    def close(self):
        self.client.transport.close()
