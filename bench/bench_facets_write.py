"""Write cost of schema 13's wider listings_facets (price_usd added): bulk write of N synthetic listings and a
re-observation crawl into fresh SQLite stores with the schema 12 and the schema 13 definition, alternated.

    .venv/bin/python -m bench.bench_facets_write [--n 100000] [--batch 10000] [--rounds 2]

Prints wall and CPU-time docs/s per run (CPU time of this process: less sensitive to a shared machine).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.testbed.synth import reobserve, synth_batch

OLD = "CREATE INDEX listings_facets ON listings (id, market, country, city, district)"


def run(path: Path, listings: list, vendors: list, batch: int, *, old: bool) -> tuple[float, float, float, float]:
    """(new listings/s wall, /s CPU, re-observed/s wall, /s CPU)."""
    store = SQLiteStore(f"sqlite:///{path}")
    if old:
        store._conn.execute("DROP INDEX listings_facets")
        store._conn.execute(OLD)
    out = []
    for items, vs in ((listings, vendors), (reobserve(listings, seed=7, days=14, share=0.5), [])):
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(items), batch):
            store.write_batch(items[i : i + batch], vs if i == 0 else [])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        out += [len(items) / wall, len(items) / cpu]
    store.close()
    return out[0], out[1], out[2], out[3]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    listings, vendors = synth_batch(args.n, seed=42)
    print(f"{'run':<16}{'new wall/s':>12}{'new CPU/s':>12}{'reobs wall/s':>14}{'reobs CPU/s':>13}")
    with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
        for r in range(args.rounds):
            for old in (True, False):
                name = f"{'schema 12' if old else 'schema 13'} #{r + 1}"
                fig = run(Path(tmp) / f"{r}-{old}.sqlite", listings, vendors, args.batch, old=old)
                print(f"{name:<16}{fig[0]:>12.0f}{fig[1]:>12.0f}{fig[2]:>14.0f}{fig[3]:>13.0f}", flush=True)


if __name__ == "__main__":
    main()
