# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPCEP rules the modules apply before or without calls: the name in ``{region}.{name}.{id}``,
the update body that never lets a setting fall back, ports, whitelist records and tags."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.vpcep import permissions, services, tags

SID = "4189d3c2-8882-4871-a3c2-d380272eed83"


@pytest.mark.parametrize("full, name", [
    ("cn-north-4.orders-api.%s" % SID, "orders-api"),
    ("cn-north-4.%s" % SID, None),
    ("cn-north-4.Orders.%s" % SID, "Orders"),
])
def test_short_name_is_the_middle_segment(full, name):
    assert services.short_name({"id": SID, "service_name": full}, "cn-north-4") == name


def test_update_body_always_sends_the_settings_that_could_reset():
    current = {"approval_enabled": False, "tcp_proxy": "toa_open", "description": "d",
               "ports": [{"client_port": 80, "server_port": 8080, "protocol": "TCP"}], "port_id": "p1"}
    assert services.update_body(current, {"description": "new"}) == {
        "approval_enabled": False, "tcp_proxy": "toa_open", "description": "new",
        "ports": [{"client_port": 80, "server_port": 8080, "protocol": "TCP"}]}
    body = services.update_body(current, {"port_id": "p2", "approval_enabled": True})
    assert (body["port_id"], body["approval_enabled"], body["tcp_proxy"]) == ("p2", True, "toa_open")


@pytest.mark.parametrize("ports, message", [
    ([], "ports: give 1 to 200 port mappings, got 0"),
    ([{"client_port": 0, "server_port": 1}], "ports.client_port: must be from 1 to 65535, got 0"),
    ([{"client_port": 1, "server_port": 9}, {"client_port": 2, "server_port": 9}],
     "ports: server_port 9 is used twice; each server_port may appear once"),
])
def test_bad_ports_name_the_rule(ports, message):
    with pytest.raises(ModuleFailure) as caught:
        services.check_ports("ports", ports)
    assert caught.value.msg == message


@pytest.mark.parametrize("value, kind", [
    ("iam:domain::6e9dfd51d1124e8d8498dce894923a0d", "domainId"),
    ("iam:domain::*", "domainId"),
    ("*", "domainId"),
    ("organizations:orgPath::o-1/r-2/ou-3", "orgPath"),
    ("iam:domain::has space", None),
    ("domain::abc", None),
    ("iam:domain::abc\n", None),
])
def test_permission_formats(value, kind):
    assert permissions.permission_type(value) == kind


def test_tags_at_most_ten_and_by_the_rules():
    tags.check_tags("tags", dict(("k%d" % n, "v") for n in range(10)))
    with pytest.raises(ModuleFailure):
        tags.check_tags("tags", dict(("k%d" % n, "v") for n in range(11)))
    with pytest.raises(ModuleFailure) as caught:
        tags.check_tags("tags", {"_sys_x": "v"})
    assert "not starting with '_sys_'" in caught.value.msg


def test_desired_tags_with_and_without_purge():
    assert tags.desired_tags({"a": "1", "b": "2"}, {"a": "9"}, purge=True) == {"a": "9"}
    assert tags.desired_tags({"a": "1", "b": "2"}, {"a": "9"}, purge=False) == {"a": "9", "b": "2"}
    assert tags.desired_tags({"a": "1"}, None, purge=True) == {"a": "1"}


class Recorder:
    def __init__(self):
        self.calls = []

    def request(self, method, path, **kwargs):
        self.calls.append((method, path, kwargs.get("body")))


def test_a_changed_tag_value_is_removed_then_set():
    client = Recorder()
    tags.apply_tags(client, "endpoint_service", SID, {"a": "1", "b": "2", "c": "3"}, {"a": "9", "c": "3"}, True)
    assert [c[2] for c in client.calls] == [
        {"action": "delete", "tags": [{"key": "a"}, {"key": "b"}]},
        {"action": "create", "tags": [{"key": "a", "value": "9"}]}]


def test_permissions_are_added_in_batches_of_fifty_per_type():
    client = Recorder()
    entries = [{"permission": "iam:domain::d%d" % n, "description": ""} for n in range(51)]
    entries.append({"permission": "organizations:orgPath::o-1", "description": "org"})
    permissions.add_permissions(client, SID, entries)
    assert [(len(c[2]["permissions"]), c[2]["permission_type"]) for c in client.calls] == [
        (50, "domainId"), (1, "domainId"), (1, "orgPath")]


# -- formats checked before any call (the modules' validate) ------------------------------------------

class NoCalls:
    """A client no call may reach: bad input fails before any."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append(name)
            raise AssertionError("a call was made: %s" % name)
        return call


UUID_RULE = "a UUID: 32 hexadecimal digits in groups of 8-4-4-4-12, such as 3f2a1c9e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"
AUTH = dict(access_key="AK", secret_key="SK", region="cn-north-4", project_id="0f1e2d3c4b5a69788796a5b4c3d2e1f0")


def module(name):
    from importlib import import_module
    classes = {"vpcep_service": "VpcepService", "vpcep_endpoint": "VpcepEndpoint",
               "vpcep_connection": "VpcepConnection", "vpcep_endpoint_info": "VpcepEndpointInfo",
               "vpcep_service_info": "VpcepServiceInfo"}
    return getattr(import_module("ansible_collections.cloudops.multicloud.plugins.modules." + name), classes[name])


@pytest.mark.parametrize("name, args, msg", [
    ("vpcep_service", dict(name="orders", vpc_id=SID + "\n"), "vpc_id: %r is not a valid VPC ID: %s" % (SID + "\n", UUID_RULE)),
    ("vpcep_service", dict(name="orders", port_id="../x"), "port_id: '../x' is not a valid port ID: " + UUID_RULE),
    ("vpcep_service", dict(id="orders"), "id: 'orders' is not a valid VPC endpoint service ID: " + UUID_RULE),
    ("vpcep_service", dict(name="orders", description="a" * 513), "description: must be 0 to 512 characters long "
                                                                  "(513 given)"),
    ("vpcep_endpoint", dict(service_id=SID, vpc_id="vpc 1", subnet_id=SID),
     "vpc_id: 'vpc 1' is not a valid VPC ID: " + UUID_RULE),
    ("vpcep_endpoint", dict(service_id=SID, vpc_id=SID, subnet_id="\x01"),
     "subnet_id: '\\x01' is not a valid subnet ID: " + UUID_RULE),
    ("vpcep_endpoint", dict(service_id="", vpc_id=SID, subnet_id=SID),
     "service_id: '' is not a valid VPC endpoint service ID: " + UUID_RULE),
    ("vpcep_connection", dict(service_id="../x", action="accept", endpoint_ids=[SID]),
     "service_id: '../x' is not a valid VPC endpoint service ID: " + UUID_RULE),
    ("vpcep_connection", dict(service_id=SID, action="accept", endpoint_ids=[SID, "x\n"]),
     "endpoint_ids[1]: 'x\\n' is not a valid VPC endpoint ID: " + UUID_RULE),
    ("vpcep_connection", dict(service_id=SID, descriptions={"x\n": "v"}),
     "descriptions: 'x\\n' is not a valid VPC endpoint ID: " + UUID_RULE),
    ("vpcep_connection", dict(service_id=SID, descriptions={SID: "<b>"}),
     "descriptions.%s: must be text without '<' or '>'" % SID),
    ("vpcep_endpoint_info", dict(vpc_id="x"), "vpc_id: 'x' is not a valid VPC ID: " + UUID_RULE),
    ("vpcep_service_info", dict(id="x"), "id: 'x' is not a valid VPC endpoint service ID: " + UUID_RULE),
])
def test_ids_and_descriptions_are_checked_before_any_call(name, args, msg):
    from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import run_module
    client = NoCalls()
    result = run_module(module(name), dict(AUTH, **args), client)

    assert result["failed"] is True
    assert result["msg"] == msg
    assert client.calls == []


def test_a_nul_in_an_id_fails_before_any_call():
    # On Python 3.12+ without journald, ansible-core refuses the module's arguments first: it logs
    # them to syslog, which rejects a NUL. Either way the module fails and makes no call.
    from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import run_module
    client = NoCalls()
    result = run_module(module("vpcep_endpoint"), dict(AUTH, service_id=SID, vpc_id=SID, subnet_id="\x00"), client)

    assert result["failed"] is True
    assert result["msg"] in ("subnet_id: '\\x00' is not a valid subnet ID: " + UUID_RULE,
                             "Failed to log to syslog (embedded null character). To proceed anyway, disable syslog "
                             "logging by setting no_target_syslog to True in your Ansible config.")
    assert client.calls == []


@pytest.mark.parametrize("option", ["ports", "permissions"])
def test_list_elements_that_are_not_dicts_fail_naming_the_option(option):
    from ansible_collections.cloudops.multicloud.tests.unit.plugins.module_runner import run_module
    client = NoCalls()
    result = run_module(module("vpcep_service"), dict(AUTH, name="orders", **{option: ["x\n"]}), client)

    assert result["failed"] is True
    assert result["msg"] == ("Elements value for option '%s' is of type str and we were unable to convert to dict: "
                             "dictionary requested, could not parse JSON or key=value" % option)
    assert client.calls == []
