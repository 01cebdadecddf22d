"""CLI start-up: wall time of every `onionwatch ... --help` and the modules it imports.

    .venv/bin/python -m bench.bench_cli [--runs 20] [--importtime]

Each help is run `--runs` times as a fresh interpreter (`python -c` calling `onionwatch.cli:main`, which is
what the console script does); the figures are wall time p50 / min in ms, the number of modules in
`sys.modules` afterwards, and whether any heavy dependency (Scrapy, spaCy, Elasticsearch, Twisted, Jinja2,
pydantic) was imported. `--importtime` also prints the ten slowest imports of `onionwatch --help` from
`python -X importtime` (cumulative microseconds). The commands are enumerated from the click tree.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time

HEAVY = ("scrapy", "spacy", "elasticsearch", "twisted", "jinja2", "pydantic")

# Runs one help in a fresh interpreter and prints the imported top-level package names as JSON.
_PROBE = """
import json, sys
from onionwatch.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def help_invocations() -> list[list[str]]:
    """`--help` argv for the group and every command and subcommand, walked from the click tree."""
    from onionwatch.cli import command_tree

    return [[*path, "--help"] for path, _ in command_tree()]


def run_once(argv: list[str]) -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(argv=argv)], capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - t0
    match = re.search(r"^MODULES (.*)$", proc.stderr, re.M)
    if match is None:
        raise SystemExit(f"onionwatch {' '.join(argv)}: no module list\n{proc.stderr[-2000:]}")
    return wall, json.loads(match.group(1))


def import_time(argv: list[str], top: int = 10) -> list[tuple[int, str]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", _PROBE.format(argv=argv)],
                          capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s*(.+)$", line)
        if m:
            rows.append((int(m.group(1)), m.group(2).rstrip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="fresh interpreters per help (default 20)")
    parser.add_argument("--importtime", action="store_true", help="show the slowest imports of --help")
    args = parser.parse_args()
    print(f"{'command':<34} {'p50 ms':>7} {'min ms':>7} {'modules':>8}  heavy")
    worst = 0.0
    for argv in help_invocations():
        samples: list[float] = []
        modules: list[str] = []
        for _ in range(args.runs):
            wall, modules = run_once(argv)
            samples.append(wall)
        p50 = statistics.median(samples)
        worst = max(worst, p50)
        heavy = sorted({m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY})
        label = " ".join(["onionwatch", *argv])
        print(f"{label:<34} {p50 * 1000:>7.1f} {min(samples) * 1000:>7.1f} {len(modules):>8}  "
              f"{', '.join(heavy) or '-'}")
    print(f"slowest p50: {worst * 1000:.1f} ms ({args.runs} runs each, {sys.executable} -c)")
    if args.importtime:
        print("\nslowest imports of `onionwatch --help` (cumulative us):")
        for us, name in import_time(["--help"]):
            print(f"{us:>10}  {name}")


if __name__ == "__main__":
    main()
