"""Search benchmark (issue 13): the write-rate cost of the search keys, and query-language latencies.

    .venv/bin/python -m bench.bench_search [--sizes 50000[,1000000]] [--batch 10000] [--repeat 20] [--runs 2]
    .venv/bin/python -m bench.bench_search --store /path/big.sqlite     # queries only, on a store you built

1. Stemming alone: Snowball stems of title + description + vendor per listing, cold caches (µs/listing).
2. SQLite bulk write docs/s with the version 6 search keys (stems, listings_stem, country, place keys) and
   with them switched off in the same build (keys empty, listings_stem triggers dropped): the cost.
3. p50/p95 latency of query-language searches, sorts and multi-select facets on the store with keys.

`run()` returns the figures as a dict (for `python -m bench`); the machine is printed and returned with them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

from bench._timing import machine, machine_line, timed
from onionwatch.indexer import search_keys, sqlite_rows
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery
from onionwatch.testbed.synth import synth_batch

SEARCHES = {
    "word": SearchQuery(text="cocaine"),
    "russian form": SearchQuery(text="мефедрона"),
    "slang -> substance": SearchQuery(text="меф"),
    "NOT": SearchQuery(text="mdma -crystal"),
    "OR": SearchQuery(text="mdma OR ketamine"),
    "phrase": SearchQuery(text='"pure cocaine"'),
    "fields": SearchQuery(text="market:alphabay price:10..100 seen:>=01.06.2024"),
    "sort price_asc": SearchQuery(text="heroin", sort="price_asc"),
    "sort newest, no text": SearchQuery(sort="newest"),
    "2 markets + substance": SearchQuery(market=("alphabay", "hydra"), substance="cocaine"),
    "city facet": SearchQuery(country="Russia"),
}


def clear_caches() -> None:
    for cached in (search_keys.stem, search_keys.fold, search_keys._stem_raw, search_keys.country_of):
        cached.cache_clear()


def stemming(n: int) -> float:
    """µs per listing to stem title + description + vendor, cold caches."""
    listings, _ = synth_batch(n, seed=42)
    clear_caches()
    started = time.perf_counter()
    for item in listings:
        for text in (item.title, item.description, item.vendor):
            search_keys.stem_text(text)
    return (time.perf_counter() - started) / n * 1e6


def write_rate(path: Path, n: int, batch: int, *, keys: bool) -> tuple[float, SQLiteStore]:
    store = SQLiteStore(f"sqlite:///{path}")
    if not keys:
        for trigger in ("listings_stem_ai", "listings_stem_ad", "listings_stem_au"):
            store._conn.execute(f"DROP TRIGGER {trigger}")
    listings, vendors = synth_batch(n, seed=42)
    clear_caches()
    empty = {c: None if c in ("country", "city_key", "district_key") else "" for c in sqlite_rows.SEARCH_KEY_COLUMNS}
    patch = mock.patch.object(sqlite_rows, "search_keys", lambda values: empty) if not keys else mock.patch.object(
        sqlite_rows, "search_keys", sqlite_rows.search_keys)  # fmt: skip
    with patch:
        started = time.perf_counter()
        for i in range(0, n, batch):
            store.write_batch(listings[i : i + batch], vendors if i == 0 else [])
        elapsed = time.perf_counter() - started
    return n / elapsed, store


def latencies(store: SQLiteStore, repeat: int, queries: dict[str, SearchQuery] | None = None) -> dict[str, dict]:
    out = {}
    for name, q in (queries or SEARCHES).items():
        total = store.search(q).total
        p50, p95 = timed(partial(store.search, q), repeat)
        out[name] = {"total": total, "p50_ms": p50, "p95_ms": p95}
    return out


def store_queries(store: SQLiteStore) -> dict[str, SearchQuery]:
    """bench/bench_store.py's searches (the issue's 1M figures were taken with them), vendor filled in."""
    from dataclasses import replace

    from bench.bench_store import SEARCHES as STORE

    top = store.search(SearchQuery(market="alphabay", substance_class="opioid", limit=1)).hits
    vendor = top[0].listing["vendor"] if top else None
    return {f"[store] {k}": replace(q, vendor=vendor) if k == "class+vendor" else q for k, q in STORE.items()}


def run(sizes: list[int], *, batch: int = 10_000, repeat: int = 20, runs: int = 2,
        store: str | None = None) -> dict[str, Any]:  # fmt: skip
    """{"machine", "sizes": {n: {"stem_us", "write_plain", "write_keys", "size_mb", "searches"}}}; with
    ``store`` (a SQLite file you built) only its searches, under "store"."""
    out: dict[str, Any] = {"machine": machine(), "sizes": {}}
    if store:
        s = SQLiteStore(f"sqlite:///{store}", create=False)
        try:
            out["store"] = {"path": store, "listings": s.counts()["listings"],
                            "searches": latencies(s, repeat, {**store_queries(s), **SEARCHES})}  # fmt: skip
        finally:
            s.close()
        return out
    for n in sizes:
        fig: dict[str, Any] = {"stem_us": stemming(n)}
        with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
            rates: dict[bool, list[float]] = {False: [], True: []}
            kept: SQLiteStore | None = None
            for r in range(runs):  # alternate, so a busy machine weighs on both alike
                for keys in (False, True):
                    path = Path(tmp) / f"{'keys' if keys else 'plain'}-{r}.sqlite"
                    rate, st = write_rate(path, n, batch, keys=keys)
                    rates[keys].append(rate)
                    if keys and kept is None:
                        kept = st
                    else:
                        st.close()
            assert kept is not None
            fig["write_plain"], fig["write_keys"] = rates[False], rates[True]
            fig["size_mb"] = {p.name: p.stat().st_size / 1e6 for p in Path(tmp).glob("*-0.sqlite")}
            try:
                fig["searches"] = latencies(kept, repeat)
            finally:
                kept.close()
        out["sizes"][n] = fig
    return out


def report(figures: dict[str, Any]) -> None:
    print(machine_line(figures["machine"]))
    for n, fig in figures["sizes"].items():
        print(f"\n## {n:,} listings")
        print(f"stemming     {fig['stem_us']:8.1f} µs/listing (cold caches)")
        without, with_keys = max(fig["write_plain"]), max(fig["write_keys"])
        print(f"bulk write   without search keys {without:8.0f} docs/s  (best of "
              f"{', '.join(f'{r:.0f}' for r in fig['write_plain'])})")  # fmt: skip
        print(f"bulk write   with search keys    {with_keys:8.0f} docs/s  ({(1 - with_keys / without) * 100:.0f}% "
              f"slower; {', '.join(f'{r:.0f}' for r in fig['write_keys'])})")  # fmt: skip
        size = fig["size_mb"]
        print(f"file size    without {size['plain-0.sqlite']:.1f} MB, with {size['keys-0.sqlite']:.1f} MB")
        _searches(fig["searches"])
    if "store" in figures:
        print(f"\n## {figures['store']['path']}: {figures['store']['listings']:,} listings")
        _searches(figures["store"]["searches"])


def _searches(rows: dict[str, dict[str, Any]]) -> None:
    print(f"\n{'query':<32}{'total':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for name, r in rows.items():
        print(f"search {name:<25}{r['total']:>8}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50000", help="listings, comma-separated (default 50000)")
    parser.add_argument("--n", type=int, help="one size (older spelling of --sizes)")
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2, help="write runs per variant (the best counts)")
    parser.add_argument("--store", help="an existing SQLite store file: time its searches only")
    args = parser.parse_args(argv)
    sizes = [args.n] if args.n else [int(x) for x in args.sizes.split(",") if x.strip()]
    report(run(sizes, batch=args.batch, repeat=args.repeat, runs=args.runs, store=args.store))


if __name__ == "__main__":
    main()
