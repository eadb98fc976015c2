#!/usr/bin/env bash
# make dist: the collection artifact (ansible-galaxy collection build) and the emulator as its own
# Python package (wheel + sdist), all of one version, in dist/; then check what they hold and
# follow the quick start with them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.venv/bin"
out="$root/dist"
rm -rf "$out"
mkdir -p "$out"
"$bin/ansible-galaxy" collection build --output-path "$out" "$root"
# The emulator's own build tree lives under build/ so that emulator/ stays clean. --no-isolation: the
# build backend is main.lock's setuptools, not whatever the package index serves that day.
"$bin/python" -m build --no-isolation --outdir "$out" "$root/emulator"
rm -rf "$root/emulator/build"
"$bin/python" "$root/tools/check_dist.py" "$out"
# The quick start on these files, in a fresh virtualenv.
"$root/tools/dist_smoke.sh"
