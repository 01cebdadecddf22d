"""Store benchmark: bulk write docs/s, then search and trend latency p50/p95 at N synthetic listings.

    .venv/bin/python -m bench.bench_store [--store URL] [--n 100000] [--batch 10000] [--repeat 30]
    .venv/bin/python -m bench.bench_store --store sqlite:////tmp/big.sqlite --no-load   # time a store you built

Default store: a fresh SQLite file in a temporary directory (removed afterwards). Works with any store
URL (e.g. an Elasticsearch test prefix), but writes into it: never point it at production data. With
--no-load nothing is written: the searches and trends are timed on the store as it is (an older SQLite
schema is migrated on opening, as any open does).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench._timing import timed
from onionwatch.indexer.store import SearchQuery, Store, open_store
from onionwatch.testbed.synth import reobserve, synth_batch

SEARCHES: dict[str, SearchQuery] = {
    "text": SearchQuery(text="molly crystals"),
    "text+market+price": SearchQuery(text="cocaine", market="alphabay", price_min=50, price_max=500),
    "cyrillic text": SearchQuery(text="мефедрон москва"),
    "prefix text": SearchQuery(text="keta"),
    "substance+since": SearchQuery(substance="heroin", since="2024-05-01"),
    "class+vendor": SearchQuery(substance_class="opioid", vendor="?"),  # vendor filled in from the data
    "market only (~17%)": SearchQuery(market="alphabay"),
    "since, broad (~20%)": SearchQuery(since="2024-06-01"),
    "match all (facets over all)": SearchQuery(),
    "deep page": SearchQuery(text="g", limit=50, offset=5000),
}


def load(store: Store, n: int, batch: int) -> None:
    listings, vendors = synth_batch(n, seed=42)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, n, batch):
        store.write_batch(listings[i : i + batch], vendors if i == 0 else [])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"bulk write   {n:>7} listings in {elapsed:6.2f} s  = {n / elapsed:8.0f} docs/s  (batches of {batch};"
        f" {cpu:.2f} s CPU in this process)"
    )
    again = reobserve(listings, seed=7, days=14, share=0.5)
    started = time.perf_counter()
    for i in range(0, len(again), batch):
        store.write_batch(again[i : i + batch], [])
    elapsed = time.perf_counter() - started
    print(f"re-observe   {len(again):>7} listings in {elapsed:6.2f} s  = {len(again) / elapsed:8.0f} docs/s")
    started = time.perf_counter()
    store.write_batch(listings[:batch], [])
    print(f"replay       {batch:>7} listings in {time.perf_counter() - started:6.2f} s  (idempotent, no new rows)")


def bench(store: Store, repeat: int) -> None:
    top = store.search(SearchQuery(market="alphabay", substance_class="opioid", limit=1)).hits
    SEARCHES["class+vendor"].vendor = top[0].listing["vendor"] if top else None
    print(f"\n{'query':<32}{'total':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for name, q in SEARCHES.items():
        total = store.search(q).total
        p50, p95 = timed(partial(store.search, q), repeat)
        print(f"search {name:<25}{total:>8}{p50:>10.1f}{p95:>10.1f}")
    trends: dict[str, Callable[[], Any]] = {
        "listings_per_substance week": lambda: store.listings_per_substance("week"),
        "price_per_gram month": lambda: store.price_per_gram(None, "month"),
        "active_vendors week": lambda: store.active_vendors("week"),
        "substances_first_seen": lambda: store.substances_first_seen("2024-01-01"),
        "vendor_profile": lambda: store.vendor_profile("alphabay", "v3"),
    }
    for name, fn in trends.items():
        p50, p95 = timed(fn, max(5, repeat // 3))
        print(f"trend  {name:<25}{'':>8}{p50:>10.1f}{p95:>10.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-load", action="store_true", help="time the searches of --store as it is (no writes)")
    args = parser.parse_args(argv)
    if args.no_load and not args.store:
        parser.error("--no-load needs --store")
    with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
        url = args.store or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        store = open_store(url, create=not args.no_load)
        try:
            if not args.no_load:
                load(store, args.n, args.batch)
            print(f"counts       {store.counts()}")
            bench(store, args.repeat)
        finally:
            store.close()


if __name__ == "__main__":
    main()
