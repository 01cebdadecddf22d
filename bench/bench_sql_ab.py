"""A/B of two versions of indexer/sqlite_search.py on one SQLite store (issue 15, speed at 1M listings).

    git show main:indexer/sqlite_search.py > /tmp/old_search.py
    .venv/bin/python -m bench.bench_sql_ab --store FILE --old /tmp/old_search.py [--rounds 5] [--repeat 5]

Both versions run on the same connection to the same (migrated) file, alternated per query and round so a
busy machine weighs on both alike; each query's results are asserted equal (total, page ids, scores, facets).
Prints p50/p95 ms per query over all rounds, old -> new, for bench/bench_store.py's SEARCHES.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from dataclasses import replace
from types import ModuleType

from bench.bench_store import SEARCHES
from onionwatch.indexer import sqlite_search
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery, SearchResult


def load_old(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_sqlite_search", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shape(r: SearchResult) -> tuple[object, ...]:
    return r.total, [(h.listing["market"], h.listing["listing_id"], h.score) for h in r.hits], r.facets


def queries(store: SQLiteStore) -> dict[str, SearchQuery]:
    top = store.search(SearchQuery(market="alphabay", substance_class="opioid", limit=1)).hits
    vendor = top[0].listing["vendor"] if top else None
    return {k: replace(q, vendor=vendor) if k == "class+vendor" else q for k, q in SEARCHES.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a SQLite store file (migrated to this schema)")
    parser.add_argument("--old", required=True, help="the old indexer/sqlite_search.py")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per version, query and round")
    parser.add_argument("--only", help="comma-separated query names (default: all)")
    args = parser.parse_args(argv)
    old = load_old(args.old)
    store = SQLiteStore(f"sqlite:///{args.store}", create=False)
    conn = store._conn
    qs = queries(store)
    if args.only:
        qs = {k: q for k, q in qs.items() if k in args.only.split(",")}
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name, q in qs.items():
            assert shape(old.search(conn, q)) == shape(sqlite_search.search(conn, q)), name
            for label, fn in (("old", old.search), ("new", sqlite_search.search)):
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    fn(conn, q)
                    times.setdefault((name, label), []).append((time.perf_counter() - started) * 1000)
    print(f"{'query':<30}{'total':>8}   old p50/p95 ms -> new p50/p95 ms  ({args.rounds} rounds x {args.repeat})")
    for name, q in qs.items():
        fig = {k: (statistics.median(times[(name, k)]), statistics.quantiles(times[(name, k)], n=20)[-1])
               for k in ("old", "new")}  # fmt: skip
        total = sqlite_search.search(conn, q).total
        (o50, o95), (n50, n95) = fig["old"], fig["new"]
        print(f"{name:<30}{total:>8}   {o50:7.1f} / {o95:7.1f} -> {n50:7.1f} / {n95:7.1f}")
    store.close()


if __name__ == "__main__":
    main()
