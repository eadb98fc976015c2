"""Both inventory plugins refuse a plain http:// endpoint URL whose host is not loopback, before
any request, naming their own option (or the environment variable it came from) and the opt-in;
allow_insecure_http (or CLOUDOPS_ALLOW_INSECURE_HTTP) opts in. The emulator stands in for a
plain-HTTP forward proxy (HTTP_PROXY) in front of a non-loopback host, so an opted-in listing
really goes over http:// to that host name and comes back."""

import pytest

from inventory_support import ansible_env, inventory, inventory_list, labelled, registries, write_yaml

REMOTE = "http://cloud.example.invalid:8080"
OPT_IN = ("opt in with allow_insecure_http: true (or CLOUDOPS_ALLOW_INSECURE_HTTP=true)")


@pytest.fixture
def env(emulator, tmp_path):
    emulator.reset(settings={"cgs_rate_limit": 0}, ksyun=registries(2),
                   huawei={"generate": {"kps.keypair": {"count": 2, "region": "cn-north-4"}}})
    emulator.clear_calls()
    env = ansible_env(emulator.url, str(tmp_path))
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "CLOUDOPS_ALLOW_INSECURE_HTTP"):
        env.pop(name, None)
    return env


def through_proxy(env, emulator):
    """Every endpoint is REMOTE, reached through the emulator acting as an HTTP proxy (IAM too: a
    service endpoint that is not loopback does not take IAM's calls unless IAM's own names it)."""
    return dict(env, HTTP_PROXY=emulator.url, KSYUN_ENDPOINT_URL=REMOTE, HUAWEICLOUD_ENDPOINT_URL=REMOTE,
                HUAWEICLOUD_SDK_IAM_ENDPOINT=REMOTE)


def instances_file(tmp_path, **options):
    config = {"plugin": "cloudops.multicloud.instances", "cgs_regions": ["cn-south-4"]}
    config.update(options)
    return write_yaml(tmp_path / "test.instances.yml", config)


def keypairs_file(tmp_path, **options):
    config = {"plugin": "cloudops.multicloud.keypairs", "regions": ["cn-north-4"]}
    config.update(options)
    return write_yaml(tmp_path / "audit.keypairs.yml", config)


def refused(env, source):
    code, out, err = inventory(env, source, "--list")
    assert code != 0, labelled(out, err)
    return " ".join(err.split())


@pytest.mark.parametrize("options, message", [
    ({"huaweicloud_endpoint_url": "http://10.1.2.3:8080"}, "huaweicloud_endpoint_url: refused plain http:// to 10.1.2.3:"),
    ({"sources": ["kcr"], "ksyun_endpoint_url": "http://kcrs.example.com"},
     "ksyun_endpoint_url: refused plain http:// to kcrs.example.com:"),
])
def test_instances_refuses_a_remote_http_option(emulator, env, tmp_path, options, message):
    text = refused(env, instances_file(tmp_path, **options))
    assert message in text and "only a loopback host (127.0.0.0/8, ::1, localhost)" in text and OPT_IN in text
    assert emulator.calls() == {}


@pytest.mark.parametrize("variable, sources, message", [
    ("HUAWEICLOUD_ENDPOINT_URL", ["cgs"], "huaweicloud_endpoint_url: refused plain http:// to cloud.example.invalid "
                                          "(from the HUAWEICLOUD_ENDPOINT_URL environment variable):"),
    ("KSYUN_ENDPOINT_URL", ["kcr"], "ksyun_endpoint_url: refused plain http:// to cloud.example.invalid "
                                    "(from the KSYUN_ENDPOINT_URL environment variable):"),
])
def test_instances_refuses_a_remote_http_variable(emulator, env, tmp_path, variable, sources, message):
    text = refused(dict(env, **{variable: REMOTE}), instances_file(tmp_path, sources=sources))
    assert message in text and OPT_IN in text
    assert emulator.calls() == {}


def test_keypairs_refuses_a_remote_http_endpoint(emulator, env, tmp_path):
    text = refused(dict(env, HUAWEICLOUD_ENDPOINT_URL=REMOTE), keypairs_file(tmp_path))
    assert ("endpoint_url: refused plain http:// to cloud.example.invalid (from the HUAWEICLOUD_ENDPOINT_URL "
            "environment variable):") in text and OPT_IN in text
    assert "endpoint_url: refused plain http:// to 192.0.2.7:" in refused(
        env, keypairs_file(tmp_path, endpoint_url="http://192.0.2.7"))
    assert emulator.calls() == {}


def test_instances_opted_in_by_option_lists_over_http(emulator, env, tmp_path):
    # CGS only: the emulator checks a KSYUN signature against the request target, which a proxy
    # gets in absolute form.
    source = instances_file(tmp_path, sources=["cgs"], allow_insecure_http=True)
    listing, _out, _err = inventory_list(through_proxy(env, emulator), source, tmp_path / "out.json")
    assert sorted(listing["_meta"]["hostvars"]) == ["build-host", "cce-node-1", "cce-node-2"]
    assert emulator.calls()["cgs:ListContainerNodes"] >= 1


def test_keypairs_opted_in_by_variable_lists_over_http(emulator, env, tmp_path):
    env = dict(through_proxy(env, emulator), CLOUDOPS_ALLOW_INSECURE_HTTP="true")
    listing, _out, _err = inventory_list(env, keypairs_file(tmp_path), tmp_path / "out.json")
    assert sorted(listing["_meta"]["hostvars"]) == ["bulk-key-00001", "bulk-key-00002"]


@pytest.mark.parametrize("url", ["http://localhost:%d", "http://127.0.0.1:%d"])
def test_loopback_http_needs_no_opt_in(emulator, env, tmp_path, url):
    url = url % emulator.server.server_address[1]
    source = keypairs_file(tmp_path, endpoint_url=url)
    listing, _out, _err = inventory_list(env, source, tmp_path / "out.json")
    assert len(listing["_meta"]["hostvars"]) == 2
