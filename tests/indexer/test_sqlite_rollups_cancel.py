"""Rollup write path (indexer/sqlite_rollups.py `Tracker`): only the segments a write can change (`changed_tails`)
are subtracted and added. The rollup tables must be identical to the old path's (every old segment subtracted, every new one
added) after re-crawls with price changes, gone and returning listings, out-of-order and replayed sightings."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from bench import bench_observations
from onionwatch.indexer import changes, sqlite_rollups
from onionwatch.indexer.changes import ObsRow
from onionwatch.indexer.query import INTERVALS
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.testbed.synth import synth_batch
from tests.indexer.test_sqlite_rollups import agree

TABLES = ("trend_counts", "trend_prices", "trend_vendors", "trend_vendor_counts")


def old_add(deltas: sqlite_rollups.Deltas, rows: list[ObsRow], sign: int) -> None:
    """Deltas.add as it was before the segments were counted (one dict update per segment and row)."""
    for interval in INTERVALS:
        for lo, hi, r in changes.segments(rows, interval):
            if r.vendor_key:
                v = deltas.vendors[(interval, r.market, r.vendor_key)]
                v[lo] += sign
                v[hi + 1] -= sign
            if r.substance is None:
                continue
            deltas.counts[(interval, r.substance, r.market, lo)] += sign
            deltas.counts[(interval, r.substance, r.market, hi + 1)] -= sign
            if r.price_per_gram_usd is not None:
                b = sqlite_rollups.bucket_of(r.price_per_gram_usd)
                micros = round(r.price_per_gram_usd * sqlite_rollups.MICROS)
                for period, s in ((lo, sign), (hi + 1, -sign)):
                    cell = deltas.prices[(interval, r.substance, b, period)]
                    cell[0] += s
                    cell[1] += s * micros


class OldTracker:
    """The old Tracker: every stored segment of the touched listings out, every new one in."""

    def __init__(self) -> None:
        self.deltas = sqlite_rollups.Deltas()

    def before(self, conn: sqlite3.Connection, pks: list[int]) -> None:
        old_add(self.deltas, list(sqlite_rollups.listing_rows(conn, pks)), -1)

    def after(self, conn: sqlite3.Connection, pks: list[int]) -> None:
        old_add(self.deltas, list(sqlite_rollups.listing_rows(conn, pks)), +1)
        self.deltas.write(conn)


def recrawled(path: Path, n: int = 300, rounds: int = 4) -> SQLiteStore:
    """bench_observations' store in small: n listings, `rounds` re-crawls with gone/returning listings, plus an
    out-of-order batch (older sightings of some listings) and a replay."""
    listings, vendors = synth_batch(n, seed=5, start="2024-01-01", days=bench_observations.FIRST_DAYS)
    store = SQLiteStore(f"sqlite:///{path}")
    for i in range(0, n, 100):
        store.write_batch(listings[i : i + 100], vendors if i == 0 else [])
    for k in range(1, rounds + 1):
        bench_observations.write_round(store, listings, k, 5, 70, path, every=40)
    older = [replace(x, scraped_at="2023-12-20T00:00:00Z", price_usd=(x.price_usd or 0) + 1) for x in listings[::7]]
    store.write_batch(older, [])
    store.write_batch(listings[:50], [])
    return store


def tables(store: SQLiteStore) -> list[list[tuple]]:
    return [store._conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3, 4").fetchall() for t in TABLES]


@pytest.fixture(autouse=True)
def _crawl_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from onionwatch.indexer import sqlite_crawls

    monkeypatch.setattr(sqlite_crawls, "now_ts", sqlite_crawls.now_ts)  # write_round sets a simulated clock


def test_cancelled_segments_write_the_same_rollups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new = recrawled(tmp_path / "new.sqlite")
    with monkeypatch.context() as m:
        m.setattr(sqlite_rollups, "Tracker", OldTracker)
        old = recrawled(tmp_path / "old.sqlite")
    assert new.counts() == old.counts()
    assert new._conn.execute("SELECT count(*) FROM listings WHERE status = 'gone'").fetchone()[0] > 0
    assert new.counts()["observations"] > 3 * new.counts()["listings"]  # re-observed with price changes
    assert tables(new) == tables(old)
    agree(new, exact_medians=False)


def _row(at: str, ppg: float, last_seen: str) -> ObsRow:
    return ObsRow(1, at, "m", "cocaine", ppg, "v", last_seen)


def test_changed_tails_from_the_old_last_observation_on() -> None:
    old = [_row("2024-01-02T00:00:00Z", 50.0, "2024-03-01T00:00:00Z"),
           _row("2024-02-02T00:00:00Z", 52.0, "2024-03-01T00:00:00Z")]  # fmt: skip
    appended = [r._replace(last_seen="2024-05-01T00:00:00Z") for r in old]
    appended.append(_row("2024-05-01T00:00:00Z", 55.0, "2024-05-01T00:00:00Z"))
    assert sqlite_rollups.changed_tails(old, appended) == (old[1:], appended[1:])
    reseen = [r._replace(last_seen="2024-04-01T00:00:00Z") for r in old]  # no new observation, last_seen moves
    assert sqlite_rollups.changed_tails(old, reseen) == (old[1:], reseen[1:])
    earlier = [_row("2023-12-01T00:00:00Z", 49.0, "2024-03-01T00:00:00Z"), *old]  # out of order: all rows
    assert sqlite_rollups.changed_tails(old, earlier) == (old, earlier)
    assert sqlite_rollups.changed_tails([], appended) == ([], appended)  # a new listing
    for a, b in ((old, appended), (old, reseen), (old, earlier)):  # the tails' deltas are the full ones
        tail, full = sqlite_rollups.Deltas(), sqlite_rollups.Deltas()
        ta, tb = sqlite_rollups.changed_tails(a, b)
        tail.add(ta, -1)
        tail.add(tb, +1)
        old_add(full, a, -1)
        old_add(full, b, +1)
        assert {k: v for k, v in tail.counts.items() if v} == {k: v for k, v in full.counts.items() if v}
        assert {k: v for k, v in tail.prices.items() if v != [0, 0]} == {
            k: v for k, v in full.prices.items() if v != [0, 0]}  # fmt: skip
        assert {k: {p: d for p, d in v.items() if d} for k, v in tail.vendors.items()} == {
            k: {p: d for p, d in v.items() if d} for k, v in full.vendors.items()}  # fmt: skip
