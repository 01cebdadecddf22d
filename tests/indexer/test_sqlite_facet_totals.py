"""Facet totals kept by triggers (schema 9, indexer/sqlite_facet_totals.py) and the search paths that use them:
every total equals the scan it replaces, after inserts, content changes, replays, purges and a migration."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from onionwatch.indexer import sqlite_facet_totals, sqlite_search
from onionwatch.indexer.query import sorted_counts
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import PurgeRules, SearchQuery
from onionwatch.testbed.synth import reobserve, synth_batch
from tests.indexer import data

SCANS = {
    **{c: f"SELECT {c}, count(*) FROM listings WHERE {c} IS NOT NULL GROUP BY {c}" for c in ("market", "country",
                                                                                          "city", "district")},
    "substance": "SELECT canonical, count(*) FROM listing_substances WHERE known = 1 GROUP BY canonical",
    "substance_class": "SELECT cls, count(DISTINCT listing_pk) FROM listing_substances WHERE known = 1"
    " AND cls IS NOT NULL GROUP BY cls",
}  # fmt: skip


def assert_totals(store: SQLiteStore) -> None:
    conn = store._conn
    for name, sql in SCANS.items():
        assert sorted_counts(sqlite_facet_totals.totals(conn, name), 10**6) == sorted_counts(
            conn.execute(sql).fetchall(), 10**6), name  # fmt: skip


def loaded(path: Path) -> SQLiteStore:
    store = SQLiteStore(f"sqlite:///{path}")
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    return store


def test_totals_follow_inserts_changes_replays_and_purges(tmp_path: Path) -> None:
    store = loaded(tmp_path / "t.sqlite")
    assert_totals(store)
    k1 = data.base_listings()["k1"]  # moves city, loses its substance
    store.write_batch([replace(k1, scraped_at="2024-04-01T00:00:00Z", city="Алматы", district=None, substance=None,
                               substance_class=None, substances=[])], [])  # fmt: skip
    assert_totals(store)
    store.write_batch(*data.batches()[0])  # replay
    assert_totals(store)
    listings, vendors = synth_batch(600, seed=11, days=40)
    store.write_batch(listings, vendors)
    store.write_batch(reobserve(listings, seed=12, days=5, share=0.5), [])
    assert_totals(store)
    assert store.purge(PurgeRules(listings_before="2024-01-25T00:00:00Z")).listings
    assert_totals(store)


def test_match_all_facets_come_from_the_totals(tmp_path: Path) -> None:
    store = loaded(tmp_path / "m.sqlite")
    facets = store.search(SearchQuery()).facets
    everything = {name: sorted_counts(store._conn.execute(sql).fetchall()) for name, sql in SCANS.items()}
    assert facets == everything


def test_one_pass_column_facets_equal_one_query_each(tmp_path: Path) -> None:
    store = loaded(tmp_path / "c.sqlite")
    listings, vendors = synth_batch(500, seed=2, days=30)
    store.write_batch(listings, vendors)
    conn = store._conn
    conn.execute("DELETE FROM temp.hits")
    conn.execute("INSERT INTO temp.hits (id) SELECT id FROM listings WHERE id % 3 = 0")
    names = ["market", "country", "city", "district"]
    together = sqlite_search.column_facets(conn, names, "hits")
    for name in names:
        col = {"market": "market"}.get(name, name)
        one = conn.execute(f"SELECT l.{col}, count(*) FROM temp.hits h JOIN listings l ON l.id = h.id"
                           f" WHERE l.{col} IS NOT NULL GROUP BY l.{col}").fetchall()  # fmt: skip
        assert together[name] == sorted_counts(one), name


def test_newest_pages_are_the_same_dense_or_sparse(tmp_path: Path, monkeypatch) -> None:
    store = SQLiteStore(f"sqlite:///{tmp_path}/n.sqlite")
    listings, vendors = synth_batch(800, seed=5, days=20)
    store.write_batch(listings, vendors)
    q = SearchQuery(market="alphabay", sort="newest", limit=25, offset=10)
    pages = []
    for share in (0.0, 2.0):  # 0: every hit set is dense (index walk); 2: never (sort of the hits)
        monkeypatch.setattr(sqlite_search, "DENSE", share)
        pages.append([(h.listing["market"], h.listing["listing_id"]) for h in store.search(q).hits])
    assert pages[0] == pages[1] and len(pages[0]) == 25
    plan = " ".join(r[3] for r in store._conn.execute("EXPLAIN QUERY PLAN SELECT l.id FROM listings l INDEXED BY"
                    " listings_recent ORDER BY l.last_seen DESC, l.market, l.listing_id LIMIT 5"))  # fmt: skip
    assert "TEMP B-TREE" not in plan  # the index gives the order: nothing sorted


def test_version_8_store_gets_totals_and_indexes(tmp_path: Path) -> None:
    store = loaded(tmp_path / "v8.sqlite")
    fresh = set(store._conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    store.close()
    with sqlite3.connect(tmp_path / "v8.sqlite") as raw:
        for name in ("facet_totals_ai", "facet_totals_ad", "facet_totals_au", "facet_totals_sub_ai",
                     "facet_totals_sub_ad"):  # fmt: skip
            raw.execute(f"DROP TRIGGER {name}")
        for sql in ("DROP TABLE facet_totals", "DROP INDEX listings_facets", "DROP INDEX listings_recent",
                    "DROP TABLE trend_counts", "DROP TABLE trend_prices", "DELETE FROM schema_version",
                    "INSERT INTO schema_version VALUES (8, '2024-01-01T00:00:00Z')"):  # fmt: skip
            raw.execute(sql)
    migrated = SQLiteStore(f"sqlite:///{tmp_path}/v8.sqlite")
    assert set(migrated._conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")) == fresh
    assert_totals(migrated)
