"""Word-only searches fill their hits straight from the word indexes (sqlite_query.id_set): the same
totals, facets and pages as the generic per-listing conditions."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.indexer import sqlite_query, sqlite_search
from onionwatch.indexer.query_lang import resolve
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery
from onionwatch.testbed.synth import synth_batch

QUERIES = [
    SearchQuery(text="molly crystals"),
    SearchQuery(text="coke OR heroin"),
    SearchQuery(text="(cocaine | mdma) crystals"),
    SearchQuery(text='"peruvian flake"'),
    SearchQuery(text="keta*"),
    SearchQuery(text="мефедрон москва"),
    SearchQuery(text="substance:heroin"),
    SearchQuery(text="class:opioid OR weed"),
    SearchQuery(text="crystals -molly"),  # NOT: the generic path
    SearchQuery(text="cocaine market:alphabay"),  # a column filter: the generic path
    SearchQuery(text="g", limit=20, offset=100),
    SearchQuery(text="cocaine", market="alphabay"),  # a facet selection: fhits from the id set
    SearchQuery(text="cocaine", market="alphabay", substance="cocaine"),
    SearchQuery(text="cocaine", sort="newest"),
    # words and other conditions: the id set first (TEMP.words), then only its rows are read
    SearchQuery(text="cocaine", market="alphabay", price_min=50, price_max=500),
    SearchQuery(text="cocaine OR heroin", since="2024-03-01", market=["alphabay", "dream"], substance="heroin"),
    SearchQuery(text="мефедрон", price_max=80, sort="price_asc"),
    SearchQuery(text="g", since="2024-02-01", until="2024-05-01", limit=10, offset=40),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    path: Path = tmp_path_factory.mktemp("ids") / "s.sqlite"
    s = SQLiteStore(f"sqlite:///{path}")
    listings, vendors = synth_batch(3000, seed=11)
    s.write_batch(listings, vendors)
    return s


def _shape(result: object) -> tuple[object, ...]:
    return (result.total, [(h.listing["market"], h.listing["listing_id"], h.score) for h in result.hits],  # type: ignore[attr-defined]
            result.facets)  # type: ignore[attr-defined]  # fmt: skip


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.text}|{q.market}|{q.substance}|{q.sort}")
def test_id_set_fill_equals_the_generic_conditions(store: SQLiteStore, q: SearchQuery,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    fast = store.search(q)
    monkeypatch.setattr(sqlite_search, "id_set", lambda node: None)
    slow = store.search(q)
    assert fast.total > 0
    assert _shape(fast) == _shape(slow)


def test_id_set_covers_words_and_substance_filters_only() -> None:
    def of(text: str) -> object:
        node, _ = resolve(SearchQuery(text=text))
        assert node is not None
        return sqlite_query.id_set(node)

    assert of("molly crystals") is not None
    assert of("class:opioid OR weed") is not None
    assert of("crystals -molly") is None
    assert of("cocaine market:alphabay") is None
