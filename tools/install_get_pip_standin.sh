#!/usr/bin/env bash
# Put the offline pip bootstrap stand-in where ansible-test looks for its cached get-pip script:
# ~/.ansible/test/cache/get_pip_<pip version>.py, once for every pip version the installed
# ansible-test bootstraps its --venv environments with (ansible-core 2.16/2.17: 23.1.2, plus 20.3.4
# and 21.3.1 for Python 2.7 and 3.6 in 2.16; 2.18/2.19: 24.2; 2.20/2.21: 25.2).
#
# The versions are asked of ansible-test itself (get_venv_packages() for every Python version it
# supports), not guessed: when that fails, this script fails and says why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${1:-python3}

probe='
import sys
import types

try:
    from ansible_test._internal import constants, python_requirements
except Exception as ex:  # any import failure means: no usable ansible-test here
    sys.exit("cannot import ansible-test (%s: %s)" % (type(ex).__name__, ex))

get_venv_packages = getattr(python_requirements, "get_venv_packages", None)
if get_venv_packages is None:
    sys.exit("ansible_test._internal.python_requirements has no get_venv_packages()")

versions = set()
for python_version in constants.SUPPORTED_PYTHON_VERSIONS:
    packages = get_venv_packages(types.SimpleNamespace(version=python_version))
    pip = packages.get("pip")
    if not pip:
        sys.exit("get_venv_packages() names no pip version for Python %s: %r" % (python_version, packages))
    versions.add(pip)

for version in sorted(versions):
    print(version)
'

if ! versions=$("$python" -c "$probe"); then
  echo "install_get_pip_standin.sh: cannot tell which pip version ansible-test bootstraps with (interpreter: $python); nothing installed" >&2
  exit 1
fi
if [ -z "$versions" ]; then
  echo "install_get_pip_standin.sh: ansible-test named no pip version (interpreter: $python); nothing installed" >&2
  exit 1
fi

cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
for version in $versions; do
  if [[ ! $version =~ ^[0-9]+(\.[0-9]+)*$ ]]; then
    echo "install_get_pip_standin.sh: unexpected pip version '$version' from ansible-test; nothing installed" >&2
    exit 1
  fi
done
for version in $versions; do
  target="$cache/get_pip_${version//./_}.py"
  install -m 0644 "$here/get_pip_standin.py" "$target"
  echo "pip bootstrap stand-in: $target"
done
