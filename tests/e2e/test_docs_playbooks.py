"""The playbooks the docs give a newcomer run as written, from the installed artifact, against
the emulator (its address put in for the documented http://127.0.0.1:8080): twice, the second
time without a change."""
import os
import re

import pytest

from e2e_support import BIN, NO_DELAYS, ROOT, ansible_env, recap, run

DOCUMENTED_URL = "http://127.0.0.1:8080"
PAGES = ["docs/quickstart.md", "emulator/README.md"]


def playbooks(page):
    """The YAML blocks of a page that are whole plays pointed at the emulator."""
    with open(os.path.join(ROOT, page)) as handle:
        blocks = re.findall(r"```yaml\n(.*?)```", handle.read(), re.S)
    plays = []
    for block in blocks:
        code = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        if code and code[0].startswith("- ") and "hosts:" in block and DOCUMENTED_URL in block:
            plays.append(block)
    return plays


@pytest.mark.parametrize("page", PAGES)
def test_documented_play_runs_twice(page, installed_collections, emulator, tmp_path):
    found = playbooks(page)
    assert found, "%s has no play pointed at the emulator" % page
    for number, text in enumerate(found):
        emulator.reset(NO_DELAYS)
        playbook = tmp_path / ("play-%d.yml" % number)
        playbook.write_text(text.replace(DOCUMENTED_URL, emulator.url))
        env = ansible_env(installed_collections, tmp_path)  # no credentials in the environment
        first = run([os.path.join(BIN, "ansible-playbook"), str(playbook)], env=env, cwd=str(tmp_path))
        assert recap(first)["changed"] > 0 and recap(first)["failed"] == 0, first.streams
        second = run([os.path.join(BIN, "ansible-playbook"), str(playbook)], env=env, cwd=str(tmp_path))
        assert recap(second)["changed"] == 0 and recap(second)["failed"] == 0, second.streams
