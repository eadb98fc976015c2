#!/usr/bin/env bash
# make lock: resolve every loose requirements file in tests/lock/ (*.in) into its lock file
# (*.lock), each package pinned with the hashes of its published files. Environments are only ever
# installed from the locks (--require-hashes); this script is the one place that asks the package
# index what is newest, and its result is a change to review like code.
#
#   tools/lock.sh [--upgrade]    (--upgrade: newest versions allowed by the .in files; without it,
#                                 versions already in a lock are kept where they still fit)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
uv="${UV:-$root/.venv/bin/uv}"
lock="$root/tests/lock"
cd "$lock"
compile() {  # compile OUTPUT [uv pip compile arguments...]
  local out=$1
  shift
  "$uv" pip compile --quiet --generate-hashes --custom-compile-command "make lock" \
    --no-config --index-url https://pypi.org/simple "$@" -o "$out"
  echo "lock: tests/lock/$out"
}
upgrade=()
[ "${1:-}" = --upgrade ] && upgrade=(--upgrade)

# The main environment: Python 3.12, the newest ansible-core (make test, make demo, make dist).
compile main.lock "${upgrade[@]}" --python-version 3.12 --universal main.in
# uv itself, the same version main.lock holds.
compile uv.lock --python-version 3.12 --universal -c main.lock uv.in
# make docs: the site builder, in a venv of its own.
compile docs.lock "${upgrade[@]}" --python-version 3.12 --universal docs.in
# make eda: ansible-rulebook in a venv of its own, the packages main.lock also holds at its versions.
compile eda.lock --python-version 3.12 --universal -c main.lock eda.in
# make matrix: one lock per ansible-core release, for every controller Python it supports here.
for input in ansible-core-*.in; do
  floor=$(sed -n 's/.*(Python \(3\.[0-9]*\) to .*/\1/p' "$input")
  compile "${input%.in}.lock" "${upgrade[@]}" --universal --python-version "$floor" \
    "$input" ../../emulator/pyproject.toml
done
