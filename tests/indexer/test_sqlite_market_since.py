"""A search of field filters with a market and a since bound (``market:alphabay price:10..100 seen:>=01.06.2024``,
indexer/sqlite_search.py `market_since`): the market's ids since the day from listings_market_last_seen, then the other
conditions from listings_facets by id. The same total, page and facets as the planner's path (reading each listing's
row), on the re-crawled store of test_sqlite_since_until (gone and returning listings, places, out-of-order sightings,
a purge)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from onionwatch.indexer import sqlite_search
from onionwatch.indexer.query_lang import resolve
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery
from tests.indexer.test_sqlite_since_until import _shape, build


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    s = build(tmp_path_factory.mktemp("market_since") / "m.sqlite")
    yield s
    s.close()


ALL = ("market", "substance", "substance_class", "country", "city", "district")
SPLIT = [
    SearchQuery(text="market:alphabay price:10..100 seen:>=01.06.2024"),  # bench_search's "fields"
    SearchQuery(text="market:alphabay price:10..100 seen:>=01.06.2024", facets_exact=True, facets=ALL),
    SearchQuery(text="market:dream seen:>=01.04.2024", price_min=20, sort="price_asc", limit=15, offset=4),
    SearchQuery(text="market:hydra seen:>=15.03.2024 price:..50", since="2024-05-01", sort="oldest", limit=30),
    SearchQuery(text="market:alphabay seen:>=01.05.2024 substance:cocaine", sort="ppg_asc", limit=10, facets=ALL),
    SearchQuery(text="market:alphabay seen:>=01.05.2024 country:germany", facets=ALL),
    SearchQuery(text="market:alphabay seen:>=01.05.2024 price:100..", city="Berlin", country="Germany", facets=ALL),
    SearchQuery(text="market:alphabay seen:>=01.05.2024 price:5..500", substance_class="stimulant", facets=ALL),
    SearchQuery(text="market:alphabay market:dream seen:>=01.03.2024"),  # two markets (no hit)
    SearchQuery(text="market:oldmarket seen:>=01.02.2024 price:1..1000"),  # the purged market
    SearchQuery(text="market:alphabay price:10..100", since="2024-06-01", limit=0),  # since as a parameter
    SearchQuery(text="market:alphabay seen:>=01.09.2024 price:10..100"),  # after everything
]  # fmt: skip
NOT_SPLIT = [
    SearchQuery(text="market:alphabay price:10..100"),  # no since
    SearchQuery(text="price:10..100 seen:>=01.06.2024"),  # no market
    SearchQuery(text="market:alphabay seen:01.05.2024..01.06.2024"),  # seen with until: first_seen is not covered
    SearchQuery(text="market:alphabay seen:>=01.05.2024 vendor:v3"),  # vendor_key: not in listings_facets
    SearchQuery(text="market:alphabay seen:>=01.05.2024 -price:10..100"),  # NOT
    SearchQuery(text="market:alphabay seen:>=01.05.2024 cocaine"),  # a word: its id set leads
    SearchQuery(text="market:alphabay seen:>=01.05.2024", status="live"),  # status: not covered
    SearchQuery(market="alphabay", since="2024-05-01", price_min=10),  # market as a facet selection
]


def _planner(store: SQLiteStore, q: SearchQuery, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "market_since", lambda q, node: None)
        return _shape(store.search(q))


@pytest.mark.parametrize("q", SPLIT, ids=lambda q: f"{q.text}|{q.sort}|{q.offset}|{bool(q.facets)}")
def test_market_since_equals_the_planner_path(store: SQLiteStore, q: SearchQuery,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    node, resolved = resolve(q)
    assert sqlite_search.market_since(resolved, node) is not None
    assert _shape(store.search(q)) == _planner(store, q, monkeypatch)


@pytest.mark.parametrize("q", NOT_SPLIT, ids=lambda q: f"{q.text}|{q.market}|{q.status}")
def test_other_searches_are_not_split(store: SQLiteStore, q: SearchQuery, monkeypatch: pytest.MonkeyPatch) -> None:
    node, resolved = resolve(q)
    assert sqlite_search.market_since(resolved, node) is None
    assert _shape(store.search(q)) == _planner(store, q, monkeypatch)


def test_the_searches_have_hits(store: SQLiteStore) -> None:
    totals = [store.search(replace(q, limit=0)).total for q in SPLIT]
    assert sum(1 for t in totals if t) >= 8
    assert store.search(SPLIT[0]).total > 10 and store.search(SPLIT[0]).hits
    broad = store.search(SearchQuery(text="market:alphabay seen:>=01.06.2024", limit=0)).total
    every = store.search(SearchQuery(text="market:alphabay", limit=0)).total
    assert broad > every // 2  # re-crawled: most of the market was seen since the date
