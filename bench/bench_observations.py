"""Build a SQLite store of N listings re-crawled R times (~N * (R + 1) sightings) through the store's write path.

    .venv/bin/python -m bench.bench_observations --store /var/tmp/big.sqlite [--n 1000000] [--rounds 11]
                                                 [--batch 20000] [--from-round K] [--every 67]

Round 0 writes `testbed/synth.py`'s N listings (first sightings over 60 days from 2024-01-01). Each later round
k is one crawl of every market, 67 days after the previous one (11 rounds span ~2 years): begin_crawl per
market, the round's sightings through `store.write_batch` in batches, update_crawl(complete), mark_gone. In a
round a listing is absent with probability 8 % (marked gone by that crawl; seen again later it is live
again: a forced observation), else seen at one of 8 price levels (0.85-1.2 x its first price, drawn anew
each round: 7 in 8 sightings change the price and so append an observation, the change-only rule). The
crawl clock (`sqlite_crawls.now_ts`) is the round's simulated time, so mark_gone compares like with like.
Deterministic per listing and round: `--from-round K` continues a store whose rounds < K are written.
Prints per round: sightings/s, observations added, gone, the store's size, and the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from onionwatch.extractors.records import Listing
from onionwatch.indexer import sqlite_crawls
from onionwatch.indexer.store import Store, open_store
from onionwatch.testbed.synth import MARKETS_EN, MARKETS_RU, synth_batch

START = datetime(2024, 1, 1, tzinfo=UTC)
FIRST_DAYS = 60  # first sightings spread over these days
EVERY = 67  # days between rounds
LEVELS = (0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2)
ABSENT = 0.08


def round_time(k: int, every: int = EVERY) -> datetime:
    return START + timedelta(days=FIRST_DAYS + (k - 1) * every)


def sightings(listings: list[Listing], k: int, seed: int, every: int = EVERY) -> Iterator[Listing]:
    """Round k's sightings (k >= 1), in listing order."""
    rng = random.Random(seed * 1_000 + k)
    t0 = round_time(k, every)
    for item in listings:
        absent, level, offset = rng.random() < ABSENT, rng.choice(LEVELS), rng.randrange(2 * 86400)
        if absent:
            continue
        usd = round(item.price_usd * level, 2) if item.price_usd is not None else None
        q, p = item.quantity, item.price
        yield Listing(**{
            **item.__dict__,
            "scraped_at": (t0 + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "price": type(p)(round(p.amount * level, 2), p.currency) if p is not None else None,
            "price_usd": usd,
            "price_per_gram_usd": round(usd / q.value, 4) if usd and q and q.unit == "g" else None,
        })  # fmt: skip


def _batches(items: Iterator[Listing], size: int) -> Iterator[list[Listing]]:
    batch: list[Listing] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _line(label: str, n: int, seconds: float, cpu: float, obs: int, extra: str, path: Path) -> None:
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e9
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{label:<10}{n:>9} sightings in {seconds:7.1f} s = {n / seconds:6.0f}/s"
          f" ({cpu:6.1f} s CPU = {n / cpu:5.0f}/s)  +{obs:>8} observations"
          f"  {extra}  store {size:5.2f} GB  load {load}", flush=True)  # fmt: skip


def write_round(
    store: Store, listings: list[Listing], k: int, seed: int, batch: int, path: Path, every: int = EVERY
) -> None:
    t0 = round_time(k, every)
    clock = {"now": t0}
    sqlite_crawls.now_ts = lambda: clock["now"].strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[assignment]
    crawls = {m: store.begin_crawl(m) for m in MARKETS_EN + MARKETS_RU}
    started, cpu, n, obs = time.perf_counter(), time.process_time(), 0, 0
    for part in _batches(sightings(listings, k, seed, every), batch):
        stats = store.write_batch(part, [])
        n, obs = n + len(part), obs + stats.observations
    clock["now"] = t0 + timedelta(days=3)
    gone = 0
    for crawl_id in crawls.values():
        store.update_crawl(crawl_id, "complete", {}, [])
        gone += store.mark_gone(crawl_id)
    _line(f"round {k}", n, time.perf_counter() - started, time.process_time() - cpu, obs, f"gone {gone:>7}", path)


def build(path: Path, n: int, rounds: int, batch: int, first: int, seed: int, every: int = EVERY) -> None:
    listings, vendors = synth_batch(n, seed=seed, start=START.date().isoformat(), days=FIRST_DAYS)
    store = open_store(f"sqlite:///{path}", create=True)
    began = time.perf_counter()
    try:
        if first == 0:
            started, cpu, obs = time.perf_counter(), time.process_time(), 0
            for i in range(0, n, batch):
                obs += store.write_batch(listings[i : i + batch], vendors if i == 0 else []).observations
            _line("round 0", n, time.perf_counter() - started, time.process_time() - cpu, obs, "(new)       ", path)
        for k in range(max(1, first), rounds + 1):
            write_round(store, listings, k, seed, batch, path, every)
        print(f"built in {time.perf_counter() - began:.0f} s: {store.counts()}", flush=True)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="SQLite file to build (or to continue with --from-round)")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--from-round", type=int, default=0, help="continue a store whose earlier rounds are written")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--every", type=int, default=EVERY, help="days between rounds (fewer rounds over 2 years)")
    args = parser.parse_args(argv)
    build(Path(args.store), args.n, args.rounds, args.batch, args.from_round, args.seed, args.every)


if __name__ == "__main__":
    main()
