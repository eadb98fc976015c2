# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection and credential options of every Huawei Cloud module (module_utils/huaweicloud.py
    # huawei_argument_spec). Keep both variants in step with that spec;
    # the transport options (validate_certs, ca_bundle, timeout, retries) are in the transport fragment.
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - Huawei Cloud access key ID (AK); if not set, E(HUAWEICLOUD_SDK_AK) or E(HW_ACCESS_KEY).
      - Give O(access_key) and O(secret_key), or O(auth_username), O(auth_password) and
        O(auth_domain).
    type: str
  secret_key:
    description:
      - Huawei Cloud secret access key (SK); if not set, E(HUAWEICLOUD_SDK_SK) or
        E(HW_SECRET_KEY). Never logged or returned.
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials; if not set,
        E(HUAWEICLOUD_SDK_SECURITY_TOKEN).
    type: str
  region:
    description:
      - Huawei Cloud region, such as V(cn-north-4); if not set, E(HW_REGION_NAME). Required.
    type: str
  project_id:
    description:
      - ID of the project the resources belong to; if not set, E(HUAWEICLOUD_SDK_PROJECT_ID) or
        E(HW_PROJECT_ID), else the project named like the region, looked up in IAM.
    type: str
  auth_username:
    description:
      - IAM user name for password authentication, instead of an access key.
    type: str
  auth_password:
    description:
      - Password of O(auth_username). Never logged or returned.
    type: str
  auth_domain:
    description:
      - Name of the account (IAM domain) O(auth_username) belongs to.
    type: str
  endpoint_url:
    description:
      - Base URL of every service request instead of
        C(https://<service>.<region>.myhuaweicloud.com), such as a proxy or the local emulator
        (V(http://127.0.0.1:8080)); if not set, E(HUAWEICLOUD_ENDPOINT_URL). IAM requests go
        there too when it is a loopback URL.
      - C(https://), or C(http://) on a loopback host; see O(allow_insecure_http).
    type: str
  iam_endpoint_url:
    description:
      - Base URL of IAM (token, project lookup); if not set, E(HUAWEICLOUD_SDK_IAM_ENDPOINT), else
        O(endpoint_url) when it is a loopback URL, else C(https://iam.<region>.myhuaweicloud.com).
      - C(https://), or C(http://) on a loopback host; see O(allow_insecure_http).
    type: str
notes:
  - Huawei Cloud modules belong to the action group C(cloudops.multicloud.huaweicloud); set these
    options once per play with C(module_defaults).
"""

    PLUGINS = r"""
options:
  access_key:
    description:
      - Huawei Cloud access key ID (AK).
      - Give either O(access_key) and O(secret_key), or O(auth_username), O(auth_password) and
        O(auth_domain).
    type: str
    env:
      - name: HUAWEICLOUD_SDK_AK
      - name: HW_ACCESS_KEY
  secret_key:
    description:
      - Huawei Cloud secret access key (SK). Never logged or returned.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_SK
      - name: HW_SECRET_KEY
  security_token:
    description:
      - Security token of temporary AK/SK credentials.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_SECURITY_TOKEN
  region:
    description:
      - Huawei Cloud region, for example V(cn-north-4).
      - Required, from the option or the environment.
    type: str
    env:
      - name: HW_REGION_NAME
  project_id:
    description:
      - ID of the project the resources belong to; looked up through IAM by region name when not set.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_PROJECT_ID
      - name: HW_PROJECT_ID
  auth_username:
    description:
      - IAM user name for password authentication, the alternative to AK/SK.
    type: str
  auth_password:
    description:
      - Password of O(auth_username). Never logged or returned.
    type: str
  auth_domain:
    description:
      - Name of the account (IAM domain) O(auth_username) belongs to.
    type: str
  endpoint_url:
    description:
      - Base URL to send every service request to instead of
        C(https://<service>.<region>.myhuaweicloud.com), for example the local emulator.
      - IAM requests go there too only when it is a loopback URL; see O(iam_endpoint_url).
      - Must be C(https://), except for a loopback host (C(localhost), C(127.0.0.0/8), C(::1)),
        unless O(allow_insecure_http) is set.
    type: str
    env:
      - name: HUAWEICLOUD_ENDPOINT_URL
  iam_endpoint_url:
    description:
      - Base URL of IAM, for the token and the project lookup. If not set, O(endpoint_url) when it
        is a loopback URL, else C(https://iam.<region>.myhuaweicloud.com).
      - Must be C(https://), except for a loopback host, unless O(allow_insecure_http) is set.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_IAM_ENDPOINT
"""
