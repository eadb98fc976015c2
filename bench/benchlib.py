"""What the bench scripts share: the integration runner (it starts the emulator and lays out the
collection), private Ansible temporary directories, and a failed command's output shown."""

import importlib.util
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def private_tmp():
    """Ansible's temporary directories for this process alone: other jobs on the machine may clean
    ~/.ansible/tmp while a play runs."""
    base = os.path.join(tempfile.gettempdir(), "cloudops-bench-tmp-%d" % os.getpid())
    return {"ANSIBLE_REMOTE_TMP": os.path.join(base, "remote"), "ANSIBLE_LOCAL_TEMP": os.path.join(base, "local")}


def streams(proc):
    """A finished ``subprocess.run`` (stdout and stderr piped apart) for a human reading why it
    failed: both streams, each under its name (the integration runner's labelling)."""
    return load_runner().labelled(proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")) + "\n"


def load_runner():
    path = os.path.join(ROOT, "tests", "integration", "run_targets.py")
    spec = importlib.util.spec_from_file_location("run_targets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def environment(runner, url, extra=None):
    """ansible-playbook's environment against the emulator at ``url``: both clouds' credentials
    and endpoint, the collection, private temporary directories, then ``extra``."""
    env = dict(os.environ)
    env.update(runner.KSYUN_ENV)
    env.update(runner.HUAWEI_ENV)
    env.update(KSYUN_ENDPOINT_URL=url, HUAWEICLOUD_ENDPOINT_URL=url,
               ANSIBLE_COLLECTIONS_PATH=runner.collections_path(), ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               **private_tmp())
    env.update(extra or {})
    return env
