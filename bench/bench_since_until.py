"""since + until searches and the emerging-substances test, old path vs new, alternated on one store.

    .venv/bin/python -m bench.bench_since_until --store /var/tmp/ow.sqlite [--rounds 5] [--per 3]

old: a search with ``until`` takes the hits path (every live listing filled, then counted), as before schema 16;
new: facet_days less facet_first_days (indexer/sqlite_facet_days.py). Each round times ``--per`` calls of each
shape with one path, then the other (the order swapped every round), after a warm-up of each; prints p50 / p95 ms
over all the calls of each path and the load average per round. Checked first: each search's new answer equals the
old path's with exact facets (`facets_exact`; the old path counts facets over a sample above 10,000 hits, so
`detect`'s counts were estimates on a large store and are exact now: its answers are not compared here).

--pages: since + until searches that ask for a page (sorted newest) and reports/emerging.py `_live_listings` (the
active vendors' listings of a week, pages of 1,000); old: the page from the filled hits (the walk refused, as
before it had a bound with until), new: walked from listings_recent (indexer/sqlite_search.py `_from_days`).
Checked first: total, page and facets (and every listing of `_live_listings`) equal both ways.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import date
from typing import Any
from unittest import mock

from onionwatch.indexer import sqlite_facet_days, sqlite_search
from onionwatch.indexer.store import SearchQuery, open_store
from onionwatch.reports import emerging
from onionwatch.reports.period import Period
from onionwatch.reports.signals import detect

PERIOD = Period(date(2024, 6, 3), date(2024, 6, 10))  # bench_trends' period


def old_path() -> AbstractContextManager[Any]:
    """plan_of as it was: no plan for a search with until."""
    plan_of = sqlite_facet_days.plan_of

    def without_until(base: Any, selected: Any) -> sqlite_facet_days.Plan | None:
        plan = plan_of(base, selected)
        return None if plan is None or plan.until is not None else plan

    return mock.patch.object(sqlite_facet_days, "plan_of", without_until)


SEARCHES = {
    "live_counts (since+until, substance facet)": SearchQuery(since="2024-06-03", until="2024-06-09", limit=0,
                                                              facets=("substance",)),
    "since+until, market + substance, all facets": SearchQuery(since="2024-06-03", until="2024-06-09",
                                                               market="alphabay", substance="cocaine", limit=0),
}  # fmt: skip


PAGES = {
    "since+until week, newest page of 100": SearchQuery(since="2024-06-03", until="2024-06-09", limit=100, facets=()),
    "since+until week, page of 100 at offset 5,000": SearchQuery(since="2024-06-03", until="2024-06-09", limit=100,
                                                                 offset=5000, facets=()),
    "since+until week, alphabay, page of 50, facets": SearchQuery(since="2024-06-03", until="2024-06-09",
                                                                  market="alphabay", limit=50),
}  # fmt: skip


def filled_page() -> AbstractContextManager[Any]:
    """The page from the filled hits: the walk refused, as it was for a search with until."""
    return mock.patch.object(sqlite_search, "WALK", -1)


def page_shapes(store: Any) -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {name: (lambda q=q: store.search(q)) for name, q in PAGES.items()}
    out["_live_listings (a week, pages of 1,000)"] = lambda: emerging._live_listings(store, PERIOD)
    return out


def check_pages(store: Any) -> None:
    for name, fn in page_shapes(store).items():
        new = fn()
        with filled_page():
            old = fn()
        if isinstance(new, tuple):  # _live_listings: (listings, truncated)
            assert new == old, name
            print(f"{name}: {len(new[0])} listings, equal both ways", flush=True)
            continue
        assert (new.total, [h.listing for h in new.hits], new.facets) == (old.total, [h.listing for h in old.hits],
                                                                          old.facets), name  # fmt: skip
        print(f"{name}: {new.total} hits, page of {len(new.hits)} equal both ways", flush=True)


def all_shapes(store: Any) -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {name: (lambda q=q: store.search(q)) for name, q in SEARCHES.items()}
    out["emerging test (detect, 5 searches)"] = lambda: detect(store, PERIOD)
    return out


def check(store: Any) -> None:
    """The new answers equal the old path's with exact facets."""
    for name, q in SEARCHES.items():
        new = store.search(q)
        with old_path():
            old = store.search(replace(q, facets_exact=True))
        assert (new.total, new.facets) == (old.total, old.facets), name
        print(f"{name}: {new.total} hits, {len(new.facets.get('substance', {}))} substances, equal to the old path's"
              " exact facets", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per", type=int, default=3, help="calls of each shape per path and round")
    parser.add_argument("--pages", action="store_true", help="pages with until and _live_listings (above)")
    args = parser.parse_args(argv)
    store = open_store(f"sqlite:///{args.store}")
    paths: dict[str, Callable[[], AbstractContextManager[Any]]] = {
        "old": filled_page if args.pages else old_path, "new": nullcontext}  # fmt: skip
    samples: dict[tuple[str, str], list[float]] = {}
    (check_pages if args.pages else check)(store)
    shapes = page_shapes if args.pages else all_shapes
    for fn in shapes(store).values():  # warm-up
        for ctx in paths.values():
            with ctx():
                fn()
    for k in range(args.rounds):
        order = list(paths) if k % 2 == 0 else list(reversed(paths))
        for path in order:
            with paths[path]():
                for name, fn in shapes(store).items():
                    for _ in range(args.per):
                        t = time.perf_counter()
                        fn()
                        samples.setdefault((name, path), []).append((time.perf_counter() - t) * 1000)
        print(f"round {k}: {'/'.join(order)}  load {'/'.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(f"{store.counts()}")
    for (name, path), values in samples.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"{name:<46} {path}: p50 {statistics.median(values):9.1f} ms  p95 {p95:9.1f} ms  (n={len(values)})")
    store.close()


if __name__ == "__main__":
    main()
