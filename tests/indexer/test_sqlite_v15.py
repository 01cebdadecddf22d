"""SQLite schema 15 (issue 15, facets of broad searches at 1M listings): listing_substances.class_first marks the
row a listing's class counts on, so the substance_class facet is a sum instead of a correlated NOT EXISTS per row
(schema 14); the same facets as the schema 14 queries; the flag kept on write and rewrite; the 14 -> 15 migration."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

from onionwatch.indexer import sqlite_search
from onionwatch.indexer.query import sorted_counts
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.indexer.store import SearchQuery, SearchResult
from onionwatch.testbed.synth import reobserve
from tests.indexer.data import substance, varied_synth

# schema 14: the flag as it was computed per row at query time (the reference)
FIRST = ("NOT EXISTS (SELECT 1 FROM listing_substances t WHERE t.listing_pk = s.listing_pk"
         " AND t.canonical < s.canonical AND t.known = 1 AND t.cls = s.cls)")  # fmt: skip


def old_substance_facets(conn: sqlite3.Connection, table: str) -> dict[str, dict[str, int]]:
    rows = conn.execute(f"SELECT s.canonical, s.cls, count(*), sum({FIRST}) FROM temp.{table} h CROSS JOIN"
                        f" listing_substances s ON s.listing_pk = h.id WHERE s.known = 1"
                        f" GROUP BY s.canonical, s.cls").fetchall()  # fmt: skip
    subs: dict[str, int] = {}
    classes: dict[str, int] = {}
    for canonical, cls, n, first in rows:
        subs[canonical] = subs.get(canonical, 0) + n
        if cls is not None and first:
            classes[cls] = classes.get(cls, 0) + first
    return {"substance": sorted_counts(list(subs.items())), "substance_class": sorted_counts(list(classes.items()))}


def old_facet(conn: sqlite3.Connection, name: str, table: str | None) -> dict[str, int]:
    if table is None or name != "substance_class":
        return FACET(conn, name, table)
    return sorted_counts(conn.execute(
        f"SELECT s.cls, count(DISTINCT s.listing_pk) FROM temp.{table} h CROSS JOIN listing_substances s"
        f" ON s.listing_pk = h.id WHERE s.known = 1 AND s.cls IS NOT NULL GROUP BY s.cls").fetchall())  # fmt: skip


FACET = sqlite_search.facet


def _old(store: SQLiteStore, q: SearchQuery) -> SearchResult:
    with mock.patch.object(sqlite_search, "substance_facets", old_substance_facets), \
            mock.patch.object(sqlite_search, "facet", old_facet):  # fmt: skip
        return store.search(q)


def _doubles(listings: list) -> list:
    """Listings with two known substances of one class (the second before the first by name, and after it), and
    with a known and a candidate row of one substance: the cases class_first is for."""
    out = []
    for i, item in enumerate(listings[:90]):
        extra = [substance("amphetamine", "stimulant"), substance("mdma", "stimulant"),
                 substance("cocaine", "stimulant", known=False)][i % 3]  # fmt: skip
        out.append(replace(item, listing_id=f"double-{i}", url=f"/double/{i}", substance="methamphetamine",
                           substance_class="stimulant", substances=[*item.substances, extra]))  # fmt: skip
    return out


def _flags_agree(conn: sqlite3.Connection) -> None:
    wrong = conn.execute(f"SELECT count(*) FROM listing_substances s WHERE s.class_first IS NOT"
                         f" (s.known = 1 AND s.cls IS NOT NULL AND {FIRST})").fetchone()[0]  # fmt: skip
    assert wrong == 0


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    s = SQLiteStore(f"sqlite:///{tmp_path_factory.mktemp('v15') / 's.sqlite'}")
    listings, vendors = varied_synth(2500, seed=15)
    listings += _doubles(listings)
    s.write_batch(listings, vendors)
    s.write_batch(reobserve(listings, seed=6, days=5, share=0.3), [])
    return s


def test_the_flag_is_the_old_not_exists(store: SQLiteStore) -> None:
    _flags_agree(store._conn)
    n = store._conn.execute("SELECT count(*) FROM listing_substances WHERE known = 1 AND cls = 'stimulant'"
                            " AND class_first = 0").fetchone()[0]  # fmt: skip
    assert n >= 30  # listings with two stimulants: one row counts


QUERIES = [
    SearchQuery(),
    SearchQuery(text="b"),
    SearchQuery(text="g", sort="newest", limit=50, offset=100),
    SearchQuery(text="cocaine"),
    SearchQuery(text="mdma OR ketamine"),
    SearchQuery(country="Russia"),
    SearchQuery(market="alphabay"),
    SearchQuery(substance_class="stimulant"),  # disjunctive: the class facet over all but its selection
    SearchQuery(text="b", substance_class=("stimulant", "opioid"), market="hydra"),
    SearchQuery(text="b", substance="methamphetamine"),
    SearchQuery(text="p", price_min=20),
    SearchQuery(text="zzzqqxnothing"),
]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.text}|{q.market}|{q.substance_class}|{q.country}")
def test_facets_equal_the_schema_14_queries(store: SQLiteStore, q: SearchQuery) -> None:
    new = store.search(q)
    old = _old(store, q)
    assert new.total == old.total
    assert new.facets == old.facets
    assert [h.listing["listing_id"] for h in new.hits] == [h.listing["listing_id"] for h in old.hits]


def test_rewrites_keep_the_flag(tmp_path: Path) -> None:
    s = SQLiteStore(f"sqlite:///{tmp_path / 'rw.sqlite'}")
    listings, _ = varied_synth(400, seed=3)
    doubles = _doubles(listings)
    s.write_batch(listings + doubles, [])
    later = [replace(d, scraped_at="2031-01-01T00:00:00Z", substances=d.substances[:1]) for d in doubles[:30]]
    later += [replace(d, scraped_at="2031-01-01T00:00:00Z",
                      substances=[*d.substances, substance("amphetamine", "stimulant")]) for d in doubles[30:60]]  # fmt: skip
    s.write_batch(later, [])
    _flags_agree(s._conn)
    for q in QUERIES[:6]:
        assert s.search(q).facets == _old(s, q).facets
    s.close()


def test_version_14_store_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v14.sqlite"
    s = SQLiteStore(f"sqlite:///{path}")
    listings, _ = varied_synth(800, seed=2)
    s.write_batch(listings + _doubles(listings), [])
    want = [s.search(q) for q in QUERIES]
    s.close()
    with sqlite3.connect(path) as raw:
        raw.execute("ALTER TABLE listing_substances DROP COLUMN class_first")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (14, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(f"sqlite:///{path}")
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    _flags_agree(migrated._conn)
    for q, w in zip(QUERIES, want, strict=True):
        got = migrated.search(q)
        assert (got.total, got.facets) == (w.total, w.facets)
    migrated.close()
