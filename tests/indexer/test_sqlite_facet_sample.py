"""Sampled facets of broad SQLite searches (indexer/sqlite_facet_sample.py): flagged, exact when asked or small.

The store has 2,000 listings; EXACT_MAX and SAMPLE are lowered so that its broad searches sample. Every search is
compared with the same search asking for exact counts (facets_exact=True) and with the counts at the real
EXACT_MAX (every hit counted): total, page, order and scores are always equal; facets are equal unless flagged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from onionwatch.indexer import sqlite_facet_sample
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery, SearchResult
from tests.indexer.data import varied_synth

BROAD = [
    SearchQuery(text="g"),  # relevance, most listings
    SearchQuery(text="g", sort="newest", offset=40),
    SearchQuery(since="2024-01-01", price_min=1, sort="price_asc"),  # rows filter, no words
    SearchQuery(price_min=1, market=("alphabay", "dream", "agora")),  # a selected facet: counted over the others
    SearchQuery(country="russia", substance_class="opioid"),  # two selections
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    s = SQLiteStore(f"sqlite:///{tmp_path_factory.mktemp('sample') / 's.sqlite'}")
    listings, vendors = varied_synth(2000, seed=5)
    s.write_batch(listings, vendors)
    return s


@pytest.fixture()
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_facet_sample, "EXACT_MAX", 100)
    monkeypatch.setattr(sqlite_facet_sample, "SAMPLE", 400)


def _page(r: SearchResult) -> tuple[object, ...]:
    return r.total, [(h.listing["market"], h.listing["listing_id"], h.score, h.highlight) for h in r.hits]


def _exact_everywhere(store: SQLiteStore, q: SearchQuery) -> SearchResult:
    saved = sqlite_facet_sample.EXACT_MAX
    sqlite_facet_sample.EXACT_MAX = 10**9
    try:
        return store.search(q)
    finally:
        sqlite_facet_sample.EXACT_MAX = saved


@pytest.mark.parametrize("q", BROAD, ids=lambda q: f"{q.text}|{q.sort}|{q.market}|{q.country}")
def test_broad_search_samples_flagged_and_exact_on_request(store: SQLiteStore, small_cap: None, q: SearchQuery) -> None:
    full = _exact_everywhere(store, q)
    assert not full.facets_approximate
    got = store.search(q)
    assert got.facets_approximate
    assert _page(got) == _page(full)  # the total and the page never change
    exact = store.search(replace(q, facets_exact=True))
    assert not exact.facets_approximate
    assert _page(exact) == _page(full) and exact.facets == full.facets
    assert set(got.facets) == set(full.facets)
    for name, counts in full.facets.items():
        top = list(counts.items())[:2]
        for value, n in top:
            if n >= 200:  # a large bucket (40+ sampled hits: standard error ~16 %) estimated within 50 %
                assert abs(got.facets[name].get(value, 0) - n) <= 0.5 * n, (name, value)


def test_sampled_counts_are_repeatable(store: SQLiteStore, small_cap: None) -> None:
    q = SearchQuery(text="g")
    assert store.search(q).facets == store.search(q).facets


def test_small_and_unconditioned_searches_stay_exact(store: SQLiteStore, small_cap: None) -> None:
    few = SearchQuery(text="heroin", price_max=60)
    r = store.search(few)
    assert r.total <= 100 and not r.facets_approximate
    assert r.facets == _exact_everywhere(store, few).facets
    everything = store.search(SearchQuery())  # facet totals kept by triggers: exact and cheap
    assert everything.total == 2000 and not everything.facets_approximate
    day = store.search(SearchQuery(market="alphabay"))  # facet_days rollups: exact
    assert day.total > 100 and not day.facets_approximate


def test_default_cap_counts_every_hit_of_a_small_store(store: SQLiteStore) -> None:
    q = SearchQuery(price_min=1)
    r = store.search(q)
    assert r.total > 1000 and not r.facets_approximate
    assert r.facets == store.search(replace(q, facets_exact=True)).facets


def test_sample_rate_is_even_across_id_progressions() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TEMP TABLE hits (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TEMP TABLE sample (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.hits VALUES (?)", [(i,) for i in range(1, 60_001)])
    factor = sqlite_facet_sample.sample(conn, "hits", 60_000, "sample")
    assert factor is not None
    got = conn.execute("SELECT count(*) FROM temp.sample").fetchone()[0]
    assert abs(got - sqlite_facet_sample.SAMPLE) < 0.05 * sqlite_facet_sample.SAMPLE
    assert factor == pytest.approx(60_000 / got)
    for k in (2, 6, 7, 10):  # every residue class of a cycle (markets written in turn) sampled at the same rate
        per = [
            conn.execute("SELECT count(*) FROM temp.sample WHERE id % ? = ?", (k, r)).fetchone()[0] for r in range(k)
        ]
        assert max(per) - min(per) < 0.15 * got / k, (k, per)
    assert sqlite_facet_sample.sample(conn, "hits", sqlite_facet_sample.EXACT_MAX, "sample") is None


def test_scaled_keeps_every_value_and_orders_by_estimate() -> None:
    assert sqlite_facet_sample.scaled({"a": 3, "b": 1}, None) == {"a": 3, "b": 1}
    out = sqlite_facet_sample.scaled({"b": 2, "a": 2, "c": 1}, 2.6)
    assert out == {"a": 5, "b": 5, "c": 3} and list(out) == ["a", "b", "c"]
    assert sqlite_facet_sample.scaled({"x": 1}, 0.1) == {"x": 1}
