# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection and credential options of every KSYUN module (module_utils/ksyun.py
    # ksyun_argument_spec). Keep both variants in step with that spec;
    # the transport options (validate_certs, ca_bundle, timeout, retries) are in the transport fragment.
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - KSYUN access key ID; if not set, E(KSYUN_ACCESS_KEY) or E(KS_ACCESS_KEY_ID). Required.
    type: str
  secret_key:
    description:
      - KSYUN secret access key; if not set, E(KSYUN_SECRET_KEY) or E(KS_SECRET_ACCESS_KEY).
        Required. Never logged or returned.
    type: str
  security_token:
    description:
      - Security token of temporary (STS) credentials; if not set, E(KSYUN_SECURITY_TOKEN).
    type: str
  region:
    description:
      - KSYUN region, such as V(cn-shanghai-2); if not set, E(KSYUN_REGION), else V(cn-beijing-6).
    type: str
    default: cn-beijing-6
  endpoint_url:
    description:
      - Base URL of every request instead of C(https://<service>.api.ksyun.com), such as a proxy
        or the local emulator (V(http://127.0.0.1:8080)); if not set, E(KSYUN_ENDPOINT_URL).
      - C(https://), or C(http://) on a loopback host; see O(allow_insecure_http).
    type: str
notes:
  - KSYUN modules belong to the action group C(cloudops.multicloud.ksyun); set these options once
    per play with C(module_defaults).
"""

    PLUGINS = r"""
options:
  access_key:
    description:
      - KSYUN access key ID.
      - Required, from the option or the environment.
    type: str
    env:
      - name: KSYUN_ACCESS_KEY
      - name: KS_ACCESS_KEY_ID
  secret_key:
    description:
      - KSYUN secret access key. Never logged or returned.
      - Required, from the option or the environment.
    type: str
    env:
      - name: KSYUN_SECRET_KEY
      - name: KS_SECRET_ACCESS_KEY
  security_token:
    description:
      - Security token of temporary (STS) credentials.
    type: str
    env:
      - name: KSYUN_SECURITY_TOKEN
  region:
    description:
      - KSYUN region, for example V(cn-beijing-6); part of the request signature only.
    type: str
    default: cn-beijing-6
    env:
      - name: KSYUN_REGION
  endpoint_url:
    description:
      - Base URL to send every request to instead of C(https://<service>.api.ksyun.com), for
        example the local emulator.
      - Must be C(https://), except for a loopback host (C(localhost), C(127.0.0.0/8), C(::1)),
        unless O(allow_insecure_http) is set.
    type: str
    env:
      - name: KSYUN_ENDPOINT_URL
"""
