"""Gather the benchmark tables of bench/results/*.md into bench/results.md, with the machine and
the date they were measured on (bench/results.md is committed; bench/results/ is not).

    python bench/collect_results.py
"""

import datetime
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = ("overhead.md", "modules.md", "emulator.md", "inventory.md")


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


def main():
    results = os.path.join(HERE, "results")
    names = [n for n in ORDER if os.path.exists(os.path.join(results, n))]
    names += sorted(n for n in os.listdir(results) if n.endswith(".md") and n not in names) if os.path.isdir(results) else []
    parts = ["# Benchmark results", "",
             "Measured %s on %s, against the local emulator. `make bench` measures again and rewrites this"
             " file; each figure is a count or a ratio that another machine can reproduce."
             % (datetime.date.today().isoformat(), machine()), ""]
    for name in names:
        with open(os.path.join(results, name), encoding="utf-8") as handle:
            text = handle.read().strip()
        # Each table file starts with its own level-1 title: demote it under this page.
        parts.append(text.replace("\n## ", "\n### ").replace("# ", "## ", 1) if text.startswith("# ") else text)
        parts.append("")
    with open(os.path.join(HERE, "results.md"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(parts))
    print("wrote bench/results.md from %s" % ", ".join(names))


if __name__ == "__main__":
    main()
