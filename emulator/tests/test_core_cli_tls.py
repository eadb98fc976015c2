"""The console script: HTTPS with the generated CA, --fixtures, --state, clean errors."""
import os
import re
import ssl
import stat
import subprocess
import sys
import types

import pytest
import requests
import yaml

from admin_client import admin_call
from ksyun_support import call, ok

from kscore.session import get_session


@pytest.fixture
def launch(tmp_path):
    processes = []

    def start(*args):
        proc = subprocess.Popen([sys.executable, "-m", "cloudops_emulator", "--port", "0"]
                                + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        processes.append(proc)
        line = proc.stdout.readline()
        match = re.search(r"listening on (\S+)", line)
        if not match:  # stopped first: reading stderr to its end must not wait on a running server
            proc.terminate()
            out, err = proc.communicate(timeout=10)
            pytest.fail("no 'listening on' first on stdout:\n--- stdout ---\n%s%s\n--- stderr ---\n%s"
                        % (line, out, err), pytrace=False)
        return proc, match.group(1)

    yield start
    for proc in processes:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def test_https_with_generated_ca(launch, tmp_path):
    tls_dir = str(tmp_path / "tls")
    _proc, url = launch("--tls-dir", tls_dir)
    assert url.startswith("https://127.0.0.1:")
    ca = os.path.join(tls_dir, "ca.pem")
    assert stat.S_IMODE(os.stat(os.path.join(tls_dir, "ca-key.pem")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.join(tls_dir, "server-key.pem")).st_mode) == 0o600
    # A signed KSYUN call over HTTPS, verified against the generated CA. Signed with botocore and
    # sent with requests: kscore's vendored urllib3 cannot open TLS connections on Python 3.12+
    # (it needs ssl.wrap_socket, which 3.12 removed).
    assert ok(call(types.SimpleNamespace(url=url), "kcrs", "DescribeInstance", verify=ca))["TotalCount"] == 0
    localhost = url.replace("127.0.0.1", "localhost")
    assert admin_call(localhost, "GET", "/__admin/health",
                      context=ssl.create_default_context(cafile=ca)) == {"status": "ok"}
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url + "/__admin/health", timeout=10)


def test_ca_is_reused_across_restarts(launch, tmp_path):
    tls_dir = str(tmp_path / "tls")
    first, _first_url = launch("--tls-dir", tls_dir)
    with open(os.path.join(tls_dir, "ca.pem")) as handle:
        ca_before = handle.read()
    first.terminate()
    first.wait(timeout=10)
    _restarted, url = launch("--tls-dir", tls_dir)
    with open(os.path.join(tls_dir, "ca.pem")) as handle:
        assert handle.read() == ca_before
    ca = os.path.join(tls_dir, "ca.pem")
    assert requests.get(url + "/__admin/health", verify=ca, timeout=10).json() == {
        "status": "ok"}


def test_fixtures_file_and_state_file(launch, tmp_path):
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text(yaml.safe_dump({
        "settings": {"kcrs": {"namespace_quota": 7}},
        "ksyun": {"access_keys": [{"access_key": "AKLTCUSTOM", "secret_key": "custom-secret"}],
                  "kcrs": {"instances": [{"InstanceName": "from-file", "InstanceId": "f-1"}]}},
    }))
    state = str(tmp_path / "state.db")
    proc, url = launch("--fixtures", str(fixtures), "--state", state)
    kcrs = get_session().create_client("kcrs", "cn-beijing-6", ks_access_key_id="AKLTCUSTOM",
                                       ks_secret_access_key="custom-secret", endpoint_url=url,
                                       use_ssl=False)
    assert kcrs.describe_instance_usage(InstanceId="f-1")["NamespaceQuota"] == 7
    kcrs.create_namespace(InstanceId="f-1", Namespace="kept", Public=True)
    proc.terminate()
    proc.wait(timeout=10)
    _proc, url = launch("--fixtures", str(fixtures), "--state", state)
    kcrs = get_session().create_client("kcrs", "cn-beijing-6", ks_access_key_id="AKLTCUSTOM",
                                       ks_secret_access_key="custom-secret", endpoint_url=url,
                                       use_ssl=False)
    names = [n["Namespace"] for n in kcrs.describe_namespace(InstanceId="f-1")["NamespaceSet"]]
    assert names == ["kept"]


def test_bad_fixtures_file_exits_with_a_message(tmp_path):
    fixtures = tmp_path / "broken.yaml"
    fixtures.write_text("ksyun: [unclosed")
    result = subprocess.run([sys.executable, "-m", "cloudops_emulator", "--port", "0",
                             "--fixtures", str(fixtures)], capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 2
    assert "cannot read fixtures" in result.stderr and "Traceback" not in result.stderr
