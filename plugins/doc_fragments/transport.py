# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # How every module and plugin talks to either cloud (module_utils/cloud_options.py
    # transport_argument_spec). endpoint_url stays in the cloud fragments: its environment
    # variable and default host differ per cloud; allow_insecure_http, which governs it, is here.
    DOCUMENTATION = r"""
options:
  allow_insecure_http:
    description:
      - Allow a C(http://) O(endpoint_url) on a host that is not loopback; if not set,
        E(CLOUDOPS_ALLOW_INSECURE_HTTP).
      - B(Over plain HTTP everything travels in clear), signatures, tokens, passwords and the
        secrets the cloud returns included. Use it only on a trusted network.
    type: bool
    default: false
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the endpoint; prefer O(ca_bundle) for a private CA.
    type: bool
    default: true
  ca_bundle:
    description:
      - Path to a PEM file of CA certificates to verify the endpoint's certificate with.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times to retry a throttled call, or a read that met a server error or a dropped
        connection, with backoff (0.5 seconds doubling, at most 20; five minutes per call at most).
      - A write is sent again only when the cloud surely did not act on it, so a retry never
        makes a duplicate. An endpoint that cannot be reached is retried at most twice.
      - V(0) fails on the first error. The collection's troubleshooting guide has the details.
    type: int
    default: 10
notes:
  - Requests go through the proxies named by E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY).
"""

    PLUGINS = r"""
options:
  allow_insecure_http:
    description:
      - Allow a plain C(http://) endpoint URL whose host is not loopback (C(localhost),
        C(127.0.0.0/8), C(::1)); without it such an endpoint fails before a request is sent.
      - B(Over plain HTTP everything travels in clear) - request signatures, security tokens, the
        IAM password, IAM tokens and returned secrets.
    type: bool
    default: false
    env:
      - name: CLOUDOPS_ALLOW_INSECURE_HTTP
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the endpoint.
    type: bool
    default: true
  ca_bundle:
    description:
      - Path to a PEM file of CA certificates to verify the endpoint's certificate with.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times to retry a throttled call, or a read that met a server error or a dropped
        connection, with exponential backoff and jitter; an endpoint that cannot be reached or
        does not answer within O(timeout) is retried at most twice.
    type: int
    default: 10
"""
