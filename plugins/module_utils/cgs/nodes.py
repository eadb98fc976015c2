# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CGS container nodes: the listing (``GET /v5/{project_id}/container/nodes``, SDK
``ListContainerNodes``) and the shape cgs_node_info and the ``instances`` inventory plugin return.

Readings the sources leave open (docs/dev/api-sources.md, ``cgs``), and how the listing stays correct
under each of them:

* the page cap is undocumented: ask for 1000; a server that clamps answers fewer records and the
  listing goes on by ``total_num``; a server that refuses (400) is asked again a step lower
  (1000, 500, 200, 100, 50, 10), on the first page only;
* ``offset`` counts records, pages from 0, pages from 1, or nothing: records first; an empty page,
  or one that adds no node, before ``total_num`` is reached means pages: offset 1 answering the
  first page again means they count from 1. Nodes are kept by ``host_id``. A later offset that
  answers the first page again means the server ignores ``offset``: a clear error, never a loop;
* ``host_name`` may filter by exact name or by substring: it is sent, and matched exactly here;
* the ``agent_status`` filter says ``not_installed`` (seed 004 L389-395) where nodes say
  ``not_register`` (L458-464): both words mean "no agent"; a first page refused (400) with one is
  asked again with the other before any page-size step, and every listing is filtered again here
  (a server may ignore the filter);
* a 2xx without ``data_list`` and ``total_num`` (202 "busy, processed later", seed 004 L519-520)
  is unclear: asked again, then a failure, never an empty listing;
* HSS.0041 ("check the parameters", L579-584) is not retried: a clear failure;
* 5 calls per minute per user (L36), maybe across access keys, in a fixed or sliding window, and
  a 429 without Retry-After: every call goes through the client's ``pacing.CallPacer``, which
  ``CGS_API`` (declaring the limit) attaches to each client it makes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import printable_name

NODES_PATH = "/v5/{project_id}/container/nodes"
OPERATION = "ListContainerNodes"

# Page sizes to try, largest first (Huawei APIs commonly cap at 1000, 500, 200 or 100; 10 is the
# documented default, so surely accepted).
PAGE_SIZES = (1000, 500, 200, 100, 50, 10)

# "No agent": the query table's word and the answer table's word.
NO_AGENT = ("not_installed", "not_register")
AGENT_STATUSES = NO_AGENT + ("online", "offline")
HOST_STATUSES = ("ACTIVE", "SHUTOFF", "BUILDING", "ERROR")
PROTECT_STATUSES = ("closed", "opened")
# The filter's rule is not documented: printable text of a length no server name exceeds.
HOST_NAME = printable_name("CGS node host", 255)
NODE_FIELDS = ("host_id", "host_name", "host_status", "agent_status", "protect_status")
# Attempts at a page the service answers without the listing's fields (busy).
UNCLEAR_ATTEMPTS = 3
# "Query host extend info error" (seed 004 L579-584), whose remedy is to check the parameters.
QUERY_ERROR = "HSS.0041"


def list_container_nodes(client, query):
    """One page of ListContainerNodes (``query``: limit, offset and the filters; None values are
    not sent): the decoded answer, ``{}`` for an empty one. Paced when the client is (CGS_API
    declares the limit)."""
    return client.request("GET", NODES_PATH, query=query, operation=OPERATION) or {}


def agent_words(agent_status):
    """The ``agent_status`` values to send for the option's value, the preferred first."""
    if agent_status in NO_AGENT:
        return [agent_status] + [word for word in NO_AGENT if word != agent_status]
    return [agent_status or None]


class Page:
    """One answered page: its nodes' ids in order, how many were new, and ``total_num``."""

    def __init__(self, ids, new, total):
        self.ids, self.new, self.total = ids, new, total


class NodeListing:
    """One listing of container nodes: pages, learned page size, filter word and offset meaning,
    warnings.

    ``pacer`` (the client's CallPacer: ``CGS_API.pacer_of(client)``) gets the label of each page;
    ``notify`` receives one line per page and per step down, for -v output.
    """

    def __init__(self, client, pacer=None, notify=None, page_sizes=PAGE_SIZES):
        self.client = client
        self.pacer = pacer
        self.notify = notify
        self.page_sizes = list(page_sizes)
        self.calls = 0
        self.first_page_length = 0
        self.warnings = []
        self._host_name = None
        self._words = [None]
        self._nodes = {}
        self._first_ids = []
        self._last_total = None

    def list(self, host_name=None, agent_status=None):
        """Every node matching the filters, each once, in listing order."""
        self._host_name, self._words, self._nodes = host_name or None, agent_words(agent_status), {}
        first = self._read(0, 1)
        self._first_ids, self.first_page_length = first.ids, len(first.ids)
        if first.ids and not self._complete(first.total):
            total = self._by_records(first.total)
            if total is not None:
                self._by_pages(total)
        total = self._last_total
        if total is not None and len(self._nodes) < total:
            self.warnings.append("CGS listed %d container nodes where total_num said %d (nodes may have "
                                 "changed during the listing)" % (len(self._nodes), total))
        return [n for n in self._nodes.values() if matches(n, host_name=host_name, agent_status=agent_status)]

    def _by_records(self, total):
        """Pages at record offsets until the total; the total when page numbers must go on."""
        offset, page_no = self.first_page_length, 1
        while True:
            page_no += 1
            page = self._read(offset, page_no)
            total = page.total
            if self._complete(total):
                return None
            if page.ids and page.ids == self._first_ids and len(page.ids) > 1:
                raise self._offset_ignored(offset)
            if not page.new:
                if total is None:  # no total to bound page numbers by
                    if page.ids:
                        raise self._no_new_node(offset)
                    return None
                # A record offset that answers nothing new before the total: it counts pages.
                self._say("offset %d answered no new node before total_num %d: offset counts pages" % (offset, total))
                return total
            offset += len(page.ids)

    def _by_pages(self, total):
        """The pages by number: offset 1 tells whether they count from 0 or from 1."""
        probe = self._read(1, 2)
        if not probe.ids:
            return
        from_one = probe.ids == self._first_ids
        if from_one:
            self._say("offset 1 answered the first page again: pages count from 1")
        pages = -(-total // max(1, self.first_page_length))
        last, offset, page_no = (pages if from_one else pages - 1), 2, 2
        while not self._complete(self._last_total) and offset <= last:
            page_no += 1
            page = self._read(offset, page_no)
            if not page.ids:
                return
            if page.ids == self._first_ids:
                raise self._offset_ignored(offset)
            offset += 1

    def _complete(self, total):
        return total is not None and len(self._nodes) >= total

    def _read(self, offset, page_no):
        answer = self._page(offset, page_no)
        page = [n for n in answer.get("data_list") or [] if isinstance(n, dict) and n.get("host_id")]
        total = _as_int(answer.get("total_num"))
        new = 0
        for node in page:
            if node["host_id"] not in self._nodes:
                self._nodes[node["host_id"]] = node
                new += 1
        self._last_total = total
        self._say("page %d (offset %d): %d nodes, %d of %s listed"
                  % (page_no, offset, len(page), len(self._nodes), "?" if total is None else total))
        return Page([n["host_id"] for n in page], new, total)

    def _page(self, offset, page_no):
        """One page's answer, asked again while it is unclear, at the page size and filter word
        the service takes."""
        for attempt in range(1, UNCLEAR_ATTEMPTS + 1):
            answer = self._answered(offset, page_no)
            if isinstance(answer, dict) and ("data_list" in answer or "total_num" in answer):
                return answer
            self._say("page %d (offset %d): answered without data_list or total_num (the service may be busy), "
                      "attempt %d of %d" % (page_no, offset, attempt, UNCLEAR_ATTEMPTS))
        raise CloudError("CGS answered %s without data_list or total_num %d times (a 2xx such as 202 \"busy, "
                         "processed later\"): the nodes are unknown, not none" % (OPERATION, UNCLEAR_ATTEMPTS),
                         code="UnclearAnswer", service="cgs", operation=OPERATION, unclear=True)

    def _answered(self, offset, page_no):
        words = list(self._words)
        while True:
            limit = self.page_sizes[0]
            if self.pacer is not None:
                self.pacer.label = "page %d (offset %d, limit %d)" % (page_no, offset, limit)
            query = dict(host_name=self._host_name, agent_status=words[0], limit=limit, offset=offset)
            self.calls += 1
            try:
                answer = list_container_nodes(self.client, query)
            except CloudError as exc:
                if exc.code == QUERY_ERROR:
                    raise self._query_error(exc, query)
                if exc.status != 400 or page_no != 1:
                    raise
                words = self._refused(exc, query, words)
                continue
            self._words = words[:1]  # the word the service took, for the next pages
            return answer

    def _refused(self, exc, query, words):
        """After a 400 on the first page: the other filter word, else a smaller page (with every
        word again); the error when neither is left."""
        if len(words) > 1:
            self._say("agent_status=%s refused (%s %s): asking with agent_status=%s"
                      % (words[0], exc.status, exc.code, words[1]))
            return words[1:]
        if len(self.page_sizes) == 1:
            raise exc
        self.page_sizes.pop(0)
        self._say("limit=%d refused (%s %s): asking with limit=%d"
                  % (query["limit"], exc.status, exc.code, self.page_sizes[0]))
        return list(self._words)

    def _offset_ignored(self, offset):
        return CloudError("CGS answered the first page again for offset %d: the service seems to ignore offset, so "
                          "only the first %d of the nodes can be listed" % (offset, self.first_page_length),
                          code="PaginationError", service="cgs", operation=OPERATION)

    def _no_new_node(self, offset):
        return CloudError("CGS answered only nodes already listed for offset %d, without total_num: the listing "
                          "cannot go on safely (%d nodes listed)" % (offset, len(self._nodes)),
                          code="PaginationError", service="cgs", operation=OPERATION)

    @staticmethod
    def _query_error(exc, query):
        sent = ", ".join("%s=%s" % (k, query[k]) for k in ("host_name", "agent_status") if query[k] is not None)
        remedy = "check the parameters: " + sent if sent else "check the parameters"
        return CloudError("%s (the service's remedy: %s)" % (exc.message, remedy), status=exc.status, code=exc.code,
                          request_id=exc.request_id, service="cgs", operation=OPERATION)

    def _say(self, line):
        if self.notify is not None:
            self.notify("CGS %s %s" % (OPERATION, line))


def node_result(api_object):
    """A ContainerNodeInfo as cgs_node_info returns it (the API's own snake_case fields)."""
    return dict((field, api_object.get(field)) for field in NODE_FIELDS)


def matches(node, host_name=None, host_status=None, protect_status=None, agent_status=None):
    """Filters the API cannot apply, or may apply loosely or not at all, applied to a listed node.
    ``not_installed`` and ``not_register`` both mean "no agent", in the filter and in the node."""
    if host_name and node.get("host_name") != host_name:
        return False
    if host_status and node.get("host_status") != host_status:
        return False
    if protect_status and node.get("protect_status") != protect_status:
        return False
    if agent_status and _agent(node.get("agent_status")) != _agent(agent_status):
        return False
    return True


def _agent(word):
    return NO_AGENT[1] if word in NO_AGENT else word


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
