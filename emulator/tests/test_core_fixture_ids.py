"""The fixtures' ids, listed for users: `cloudops-emulator --list-fixtures` and
`GET /__admin/fixtures` (docs/dev/emulator.md shows the table)."""
import os
import re
import subprocess
import sys

import yaml
from cloudops_emulator.core import load_fixture_document
from cloudops_emulator.fixture_ids import markdown, rows

DOC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                   "docs", "emulator.md")


def _list(*args):
    return subprocess.run([sys.executable, "-m", "cloudops_emulator", "--list-fixtures"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60,
                          check=False)


def _line(out, ident):
    return next(line.split() for line in out.splitlines() if ident in line.split())


def test_list_fixtures_prints_the_default_ids_and_exits():
    run = _list()
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].split() == ["cloud", "kind", "id", "name", "region", "note"]
    assert _line(run.stdout, "9f4b2a10-0000-4000-8000-000000000003") == [
        "ksyun", "eip", "9f4b2a10-0000-4000-8000-000000000003", "120.92.10.3", "10", "Mbps"]
    assert _line(run.stdout, "e1c50000-0000-4000-8000-000000000003")[:5] == [
        "huawei", "ecs_server", "e1c50000-0000-4000-8000-000000000003", "ecs-stopped", "cn-north-4"]
    assert _line(run.stdout, "HWEMULATOR")[:3] == ["huawei", "access_key", "HWEMULATOR"]
    assert "emulator-huawei-secret" not in run.stdout and "emulator-password" not in run.stdout


def test_list_fixtures_of_a_file_lists_that_file(tmp_path):
    path = tmp_path / "fixtures.yaml"
    path.write_text(yaml.safe_dump({"ksyun": {"account_id": "42", "bws": {"eips": [
        {"AllocationId": "my-eip", "PublicIp": "198.51.100.7", "BandWidth": 1}]}}}))
    run = _list("--fixtures", str(path))
    assert run.returncode == 0, run.stderr
    assert _line(run.stdout, "my-eip")[:4] == ["ksyun", "eip", "my-eip", "198.51.100.7"]
    assert "9f4b2a10-0000-4000-8000-000000000001" not in run.stdout  # the section is replaced
    assert "4dfe5c6e-0000-4000-8000-000000000001" in run.stdout       # huawei: still the default


def test_list_fixtures_of_a_bad_file_says_why(tmp_path):
    path = tmp_path / "fixtures.yaml"
    path.write_text("aws: {}\n")
    run = _list("--fixtures", str(path))
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "cloudops-emulator: unknown fixture sections: aws\n"


def test_admin_fixtures_lists_the_loaded_ids(emulator):
    listed = emulator.admin("GET", "/__admin/fixtures")["fixtures"]
    eips = [row for row in listed if row["kind"] == "eip"]
    assert [(row["id"], row["name"]) for row in eips] == [
        ("9f4b2a10-0000-4000-8000-000000000001", "120.92.10.1"),
        ("9f4b2a10-0000-4000-8000-000000000002", "120.92.10.2"),
        ("9f4b2a10-0000-4000-8000-000000000003", "120.92.10.3")]
    emulator.admin("POST", "/__admin/reset", {"ksyun": {"bws": {"eips": [
        {"AllocationId": "only-eip", "PublicIp": "198.51.100.9", "BandWidth": 1,
         "LineId": "5fc2595f-1bfd-481b-bf64-2d08f116d800"}],
        "lines": [{"LineId": "5fc2595f-1bfd-481b-bf64-2d08f116d800", "LineName": "BGP"}]}}})
    listed = emulator.admin("GET", "/__admin/fixtures")["fixtures"]
    assert [row["id"] for row in listed if row["kind"] == "eip"] == ["only-eip"]


def test_the_user_guide_tables_the_default_fixture_ids():
    with open(DOC, encoding="utf-8") as handle:
        match = re.search(r"<!-- fixture ids: generated[^\n]*-->\n(.*?)\n<!-- end of fixture ids -->",
                          handle.read(), re.S)
    assert match, "docs/emulator.md has no generated fixture-ids table"
    assert match.group(1) == markdown(rows(load_fixture_document())), (
        "docs/emulator.md's fixture ids are stale: paste `python -m cloudops_emulator.fixture_ids` into it")
