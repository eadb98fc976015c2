"""Failure drills: does the collection converge when the cloud has a bad day?

  1. secrets at -vvvv: the demo at -vvvv on a fresh account, its output scanned for every secret
     in play (the credentials, and the token and private-key files the run wrote); what this
     fault-free run leaves in the cloud is the baseline of 2;
  2. faults: playbooks/demo.yml under injected server errors, throttling, dropped connections
     and lost answers (the cloud acts, the answer never arrives), once per seed; then a second,
     fault-free run, which must change nothing. Counts: first runs that converged, duplicates
     and lost resources in the cloud's own state (/__admin/state), second runs with changed=0;
  3. races: each task of RACE_PLAY (KCR namespace, webhook, token, shared bandwidth, keypair,
     endpoint service, endpoint) for N hosts in N forks, in two ansible-playbook runs at once:
     failed module runs and duplicates;
  4. cut secrets: the answer carrying a new secret (KCR CreateInstanceToken, KPS CreateKeypair of a
     generated pair) cut short before, inside and after the secret (the emulator's cut_rate fault),
     the module run at -vvvv: no 8-character fragment of the lost secret (nor of the one kept) in
     the output, one live credential each, and a warning saying it was made again.
  5. roles at -vvvv: every role with a marker in each secret field (ROLES_PLAY), its output and
     Ansible's log scanned for the markers, the credentials and the secrets the run wrote; it runs
     after the other four, on an emulator of its own.
Writes bench/results/drills.md (a line per seed on stderr as it goes); exits non-zero when a goal
is missed. `make drills-short` (in `make test`) runs one seed and races of three forks.

    python tools/drills.py [--seeds 10] [--parallel 5] [--jobs 2] [--output bench/results/drills.md]

The first four drills run at the same time, each on an emulator of its own, and the seeds are shared
among --jobs emulators.
"""

import argparse
import collections
import concurrent.futures
import glob
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

from cloudops_emulator.core import load_fixture_document

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)
FAULTS = {"service": "all", "error_rate": 0.2, "throttle_rate": 0.1, "drop_rate": 0.05, "lose_rate": 0.05}
SERVICES = ("kcrs", "bws", "kps", "vpcep", "cgs")
RACE_RUNS = 2

RACE_PLAY = """\
- name: Same tasks in parallel
  hosts: all:!localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Namespace
      cloudops.multicloud.kcr_namespace:
        instance_id: "{instance_id}"
        name: race-ns
    - name: Webhook
      cloudops.multicloud.kcr_webhook:
        instance_id: "{instance_id}"
        namespace: race-ns
        name: race-hook
        url: https://deploy.example.com/hook
        event_types: [PushImage]
    - name: Token
      cloudops.multicloud.kcr_token:
        instance_id: "{instance_id}"
        description: race-token
        token_type: Day
        token_time: 7
        token_file: "{token_dir}/race-token.json"
    - name: Shared bandwidth (names are not unique)
      cloudops.multicloud.bandwidth_share:
        name: race-pool
        line_id: 5fc2595f-1bfd-481b-bf64-2d08f116d800
        charge_type: Peak
        bandwidth: 10
    - name: Keypair
      cloudops.multicloud.ssh_keypair:
        name: race-key
        public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBFGhGNW0RLJbdG8EGYsBHTHUo1cYgXAg0KYYNq5oC0q race@cloudops
    - name: Endpoint service (names are not unique)
      cloudops.multicloud.vpcep_service:
        name: race-svc
        vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
        server_type: VM
        port_id: a1b2c3d4-0000-4000-8000-000000000001
        ports: [{{client_port: 443, server_port: 9444}}]
        approval_enabled: false
      register: race_service
    - name: Endpoint (nothing stops a second one from the same VPC)
      cloudops.multicloud.vpcep_endpoint:
        service_id: "{{{{ race_service.service.id }}}}"
        vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
        subnet_id: 5e6f7a8b-0000-4000-8000-000000000001
        port_ip: 192.168.0.62
"""

# Every role, each secret field holding a marker (-e @vars); the token file and private keys the
# run writes are secrets too. ssh_access runs twice: its keypair is bound with the servers' root
# password, then replaced by a second one with the first one's private key, as
# playbooks/rotate_ssh_keypair.yml does.
ROLES_PLAY = """\
- name: kcr_registry with webhook secret headers and a push token
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.kcr_registry
      vars:
        kcr_registry_spec:
          name: vvv-registry
          namespaces: [{name: vvv-builds}]
          push_token: {description: vvv-push, token_type: Day, token_time: 7, file: "{{ roles_dir }}/push.json"}
          webhooks:
            - namespace: vvv-builds
              name: with-secrets
              url: https://deploy.example.com/hooks/kcr
              headers: {X-Source: drill}
              secret_headers: "{{ secret_headers }}"
            - {namespace: vvv-builds, name: without-secrets, url: https://deploy.example.com/hooks/plain}
- name: ssh_access bound with the servers' password
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.ssh_access
      vars:
        ssh_access_keypair_name: vvv-first
        ssh_access_private_key_path: "{{ roles_dir }}/vvv-first.pem"
        ssh_access_server_ids: "{{ server_ids }}"
        ssh_access_server_password: "{{ server_password }}"
- name: ssh_access bound with the first keypair's private key
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.ssh_access
      vars:
        ssh_access_keypair_name: vvv-second
        ssh_access_private_key_path: "{{ roles_dir }}/vvv-second.pem"
        ssh_access_server_ids: "{{ server_ids }}"
        ssh_access_server_private_key: "{{ lookup('ansible.builtin.file', roles_dir ~ '/vvv-first.pem') }}"
- name: vpcep_publish with a consumer endpoint made with another key
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.vpcep_publish
      vars:
        vpcep_publish_name: vvv-api
        vpcep_publish_vpc_id: 4dfe5c6e-0000-4000-8000-000000000001
        vpcep_publish_port_id: a1b2c3d4-0000-4000-8000-000000000001
        vpcep_publish_ports: [{client_port: 443, server_port: 8443}]
        vpcep_publish_consumer: "{{ consumer }}"
- name: bandwidth_pool and container_guard_audit (no secret fields; the credentials only)
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: cloudops.multicloud.bandwidth_pool
      vars:
        bandwidth_pool_name: vvv-pool
        bandwidth_pool_bandwidth: 10
        bandwidth_pool_line_id: 5fc2595f-1bfd-481b-bf64-2d08f116d800
        bandwidth_pool_eips: [9f4b2a10-0000-4000-8000-000000000001]
    - role: cloudops.multicloud.container_guard_audit
      vars:
        container_guard_audit_region: cn-south-4
        container_guard_audit_max_findings: 100
        container_guard_audit_report_dir: "{{ roles_dir }}/reports"
"""


CUT_PLAY = """\
- name: A secret-bearing create whose answer is cut short
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Token
      when: what == 'token'
      cloudops.multicloud.kcr_token:
        instance_id: "{{ instance_id }}"
        description: "cut-{{ case }}"
        token_type: Day
        token_time: 7
        token_file: "{{ outdir }}/cut-{{ case }}.json"
    - name: Keypair
      when: what == 'keypair'
      cloudops.multicloud.ssh_keypair:
        name: "cut-{{ case }}"
        private_key_path: "{{ outdir }}/cut-{{ case }}.pem"
"""
# Where each secret-bearing answer is cut: (what, service, operation, [(case, cut_from, cut_after)]).
CUTS = (
    ("token", "kcrs", "CreateInstanceToken",
     [("before", '"Token"', 0), ("inside", '"Token": "', 30), ("after", '"ExpireTime"', 0)]),
    ("keypair", "kps", "CreateKeypair",
     [("before", '"private_key"', 0), ("inside", '"private_key": "', 200), ("after", '"}}', 1)]),
)


def load_runner():
    spec = importlib.util.spec_from_file_location("run_targets", os.path.join(ROOT, "tests", "integration",
                                                                              "run_targets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def environment(runner, url, workdir):
    """The playbooks' environment; Ansible's temporary files stay in ``workdir``, out of reach of
    whatever else runs on the machine and cleans ~/.ansible/tmp."""
    env = dict(os.environ)
    env.update(runner.KSYUN_ENV)
    env.update(runner.HUAWEI_ENV)
    env.update(KSYUN_ENDPOINT_URL=url, HUAWEICLOUD_ENDPOINT_URL=url, ANSIBLE_COLLECTIONS_PATH=runner.collections_path(),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "ansible-local"),
               ANSIBLE_REMOTE_TMP=os.path.join(workdir, "ansible-remote"),
               # The emulator's resources settle within a second or two: poll them four times a
               # second, as tools/demo.sh and the integration runner do.
               CLOUDOPS_WAIT_INTERVAL=os.environ.get("CLOUDOPS_WAIT_INTERVAL", "0.25"))
    return env


def playbook(env, path, extra=(), verbosity=0):
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", path] + list(extra)
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc):
    """(returncode, stdout, stderr) of a playbook run. The streams stay apart: task results and
    the PLAY RECAP are read from stdout; dependencies print warnings on stderr."""
    out, err = proc.communicate()
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def changed_count(stdout):
    found = re.findall(r"localhost\s+: ok=\d+\s+changed=(\d+)", stdout)
    return int(found[-1]) if found else None


def short_service_name(full):
    """The name given to a VPCEP service: ``<region>.<name>.<id>`` varies from run to run."""
    parts = (full or "").split(".")
    return ".".join(parts[1:-1]) if len(parts) >= 3 else full


def inventory(runner, url):
    """Named records of every service, as stored: {(kind, parent, name): count}."""
    counts = collections.Counter()
    for service in SERVICES:
        try:
            kinds = runner.admin(url, "GET", "/__admin/state/%s" % service).get("kinds", {})
        except OSError:
            continue
        for kind, records in kinds.items():
            for record in records:
                doc = record.get("doc") or {}
                name = record.get("name") or doc.get("BandWidthShareName") or short_service_name(doc.get("service_name"))
                if kind == "kcrs.token":
                    name = (record.get("doc") or {}).get("Desc")
                if kind == "vpcep.endpoint":  # no name: one endpoint per service and VPC is the identity
                    name = "%s@%s" % (short_service_name(doc.get("endpoint_service_name")) or doc.get("endpoint_service_id"),
                                      doc.get("vpc_id"))
                if name:
                    counts[(kind, record.get("parent") or "", name)] += 1
    return counts


def names_only(counts):
    """The same records keyed by kind and name only (ids differ from run to run)."""
    return collections.Counter(dict(((k[0], k[2]), 1) for k in counts))


def drill_faults(runner, url, seeds, workdir):
    """The demo under faults once per seed, then a fault-free second run: one row per seed (its
    ``names`` are compared with the baseline by ``settle_rows`` once that is known)."""
    env = environment(runner, url, workdir)
    demo = os.path.join(ROOT, "playbooks", "demo.yml")
    rows = []
    for seed in seeds:
        runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
        runner.admin(url, "POST", "/__admin/faults", dict(FAULTS, seed=seed))
        outdir = os.path.join(workdir, "seed-%d" % seed)
        started = time.monotonic()
        first, first_out, _first_err = finish(playbook(env, demo, ["-e", "demo_output_dir=%s" % outdir]))
        took = time.monotonic() - started
        secret_files = sorted(glob.glob(os.path.join(outdir, "*")))
        runner.admin(url, "POST", "/__admin/faults", {})
        second, second_out, _second_err = finish(playbook(env, demo, ["-e", "demo_output_dir=%s" % outdir]))
        counts = inventory(runner, url)
        duplicates = sum(n - 1 for n in counts.values() if n > 1)
        failure = ""
        if first != 0:
            match = re.search(r'"msg": "([^"]{0,160})', first_out)
            failure = match.group(1) if match else "rc=%d" % first
        rows.append(dict(seed=seed, first=first, failure=failure, files=len(secret_files), second=second,
                         second_changed=changed_count(second_out), duplicates=duplicates,
                         names=names_only(counts)))
        sys.stderr.write("seed %d: first run %s in %.0f s, second run changed=%s, duplicates %d %s\n" % (
            seed, "converged" if first == 0 else "failed", took, rows[-1]["second_changed"], duplicates, failure))
    return rows


def settle_rows(rows, baseline):
    """Lost resources and secret files of each seed, against the fault-free baseline."""
    for row in sorted(rows, key=lambda r: r["seed"]):
        row["lost"] = sum(1 for key in baseline["names"] if key not in row["names"])
        row["files_lost"] = max(0, baseline["files"] - row["files"]) if row["first"] == 0 else 0
    return sorted(rows, key=lambda r: r["seed"])


def on_emulator(runner, workdir, name, drill):
    """``drill(url)`` against an emulator of its own, stopped afterwards."""
    proc, url = runner.start_emulator(os.path.join(workdir, "emulator-%s.log" % name))
    started = time.monotonic()
    try:
        return drill(url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        sys.stderr.write("%s: %.0f s\n" % (name, time.monotonic() - started))


def registry_id(runner, env, workdir, name):
    """The id of a new KCR instance ``name`` (made by a playbook, in ``workdir``)."""
    setup = os.path.join(workdir, "%s-setup.yml" % name)
    with open(setup, "w") as handle:
        handle.write("- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
                     "    - name: Registry\n      cloudops.multicloud.kcr_instance:\n        name: %s\n"
                     "      register: registry\n    - name: Id\n      ansible.builtin.copy:\n"
                     "        content: \"{{ registry.instance.instance_id }}\"\n        dest: %s/%s.id\n        mode: '0600'\n"
                     % (name, workdir, name))
    code, out, err = finish(playbook(env, setup))
    if code != 0:
        sys.stdout.write(runner.labelled(out, err) + "\n")
        raise SystemExit("%s setup failed" % name)
    with open(os.path.join(workdir, "%s.id" % name)) as handle:
        return handle.read().strip()


def registry_drill(runner, url, workdir, name):
    """A fresh account with a registry for drill ``name``: (env, instance id, a directory of its
    own for the files it writes, the path of its play)."""
    env = environment(runner, url, workdir)
    runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
    instance_id = registry_id(runner, env, workdir, "%s-registry" % name)
    outdir = os.path.join(workdir, name)
    os.makedirs(outdir, exist_ok=True)
    return env, instance_id, outdir, os.path.join(workdir, "%s.yml" % name)


def drill_races(runner, url, parallel, workdir):
    env, instance_id, token_dir, play = registry_drill(runner, url, workdir, "race")
    with open(play, "w") as handle:
        handle.write(RACE_PLAY.format(instance_id=instance_id, token_dir=token_dir))
    # Two ansible-playbook runs at once, each running every task for `parallel` hosts in as many
    # forks: the same task starts at the same moment in 2 x parallel module runs.
    hosts = ",".join("race-%d" % n for n in range(1, parallel + 1)) + ","
    procs = [playbook(env, play, ["-i", hosts, "-f", str(parallel)]) for _run in range(RACE_RUNS)]
    results = [finish(p) for p in procs]
    failed = [out for code, out, _err in results if code != 0]
    failed_hosts = sum(int(n) for _code, out, _err in results
                       for n in re.findall(r"race-\d+\s+: ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=(\d+)", out))
    counts = inventory(runner, url)
    duplicates = dict(("%s %s" % (k[0], k[2]), n) for k, n in counts.items() if n > 1)
    token_file = os.path.join(token_dir, "race-token.json")
    return dict(runs=RACE_RUNS * parallel, failed=failed_hosts + sum(1 for code, _out, _err in results if code not in (0, 2)),
                duplicates=duplicates, token_file=os.path.exists(token_file),
                first_failure=(re.search(r'"msg": "([^"]{0,200})', failed[0]).group(1)
                               if failed and re.search(r'"msg": "([^"]{0,200})', failed[0]) else ""))


def drill_secrets(runner, url, workdir):
    """The demo at -vvvv on a fresh account, without faults; what it leaves is also the baseline
    of the fault drill."""
    env = environment(runner, url, workdir)
    runner.admin(url, "POST", "/__admin/reset", {"settings": {}})
    outdir = os.path.join(workdir, "vvvv")
    code, out, err = finish(playbook(env, os.path.join(ROOT, "playbooks", "demo.yml"),
                                     ["-e", "demo_output_dir=%s" % outdir], verbosity=4))
    if code != 0:
        sys.stdout.write(runner.labelled(out[-20000:], err[-20000:]) + "\n")
        raise SystemExit("the demo fails without faults")
    baseline = dict(names=names_only(inventory(runner, url)), files=len(glob.glob(os.path.join(outdir, "*"))))
    secrets = {"KSYUN secret key": runner.KSYUN_ENV["KSYUN_SECRET_KEY"],
               "Huawei secret key": runner.HUAWEI_ENV["HUAWEICLOUD_SDK_SK"]}
    for path in glob.glob(os.path.join(outdir, "**", "*"), recursive=True):
        if os.path.isfile(path):
            with open(path, errors="replace") as handle:
                text = handle.read()
            for token in re.findall(r'"(?:token|password|Token|Password|private_key)"\s*:\s*"([^"]{8,})"', text):
                secrets["%s in %s" % ("value", os.path.basename(path))] = token
            if "PRIVATE KEY" in text:
                secrets["private key %s" % os.path.basename(path)] = text.strip().splitlines()[1]
    # A secret must appear on neither stream.
    leaks = ["%s (%s)" % (label, name) for label, value in secrets.items() if value
             for name, text in (("stdout", out), ("stderr", err)) if value in text]
    return dict(rc=code, lines=len(out.splitlines()) + len(err.splitlines()), secrets=len(secrets),
                leaks=leaks), baseline


def secrets_written(directory):
    """{label: value} of the secrets in the files a run wrote: tokens, passwords, private keys."""
    found = {}
    for path in glob.glob(os.path.join(directory, "**", "*"), recursive=True):
        if not os.path.isfile(path):
            continue
        with open(path, errors="replace") as handle:
            text = handle.read()
        for value in re.findall(r'"(?:token|password|private_key)"\s*:\s*"([^"]{8,})"', text):
            found["token in %s" % os.path.basename(path)] = value
        if "PRIVATE KEY" in text:
            # Each line of the key body: a fragment printed anywhere is a leak.
            for number, line in enumerate(text.strip().splitlines()[1:-1], 1):
                found["private key %s line %d" % (os.path.basename(path), number)] = line
    return found


def drill_roles(runner, url, workdir):
    """Every role at -vvvv (ROLES_PLAY) with a marker ``SECRET-<role>-<field>-<random>`` in each of
    its secret fields: the markers, the credentials and the secrets the run wrote must appear in
    neither stream nor in Ansible's log file."""
    suffix = os.urandom(6).hex()
    markers = dict((field, "SECRET-%s-%s" % (field.replace(" ", "-"), suffix)) for field in (
        "kcr_registry webhooks.secret_headers.Authorization", "kcr_registry webhooks.secret_headers.X-Api-Key",
        "ssh_access ssh_access_server_password", "vpcep_publish vpcep_publish_consumer.secret_key"))
    consumer_key = {"access_key": "HWROLESCONSUMER", "user": "emulator",
                    "secret_key": markers["vpcep_publish vpcep_publish_consumer.secret_key"]}
    huawei = load_fixture_document()["huawei"]  # a section given to reset replaces it whole
    huawei["access_keys"].append(consumer_key)
    runner.admin(url, "POST", "/__admin/reset", {"huawei": huawei})
    runner.admin(url, "POST", "/__admin/settings", {"cgs_rate_limit": 0, "delays": {
        "kcrs.instance": 0, "kcrs.internal_endpoint": 0, "kcrs.dns": 0}})
    base = tempfile.mkdtemp(prefix="roles-", dir=workdir)
    roles_dir = os.path.join(base, "written")  # what the roles write, and only that, is read back
    os.mkdir(roles_dir, 0o700)
    variables = {
        "roles_dir": roles_dir,
        "secret_headers": {"Authorization": markers["kcr_registry webhooks.secret_headers.Authorization"],
                           "X-Api-Key": markers["kcr_registry webhooks.secret_headers.X-Api-Key"]},
        "server_ids": ["e1c50000-0000-4000-8000-000000000001", "e1c50000-0000-4000-8000-000000000002"],
        "server_password": markers["ssh_access ssh_access_server_password"],
        "consumer": {"vpc_id": "4dfe5c6e-0000-4000-8000-000000000001", "subnet_id": "5e6f7a8b-0000-4000-8000-000000000001",
                     "port_ip": "192.168.0.61", "access_key": consumer_key["access_key"],
                     "secret_key": consumer_key["secret_key"], "region": runner.HUAWEI_ENV["HW_REGION_NAME"]}}
    variables_file, play, log = (os.path.join(base, name) for name in ("vars.json", "roles.yml", "ansible.log"))
    with open(variables_file, "w") as handle:
        json.dump(variables, handle)
    with open(play, "w") as handle:
        handle.write(ROLES_PLAY)
    env = dict(environment(runner, url, workdir), ANSIBLE_LOG_PATH=log)
    code, out, err = finish(playbook(env, play, ["-e", "@" + variables_file], verbosity=4))
    with open(log, errors="replace") as handle:
        logged = handle.read()
    secrets = dict(markers, **secrets_written(roles_dir))
    secrets.update({"KSYUN secret key": runner.KSYUN_ENV["KSYUN_SECRET_KEY"],
                    "Huawei secret key": runner.HUAWEI_ENV["HUAWEICLOUD_SDK_SK"]})
    leaks = ["%s (%s)" % (label, name) for label, value in sorted(secrets.items())
             for name, text in (("stdout", out), ("stderr", err), ("log", logged)) if value in text]
    # The markers must have reached the cloud, or the scan proves nothing.
    delivered = markers["kcr_registry webhooks.secret_headers.Authorization"] in json.dumps(
        runner.admin(url, "GET", "/__admin/state/kcrs?secrets=1"))
    return dict(rc=code, lines=len(out.splitlines()) + len(err.splitlines()), secrets=len(secrets), leaks=leaks,
                delivered=delivered, failure="" if code == 0 else runner.labelled(out[-6000:], err[-6000:]))


def roles_report(roles):
    """The report's section on the roles at -vvvv, and whether it misses its goal."""
    lines = ["## Roles at -vvvv", "",
             "Every role at -vvvv with a marker in each secret field (%d lines, rc=%d, markers reached the cloud: %s) "
             "scanned for %d secret values: leaks: **%s**." % (
                 roles["lines"], roles["rc"], "yes" if roles["delivered"] else "no", roles["secrets"],
                 ", ".join(roles["leaks"]) or "none"), ""]
    if roles["failure"]:
        sys.stderr.write("roles at -vvvv failed:\n%s\n" % roles["failure"])
    return lines, bool(roles["rc"] or roles["leaks"] or not roles["delivered"])


def secret_fragments(secret, size=8):
    """Every ``size``-character piece of a secret (of each base64 line of a PEM key)."""
    lines = [line for line in secret.splitlines() if not line.startswith("-----")] or [secret]
    return set(line[i:i + size] for line in lines for i in range(len(line) - size + 1))


def issued_secret(text, what):
    """The token or private key in an answer or a written file (JSON or PEM)."""
    if what == "keypair":
        return (json.loads(text)["keypair"] if text.startswith("{") else {"private_key": text})["private_key"]
    return json.loads(text).get("Token") or json.loads(text).get("token")


def live_credentials(runner, url, what, name):
    if what == "token":
        records = runner.admin(url, "GET", "/__admin/state/kcrs")["kinds"].get("kcrs.token", [])
        return sum(1 for r in records if (r.get("doc") or {}).get("Desc") == name)
    records = runner.admin(url, "GET", "/__admin/state/kps")["kinds"].get("kps.keypair", [])
    return sum(1 for r in records if r.get("name") == name)


def drill_cut_secrets(runner, url, workdir):
    """Each secret-bearing create of CUTS with its answer cut at each place, at -vvvv: a row per
    case (fragments of the lost or the kept secret in the output, live credentials, the warning)."""
    env, instance_id, outdir, play = registry_drill(runner, url, workdir, "cut")
    with open(play, "w") as handle:
        handle.write(CUT_PLAY)
    rows = []
    for what, service, operation, cases in CUTS:
        for case, cut_from, cut_after in cases:
            runner.admin(url, "POST", "/__admin/faults", {"service": service, "operations": [operation], "times": 1,
                                                          "cut_rate": 1.0, "cut_from": cut_from, "cut_after": cut_after})
            code, out, err = finish(playbook(env, play, ["-e", "what=%s case=%s instance_id=%s outdir=%s" % (
                what, case, instance_id, outdir)], verbosity=4))
            cut = runner.admin(url, "GET", "/__admin/faults/cuts?secrets=1")["cuts"][-1]
            secrets = [issued_secret(cut["body"], what)]
            kept = glob.glob(os.path.join(outdir, "cut-%s.*" % case))
            for path in kept if code == 0 else []:
                with open(path) as handle:
                    secrets.append(issued_secret(handle.read(), what))
                os.remove(path)  # the next case of the other operation writes its own
            fragments = set().union(*(secret_fragments(s) for s in secrets))
            rows.append(dict(what=what, case=case, rc=code, cut_at="%d/%d" % (cut["sent"], len(cut["body"])),
                             leaks=sum(1 for f in fragments if f in out or f in err),
                             live=live_credentials(runner, url, what, "cut-%s" % case),
                             told="was deleted and is made again" in " ".join((out + err).split())))
    return rows


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def load_average():
    try:
        return "%.1f" % os.getloadavg()[0]
    except OSError:
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--parallel", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2, help="emulators running seeds at the same time")
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "results", "drills.md"))
    args = parser.parse_args()

    runner = load_runner()
    workdir = tempfile.mkdtemp(prefix="cloudops-drills-")
    started = time.monotonic()
    load_at_start = load_average()
    # Each drill, and each share of the seeds, on an emulator of its own and at the same time:
    # the playbooks mostly wait (backoff, polling, CGS's rate limit), so this divides the wall time
    # without changing what is measured.
    seeds = list(range(1, args.seeds + 1))
    shares = [seeds[k::args.jobs] for k in range(args.jobs) if seeds[k::args.jobs]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(shares) + 3) as pool:
        secrets_run = pool.submit(on_emulator, runner, workdir, "secrets at -vvvv",
                                  lambda url: drill_secrets(runner, url, workdir))
        fault_runs = [pool.submit(on_emulator, runner, workdir, "seeds %s" % ",".join(map(str, share)),
                                  lambda url, share=share: drill_faults(runner, url, share, workdir))
                      for share in shares]
        races_run = pool.submit(on_emulator, runner, workdir, "races",
                                lambda url: drill_races(runner, url, args.parallel, workdir))
        cuts_run = pool.submit(on_emulator, runner, workdir, "cut secrets",
                               lambda url: drill_cut_secrets(runner, url, workdir))
        secrets, baseline = secrets_run.result()
        faults = settle_rows([row for run in fault_runs for row in run.result()], baseline)
        races = races_run.result()
        cuts = cuts_run.result()

    converged = sum(1 for r in faults if r["first"] == 0)
    lines = ["# Failure drills", "",
             "Machine: %s, %d cores, Python %s; load average %s at the start, %s at the end; %.0f s wall "
             "(%d emulators at once: one for the secrets, one for the races, one for the cut secrets, %d for the "
             "seeds)." % (cpu_model(), os.cpu_count() or 0, platform.python_version(), load_at_start, load_average(),
                          time.monotonic() - started, len(shares) + 3, len(shares)),
             "", "## playbooks/demo.yml under faults", "",
             "Faults: %s (all services), then a fault-free second run." % ", ".join(
                 "%s %s" % (k, v) for k, v in FAULTS.items() if k != "service"), "",
             "| seed | first run | second run | second run changed | duplicates | lost | secret files lost | first-run failure |",
             "|---:|---|---|---:|---:|---:|---:|---|"]
    for r in faults:
        lines.append("| %d | %s | %s | %s | %d | %d | %d | %s |" % (
            r["seed"], "converged" if r["first"] == 0 else "failed", "ok" if r["second"] == 0 else "failed",
            r["second_changed"], r["duplicates"], r["lost"], r["files_lost"], r["failure"].replace("|", "/")))
    lines += ["", "First run converged for **%d/%d** seeds; duplicates %d; lost %d; second runs with changed=0: %d/%d."
              % (converged, len(faults), sum(r["duplicates"] for r in faults), sum(r["lost"] for r in faults),
                 sum(1 for r in faults if r["second_changed"] == 0), len(faults)), "",
              "## Races: each task in %d module runs at once (%d ansible-playbook runs x %d forks)" % (
                  races["runs"], RACE_RUNS, races["runs"] // RACE_RUNS), "",
              "Failed module runs: **%d**; duplicates: **%s**; the token file the task names exists: **%s**.%s" % (
                  races["failed"], races["duplicates"] or 0, "yes" if races["token_file"] else "no",
                  (" First failure: %s" % races["first_failure"]) if races["first_failure"] else ""), "",
              "## Secrets at -vvvv", "",
              "The demo at -vvvv (%d lines, rc=%d) scanned for %d secret values: leaks: **%s**." % (
                  secrets["lines"], secrets["rc"], secrets["secrets"], ", ".join(secrets["leaks"]) or "none"), "",
              "## Secret-bearing answers cut short, at -vvvv", "",
              "| create | cut | bytes sent | rc | fragments of a secret in the output | live credentials | told |",
              "|---|---|---:|---:|---:|---:|---|"]
    for r in cuts:
        lines.append("| %s | %s the secret | %s | %d | %d | %d | %s |" % (
            r["what"], r["case"], r["cut_at"], r["rc"], r["leaks"], r["live"], "yes" if r["told"] else "no"))
    lines += ["", "Cut answers: %d; leaks: **%d**; runs that left other than one live credential: **%d**." % (
        len(cuts), sum(r["leaks"] for r in cuts), sum(1 for r in cuts if r["live"] != 1 or r["rc"] != 0)), ""]
    roles_lines, roles_missed = roles_report(on_emulator(runner, workdir, "roles at -vvvv",
                                                         lambda url: drill_roles(runner, url, workdir)))
    lines += roles_lines
    text = "\n".join(lines)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    sys.stdout.write(text)
    missed = (converged < len(faults)
              or any(r["duplicates"] or r["lost"] or r["files_lost"] or r["second_changed"] != 0 for r in faults)
              or races["failed"] or races["duplicates"] or not races["token_file"] or secrets["leaks"] or roles_missed
              or any(r["leaks"] or r["live"] != 1 or r["rc"] != 0 or not r["told"] for r in cuts))
    if missed:
        sys.stderr.write("goals missed; the runs' files (keys, emulator log) are in %s\n" % workdir)
        return 1
    shutil.rmtree(workdir, ignore_errors=True)  # private keys and tokens the runs wrote
    return 0


if __name__ == "__main__":
    sys.exit(main())
