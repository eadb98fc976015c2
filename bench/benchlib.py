"""What the bench scripts share: the integration runner (it starts the emulator and lays out the
collection) and private Ansible temporary directories."""

import importlib.util
import os
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def private_tmp():
    """Ansible's temporary directories for this process alone: other jobs on the machine may clean
    ~/.ansible/tmp while a play runs."""
    base = os.path.join(tempfile.gettempdir(), "cloudops-bench-tmp-%d" % os.getpid())
    return {"ANSIBLE_REMOTE_TMP": os.path.join(base, "remote"), "ANSIBLE_LOCAL_TEMP": os.path.join(base, "local")}


def load_runner():
    path = os.path.join(ROOT, "tests", "integration", "run_targets.py")
    spec = importlib.util.spec_from_file_location("run_targets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
