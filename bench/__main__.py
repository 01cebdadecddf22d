"""One benchmark command: every part in one run, one dated report (Markdown + JSON) in bench/results/.

    .venv/bin/python -m bench [--quick] [--only crawl,extract,...] [--sizes 100000,1000000] [--es URL] [--out DIR]
    scripts/bench [same options]

Parts (bench/parts.py, each in its own process; peak RSS per part): crawl (onionwatch vs a bare Scrapy spider,
loopback HTTP), crawl_tor (the same through the private Tor network), tor_pool (Tor clients 1/2/4), extract
(records/s per core), store_sqlite / store_es (bulk, search and trend p50/p95 per size), es_bulk, search, trends
(the run() of those bench modules, when this tree has it). A part that cannot run here is reported
"not available" with its reason; a part that fails is reported "failed" with its one-line reason and the
command exits 1. Run it inside `unshare -n` (loopback only) for the Tor parts, like the Tor tests.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.parts import PARTS
from bench.report import FAILED, exit_code, load_average, machine, write_report

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["crawl", "crawl_tor", "tor_pool", "extract", "store_sqlite", "store_es", "es_bulk", "search", "trends"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every part (minutes)")
    ap.add_argument("--only", help=f"comma-separated parts ({','.join(ORDER)})")
    ap.add_argument("--sizes", default="100000,1000000", help="store sizes in listings (default 100000,1000000)")
    ap.add_argument("--es", help="Elasticsearch URL for the Elasticsearch parts (e.g. http://127.0.0.1:9250)")
    ap.add_argument("--data", help="shared data dir with listings/*.csv (default ../shared/data)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"), help="report directory")
    args = ap.parse_args(argv)
    names = [p.strip() for p in (args.only or ",".join(ORDER)).split(",") if p.strip()]
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        ap.error(f"--only: unknown part(s) {', '.join(unknown)} (parts: {', '.join(ORDER)})")
    try:
        args.size_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--sizes {args.sizes!r}: comma-separated whole numbers of listings expected")
    if not args.size_list or min(args.size_list) <= 0:
        ap.error(f"--sizes {args.sizes!r}: at least one positive size expected")
    args.parts = names
    return args


def run_part(name: str, opts: dict[str, Any]) -> dict[str, Any]:
    """One part in a child process; its last stdout line is the part's JSON result."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.parts", name, json.dumps(opts)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    seconds = round(time.perf_counter() - t0, 1)
    lines = [line for line in proc.stdout.strip().splitlines() if line.startswith("{")]
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        err = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        result = {"status": FAILED, "reason": f"part process exited {proc.returncode}: "
                                              f"{err[-1][:300] if err else 'no output'}", "figures": {}}
    if result["status"] == FAILED and proc.stderr:
        sys.stderr.write(proc.stderr[-3000:])
    return {"name": name, **result, "seconds": seconds, "load_at_end": load_average()}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    opts = {"quick": args.quick, "sizes": args.size_list, "es": args.es, "data": args.data}
    report: dict[str, Any] = {"date": started.strftime("%Y-%m-%d"), "started": started.isoformat(timespec="seconds"),
                              "command": "python -m bench " + shlex.join(sys.argv[1:] if argv is None else argv),
                              "machine": machine(), "options": opts, "parts": [], "seconds": 0.0,
                              "finished": False}
    t0 = time.perf_counter()
    for name in args.parts:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        part = run_part(name, opts)
        report["parts"].append(part)
        print(f"[bench] {name}: {part['status']}"
              + (f" ({part['reason']})" if part.get("reason") else ""), file=sys.stderr, flush=True)
        report["seconds"] = round(time.perf_counter() - t0, 1)
        write_report(report, Path(args.out))  # a run stopped later keeps the parts done (marked unfinished)
    report["finished"] = True
    md, js = write_report(report, Path(args.out))
    print(md.read_text(encoding="utf-8"))
    print(f"report: {md} and {js}", file=sys.stderr)
    return exit_code(report)


if __name__ == "__main__":
    sys.exit(main())
