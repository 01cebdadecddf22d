"""Watch evaluation cost: write_batch time with and without watches, first crawl and a recrawl with price changes.

    .venv/bin/python -m bench.bench_watch [--n 10000] [--watches 20]

A fresh SQLite file per run (removed afterwards). Prints seconds per batch and the alerts raised.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from onionwatch.indexer.store import open_store
from onionwatch.testbed.synth import reobserve, synth_batch

WATCHES = [
    {"substance": "mephedrone"}, {"substance": "cocaine"}, {"substance": "heroin"}, {"substance": "mdma"},
    {"substance_class": "opioid"}, {"substance_class": "stimulant"}, {"substance_class": "cathinone"},
    {"keyword": "crystal"}, {"keyword": "pure"}, {"price_below_usd": 20.0}, {"substance": "ketamine"},
    {"substance": "alpha-pvp"}, {"substance": "methamphetamine"}, {"substance_class": "psychedelic"},
    {"keyword": "москва"}, {"price_below_usd": 50.0, "substance_class": "opioid"}, {"substance": "lsd"},
    {"substance": "cannabis"}, {"substance_class": "benzodiazepine"}, {"keyword": "bulk"},
]


def run(n: int, watches: int) -> dict[str, float]:
    listings, vendors = synth_batch(n, seed=7)
    later = reobserve(listings, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'b.sqlite'}")
        for i in range(watches):
            store.add_watch({"name": f"w{i}", **WATCHES[i % len(WATCHES)], "price_change_pct": 5 + i})
        t0 = time.perf_counter()
        store.write_batch(listings, vendors)
        t1 = time.perf_counter()
        store.write_batch(later, [])
        t2 = time.perf_counter()
        alerts = store.alerts()
        store.close()
    return {"first": t1 - t0, "recrawl": t2 - t1, "new": sum(a["kind"] == "new" for a in alerts),
            "price": sum(a["kind"] == "price" for a in alerts), "recrawl_n": len(later)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--watches", type=int, default=20)
    args = ap.parse_args()
    for w in (0, args.watches):
        r = run(args.n, w)
        print(f"{w:>3} watches: first crawl {args.n} listings {r['first']:.2f} s, recrawl {r['recrawl_n']} listings "
              f"{r['recrawl']:.2f} s; alerts: {r['new']:.0f} new, {r['price']:.0f} price")


if __name__ == "__main__":
    main()
