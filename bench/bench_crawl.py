"""Crawl throughput on the testbed over loopback: pages/s (fetch only), extraction listings/s, index time.

The testbed server runs in its own process so it does not share the crawler's GIL.
`onionwatch crawl` always runs with the process egress guard (onionwatch/netguard.py); `--no-guard` runs the
same command with the guard's installer replaced by a no-op (possible only here: the CLI has no switch), and
`--compare` runs both, one after the other, against the same server and prints the pages/s ratio.
Usage: .venv/bin/python bench/bench_crawl.py [--market abyss] [--listings 2000] [--concurrency 16]
                                             [--no-guard | --compare]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# runs `onionwatch ARGS...`; with "no-guard" first, the egress guard is never installed
_DRIVER = """
import sys
if sys.argv[1] == "no-guard":
    import onionwatch.netguard
    onionwatch.netguard.install_for_command = lambda *args, **kwargs: None
from onionwatch.cli import main
main(sys.argv[2:])
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _crawl(args: argparse.Namespace, port: int, guard: bool) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ONIONWATCH_DATA_DIR=tmp, ONIONWATCH_CONCURRENCY=str(args.concurrency),
                   ONIONWATCH_CRED_ABYSS_USERNAME="analyst", ONIONWATCH_CRED_ABYSS_PASSWORD="testbed-analyst")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _DRIVER, "guard" if guard else "no-guard", "crawl",
                               args.market, "--mirror", f"http://127.0.0.1:{port}", "--transport", "direct",
                               "--json", "--no-progress"],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(proc.stderr[-2000:])
    return json.loads(proc.stdout)[0], wall


def _report(args: argparse.Namespace, out: dict, wall: float, guard: bool) -> None:
    print(f"market {args.market}: {out['pages']} pages, {out['listings']} listings, concurrency {args.concurrency}, "
          f"egress guard {'on' if guard else 'OFF'} ({out['egress_refusals']} refusals)")
    print(f"  fetch   {out['fetch_seconds']:7.2f} s  {out['pages_per_second']:7.1f} pages/s")
    print(f"  extract {out['extract_seconds']:7.2f} s  {out['listings'] / max(out['extract_seconds'], 1e-9):7.1f} "
          "listings/s (incl. vendor pages)")
    print(f"  index   {out['index_seconds']:7.2f} s")
    print(f"  wall    {wall:7.2f} s (process start, crawl, extract, index)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--market", default="abyss", choices=["abyss", "kladmen"])
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--vendors", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--no-guard", action="store_true", help="Crawl without the process egress guard.")
    mode.add_argument("--compare", action="store_true", help="Crawl with and without the guard; print the ratio.")
    args = ap.parse_args()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "onionwatch.testbed", "serve", args.market, "--port", str(port),
                               "--listings", str(args.listings), "--vendors", str(args.vendors)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    runs = [True, False] if args.compare else [not args.no_guard]
    results = {}
    try:
        assert server.stdout is not None
        server.stdout.readline()  # "market: URL (...)" once it listens
        for guard in runs:
            results[guard] = _crawl(args, port, guard)
    finally:
        server.terminate()
        server.wait(10)
    for guard, (out, wall) in results.items():
        _report(args, out, wall, guard)
    if args.compare:
        on, off = results[True][0]["pages_per_second"], results[False][0]["pages_per_second"]
        print(f"guard overhead: {on:.1f} / {off:.1f} pages/s = {on / off:.3f} (with / without)")


if __name__ == "__main__":
    main()
