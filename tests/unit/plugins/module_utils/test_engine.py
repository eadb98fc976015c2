# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state engine (engine/: base, stateful, unclear_writes, waiter) driven through a small widget module on a real AnsibleModule:
create, no-op, update, delete, check mode, diff, create-only options, waits and error handling."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.cloudops.multicloud.plugins.module_utils.controller_lock import LockTimeout, identity_lock
from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import Missing, ParentPending
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import InfoModule, ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine import stateful
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.stateful import StatefulModule
from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.waiter import WaitStates
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.api import KCR_API
from ansible_collections.cloudops.multicloud.plugins.module_utils.secret_handover import SecretHandover
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError
from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import (
    FakeClock,
    RecordingClient,
    run_module,
)

SECRET = "unit-secret-never-shown-0003"
AUTH = {"access_key": "AKLTUNIT", "secret_key": SECRET}


class WidgetCloud(RecordingClient):
    """One widget or none. While there is one, each DescribeWidget takes its status from the front
    of ``script`` (``None`` = gone) until the script runs out; ``errors`` makes an action fail."""

    def __init__(self, widget=None):
        super(WidgetCloud, self).__init__()
        self.widget = widget
        self.script = []
        self.errors = {}

    def answer(self, action, params):
        if action in self.errors:
            raise self.errors[action]
        if action == "DescribeWidget":
            if self.script and self.widget:
                status = self.script.pop(0)
                self.widget = None if status is None else dict(self.widget, Status=status)
            return {"Widget": dict(self.widget) if self.widget else None}
        if action == "CreateWidget":
            self.widget = {"Name": params["Name"], "Size": params.get("Size", 1), "Color": params.get("Color", "grey"),
                           "Status": "Ready"}
        elif action == "ModifyWidget":
            self.widget["Size"] = params["Size"]
        elif action == "DeleteWidget":
            self.widget = dict(self.widget, Status="Deleting")
        return {"RequestId": "req-1"}


class Widget(StatefulModule):
    api = KCR_API
    argument_spec = dict(
        name=dict(type="str", required=True),
        size=dict(type="int"),
        color=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    result_key = "widget"
    updatable = {"size": "size"}
    create_only = {"color": "color"}
    wait_states = WaitStates(pending=("Creating",), ready=("Ready",), failed=("Broken",), deleting=("Deleting",))
    wait_for_absence = True

    def validate(self):
        if self.params["size"] is not None and self.params["size"] < 1:
            raise ModuleFailure("size: %d is not 1 or more" % self.params["size"], size=self.params["size"])

    def find(self):
        return self.client.call("DescribeWidget", {"Name": self.params["name"]})["Widget"]

    def status_of(self, api_object):
        return api_object["Status"]

    def create(self):
        self.client.call("CreateWidget", {"Name": self.params["name"], "Size": self.params["size"],
                                          "Color": self.params["color"]})

    def update(self, current, changes):
        self.client.call("ModifyWidget", {"Name": current["Name"], "Size": changes["size"]})

    def delete(self, current):
        self.client.call("DeleteWidget", {"Name": current["Name"]})


class PlainWidget(Widget):
    """No statuses to wait on: no wait options."""
    wait_states = None
    wait_for_absence = False


class WidgetList(InfoModule):
    api = KCR_API
    result_key = "widgets"

    def list_resources(self):
        return self.client.paginate("DescribeWidgets", {}, "WidgetSet")


def run(cloud, module=Widget, check_mode=False, diff=False, clock=None, **args):
    args.setdefault("name", "w1")
    result = run_module(module, dict(AUTH, **args), cloud, check_mode=check_mode, diff=diff, clock=clock)
    assert SECRET not in json.dumps(result)
    return result


def existing(**fields):
    widget = {"Name": "w1", "Size": 3, "Color": "red", "Status": "Ready"}
    widget.update(fields)
    return WidgetCloud(widget)


READ = ("DescribeWidget", {"Name": "w1"})
AFTER = {"name": "w1", "size": 3, "color": "red", "status": "Ready"}


# -- create, no-op, update, delete -------------------------------------------------------------------

def test_create_writes_once_and_returns_the_read_back_resource():
    cloud = WidgetCloud()
    result = run(cloud, size=3, color="red")

    assert cloud.calls == [READ, ("CreateWidget", {"Name": "w1", "Size": 3, "Color": "red"}), READ]
    assert result["changed"] is True
    assert result["widget"] == AFTER
    assert "diff" not in result


def test_no_op_is_one_read():
    cloud = existing()
    result = run(cloud, size=3, color="red")
    assert cloud.calls == [READ]
    assert result["changed"] is False
    assert result["widget"] == AFTER


def test_options_left_out_are_not_compared():
    cloud = existing()
    assert run(cloud)["changed"] is False
    assert cloud.calls == [READ]


def test_update_sends_only_the_changes_and_shows_the_diff():
    cloud = existing()
    result = run(cloud, diff=True, size=5, color="red")

    assert cloud.calls == [READ, ("ModifyWidget", {"Name": "w1", "Size": 5})]
    assert result["changed"] is True
    assert result["widget"] == dict(AFTER, size=5)
    assert result["diff"] == {"before": AFTER, "after": dict(AFTER, size=5)}


def test_delete_waits_for_absence():
    cloud = existing()
    cloud.script = ["Ready", "Deleting", None]
    clock = FakeClock()
    result = run(cloud, clock=clock, state="absent")

    assert cloud.calls == [READ, ("DeleteWidget", {"Name": "w1"})] + [READ] * 2
    assert clock.sleeps == [2.0, 2.0]
    assert result["changed"] is True
    assert result["widget"] == {}


def test_absent_when_missing_is_one_read_and_no_change():
    cloud = WidgetCloud()
    result = run(cloud, diff=True, state="absent")
    assert cloud.calls == [READ]
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}


# -- check mode and diff -------------------------------------------------------------------------------

def test_check_mode_create_predicts_from_the_options():
    cloud = WidgetCloud()
    result = run(cloud, check_mode=True, diff=True, size=3, color="red")

    assert cloud.calls == [READ]
    assert result["changed"] is True
    assert result["widget"] == {"size": 3, "color": "red"}
    assert result["diff"] == {"before": {}, "after": {"size": 3, "color": "red"}}


def test_check_mode_update_predicts_without_writing():
    cloud = existing()
    result = run(cloud, check_mode=True, diff=True, size=9)

    assert cloud.calls == [READ]
    assert result["changed"] is True
    assert result["widget"] == dict(AFTER, size=9)
    assert result["diff"] == {"before": AFTER, "after": dict(AFTER, size=9)}


def test_check_mode_delete_predicts_without_writing():
    cloud = existing()
    result = run(cloud, check_mode=True, diff=True, state="absent")

    assert cloud.calls == [READ]
    assert result["changed"] is True
    assert result["widget"] == {}
    assert result["diff"] == {"before": AFTER, "after": {}}


def test_check_mode_no_op_reports_no_change():
    cloud = existing()
    result = run(cloud, check_mode=True, size=3)
    assert result["changed"] is False
    assert cloud.writes() == []


# -- create-only options -------------------------------------------------------------------------------

def test_create_only_option_that_differs_fails_before_any_write():
    cloud = existing()
    result = run(cloud, size=5, color="blue")

    assert result["failed"] is True
    assert result["msg"] == ("color cannot be changed on an existing widget (current: 'red', requested: 'blue'); "
                             "delete and recreate it to change it")
    assert cloud.calls == [READ]


def test_a_create_only_field_the_answer_leaves_out_is_unknown_not_different():
    cloud = existing(Color=None)
    result = run(cloud, size=3, color="blue")

    assert "failed" not in result and result["changed"] is False
    assert cloud.calls == [READ]


def test_create_only_mismatch_also_fails_in_check_mode():
    cloud = existing()
    result = run(cloud, check_mode=True, color="blue")
    assert result["failed"] is True
    assert cloud.writes() == []


# -- waits ----------------------------------------------------------------------------------------------

def test_create_waits_until_ready():
    cloud = WidgetCloud()
    cloud.script = ["Creating", "Creating", "Ready"]
    clock = FakeClock()
    result = run(cloud, clock=clock)

    assert cloud.actions == ["DescribeWidget", "CreateWidget"] + ["DescribeWidget"] * 3
    assert clock.sleeps == [2.0, 2.0]
    assert result["widget"]["status"] == "Ready"


def test_a_pending_resource_is_waited_for_on_a_no_op():
    cloud = existing(Status="Creating")
    cloud.script = ["Creating", "Ready"]
    result = run(cloud)
    assert result["changed"] is False
    assert result["widget"]["status"] == "Ready"
    assert cloud.writes() == []


def test_failed_state_fails_with_the_resource():
    cloud = WidgetCloud()
    cloud.script = ["Creating", "Broken"]
    result = run(cloud, size=3)

    assert result["failed"] is True
    assert result["msg"] == "widget entered status Broken"
    assert result["widget"] == {"name": "w1", "size": 3, "color": "grey", "status": "Broken"}


def test_disappearing_while_waiting_fails():
    cloud = WidgetCloud()
    cloud.script = ["Creating", None]
    result = run(cloud)
    assert result["failed"] is True
    assert result["msg"] == "widget disappeared while waiting for it to become Ready"


def test_timeout_counts_injected_sleeps():
    cloud = WidgetCloud()
    cloud.script = ["Creating"] * 100
    clock = FakeClock()
    result = run(cloud, clock=clock, wait_timeout=7)

    assert result["failed"] is True
    assert result["msg"] == "timed out after 7s waiting for widget to become Ready (last status seen: Creating)"
    assert clock.sleeps == [2.0] * 4  # the poll at t=8 is the first past the deadline
    assert cloud.actions.count("DescribeWidget") == 1 + 1 + 4


def test_wait_interval_sets_the_pause_between_reads():
    cloud = WidgetCloud()
    cloud.script = ["Creating", "Creating", "Ready"]
    clock = FakeClock()
    result = run(cloud, clock=clock, wait_interval=0.25)

    assert result["widget"]["status"] == "Ready"
    assert clock.sleeps == [0.25, 0.25]


def test_wait_interval_comes_from_the_environment_when_the_task_does_not_set_it(monkeypatch):
    monkeypatch.setenv("CLOUDOPS_WAIT_INTERVAL", "0.5")
    cloud = WidgetCloud()
    cloud.script = ["Creating", "Ready"]
    clock = FakeClock()
    run(cloud, clock=clock)
    assert clock.sleeps == [0.5]

    cloud = WidgetCloud()
    cloud.script = ["Creating", "Ready"]
    clock = FakeClock()
    run(cloud, clock=clock, wait_interval=1.5)
    assert clock.sleeps == [1.5]


def test_a_wait_interval_below_the_floor_fails_before_any_call():
    cloud = WidgetCloud()
    result = run(cloud, wait_interval=0.01)
    assert result["failed"] is True
    assert result["msg"] == "wait_interval must be at least 0.1 seconds, got 0.01"
    assert cloud.actions == []


def test_wait_false_does_not_poll():
    cloud = WidgetCloud()
    cloud.script = ["Creating"]
    clock = FakeClock()
    result = run(cloud, clock=clock, wait=False)
    assert result["widget"]["status"] == "Creating"
    assert clock.sleeps == []


def test_absence_wait_times_out():
    cloud = existing()
    cloud.script = ["Ready"] + ["Deleting"] * 100
    result = run(cloud, state="absent", wait_timeout=3)
    assert result["failed"] is True
    assert result["msg"] == "timed out after 3s waiting for widget to be deleted"


def test_a_resource_already_deleting_gets_no_delete_call():
    cloud = existing(Status="Deleting")
    cloud.script = ["Deleting", None]
    result = run(cloud, diff=True, state="absent")

    assert cloud.writes() == []
    assert cloud.actions == ["DescribeWidget"] * 2
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}


def test_present_on_a_deleting_resource_fails():
    cloud = existing(Status="Deleting")
    result = run(cloud)
    assert result["failed"] is True
    assert result["msg"] == "widget is being deleted (status Deleting); run the task again once it is gone"
    assert cloud.writes() == []


def test_wait_options_only_for_modules_that_wait():
    result = run(WidgetCloud(), module=PlainWidget, wait=True)
    assert result["failed"] is True
    assert "Unsupported parameters" in result["msg"] and "wait" in result["msg"]


# -- errors -----------------------------------------------------------------------------------------------

class PreflightWidget(Widget):
    """Asks a second read once the widget is known; a size of 13 is refused by it."""

    def preflight(self, current):
        owners = self.client.call("DescribeWidgetOwners", {"Name": self.params["name"]})
        if self.params["size"] == 13:
            raise ModuleFailure("size: 13 is held by another widget (%s)" % owners["RequestId"])


def test_preflight_reads_after_find_and_stops_every_state_before_any_write():
    for check_mode in (True, False):
        for cloud, args in ((WidgetCloud(), dict(size=13)), (existing(), dict(size=13)),
                            (existing(), dict(state="absent", size=13))):
            result = run(cloud, module=PreflightWidget, check_mode=check_mode, **args)
            assert result["failed"] is True
            assert result["msg"] == "size: 13 is held by another widget (req-1)"
            assert cloud.calls == [READ, ("DescribeWidgetOwners", {"Name": "w1"})]


def test_preflight_that_passes_lets_the_engine_go_on():
    cloud = existing()
    result = run(cloud, module=PreflightWidget, size=4)
    assert result["changed"] is True
    assert cloud.actions == ["DescribeWidget", "DescribeWidgetOwners", "ModifyWidget"]


def test_cloud_error_becomes_fail_json_with_the_error_as_data():
    cloud = WidgetCloud()
    cloud.errors["CreateWidget"] = CloudError("The widget quota is reached.", status=400, code="QuotaExceeded",
                                              request_id="req-9", service="kcrs", operation="CreateWidget")
    result = run(cloud)

    assert result["failed"] is True
    assert result["msg"] == "kcrs CreateWidget failed: QuotaExceeded: The widget quota is reached. (request id req-9)"
    assert result["error"] == {"status": 400, "code": "QuotaExceeded", "message": "The widget quota is reached.",
                               "request_id": "req-9", "service": "kcrs", "operation": "CreateWidget"}
    assert "widget" not in result


def test_module_failure_from_validate_carries_its_data_and_makes_no_call():
    cloud = WidgetCloud()
    result = run(cloud, size=0)
    assert result["failed"] is True
    assert result["msg"] == "size: 0 is not 1 or more"
    assert result["size"] == 0
    assert cloud.calls == []


def test_secret_options_are_masked_in_the_invocation():
    # From ansible-core 2.21 a result carries ``invocation`` only when the controller asks for it
    # (INJECT_INVOCATION, sent to the module as _ansible_inject_invocation); earlier releases
    # always add it and do not know the internal option.
    args = {"_ansible_inject_invocation": True} if "inject_invocation" in PASS_VARS else {}
    result = run(existing(), **args)
    assert result["invocation"]["module_args"]["secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


# -- InfoModule -------------------------------------------------------------------------------------------

class WidgetPages(RecordingClient):
    def answer(self, action, params):
        items = [{"WidgetName": "w%d" % n, "SizeGb": n} for n in range(1, 121)]
        start = params["Marker"]
        return {"TotalCount": len(items), "WidgetSet": items[start:start + params["MaxResults"]]}


def test_info_module_lists_every_page_in_snake_case():
    cloud = WidgetPages()
    result = run_module(WidgetList, dict(AUTH), cloud)

    assert cloud.calls == [("DescribeWidgets", {"Marker": 0, "MaxResults": 99}),
                           ("DescribeWidgets", {"Marker": 99, "MaxResults": 99})]
    assert result["changed"] is False
    assert len(result["widgets"]) == 120
    assert result["widgets"][0] == {"widget_name": "w1", "size_gb": 1}


# -- writes that may or may not have acted ------------------------------------------------------------

class FlakyWidgetCloud(WidgetCloud):
    """``failures[action]``: errors to raise, in order; ``acts[action]``: whether the server acted
    before each of those errors (a lost answer) or not."""

    def __init__(self, widget=None):
        super(FlakyWidgetCloud, self).__init__(widget)
        self.failures = {}
        self.acts = {}

    def answer(self, action, params):
        pending = self.failures.get(action)
        if pending:
            error = pending.pop(0)
            acted = self.acts[action].pop(0)
            if acted:
                super(FlakyWidgetCloud, self).answer(action, params)
            raise error
        return super(FlakyWidgetCloud, self).answer(action, params)


AFTER_API = {"Name": "w1", "Size": 3, "Color": "red", "Status": "Ready"}


def lost():
    return CloudError("connection to h failed: reset", status=None, code="ConnectionError",
                      service="kcrs", operation="x")


def test_create_whose_answer_was_lost_after_acting_is_read_back_not_repeated():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [lost()]
    cloud.acts["CreateWidget"] = [True]
    result = run(cloud, size=3, color="red")
    assert cloud.actions == ["DescribeWidget", "CreateWidget", "DescribeWidget"]
    assert result["changed"] is True and result["widget"] == AFTER


def test_create_that_acted_but_left_something_undone_goes_on_from_what_exists():
    # The lost answer came from a server that made the widget at its default size.
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [lost()]
    cloud.acts["CreateWidget"] = [True]
    real_answer = cloud.answer

    def default_size(action, params):
        if action == "CreateWidget":
            params = dict(params, Size=1)
        return real_answer(action, params)

    cloud.answer = default_size
    result = run(cloud, size=3, color="red")
    assert cloud.actions == ["DescribeWidget", "CreateWidget", "DescribeWidget", "ModifyWidget", "DescribeWidget"]
    assert result["changed"] is True and result["widget"] == AFTER


def test_create_found_with_other_create_only_values_fails():
    other = FlakyWidgetCloud()
    other.failures["CreateWidget"] = [lost()]
    other.acts["CreateWidget"] = [True]
    real_answer = other.answer
    other.answer = lambda action, params: real_answer(action, dict(params, Color="blue")
                                                      if action == "CreateWidget" else params)
    result = run(other, size=3, color="red")
    assert result["failed"] is True
    assert result["msg"].startswith("color cannot be changed on an existing widget (current: 'blue', requested: 'red')")
    assert other.writes() == ["CreateWidget"]


def test_create_that_surely_did_not_act_is_sent_again_within_the_budget():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [lost(), lost()]
    cloud.acts["CreateWidget"] = [False, False]
    result = run(cloud, size=3, color="red", retries=2)
    assert cloud.actions == ["DescribeWidget"] + ["CreateWidget", "DescribeWidget"] * 3
    assert result["changed"] is True and result["widget"] == AFTER


def test_create_budget_runs_out_with_the_error():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [lost(), lost()]
    cloud.acts["CreateWidget"] = [False, False]
    result = run(cloud, size=3, color="red", retries=1)
    assert result["failed"] is True and "ConnectionError" in result["msg"]
    assert cloud.writes() == ["CreateWidget", "CreateWidget"] and cloud.widget is None


def test_update_that_may_have_acted_resends_only_what_still_differs():
    cloud = FlakyWidgetCloud(dict(AFTER_API, Size=3))
    cloud.failures["ModifyWidget"] = [lost()]
    cloud.acts["ModifyWidget"] = [True]
    result = run(cloud, size=5)
    assert cloud.actions == ["DescribeWidget", "ModifyWidget", "DescribeWidget"]
    assert result["changed"] is True and result["widget"]["size"] == 5


def test_client_errors_on_writes_are_not_retried():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [CloudError("bad", status=400, code="InvalidParameter", service="kcrs",
                                                 operation="CreateWidget")]
    cloud.acts["CreateWidget"] = [False]
    result = run(cloud, size=3, color="red", retries=3)
    assert result["failed"] is True and cloud.writes() == ["CreateWidget"]


class SecretWidget(Widget):
    def __init__(self):
        super(SecretWidget, self).__init__()
        self.secret = SecretHandover(self, "secret_file", "widget")  # never delivered: the answer is lost


def test_lost_answer_with_a_secret_is_undone_and_made_again():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [lost()]
    cloud.acts["CreateWidget"] = [True]
    result = run(cloud, module=SecretWidget, size=3, color="red", wait=False)
    assert cloud.actions == ["DescribeWidget", "CreateWidget", "DescribeWidget", "DeleteWidget",
                             "CreateWidget", "DescribeWidget"]
    assert result["changed"] is True


def test_lost_secret_with_no_budget_left_fails_saying_what_happened():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [lost()]
    cloud.acts["CreateWidget"] = [True]
    result = run(cloud, module=SecretWidget, size=3, color="red", retries=0, wait=False)
    assert result["failed"] is True
    assert "answer carrying its secret was lost" in result["msg"] and "deleted again" in result["msg"]
    assert cloud.writes() == ["CreateWidget", "DeleteWidget"]


# -- reconciled writes: taken, gone, parents an earlier task would create ---------------------------

WIDGET_TAKEN = Missing("WidgetNameTaken")
WIDGET_GONE = Missing("WidgetNotFound")


class RacingWidget(Widget):
    taken = WIDGET_TAKEN
    gone = WIDGET_GONE

    taken_elsewhere = "name: widget w1 exists in another zone"


def refused(code, status=409):
    return CloudError("refused", status=status, code=code, service="kcrs", operation="x")


def test_create_that_lost_the_race_converges_on_what_the_winner_made():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [refused("WidgetNameTaken")]
    cloud.acts["CreateWidget"] = [True]  # a parallel run created it first
    result = run(cloud, module=RacingWidget, size=3, color="red")
    assert cloud.actions == ["DescribeWidget", "CreateWidget", "DescribeWidget"]
    assert result["changed"] is True and result["widget"] == AFTER


def test_taken_but_not_found_is_explained_by_the_module():
    cloud = FlakyWidgetCloud()
    cloud.failures["CreateWidget"] = [refused("WidgetNameTaken")]
    cloud.acts["CreateWidget"] = [False]  # the name is used where find() does not look
    result = run(cloud, module=RacingWidget, size=3, color="red", retries=3)
    assert result["failed"] is True
    assert result["msg"] == "name: widget w1 exists in another zone"
    assert result["error"]["code"] == "WidgetNameTaken"
    assert cloud.writes() == ["CreateWidget"]


def test_delete_of_a_widget_gone_meanwhile_reaches_absent():
    cloud = FlakyWidgetCloud(dict(AFTER_API))
    cloud.failures["DeleteWidget"] = [refused("WidgetNotFound", 404)]
    cloud.acts["DeleteWidget"] = [False]
    result = run(cloud, module=RacingWidget, state="absent", wait=False)
    assert result["changed"] is True and result["widget"] == {}
    assert cloud.actions == ["DescribeWidget", "DeleteWidget"]


def test_gone_is_not_declared_by_default():
    cloud = FlakyWidgetCloud(dict(AFTER_API))
    cloud.failures["DeleteWidget"] = [refused("WidgetNotFound", 404)]
    cloud.acts["DeleteWidget"] = [False]
    result = run(cloud, state="absent", wait=False)
    assert result["failed"] is True and result["error"]["code"] == "WidgetNotFound"


def test_delete_whose_answer_was_lost_after_acting_is_read_back():
    cloud = FlakyWidgetCloud(dict(AFTER_API))
    cloud.failures["DeleteWidget"] = [lost()]
    cloud.acts["DeleteWidget"] = [True]
    result = run(cloud, state="absent", wait=False)
    assert result["changed"] is True and not result.failed
    assert cloud.actions == ["DescribeWidget", "DeleteWidget", "DescribeWidget"]


class OrphanWidget(Widget):
    """A widget whose parent an earlier task of the play would create (check mode)."""

    def find(self):
        raise ParentPending("zone z1 not found; check mode assumes an earlier task creates it")


class OrphanWidgetList(WidgetList):
    def list_resources(self):
        raise ParentPending("zone z1 not found; check mode assumes an earlier task creates it")


def test_under_a_parent_to_be_created_check_mode_predicts_a_create_and_warns():
    cloud = WidgetCloud()
    present = run(cloud, module=OrphanWidget, check_mode=True, size=3, color="red")
    absent = run(cloud, module=OrphanWidget, check_mode=True, state="absent")
    listed = run_module(OrphanWidgetList, dict(AUTH), cloud, check_mode=True)
    assert present["changed"] is True
    assert present["widget"] == {"size": 3, "color": "red"}
    assert present["warnings"] == ["zone z1 not found; check mode assumes an earlier task creates it"]
    assert absent["changed"] is False and absent["widget"] == {}
    assert listed["widgets"] == [] and listed["warnings"] == present["warnings"]
    assert cloud.calls == []


def test_present_on_a_failed_resource_fails_with_the_reason_and_writes_nothing():
    cloud = existing(Status="Broken")
    result = run(cloud, size=9)
    assert result["failed"] is True
    assert result["msg"] == "widget is in status Broken: no reason given; delete it (state=absent) and run the task again"
    assert result["widget"]["status"] == "Broken" and cloud.writes() == []


# -- resources the cloud does not keep unique ---------------------------------------------------------

class SerialWidget(PlainWidget):
    """Widgets whose names the cloud does not keep unique: runs take turns per name."""

    held = []

    def serial_identity(self):
        return (self.params["name"],)

    def find(self):
        # Another run on this controller, trying the same identity now, would have to wait.
        identity = ("SerialWidget", "", self.region, self.params["name"])
        try:
            with identity_lock(identity, timeout=0):
                SerialWidget.held.append(False)
        except LockTimeout:
            SerialWidget.held.append(True)
        return super(SerialWidget, self).find()


def test_a_serialized_resource_is_read_and_created_under_its_lock():
    SerialWidget.held = []
    cloud = WidgetCloud()
    result = run(cloud, module=SerialWidget, size=3, color="red")
    assert result["changed"] is True
    assert SerialWidget.held == [True, True]  # the first read and the read back after the create
    # Released afterwards, and never taken in check mode (nothing is created there).
    SerialWidget.held = []
    run(WidgetCloud(), module=SerialWidget, check_mode=True, size=3)
    assert SerialWidget.held == [False]


def test_a_run_that_cannot_get_its_turn_fails_naming_the_rule(monkeypatch):
    @contextlib.contextmanager
    def busy(identity, timeout):
        if timeout:
            raise LockTimeout("another task on this controller has held the lock for %s for %ss"
                              % ("/".join(identity), timeout))
        yield

    monkeypatch.setattr(stateful, "identity_lock", busy)
    cloud = WidgetCloud()
    result = run(cloud, module=SerialWidget, size=3)
    assert result["failed"] is True and cloud.calls == []
    assert "runs of this task on one controller take turns: the cloud does not keep widget unique" in result["msg"]
