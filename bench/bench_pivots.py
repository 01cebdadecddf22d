"""Identifier index and places on SQLite: write cost of the index, pivot/filter/city latency at N listings.

    .venv/bin/python -m bench.bench_pivots --n 20000 [--n 100000]

Loads testbed/synth.py listings (seeded) twice into temporary stores, with the identifier index and with its
write step switched off, and prints listings/s for both; then p50/p95 ms of a pivot on a busy vendor's PGP
fingerprint and Telegram handle, a search filtered by that identifier, the map's places() and one city view.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from unittest import mock

from bench._timing import timed
from onionwatch.indexer import identifiers, sqlite_identifiers
from onionwatch.indexer.store import SearchQuery, open_store
from onionwatch.testbed.synth import synth_batch


def load(path: Path, listings: list, vendors: list, batch: int = 1000) -> float:
    store = open_store(f"sqlite:///{path}")
    t = time.perf_counter()
    store.write_batch([], vendors)
    for i in range(0, len(listings), batch):
        store.write_batch(listings[i : i + batch], [])
    rate = len(listings) / (time.perf_counter() - t)
    store.close()
    return rate


def run(n: int, repeat: int) -> list[tuple[str, object]]:
    listings, vendors = synth_batch(n, seed=1)
    # the pipeline reads the city from a klad shop's location ("Алматы / центр"); synth leaves that to it
    listings = [replace(x, city=x.location.split(" / ")[0]) if x.location else x for x in listings]
    t = time.perf_counter()
    for x in listings:
        identifiers.from_listing(x)
    per_listing = (time.perf_counter() - t) / len(listings) * 1e6
    with tempfile.TemporaryDirectory() as tmp:
        with mock.patch.object(sqlite_identifiers, "write", lambda *a: None):
            off = load(Path(tmp) / "off.sqlite", listings, vendors)
        on = load(Path(tmp) / "on.sqlite", listings, vendors)
        store = open_store(f"sqlite:///{tmp}/on.sqlite")
        busy = collections.Counter((x.market, x.vendor_id) for x in listings)
        by_key = {(v.market, v.vendor_id): v for v in vendors}
        fp = next(by_key[k].pgp_fingerprint for k, _ in busy.most_common() if by_key[k].pgp_fingerprint)
        tg = next(by_key[k].contacts["telegram"][0] for k, _ in busy.most_common() if by_key[k].contacts)
        city = store.places()[0]["city"]
        rows: list[tuple[str, object]] = [
            ("identifiers of one listing, µs", f"{per_listing:.0f}"),
            ("write, listings/s (index off / on)", f"{off:,.0f} / {on:,.0f}"),
            ("pivot pgp:<busiest vendor>", timed(lambda: store.pivot(f"pgp:{fp}"), repeat)),
            ("pivot tg:<handle>", timed(lambda: store.pivot(f"tg:{tg}"), repeat)),
            ("search identifier=pgp:…", timed(lambda: store.search(SearchQuery(identifier=f"pgp:{fp}")), repeat)),
            ("places() (map)", timed(store.places, repeat)),
            (f"city_summary({city})", timed(lambda: store.city_summary([city]), repeat)),
        ]
        store.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    for n in args.n or [20000]:
        rows = run(n, args.repeat)
        print(f"\nSQLite, {n:,} synthetic listings (p50 / p95 ms)")
        for name, value in rows:
            shown = value if isinstance(value, str) else f"{value[0]:.1f} / {value[1]:.1f}"  # type: ignore[index]
            print(f"  {name:<40} {shown}")


if __name__ == "__main__":
    main()
