"""Gather the benchmark tables of bench/results/*.md into bench/results.md, with the machine and
the date they were measured on (bench/results.md is committed; bench/results/ is not).

A table that this run did not measure again (the slow inventory bench skipped, or the drills and
the sweep, which have their own make targets) is kept from the current bench/results.md, under its
own heading, with a line saying it was kept and when it was measured.

    python bench/collect_results.py
"""

import datetime
import os
import platform
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS_MD = os.path.join(HERE, "results.md")
# (file in bench/results/, the heading its table has in bench/results.md), in page order.
ORDER = (
    ("calls.md", "API calls per module"),
    ("overhead.md", "Per-task cost"),
    ("breakdown.md", "One no-op task broken down"),
    ("modules.md", "Module costs against the emulator"),
    ("emulator.md", "Emulator throughput"),
    ("inventory.md", "Inventory plugins"),
    ("budget.md", "One CGS budget per account"),
    ("drills.md", "Failure drills"),
    ("sweep.md", "Bad-input sweep"),
    ("matrix.md", "Support matrix"),
)
KEPT = re.compile(r"^_Kept from an earlier run \(measured ([^)]*)\)")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        if names:
            cpu = names[0]
    except OSError:
        pass
    ansible = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible"), "--version"],
                             stdout=subprocess.PIPE, check=False).stdout.decode().splitlines()[:1]
    return "%s, %d cores, Python %s, %s" % (cpu, os.cpu_count() or 0, platform.python_version(),
                                            ansible[0] if ansible else "ansible-core ?")


def previous_sections():
    """{level-2 heading: (body, date measured)} of the committed bench/results.md."""
    if not os.path.exists(RESULTS_MD):
        return {}
    with open(RESULTS_MD, encoding="utf-8") as handle:
        text = handle.read()
    found = re.search(r"^Measured (\d{4}-\d\d-\d\d)", text, re.M)
    page_date = found.group(1) if found else "at an unknown date"
    # What the page was measured with, for tables kept when the environment has moved on.
    found = re.search(r"^Measured .*?, (Python [0-9.]+), ansible \[(core [0-9.]+)\]", text, re.M)
    if found:
        page_date += " with %s, ansible-%s" % found.groups()
    sections = {}
    for chunk in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _newline, body = chunk.partition("\n")
        body = body.strip()
        kept = KEPT.match(body)
        if kept:  # kept once already: keep its first date, drop the old note
            when, body = kept.group(1), body.split("\n", 1)[1].strip() if "\n" in body else ""
        else:
            when = page_date
        sections[heading.strip()] = (body, when)
    return sections


def demoted(text):
    """A table file starts with its own level-1 title: it becomes a level-2 heading here."""
    return text.replace("\n## ", "\n### ").replace("# ", "## ", 1) if text.startswith("# ") else text


def main():
    results = os.path.join(HERE, "results")
    fresh = set(os.listdir(results)) if os.path.isdir(results) else set()
    known = dict(ORDER)
    names = [name for name, _heading in ORDER]
    names += sorted(n for n in fresh if n.endswith(".md") and n not in known)
    old = previous_sections()
    today = datetime.date.today().isoformat()
    parts = ["# Benchmark results", "",
             "Measured %s on %s, against the local emulator, by `make bench` (which rewrites this file). "
             "The machine is shared with other jobs: each table gives the load average it ran under, and "
             "the figures to compare across machines are the counts and ratios, not the wall times."
             % (today, machine()), ""]
    measured, kept = [], []
    for name in names:
        if name in fresh:
            with open(os.path.join(results, name), encoding="utf-8") as handle:
                parts.append(demoted(handle.read().strip()))
            measured.append(name)
        elif known.get(name) in old:
            body, when = old[known[name]]
            parts += ["## %s" % known[name], "",
                      "_Kept from an earlier run (measured %s); not measured again by this run._" % when, "", body]
            kept.append("%s (%s)" % (known[name], when))
        else:
            continue
        parts.append("")
    with open(RESULTS_MD, "w", encoding="utf-8") as handle:
        handle.write("\n".join(parts))
    print("wrote bench/results.md from %s%s" % (", ".join(measured),
                                                "; kept: %s" % ", ".join(kept) if kept else ""))


if __name__ == "__main__":
    main()
