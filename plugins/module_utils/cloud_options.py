# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every cloud client shares (endpoint, certificates, timeout, retries): their argument
spec entries, their validation, and the ``Transport`` built from them.

Validation raises ``ValueError("<option>: <rule>")``; modules turn that into ``fail_json``. Secret
values are never quoted in these messages.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import UNREACHABLE_RETRIES, Transport

DEFAULT_TIMEOUT = 30.0
# Retries of a call to an endpoint that answers but is having a bad day. Each attempt there fails
# with some probability p; a call fails when all 1 + retries attempts do (p ** 11 with 10), and a
# run of n calls when any call does (1 - (1 - p ** 11) ** n). At p = 0.4 (the drills' 20% 5xx, 10%
# throttling, 10% dropped or lost answers) and n = 115 (playbooks/demo.yml), that is 0.5% of runs,
# against 69% with 4 retries. The backoff (full jitter, 0.5 s doubling, capped at 20 s) adds about
# 0.4 s per call on such a day, and at most 112 s to a call that uses all ten; the call's deadline
# (5 minutes) bounds it either way. docs/troubleshooting.md has the table.
DEFAULT_RETRIES = 10
DEADLINE = 300.0
INSECURE_HTTP_ENV = "CLOUDOPS_ALLOW_INSECURE_HTTP"

_PRINTABLE_TOKEN = re.compile(r"\A[\x21-\x7e]+\Z")


def transport_argument_spec(endpoint_env):
    """The connection options shared by both clouds; ``endpoint_env`` names the endpoint's env var."""
    return dict(
        endpoint_url=dict(type="str", fallback=(env_fallback, [endpoint_env])),
        allow_insecure_http=dict(type="bool", default=False, fallback=(env_fallback, [INSECURE_HTTP_ENV])),
        validate_certs=dict(type="bool", default=True),
        ca_bundle=dict(type="path"),
        timeout=dict(type="float", default=DEFAULT_TIMEOUT),
        retries=dict(type="int", default=DEFAULT_RETRIES),
    )


def require(params, option, env_names):
    """The option's value, or ValueError naming the option and where it may come from."""
    value = params.get(option)
    if value is None or value == "":
        raise ValueError("%s: required; set the %s option or the %s environment variable"
                         % (option, option, " or ".join(env_names)))
    return value


def check_token(option, value):
    """A key, secret or token must be printable ASCII without spaces (the value is not echoed)."""
    if value is None:
        return None
    if not isinstance(value, str) or not _PRINTABLE_TOKEN.match(value):
        raise ValueError("%s: must be a non-empty string of printable ASCII characters without spaces"
                         % option)
    return value


def check_endpoint_url(params, endpoint_env, option="endpoint_url"):
    """params' ``option`` (``endpoint_url``, or another URL option such as ``iam_endpoint_url``)
    without its trailing slash, or None when not set.

    ``endpoint_env`` names the environment variable the value may have come from. Plain http://
    is accepted for a loopback host only (the emulator), unless ``allow_insecure_http`` is true.
    """
    value = params.get(option)
    if value is None or value == "":
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("%s: must be an http:// or https:// URL with a host name, got %r"
                         % (option, _without_userinfo(value)))
    if parts.username or parts.password:
        raise ValueError("%s: must not carry a user name or password" % option)
    if parts.scheme == "http" and not is_loopback(parts.hostname) and params.get("allow_insecure_http") is not True:
        from_env = os.environ.get(endpoint_env) == value
        raise ValueError(_plain_http_refusal(option, parts.hostname, endpoint_env if from_env else None))
    return value.rstrip("/")


def is_loopback_url(url):
    """Whether ``url``'s host names this machine."""
    return is_loopback((urlsplit(url).hostname or "").lower())


def is_loopback(host):
    """Whether ``host`` (a URL's host name, lower case, without brackets) names this machine."""
    if host.rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _plain_http_refusal(option, host, endpoint_env):
    source = " (from the %s environment variable)" % endpoint_env if endpoint_env else ""
    return ("%s: refused plain http:// to %s%s: only a loopback host (127.0.0.0/8, ::1, localhost) is "
            "reached without TLS, because request signatures, security tokens, the IAM password, IAM tokens and "
            "returned secrets would travel in clear; use https://, or opt in with allow_insecure_http: true "
            "(or %s=true)" % (option, host, source, INSECURE_HTTP_ENV))


def _without_userinfo(value):
    return re.sub(r"//[^/@]*@", "//", value)


def check_transport_options(params):
    """Validated timeout, retries, validate_certs and ca_bundle (defaults for missing keys)."""
    timeout = params.get("timeout")
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        raise ValueError("timeout: must be a number of seconds, got %r" % (timeout,))
    if not timeout > 0:
        raise ValueError("timeout: must be greater than 0, got %s" % timeout)

    retries = params.get("retries")
    retries = DEFAULT_RETRIES if retries is None else retries
    try:
        retries = int(retries)
    except (TypeError, ValueError):
        raise ValueError("retries: must be a whole number, got %r" % (retries,))
    if retries < 0:
        raise ValueError("retries: must be 0 or more, got %d" % retries)

    ca_bundle = params.get("ca_bundle") or None
    if ca_bundle is not None and not os.path.isfile(ca_bundle):
        raise ValueError("ca_bundle: no such file: %s" % ca_bundle)

    validate_certs = params.get("validate_certs")
    return dict(timeout=timeout, retries=retries, ca_bundle=ca_bundle,
                validate_certs=True if validate_certs is None else bool(validate_certs))


def build_transport(options, trace=None):
    """A Transport for validated options (see ``check_transport_options``)."""
    # Five minutes per call, sleeps included, unless the attempts that may each wait the whole
    # timeout (an endpoint that does not answer) need longer.
    deadline = max(DEADLINE, options["timeout"] * (min(options["retries"], UNREACHABLE_RETRIES) + 1))
    return Transport(timeout=options["timeout"], retries=options["retries"], deadline=deadline,
                     validate_certs=options["validate_certs"], ca_bundle=options["ca_bundle"], trace=trace)
