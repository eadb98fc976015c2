"""The readings table (cloudops_emulator/readings.py): settings are checked against it wherever
they come from (a fixture file, a reset, POST /__admin/settings), a misspelt point or a value
outside a point's choices is refused naming `readings.<service>.<point>`, and docs/dev/emulator.md
carries the table as it is."""
import json
import os
import re
import urllib.request
from urllib.error import HTTPError

import pytest
import yaml
from cloudops_emulator import readings
from cloudops_emulator.core import Emulator, FixtureError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "dev", "emulator.md")


def _refused(emulator, path, payload):
    request = urllib.request.Request(emulator.url + path, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(HTTPError) as exc:
        urllib.request.urlopen(request, timeout=10)
    return exc.value.code, json.loads(exc.value.read())["error"]


@pytest.mark.parametrize("path, wrap", [("/__admin/settings", lambda s: s),
                                        ("/__admin/reset", lambda s: {"settings": s})])
def test_a_misspelt_point_is_refused(emulator, path, wrap):
    status, error = _refused(emulator, path, wrap({"readings": {"kcrs": {"not_fund": "common"}}}))
    assert status == 400
    assert error.startswith("settings: readings.kcrs.not_fund: no such reading; the readings of kcrs are "
                            "not_found, instance_not_found_code, page_cap,")
    assert "readings" not in emulator.admin("GET", "/__admin/settings")["settings"]


@pytest.mark.parametrize("path, wrap", [("/__admin/settings", lambda s: s),
                                        ("/__admin/reset", lambda s: {"settings": s})])
def test_a_value_outside_the_choices_is_refused(emulator, path, wrap):
    status, error = _refused(emulator, path, wrap({"readings": {"bws": {"empty_listing": "none"}}}))
    assert (status, error) == (400, "settings: readings.bws.empty_listing is none; it must be one of "
                                    "empty_list, omitted, \"null\"")
    assert "readings" not in emulator.admin("GET", "/__admin/settings")["settings"]


def test_an_unknown_service_is_refused_by_its_settings_name(emulator):
    # `kcr` is the package's name; the setting carries the wire name `kcrs`.
    status, error = _refused(emulator, "/__admin/settings", {"readings": {"kcr": {"not_found": "common"}}})
    assert (status, error) == (400, "settings: readings.kcr: no such service; the services with readings are "
                                    "kcrs, bws, kps, vpcep, iam, cgs")


@pytest.mark.parametrize("service, point, value, allowed", [
    ("kps", "task_ready", "true", "it must be one of false, true"),   # a string is not a bool
    ("kps", "no_content", 204, "it must be one of \"204\", \"200\", 200-json"),  # a number is not a string
    ("vpcep", "delete_status", "200", "it must be one of 204, 200"),  # nor a string a number
    ("kps", "max_limit", 0, "it must be a positive integer"),
    ("cgs", "page_cap", True, "it must be a positive integer"),
    ("kcrs", "page_cap", {"DescribeNamespace": 0}, "it must be a mapping of action name to a positive integer"),
    ("kcrs", "scan_final_status", "", "it must be a non-empty string"),
])
def test_values_are_checked_by_type_too(service, point, value, allowed):
    assert readings.problems({"readings": {service: {point: value}}}) == [
        "readings.%s.%s is %s; %s" % (service, point, readings._show(value), allowed)]  # pylint: disable=protected-access


def test_every_problem_is_named_at_once():
    found = readings.problems({"readings": {"kcrs": {"not_found": "emtpy", "page_kap": {}}, "bws": "b",
                                            "vpcep": {"max_tags": 10}}})
    assert [text.split(" ", 1)[0].rstrip(":") for text in found] == [
        "readings.kcrs.not_found", "readings.kcrs.page_kap", "readings.bws"]


def test_reading_a_of_every_point_is_allowed_and_null_means_a():
    for service, table in readings.READINGS.items():
        for point, entry in table.items():
            assert readings.problems({"readings": {service: {point: entry.default}}}) == [], (service, point)
            assert readings.problems({"readings": {service: {point: None}}}) == []


def test_a_fixture_file_with_a_bad_reading_does_not_load(tmp_path):
    path = tmp_path / "fixtures.yaml"
    path.write_text("settings:\n  readings:\n    cgs: {over_cap: clip}\n")
    with pytest.raises(FixtureError, match=r"^settings: readings\.cgs\.over_cap is clip; it must be one of "
                                           r"reject, clamp$"):
        Emulator(fixtures_path=str(path))
    path.write_text("settings:\n  readings:\n    cgs: {over_cap: clamp, page_cap: 2}\n")
    assert Emulator(fixtures_path=str(path)).settings["readings"]["cgs"] == {"over_cap": "clamp", "page_cap": 2}


def test_a_refused_change_keeps_the_settings(emulator):
    emulator.admin("POST", "/__admin/settings", {"readings": {"kcrs": {"new_token": "disabled"}}})
    status, _error = _refused(emulator, "/__admin/settings", {"readings": {"kcrs": {"new_token": "off"}}})
    assert status == 400
    assert emulator.admin("GET", "/__admin/settings")["settings"]["readings"] == {"kcrs": {"new_token": "disabled"}}


def test_the_doc_carries_the_table_as_it_is():
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    match = re.search(r"<!-- readings table: [^\n]*-->\n(.*?)<!-- end of readings table -->", text, re.S)
    assert match, "docs/dev/emulator.md has no generated readings table"
    assert match.group(1) == readings.markdown(), (
        "docs/dev/emulator.md's readings table is stale: paste `python -m cloudops_emulator.readings` into it")


def test_every_reading_the_doc_names_is_in_the_table():
    with open(DOC, encoding="utf-8") as handle:
        named = set(re.findall(r"readings\.([a-z]+)\.([a-z_]+)", handle.read()))
    unknown = sorted("readings.%s.%s" % pair for pair in named
                     if pair[0] in readings.READINGS and pair[1] not in readings.READINGS[pair[0]])
    assert unknown == []
    assert {service for service, _point in named} - {"service"} <= set(readings.READINGS)


def test_every_point_is_described_in_its_services_own_section():
    """Beside the generated table, each point is explained where its service's readings are."""
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    body = text.split("<!-- end of readings table -->", 1)[1]
    for service, table in readings.READINGS.items():
        for point in table:
            assert re.search(r"`(readings\.%s\.)?%s`" % (service, point), body), "readings.%s.%s" % (service, point)


def test_the_integration_readings_files_hold_only_allowed_settings():
    folder = os.path.join(ROOT, "tests", "integration", "readings")
    files = sorted(name for name in os.listdir(folder) if name.endswith(".yml"))
    assert files
    for name in files:
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            doc = yaml.safe_load(handle)
        own = [entry for entries in doc["targets"].values() for entry in entries if isinstance(entry, dict)]
        for reading, settings in list(doc["readings"].items()) + [item for entry in own for item in entry.items()]:
            assert readings.problems(settings or {}) == [], (name, reading)
