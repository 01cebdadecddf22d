"""A/B of two versions of indexer/sqlite_search.py on one SQLite store (issue 15, speed at 1M listings).

    git show main:indexer/sqlite_search.py > /tmp/old_search.py
    .venv/bin/python -m bench.bench_sql_ab --store FILE --old /tmp/old_search.py [--rounds 5] [--repeat 5]

Both versions run on the same connection to the same (migrated) file, alternated per query and round so a
busy machine weighs on both alike; each query's results are asserted equal (total, page ids, scores, facets).
Prints p50/p95 ms per query over all rounds, old -> new, for bench/bench_store.py's SEARCHES.
When the new version samples a broad search's facets (SearchResult.facets_approximate), its total and page are
asserted equal, and its facets equal to the old ones (an old version that samples too: the same sample) or its exact
facets (facets_exact=True) equal to the old ones (an old version that does not sample),
and the largest relative error of the sampled counts of the exact top buckets is printed ("facets" column);
--exact times the new version with facets_exact=True instead; --new-first times the new version first in each pair
(the second of a pair may find warmer caches).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from dataclasses import replace
from sqlite3 import Connection
from types import ModuleType

from bench.bench_search import SEARCHES as SEARCHES_QL
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


def page(r: SearchResult) -> tuple[object, ...]:
    return shape(r)[:2]


def facet_error(approx: dict[str, dict[str, int]], exact: dict[str, dict[str, int]], top: int = 5) -> float:
    """The largest relative error of the sampled count of each facet's ``top`` exact buckets (a missing one: 1.0)."""
    errors = [abs(approx.get(name, {}).get(v, 0) - n) / n
              for name, counts in exact.items() for v, n in list(counts.items())[:top] if n]  # fmt: skip
    return max(errors, default=0.0)


def check(old: ModuleType, conn: Connection, name: str, q: SearchQuery) -> str:
    """Asserts the new version's results equal the old one's; returns how its facets compare."""
    want, got = old.search(conn, q), sqlite_search.search(conn, q)
    if not getattr(got, "facets_approximate", False):
        assert shape(want) == shape(got), name
        return "exact"
    exact = sqlite_search.search(conn, replace(q, facets_exact=True))
    assert page(want) == page(got) and not exact.facets_approximate, name
    if getattr(want, "facets_approximate", False):  # the old version samples too: the same sample of the same hits
        assert shape(want) == shape(got), name
    else:
        assert shape(want) == shape(exact), name
    return f"~{facet_error(got.facets, exact.facets):.0%}"


MORE = SEARCHES_QL | {  # bench/bench_search.py's query-language shapes, and the "g" pages of the 2026-12-05 round
    '"g" newest': SearchQuery(text="g", sort="newest"),
    '"g" newest, offset 5,000': SearchQuery(text="g", sort="newest", offset=5000),
}


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
    parser.add_argument("--exact", action="store_true", help="time the new version with exact facets only")
    parser.add_argument("--more", action="store_true", help="add bench_search's query-language shapes")
    parser.add_argument("--new-first", action="store_true", help="time the new version first in each pair (order bias)")
    args = parser.parse_args(argv)
    old = load_old(args.old)
    store = SQLiteStore(f"sqlite:///{args.store}", create=False)
    conn = store._conn
    qs = queries(store)
    if args.more:
        qs |= MORE
    if args.only:
        qs = {k: q for k, q in qs.items() if k in args.only.split(",")}
    if args.exact:
        qs = {k: replace(q, facets_exact=True) for k, q in qs.items()}
    times: dict[tuple[str, str], list[float]] = {}
    facets: dict[str, str] = {}
    for _ in range(args.rounds):
        for name, q in qs.items():
            facets[name] = check(old, conn, name, q)
            pair = [("old", old.search), ("new", sqlite_search.search)]
            for label, fn in pair[::-1] if args.new_first else pair:
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    fn(conn, q)
                    times.setdefault((name, label), []).append((time.perf_counter() - started) * 1000)
    head = "   old p50/p95 ms -> new p50/p95 ms  facets"
    print(f"{'query':<30}{'total':>8}{head}  ({args.rounds} rounds x {args.repeat})")
    for name, q in qs.items():
        fig = {k: (statistics.median(times[(name, k)]), statistics.quantiles(times[(name, k)], n=20)[-1])
               for k in ("old", "new")}  # fmt: skip
        total = sqlite_search.search(conn, q).total
        (o50, o95), (n50, n95) = fig["old"], fig["new"]
        print(f"{name:<30}{total:>8}   {o50:7.1f} / {o95:7.1f} -> {n50:7.1f} / {n95:7.1f}  {facets[name]}")
    store.close()


if __name__ == "__main__":
    main()
