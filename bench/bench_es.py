"""Elasticsearch vs SQLite: bulk docs/s, then search and trend latency p50/p95 at N synthetic listings.

    .venv/bin/python -m bench.bench_es --es http://127.0.0.1:9250 --sizes 100000[,1000000] [--only elasticsearch]
                                       [--bulk-only]

Both stores get the same testbed/synth.py data (seeded) written through the Store interface in batches,
then the same queries (bench/bench_store.py's SEARCHES and trends). Elasticsearch is written into a fresh
index prefix inside ``ElasticStore.bulk_loading()`` (refresh off and no replicas during the load, one
refresh and the normal settings after it: part of the measured load time); the prefix is deleted
afterwards. SQLite uses a temporary file. Prints one table per size, with the machine; `run()` returns
the same figures as a dict (for `python -m bench`). 1M listings take long: ~10 min to generate and well
over an hour to load both stores on a shared 2-core machine (use --only).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._timing import machine, machine_line, timed
from bench.bench_store import SEARCHES
from onionwatch.indexer.store import SearchQuery, Store, open_store
from onionwatch.testbed.synth import reobserve, synth_batch


def _bulk(store: Store) -> Any:
    """ElasticStore.bulk_loading() (refresh and replicas off, restored and refreshed at the end), else nothing."""
    loading = getattr(store, "bulk_loading", None)
    return loading() if callable(loading) else contextlib.nullcontext()


def load(store: Store, n: int, batch: int, data: tuple[list, list, list]) -> dict[str, float]:
    listings, vendors, again = data
    out = {}
    t = time.perf_counter()
    with _bulk(store):
        for i in range(0, n, batch):
            store.write_batch(listings[i : i + batch], vendors if i == 0 else [])
    out["bulk write (new listings)"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    with _bulk(store):
        for i in range(0, len(again), batch):
            store.write_batch(again[i : i + batch], [])
    out["re-observe (updates)"] = len(again) / max(time.perf_counter() - t, 1e-9)
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


def run_one(url: str, n: int, batch: int, repeat: int, data,
            bulk_only: bool = False) -> tuple[dict[str, float], dict[str, tuple]]:  # fmt: skip
    store = open_store(url)
    try:
        rates = load(store, n, batch, data)
        lat = {} if bulk_only else {name: timed(fn, repeat if name.startswith("search") else max(5, repeat // 3))
                                    for name, fn in queries(store).items()}  # fmt: skip
        counts = store.counts()
        rates["listings stored"] = counts["listings"]
        return rates, lat
    finally:
        drop = getattr(store, "drop", None)
        if callable(drop) and "--keep" not in url:
            drop()
        store.close()


def run(sizes: list[int], es: str | None = None, *, batch: int = 5000, repeat: int = 20,
        only: str | None = None, bulk_only: bool = False) -> dict[str, Any]:
    """{"machine", "batch", "sizes": {n: {store: {"rates": {metric: /s}, "latency": {query: [p50, p95]}}}}}.

    Without ``es`` only SQLite runs; ``only`` picks one of "sqlite", "elasticsearch"; ``bulk_only`` skips the
    queries (load rates only)."""
    out: dict[str, Any] = {"machine": machine(), "batch": batch, "sizes": {}}
    for n in sizes:
        listings, vendors = synth_batch(n, seed=42)
        data = (listings, vendors, reobserve(listings, seed=7, days=14, share=0.5))
        results: dict[str, Any] = {}
        with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
            urls = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite'}"}
            if es:
                urls["elasticsearch"] = f"{es.rstrip('/')}/?index_prefix=bench-{uuid.uuid4().hex[:8]}&refresh=false"
            for name, url in urls.items():
                if only and name != only:
                    continue
                rates, lat = run_one(url, n, batch, repeat, data, bulk_only)
                results[name] = {"rates": rates, "latency": {q: list(v) for q, v in lat.items()}}
        out["sizes"][n] = {"reobservations": len(data[2]), **results}
    return out


def report(figures: dict[str, Any]) -> None:
    print(machine_line(figures["machine"]))
    for n, res in figures["sizes"].items():
        names = [x for x in res if x != "reobservations"]
        print(f"\n## {n:,} listings (+{res['reobservations']:,} re-observations), batches of {figures['batch']}")
        print(f"{'':<38}" + "".join(f"{x:>24}" for x in names))
        for metric in res[names[0]]["rates"]:
            print(f"{metric:<38}" + "".join(f"{res[x]['rates'][metric]:>20,.0f} /s " if "write" in metric
                                            or "re-observe" in metric else f"{res[x]['rates'][metric]:>24,.0f}"
                                            for x in names))  # fmt: skip
        print(f"{'latency ms (p50 / p95)':<38}")
        for q in res[names[0]]["latency"] or []:
            print(f"{q:<38}" + "".join(f"{res[x]['latency'][q][0]:>14.1f} / {res[x]['latency'][q][1]:>7.1f}"
                                       for x in names))  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--es", help="Elasticsearch URL, e.g. http://127.0.0.1:9250 (without: SQLite only)")
    parser.add_argument("--sizes", default="100000", help="listings per run, comma-separated (default 100000)")
    parser.add_argument("--n", type=int, action="append", help="a size (repeatable; older spelling of --sizes)")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "elasticsearch"], help="run one backend only")
    parser.add_argument("--bulk-only", action="store_true", help="load rates only: skip the search/trend queries")
    args = parser.parse_args(argv)
    sizes = args.n or [int(x) for x in args.sizes.split(",") if x.strip()]
    report(run(sizes, args.es, batch=args.batch, repeat=args.repeat, only=args.only, bulk_only=args.bulk_only))


if __name__ == "__main__":
    main()
