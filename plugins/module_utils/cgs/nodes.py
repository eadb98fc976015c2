# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CGS container nodes: the listing (``GET /v5/{project_id}/container/nodes``, SDK
``ListContainerNodes``) and the shape cgs_node_info and the ``instances`` inventory plugin return.

Readings the sources leave open, and how the listing stays correct under each of them:

* the page cap is undocumented: ask for 1000; a server that clamps answers fewer records and the
  listing goes on by ``total_num``; a server that refuses (400) is asked again a step lower
  (1000, 500, 200, 100, 50, 10), on the first page only;
* ``offset`` counts records or pages: records first; an empty page before ``total_num`` is reached
  means pages, so the listing goes on from page 1 by page number. Nodes are kept by ``host_id``,
  so a page read twice adds nothing, and the listing stops on an empty page whatever the total;
* ``host_name`` may filter by exact name or by substring: it is sent, and matched exactly here;
* the ``agent_status`` filter says ``not_installed`` where nodes say ``not_register``;
* 5 calls per minute per user, maybe across access keys, in a fixed or sliding window, and a 429
  without Retry-After: every call goes through the run's ``pacing.CallPacer``, which
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

# Filter value -> the value nodes report (seed 004 and both SDKs disagree on "no agent").
AGENT_FILTERS = {"not_installed": "not_register", "online": "online", "offline": "offline"}
HOST_STATUSES = ("ACTIVE", "SHUTOFF", "BUILDING", "ERROR")
PROTECT_STATUSES = ("closed", "opened")
# The filter's rule is not documented: printable text of a length no server name exceeds.
HOST_NAME = printable_name("CGS node host", 255)
NODE_FIELDS = ("host_id", "host_name", "host_status", "agent_status", "protect_status")


def list_container_nodes(client, query):
    """One page of ListContainerNodes (``query``: limit, offset and the filters; None values are
    not sent): ``{"total_num": int, "data_list": [ContainerNodeInfo]}`` (``{}`` for an empty
    answer). Paced when the client is (CGS_API declares the limit)."""
    return client.request("GET", NODES_PATH, query=query, operation=OPERATION) or {}


class NodeListing:
    """One listing of container nodes: pages, learned page size and offset meaning, warnings.

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

    def list(self, host_name=None, agent_status=None):
        """Every node matching the filters, each once, in listing order."""
        query = {"host_name": host_name or None, "agent_status": agent_status or None}
        nodes = {}
        offset, by_pages, page_no, total, last_page = 0, False, 0, None, None
        while True:
            page_no += 1
            answer = self._page(query, offset, page_no)
            page = [n for n in answer.get("data_list") or [] if isinstance(n, dict) and n.get("host_id")]
            total = _as_int(answer.get("total_num"))
            for node in page:
                nodes.setdefault(node["host_id"], node)
            self._say("page %d (offset %d): %d nodes, %d of %s listed"
                      % (page_no, offset, len(page), len(nodes), "?" if total is None else total))
            if total is not None and len(nodes) >= total:
                break
            if not page:
                if by_pages or offset == 0 or total is None:
                    break
                # Offset 0 is the first page in both readings; a record offset that answers nothing
                # before the total is reached means the server counts pages.
                self._say("offset %d answered no nodes before total_num %d: offset counts pages"
                          % (offset, total))
                by_pages, offset = True, 1
                last_page = -(-total // max(1, self.first_page_length))
                continue
            if page_no == 1:
                self.first_page_length = len(page)
            if by_pages:
                offset += 1
                if offset >= last_page + 1:
                    break
            else:
                offset += len(page)
        if total is not None and len(nodes) < total:
            self.warnings.append("CGS listed %d container nodes where total_num said %d (nodes may have "
                                 "changed during the listing)" % (len(nodes), total))
        found = list(nodes.values())
        if host_name:
            found = [n for n in found if n.get("host_name") == host_name]
        return found

    def _page(self, query, offset, page_no):
        while True:
            limit = self.page_sizes[0]
            if self.pacer is not None:
                self.pacer.label = "page %d (offset %d, limit %d)" % (page_no, offset, limit)
            page_query = dict(query, limit=limit, offset=offset)
            self.calls += 1
            try:
                return list_container_nodes(self.client, page_query)
            except CloudError as exc:
                # An undocumented page cap that refuses: step down (the first page settles it).
                if exc.status != 400 or page_no != 1 or len(self.page_sizes) == 1:
                    raise
                self.page_sizes.pop(0)
                self._say("limit=%d refused (%s %s): asking with limit=%d"
                          % (limit, exc.status, exc.code, self.page_sizes[0]))

    def _say(self, line):
        if self.notify is not None:
            self.notify("CGS %s %s" % (OPERATION, line))


def node_result(api_object):
    """A ContainerNodeInfo as cgs_node_info returns it (the API's own snake_case fields)."""
    return dict((field, api_object.get(field)) for field in NODE_FIELDS)


def matches(node, host_status=None, protect_status=None, agent_status=None):
    """Filters the API cannot apply (or may apply loosely), applied to a listed node."""
    if host_status and node.get("host_status") != host_status:
        return False
    if protect_status and node.get("protect_status") != protect_status:
        return False
    if agent_status and node.get("agent_status") != AGENT_FILTERS[agent_status]:
        return False
    return True


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
