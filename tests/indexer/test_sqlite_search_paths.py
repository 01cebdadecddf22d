"""SQLite search fast paths (issue 15, search at 1M listings) give the results of the paths they replace.

- a word's hits filled part by part (sqlite_query.id_parts, INSERT OR IGNORE each), and an AND of such words
  group by group (sqlite_query.id_groups), instead of as one compound UNION / INTERSECT SELECT (sqlite_query.id_set);
- a relevance page without a substance bonus sorted from the hits scoring at least the page's last score
  (sqlite_search._top_ranked) instead of sorting every hit;
- BM25 computed for the matches that are hits only, when the hits are few (sqlite_search._rank_only_hits);
- the substance bonus folded into TEMP.rank (sqlite_search._fold_bonus: the bonus rows first, per hit or over the
  substance's rows, then BM25 added by an upsert) so a bonus page is cut like any other instead of an EXISTS per hit
  and a sort of every hit;
- an AND with NOT words filled from the word indexes less the negated words' ids (sqlite_query.id_minus) instead
  of a scan of the rows;
- a relevance page joined over the hits scoring within its own first and last scores (_top_ranked), a price page
  over the hits priced within its own prices read from listings_facets (_top_priced).

Each query runs twice on the same varied store, with the fast paths and with them switched off (the old
paths): totals, hits (order, scores) and facets must be equal; ties in score and sort keys, the last page, a
page past the end and an empty result included.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from unittest import mock

import pytest

from onionwatch.indexer import sqlite_search
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery, SearchResult
from onionwatch.testbed.synth import reobserve
from tests.indexer.data import varied_synth


def _clones(listings: list[Any]) -> list[Any]:
    """Listings with the text and the sightings of others (equal BM25 and last_seen: ties broken by market,
    listing_id), in other markets and under other ids."""
    out = []
    for i, item in enumerate(listings[:60]):
        for market in ("alphabay", "hydra"):
            if market != item.market:
                out.append(replace(item, market=market, listing_id=f"clone-{i}", url=f"/clone/{i}"))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    s = SQLiteStore(f"sqlite:///{tmp_path_factory.mktemp('paths') / 's.sqlite'}")
    listings, vendors = varied_synth(3000, seed=11)
    listings += _clones(listings)
    s.write_batch(listings, vendors)
    s.write_batch(reobserve(listings, seed=4, days=6, share=0.3), [])
    return s


def _old(store: SQLiteStore, q: SearchQuery) -> SearchResult:
    with mock.patch.object(sqlite_search, "_top_ranked", lambda *a: None), \
            mock.patch.object(sqlite_search, "id_groups", lambda node: None), \
            mock.patch.object(sqlite_search, "id_minus", lambda node: None), \
            mock.patch.object(sqlite_search, "_rank_only_hits", lambda *a: ""), \
            mock.patch.object(sqlite_search, "_top_priced", lambda *a: None), \
            mock.patch.object(sqlite_search, "_fold_bonus", lambda *a: False):  # fmt: skip
        return store.search(q)


def _shape(r: SearchResult) -> tuple[int, list[tuple[str, str, float, str | None]], dict[str, dict[str, int]]]:
    hits = [(h.listing["market"], h.listing["listing_id"], h.score, h.highlight) for h in r.hits]
    return r.total, hits, r.facets


def _total(store: SQLiteStore, text: str) -> int:
    return store.search(SearchQuery(text=text, limit=0)).total


QUERIES = [
    SearchQuery(text="g"),
    SearchQuery(text="b", limit=50, offset=500),
    SearchQuery(text="b", limit=50, offset=5000),  # past the end
    SearchQuery(text="b", sort="newest", limit=50, offset=300),
    SearchQuery(text="g", sort="price_asc", limit=30, offset=100),
    SearchQuery(text="molly crystals"),
    SearchQuery(text="cocaine", limit=40, offset=40),  # a substance word: the bonus path
    SearchQuery(text="mdma OR ketamine", limit=50, offset=200),
    SearchQuery(text="mdma OR p", limit=50, offset=100),
    SearchQuery(text="mdma -crystal", limit=25, offset=25),
    SearchQuery(text="keta*", limit=20, offset=10),
    SearchQuery(text='"pure cocaine"'),
    SearchQuery(text="мефедрон москва"),
    SearchQuery(text="substance:heroin OR class:stimulant", limit=50, offset=700),
    SearchQuery(text="b", market="alphabay", limit=50, offset=50),  # a facet selection (disjunctive)
    SearchQuery(text="g", price_min=10, price_max=300, limit=50, offset=20),
    SearchQuery(text="zzzqqxnothing"),  # empty
    SearchQuery(text="molly zzzqqxnothing"),  # an AND with an empty group
    SearchQuery(text="b p (mdma OR ketamine) class:stimulant", limit=30, offset=30),  # three groups and more
    SearchQuery(text='b "vacuum sealed" -crystal', limit=30, offset=10),  # NOT: the compound / row path
    SearchQuery(text="cocaine", market="alphabay", price_min=50, price_max=500, limit=10, offset=5),  # few hits
    SearchQuery(text="mdma crystal", market=("hydra", "alphabay"), limit=10, offset=3),
    SearchQuery(text="b", vendor="?", limit=10),
    SearchQuery(text="g", limit=0),
    # NOT from the word indexes (sqlite_query.id_minus) against the row scan
    SearchQuery(text="b -crystal -cocaine", limit=30, offset=60),
    SearchQuery(text="мефедрон -москва", limit=20, offset=5),
    SearchQuery(text="keta* -shards", limit=20),
    SearchQuery(text="b (mdma OR ketamine) -crystal", limit=30, offset=10),
    SearchQuery(text="g -class:stimulant -substance:heroin", limit=30, offset=40),
    SearchQuery(text="b -crystal", market="hydra", price_min=5, limit=10, offset=10),
    SearchQuery(text="g -zzzqqxnothing", limit=10, offset=3000),
    # the bonus folded per hit (hits under a third of the substance's listings) and over the substance's rows
    SearchQuery(text="мефедрон москва", limit=20, offset=30),
    SearchQuery(text="molly crystals", market="hydra", limit=10, offset=2),
    # price sorts cut by the page's prices (_top_priced); ties in price, the end with the unpriced hits
    SearchQuery(text="b", sort="price_asc", limit=50, offset=400),
    SearchQuery(text="b", sort="price_desc", limit=50, offset=400),
    SearchQuery(text="g", sort="price_desc", limit=13, offset=0),
    SearchQuery(text="cocaine", sort="price_asc", market="alphabay", limit=20, offset=20),
]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.text}|{q.sort}|{q.offset}")
def test_fast_paths_equal_the_old_ones(store: SQLiteStore, q: SearchQuery) -> None:
    new = store.search(q)
    assert _shape(new) == _shape(_old(store, q))
    if q.text == "b" and q.offset == 500:
        assert len(new.hits) == 50 and new.total > 1000


@pytest.mark.parametrize("text", ["b", "g", "mdma OR p", "crystal", "cocaine", "mdma OR ketamine"])
def test_the_last_pages_and_past_the_end(store: SQLiteStore, text: str) -> None:
    total = _total(store, text)
    assert total > 100
    for offset, limit in ((total - 7, 20), (total - 20, 20), (total - 1, 1), (total, 20), (total - 101, 100)):
        q = SearchQuery(text=text, limit=limit, offset=offset)
        new = store.search(q)
        assert _shape(new) == _shape(_old(store, q))
        assert len(new.hits) == max(0, min(limit, total - offset))


def test_score_ties_keep_their_order(store: SQLiteStore) -> None:
    """Clones score alike; a page cut through them is the same page on both paths, in the tie-break order."""
    q = SearchQuery(text="b", limit=1000, offset=0)
    hits = store.search(q).hits
    scores = [h.score for h in hits]
    assert len(scores) - len(set(scores)) > 20  # many equal scores
    for offset in range(0, 300, 7):
        page = SearchQuery(text="b", limit=13, offset=offset)
        assert _shape(store.search(page)) == _shape(_old(store, page))


def test_the_fast_paths_are_taken(store: SQLiteStore) -> None:
    calls: list[Any] = []
    top = sqlite_search._top_ranked

    def spy(*args: Any) -> Any:
        calls.append(out := top(*args))
        return out

    with mock.patch.object(sqlite_search, "_top_ranked", spy):
        store.search(SearchQuery(text="b", limit=50, offset=500))
    assert calls and calls[0] is not None


@pytest.mark.parametrize("text", ["cocaine", "mdma OR ketamine", "molly crystals"])
def test_the_substance_bonus_is_folded_and_the_page_cut(store: SQLiteStore, text: str) -> None:
    """Words naming a substance: the bonus goes into TEMP.rank (_fold_bonus) and the page is cut by _top_ranked,
    with the page of the old per-hit bonus sort."""
    calls: list[Any] = []
    top = sqlite_search._top_ranked

    def spy(*args: Any) -> Any:
        calls.append(out := top(*args))
        return out

    q = SearchQuery(text=text, limit=20, offset=10)
    with mock.patch.object(sqlite_search, "_top_ranked", spy):
        new = store.search(q)
    assert calls and calls[0] is not None
    assert _shape(new) == _shape(_old(store, q))
    assert any(h.score >= sqlite_search.RANK_SUBSTANCE for h in new.hits)


def test_few_hits_are_scored_alone(store: SQLiteStore) -> None:
    conn = store._conn
    everything = store.counts()["listings"]
    assert sqlite_search._rank_only_hits(conn, True, everything // 100)
    assert not sqlite_search._rank_only_hits(conn, True, everything // 2)
    assert not sqlite_search._rank_only_hits(conn, False, 1)


def test_an_and_of_words_is_filled_group_by_group() -> None:
    from onionwatch.indexer.query_lang import resolve
    from onionwatch.indexer.sqlite_query import id_groups

    node, _ = resolve(SearchQuery(text="b p (mdma OR ketamine) class:stimulant"))
    assert node is not None
    groups = id_groups(node)
    assert groups is not None and len(groups) == 4
    node, _ = resolve(SearchQuery(text='b "vacuum sealed" -crystal'))
    assert node is not None and id_groups(node) is None  # NOT needs every listing


@pytest.mark.parametrize("sort", ["price_asc", "price_desc"])
def test_price_pages_are_cut_by_their_prices(store: SQLiteStore, sort: str) -> None:
    """_top_priced reads the page's prices first, then only the rows priced within them: the same pages as sorting
    every hit, through ties in price and up to the unpriced hits at the end (there: the old sort)."""
    total = _total(store, "b")
    conn = store._conn
    unpriced = conn.execute("SELECT count(*) FROM listings WHERE price_usd IS NULL").fetchone()[0]
    prices = [r[0] for r in conn.execute("SELECT price_usd FROM listings WHERE price_usd IS NOT NULL")]
    assert unpriced and len(prices) - len(set(prices)) > 20  # unpriced listings and ties in price
    calls: list[Any] = []
    top = sqlite_search._top_priced

    def spy(*args: Any) -> Any:
        calls.append(out := top(*args))
        return out

    for offset in (0, 7, 333, total - 200, total - 5, total):
        q = SearchQuery(text="b", sort=sort, limit=31, offset=max(0, offset))
        with mock.patch.object(sqlite_search, "_top_priced", spy):
            new = store.search(q)
        assert _shape(new) == _shape(_old(store, q))
        if offset == total - 5:  # the end: the unpriced hits, sorted last
            assert new.hits and all(h.listing["price_usd"] is None for h in new.hits)
    assert any(c for c in calls) and any(c is None for c in calls)


@pytest.mark.parametrize("text", ["molly crystals", "mdma OR ketamine", "cocaine b"])
def test_both_bonus_folds_give_the_same_scores(store: SQLiteStore, text: str) -> None:
    """_fold_bonus per hit (few hits) and over every listing with the substance (many) then BM25 upserted: the same
    score for every hit, the bonus on the hits with the substance only."""
    from onionwatch.indexer.query_lang import positive_terms, resolve
    from onionwatch.indexer.sqlite_query import rank_match, rank_substances

    conn = store._conn
    store.search(SearchQuery(text=text, limit=0))  # TEMP.hits := this search's hits
    node, _ = resolve(SearchQuery(text=text))
    assert node is not None
    terms = positive_terms(node)
    match, subs = rank_match(terms), rank_substances(terms)
    assert match and subs
    scores = []
    for total in (0, 10**9):  # 3 * total under / over the substance's listings: per hit / over its rows
        conn.execute("DELETE FROM temp.rank")
        sqlite_search._fold_bonus(conn, subs, total)
        conn.execute("INSERT INTO temp.rank (id, r) SELECT rowid, -bm25(listings_stem, 10.0, 1.0, 3.0) FROM"
                     " listings_stem WHERE listings_stem MATCH ? ON CONFLICT (id) DO UPDATE SET r = excluded.r + r",
                     (match,))  # fmt: skip
        scores.append(conn.execute("SELECT h.id, m.r FROM temp.hits h JOIN temp.rank m ON m.id = h.id ORDER BY h.id")
                      .fetchall())  # fmt: skip
    per_hit, over_rows = ([tuple(r) for r in s] for s in scores)
    assert per_hit == over_rows
    assert any(r >= sqlite_search.RANK_SUBSTANCE for _, r in per_hit)
    assert any(r < sqlite_search.RANK_SUBSTANCE for _, r in per_hit) or text == "cocaine b"
