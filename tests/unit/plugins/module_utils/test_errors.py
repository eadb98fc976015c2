# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""errors.py: which failures are ambiguous, and Missing declarations applied to calls."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import (
    NOTHING_MISSING,
    CloudError,
    Missing,
    ModuleFailure,
    ParentPending,
    absent_if_any,
)

NAMESPACE_MISSING = Missing("NamespaceNotFound")
REPOSITORY_MISSING = Missing("RepositoryNotFound", "RepoNotFound")
NOT_FOUND_STATUS = Missing(statuses=(404,))


def failure(code=None, status=400):
    return CloudError("refused", status=status, code=code, request_id="req-9", service="kcrs",
                      operation="DescribeRepository")


def failing(exc):
    def call(*args, **kwargs):
        raise exc
    return call


def test_ambiguous_means_no_answer_or_a_server_error():
    assert failure(status=None).ambiguous
    assert failure(status=500).ambiguous and failure(status=503).ambiguous
    assert not failure(status=400).ambiguous and not failure(status=404).ambiguous


def test_cloud_error_says_what_failed():
    exc = failure("RepositoryNotFound", 404)
    assert str(exc) == "kcrs DescribeRepository failed: RepositoryNotFound: refused (request id req-9)"
    assert exc.to_dict() == dict(status=404, code="RepositoryNotFound", message="refused", request_id="req-9",
                                 service="kcrs", operation="DescribeRepository")


def test_missing_matches_its_codes_or_statuses_only():
    assert REPOSITORY_MISSING.matches(failure("RepoNotFound", 404))
    assert not REPOSITORY_MISSING.matches(failure("NamespaceNotFound", 404))
    assert NOT_FOUND_STATUS.matches(failure("Anything", 404))
    assert not NOT_FOUND_STATUS.matches(failure("Anything", 400))
    assert not NOTHING_MISSING.matches(failure("RepositoryNotFound", 404))
    assert not REPOSITORY_MISSING.matches(ValueError("RepositoryNotFound"))


def test_declarations_combine():
    either = NAMESPACE_MISSING | NOT_FOUND_STATUS
    assert either.matches(failure("NamespaceNotFound", 400))
    assert either.matches(failure("Other", 404))
    assert not either.matches(failure("Other", 400))


def test_absent_if_gives_the_answer_or_none_and_lets_other_failures_through():
    assert REPOSITORY_MISSING.absent_if(lambda a, b=0: a + b, 1, b=2) == 3
    assert REPOSITORY_MISSING.absent_if(failing(failure("RepositoryNotFound", 404))) is None
    other = failure("Throttling", 400)
    with pytest.raises(CloudError) as raised:
        REPOSITORY_MISSING.absent_if(failing(other))
    assert raised.value is other


def test_translate_turns_missing_into_the_users_failure():
    made = ModuleFailure("repository apps/web not found")
    assert REPOSITORY_MISSING.translate(lambda: made, lambda: "answer") == "answer"
    with pytest.raises(ModuleFailure) as raised:
        REPOSITORY_MISSING.translate(lambda: made, failing(failure("RepositoryNotFound", 404)))
    assert raised.value is made
    with pytest.raises(CloudError):
        REPOSITORY_MISSING.translate(lambda: made, failing(failure("Throttling", 400)))


def test_absent_if_any_tells_which_declaration_matched():
    declarations = (NAMESPACE_MISSING, REPOSITORY_MISSING)
    assert absent_if_any(declarations, lambda: [1]) == ([1], None)
    assert absent_if_any(declarations, failing(failure("NamespaceNotFound"))) == (None, NAMESPACE_MISSING)
    assert absent_if_any(declarations, failing(failure("RepoNotFound"))) == (None, REPOSITORY_MISSING)
    with pytest.raises(CloudError):
        absent_if_any(declarations, failing(failure("Throttling")))


def test_parent_pending_is_a_module_failure_with_its_message():
    pending = ParentPending("KCR instance new not found; check mode assumes an earlier task creates it")
    assert isinstance(pending, ModuleFailure)
    assert pending.msg.startswith("KCR instance new not found")


def test_resend_if_ambiguous_settles_by_reading_then_resends():
    from ansible_collections.cloudops.multicloud.plugins.module_utils.errors import resend_if_ambiguous
    sent = []

    def flaky():
        sent.append(1)
        if len(sent) < 3:
            raise CloudError("reset", code="ConnectionError")
        return "ok"

    assert resend_if_ambiguous(flaky, 3, settled=lambda: False) == "ok" and len(sent) == 3
    sent[:] = []
    assert resend_if_ambiguous(flaky, 3, settled=lambda: True) is None and len(sent) == 1
    sent[:] = []
    with pytest.raises(CloudError):
        resend_if_ambiguous(flaky, 2)

    def refused():
        sent.append(1)
        raise CloudError("bad", status=400, code="InvalidParameterValue")

    sent[:] = []
    with pytest.raises(CloudError):
        resend_if_ambiguous(refused, 5, settled=lambda: True)
    assert len(sent) == 1  # the server answered: nothing to settle, nothing to send again
