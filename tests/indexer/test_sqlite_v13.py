"""SQLite schema 13 (issue 15, text + price at 1M listings): price filters on a word's hits read the covering
index listings_facets, not the rows; the substance rank bonus is looked up per hit instead of upserted for every
listing of the substance. Same totals, pages, scores and facets as the schema 12 path; the 12 -> 13 migration."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from onionwatch.indexer import sqlite_search
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.indexer.sqlite_query import rank_match, rank_substances
from onionwatch.indexer.sqlite_rows import listing_from_row
from onionwatch.indexer.store import SearchHit, SearchQuery
from onionwatch.testbed.synth import reobserve
from tests.indexer.data import varied_synth

OLD_FACETS = "CREATE INDEX listings_facets ON listings (id, market, country, city, district)"


def _load(path: Path) -> SQLiteStore:
    store = SQLiteStore(f"sqlite:///{path}")
    listings, vendors = varied_synth(3000, seed=11)
    for i in range(0, len(listings), 1000):
        store.write_batch(listings[i : i + 1000], vendors if i == 0 else [])
    store.write_batch(reobserve(listings, seed=4, days=10, share=0.3), [])
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    return _load(tmp_path_factory.mktemp("v13") / "s.sqlite")


QUERIES = [
    SearchQuery(text="cocaine", market="alphabay", price_min=50, price_max=500),
    SearchQuery(text="cocaine", price_min=20),
    SearchQuery(text="keta"),
    SearchQuery(text="keta*"),
    SearchQuery(text="ketamine", limit=50, offset=40),
    SearchQuery(text="mdma OR ketamine"),
    SearchQuery(text="mdma ketamine"),
    SearchQuery(text="cocaine -crystal", market=["alphabay", "hydra"]),
    SearchQuery(text='"pure cocaine"'),
    SearchQuery(text="мефедрон москва"),
    SearchQuery(text="меф", price_max=100),
    SearchQuery(text="molly crystals"),
    SearchQuery(text="heroin", substance_class="opioid", price_min=10, price_max=300),
    SearchQuery(text="market:alphabay price:10..100 cocaine"),
    SearchQuery(text="g", limit=50, offset=500),
    SearchQuery(text="cocaine", price_min=1e9),  # nothing
    SearchQuery(text="cocaine", vendor="?", price_min=5),
    SearchQuery(text="heroin", sort="price_asc", price_max=200),
]


def _shape(result: object) -> tuple[object, ...]:
    hits = [(h.listing["market"], h.listing["listing_id"], h.score) for h in result.hits]  # type: ignore[attr-defined]
    return result.total, hits, result.facets  # type: ignore[attr-defined]


def _old_hits(conn, terms, sort, filtered, total, limit, offset):  # type: ignore[no-untyped-def]
    """Schema 12's relevance page: BM25 and the substance bonus of every listing upserted into TEMP.rank."""
    if sort != "relevance":
        return NEW_HITS(conn, terms, sort, filtered, total, limit, offset)
    narrow = "temp.hits h CROSS JOIN listings l INDEXED BY listings_narrow ON l.id = h.id" if filtered else "listings l"
    match, subs = rank_match(terms), rank_substances(terms)
    conn.execute("DELETE FROM temp.rank")
    if match:
        conn.execute("INSERT INTO temp.rank (id, r) SELECT rowid, -bm25(listings_stem, 10.0, 1.0, 3.0)"
                     " FROM listings_stem WHERE listings_stem MATCH ?", (match,))  # fmt: skip
    if subs:
        conn.execute(f"INSERT INTO temp.rank (id, r) SELECT DISTINCT listing_pk, 100.0 FROM listing_substances"
                     f" WHERE canonical IN ({','.join('?' * len(subs))}) AND true"
                     " ON CONFLICT (id) DO UPDATE SET r = r + 100.0", subs)  # fmt: skip
    scored = conn.execute(f"SELECT l.id, coalesce(m.r, 0) AS score FROM {narrow} LEFT JOIN temp.rank m ON m.id = l.id"
                          f" ORDER BY score DESC, {sqlite_search._TIES} LIMIT ? OFFSET ?", (limit, offset)).fetchall()  # fmt: skip
    rows = sqlite_search._rows(conn, [i for i, _ in scored])
    return [SearchHit(listing=listing_from_row(rows[i]), score=float(s),
                      highlight=sqlite_search.highlight(listing_from_row(rows[i]), terms)) for i, s in scored]  # fmt: skip


NEW_HITS = sqlite_search._hits


def _vendor(store: SQLiteStore, q: SearchQuery) -> SearchQuery:
    if q.vendor != "?":
        return q
    top = store.search(SearchQuery(text="cocaine", limit=1)).hits
    return replace(q, vendor=top[0].listing["vendor"])


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.text}|{q.market}|{q.price_min}|{q.price_max}|{q.offset}")
def test_results_equal_the_schema_12_path(store: SQLiteStore, q: SearchQuery,
                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    q = _vendor(store, q)
    new = _shape(store.search(q))
    monkeypatch.setattr(sqlite_search, "_hits", _old_hits)
    monkeypatch.setattr(sqlite_search, "substance_facets", _old_substance_facets)
    assert _shape(store.search(q)) == new


def _old_substance_facets(conn: sqlite3.Connection, table: str) -> dict[str, dict[str, int]]:
    """Schema 12: one pass per facet, the class counted as count(DISTINCT listing_pk) (sqlite_search.facet)."""
    return {name: sqlite_search.facet(conn, name, table) for name in ("substance", "substance_class")}


def test_a_listing_with_two_substances_of_one_class_counts_once(store: SQLiteStore) -> None:
    twice = store._conn.execute(
        "SELECT count(*) FROM (SELECT listing_pk FROM listing_substances WHERE known = 1 AND cls = 'stimulant'"
        " GROUP BY listing_pk HAVING count(*) > 1)").fetchone()[0]  # fmt: skip
    assert twice > 0  # the data has them, so the equality above tests the one-count rule
    got = store.search(SearchQuery(text="mdma OR cocaine", limit=0))
    want = store._conn.execute(
        "SELECT count(DISTINCT listing_pk) FROM temp.hits h JOIN listing_substances s ON s.listing_pk = h.id"
        " WHERE s.known = 1 AND s.cls = 'stimulant'").fetchone()[0]  # fmt: skip
    assert got.facets["substance_class"]["stimulant"] == want
    assert sum(got.facets["substance"].values()) > sum(got.facets["substance_class"].values())


def test_the_queries_rank_substance_hits_and_scores_vary(store: SQLiteStore) -> None:
    """The comparison above is not vacuous: bonus and BM25 both decide pages, and some hits have no bonus."""
    got = store.search(SearchQuery(text="keta", limit=200))
    scores = [h.score for h in got.hits]
    assert got.total > 200 and scores == sorted(scores, reverse=True)
    assert 100.0 in scores and any(s > 100 for s in scores) and len(set(scores)) > 3  # bonus alone, and BM25 too
    plain = store.search(SearchQuery(text="crystals", limit=200)).hits  # names no substance: BM25 only
    assert plain and all(0 < h.score < 100 for h in plain)


def _plan_of_narrow(store: SQLiteStore, q: SearchQuery) -> str:
    """The query plan of the statement that narrows the word hits by the other conditions."""
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)
    try:
        store.search(q)
    finally:
        store._conn.set_trace_callback(None)
    narrow = [s for s in seen if "FROM temp.words h CROSS JOIN" in s]
    assert len(narrow) == 1, seen
    plan = store._conn.execute("EXPLAIN QUERY PLAN " + narrow[0]).fetchall()
    return " | ".join(str(row[-1]) for row in plan)


def test_a_price_filter_on_word_hits_reads_the_covering_index(store: SQLiteStore) -> None:
    plan = _plan_of_narrow(store, SearchQuery(text="cocaine", market="alphabay", price_min=50, price_max=500))
    assert "COVERING INDEX listings_facets" in plan


def test_a_filter_on_another_column_still_reads_the_rows(store: SQLiteStore) -> None:
    plan = _plan_of_narrow(store, _vendor(store, SearchQuery(text="cocaine", vendor="?", price_min=5)))
    assert "listings_facets" not in plan and "COVERING" not in plan


def test_version_12_store_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v12.sqlite"
    store = _load(path)
    fresh = store._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'listings_facets'").fetchone()[0]
    want = [_shape(store.search(_vendor(store, q))) for q in QUERIES]
    store.close()
    with sqlite3.connect(path) as raw:
        raw.execute("DROP INDEX listings_facets")
        raw.execute(OLD_FACETS)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (12, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(f"sqlite:///{path}")
    assert migrated.schema_version() >= 13 and migrated.schema_version() == SCHEMA_VERSION
    got = migrated._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'listings_facets'").fetchone()[0]
    assert got == fresh and "price_usd" in got
    assert [_shape(migrated.search(_vendor(migrated, q))) for q in QUERIES] == want
    migrated.close()
