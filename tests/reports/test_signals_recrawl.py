"""The emerging test (reports/signals.py ``detect``) on a re-crawled SQLite store: its live counts equal a raw count
over the listings (distinct listings per known substance with last_seen on or after the period's first day and
first_seen on or before its last day), so every detect answer equals the one computed from that raw count, for
weeks and months across the store's span (gone and returning listings, listings first seen before the first crawl,
a purged market), one baseline period, a period with no data, and an empty store. And the counts come from the
day-count tables alone: no statement of ``detect`` reads ``listings`` or ``observations`` (its cost is bounded by
days x markets x substances, not by listings or observations)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bench import bench_observations
from onionwatch.indexer import sqlite_facet_days
from onionwatch.indexer.query import FACET_SIZE, sorted_counts
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import Store
from onionwatch.reports import signals
from onionwatch.reports.period import Period
from tests.indexer.data import varied_with_places
from tests.indexer.test_sqlite_since_until import build

N = 300  # listings of the re-crawled store (tests/indexer/test_sqlite_since_until.py build)
RAW = (
    "SELECT s.canonical, count(DISTINCT l.id) FROM listings l JOIN listing_substances s ON s.listing_pk = l.id"
    " WHERE s.known = 1 AND s.canonical IS NOT NULL AND l.last_seen >= ? AND l.first_seen <= ? GROUP BY s.canonical"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    s = build(tmp_path_factory.mktemp("signals") / "r.sqlite", n=N)
    yield s
    s.close()


def raw_live_counts(store: Store, period: Period) -> tuple[dict[str, int], bool]:
    """live_counts from the listings rows themselves (the definition, no index or count table)."""
    assert isinstance(store, SQLiteStore)
    bounds = (period.start.isoformat() + "T00:00:00Z", period.last_day.isoformat() + "T23:59:59Z")
    counts = sorted_counts(store._conn.execute(RAW, bounds).fetchall())
    return counts, len(counts) >= FACET_SIZE


def _raw_detect(store: Store, period: Period, monkeypatch: pytest.MonkeyPatch, **kw: int) -> dict[str, object]:
    with monkeypatch.context() as m:
        m.setattr(signals, "live_counts", raw_live_counts)
        return signals.detect(store, period, **kw)


def _weeks() -> list[Period]:
    monday = date(2023, 12, 11)
    return [Period(monday + timedelta(weeks=i), monday + timedelta(weeks=i + 1)) for i in range(0, 34, 3)]


MONTHS = [Period(date(2024, m, 1), date(2024, m + 1, 1)) for m in range(1, 8)]


@pytest.mark.parametrize("period", _weeks() + MONTHS, ids=lambda p: p.label)
def test_live_counts_equal_the_raw_count(store: SQLiteStore, period: Period) -> None:
    assert signals.live_counts(store, period) == raw_live_counts(store, period)


@pytest.mark.parametrize("period", [*_weeks()[3:], *MONTHS[2:]], ids=lambda p: p.label)
@pytest.mark.parametrize("baseline", [1, 4])
def test_detect_equals_detect_from_the_raw_count(store: SQLiteStore, period: Period, baseline: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    fast = signals.detect(store, period, baseline=baseline, min_count=2)
    assert fast == _raw_detect(store, period, monkeypatch, baseline=baseline, min_count=2)
    assert len(fast["series"]["periods"]) in (1, baseline + 1)


def test_the_store_is_re_crawled_with_gone_and_returning_listings(store: SQLiteStore) -> None:
    conn = store._conn
    assert conn.execute("SELECT count(*) FROM listings WHERE status = 'gone'").fetchone()[0] > 0
    per_listing = conn.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM observations GROUP BY listing_pk)")
    assert per_listing.fetchone()[0] >= 4
    # returning listings: absent from a crawl (marked gone by it), seen again by the last one (live again)
    listings = varied_with_places(N, seed=8, start="2024-01-01", days=bench_observations.FIRST_DAYS)[0]
    rounds = [{x.listing_id for x in bench_observations.sightings(listings, k, 8, 40)} for k in range(1, 5)]
    returning = set().union(*(rounds[3] - seen for seen in rounds[:3]))
    assert returning
    marks = ",".join("?" * len(returning))
    status = conn.execute(f"SELECT DISTINCT status FROM listings WHERE market <> 'oldmarket' AND listing_id IN ({marks})"
                          " AND last_seen >= '2024-06-29'", sorted(returning)).fetchall()  # fmt: skip
    assert [tuple(r) for r in status] == [("live",)]
    june = Period(date(2024, 6, 3), date(2024, 6, 10))
    counts, _ = signals.live_counts(store, june)
    assert counts and all(n > 0 for n in counts.values())
    assert signals.detect(store, june, min_count=2)["status"] == "ok"


def test_no_data_before_or_after_the_store(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    before = Period(date(2023, 6, 5), date(2023, 6, 12))
    after = Period(date(2025, 6, 2), date(2025, 6, 9))
    for period in (before, after):
        assert signals.live_counts(store, period) == ({}, False) == raw_live_counts(store, period)
    early = signals.detect(store, before)
    assert early["status"] == "no_baseline" and early["rows"] == [] and early == _raw_detect(store, before, monkeypatch)
    late = signals.detect(store, after)
    assert late["status"] == "ok" and late["rows"] == [] and late == _raw_detect(store, after, monkeypatch)


def test_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = SQLiteStore(f"sqlite:///{tmp_path}/e.sqlite")
    try:
        week = Period(date(2024, 6, 3), date(2024, 6, 10))
        got = signals.detect(empty, week)
        assert got["status"] == "no_baseline" and got["rows"] == [] and got["history_start"] is None
        assert got == _raw_detect(empty, week, monkeypatch)
    finally:
        empty.close()


def test_detect_reads_no_listing_or_observation_row(store: SQLiteStore) -> None:
    """Every live count comes from facet_days / facet_first_days (sqlite_facet_days.plan_of): the statements detect
    runs name neither table, so more observations or re-crawled listings cost it nothing but day rows."""
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        got = signals.detect(store, Period(date(2024, 6, 3), date(2024, 6, 10)), baseline=4)
    finally:
        store._conn.set_trace_callback(None)
    assert got["series"]["counts"] and statements
    assert any(sqlite_facet_days.FIRST in s for s in statements)
    read = [s for s in statements if re.search(r"\b(FROM|JOIN)\s+(listings|observations)\b", s)]
    assert read == []
