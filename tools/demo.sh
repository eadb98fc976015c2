#!/usr/bin/env bash
# make demo: start the emulator (KSYUN + Huawei Cloud) on a free port, run playbooks/demo.yml
# twice (the second run must report changed=0 and cost one read per resource, no write), then a
# third time with a fresh output directory, as a second launch of an AWX job template sees it (the
# push token and the SSH keypair, whose secrets stayed in the first directory, are rotated), print
# the API calls of each run, stop the emulator and say where its state file is. Nothing is left
# running, whether the demo passes, fails or is interrupted (Ctrl-C).
#
#   [DEMO_READING=b] tools/demo.sh [--state FILE]
#
# DEMO_READING=b plays the KCR documents' other readings (docs/dev/emulator.md, "Readings (kcrs)"): the
# settings of reading b in tests/integration/readings/kcr.yml.
#
# --state FILE  the emulator's SQLite state file (default build/demo/emulator-state.sqlite, which
#               is started afresh each time, with build/demo emptied; a FILE given here is
#               continued if it exists, and build/demo kept).
#               `.venv/bin/cloudops-emulator --state FILE` serves that state again later.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.venv/bin"
out="$root/build/demo"
state="$out/emulator-state.sqlite"
fresh=1
while [ $# -gt 0 ]; do
  case "$1" in
    --state) state=$(realpath -m "${2:?--state needs a file}"); fresh=0; shift 2 ;;
    --state=*) state=$(realpath -m "${1#--state=}"); fresh=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument $1 (usage: tools/demo.sh [--state FILE])" >&2; exit 2 ;;
  esac
done
# A fresh demo starts from an empty cloud, so the secrets and reports of an earlier one go too (a
# new keypair's private key never overwrites a file).
[ "$fresh" = 1 ] && rm -rf "$out"
mkdir -p "$out" "$(dirname "$state")"
started=$(date +%s)

emulator_pid="" play_pid=""
cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$play_pid" ]; then
    kill "$play_pid" 2>/dev/null
    wait "$play_pid" 2>/dev/null
  fi
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
    echo "demo: emulator stopped; its state is in $state"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "demo: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

# --port 0: the system picks a free port; the emulator says which.
"$bin/cloudops-emulator" --host 127.0.0.1 --port 0 --state "$state" >"$out/emulator.log" 2>&1 &
emulator_pid=$!
url=""
for _ in $(seq 1 150); do
  url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out/emulator.log")
  [ -n "$url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$out/emulator.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "demo: the emulator did not start; see $out/emulator.log" >&2; exit 1; }
echo "demo: emulator (KSYUN + Huawei Cloud) listening on $url, state in $state"

admin() {  # admin METHOD PATH [JSON]
  "$bin/python" - "$url" "$@" <<'PY'
import json, sys, urllib.request
url, method, path = sys.argv[1:4]
data = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
print(urllib.request.urlopen(req, timeout=10).read().decode())
PY
}
reading="${DEMO_READING:-a}"
if [ "$reading" != a ]; then
  settings=$("$bin/python" -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))["readings"][sys.argv[2]]))' \
    "$root/tests/integration/readings/kcr.yml" "$reading")
  admin POST /__admin/settings "$settings" >/dev/null
  echo "demo: reading $reading: $settings"
fi

link="$root/build/collections/ansible_collections/cloudops/multicloud"
[ -L "$link" ] || { mkdir -p "$(dirname "$link")"; ln -sfn "$root" "$link"; }

export ANSIBLE_COLLECTIONS_PATH="$root/build/collections"
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_PYTHON_INTERPRETER="$bin/python"
# The emulator's resources come up within a second or two: poll them four times a second.
export CLOUDOPS_WAIT_INTERVAL="${CLOUDOPS_WAIT_INTERVAL:-0.25}"
export KSYUN_ACCESS_KEY=AKLTEMULATOR KSYUN_SECRET_KEY=emulator-ksyun-secret KSYUN_ENDPOINT_URL="$url"
export HUAWEICLOUD_SDK_AK=HWEMULATOR HUAWEICLOUD_SDK_SK=emulator-huawei-secret HW_REGION_NAME=cn-north-4
export HUAWEICLOUD_ENDPOINT_URL="$url"

# The API calls the emulator counted since they were last cleared, then clear them. With "noop":
# fail unless they are one read per resource and no write (the IAM project lookups, one per Huawei
# module run, are not resource reads and are left out of the comparison).
api_calls() {
  "$bin/python" - "$url" "${1:-}" <<'EOF'
import json, re, sys, urllib.request
url = sys.argv[1] + "/__admin/stats"
calls = json.load(urllib.request.urlopen(url, timeout=10))["calls"]
urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=10).read()
writes = sum(n for op, n in calls.items() if not re.match(r"(Keystone)?(Describe|List|Show|Get)", op.split(":")[1]))
print("%d API calls (%d writes): %s" % (sum(calls.values()), writes,
      ", ".join("%s %d" % (op, n) for op, n in sorted(calls.items()))))
# The registry, 2 namespaces, the token, the VPC access and its DNS, the webhook (the instances
# inventory lists the registries too); the pool; the keypair (read by ssh_keypair and by
# ssh_keypair_binding) and its 2 servers, and the keypairs inventory; the endpoint service, its
# whitelist, the consumer endpoint and the connections; the container nodes (the audit role and
# the instances inventory).
ONE_READ_EACH = {
    "kcrs:DescribeInstance": 2, "kcrs:DescribeNamespace": 2, "kcrs:DescribeInstanceToken": 1,
    "kcrs:DescribeInternalEndpoint": 1, "kcrs:DescribeInternalEndpointDns": 1, "kcrs:DescribeWebhookTrigger": 1,
    "bws:DescribeBandWidthShares": 1,
    "kps:ListKeypairDetail": 2, "ecs:ShowServer": 2, "kps:ListKeypairs": 2,
    "vpcep:ListEndpointService": 1, "vpcep:ListServicePermissionsDetails": 1, "vpcep:ListEndpoints": 1,
    "vpcep:ListServiceConnections": 1,
    "cgs:ListContainerNodes": 2,
}
resources = {op: n for op, n in calls.items() if not op.startswith("iam:")}
if sys.argv[2] == "noop" and resources != ONE_READ_EACH:
    sys.exit("demo: the second run must cost one read per resource and no write: expected %s, got %s"
             % (ONE_READ_EACH, resources))
EOF
}

run_demo() {  # run_demo LOG [OUTPUT_DIR]
  "$bin/ansible-playbook" -i localhost, "$root/playbooks/demo.yml" -e "demo_output_dir=${2:-$out}" \
    > >(tee "$1") 2>&1 &
  play_pid=$!
  wait "$play_pid"
  play_pid=""
}

echo "=== First run: builds the registry, the shared bandwidth, the SSH access, the endpoint service and the audit report"
api_calls >/dev/null
run_demo "$out/first-run.log"
first_calls=$(api_calls)
echo "=== Second run: nothing to change"
run_demo "$out/second-run.log"
second_calls=$(api_calls noop)
if ! grep -Eq 'localhost +: ok=[0-9]+ +changed=0 ' "$out/second-run.log"; then
  echo "demo: the second run changed something; it must be idempotent (see $out/second-run.log)" >&2
  exit 1
fi
echo "=== Third run, in a fresh output directory (a second AWX job): rotates the push token and the SSH keypair"
rm -rf "$out/fresh-job"
run_demo "$out/third-run.log" "$out/fresh-job"
third_calls=$(api_calls)
echo "demo: first run: $first_calls"
echo "demo: second run reported changed=0, one read per resource: $second_calls"
echo "demo: third run (fresh output directory $out/fresh-job): $third_calls"
echo "demo: files are in $out (run logs, emulator log, secrets with mode 0600); took $(( $(date +%s) - started )) s"
