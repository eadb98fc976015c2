#!/usr/bin/env bash
# The quick start (docs/quickstart.md) on the release files in dist/, as a user without a checkout
# follows it: a fresh virtualenv with ansible-core and the emulator's dependencies (from
# tests/lock/ansible-core-2.21.lock, hashes checked) and the emulator wheel, the collection
# tarball from ansible-galaxy, the emulator started, the demo run twice (changed=0 the second
# time). Everything lives under build/dist-smoke/; nothing of the checkout is on any path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/build/dist-smoke"
rm -rf "$work"
mkdir -p "$work/home"
cd "$work"
"$root/.venv/bin/python" -m venv --without-pip venv
"$root/.venv/bin/uv" pip sync --quiet --python venv/bin/python --require-hashes "$root/tests/lock/ansible-core-2.21.lock"
"$root/.venv/bin/uv" pip install --quiet --python venv/bin/python --no-deps "$root"/dist/cloudops_emulator-*.whl
. venv/bin/activate
export HOME="$work/home" ANSIBLE_COLLECTIONS_PATH="$work/home/.ansible/collections"
ansible-galaxy collection install "$root"/dist/cloudops-multicloud-*.tar.gz
cloudops-emulator --version

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cloudops-emulator --port "$port" >emulator.log 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$port/__admin/health" 2>/dev/null && break
  sleep 0.2
done

export KSYUN_ENDPOINT_URL=http://127.0.0.1:$port KSYUN_ACCESS_KEY=AKLTEMULATOR KSYUN_SECRET_KEY=emulator-ksyun-secret
export HUAWEICLOUD_ENDPOINT_URL=http://127.0.0.1:$port HUAWEICLOUD_SDK_AK=HWEMULATOR HUAWEICLOUD_SDK_SK=emulator-huawei-secret HW_REGION_NAME=cn-north-4
ansible-playbook cloudops.multicloud.demo >first.log
ansible-playbook cloudops.multicloud.demo | tee second.log | tail -3
grep -Eq 'localhost +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' second.log \
  || { echo "dist-smoke: the second run of the demo changed something or failed" >&2; exit 1; }
echo "dist-smoke: the release files install in a fresh virtualenv and the demo is idempotent"
