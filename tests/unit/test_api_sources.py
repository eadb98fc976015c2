"""docs/dev/api-sources.md (the ledger of wire facts) and the emulator's readings name the same
settings, every section ends with its counts, and the counts section holds their sum
(`python tools/api_sources.py --write` writes it)."""
import importlib.util
import os

from cloudops_emulator.readings import READINGS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location("api_sources", os.path.join(ROOT, "tools", "api_sources.py"))
api_sources = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(api_sources)

EMULATED = set("readings.%s.%s" % (service, point) for service, points in READINGS.items() for point in points)


def test_every_reading_the_page_names_is_an_emulator_setting():
    unknown = api_sources.readings_named(api_sources.read_page()) - EMULATED
    assert not unknown, "docs/dev/api-sources.md names readings the emulator does not have: %s" % sorted(unknown)


def test_every_emulator_reading_is_on_the_page():
    missing = EMULATED - api_sources.readings_named(api_sources.read_page())
    assert not missing, "emulator readings missing from docs/dev/api-sources.md: %s" % sorted(missing)


def test_every_section_ends_with_its_counts():
    found = api_sources.sections(api_sources.read_page())
    without = [name for name, body in found.items() if name != api_sources.TOTALS and api_sources.counts(body) is None]
    assert not without, ("sections of docs/dev/api-sources.md without a last line 'Counts: N documented, M from an SDK "
                         "model, K not documented (with readings).': %s" % without)


def test_the_counts_section_holds_the_sum():
    text = api_sources.read_page()
    assert api_sources.sections(text)[api_sources.TOTALS].strip() == api_sources.totals_table(text).strip(), (
        "docs/dev/api-sources.md's counts section is stale: run python tools/api_sources.py --write")


def test_the_functions_read_what_a_page_says():
    page = ("# t\n\n## A\n\n<!-- section: kcrs -->\n| x | seed 000 L1 | `readings.kcrs.not_found` | c |\n\n"
            "Counts: 2 documented, 1 from an SDK model, 3 not documented (with readings).\n\n"
            "## B\n\n<!-- section: iam -->\nCounts: 1 documented, 0 from an SDK model, 0 not documented.\n\n"
            "## Totals\n\n<!-- section: counts -->\n")
    found = api_sources.sections(page)
    assert list(found) == ["kcrs", "iam", "counts"]
    assert api_sources.counts(found["kcrs"]) == (2, 1, 3)
    assert api_sources.counts(found["iam"]) is None  # not the exact wording
    assert api_sources.readings_named(page) == {"readings.kcrs.not_found"}
    written = api_sources.with_totals(page)
    assert written.endswith("<!-- section: counts -->\n\n" + api_sources.HEADER + "| kcrs | 2 | 1 | 3 |\n"
                            "| iam | 0 | 0 | 0 |\n| **total** | 2 | 1 | 3 |\n")
    assert api_sources.with_totals(written) == written
