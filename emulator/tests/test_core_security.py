"""The emulator's own security: who may reach it, the admin token, masked state dumps, the TLS
directory, key files written safely, the state file 0600."""
import json
import os
import re
import stat
import subprocess
import sys
import urllib.request
from urllib.error import HTTPError

import pytest
from huaweicloudsdkkps.v3 import (CreateKeypairAction, CreateKeypairRequest,
                                  CreateKeypairRequestBody, Encryption, KeyProtection)

from cloudops_emulator.store import Store
from cloudops_emulator.tls import TLSDirectoryError, ensure_certificates

from huawei_support import KMS_ALIAS, client as huawei_client
from ksyun_support import client as ksyun_client, running_instance

TOKEN_HEADER = "X-Emulator-Admin-Token"
TOKEN_ENV = "CLOUDOPS_EMULATOR_ADMIN_TOKEN"
OTHER_UID = 54321


def _start(*args, env=None):
    """The emulator as a process; returns (process, url, the other lines printed at start)."""
    proc = subprocess.Popen([sys.executable, "-m", "cloudops_emulator", "--port", "0"] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, **(env or {})))
    line = proc.stdout.readline()
    match = re.search(r"listening on (\S+)", line)
    if not match:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
        pytest.fail("no 'listening on' first:\n%s%s\n%s" % (line, out, err), pytrace=False)
    return proc, match.group(1).replace("0.0.0.0", "127.0.0.1")


@pytest.fixture
def launch():
    processes = []

    def start(*args, env=None):
        proc, url = _start(*args, env=env)
        processes.append(proc)
        return proc, url

    yield start
    for proc in processes:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def _admin_status(url, token=None):
    headers = {TOKEN_HEADER: token} if token is not None else {}
    request = urllib.request.Request(url + "/__admin/state/kps", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def _run(*args):
    return subprocess.run([sys.executable, "-m", "cloudops_emulator", "--port", "0"] + list(args),
                          capture_output=True, text=True, timeout=30, check=False)


# --- who may reach it ---------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "emulator.example.com"])
def test_a_host_beyond_loopback_needs_expose(host):
    result = _run("--host", host)
    assert result.returncode == 2
    assert "--host %s: not a loopback address; add --expose" % host in result.stderr
    assert "Traceback" not in result.stderr and "listening" not in result.stdout


def test_expose_prints_what_it_exposes_and_generates_an_admin_token(launch):
    proc, url = launch("--host", "0.0.0.0", "--expose")
    token_line = proc.stdout.readline()
    token = re.fullmatch(r"admin token \(send it in the %s header\): (\S{40,})\n" % TOKEN_HEADER,
                         token_line).group(1)
    warning = [proc.stderr.readline() for _line in range(4)]
    assert warning[0] == "WARNING: --expose: listening on 0.0.0.0, reachable from other machines.\n"
    assert "access keys AKLTEMULATOR, AKLTEMULATORSTS, HWEMULATOR" in warning[1]
    assert "IAM users emulator" in warning[1]
    assert "every issued private key" in warning[2] and TOKEN_HEADER in warning[2]
    assert "clear text" in warning[3]
    assert _admin_status(url)[0] == 401
    assert _admin_status(url, token)[0] == 200


def test_an_admin_token_from_the_environment_is_required_and_not_printed(launch):
    proc, url = launch(env={TOKEN_ENV: "the-admin-token-0123456789"})
    assert _admin_status(url) == (401, {"error": "the admin API requires the admin token in the "
                                                 "%s header" % TOKEN_HEADER})
    assert _admin_status(url, "the-admin-token-wrong") == (403, {
        "error": "the %s header does not hold the admin token" % TOKEN_HEADER})
    assert _admin_status(url, "the-admin-token-0123456789")[0] == 200
    proc.terminate()
    out, err = proc.communicate(timeout=10)
    assert "the-admin-token-0123456789" not in out + err


def test_a_generated_admin_token_on_loopback(launch):
    proc, url = launch("--admin-token", "generate")
    token = proc.stdout.readline().rsplit(" ", 1)[1].strip()
    assert _admin_status(url)[0] == 401 and _admin_status(url, "generate")[0] == 403
    assert _admin_status(url, token)[0] == 200


def test_on_loopback_without_a_token_the_admin_api_stays_open(launch):
    _proc, url = launch()
    assert _admin_status(url)[0] == 200


# --- masked state dumps -------------------------------------------------------------------------

def _keypair(emulator, name, key_protection=None):
    body = CreateKeypairRequestBody(keypair=CreateKeypairAction(name=name,
                                                                key_protection=key_protection))
    return huawei_client(emulator, "kps").create_keypair(CreateKeypairRequest(body=body)).keypair


def _escrowed_keypair(emulator):
    return _keypair(emulator, "held", KeyProtection(encryption=Encryption(
        type="kms", kms_key_name=KMS_ALIAS)))


def _webhook_with_a_secret_header(emulator):
    kcrs = ksyun_client(emulator, "kcrs")
    instance_id = running_instance(emulator, kcrs)
    kcrs.create_namespace(InstanceId=instance_id, Namespace="hooks", Public=False)
    kcrs.create_webhook_trigger(**{
        "InstanceId": instance_id, "Namespace": "hooks", "Trigger.TriggerName": "ci",
        "Trigger.TriggerUrl": "https://ci.example.com/hook", "Trigger.EventType.1": "PushImage",
        "Trigger.Header.1.Key": "Authorization", "Trigger.Header.1.Value.1": "Bearer hook-secret"})


def test_state_dumps_mask_secrets_unless_asked(emulator):
    private_key = _escrowed_keypair(emulator).private_key
    _webhook_with_a_secret_header(emulator)
    masked = "<secret: add ?secrets=1 to see it>"

    kps = emulator.admin("GET", "/__admin/state/kps")
    assert private_key not in json.dumps(kps)
    [keypair] = [r["doc"] for r in kps["kinds"]["kps.keypair"] if r["name"] == "held"]
    assert keypair["private_key"] == masked and keypair["is_key_protection"] is True
    kcrs = emulator.admin("GET", "/__admin/state/kcrs")
    assert "hook-secret" not in json.dumps(kcrs)
    [trigger] = kcrs["kinds"]["kcrs.trigger"]
    assert trigger["doc"]["_headers"] == [{"Key": "Authorization", "Value": [masked]}]

    kps = emulator.admin("GET", "/__admin/state/kps?secrets=1")
    [keypair] = [r["doc"] for r in kps["kinds"]["kps.keypair"] if r["name"] == "held"]
    assert keypair["private_key"] == private_key
    kcrs = emulator.admin("GET", "/__admin/state/kcrs?secrets=1")
    assert kcrs["kinds"]["kcrs.trigger"][0]["doc"]["_headers"] == [
        {"Key": "Authorization", "Value": ["Bearer hook-secret"]}]


def test_a_keypair_without_a_secret_keeps_its_null(emulator):
    assert _keypair(emulator, "kept-by-its-owner").private_key  # returned once, not stored
    [record] = emulator.admin("GET", "/__admin/state/kps")["kinds"]["kps.keypair"]
    assert record["doc"]["private_key"] is None


def test_a_bad_secrets_value_is_refused(emulator):
    with pytest.raises(HTTPError) as exc:
        emulator.admin("GET", "/__admin/state/kps?secrets=yes")
    assert exc.value.code == 400
    assert json.loads(exc.value.read()) == {"error": "secrets: must be 0 or 1, not 'yes'"}


# --- the TLS directory --------------------------------------------------------------------------

def _mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_the_tls_directory_is_created_0700(tmp_path):
    old = os.umask(0o022)
    try:
        ensure_certificates(str(tmp_path / "tls"))
    finally:
        os.umask(old)
    assert _mode(tmp_path / "tls") == 0o700
    assert sorted(os.listdir(tmp_path / "tls")) == ["ca-key.pem", "ca.pem", "server-key.pem",
                                                    "server.pem"]


@pytest.mark.parametrize("mode", [0o770, 0o757, 0o777])
def test_a_tls_directory_writable_by_others_is_refused(tmp_path, mode):
    directory = tmp_path / "tls"
    directory.mkdir()
    os.chmod(directory, mode)
    with pytest.raises(TLSDirectoryError, match=r"tls is writable by group or others \(mode %04o\)"
                       % mode):
        ensure_certificates(str(directory))
    assert os.listdir(directory) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_a_tls_directory_of_another_user_is_refused(tmp_path):
    directory = tmp_path / "tls"
    directory.mkdir(mode=0o755)
    os.chown(directory, OTHER_UID, -1)
    with pytest.raises(TLSDirectoryError, match="belongs to uid %d, not to this user" % OTHER_UID):
        ensure_certificates(str(directory))


def test_a_symlinked_tls_directory_is_refused(tmp_path):
    (tmp_path / "real").mkdir(mode=0o700)
    os.symlink(tmp_path / "real", tmp_path / "tls")
    with pytest.raises(TLSDirectoryError, match="is not a directory"):
        ensure_certificates(str(tmp_path / "tls"))


def _planted(tmp_path):
    """A directory of ours holding a CA made elsewhere (copied in, then tampered with)."""
    ensure_certificates(str(tmp_path / "elsewhere"))
    directory = tmp_path / "tls"
    directory.mkdir(mode=0o700)
    for name in ("ca.pem", "ca-key.pem"):
        (directory / name).write_bytes((tmp_path / "elsewhere" / name).read_bytes())
        os.chmod(directory / name, 0o600)
    return directory


@pytest.mark.parametrize("tamper, message", [
    (lambda d: os.chmod(d / "ca-key.pem", 0o644), r"ca-key.pem is readable by group or others"),
    (lambda d: os.chmod(d / "ca.pem", 0o666), r"ca.pem is writable by group or others"),
    (lambda d: os.unlink(d / "ca-key.pem"), r"ca.pem is there without ca-key.pem"),
    (lambda d: (os.unlink(d / "ca.pem"),
                os.symlink(d.parent / "elsewhere" / "ca.pem", d / "ca.pem")),
     r"ca.pem is not a regular file"),
] + ([(lambda d: os.chown(d / "ca.pem", OTHER_UID, -1), r"ca.pem belongs to uid %d" % OTHER_UID)]
     if os.geteuid() == 0 else []))
def test_a_planted_ca_is_not_reused(tmp_path, tamper, message):
    directory = _planted(tmp_path)
    tamper(directory)
    before = {name: os.path.realpath(directory / name) for name in os.listdir(directory)}
    with pytest.raises(TLSDirectoryError, match=message):
        ensure_certificates(str(directory))
    assert {name: os.path.realpath(directory / name) for name in os.listdir(directory)} == before
    assert not os.path.exists(directory / "server.pem")


def test_a_ca_of_our_own_is_reused(tmp_path):
    directory = _planted(tmp_path)
    ca_before = (directory / "ca.pem").read_bytes()
    ensure_certificates(str(directory))
    assert (directory / "ca.pem").read_bytes() == ca_before
    assert _mode(directory / "server-key.pem") == 0o600 and _mode(directory / "server.pem") == 0o644


def test_the_cli_refuses_an_unsafe_tls_directory_cleanly(tmp_path):
    directory = tmp_path / "tls"
    directory.mkdir()
    os.chmod(directory, 0o777)
    result = _run("--tls-dir", str(directory))
    assert result.returncode == 2
    assert "cloudops-emulator: --tls-dir: %s is writable by group or others (mode 0777)" % directory \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_key_files_are_never_written_through_a_planted_link(tmp_path):
    directory = tmp_path / "tls"
    directory.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    for name in ("ca-key.pem", "server-key.pem", "ca.pem", "server.pem"):
        # the names the key files used to be written under first
        os.symlink(victim, directory / (name + ".tmp"))
    ensure_certificates(str(directory))
    assert victim.read_text() == "untouched"
    files = sorted(name for name in os.listdir(directory) if not os.path.islink(directory / name))
    assert files == ["ca-key.pem", "ca.pem", "server-key.pem", "server.pem"]  # no temp file left


# --- the state file -----------------------------------------------------------------------------

def test_the_state_file_is_0600_whatever_the_umask(tmp_path):
    path = tmp_path / "state.db"
    old = os.umask(0o002)
    try:
        store = Store(str(path))
        store.insert("kps.keypair", "1", {"private_key": "-----BEGIN PRIVATE KEY-----"})
    finally:
        os.umask(old)
    try:
        written = sorted(name for name in os.listdir(tmp_path))
        assert written == ["state.db", "state.db-shm", "state.db-wal"]
        assert {name: _mode(tmp_path / name) for name in written} == dict.fromkeys(written, 0o600)
    finally:
        store.close()


def test_an_existing_state_file_is_made_0600(tmp_path):
    path = tmp_path / "state.db"
    path.write_bytes(b"")
    os.chmod(path, 0o644)
    Store(str(path)).close()
    assert _mode(path) == 0o600


def test_a_symlinked_state_file_is_refused_cleanly(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("")
    os.chmod(victim, 0o644)
    os.symlink(victim, tmp_path / "state.db")
    result = _run("--state", str(tmp_path / "state.db"))
    assert result.returncode == 2
    assert "cloudops-emulator: --state %s:" % (tmp_path / "state.db") in result.stderr
    assert "Traceback" not in result.stderr
    assert _mode(victim) == 0o644
