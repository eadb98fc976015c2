# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""validation.py: name rules match whole values and cannot change; messages name the option and
the rule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import ModuleFailure
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.namespaces import NAMESPACE_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.kcr.repositories import REPOSITORY_NAME, TAG_NAME
from ansible_collections.cloudops.multicloud.plugins.module_utils.validation import (
    NameRule,
    check_length,
    check_range,
    check_url,
    uuid_rule,
)

RULE = NameRule("widget", r"[a-z][a-z0-9-]{1,9}", "2 to 10 characters: lower-case letters, digits and '-'")


def failure_of(check, *args):
    with pytest.raises(ModuleFailure) as raised:
        check(*args)
    return raised.value.msg


def test_a_name_rule_matches_the_whole_value():
    assert RULE.matches("web-1")
    assert not RULE.matches("web-1\n")
    assert not RULE.matches("x web")
    assert not RULE.matches("w")


def test_check_names_the_option_the_value_and_the_rule():
    assert failure_of(RULE.check, "name", "Web") == ("name: 'Web' is not a valid widget name: 2 to 10 characters: "
                                                     "lower-case letters, digits and '-'")
    RULE.check("name", "web")
    RULE.check("name", None)


def test_a_name_rule_cannot_be_changed():
    with pytest.raises(AttributeError):
        RULE.rule = "anything"
    with pytest.raises(AttributeError):
        NAMESPACE_NAME.extra = "x"
    assert failure_of(NAMESPACE_NAME.check, "namespace", "A").startswith("namespace: 'A' is not a valid KCR namespace")


def test_every_kcr_rule_is_there_without_importing_a_module():
    assert REPOSITORY_NAME.matches("team/app")
    assert TAG_NAME.matches("v1.0") and not TAG_NAME.matches(".hidden")


@pytest.mark.parametrize("name", ["app", "team/app", "a.b_c__d-e--f", "a/b/c", "0", "x" * 128, "a1-b2/c3.d4"])
def test_repository_names_follow_the_docker_path_component_grammar(name):
    assert REPOSITORY_NAME.matches(name)


@pytest.mark.parametrize("name", [
    "x/../../ns2/repo", "..", "a/./b", "a//b", "/a", "a/", "a..b", "a._b", "a___b", "-a", "a-", "_a", "a_",
    ".a", "a.", "A", "a b", "a\nb", "x" * 129, "a/" + "b" * 127])
def test_repository_names_that_docker_or_kcr_would_refuse(name):
    assert not REPOSITORY_NAME.matches(name)
    assert failure_of(REPOSITORY_NAME.check, "name", name).endswith(
        "is not a valid KCR repository name: 1 to 128 characters: path components of lower-case letters and "
        "digits, separated by '/'; inside a component one '.', one or two '_' or any number of '-' may join "
        "letters and digits")


def test_a_long_repository_name_is_refused_at_once():
    # The grammar must not backtrack exponentially on a near-miss (a check runs on user input).
    assert not REPOSITORY_NAME.matches("a" * 5000 + "!")
    assert not REPOSITORY_NAME.matches("a" * 120 + "!")


def test_ranges_and_lengths():
    check_range("token_time", 5, 1, 9999)
    check_range("token_time", None, 1, 9999)
    assert failure_of(check_range, "token_time", 0, 1, 9999) == "token_time: must be from 1 to 9999, got 0"
    check_length("description", "abc", 256)
    assert failure_of(check_length, "description", "", 256, 1) == "description: must be 1 to 256 characters long (0 given)"


def test_id_rules_say_id_and_check_each_names_the_item():
    rule = uuid_rule("KCR instance")
    rule.check("instance_id", "00000000-0000-4000-8000-000000000001")
    assert failure_of(rule.check, "instance_id", "00000000-0000-4000-8000-000000000001\n").startswith(
        "instance_id: '00000000-0000-4000-8000-000000000001\\n' is not a valid KCR instance ID: a UUID")
    assert failure_of(rule.check_each, "ids", ["00000000-0000-4000-8000-000000000001", "x"]).startswith(
        "ids[1]: 'x' is not a valid KCR instance ID")
    rule.check_each("ids", None)


def test_a_value_that_is_not_text_fails_instead_of_raising():
    assert failure_of(RULE.check, "name", 7).startswith("name: 7 is not a valid widget name")


def test_long_values_are_shortened_in_messages():
    msg = failure_of(RULE.check, "name", "a" * 5000)
    assert len(msg) < 250 and "aaa..." in msg


@pytest.mark.parametrize("url", ["https://hooks.example.com/kcr?x=1", "http://10.0.0.1:8080/h", "HTTPS://h.example.com"])
def test_urls_that_are_fine(url):
    check_url("url", url)


@pytest.mark.parametrize("url, problem", [
    ("https://hooks.example.com/kcr\n", "it contains whitespace or a control character"),
    ("https://hooks.example.com/a b", "it contains whitespace or a control character"),
    ("https://hooks.example.com/\x00", "it contains whitespace or a control character"),
    ("ftp://hooks.example.com/", "its scheme is 'ftp'"),
    ("hooks.example.com/kcr", "it has no scheme"),
    ("https:///kcr", "it has no host"),
    ("https://hooks.example.com:0x50/", "its port is not a number from 1 to 65535"),
    ("https://hooks.example.com:70000/", "its port is not a number from 1 to 65535"),
    ("https://h.example.com/" + "a" * 1024, "it is 1046 characters long"),
])
def test_urls_are_parsed(url, problem):
    msg = failure_of(check_url, "url", url)
    assert msg.startswith("url: ") and "(%s)" % problem in msg
    assert msg.endswith("give an absolute https:// or http:// URL with a host, at most 1024 characters, without "
                        "spaces or control characters")
