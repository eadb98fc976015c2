"""Offline stand-in for the pip bootstrap script that ``ansible-test --venv`` downloads.

ansible-test fetches get-pip.py from a host that is not reachable here; it first looks for
``~/.ansible/test/cache/get_pip_<version>.py``. This script is installed there by
``tools/install_get_pip_standin.sh``: it bootstraps pip from the interpreter's own ``ensurepip``
and then installs what ansible-test asked for from the package index.
"""

import subprocess
import sys

DROPPED = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
    args = [arg for arg in sys.argv[1:] if arg not in DROPPED]
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
