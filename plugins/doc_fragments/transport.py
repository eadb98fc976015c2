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
      - Allow a plain C(http://) O(endpoint_url) whose host is not loopback. Without it, C(http://)
        is accepted only for C(localhost), C(127.0.0.0/8) and C(::1) (the local emulator), and any
        other C(http://) endpoint fails before a request is sent.
      - B(Over plain HTTP everything travels in clear) - request signatures (replayable until they
        expire), security tokens, the IAM password and the IAM tokens of Huawei Cloud password
        authentication, and the secrets the cloud returns (registry tokens, private keys). Turn
        this on only for a trusted network, such as a test endpoint on a private link.
      - If not set, the value of the E(CLOUDOPS_ALLOW_INSECURE_HTTP) environment variable is used.
    type: bool
    default: false
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the endpoint.
      - Turn this off only for test endpoints; prefer O(ca_bundle) for a private CA.
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
      - How many times to retry a call that was throttled, or a read that met a server error or a
        dropped connection, with exponential backoff and full jitter (0.5 seconds doubling per
        retry, at most 20 seconds; C(Retry-After) is honoured). Each call gives up after five
        minutes, sleeps included.
      - A write is retried only when the server surely did not act on it (throttled, connection
        refused); a write that may have acted is settled by reading the resource again, and sent
        again within the same budget only when nothing happened.
      - An endpoint that cannot be reached (connection refused, unknown host) or does not answer
        within O(timeout) is retried at most twice whatever this says, so a wrong O(endpoint_url)
        or region fails within seconds. A C(http://) endpoint that closes every connection
        without an answer (a TLS port) is tried six times at most, and one that answers in TLS
        is not retried; both errors say to use C(https://).
      - The default rides out a bad day of the cloud (40% of attempts failing costs a run of a
        hundred calls about 0.4 seconds per call and fails it less than once in a hundred); set
        V(0) to fail on the first error.
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
