#!/usr/bin/env bash
# Put the offline pip bootstrap stand-in where ansible-test looks for its cached get-pip script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${1:-python3}
version=$("$python" -c 'import ansible_test._internal.python_requirements as r, inspect, re; print(re.search(r"pip=.([0-9.]+).", inspect.getsource(r)).group(1))' 2>/dev/null || echo 24.2)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
install -m 0644 "$here/get_pip_standin.py" "$cache/get_pip_${version//./_}.py"
echo "pip bootstrap stand-in: $cache/get_pip_${version//./_}.py"
