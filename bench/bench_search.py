"""Search benchmark (issue 13): the write-rate cost of the search keys, and query-language latencies.

    .venv/bin/python -m bench.bench_search [--n 50000] [--batch 10000] [--repeat 20] [--runs 2]

1. Stemming alone: Snowball stems of title + description + vendor per listing, cold caches (µs/listing).
2. SQLite bulk write docs/s with the version 6 search keys (stems, listings_stem, country, place keys) and
   with them switched off in the same build (keys empty, listings_stem triggers dropped): the cost.
3. p50/p95 latency of query-language searches, sorts and multi-select facets on the store with keys.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from functools import partial
from pathlib import Path
from unittest import mock

from bench._timing import timed
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


def stemming(n: int) -> None:
    listings, _ = synth_batch(n, seed=42)
    clear_caches()
    started = time.perf_counter()
    for item in listings:
        for text in (item.title, item.description, item.vendor):
            search_keys.stem_text(text)
    elapsed = time.perf_counter() - started
    print(f"stemming     {n:>7} listings in {elapsed:6.2f} s  = {elapsed / n * 1e6:8.1f} µs/listing (cold caches)")


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2, help="write runs per variant (the best counts)")
    args = parser.parse_args(argv)
    stemming(args.n)
    with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
        rates: dict[bool, list[float]] = {False: [], True: []}
        store: SQLiteStore | None = None
        for run in range(args.runs):  # alternate, so a busy machine weighs on both alike
            for keys in (False, True):
                rate, s = write_rate(Path(tmp) / f"{'keys' if keys else 'plain'}-{run}.sqlite", args.n, args.batch,
                                     keys=keys)  # fmt: skip
                rates[keys].append(rate)
                if keys and store is None:
                    store = s
                else:
                    s.close()
        assert store is not None
        without, with_keys = max(rates[False]), max(rates[True])
        print(f"bulk write   without search keys {without:8.0f} docs/s  (best of {args.runs}: "
              f"{', '.join(f'{r:.0f}' for r in rates[False])})")  # fmt: skip
        cost = (1 - with_keys / without) * 100
        print(f"bulk write   with search keys    {with_keys:8.0f} docs/s  ({cost:.0f}% slower; "
              f"{', '.join(f'{r:.0f}' for r in rates[True])})")  # fmt: skip
        size = {p.name: p.stat().st_size / 1e6 for p in Path(tmp).glob("*-0.sqlite")}
        print(f"file size    without {size['plain-0.sqlite']:.1f} MB, with {size['keys-0.sqlite']:.1f} MB")
        print(f"\n{'query':<32}{'total':>8}{'p50 ms':>10}{'p95 ms':>10}")
        try:
            for name, q in SEARCHES.items():
                total = store.search(q).total
                p50, p95 = timed(partial(store.search, q), args.repeat)
                print(f"search {name:<25}{total:>8}{p50:>10.1f}{p95:>10.1f}")
        finally:
            store.close()


if __name__ == "__main__":
    main()
