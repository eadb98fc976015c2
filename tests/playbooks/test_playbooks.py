"""The collection's playbooks (playbooks/*.yml) run with real ansible-playbook against the emulator.

Every playbook runs in check mode (nothing written, the run goes through) and for real; the demo
also a second time with changed=0. What the playbooks did is checked through the emulator's call
counters and the files they wrote, not through their own output only.
"""
import glob
import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(os.path.abspath(sys.executable))
CTL = os.path.join(ROOT, "tools", "emulator_ctl.py")
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
READ = re.compile(r"^(Keystone)?(Describe|List|Show|Get)")


class Emulator:
    def __init__(self, url):
        self.url = url

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def calls(self):
        """The calls counted since the last reset or clear, then clear."""
        calls = self.admin("GET", "/__admin/stats")["calls"]
        self.admin("DELETE", "/__admin/stats")
        return calls

    def writes(self, calls):
        return {op: n for op, n in calls.items() if not READ.match(op.split(":", 1)[1])}


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("emulator"))
    url = subprocess.run([sys.executable, CTL, "start", directory], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    try:
        yield Emulator(url)
    finally:
        subprocess.run([sys.executable, CTL, "stop", directory], check=False)


@pytest.fixture
def cloud(emulator):
    """A fresh account: the emulator reset to its fixtures, waits shortened."""
    emulator.admin("POST", "/__admin/reset")
    emulator.admin("POST", "/__admin/settings", {"cgs_rate_limit": 0, "delays": {
        "kcrs.instance": 0, "kcrs.internal_endpoint": 0, "kcrs.dns": 0}})
    emulator.admin("DELETE", "/__admin/stats")
    return emulator


class Run:
    """One ansible-playbook run, its two streams apart: the default callback prints task results
    and the PLAY RECAP on stdout, where they are read; warnings and errors go to stderr, where a
    dependency may print its own (a deprecation warning at every start)."""

    def __init__(self, proc):
        self.rc = proc.returncode
        self.stdout, self.stderr = proc.stdout, proc.stderr
        recap = RECAP.search(self.stdout)
        self.ok, self.changed, _unreachable, self.failed = (int(g) for g in recap.groups()) if recap else (0, 0, 0, 1)

    def shows(self, text):
        """Whether either stream holds ``text``: what must never be printed is looked for in both."""
        return text in self.stdout or text in self.stderr

    @property
    def streams(self):
        """Both streams for a failure message, each under its name (the last 6000 characters)."""
        return "--- stdout ---\n%s\n--- stderr ---\n%s" % (self.stdout[-6000:].rstrip("\n"),
                                                           self.stderr[-6000:].rstrip("\n"))

    def __repr__(self):
        return self.streams


def play(emulator, name, *args, check=False):
    """ansible-playbook cloudops.multicloud.<name> (or a playbook file) against the emulator."""
    env = dict(os.environ)
    link = os.path.join(ROOT, "build", "collections", "ansible_collections", "cloudops", "multicloud")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, "build", "collections"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1", "ANSIBLE_STDOUT_CALLBACK": "default",
        "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "KSYUN_ACCESS_KEY": "AKLTEMULATOR", "KSYUN_SECRET_KEY": "emulator-ksyun-secret",
        "KSYUN_ENDPOINT_URL": emulator.url,
        "HUAWEICLOUD_SDK_AK": "HWEMULATOR", "HUAWEICLOUD_SDK_SK": "emulator-huawei-secret",
        "HW_REGION_NAME": "cn-north-4", "HUAWEICLOUD_ENDPOINT_URL": emulator.url,
    })
    playbook = name if name.endswith(".yml") else "cloudops.multicloud." + name
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", playbook]
    cmd += list(args) + (["--check"] if check else [])
    return Run(subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, check=False))


def test_every_playbook_begins_with_what_it_does_its_variables_and_an_example():
    for name in sorted(os.listdir(os.path.join(ROOT, "playbooks"))):
        if not name.endswith(".yml"):
            continue
        with open(os.path.join(ROOT, "playbooks", name)) as handle:
            header = handle.read().split("\n- name:", 1)[0]
        assert header.startswith("---\n# "), name
        assert "# Variables:" in header, name
        assert "# Example" in header and "cloudops.multicloud." + name[:-4] in header, name


# -- demo -------------------------------------------------------------------------------------------

def test_demo_in_check_mode_on_a_fresh_account_goes_through_without_writing(cloud, tmp_path):
    run = play(cloud, "demo", "-e", "demo_output_dir=%s" % tmp_path, check=True)
    assert run.rc == 0 and run.failed == 0, run.streams
    assert run.changed > 0, run.streams
    assert "None" not in re.sub(r'"[a-z_]+": None', "", run.stdout.split("PLAY RECAP")[0]), run.streams
    assert "None" not in run.stderr, run.streams
    assert cloud.writes(cloud.calls()) == {}
    assert not os.path.exists(tmp_path / "kcr-ci-push-token.json")


def test_demo_builds_everything_then_changes_nothing(cloud, tmp_path):
    first = play(cloud, "demo", "-e", "demo_output_dir=%s" % tmp_path)
    assert first.rc == 0 and first.changed > 0, first.streams
    first_writes = cloud.writes(cloud.calls())
    assert first_writes["kcrs:CreateInstance"] == 1
    assert first_writes["kcrs:CreateNamespace"] == 2
    assert first_writes["kcrs:CreateInstanceToken"] == 1
    assert first_writes["bws:CreateBandWidthShare"] == 1
    assert first_writes["bws:AssociateBandWidthShare"] == 2
    assert first_writes["kps:CreateKeypair"] == 1
    assert first_writes["vpcep:CreateEndpointService"] == 1 and first_writes["vpcep:CreateEndpoint"] == 1
    token_file = tmp_path / "kcr-ci-push-token.json"
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    assert sorted(json.loads(token_file.read_text())) == ["expire_time", "token", "username"]
    private_key = tmp_path / "demo-deploy.pem"
    assert oct(private_key.stat().st_mode & 0o777) == "0o600"
    assert "PRIVATE KEY-----" in private_key.read_text()
    assert not first.shows(private_key.read_text()) and not first.shows(json.loads(token_file.read_text())["token"])
    report = json.loads((tmp_path / "reports" / "container-guard-audit.json").read_text())
    assert [f["host_name"] for f in report["findings"]] == ["build-host", "cce-node-2"]
    assert "Inventory demo.instances.yml: hosts cce-node-1, cce-node-2, build-host, demo-registry;" in first.stdout, first.streams
    assert "Inventory demo.keypairs.yml: hosts demo-deploy;" in first.stdout, first.streams

    second = play(cloud, "demo", "-e", "demo_output_dir=%s" % tmp_path)
    assert second.rc == 0 and second.changed == 0, second.streams
    assert cloud.writes(cloud.calls()) == {}


# -- rotate_registry_token --------------------------------------------------------------------------

REGISTRY_PLAY = """\
- name: A registry with a push token
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.kcr_registry
      vars:
        kcr_registry_spec:
          name: team-registry
          push_token: {description: ci-push, token_type: Hour, token_time: 12, file: "%s"}
"""


def test_rotate_registry_token_in_check_mode_then_for_real(cloud, tmp_path):
    token_file = tmp_path / "ci-push.json"
    setup = tmp_path / "registry.yml"
    setup.write_text(REGISTRY_PLAY % token_file)
    assert play(cloud, str(setup)).rc == 0
    before = json.loads(token_file.read_text())
    cloud.calls()
    rotate = ("rotate_registry_token", "-e", "registry_name=team-registry", "-e", "token_file=%s" % token_file)

    check = play(cloud, *rotate, check=True)
    assert check.rc == 0 and check.changed == 1, check.streams
    assert "Would replace credential ci-push of registry team-registry" in check.stdout, check.streams
    assert cloud.writes(cloud.calls()) == {}
    assert json.loads(token_file.read_text()) == before

    run = play(cloud, *rotate)
    assert run.rc == 0 and run.changed == 2, run.streams
    assert cloud.writes(cloud.calls()) == {"kcrs:DeleteInstanceToken": 1, "kcrs:CreateInstanceToken": 1}
    after = json.loads(token_file.read_text())
    assert after["token"] != before["token"]
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    assert not run.shows(after["token"])

    # The new credential keeps the old one's validity: the role that made it is still satisfied.
    again = play(cloud, str(setup))
    assert again.rc == 0 and again.changed == 0, again.streams
    assert json.loads(token_file.read_text()) == after


def test_rotate_registry_token_names_the_missing_variables_before_any_call(cloud, tmp_path):
    run = play(cloud, "rotate_registry_token", "-e", "registry_name=demo-registry")
    assert run.rc != 0
    assert "rotate_registry_token needs registry_name (the KCR instance) and token_file" in run.stdout, run.streams
    assert cloud.calls() == {}


def test_kcr_registry_absent_deletes_the_registry_and_its_token_file(cloud, tmp_path):
    token_file = tmp_path / "ci-push.json"
    setup = tmp_path / "registry.yml"
    setup.write_text(REGISTRY_PLAY % token_file)
    assert play(cloud, str(setup)).rc == 0
    assert token_file.exists()
    absent = tmp_path / "absent.yml"
    absent.write_text(REGISTRY_PLAY.replace("name: team-registry", "name: team-registry\n          state: absent")
                      % token_file)
    cloud.calls()

    check = play(cloud, str(absent), check=True)
    assert check.rc == 0 and check.changed == 2, check.streams
    assert cloud.writes(cloud.calls()) == {} and token_file.exists()

    run = play(cloud, str(absent))
    assert run.rc == 0 and run.changed == 2, run.streams
    assert cloud.writes(cloud.calls()) == {"kcrs:DeleteInstance": 1}
    assert not token_file.exists()

    again = play(cloud, str(absent))
    assert again.rc == 0 and again.changed == 0, again.streams


# -- audit_container_guard --------------------------------------------------------------------------

def test_audit_container_guard_reports_and_fails_past_the_threshold(cloud, tmp_path):
    reports = tmp_path / "reports"
    audit = ("audit_container_guard", "-e", "container_guard_audit_region=cn-south-4",
             "-e", "container_guard_audit_report_dir=%s" % reports)

    check = play(cloud, *audit, "-e", "container_guard_audit_max_findings=2", check=True)
    assert check.rc == 0 and check.changed == 3, check.streams
    assert not reports.exists()

    run = play(cloud, *audit, "-e", "container_guard_audit_max_findings=2")
    assert run.rc == 0 and run.changed == 3, run.streams
    assert "2 of 3 nodes have findings (tolerated: 2)" in run.stdout, run.streams
    report = json.loads((reports / "container-guard-audit.json").read_text())
    assert [(f["host_name"], f["problems"]) for f in report["findings"]] == [
        ("build-host", ["agent_not_installed", "protection_closed"]),
        ("cce-node-2", ["agent_offline", "protection_closed"])]
    assert "| cce-node-2 | 7d2f3b1e-5c4a-4e8f-9b6d-0a1c2e3f4a5b | SHUTOFF | offline | closed |" in (
        reports / "container-guard-audit.md").read_text()

    strict = play(cloud, *audit)
    assert strict.rc == 2 and strict.failed == 1, strict.streams
    assert "2 of 3 nodes have findings, more than the 0 tolerated: build-host (agent not installed, " \
           "protection closed); cce-node-2 (agent offline, protection closed)" in strict.stdout, strict.streams
    assert json.loads((reports / "container-guard-audit.json").read_text())["passed"] is False
    assert cloud.calls()["cgs:ListContainerNodes"] == 3


def test_audit_container_guard_reports_are_for_their_owner_only(cloud, tmp_path):
    audit = ("audit_container_guard", "-e", "container_guard_audit_region=cn-south-4",
             "-e", "container_guard_audit_max_findings=2")
    reports = tmp_path / "reports"
    run = play(cloud, *audit, "-e", "container_guard_audit_report_dir=%s" % reports)
    assert run.rc == 0, run.streams
    assert oct(reports.stat().st_mode & 0o777) == "0o700"
    assert sorted((p.name, oct(p.stat().st_mode & 0o777)) for p in reports.iterdir()) == [
        ("container-guard-audit.json", "0o600"), ("container-guard-audit.md", "0o600")]

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    run = play(cloud, *audit, "-e", "container_guard_audit_report_dir=%s" % shared,
               "-e", "container_guard_audit_report_mode=0640")
    assert run.rc == 0, run.streams
    assert oct(shared.stat().st_mode & 0o777) == "0o755"
    assert sorted(oct(p.stat().st_mode & 0o777) for p in shared.iterdir()) == ["0o640", "0o640"]


# -- rotate_ssh_keypair -----------------------------------------------------------------------------

SERVERS = ["e1c50000-0000-4000-8000-000000000001", "e1c50000-0000-4000-8000-000000000002"]
KEYPAIR_PLAY = """\
- name: Servers with the old keypair
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.ssh_access
      vars:
        ssh_access_keypair_name: deploy-old
        ssh_access_private_key_path: "%s/deploy-old.pem"
        ssh_access_server_ids: %s
"""


def _server_keypairs(cloud):
    servers = cloud.admin("GET", "/__admin/state/ecs")["kinds"]["ecs.server"]
    return {s["doc"]["name"]: s["doc"]["keypair_name"] for s in servers}


def _keypair_names(cloud):
    return [k["name"] for k in cloud.admin("GET", "/__admin/state/kps")["kinds"].get("kps.keypair", [])]


def test_rotate_ssh_keypair_in_check_mode_then_for_real_then_again(cloud, tmp_path):
    setup = tmp_path / "keypair.yml"
    setup.write_text(KEYPAIR_PLAY % (tmp_path, json.dumps(SERVERS)))
    assert play(cloud, str(setup)).rc == 0
    cloud.calls()
    rotate = ("rotate_ssh_keypair", "-e", "old_keypair=deploy-old", "-e", "new_keypair=deploy-new",
              "-e", "private_key_dir=%s" % tmp_path, "-e", json.dumps({"server_ids": SERVERS}))

    check = play(cloud, *rotate, check=True)
    assert check.rc == 0 and check.changed == 3, check.streams
    assert "deploy-new: would be created" in check.stdout and "deploy-old: would be deleted" in check.stdout, check.streams
    assert cloud.writes(cloud.calls()) == {}
    assert not (tmp_path / "deploy-new.pem").exists()

    run = play(cloud, *rotate)
    assert run.rc == 0, run.streams
    writes = cloud.writes(cloud.calls())
    assert writes["kps:CreateKeypair"] == 1 and writes["kps:DeleteKeypair"] == 1
    assert _keypair_names(cloud) == ["deploy-new"]
    assert _server_keypairs(cloud) == {"ecs-web-1": "deploy-new", "ecs-web-2": "deploy-new", "ecs-stopped": None}
    assert oct((tmp_path / "deploy-new.pem").stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "deploy-old.pem").exists()
    assert not run.shows("PRIVATE KEY")

    again = play(cloud, *rotate)
    assert again.rc == 0 and again.changed == 0, again.streams
    assert cloud.writes(cloud.calls()) == {}


def test_rotate_ssh_keypair_keeps_the_old_keypair_when_asked(cloud, tmp_path):
    setup = tmp_path / "keypair.yml"
    setup.write_text(KEYPAIR_PLAY % (tmp_path, json.dumps(SERVERS)))
    assert play(cloud, str(setup)).rc == 0
    cloud.calls()

    run = play(cloud, "rotate_ssh_keypair", "-e", "old_keypair=deploy-old", "-e", "new_keypair=deploy-new",
               "-e", "private_key_dir=%s" % tmp_path, "-e", json.dumps({"server_ids": SERVERS[:1]}),
               "-e", "keep_old_keypair=true")
    assert run.rc == 0, run.streams
    assert "deploy-old: kept (keep_old_keypair)" in run.stdout, run.streams
    assert "kps:DeleteKeypair" not in cloud.writes(cloud.calls())
    assert sorted(_keypair_names(cloud)) == ["deploy-new", "deploy-old"]
    assert _server_keypairs(cloud) == {"ecs-web-1": "deploy-new", "ecs-web-2": "deploy-old", "ecs-stopped": None}


def test_rotate_ssh_keypair_names_the_missing_variables_before_any_call(cloud):
    run = play(cloud, "rotate_ssh_keypair", "-e", "old_keypair=a", "-e", "new_keypair=b")
    assert run.rc != 0
    assert "rotate_ssh_keypair needs old_keypair, new_keypair (a different name) and server_ids" in run.stdout, run.streams
    assert cloud.calls() == {}


# -- resize_bandwidth_pool --------------------------------------------------------------------------

POOL_PLAY = """\
- name: A shared bandwidth
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.bandwidth_pool
      vars:
        bandwidth_pool_name: web-egress
        bandwidth_pool_bandwidth: 50
        bandwidth_pool_line_id: 5fc2595f-1bfd-481b-bf64-2d08f116d800
        bandwidth_pool_eips: [9f4b2a10-0000-4000-8000-000000000001]
"""


def test_resize_bandwidth_pool_in_check_mode_then_for_real_then_again(cloud, tmp_path):
    setup = tmp_path / "pool.yml"
    setup.write_text(POOL_PLAY)
    assert play(cloud, str(setup)).rc == 0
    cloud.calls()
    resize = ("resize_bandwidth_pool", "-e", "pool_name=web-egress", "-e", "bandwidth=200")

    check = play(cloud, *resize, check=True)
    assert check.rc == 0 and check.changed == 1, check.streams
    assert "50 Mbps would be 200 Mbps, for 1 EIPs" in check.stdout, check.streams
    assert cloud.writes(cloud.calls()) == {}

    run = play(cloud, *resize)
    assert run.rc == 0 and run.changed == 1, run.streams
    assert cloud.writes(cloud.calls()) == {"bws:ModifyBandWidthShare": 1}
    pools = [p["doc"] for p in cloud.admin("GET", "/__admin/state/bws")["kinds"]["bws.share"]]
    assert [(p["BandWidthShareName"], p["BandWidth"]) for p in pools] == [("web-egress", 200)]

    again = play(cloud, *resize)
    assert again.rc == 0 and again.changed == 0, again.streams
    assert cloud.writes(cloud.calls()) == {}
    # Only the bandwidth changed: the pool still holds its EIP.
    eips = cloud.admin("GET", "/__admin/state/bws")["kinds"]["bws.eip"]
    members = [e["doc"]["AllocationId"] for e in eips if e["doc"].get("BandWidthShareId") == pools[0]["BandWidthShareId"]]
    assert members == ["9f4b2a10-0000-4000-8000-000000000001"]


def test_resize_bandwidth_pool_refuses_a_missing_pool_and_bad_input_before_any_write(cloud):
    missing = play(cloud, "resize_bandwidth_pool", "-e", "pool_name=nope", "-e", "bandwidth=100")
    assert missing.rc != 0
    assert "No shared bandwidth pool named nope in the account's default project" in missing.stdout, missing.streams
    bad = play(cloud, "resize_bandwidth_pool", "-e", "pool_name=nope", "-e", "bandwidth=lots")
    assert bad.rc != 0 and "bandwidth, the new bandwidth in Mbps (1 to 15000)" in bad.stdout, bad.streams
    assert cloud.writes(cloud.calls()) == {}


# -- approve_endpoint_connections -------------------------------------------------------------------

SERVICE_PLAY = """\
- name: A service with approval, nobody whitelisted
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.vpcep_publish
      vars:
        vpcep_publish_name: orders-api
        vpcep_publish_vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
        vpcep_publish_port_id: a1b2c3d4-0000-4000-8000-000000000001
        vpcep_publish_ports: [{client_port: 443, server_port: 8443}]
"""
PARTNER, OTHER = "b7e3c4a1d2f64e5a9c8b7a6f5e4d3c2b", "c8f4d5b2e3a75f6b0d9c8b7a6f5e4d3c"


def published_service(cloud, tmp_path):
    """SERVICE_PLAY's endpoint service, published with the emulator's VPCEP delays off: its id."""
    cloud.admin("POST", "/__admin/settings", {"delays": {"vpcep.service": 0, "vpcep.endpoint": 0,
                                                         "vpcep.connection": 0}})
    setup = tmp_path / "service.yml"
    setup.write_text(SERVICE_PLAY)
    assert play(cloud, str(setup)).rc == 0
    return cloud.admin("GET", "/__admin/state/vpcep")["kinds"]["vpcep.service"][0]["doc"]["id"]


def _endpoint_statuses(cloud):
    endpoints = cloud.admin("GET", "/__admin/state/vpcep")["kinds"].get("vpcep.endpoint", [])
    return {e["doc"]["domain_id"]: e["doc"]["status"] for e in endpoints}


def test_approve_endpoint_connections_accepts_one_account_and_rejects_another(cloud, tmp_path):
    service_id = published_service(cloud, tmp_path)
    for domain in (PARTNER, OTHER):
        cloud.admin("POST", "/__admin/vpcep/connect", {"service_id": service_id, "domain_id": domain})
    cloud.calls()
    approve = ("approve_endpoint_connections", "-e", "service_name=orders-api", "-e", json.dumps({"accounts": [PARTNER]}))

    check = play(cloud, *approve, check=True)
    assert check.rc == 0 and check.changed == 1, check.streams
    assert cloud.writes(cloud.calls()) == {}
    assert set(_endpoint_statuses(cloud).values()) == {"pendingAcceptance"}

    run = play(cloud, *approve)
    assert run.rc == 0 and run.changed == 1, run.streams
    assert _endpoint_statuses(cloud) == {PARTNER: "accepted", OTHER: "pendingAcceptance"}
    assert play(cloud, *approve).changed == 0

    other = [e["doc"]["id"] for e in cloud.admin("GET", "/__admin/state/vpcep")["kinds"]["vpcep.endpoint"]
             if e["doc"]["domain_id"] == OTHER]
    reject = play(cloud, "approve_endpoint_connections", "-e", "service_name=orders-api", "-e", "decision=reject",
                  "-e", json.dumps({"endpoint_ids": other}), "-e", "reason=no contract")
    assert reject.rc == 0 and reject.changed == 1, reject.streams
    assert _endpoint_statuses(cloud) == {PARTNER: "accepted", OTHER: "rejected"}


def test_approve_endpoint_connections_names_what_is_missing_before_any_write(cloud):
    nothing = play(cloud, "approve_endpoint_connections", "-e", "service_name=orders-api")
    assert nothing.rc != 0 and "endpoint_ids and/or accounts as lists" in nothing.stdout, nothing.streams
    missing = play(cloud, "approve_endpoint_connections", "-e", "service_name=nope", "-e", json.dumps({"accounts": [PARTNER]}))
    assert missing.rc != 0 and "0 endpoint services named nope in this project" in missing.stdout, missing.streams
    assert cloud.writes(cloud.calls()) == {}


# -- scan_image (the scan_on_push rulebook's playbook) ----------------------------------------------

SCAN_REGISTRY_PLAY = """\
- name: A registry with a namespace
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: The registry
      cloudops.multicloud.kcr_instance:
        name: scan-registry
      register: registry
    - name: Its namespace
      cloudops.multicloud.kcr_namespace:
        instance_id: "{{ registry.instance.instance_id }}"
        name: apps
"""


def test_scan_image_in_check_mode_then_for_real_then_while_the_scan_runs(cloud, tmp_path):
    setup = tmp_path / "registry.yml"
    setup.write_text(SCAN_REGISTRY_PLAY)
    assert play(cloud, str(setup)).rc == 0
    cloud.admin("POST", "/__admin/settings", {"delays": {"kcrs.scan": 60}})
    image = {"instance_name": "scan-registry", "namespace": "apps", "repository": "api", "tag": "2.0"}
    pushed = cloud.admin("POST", "/__admin/kcr/push", image)
    cloud.calls()
    scan = ("scan_image", "-e", "kcr_instance_id=%s" % pushed["InstanceId"], "-e", "kcr_namespace=apps",
            "-e", "kcr_repository=api", "-e", "kcr_digest=%s" % pushed["ImageId"])

    check = play(cloud, *scan, check=True)
    assert check.rc == 0 and check.changed == 1, check.streams
    assert cloud.writes(cloud.calls()) == {}

    run = play(cloud, *scan)
    assert run.rc == 0 and run.changed == 1, run.streams
    assert "apps/api@%s: scan started" % pushed["ImageId"] in run.stdout, run.streams
    assert cloud.writes(cloud.calls()) == {"kcrs:StartImageScan": 1}

    again = play(cloud, *scan)
    assert again.rc == 0 and again.changed == 0 and "a scan was already under way" in again.stdout, again.streams


def test_scan_image_names_what_is_missing_before_any_call(cloud):
    run = play(cloud, "scan_image", "-e", "kcr_namespace=apps", "-e", "kcr_repository=api", "-e", "kcr_tag=1")
    assert run.rc != 0 and "scan_image needs kcr_instance_id" in run.stdout, run.streams
    assert cloud.calls() == {}


# -- one check-mode rule for every module that writes a file ------------------------------------------
# A directory that an earlier task of the play would make is a warning in check mode, not a failure:
# a fresh --check --diff of a playbook whose first task makes the directory and whose later tasks
# write into it goes through, writes nothing and creates nothing.

# Every module that writes a file does it through SecretHandover (secret_handover.py), with the
# option named here; the playbook below has a task for each.
FILE_OPTIONS = {"kcr_token": "token_file", "ssh_keypair": "private_key_path"}

FILES_PLAYBOOK = """\
- name: Files written into a directory the first task makes
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: The directory
      ansible.builtin.file:
        path: "{out}"
        state: directory
        mode: "0700"

    - name: A registry
      cloudops.multicloud.kcr_instance:
        name: files-registry

    - name: kcr_token writes token_file
      cloudops.multicloud.kcr_token:
        instance_name: files-registry
        description: ci-push
        token_type: Day
        token_time: 3
        token_file: "{out}/token.json"

    - name: ssh_keypair writes private_key_path
      cloudops.multicloud.ssh_keypair:
        name: files-key
        private_key_path: "{out}/files-key.pem"
"""


def modules_writing_files():
    found = {}
    for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")):
        with open(path) as handle:
            match = re.search(r'SecretHandover\(self, "(\w+)"', handle.read())
        if match:
            found[os.path.basename(path)[:-3]] = match.group(1)
    return found


def test_every_module_that_writes_a_file_is_in_the_playbook():
    assert modules_writing_files() == FILE_OPTIONS
    for module, option in FILE_OPTIONS.items():
        assert "cloudops.multicloud.%s:" % module in FILES_PLAYBOOK and "%s:" % option in FILES_PLAYBOOK


def test_a_fresh_check_diff_run_warns_about_the_directory_and_goes_through(cloud, tmp_path):
    out = tmp_path / "made-by-the-first-task"
    playbook = tmp_path / "files.yml"
    playbook.write_text(FILES_PLAYBOOK.format(out=out))

    run = play(cloud, str(playbook), "--diff", check=True)

    assert run.rc == 0 and run.failed == 0, run.streams
    assert run.changed == 4, run.streams
    for option in FILE_OPTIONS.values():
        assert "%s: directory %s does not exist; check mode assumes an earlier task creates it" % (option, out) \
            in re.sub(r"\s+", " ", run.stderr), run.streams
    assert cloud.writes(cloud.calls()) == {}
    assert not out.exists()
