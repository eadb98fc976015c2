# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests' cloud: the emulator (emulator/cloudops_emulator) in process, on a fake clock.

A module runs as Ansible would run it (a real ``AnsibleModule``, its real client, signer and
``Transport``); only the lowest level of the transport is replaced: ``EmulatorPool.send`` hands the
signed request to the emulator's ``server.handle`` instead of a socket, and an answer the emulator
drops, loses or cuts short (injected faults) is the ``NetworkError`` a closed connection gives over
HTTP. The
emulator checks every signature, so it stays a second witness of the signers.

One ``FakeClock`` is time for everything: the emulator's ``now()``, the signers' date, the
transport's and the pacer's sleeps and the module's waits (its public ``sleep``/``monotonic``), so a
wait moves the emulator's time on instead of sleeping.

Hooks relied on (none of them edits plugins/): a module's ``api`` (its declared API object, whose
``client(params, trace)`` is wrapped), its ``sleep`` and ``monotonic`` attributes, a client's public
``transport`` attribute, its signing clock (the ``clock`` its constructor takes, kept as
``_clock``), and the ``ConnectionPool.send`` contract of ``connections.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import contextlib
import copy
import datetime
import importlib
import io
import json
from email.message import Message
from urllib.parse import parse_qsl, urlsplit

from ansible.module_utils.common import warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.cloudops.multicloud.plugins.module_utils.connections import NetworkError
from ansible_collections.cloudops.multicloud.plugins.module_utils.huaweicloud import HuaweiApi, HuaweiClient
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import ACTIONS as KCR_ACTIONS
from ansible_collections.cloudops.multicloud.plugins.module_utils.ksyun import KsyunClient
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import Transport

from cloudops_emulator import huawei, ksyun, server
from cloudops_emulator.core import Emulator
from cloudops_emulator.http import Request
from cloudops_emulator.ksyun import render as ksyun_render

# 2024-01-15 10:00:00 UTC: the fake clock's epoch.
EPOCH = 1705312800.0
# What http.client raises when the server closes the connection without an answer.
DROPPED = "Remote end closed connection without response"


class FakeClock:
    """Monotonic time that sleeping moves on (``now`` seconds since the start), and the wall clock
    ``EPOCH + now`` that the emulator, the signers and Retry-After dates read."""

    def __init__(self, start=0.0, epoch=EPOCH):
        self.now = start
        self.epoch = epoch
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self):
        return self.now

    def time(self):
        return self.epoch + self.now

    def utcnow(self):
        return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=self.time())


class Wire(str):
    """A value as it went over the wire (text), equal to the Python value the client encoded:
    ``Wire("0") == 0``, ``Wire("False") == False`` (KSYUN's boolean spelling)."""

    __hash__ = str.__hash__

    def __eq__(self, other):
        if isinstance(other, bool):
            return str(self) == ("True" if other else "False")
        if isinstance(other, (int, float)):
            return str(self) == str(other)
        return str.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)


def unflatten(pairs):
    """KSYUN query-protocol pairs as the nested parameters they encode (``A.1.B`` -> ``{"A": [{"B": ...}]}``),
    values as ``Wire``."""
    root = {}
    for key, value in pairs:
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = Wire(value)
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    node = dict((k, _lists(v)) for k, v in node.items())
    if node and all(k.isdigit() for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


HuaweiCall = collections.namedtuple("HuaweiCall", "operation method path query body status at")


class Calls(list):
    """What reached the emulator, in order. KSYUN: ``(action, params)``, the parameters decoded from
    the request without Action/Version. Huawei: ``HuaweiCall`` (``at``: the clock's ``now`` when it arrived)."""

    @property
    def actions(self):
        return [call[0] for call in self]

    def writes(self):
        return [a for a in self.actions if not a.startswith(("Describe", "List", "Show", "Keystone"))]

    def params_of(self, action):
        return [call[1] for call in self if call[0] == action]


class EmulatorPool:
    """``connections.ConnectionPool`` over the emulator: one attempt, no sockets."""

    def __init__(self, cloud):
        self.cloud = cloud

    def close(self):
        pass

    def send(self, method, url, headers, body):
        parts = urlsplit(url)
        host = "[%s]" % parts.hostname if ":" in parts.hostname else parts.hostname  # as http.client sends it
        if parts.port and parts.port != (443 if parts.scheme == "https" else 80):
            host = "%s:%d" % (host, parts.port)
        sent = dict(headers)
        sent.setdefault("Host", host)
        if body is not None:
            sent["Content-Length"] = str(len(body))
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        request = Request(method, target, sent, body or b"", scheme=parts.scheme)
        self.cloud.meanwhile(request)
        response = server.handle(self.cloud.emu, request, sleep=self.cloud.clock.sleep)
        self.cloud.record(request, response)
        if response is None:
            raise NetworkError("broken", DROPPED)
        if response.cut is not None:  # what http.client raises for an answer shorter than announced
            raise NetworkError("truncated", "%d bytes announced" % len(response.body), status=response.status,
                               partial=response.body[:response.cut])
        response = self.cloud.as_wire(request, response)
        answer_headers = Message()
        for name, value in response.headers.items():
            answer_headers[name] = value
        return response.status, answer_headers, response.body


class EmulatedTransport(Transport):
    """The collection's ``Transport`` (retry policy, error mapping, secret scrubbing) whose attempts
    go to the emulator, on the cloud's clock, with fixed jitter."""

    def __init__(self, cloud, **kwargs):
        kwargs.update(sleep=cloud.clock.sleep, monotonic=cloud.clock.monotonic, wallclock=cloud.clock.time,
                      rand=lambda: 0.5)
        super(EmulatedTransport, self).__init__(**kwargs)
        self.connections = EmulatorPool(cloud)

    @classmethod
    def replacing(cls, cloud, transport):
        """One with ``transport``'s settings, protected secrets and pacer."""
        new = cls(cloud, timeout=transport.timeout, retries=transport.retries, deadline=transport.deadline,
                  trace=transport.trace)
        new.protect(*transport.secrets)
        new.pacer = transport.pacer
        return new


class EmulatedApi:
    """A module's ``api`` whose clients talk to the emulator on the cloud's clock."""

    def __init__(self, api, cloud):
        self._api = api
        self._cloud = cloud

    def __getattr__(self, name):
        return getattr(self._api, name)

    def client(self, params, trace=None):
        client = self._api.client(params, trace=trace)
        self._cloud.clients.append(client)
        return self._cloud.attach(client)


class Outcome(dict):
    """What the module returned (``exit_json``/``fail_json`` arguments); ``failed`` says which."""

    @property
    def failed(self):
        return bool(self.get("failed"))


def run_in_process(module_class, args, clock, prepare):
    """Build ``module_class`` from ``args`` (``_ansible_*`` keys included), let ``prepare(module)``
    point it at its cloud, run it on ``clock`` and return what Ansible would read: the
    ``exit_json``/``fail_json`` arguments, warnings as their messages."""
    # ansible-core keeps a run's warnings in module globals: start each run with none.
    warnings._global_warnings.clear()
    warnings._global_deprecations.clear()
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module = module_class()
            prepare(module)
            module.sleep = clock.sleep
            module.monotonic = clock.monotonic
            module.run()
        except SystemExit:
            pass
        else:
            raise AssertionError("the module returned without exit_json/fail_json")
    result = Outcome(json.loads(out.getvalue()))
    if "warnings" in result:
        # What the user sees: the message of each warning.
        result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    return result


class Cloud:
    """A fresh in-memory emulator, its clock and the calls it received.

    ``settings``/``overrides`` are a fixture document's ``settings:`` and cloud sections over the
    default fixtures (as ``POST /__admin/reset``). The access keys a run uses are admitted to the
    emulator's keyring (an account's own keys), so any credentials sign and are checked.
    """

    def __init__(self, clock=None, settings=None, **sections):
        self.clock = clock or FakeClock()
        self.emu = Emulator(clock=self.clock.time)
        self.calls = Calls()
        self.answers = []  # KSYUN: (action, the decoded JSON answer or None), as recorded calls
        self.recording = True
        self.ksyun_wire = "json"  # "xml": KSYUN answers reach the client in the emulator's XML form
        self.clients = []  # the clients the modules made, in order
        self._meanwhile = {}
        if settings or sections:
            self.reset(settings=settings, **sections)

    # -- the emulator ----------------------------------------------------------------------------

    def reset(self, settings=None, **sections):
        doc = dict(sections)
        if settings:
            doc["settings"] = settings
        self.emu.reset(overrides=doc)
        self.calls[:] = []

    def fixtures(self, cloud):
        """A copy of the fixture section of ``cloud`` as loaded (to extend and pass to ``reset``)."""
        return copy.deepcopy(self.emu.fixtures[cloud])

    def settings(self, changes):
        """Merge ``changes`` into the emulator's settings (``POST /__admin/settings``)."""
        return self.admin("POST", "/__admin/settings", changes)

    def faults(self, config):
        return self.admin("POST", "/__admin/faults", config)

    def admin(self, method, path, payload=None):
        body = json.dumps(payload).encode() if payload is not None else b""
        response = server.handle(self.emu, Request(method, path, {"Content-Type": "application/json"}, body))
        answer = json.loads(response.body.decode() or "null")
        assert 200 <= response.status < 300, (path, response.status, answer)
        return answer

    def state(self, service):
        """``GET /__admin/state/<service>``: {kind: [records]}."""
        return self.admin("GET", "/__admin/state/" + service)["kinds"]

    def admit(self, cloud, access_key, secret_key):
        section = self.emu.fixtures.get(cloud) or {}
        keys = section.get("access_keys") or []
        if any(k["access_key"] == access_key for k in keys):
            return
        entry = dict(access_key=access_key, secret_key=secret_key)
        if cloud == "huawei":
            entry["user"] = section["users"][0]["name"]
        fixtures = dict(self.emu.fixtures)
        fixtures[cloud] = dict(section, access_keys=keys + [entry])
        self.emu.fixtures = fixtures  # the keyrings are rebuilt from a new fixtures object

    # -- clients ---------------------------------------------------------------------------------

    def attach(self, client):
        """``client`` (a KsyunClient or HuaweiClient) talking to the emulator on the cloud's clock."""
        client.transport = EmulatedTransport.replacing(self, client.transport)
        client._clock = self.clock.utcnow  # the signer's date (the constructor's ``clock``)
        return client

    def project_id(self, region):
        return next(p["id"] for p in self.emu.fixtures["huawei"]["projects"] if p["name"] == region)

    def huawei_client(self, service, region="cn-north-4", access_key="HWEMULATOR",
                      secret_key="emulator-huawei-secret", project_id=None):
        """A HuaweiClient on the emulator (an account key of the default fixtures), with the
        service's own operation table."""
        self.admit("huawei", access_key, secret_key)
        api = importlib.import_module("ansible_collections.cloudops.multicloud.plugins.module_utils.%s.api" % service)
        return self.attach(HuaweiClient(service, region=region, access_key=access_key, secret_key=secret_key,
                                        project_id=project_id or self.project_id(region), operations=api.OPERATIONS))

    # -- fixtures --------------------------------------------------------------------------------

    def set_cgs_nodes(self, nodes, settings=None):
        """The account's container nodes (every project) are ``nodes``."""
        self.reset(settings=settings, huawei=dict(self.fixtures("huawei"), cgs_nodes=nodes))

    @contextlib.contextmanager
    def unrecorded(self):
        """Setup calls that are not part of what a test asserts."""
        self.recording = False
        try:
            yield
        finally:
            self.recording = True

    def before_next(self, operation, change):
        """Call ``change()`` once, just before the next request of ``operation`` (a KSYUN action or
        a Huawei SDK operation name) reaches the emulator: what another client did meanwhile."""
        self._meanwhile.setdefault(operation, []).append(change)

    def fault_next(self, service, operation, kind, times=1, **config):
        """The next ``times`` requests of ``operation`` meet the emulator fault ``kind`` (``error``,
        ``drop``, ``lose``, ``late_error``...: its rate 1 in ``POST /__admin/faults``, with
        ``config`` such as ``error_status``); the faults are cleared before the one after."""
        config.update(service=service, operations=[operation])
        config[kind + "_rate"] = 1.0
        self.faults(config)
        for _n in range(times):
            self.before_next(operation, lambda: None)
        self.before_next(operation, lambda: self.faults({}))

    def meanwhile(self, request):
        if not self._meanwhile:
            return
        if server._cloud_by_request(request) == "ksyun":
            operation = ksyun.operation_of(request)
        else:
            operation = huawei.operation_of(request)
        waiting = self._meanwhile.get(operation)
        if waiting:
            waiting.pop(0)()

    def as_wire(self, request, response):
        """The emulator's XML form of a KSYUN JSON answer when ``ksyun_wire`` is "xml" (what it
        answers a client that does not ask for JSON; the client asks for JSON, and the Accept
        header is signed, so the answer is rendered again here)."""
        if self.ksyun_wire != "xml" or server._cloud_by_request(request) != "ksyun":
            return response
        answer = json.loads(response.body.decode("utf-8"))
        request_id = answer.get("RequestId")
        if response.status >= 400:
            error = answer["Error"]
            return ksyun_render.error(None, response.status, error["Code"], error["Message"], request_id)
        return ksyun_render.success(None, request.headers["X-Action"], ksyun.service_of(request),
                                    request.headers["X-Version"], answer, request_id)

    def record(self, request, response):
        if not self.recording:
            return
        status = None if response is None else response.status
        if server._cloud_by_request(request) == "ksyun":
            pairs = parse_qsl(request.raw_query, keep_blank_values=True)
            if request.body:
                pairs += parse_qsl(request.body.decode(), keep_blank_values=True)
            params = unflatten([p for p in pairs if p[0] not in ("Action", "Version")])
            self.calls.append((dict(pairs).get("Action"), params))
            answer = json.loads(response.body.decode() or "null") if response is not None and response.body else None
            self.answers.append((dict(pairs).get("Action"), answer))
            return
        query = dict((k, Wire(v)) for k, v in request.query)
        body = request.json() if request.body else None
        self.calls.append(HuaweiCall(huawei.operation_of(request), request.method, request.path, query, body, status,
                                     self.clock.now))

    # -- running modules -------------------------------------------------------------------------

    def run(self, module_class, args, check_mode=False, diff=False):
        """The module's result dict (``failed`` set when it failed), as Ansible would read it.

        Argument-spec failures happen while the module is built, before any call: they come back
        the same way."""
        args = dict(args)
        cloud = "huawei" if isinstance(module_class.api, HuaweiApi) else "ksyun"
        if args.get("access_key") and args.get("secret_key"):
            self.admit(cloud, args["access_key"], args["secret_key"])
        args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)

        def on_the_emulator(module):
            module.api = EmulatedApi(module.api, self)

        return run_in_process(module_class, args, self.clock, on_the_emulator)


# -- BWS and KPS fixtures (bandwidth_share, ssh_keypair tests) ------------------------------------
# Kept apart from the rest of the harness: the emulator's own fixtures, store and admin API,
# nothing of the modules.

KSYUN_REGION = "cn-beijing-6"  # the modules' default region; fixture entries without one are there
BWS_SHARE = "bws.share"
BWS_EIP = "bws.eip"


def bws_account(cloud, lines, eips, bandwidth=5, **readings):
    """``cloud`` reset to a KSYUN account whose BWS lines are ``lines`` (LineIds) and whose EIPs are
    ``eips`` ({AllocationId: LineId}, each with its own ``bandwidth``), playing ``readings``
    (settings ``readings.bws.<point>``)."""
    section = cloud.fixtures("ksyun")
    section["bws"] = {"lines": [{"LineId": line, "LineName": "line-%d" % n} for n, line in enumerate(lines, 1)],
                      "eips": [{"AllocationId": eip, "LineId": line, "BandWidth": bandwidth,
                                "PublicIp": "120.92.10.%d" % n} for n, (eip, line) in enumerate(eips.items(), 1)]}
    cloud.reset(settings={"readings": {"bws": readings}}, ksyun=section)


def bws_readings(cloud, **readings):
    """Play ``readings`` (``readings.bws.<point>``) from now on."""
    cloud.settings({"readings": {"bws": readings}})


def bws_share_view(doc):
    """A stored pool as DescribeBandWidthShares shows it."""
    view = dict((k, v) for k, v in doc.items() if not k.startswith("_"))
    view["AssociateBandWidthShareInfoSet"] = [{"AllocationId": eip} for eip in doc["_eips"]]
    return view


def bws_add_share(cloud, name, bandwidth=10, eips=(), project_id="0", charge_type="Peak", line=None):
    """A pool that already exists (made in the store, as the API would have left it), holding
    ``eips``; on the first fixture line unless ``line`` is given. Its id is
    ``89869da1-c601-426a-914f-<serial>``, created now on the cloud's clock. Returns its view."""
    from cloudops_emulator.ksyun.util import fmt_time  # pylint: disable=import-outside-toplevel
    emu = cloud.emu
    cloud.bws_serial = getattr(cloud, "bws_serial", 0) + 1
    doc = {"BandWidthShareId": "89869da1-c601-426a-914f-%012d" % cloud.bws_serial,
           "BandWidthShareName": name, "CreateTime": fmt_time(emu.now()), "BandWidth": bandwidth,
           "LineId": line or emu.fixtures["ksyun"]["bws"]["lines"][0]["LineId"], "ChargeType": charge_type,
           "ProjectId": project_id, "_region": KSYUN_REGION, "_eips": []}
    with emu.store.transaction():
        for eip_id in eips:
            eip = emu.store.get(BWS_EIP, eip_id)
            assert eip["BandWidthShareId"] is None, eip
            eip["BandWidthShareId"] = doc["BandWidthShareId"]
            emu.store.update(BWS_EIP, eip_id, eip)
            doc["_eips"].append(eip_id)
        emu.store.insert(BWS_SHARE, doc["BandWidthShareId"], doc)
    return bws_share_view(doc)


def bws_shares(cloud):
    """Every pool as stored now (DescribeBandWidthShares' shape), in creation order."""
    return [bws_share_view(r["doc"]) for r in cloud.state("bws").get(BWS_SHARE, [])]


def bws_share(cloud, name):
    """The pool named ``name``, or None."""
    return next((s for s in bws_shares(cloud) if s["BandWidthShareName"] == name), None)


def bws_delete_share(cloud, share_id):
    """Another client deleted the pool (its EIPs leave it, keeping their bandwidth)."""
    emu = cloud.emu
    with emu.store.transaction():
        doc = emu.store.get(BWS_SHARE, share_id)
        for eip_id in doc["_eips"]:
            eip = emu.store.get(BWS_EIP, eip_id)
            eip["BandWidthShareId"] = None
            emu.store.update(BWS_EIP, eip_id, eip)
        emu.store.delete(BWS_SHARE, share_id)


def bws_eip(cloud, eip_id):
    """An EIP as stored now: {"line", "bandwidth", "share"}."""
    doc = next(r["doc"] for r in cloud.state("bws")[BWS_EIP] if r["id"] == eip_id)
    return {"line": doc["LineId"], "bandwidth": doc["BandWidth"], "share": doc["BandWidthShareId"]}


KPS_REGION = "cn-north-4"
KPS_KEYPAIR = "kps.keypair"


def kps_readings(cloud, **readings):
    """Play ``readings`` (``readings.kps.<point>``) from now on."""
    cloud.settings({"readings": {"kps": readings}})


def kps_add_keypair(cloud, name, public_key, region=KPS_REGION, **fields):
    """A keypair that already exists in ``region``'s project (made in the store as the API would
    have left it: an id of the emulator's counter, the fingerprint of ``public_key``, created now);
    ``fields`` override the stored document (``description``, ``is_key_protection``,
    ``encryption``, ``private_key``: the hosted one, ``frozen_state``...). Returns the document."""
    # pylint: disable=import-outside-toplevel
    from cloudops_emulator.huawei.kps import common, sshkeys
    emu = cloud.emu
    project = cloud.project_id(region)
    blob, algorithm = sshkeys.parse_public_key(public_key)
    now = int(emu.now())
    doc = {"name": name, "type": "ssh", "scope": "user", "user_id": emu.fixtures["huawei"]["users"][0]["id"],
           "public_key": public_key, "fingerprint": sshkeys.fingerprint(blob), "algorithm": algorithm,
           "is_key_protection": False, "encryption": None, "private_key": None, "description": "",
           "create_time": now, "update_time": now}
    doc.update(fields)
    with emu.store.transaction():
        doc["id"] = common.next_id(emu)
        emu.store.insert(KPS_KEYPAIR, common.key_of(project, name), doc, parent=project, name=name)
    return doc


def kps_keypairs(cloud, region=KPS_REGION):
    """{name: stored document} of ``region``'s project, in creation order."""
    project = cloud.project_id(region)
    return dict((r["doc"]["name"], r["doc"]) for r in cloud.state("kps").get(KPS_KEYPAIR, [])
                if r["parent"] == project)


def kps_delete_keypair(cloud, name, region=KPS_REGION):
    """Another client deleted the keypair."""
    from cloudops_emulator.huawei.kps import common  # pylint: disable=import-outside-toplevel
    assert cloud.emu.store.delete(KPS_KEYPAIR, common.key_of(cloud.project_id(region), name))


ECS_SERVER = "ecs.server"
KPS_TASK = "kps.task"


def kps_account(cloud, servers=(), settings=None, **readings):
    """``cloud`` reset to a Huawei account whose ECS servers are ``servers`` ({id: keypair name or
    None} or ids; ACTIVE, in KPS_REGION), playing ``readings`` (``readings.kps.<point>``) with
    ``settings`` (e.g. ``{"delays": {"kps.task": 4}}``); returns ``cloud``."""
    bound = servers if isinstance(servers, dict) else dict((server_id, None) for server_id in servers)
    section = cloud.fixtures("huawei")
    section["ecs_servers"] = [{"id": server_id, "name": "ecs-%d" % n, "status": "ACTIVE", "region": KPS_REGION,
                               "keypair_name": name} for n, (server_id, name) in enumerate(bound.items(), 1)]
    cloud.reset(settings=dict(settings or {}, readings={"kps": readings}), huawei=section)
    return cloud


def _server_key(cloud, server_id, region):
    return "%s/%s" % (cloud.project_id(region), server_id)


def kps_server(cloud, server_id, region=KPS_REGION):
    """An ECS server as stored now ({"id", "name", "status", "keypair_name"}), or None."""
    return cloud.emu.store.get(ECS_SERVER, _server_key(cloud, server_id, region))


def kps_set_server(cloud, server_id, region=KPS_REGION, **fields):
    """Change a server (``status``, ``keypair_name``) as the ECS console would."""
    doc = kps_server(cloud, server_id, region)
    doc.update(fields)
    assert cloud.emu.store.update(ECS_SERVER, _server_key(cloud, server_id, region), doc)


def kps_delete_server(cloud, server_id, region=KPS_REGION):
    """The server is deleted (by another client)."""
    assert cloud.emu.store.delete(ECS_SERVER, _server_key(cloud, server_id, region))


def kps_tasks(cloud, region=KPS_REGION):
    """The binding tasks of ``region``'s project as stored now, in submission order."""
    project = cloud.project_id(region)
    return [r["doc"] for r in cloud.state("kps").get(KPS_TASK, []) if r["parent"] == project]


def kps_add_failed_task(cloud, server_id, keypair_name, region=KPS_REGION):
    """A reset task that failed in an earlier run (server not running), still listed; its id."""
    import uuid  # pylint: disable=import-outside-toplevel
    project = cloud.project_id(region)
    now = cloud.emu.now() - 60
    server = kps_server(cloud, server_id, region)
    task = {"task_id": str(uuid.uuid4()), "project_id": project, "server_id": server_id,
            "server_name": server["name"], "keypair_name": keypair_name, "operation": "RESET",
            "task_status": "FAILED_RESET", "failed": True, "submitted_at": now, "done_at": now + 1,
            "auth_key": None, "task_error_code": "KPS.0014",
            "task_error_msg": "The server is not running (status SHUTOFF)."}
    cloud.emu.store.insert(KPS_TASK, task["task_id"], task, parent=project)
    return task["task_id"]


# == KCR fixtures (issue #21) =====================================================================
# A KCR account built through the emulator's own API (CreateInstance, CreateNamespace, ...,
# unrecorded, with the emulator's account key), its admin push (``/__admin/kcr/push``, what
# ``docker push`` does) and, for statuses that only time gives, its stored records.
KCR_VERSION = "2021-11-09"
KCR_REGION = "cn-beijing-6"
KCR_VPC = "31e21dca-c92e-4b06-a8ce-000000000001"  # the default fixtures' VPC and reserve subnet
KCR_SUBNET = "372bdbac-ea1d-4f99-9c30-000000000001"


class KcrAccount:
    """The KCR account of ``cloud`` (region ``cn-beijing-6``): helpers that add instances,
    namespaces, images, tokens, webhook triggers and intranet access, and read them back."""

    def __init__(self, cloud, region=KCR_REGION):
        self.cloud = cloud
        self.region = region
        self._client = None

    @property
    def store(self):
        return self.cloud.emu.store

    def call(self, action, params=None):
        """One kcrs call for the setup (not recorded)."""
        if self._client is None:
            self._client = self.cloud.attach(KsyunClient("kcrs", KCR_VERSION, access_key="AKLTEMULATOR",
                                                         secret_key="emulator-ksyun-secret", region=self.region,
                                                         actions=KCR_ACTIONS))
        with self.cloud.unrecorded():
            return self._client.call(action, params)

    # -- instances -------------------------------------------------------------------------------

    def add_instance(self, name, status="Running", instance_type="basic", charge_type="HourlyInstantSettlement",
                     project_id="0", purchase_time=None, **extra):
        """A new instance, ``status`` at once (Creating and Deleting stay so until ``will_change``);
        ``extra`` fields are stored as the service would answer them (e.g. ``PublicDomain``)."""
        params = dict(InstanceName=name, InstanceType=instance_type, ChargeType=charge_type, ProjectId=project_id)
        if charge_type == "Monthly":
            params["PurchaseTime"] = purchase_time or 12
        instance_id = self.call("CreateInstance", params)["InstanceId"]
        doc = self.store.get("kcrs.instance", instance_id)
        doc.update(extra, InstanceStatus=status, _ready_at=0)
        if status in ("Creating", "Deleting"):
            doc["_ready_at"] = doc["_gone_at"] = float("inf")
        self.store.update("kcrs.instance", instance_id, doc)
        return self.instance(name)

    def will_change(self, name, after):
        """The instance (Creating or Deleting) becomes Running or gone ``after`` seconds from now."""
        doc = self.store.list("kcrs.instance", name=name)[0]
        doc["_ready_at"] = doc["_gone_at"] = self.cloud.emu.now() + after
        self.store.update("kcrs.instance", doc["InstanceId"], doc)

    def instance(self, name):
        """The instance as stored (its API fields), None when there is none."""
        found = self.store.list("kcrs.instance", name=name)
        return _public(found[0]) if found else None

    def instances(self):
        return [_public(doc) for doc in self.store.list("kcrs.instance")]

    # -- namespaces, repositories and images -----------------------------------------------------

    def add_namespace(self, instance, name, public=False, repos=0):
        """A namespace; ``repos`` repositories in it (``repo-1``... with one image each)."""
        self.call("CreateNamespace", dict(InstanceId=instance["InstanceId"], Namespace=name, Public=public))
        for number in range(1, repos + 1):
            self.push(instance, name, "repo-%d" % number, "v1")
        return self.namespace(instance, name)

    def namespace(self, instance, name):
        doc = self.store.get("kcrs.namespace", "%s/%s" % (instance["InstanceId"], name))
        return _public(doc) if doc else None

    def namespaces(self, instance):
        return [_public(doc) for doc in self.store.list("kcrs.namespace", parent=instance["InstanceId"])]

    def push(self, instance, namespace, repository, tag, digest=None, size=None):
        """What docker push does (``POST /__admin/kcr/push``; the namespace is created first if
        needed): the pushed image's ``ImageId`` (its digest)."""
        if self.namespace(instance, namespace) is None:
            self.add_namespace(instance, namespace)
        payload = dict(instance_id=instance["InstanceId"], namespace=namespace, repository=repository, tag=tag)
        if digest:
            payload["digest"] = digest
        if size:
            payload["size"] = size
        return self.cloud.admin("POST", "/__admin/kcr/push", payload)["ImageId"]

    def repo(self, instance, namespace, name):
        doc = self.store.get("kcrs.repo", "%s/%s/%s" % (instance["InstanceId"], namespace, name))
        return _public(doc) if doc else None

    def images(self, instance, namespace, repo):
        """The repository's images as DescribeImages answers them (newest first)."""
        key = "%s/%s/%s" % (instance["InstanceId"], namespace, repo)
        return [_public(doc) for doc in reversed(self.store.list("kcrs.image", parent=key))]

    # -- tokens ----------------------------------------------------------------------------------

    def add_token(self, instance, desc, token_type="Day", token_time=30, enabled=True):
        """A token as DescribeInstanceToken lists it."""
        created = self.call("CreateInstanceToken", dict(InstanceId=instance["InstanceId"], Desc=desc,
                                                        TokenType=token_type, TokenTime=token_time))
        if not enabled:
            self.call("ModifyInstanceTokenStatus", dict(InstanceId=instance["InstanceId"],
                                                        TokenId=created["tokenId"], Enable=False))
        return self.token(instance, created["tokenId"])

    def tokens(self, instance):
        """Newest first, as listed."""
        return self.call("DescribeInstanceToken", dict(InstanceId=instance["InstanceId"], MaxResults=99))["TokenSet"]

    def token(self, instance, token_id):
        return next((t for t in self.tokens(instance) if t["TokenId"] == token_id), None)

    # -- intranet access -------------------------------------------------------------------------

    def add_endpoint(self, instance, status="Running", dns="Closed", vpc_id=KCR_VPC, subnet_id=KCR_SUBNET):
        """Intranet access in ``vpc_id``: ``status`` Running at once, Creating until
        ``delays.kcrs.internal_endpoint`` has passed; private DNS ``dns``: Closed, Running at once, or
        Opening until ``delays.kcrs.dns`` has passed. A VPC the fixtures lack is added to them, with
        this subnet."""
        if self.store.get("ksyun.vpc", vpc_id) is None:
            self.store.insert("ksyun.vpc", vpc_id, {"VpcId": vpc_id, "region": self.region, "CidrBlock": "10.0.0.0/16",
                                                    "subnets": [{"SubnetId": subnet_id, "CidrBlock": "10.0.1.0/24"}]})
        self.call("CreateInternalEndpoint", dict(InstanceId=instance["InstanceId"], VpcId=vpc_id,
                                                 ReserveSubnetId=subnet_id))
        key = "%s/%s" % (instance["InstanceId"], vpc_id)
        doc = self.store.get("kcrs.endpoint", key)
        now = self.cloud.emu.now()
        if status != "Creating":
            doc["Status"] = status
        if dns != "Closed":
            doc["_dns"] = {"Status": "Opening", "_ready_at": now + self.cloud.emu.delay("kcrs.dns", 2)}
            if dns != "Opening":
                doc["_dns"]["Status"] = dns
        self.store.update("kcrs.endpoint", key, doc)
        return self.endpoints(instance)[-1]

    def endpoints(self, instance):
        return [dict(VpcId=doc["VpcId"], SubnetId=doc["SubnetId"], Status=doc["Status"], EniLBIp=doc["EniLBIp"],
                     Dns=(doc["_dns"] or {}).get("Status", "Closed"))
                for doc in self.store.list("kcrs.endpoint", parent=instance["InstanceId"])]

    # -- webhook triggers ------------------------------------------------------------------------

    def add_trigger(self, instance, namespace, name, events=("PushImage",), url="https://hooks.example.com/kcr",
                    headers=None, enabled=True):
        """A trigger as DescribeWebhookTrigger lists it (``headers``: {key: value or [values]})."""
        trigger = dict(TriggerName=name, EventType=list(events), TriggerUrl=url, Enabled=enabled)
        if headers:
            trigger["Header"] = [dict(Key=k, Value=v if isinstance(v, list) else [v]) for k, v in headers.items()]
        created = self.call("CreateWebhookTrigger", dict(InstanceId=instance["InstanceId"], Namespace=namespace,
                                                         Trigger=trigger))
        return self.trigger(instance, namespace, created["triggerId"])

    def trigger(self, instance, namespace, trigger_id):
        found = self.call("DescribeWebhookTrigger", dict(InstanceId=instance["InstanceId"], Namespace=namespace,
                                                         TriggerId=trigger_id))["TriggerSet"]
        return found[0] if found else None

    def triggers(self, instance, namespace):
        return [_public(doc) for doc in self.store.list("kcrs.trigger",
                                                        parent="%s/%s" % (instance["InstanceId"], namespace))]


def _public(doc):
    return dict((k, v) for k, v in doc.items() if not k.startswith("_"))
