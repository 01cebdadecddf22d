"""Elasticsearch vs SQLite: bulk docs/s, then search and trend latency p50/p95 at N synthetic listings.

    .venv/bin/python -m bench.bench_es --es http://127.0.0.1:9250 --n 100000 [--n 1000000]

Both stores get the same testbed/synth.py data (seeded) written through the Store interface in batches,
then the same queries (bench/bench_store.py's SEARCHES and trends). Elasticsearch is written into a fresh
index prefix with ``?refresh=false`` (one refresh after loading) and the prefix is deleted afterwards
unless --keep. SQLite uses a temporary file. Prints one table per N.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._timing import timed
from bench.bench_store import SEARCHES
from onionwatch.indexer.store import SearchQuery, Store, open_store
from onionwatch.testbed.synth import reobserve, synth_batch


def load(store: Store, n: int, batch: int, data: tuple[list, list, list]) -> dict[str, float]:
    listings, vendors, again = data
    out = {}
    t = time.perf_counter()
    for i in range(0, n, batch):
        store.write_batch(listings[i : i + batch], vendors if i == 0 else [])
    finish = getattr(store, "client", None)
    if finish is not None:  # Elasticsearch: make everything searchable (part of the load cost)
        finish.indices.refresh(index=f"{store.names.prefix}-*")  # type: ignore[attr-defined]
    out["bulk write (new listings)"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(0, len(again), batch):
        store.write_batch(again[i : i + batch], [])
    if finish is not None:
        finish.indices.refresh(index=f"{store.names.prefix}-*")  # type: ignore[attr-defined]
    out["re-observe (updates)"] = len(again) / (time.perf_counter() - t)
    return out


def queries(store: Store) -> dict[str, Callable[[], Any]]:
    top = store.search(SearchQuery(market="alphabay", substance_class="opioid", limit=1)).hits
    vendor = top[0].listing["vendor"] if top else None
    out: dict[str, Callable[[], Any]] = {}
    for name, q in SEARCHES.items():
        if name == "class+vendor":
            q = SearchQuery(substance_class="opioid", vendor=vendor)
        out[f"search {name}"] = functools.partial(store.search, q)
    out |= {
        "trend listings_per_substance week": lambda: store.listings_per_substance("week"),
        "trend price_per_gram month": lambda: store.price_per_gram(None, "month"),
        "trend active_vendors week": lambda: store.active_vendors("week"),
        "trend substances_first_seen": lambda: store.substances_first_seen("2024-01-01"),
        "vendor_profile": lambda: store.vendor_profile("alphabay", "v3"),
    }
    return out


def run_one(url: str, n: int, batch: int, repeat: int, data) -> tuple[dict[str, float], dict[str, tuple]]:
    store = open_store(url)
    try:
        rates = load(store, n, batch, data)
        lat = {name: timed(fn, repeat if name.startswith("search") else max(5, repeat // 3))
               for name, fn in queries(store).items()}  # fmt: skip
        counts = store.counts()
        rates["listings stored"] = counts["listings"]
        return rates, lat
    finally:
        drop = getattr(store, "drop", None)
        if callable(drop) and "--keep" not in url:
            drop()
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--es", required=True, help="Elasticsearch URL, e.g. http://127.0.0.1:9250")
    parser.add_argument("--n", type=int, action="append", help="listings (repeatable; default 100000)")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "elasticsearch"], help="run one backend only")
    args = parser.parse_args(argv)
    for n in args.n or [100_000]:
        listings, vendors = synth_batch(n, seed=42)
        data = (listings, vendors, reobserve(listings, seed=7, days=14, share=0.5))
        results = {}
        with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
            urls = {
                "sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "elasticsearch": f"{args.es.rstrip('/')}/?index_prefix=bench-{uuid.uuid4().hex[:8]}&refresh=false",
            }
            for name, url in urls.items():
                if args.only and name != args.only:
                    continue
                results[name] = run_one(url, n, args.batch, args.repeat, data)
        names = list(results)
        print(f"\n## {n:,} listings (+{len(data[2]):,} re-observations), batches of {args.batch}")
        print(f"{'':<38}" + "".join(f"{x:>24}" for x in names))
        for metric in results[names[0]][0]:
            print(f"{metric:<38}" + "".join(f"{results[x][0][metric]:>20,.0f} /s " if "write" in metric
                                            or "re-observe" in metric else f"{results[x][0][metric]:>24,.0f}"
                                            for x in names))  # fmt: skip
        print(f"{'latency ms (p50 / p95)':<38}")
        for q in results[names[0]][1]:
            print(f"{q:<38}" + "".join(f"{results[x][1][q][0]:>14.1f} / {results[x][1][q][1]:>7.1f}" for x in names))


if __name__ == "__main__":
    main()
