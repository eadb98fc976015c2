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
