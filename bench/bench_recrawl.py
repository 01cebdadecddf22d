"""Change-only recrawls (issue 11): observations written per crawl of a testbed market that changes between crawls.

`onionwatch crawl kladmen` (subprocess, plain HTTP, SQLite store) four times against a testbed of N listings:
the first crawl, a recrawl of the unchanged market, a recrawl after /__testbed/epoch?n=1 (prices, titles,
listings removed and added, vendor contacts), and one more unchanged recrawl. Prints, per crawl: status,
listings indexed, observations written, listings marked gone, vendor history rows, seconds; and the epoch's
ground-truth change counts to compare with.
Usage: .venv/bin/python bench/bench_recrawl.py [--listings 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def crawl(url: str, store: Path, env: dict[str, str]) -> tuple[dict, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror", url, "--transport",
                           "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if not proc.stdout:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)[0], time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from onionwatch.testbed.server import start_market
    from onionwatch.testbed.truth import market_truth

    size = {"n_listings": args.listings, "n_vendors": max(20, args.listings // 10)}
    server = start_market("kladmen", **size)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ONIONWATCH_DATA_DIR": f"{tmp}/data", "ONIONWATCH_CONFIG_DIR": f"{tmp}/config"}
        store = Path(tmp) / "s.sqlite"
        try:
            for label in ("first crawl", "recrawl, unchanged", "recrawl after epoch 1", "recrawl, unchanged"):
                if label == "recrawl after epoch 1":
                    urllib.request.urlopen(f"{server.url}/__testbed/epoch?n=1", timeout=30).read()  # noqa: S310
                out, seconds = crawl(server.url, store, env)
                with sqlite3.connect(store) as db:
                    counters = json.loads(db.execute("SELECT counters FROM crawls ORDER BY id DESC LIMIT 1")
                                          .fetchone()[0])
                    history = db.execute("SELECT count(*) FROM vendor_history").fetchone()[0]
                rows.append({"crawl": label, "status": out["status"], "listings": counters.get("listings_indexed"),
                             "observations": counters.get("observations"), "gone": counters.get("listings_gone"),
                             "vendor_history_total": history, "seconds": round(seconds, 1)})
        finally:
            server.stop()
    changes = market_truth("kladmen", **size, epoch=1)["changes"]
    truth = {k: len(v) for k, v in changes.items()}
    if args.json:
        print(json.dumps({"listings": args.listings, "crawls": rows, "epoch1_truth": truth}))
        return
    print(f"kladmen, {args.listings} listings; epoch 1 ground truth: {truth}")
    print(f"{'crawl':<24}{'status':<10}{'listings':>9}{'observations':>14}{'gone':>6}{'vendor hist':>12}{'s':>7}")
    for r in rows:
        print(f"{r['crawl']:<24}{r['status']:<10}{r['listings']!s:>9}{r['observations']!s:>14}{r['gone']!s:>6}"
              f"{r['vendor_history_total']!s:>12}{r['seconds']:>7}")


if __name__ == "__main__":
    main()
