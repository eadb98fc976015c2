"""Every role at -vvvv with a secret in each secret field prints none of them (issue #23, item 3).

The scan is the one `make drills` runs (tools/drills.py, drill_roles): a marker
``SECRET-<role>-<field>-<random>`` in every secret field of every role, the token file and the
private keys the run writes, and the credentials, looked for on stdout, stderr and in Ansible's
log file.
"""
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_drills():
    spec = importlib.util.spec_from_file_location("drills", os.path.join(ROOT, "tools", "drills.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_role_at_vvvv_prints_no_secret_of_any_secret_field(tmp_path):
    drills = load_drills()
    runner = drills.load_runner()
    roles = drills.on_emulator(runner, str(tmp_path), "roles at -vvvv",
                               lambda url: drills.drill_roles(runner, url, str(tmp_path)))
    assert roles["rc"] == 0, roles["failure"]
    assert roles["delivered"], "the webhook's secret header never reached the cloud: the scan proves nothing"
    assert not roles["leaks"], "printed: %s" % ", ".join(roles["leaks"])
