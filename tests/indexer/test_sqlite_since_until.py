"""since + until searches from facet counts (SQLite schema 16, indexer/sqlite_facet_days.py): facet_days (by the day
of last_seen) less facet_first_days (by the day of first_seen) gives the totals, facets and pages of the hits path,
on a re-crawled store with gone and returning listings, changed listings, out-of-order sightings, a replay and a
retention purge; both tables stay equal to a recount; the 15 -> 16 migration counts a stored file."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from bench import bench_observations
from onionwatch.indexer import sqlite_crawls, sqlite_facet_days
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.indexer.store import PurgeRules, SearchQuery, SearchResult
from onionwatch.reports.period import Period
from onionwatch.reports.signals import detect
from onionwatch.testbed.synth import MARKETS_EN, MARKETS_RU, synth_batch
from tests.indexer.data import varied_with_places

MARKETS = MARKETS_EN + MARKETS_RU

SUBSTANCES = ["cocaine", "heroin", "mdma", "fentanyl", "3-xmc", "nothing-like-it"]


def build(path: Path, n: int = 600) -> SQLiteStore:
    """n listings re-crawled 4 times 40 days apart (2024-03-01 .. 2024-06-29, 8 % absent a round: gone, and live
    again when seen later), a market seen only in February (half of it purged), changed listings, older sightings
    (first_seen moves back) and a replay."""
    listings = varied_with_places(n, seed=8, start="2024-01-01", days=bench_observations.FIRST_DAYS)[0]
    _, vendors = synth_batch(n, seed=8)
    store = SQLiteStore(f"sqlite:///{path}")
    for i in range(0, n, 200):
        store.write_batch(listings[i : i + 200], vendors if i == 0 else [])
    old, _ = synth_batch(60, seed=9, start="2024-02-01", days=14)
    store.write_batch([replace(x, market="oldmarket") for x in old], [])
    clock = sqlite_crawls.now_ts
    try:
        for k in range(1, 5):
            bench_observations.write_round(store, listings, k, 8, 150, path, every=40)
    finally:
        sqlite_crawls.now_ts = clock  # type: ignore[assignment]  # write_round sets a simulated clock
    store.write_batch([replace(x, city="Астана", district=None, substances=x.substances[:1],
                               scraped_at="2024-07-05T08:00:00Z") for x in listings[::11]], [])  # fmt: skip
    store.write_batch([replace(x, scraped_at="2023-12-20T10:00:00Z") for x in listings[::7]], [])  # older
    store.write_batch(listings[:80], [])  # a replay of first sightings
    assert store.purge(PurgeRules(listings_before="2024-02-08T00:00:00Z")).listings
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    s = build(tmp_path_factory.mktemp("until") / "u.sqlite")
    yield s
    s.close()


def _shape(r: SearchResult) -> tuple[object, ...]:
    return r.total, [(h.listing["market"], h.listing["listing_id"]) for h in r.hits], r.facets


def _hits_path(store: SQLiteStore, q: SearchQuery, monkeypatch: pytest.MonkeyPatch) -> SearchResult:
    with monkeypatch.context() as m:
        m.setattr(sqlite_facet_days, "plan_of", lambda base, selected: None)
        return store.search(q)


def _day(d: date) -> str:
    return d.isoformat()


def _queries() -> list[SearchQuery]:
    """Fixed cases, then random day bounds (since <= until, 2023-12-15 .. 2024-07-15), markets and a substance."""
    out = [
        SearchQuery(since="2024-06-03", until="2024-06-09", limit=0, facets=("substance",)),  # live_counts' shape
        SearchQuery(since="2024-03-01", until="2024-03-01", limit=0),  # one day
        SearchQuery(until="2024-01-15", limit=0),  # until alone: everything less B
        SearchQuery(until="2023-12-20"),  # only the older sightings' day
        SearchQuery(since="2023-12-01", until="2023-12-19"),  # before anything: empty
        SearchQuery(since="2024-07-20", until="2024-08-01"),  # after everything: empty
        SearchQuery(since="2024-02-01", until="2024-02-14T23:59:59Z", market="oldmarket"),  # the purged market
        SearchQuery(since="2024-04-01", until="2024-05-31", market=["alphabay", "hydra"], substance="heroin",
                    facets=("market", "substance", "substance_class", "city", "district", "country")),
        SearchQuery(since="2024-04-01", until="2024-05-31", substance="3-xmc"),  # an unknown substance
        SearchQuery(since="2024-04-01", until="2024-05-31", substance="nothing-like-it"),
        SearchQuery(since="2024-05-01", until="2024-06-30", limit=25, offset=40),  # the page from the filled hits
        SearchQuery(since="2024-05-01", until="2024-06-30", market="dream", sort="price_asc", limit=10, offset=5),
    ]  # fmt: skip
    rng = random.Random(16)
    first = date(2023, 12, 15)
    for _ in range(40):
        a, b = sorted(rng.randrange(215) for _ in range(2))
        markets = rng.sample(MARKETS, rng.choice([0, 0, 1, 2, 3]))
        out.append(SearchQuery(
            since=_day(first + timedelta(days=a)) if rng.random() < 0.85 else None,
            until=_day(first + timedelta(days=b)),
            market=markets or None,
            substance=rng.choice(SUBSTANCES) if rng.random() < 0.4 else None,
            limit=rng.choice([0, 0, 10]),
            offset=rng.choice([0, 7]),
            sort=rng.choice(["newest", "oldest"]),
        ))  # fmt: skip
    return out


QUERIES = _queries()


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.since}|{q.until}|{q.market}|{q.substance}|{q.limit}")
def test_since_until_counts_answer_as_the_hits_path(store: SQLiteStore, q: SearchQuery,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from tests.indexer.test_sqlite_facet_days import _conds

    assert sqlite_facet_days.plan_of(*_conds(q)) is not None
    assert _shape(store.search(q)) == _shape(_hits_path(store, q, monkeypatch))


def test_the_store_has_what_the_queries_are_for(store: SQLiteStore) -> None:
    conn = store._conn
    assert conn.execute("SELECT count(*) FROM listings WHERE status = 'gone'").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM listings WHERE first_seen < '2024-01-01'").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM listings WHERE market = 'oldmarket'").fetchone()[0] in range(1, 60)
    got = store.search(SearchQuery(since="2024-06-03", until="2024-06-09", limit=0))
    assert 0 < got.total < store.counts()["listings"] and got.facets["city"] and got.facets["substance_class"]
    assert sum(1 for q in QUERIES if store.search(replace(q, limit=0)).total) > len(QUERIES) // 2


def test_detect_is_unchanged(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    period = Period(date(2024, 6, 3), date(2024, 6, 10))
    fast = detect(store, period, baseline=6)
    with monkeypatch.context() as m:
        m.setattr(sqlite_facet_days, "plan_of", lambda base, selected: None)
        assert detect(store, period, baseline=6) == fast
    assert fast["series"]["counts"]


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    return conn.execute(f"SELECT * FROM {table} WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5").fetchall()


def test_both_tables_equal_a_recount(store: SQLiteStore) -> None:
    conn = store._conn
    kept = [_rows(conn, t) for t in (sqlite_facet_days.LAST, sqlite_facet_days.FIRST)]
    conn.execute("SAVEPOINT recount")
    try:
        sqlite_facet_days.backfill(conn)
        sqlite_facet_days.backfill_first(conn)
        assert kept == [_rows(conn, t) for t in (sqlite_facet_days.LAST, sqlite_facet_days.FIRST)]
    finally:
        conn.execute("ROLLBACK TO recount")
        conn.execute("RELEASE recount")
    assert kept[1] and kept[1] != kept[0]


def test_since_after_until_and_partial_days_take_the_hits_path() -> None:
    from tests.indexer.test_sqlite_facet_days import _conds

    for q in (SearchQuery(since="2024-06-02", until="2024-06-01"), SearchQuery(until="2024-06-01T12:00:00Z"),
              SearchQuery(since="2024-06-01T06:00:00Z", until="2024-06-02"),
              SearchQuery(since="2024-06-01", until="2024-06-02", status="live")):  # fmt: skip
        assert sqlite_facet_days.plan_of(*_conds(q)) is None


def test_version_15_store_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v15.sqlite"
    s = build(path, n=300)
    want = _rows(s._conn, sqlite_facet_days.FIRST)
    answers = [_shape(s.search(q)) for q in QUERIES[:12]]
    s.close()
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE facet_first_days")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (15, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(f"sqlite:///{path}")
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    assert _rows(migrated._conn, sqlite_facet_days.FIRST) == want
    assert [_shape(migrated.search(q)) for q in QUERIES[:12]] == answers
    migrated.close()
