"""Trend rollups of SQLite schema 9 (indexer/sqlite_rollups.py) against the raw computation over every observation.

Counts must be identical; medians identical where the middle rank's price bucket holds one price (every hand-made
dataset here), else within the bucket (about 2 %). Also: out-of-order and replayed writes, purges, a failed write,
and the version 8 -> 9 migration that backfills them.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from onionwatch.indexer import sqlite_rollups, sqlite_trends
from onionwatch.indexer.query import INTERVALS
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.indexer.store import PurgeRules, StoreError
from onionwatch.testbed.synth import reobserve, synth_batch
from tests.indexer import data

BUCKET = 1.0205  # e ** (1 / 50): the widest a bucket is (relative)


def agree(store: SQLiteStore, *, exact_medians: bool) -> None:
    conn = store._conn
    markets = [None, *(m for (m,) in conn.execute("SELECT DISTINCT market FROM listings"))]
    for interval in INTERVALS:
        for market in markets:
            assert sqlite_trends.listings_per_substance(conn, interval, market) == (
                sqlite_trends.raw_listings_per_substance(conn, interval, market)), (interval, market)  # fmt: skip
            assert sqlite_trends.active_vendors(conn, interval, market) == (
                sqlite_trends.raw_active_vendors(conn, interval, market)), (interval, market)  # fmt: skip
        got, want = (f(conn, None, interval) for f in (sqlite_trends.price_per_gram, sqlite_trends.raw_price_per_gram))
        assert [(r["period"], r["substance"], r["observations"]) for r in got] == [
            (r["period"], r["substance"], r["observations"]) for r in want]  # fmt: skip
        for g, w in zip(got, want, strict=True):
            if exact_medians:
                assert g["median_usd_per_gram"] == pytest.approx(w["median_usd_per_gram"], rel=1e-9, abs=1e-6)
            else:
                assert (
                    w["median_usd_per_gram"] / BUCKET <= g["median_usd_per_gram"] <= w["median_usd_per_gram"] * BUCKET
                )


def load_contract(store: SQLiteStore) -> SQLiteStore:
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    return store


def test_contract_dataset_rollups_equal_the_raw_trends(tmp_path: Path) -> None:
    store = load_contract(SQLiteStore(f"sqlite:///{tmp_path}/c.sqlite"))
    assert store.listings_per_substance("week")  # the dataset has trends at all
    agree(store, exact_medians=True)
    store.write_batch(*data.batches()[0])  # a replay changes nothing
    agree(store, exact_medians=True)


def test_synthetic_store_with_recrawls_out_of_order_and_replays(tmp_path: Path) -> None:
    store = SQLiteStore(f"sqlite:///{tmp_path}/s.sqlite")
    listings, vendors = synth_batch(1500, seed=3, days=120)
    later = reobserve(listings, seed=4, days=9, share=0.6)
    latest = reobserve(later, seed=5, days=30, share=0.5)
    store.write_batch(latest[:300], vendors)  # newest sightings first: older ones arrive after
    for i in range(0, len(listings), 400):
        store.write_batch(listings[i : i + 400], [])
    store.write_batch(later, [])
    store.write_batch(latest, [])
    store.write_batch(later[:200], [])  # replay of an older crawl
    agree(store, exact_medians=False)
    assert store._conn.execute("SELECT count(*) FROM trend_counts WHERE delta <> 0").fetchone()[0] > 0


def test_shuffled_sightings_keep_rollups_equal_to_the_rows(tmp_path: Path) -> None:
    """Any arrival order (the stored observations may differ by order: change-only rule) still agrees."""
    listings, vendors = synth_batch(400, seed=8, days=60)
    sightings = listings + reobserve(listings, seed=9, days=12, share=0.7)
    for seed in (1, 2):
        store = SQLiteStore(f"sqlite:///{tmp_path}/{seed}.sqlite")
        order = random.Random(seed).sample(sightings, len(sightings))
        for i in range(0, len(order), 97):
            store.write_batch(order[i : i + 97], vendors)
        agree(store, exact_medians=False)
        store.close()


def test_purge_subtracts_the_listings_it_deletes(tmp_path: Path) -> None:
    store = load_contract(SQLiteStore(f"sqlite:///{tmp_path}/p.sqlite"))
    before = store.listings_per_substance("month")
    result = store.purge(PurgeRules(listings_before="2024-01-20T00:00:00Z"))
    assert result.listings  # something was purged
    agree(store, exact_medians=True)
    assert store.listings_per_substance("month") != before


def test_failed_write_leaves_rollups_untouched(tmp_path: Path) -> None:
    store = load_contract(SQLiteStore(f"sqlite:///{tmp_path}/f.sqlite"))
    snapshot = store._conn.execute("SELECT * FROM trend_counts ORDER BY 1, 2, 3, 4").fetchall()
    good = data.at(data.base_listings()["a1"], "2024-03-05T10:00:00Z", price_usd=99.0)
    with pytest.raises(StoreError):
        store.write_batch([good, replace(good, listing_id="")], [])
    assert store._conn.execute("SELECT * FROM trend_counts ORDER BY 1, 2, 3, 4").fetchall() == snapshot


def test_version_8_store_is_backfilled(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/v8.sqlite"
    store = load_contract(SQLiteStore(url))
    want = store.listings_per_substance("week"), store.price_per_gram(None, "month")
    store.close()
    with sqlite3.connect(f"{tmp_path}/v8.sqlite") as raw:
        raw.execute("DROP TABLE trend_counts")
        raw.execute("DROP TABLE trend_prices")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (8, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    assert (migrated.listings_per_substance("week"), migrated.price_per_gram(None, "month")) == want
    agree(migrated, exact_medians=True)


def test_version_10_store_gets_the_vendor_rollups(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/v10.sqlite"
    store = load_contract(SQLiteStore(url))
    want = [store.active_vendors(i) for i in INTERVALS]
    assert want[1]  # the dataset has active vendors at all
    objects = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    fresh = set(store._conn.execute(objects))
    first_seen = store.substances_first_seen("2024-01-01")
    store.close()
    with sqlite3.connect(f"{tmp_path}/v10.sqlite") as raw:
        for sql in ("DROP TABLE trend_vendors", "DROP TABLE trend_vendor_counts",
                    "DROP INDEX listing_substances_first", "DROP INDEX listings_seen",
                    "CREATE INDEX listings_last_seen ON listings (last_seen DESC)"):  # fmt: skip
            raw.execute(sql)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (10, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    assert [migrated.active_vendors(i) for i in INTERVALS] == want
    assert set(migrated._conn.execute(objects)) == fresh
    assert migrated.substances_first_seen("2024-01-01") == first_seen
    agree(migrated, exact_medians=True)


def test_vendor_active_ranges_across_listings() -> None:
    """Two listings of one vendor: overlapping, adjacent or apart ranges count the vendor once per period."""
    active = sqlite_rollups._active_ranges
    assert list(active({1: 1, 3: 1, 5: -1, 8: -1})) == [(1, 8)]  # [1, 4] and [3, 7] overlap
    assert list(active({1: 1, 3: 0, 6: -1})) == [(1, 6)]  # [1, 2] then [3, 5]: one run
    assert list(active({1: 1, 3: -1, 6: 1, 7: -1})) == [(1, 3), (6, 7)]  # apart: two runs


def test_median_of_a_bucket_with_several_prices_stays_within_it() -> None:
    hist = {sqlite_rollups.bucket_of(10.0): [2, 10_000_000 + 10_100_000]}  # 10.00 and 10.10: one bucket
    row = sqlite_rollups._median_row(hist, "x", 738000, "day")
    assert row is not None and row["observations"] == 2 and row["median_usd_per_gram"] == pytest.approx(10.05)
    assert sqlite_rollups.bucket_of(10.0) != sqlite_rollups.bucket_of(10.3)  # 3 % apart: separate buckets


def test_first_seen_and_live_in_a_period_read_covering_indexes(tmp_path: Path) -> None:
    store = load_contract(SQLiteStore(f"sqlite:///{tmp_path}/i.sqlite"))

    def plan(sql: str, args: tuple[object, ...]) -> str:
        return " ".join(r[3] for r in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", args))

    assert "COVERING INDEX listing_substances_first" in plan(sqlite_trends.FIRST_SEEN_SQL, ("x", None, None))
    live = "SELECT l.id FROM listings l WHERE (l.last_seen >= ?) AND (l.first_seen <= ?)"
    assert "COVERING INDEX listings_seen" in plan(live, ("2024-01-01", "2024-01-08"))
