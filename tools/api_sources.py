"""docs/dev/api-sources.md, the ledger of wire facts: its sections, their `Counts:` lines, the
readings it names, and the totals table of its `counts` section.

    python tools/api_sources.py           print the totals table the counts section must hold
    python tools/api_sources.py --write   write it there

tests/unit/test_api_sources.py checks the page with these functions.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "dev", "api-sources.md")
TOTALS = "counts"
MARKER = re.compile(r"^<!-- section: ([a-z0-9_]+) -->$", re.M)
COUNTS = re.compile(r"^Counts: (\d+) documented, (\d+) from an SDK model, (\d+) not documented \(with readings\)\.$")
READING = re.compile(r"`(readings\.[a-z0-9_]+\.[a-z0-9_]+)`")
HEADER = ("| section | documented | from an SDK model | not documented (with readings) |\n"
          "|---|---|---|---|\n")


def read_page(path=PAGE):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def sections(text):
    """{name: its text} from each `<!-- section: name -->` marker to the next `## ` heading (or
    the end of the page), in page order."""
    found = {}
    for match in MARKER.finditer(text):
        heading = re.compile(r"^## ", re.M).search(text, match.end())
        found[match.group(1)] = text[match.end():heading.start() if heading else len(text)]
    return found


def counts(section_text):
    """(documented, from an SDK model, not documented) of a section's last non-empty line, or
    None when that line is no `Counts:` line."""
    lines = [line.strip() for line in section_text.strip().splitlines() if line.strip()]
    match = COUNTS.match(lines[-1]) if lines else None
    return tuple(int(n) for n in match.groups()) if match else None


def readings_named(text):
    """Every `readings.<service>.<point>` the text names in backticks."""
    return set(READING.findall(text))


def totals_table(text):
    """The counts section's table: each section's counts and their sum (a section without a
    `Counts:` line counts as 0 0 0)."""
    rows, sums = [], [0, 0, 0]
    for name, body in sections(text).items():
        if name == TOTALS:
            continue
        numbers = counts(body) or (0, 0, 0)
        sums = [a + b for a, b in zip(sums, numbers)]
        rows.append("| %s | %d | %d | %d |\n" % ((name,) + numbers))
    return HEADER + "".join(rows) + "| **total** | %d | %d | %d |\n" % tuple(sums)


def with_totals(text):
    """The page with its counts section holding ``totals_table``."""
    match = [m for m in MARKER.finditer(text) if m.group(1) == TOTALS][0]
    heading = re.compile(r"^## ", re.M).search(text, match.end())
    end = heading.start() if heading else len(text)
    return text[:match.end()] + "\n\n" + totals_table(text) + ("\n" if heading else "") + text[end:]


def main(argv):
    text = read_page()
    if argv[1:] == ["--write"]:
        with open(PAGE, "w", encoding="utf-8") as handle:
            handle.write(with_totals(text))
    elif argv[1:]:
        sys.stderr.write(__doc__)
        return 2
    else:
        sys.stdout.write(totals_table(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
