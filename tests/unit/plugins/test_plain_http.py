# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A plain http:// endpoint_url is refused before any request unless its host is loopback or the
user opted in with allow_insecure_http (option or CLOUDOPS_ALLOW_INSECURE_HTTP), for the modules
of both clouds; https:// is untouched. The emulated cloud answers whatever host a URL names, so
an accepted URL shows as a module that listed its resources, a refused one as a failure that
sent nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.multicloud.plugins.modules.cgs_node_info import CgsNodeInfo
from ansible_collections.cloudops.multicloud.plugins.modules.kcr_instance_info import KcrInstanceInfo

KSYUN_SECRET = "ksyun-secret-never-shown-0001"
HUAWEI_SECRET = "huawei-secret-never-shown-0001"
PASSWORD = "iam-password-never-shown-0001"
OPT_IN_ENV = "CLOUDOPS_ALLOW_INSECURE_HTTP"
CLOUDS = {
    "ksyun": (KcrInstanceInfo, dict(access_key="AKLTUNIT", secret_key=KSYUN_SECRET), "KSYUN_ENDPOINT_URL"),
    "huawei": (CgsNodeInfo, dict(access_key="HWUNIT", secret_key=HUAWEI_SECRET, region="cn-south-4"),
               "HUAWEICLOUD_ENDPOINT_URL"),
}
SECRETS = (KSYUN_SECRET, HUAWEI_SECRET, PASSWORD)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in (OPT_IN_ENV, "KSYUN_ENDPOINT_URL", "HUAWEICLOUD_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)


def run(cloud, name, **args):
    module_class, credentials, _env = CLOUDS[name]
    cloud.set_cgs_nodes([], settings={"cgs_rate_limit": 0})
    result = cloud.run(module_class, dict(credentials, **args))
    for secret in SECRETS:
        assert secret not in json.dumps(result)
    return result


def listed(result, cloud):
    """The module succeeded and its listing reached the cloud."""
    return not result.failed and len(cloud.calls) > 0


def refusal(host, env=None):
    source = " (from the %s environment variable)" % env if env else ""
    return ("endpoint_url: refused plain http:// to %s%s: only a loopback host (127.0.0.0/8, ::1, localhost) is "
            "reached without TLS, because request signatures, security tokens, the IAM password, IAM tokens and "
            "returned secrets would travel in clear; use https://, or opt in with allow_insecure_http: true "
            "(or CLOUDOPS_ALLOW_INSECURE_HTTP=true)" % (host, source))


@pytest.mark.parametrize("name", sorted(CLOUDS))
@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://127.10.20.30:9", "http://[::1]:8080/",
                                 "http://localhost:8080", "http://LocalHost:8080", "https://api.example.com",
                                 "https://203.0.113.9:8443"])
def test_loopback_http_and_any_https_are_used(cloud, name, url):
    assert listed(run(cloud, name, endpoint_url=url), cloud)


@pytest.mark.parametrize("name", sorted(CLOUDS))
@pytest.mark.parametrize("url, host", [
    ("http://api.example.com", "api.example.com"),
    ("http://10.0.0.5:8080/", "10.0.0.5"),
    ("http://[2001:db8::1]:8080", "2001:db8::1"),
    ("http://localhost.example.com:8080", "localhost.example.com"),
    ("http://127.0.0.1.example.com", "127.0.0.1.example.com"),
    ("http://0.0.0.0:8080", "0.0.0.0"),
])
def test_other_http_hosts_are_refused_before_any_request(cloud, name, url, host):
    result = run(cloud, name, endpoint_url=url)
    assert result.failed and result["msg"] == refusal(host)
    assert cloud.calls == []


@pytest.mark.parametrize("name", sorted(CLOUDS))
def test_an_endpoint_from_the_environment_is_refused_naming_the_variable(cloud, monkeypatch, name):
    env = CLOUDS[name][2]
    monkeypatch.setenv(env, "http://api.example.com:8080")
    result = run(cloud, name)
    assert result.failed and result["msg"] == refusal("api.example.com", env)
    assert cloud.calls == []


@pytest.mark.parametrize("name", sorted(CLOUDS))
def test_the_option_opts_in(cloud, name):
    assert listed(run(cloud, name, endpoint_url="http://api.example.com", allow_insecure_http=True), cloud)


@pytest.mark.parametrize("name", sorted(CLOUDS))
def test_the_environment_variable_opts_in(cloud, monkeypatch, name):
    monkeypatch.setenv(OPT_IN_ENV, "true")
    monkeypatch.setenv(CLOUDS[name][2], "http://10.0.0.5:8080")
    assert listed(run(cloud, name), cloud)


@pytest.mark.parametrize("name", sorted(CLOUDS))
def test_opting_out_explicitly_still_refuses(cloud, monkeypatch, name):
    monkeypatch.setenv(OPT_IN_ENV, "true")
    result = run(cloud, name, endpoint_url="http://api.example.com", allow_insecure_http=False)
    assert result.failed and result["msg"] == refusal("api.example.com")
    monkeypatch.setenv(OPT_IN_ENV, "false")
    assert run(cloud, name, endpoint_url="http://api.example.com")["msg"] == refusal("api.example.com")
    assert cloud.calls == []


IAM_USER = dict(region="cn-south-4", auth_username="emulator", auth_password=PASSWORD, auth_domain="emulator")


def test_the_iam_password_is_not_sent_to_a_plain_http_endpoint(cloud):
    result = cloud.run(CgsNodeInfo, dict(IAM_USER, endpoint_url="http://iam.example.com"))
    assert result.failed and result["msg"] == refusal("iam.example.com")
    assert PASSWORD not in json.dumps(result)
    assert cloud.calls == []  # not even POST /v3/auth/tokens


def test_an_opted_in_plain_http_endpoint_gets_the_iam_password(cloud):
    users = cloud.fixtures("huawei")
    users["users"][0]["password"] = PASSWORD
    cloud.reset(settings={"cgs_rate_limit": 0}, huawei=users)
    result = cloud.run(CgsNodeInfo, dict(IAM_USER, endpoint_url="http://iam.example.com", allow_insecure_http=True))
    assert not result.failed, result
    assert [c.operation for c in cloud.calls][:1] == ["KeystoneCreateUserTokenByPassword"]
