#!/usr/bin/env bash
# Print the path of a Python X.Y interpreter that runs: python X.Y on PATH, else one that pyenv
# installed (its shims refuse a version that is not selected), else the system's. Exit 1 with a
# message naming the version when there is none.
#
#   tools/find_python.sh 3.12
set -euo pipefail
want=${1:?usage: tools/find_python.sh X.Y}
works() { [ -x "$1" ] && "$1" -c "import sys, venv; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; }
candidates=("$(command -v "python$want" || true)")
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for dir in "$pyenv_root"/versions/"$want".*; do
  candidates+=("$dir/bin/python$want")
done
candidates+=("/usr/local/bin/python$want" "/usr/bin/python$want")
for python in "${candidates[@]}"; do
  if [ -n "$python" ] && works "$python"; then
    "$python" -c 'import sys; print(sys.executable)'  # a shim's target, not the shim
    exit 0
  fi
done
echo "find_python: Python $want is needed and was not found (looked on PATH, in $pyenv_root/versions and /usr); install it (pyenv install $want, or apt-get install python$want) or pass PYTHON=/path/to/python$want" >&2
exit 1
