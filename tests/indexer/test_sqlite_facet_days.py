"""Facet counts per day (SQLite schema 12, indexer/sqlite_facet_days.py): searches answered from them give the
same totals, facets and pages as the hits path; the counts stay equal to a recount after new listings,
re-sightings, changed listings, purges and failed writes; the version 11 -> 12 migration counts a stored file."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from onionwatch.indexer import sqlite_facet_days, sqlite_search
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.indexer.store import PurgeRules, SearchQuery, StoreError
from onionwatch.testbed.synth import reobserve, synth_batch
from tests.indexer.data import varied_with_places


def _load(path: Path) -> SQLiteStore:
    store = SQLiteStore(f"sqlite:///{path}")
    listings, vendors = varied_with_places(3000, seed=5)
    for i in range(0, len(listings), 1000):
        store.write_batch(listings[i : i + 1000], vendors if i == 0 else [])
    store.write_batch(reobserve(listings, seed=3, days=20, share=0.4), [])  # last_seen moves to later days
    moved = [replace(item, city="Астана", district=None, scraped_at="2024-07-10T08:00:00Z") for item in listings[:50]]
    store.write_batch(moved, [])  # changed listings: their place and day move
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    return _load(tmp_path_factory.mktemp("days") / "d.sqlite")


def _day_rows(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute("SELECT * FROM facet_days WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5").fetchall()


def _recount(store: SQLiteStore) -> list[tuple]:
    conn = store._conn
    conn.execute("SAVEPOINT recount")
    try:
        sqlite_facet_days.backfill(conn)
        return _day_rows(conn)
    finally:
        conn.execute("ROLLBACK TO recount")
        conn.execute("RELEASE recount")


def _shape(result: object) -> tuple[object, ...]:
    return (result.total, [(h.listing["market"], h.listing["listing_id"]) for h in result.hits],  # type: ignore[attr-defined]
            result.facets)  # type: ignore[attr-defined]  # fmt: skip


QUERIES = [
    SearchQuery(market="alphabay"),
    SearchQuery(market=["alphabay", "hydra"], limit=50, offset=30),
    SearchQuery(since="2024-06-01"),
    SearchQuery(since="2024-07-01", market="dream"),
    SearchQuery(since="2024-03-15T00:00:00Z", limit=0),
    SearchQuery(substance="heroin"),
    SearchQuery(substance="Heroin", since="2024-05-01"),
    SearchQuery(substance="fentanyl", market="agora", since="2024-02-01", limit=5, offset=3),
    SearchQuery(substance="3-xmc"),  # an unknown substance: selected, never counted as a facet value
    SearchQuery(substance="cocaine", facets=("market", "substance_class")),
    SearchQuery(market="alphabay", sort="price_asc"),  # the page from the filled hits
    SearchQuery(since="2024-06-01", sort="oldest", limit=10, offset=200),
    SearchQuery(market="alphabay", limit=20, offset=9980),  # the window's end: a long walk or the hits
    SearchQuery(substance="nothing-like-it", since="2024-06-01"),
    SearchQuery(since="2031-01-01", market="alphabay"),
]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.market}|{q.since}|{q.substance}|{q.sort}|{q.offset}")
def test_day_counts_answer_as_the_hits_path(store: SQLiteStore, q: SearchQuery,
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    base, selected = _conds(q)
    assert sqlite_facet_days.plan_of(base, selected) is not None
    fast = store.search(q)
    monkeypatch.setattr(sqlite_facet_days, "plan_of", lambda base, selected: None)
    slow = store.search(q)
    assert _shape(fast) == _shape(slow)


def test_the_queries_cover_cities_classes_and_empty_results(store: SQLiteStore) -> None:
    got = store.search(SearchQuery(substance="heroin", since="2024-05-01"))
    assert got.total > 0 and got.facets["city"] and got.facets["district"] and got.facets["substance_class"]
    assert set(got.facets["substance_class"]) > {"opioid"}  # listings with heroin and a stimulant
    empty = store.search(SearchQuery(substance="nothing-like-it", since="2024-06-01"))
    assert empty.total == 0 and empty.facets["market"] == {} and empty.facets["substance"]


def _conds(q: SearchQuery) -> tuple[list, dict]:
    from onionwatch.indexer.query_lang import resolve
    from onionwatch.indexer.sqlite_query import base_conds, facet_conds

    node, q = resolve(q)
    return base_conds(q, node) + sqlite_search.identifier_conds(q), facet_conds(q)


@pytest.mark.parametrize("q", [
    SearchQuery(),  # no condition: facet_totals
    SearchQuery(text="cocaine", market="alphabay"),
    SearchQuery(since="2024-06-01T12:00:00Z"),  # within a day
    SearchQuery(until="2024-06-01T12:00:00Z"),  # until within a day
    SearchQuery(since="2024-06-02", until="2024-06-01"),  # since after until: B is not within A
    SearchQuery(market="alphabay", status="live"),
    SearchQuery(market="alphabay", vendor="x"),
    SearchQuery(market="alphabay", price_min=10),
    SearchQuery(substance=["heroin", "fentanyl"]),  # several substances: a listing may have both
    SearchQuery(substance_class="opioid"),
    SearchQuery(market="alphabay", country="RU"),
    SearchQuery(market="alphabay", city="Almaty"),
])  # fmt: skip
def test_other_conditions_take_the_hits_path(q: SearchQuery) -> None:
    assert sqlite_facet_days.plan_of(*_conds(q)) is None


def test_counts_equal_a_recount_after_every_kind_of_write(tmp_path: Path) -> None:
    store = _load(tmp_path / "w.sqlite")
    assert _day_rows(store._conn) == _recount(store)
    listings, _ = varied_with_places(300, seed=5)  # the first 300 again: different substances/places at a later time
    store.write_batch([replace(x, substances=[], substance=None, city="Омск", scraped_at="2024-07-12T09:00:00Z")
                       for x in listings[:100]], [])  # fmt: skip
    store.write_batch([replace(x, scraped_at="2024-01-01T00:00:00Z") for x in listings[100:200]], [])  # older
    assert _day_rows(store._conn) == _recount(store)
    purged = store.purge(PurgeRules(listings_before="2024-02-01T00:00:00Z"))
    assert purged.listings
    assert _day_rows(store._conn) == _recount(store)


def test_failed_write_leaves_the_counts_untouched(tmp_path: Path) -> None:
    store = _load(tmp_path / "f.sqlite")
    before = _day_rows(store._conn)
    listings, _ = varied_with_places(10, seed=5)
    good = replace(listings[0], city="Омск", scraped_at="2024-07-12T09:00:00Z")
    with pytest.raises(StoreError):
        store.write_batch([good, replace(good, listing_id="")], [])
    assert _day_rows(store._conn) == before


def test_version_11_store_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "v11.sqlite"
    store = _load(path)
    want = _day_rows(store._conn)
    q = SearchQuery(substance="heroin", since="2024-05-01")
    result = _shape(store.search(q))
    store.close()
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE facet_days")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (11, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(f"sqlite:///{path}")
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    assert _day_rows(migrated._conn) == want
    assert _shape(migrated.search(q)) == result
    migrated.close()


def test_first_day_is_the_oldest_day_a_page_reaches() -> None:
    days = [("2024-07-03", 5), ("2024-07-02", 0), ("2024-07-01", 10), ("2024-06-30", 1)]
    assert sqlite_facet_days.first_day(days, 5) == "2024-07-03"
    assert sqlite_facet_days.first_day(days, 6) == "2024-07-01"
    assert sqlite_facet_days.first_day(days, 16) == "2024-06-30"
    assert sqlite_facet_days.first_day(days, 100) == "2024-06-30"  # fewer hits than the page: all of them
    assert sqlite_facet_days.first_day([], 20) is None


def test_a_page_of_old_listings_is_walked_only_down_to_their_day(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A market seen only long ago: the walk starts at the newest listing but stops at the page's oldest day,
    and when that would pass more than WALK listings the page comes from the filled hits; same page both ways."""
    store = _load(tmp_path / "o.sqlite")
    old, vendors = synth_batch(40, seed=9, start="2023-01-01", days=10)
    store.write_batch([replace(x, market="oldmarket") for x in old], [replace(v, market="oldmarket") for v in vendors])
    q = SearchQuery(market="oldmarket", limit=7, offset=3)
    walked = _shape(store.search(q))
    monkeypatch.setattr(sqlite_search, "WALK", 0)
    filled = _shape(store.search(q))
    monkeypatch.setattr(sqlite_facet_days, "plan_of", lambda base, selected: None)
    assert walked == filled == _shape(store.search(q))
    assert walked[0] == 40 and len(walked[1]) == 7
