"""Generated stores for the emerging test: weeks of daily complete crawls on three markets.

Each week every substance gets new listings at a steady rate (a fixed random generator: the same store
every run); each listing lives 2-12 days (observed on its first and last day). ``planted`` gets four
times its rate in the last week; ``control`` keeps the same rate throughout. ``uniform_random`` gives every
substance its own random, steady rate. Crawl records are made with the store's clock pinned to each day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from onionwatch.extractors.records import Listing
from onionwatch.indexer.store import Store
from tests.indexer.data import at, listing

MARKETS = ("alpha", "bravo", "klad")
WEEKS = 6
FIRST_MONDAY = date(2026, 9, 7)
LAST_WEEK = FIRST_MONDAY + timedelta(weeks=WEEKS - 1)
SUBSTANCES = ("mdma", "cocaine", "amphetamine", "ketamine", "mephedrone", "heroin", "cannabis", "lsd")


def _ts(d: date, hour: int = 10) -> str:
    return f"{d.isoformat()}T{hour:02d}:00:00Z"


def _plan(rates: dict[str, float], boost: dict[str, float], seed: int) -> dict[date, list[Listing]]:
    rng = random.Random(seed)
    days: dict[date, list[Listing]] = {}
    n = 0
    for week in range(WEEKS):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        for sub, rate in rates.items():
            lam = rate * (boost.get(sub, 1.0) if week == WEEKS - 1 else 1.0)
            for _ in range(_poisson(rng, lam)):
                n += 1
                market = rng.choice(MARKETS)
                first = monday + timedelta(days=rng.randrange(7))
                last = min(first + timedelta(days=rng.randrange(2, 13)), LAST_WEEK + timedelta(days=6))
                item = listing(
                    market,
                    f"l{n}",
                    f"{sub} {n} 1g",
                    at=_ts(first),
                    vendor=f"v{n % 17}",
                    vendor_id=f"v{n % 17}",
                    sub=sub,
                    cls="stimulant",
                    qty=1,
                    usd=rng.randint(20, 90),
                )
                days.setdefault(first, []).append(item)
                days.setdefault(last, []).append(at(item, _ts(last, 11)))
    return days


def _poisson(rng: random.Random, lam: float) -> int:
    k, p, limit = 0, 1.0, pow(2.718281828459045, -lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def fill(store: Store, rates: dict[str, float], boost: dict[str, float], seed: int = 13,
         weeks: int = WEEKS) -> Store:  # fmt: skip
    """Write the plan day by day, with one complete crawl per market per day (clock pinned to that day)."""
    days = _plan(rates, boost, seed)
    with pytest.MonkeyPatch.context() as monkeypatch:  # its own: the test's other patches stay
        for i in range(weeks * 7):
            day = FIRST_MONDAY + timedelta(weeks=WEEKS - weeks, days=i)
            _pin_clock(monkeypatch, _ts(day, 9))
            crawls = [(store.begin_crawl(m), m) for m in MARKETS]
            items = sorted(days.get(day, []), key=lambda x: (x.scraped_at, x.market, x.listing_id))
            if items:
                store.write_batch(items, [])
            for crawl_id, _m in crawls:
                store.update_crawl(crawl_id, "complete", {"pages": 1}, [], None)
    return store


def _pin_clock(monkeypatch: pytest.MonkeyPatch, ts: str) -> None:
    import onionwatch.indexer.elastic as elastic
    import onionwatch.indexer.sqlite_crawls as sqlite_crawls

    monkeypatch.setattr(sqlite_crawls, "now_ts", lambda: ts)
    monkeypatch.setattr(elastic, "now_ts", lambda: ts, raising=False)


PLANTED_RATES = {s: 6.0 for s in SUBSTANCES}
PLANTED_BOOST = {"ketamine": 4.0}  # ketamine is planted; mdma (same rate, no boost) is the control
