#!/usr/bin/env bash
# make demo: start the emulator on a free port, run playbooks/demo.yml twice (the second run must
# report changed=0 and cost one read per resource, no write), and stop the emulator whatever happens.
# DEMO_READING=b plays the KCR documents' other readings (docs/emulator.md, "Readings (kcrs)"): the
# settings of reading b of the kcr_token integration target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.venv/bin"
out="$root/build/demo"
mkdir -p "$out"

port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$bin/cloudops-emulator" --host 127.0.0.1 --port "$port" >"$out/emulator.log" 2>&1 &
emulator_pid=$!
stop_emulator() {
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
}
trap stop_emulator EXIT INT TERM

for _ in $(seq 1 100); do
  if "$bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '/__admin/stats', timeout=2)" "$url" 2>/dev/null; then
    break
  fi
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$out/emulator.log"; exit 1; }
  sleep 0.2
done
echo "Emulator (KSYUN + Huawei Cloud) listening on $url"

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
settings=$("$bin/python" -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]]))' \
  "$root/tests/integration/targets/kcr_token/readings.yml" "$reading")
admin POST /__admin/reset "{\"settings\": $settings}" >/dev/null
echo "Reading $reading: $settings"

link="$root/build/collections/ansible_collections/cloudops/multicloud"
[ -L "$link" ] || { mkdir -p "$(dirname "$link")"; ln -s "$root" "$link"; }

export ANSIBLE_COLLECTIONS_PATH="$root/build/collections"
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_PYTHON_INTERPRETER="$bin/python"
export KSYUN_ACCESS_KEY=AKLTEMULATOR KSYUN_SECRET_KEY=emulator-ksyun-secret KSYUN_ENDPOINT_URL="$url"
export HUAWEICLOUD_SDK_AK=HWEMULATOR HUAWEICLOUD_SDK_SK=emulator-huawei-secret HW_REGION_NAME=cn-north-4
export HUAWEICLOUD_ENDPOINT_URL="$url"

play=("$bin/ansible-playbook" -i localhost, "$root/playbooks/demo.yml" -e "demo_output_dir=$out")
echo "=== First run: creates the registry, namespaces, token and webhook"
"${play[@]}"
admin DELETE /__admin/stats >/dev/null
echo "=== Second run: nothing to change"
"${play[@]}" | tee "$out/second-run.log"
if ! grep -Eq 'localhost +: ok=[0-9]+ +changed=0 ' "$out/second-run.log"; then
  echo "demo: the second run changed something; it must be idempotent" >&2
  exit 1
fi
# One read per resource: the instance, two namespaces, the token, the webhook.
admin GET /__admin/stats | "$bin/python" -c '
import json, sys
calls = json.load(sys.stdin)["calls"]
expected = {"kcrs:DescribeInstance": 1, "kcrs:DescribeNamespace": 2, "kcrs:DescribeInstanceToken": 1,
            "kcrs:DescribeWebhookTrigger": 1}
print("demo: second run API calls: %s" % ", ".join("%s %d" % item for item in sorted(calls.items())))
if calls != expected:
    sys.exit("demo: the second run must cost one read per resource: %s" % expected)
'
echo "demo: second run reported changed=0 with one read per resource; the token file is $out/kcr-ci-push-token.json"
