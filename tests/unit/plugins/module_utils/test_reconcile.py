# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""reconcile.py: what to add and remove, in order, without duplicates."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.multicloud.plugins.module_utils.reconcile import reconcile_dict, reconcile_set


def test_set_adds_the_missing_and_removes_the_extra_in_their_order():
    assert reconcile_set(["a", "b", "c"], ["d", "b", "e"]) == (["d", "e"], ["a", "c"])


def test_set_without_purge_keeps_the_extra():
    assert reconcile_set(["a", "b"], ["b", "c"], purge=False) == (["c"], [])


def test_set_desired_none_leaves_the_members_alone():
    assert reconcile_set(["a"], None) == ([], [])


def test_set_from_nothing_and_to_nothing():
    assert reconcile_set(None, ["a"]) == (["a"], [])
    assert reconcile_set(["a", "b"], []) == ([], ["a", "b"])


def test_set_holds_no_duplicates():
    assert reconcile_set(["x", "x"], ["a", "a", "b"]) == (["a", "b"], ["x"])


def test_set_compares_by_key_and_returns_the_members():
    current = [{"id": "1", "desc": "old"}, {"id": "2"}]
    desired = [{"id": "1", "desc": "new"}, {"id": "3"}]
    assert reconcile_set(current, desired, key=lambda m: m["id"]) == ([{"id": "3"}], [{"id": "2"}])


def test_set_equal_members_need_nothing():
    assert reconcile_set(["b", "a"], ["a", "b"]) == ([], [])


def test_dict_sets_new_and_changed_values_and_unsets_the_rest():
    assert reconcile_dict({"env": "dev", "team": "a", "old": "x"}, {"env": "prod", "team": "a", "new": "y"}) == (
        {"env": "prod", "new": "y"}, ["old"])


def test_dict_without_purge_and_with_none():
    assert reconcile_dict({"old": "x"}, {"new": "y"}, purge=False) == ({"new": "y"}, [])
    assert reconcile_dict({"old": "x"}, None) == ({}, [])
    assert reconcile_dict(None, {"a": "1"}) == ({"a": "1"}, [])
