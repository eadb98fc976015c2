# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every KCR (KSYUN container registry) module acting inside one registry instance shares:
the ``instance_id``/``instance_name`` options, the reference that resolves them, and the base
(``InstanceScoped``) that declares both for a module.

``KcrInstanceRef.call``/``paginate`` send a request inside the instance; only the resource files
(namespaces.py, repositories.py, images.py, ...) use them: modules call those files' functions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import CloudError, ModuleFailure, ParentPending
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.absence import UNSPECIFIC, Absence
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import KCR_API, PAGE_SIZE, PAGING_UNDOCUMENTED
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.instances import (
    INSTANCE_ID,
    INSTANCE_MISSING,
    INSTANCE_NAME,
    describe_instances,
)
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import PROJECT_ID

INSTANCE_OPTIONS = dict(
    instance_id=dict(type="str"),
    instance_name=dict(type="str"),
    project_id=dict(type="list", elements="str", aliases=["project_ids"]),
)
INSTANCE_KWARGS = dict(
    mutually_exclusive=[("instance_id", "instance_name")],
    required_one_of=[("instance_id", "instance_name")],
)


def kcr_bool(value):
    """KCR booleans arrive as JSON booleans or as the strings True/False."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


class PartialListing(ModuleFailure):
    """A listing that refused its paging parameters answered only its first entries (``items``)
    of ``total``: the rest cannot be read."""

    def __init__(self, action, items, total):
        super(PartialListing, self).__init__(
            "kcrs %s listed %d of %d entries and refuses the paging parameters (Marker, MaxResults), so the "
            "others cannot be read" % (action, len(items), total))
        self.items = items
        self.total = total


def unpaged_items(action, items, total):
    """``items``, the answer of a listing asked without paging; PartialListing when its
    ``total`` (TotalCount) says there are more."""
    if total is not None and total > len(items):
        raise PartialListing(action, items, total)
    return items


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class KcrInstanceRef:
    """Resolves the module's ``instance_id``/``instance_name`` to an instance id.

    The options' formats are checked (``check``) before anything else the reference does: its
    first use (``id``, ``call``, ``paginate``), which comes before any call of the module's run.

    With ``instance_id`` nothing is read: the first call that names the instance tells whether it
    exists (a missing one fails with the user's message). With ``instance_name`` one
    DescribeInstance call finds it, in the projects of ``project_id`` or, without it, in what the
    API lists when no project is named.

    An answer with the common error code leaves open what is missing: then one DescribeInstance
    read by id tells whether the instance is, and listings tell what else (``absence``); the error
    carries that as ``implied`` for the ``Missing`` declarations. Error paths only: a no-op stays
    one read.

    A listing whose request table in seed 000 lists no paging (``api.PAGING_UNDOCUMENTED``) is
    asked as documented, without Marker/MaxResults; only when its TotalCount says there are more
    is it read again page by page. If the service refuses that (400), the rest cannot be read:
    ``PartialListing`` (and the run does not ask with paging again).

    Check mode on a play that creates the instance first: the instance task predicts it without an
    id, so this module gets ``instance_id: null`` (or a name that is not found). Then ``id`` is
    None and every read raises ``ParentPending``: the engine predicts the resource as created.
    """

    def __init__(self, module):
        self.module = module
        self.option = "instance_id" if module.params.get("instance_id") else "instance_name"
        self._id = module.params.get("instance_id")
        self.label = self._id or module.params.get("instance_name")
        self.pending = False
        self._exists = None
        self._checked = False
        self._paging_refused = set()
        self.absence = Absence(self._listing)

    @property
    def id(self):
        self.check()
        if self._id is None and not self.pending:
            name = self.module.params.get("instance_name")
            if name is None:
                self._not_given()
            else:
                self._id = self._lookup_by_name(name)
                self._exists = self._id is not None or None
        return self._id

    def check(self):
        """The options' formats, before any call (once)."""
        if self._checked:
            return
        INSTANCE_ID.check("instance_id", self.module.params.get("instance_id"))
        INSTANCE_NAME.check("instance_name", self.module.params.get("instance_name"))
        PROJECT_ID.check_each("project_id", self.module.params.get("project_id"))
        self._checked = True

    def _projects(self):
        return self.module.params.get("project_id") or None

    def _not_found(self):
        """What was looked for and where, after the option's name."""
        if self.option == "instance_id":
            return "instance_id: KCR instance %s not found in region %s" % (self._id, self.module.region)
        projects = self._projects()
        where = "projects %s" % ", ".join(projects) if projects else \
            "the default project; set project_id if it is in another project"
        return "instance_name: no KCR instance named %r in region %s (looked in %s)" % (
            self.module.params.get("instance_name"), self.module.region, where)

    def _not_given(self):
        if not self.module.check_mode:
            raise ModuleFailure("instance_id: no value given; give the ID of an existing KCR instance, or "
                                "instance_name")
        self.pending = True
        self.label = "(to be created)"

    def _lookup_by_name(self, name):
        matches = describe_instances(self.module.client, name=name, project_ids=self._projects())
        if not matches:
            if self.module.check_mode:
                self.pending = True
                return None
            raise self._missing()
        if len(matches) > 1:
            raise ModuleFailure("instance_name: %d KCR instances are named %r in region %s; use instance_id "
                                "(one of %s)" % (len(matches), name, self.module.region,
                                                 ", ".join(m["InstanceId"] for m in matches)))
        return matches[0]["InstanceId"]

    def _missing(self):
        return ModuleFailure(self._not_found())

    def _merged(self, params):
        instance_id = self.id
        if self.pending:
            if self.module.params.get("instance_name"):
                raise ParentPending("%s; check mode assumes an earlier task creates it" % self._not_found())
            raise ParentPending("instance_id has no value: check mode assumes an earlier task creates the "
                                "KCR instance")
        merged = {"InstanceId": instance_id}
        merged.update(params or {})
        return merged

    def call(self, action, params=None):
        """``client.call`` with ``InstanceId`` filled in and a missing instance reported clearly."""
        self.check()
        merged = self._merged(params)
        answer = self._explained(action, merged, self.module.client.call, action, merged)
        self._exists = True  # answered: the instance exists
        return answer

    def paginate(self, action, params, result_key):
        """``client.paginate`` (every page) with ``InstanceId`` filled in, as ``call``."""
        self.check()
        merged = self._merged(params)
        items = self._explained(action, merged, self._list, action, merged, result_key)
        if items:  # (a service may answer an empty listing for a missing instance too)
            self._exists = True
        self.absence.saw(action, merged, items)
        return items

    def _explained(self, action, merged, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except CloudError as exc:
            if INSTANCE_MISSING.matches(exc) or (UNSPECIFIC.matches(exc) and not self.exists()):
                raise self._missing()
            if UNSPECIFIC.matches(exc):
                exc.implied = self.absence.implied_code(action, merged)
            raise

    def _listing(self, action, params, result_key):
        """A listing in the instance, for ``implied_code`` (no explaining of its own errors)."""
        merged = dict(params, InstanceId=self.id)
        return self._list(action, merged, result_key)

    def _list(self, action, params, result_key):
        """Every page of ``action``; see the class's note on listings without documented paging."""
        client = self.module.client
        if action not in PAGING_UNDOCUMENTED:
            return client.paginate(action, params, result_key, page_size=PAGE_SIZE)
        answer = client.call(action, params)
        items = answer.get(result_key) or []
        total = _as_int(answer.get("TotalCount"))
        if total is None or total <= len(items) or action in self._paging_refused:
            return unpaged_items(action, items, total)
        try:
            return client.paginate(action, params, result_key, page_size=PAGE_SIZE)
        except CloudError as exc:
            if exc.status != 400:
                raise
        self._paging_refused.add(action)
        return unpaged_items(action, items, total)

    def exists(self):
        """Whether the instance exists: known once it answered or was found by name, else one
        DescribeInstance read by id (in the projects of ``project_id``, if given)."""
        if self._exists is None:
            listed = describe_instances(self.module.client, ids=[self.id], project_ids=self._projects())
            self._exists = any(i.get("InstanceId") == self.id for i in listed)
        return self._exists


class InstanceScoped:
    """Base of a KCR module that acts inside one registry instance: the KCR API, the instance
    options, and ``self.instance`` (a ``KcrInstanceRef``). Listed before the engine base:
    ``class KcrNamespace(InstanceScoped, StatefulModule)``. The instance options are checked on the
    reference's first use (see ``KcrInstanceRef``): no step of the run is overridden for it."""

    api = KCR_API
    shared_spec = INSTANCE_OPTIONS
    shared_kwargs = INSTANCE_KWARGS

    def __init__(self):
        super(InstanceScoped, self).__init__()
        self.instance = KcrInstanceRef(self)
