"""Crawl throughput on the testbed over loopback: pages/s (fetch only), extraction listings/s, index time.

The testbed server runs in its own process so it does not share the crawler's GIL.
Usage: .venv/bin/python bench/bench_crawl.py [--market abyss] [--listings 2000] [--concurrency 16]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--market", default="abyss", choices=["abyss", "kladmen"])
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--vendors", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "onionwatch.testbed", "serve", args.market, "--port", str(port),
                               "--listings", str(args.listings), "--vendors", str(args.vendors)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        server.stdout.readline()  # "market: URL (...)" once it listens
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, ONIONWATCH_DATA_DIR=tmp, ONIONWATCH_CONCURRENCY=str(args.concurrency),
                       ONIONWATCH_CRED_ABYSS_USERNAME="analyst", ONIONWATCH_CRED_ABYSS_PASSWORD="testbed-analyst")
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", args.market, "--mirror",
                                   f"http://127.0.0.1:{port}", "--transport", "direct", "--json", "--no-progress"],
                                  cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - t0
        if proc.returncode:
            sys.exit(proc.stderr[-2000:])
        out = json.loads(proc.stdout)[0]
    finally:
        server.terminate()
        server.wait(10)
    print(f"market {args.market}: {out['pages']} pages, {out['listings']} listings, concurrency {args.concurrency}")
    print(f"  fetch   {out['fetch_seconds']:7.2f} s  {out['pages_per_second']:7.1f} pages/s")
    print(f"  extract {out['extract_seconds']:7.2f} s  {out['listings'] / max(out['extract_seconds'], 1e-9):7.1f} "
          "listings/s (incl. vendor pages)")
    print(f"  index   {out['index_seconds']:7.2f} s")
    print(f"  wall    {wall:7.2f} s (process start, crawl, extract, index)")


if __name__ == "__main__":
    main()
