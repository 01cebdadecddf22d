"""The query language gives the same answers on SQLite and Elasticsearch (issue 13, search).

One dataset, one table of queries with the expected hit sets; every query runs on SQLite and, when
ONIONWATCH_TEST_ES_URL is set (scripts/es-server.sh start), on real Elasticsearch, and both stores must
return exactly the expected listings — and the same ordered ids for every non-relevance sort.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from onionwatch.extractors.records import Listing
from onionwatch.indexer.store import SearchQuery, Store, StoreError, open_store
from tests.indexer import data
from tests.indexer.data import listing, substance

ES_URL = os.environ.get("ONIONWATCH_TEST_ES_URL")
BACKENDS = ["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


def dataset() -> list[Listing]:
    """Russian and English listings with word forms, slang, a misleading vendor name and places."""
    k, e = "klad", "emporium"
    mephedrone = substance("mephedrone", "cathinone")
    return [
        replace(listing(k, "r1", "Мефедрон кристаллы 1г", at="2026-11-20T10:00:00Z", vendor="Химик",
                        vendor_id="k-him", sub="mephedrone", cls="cathinone", qty=1, amount=3000, currency="RUB",
                        usd=32, description="Чистый мефедрон, клад в Караганде", lang="ru"),
                city="Караганда", district="Юго-Восток"),
        replace(listing(k, "r2", "Кристаллы мефедрона, опт", at="2026-12-02T10:00:00Z", vendor="Химик",
                        vendor_id="k-him", sub="mephedrone", cls="cathinone", qty=5, amount=12000,
                        currency="RUB", usd=128, description="Мефедрону нет равных", lang="ru"),
                city="Шымкент"),
        replace(listing(k, "r3", "Соль альфа-PVP 0.5г", at="2026-11-25T10:00:00Z", vendor="Мефиста",
                        vendor_id="k-mef", sub="alpha-pvp", cls="cathinone", qty=0.5, amount=2500,
                        currency="RUB", usd=27, description="Скорость высшего качества", lang="ru"),
                city="Новосибирск", district="Центральный"),
        replace(listing(k, "r4", "Шишки OG Kush", at="2026-12-05T10:00:00Z", vendor="Мефиста",
                        vendor_id="k-mef", sub="cannabis", cls="cannabinoid", qty=2, amount=4000, currency="RUB",
                        usd=43, description="Мефиста: лучшие шишки", lang="ru"),
                city="Караганда", district="Майкудук"),
        listing(e, "e1", "MDMA crystals 84% Dutch", at="2026-11-30T10:00:00Z", vendor="DrGreen",
                vendor_id="e-green", sub="mdma", cls="empathogen", qty=1, usd=40,
                description="Lab tested MDMA crystal, stealth shipping"),
        listing(e, "e2", "MDMA pills 200mg", at="2026-12-01T10:00:00Z", vendor="DrGreen", vendor_id="e-green",
                sub="mdma", cls="empathogen", qty=10, unit="unit", usd=60, description="Pressed pills, stamped"),
        listing(e, "e3", "Ketamine needles", at="2026-12-03T10:00:00Z", vendor="IceKing", vendor_id="e-ice",
                sub="ketamine", cls="dissociative", qty=2, usd=70, description="Crystals of ketamine"),
        listing(e, "e4", "4-MMC premium", at="2026-11-10T10:00:00Z", vendor="IceKing", vendor_id="e-ice",
                sub="mephedrone", cls="cathinone", qty=1, usd=None, extra=[mephedrone],
                description="Mephedrone from the source"),
        listing(e, "e5", "Research chemical a-PVP flakka", at="2026-11-15T10:00:00Z", vendor="Flakka",
                vendor_id="e-fl", sub="alpha-pvp", cls="cathinone", qty=1, usd=25,
                description="alpha-pvp, shipping worldwide"),
    ]  # fmt: skip


QUERIES: list[tuple[str, set[str]]] = [
    ("mdma", {"e1", "e2"}),
    ("mdma -crystal", {"e2"}),  # NOT (e1 says "crystals")
    ("mdma NOT pills", {"e1"}),
    ("mdma OR ketamine", {"e1", "e2", "e3"}),
    ("mdma | ketamine", {"e1", "e2", "e3"}),
    ("mdma ИЛИ ketamine", {"e1", "e2", "e3"}),
    ("(mdma OR ketamine) -pills", {"e1", "e3"}),
    ('"crystals of ketamine"', {"e3"}),
    ('"ketamine crystals"', set()),
    ("ketam*", {"e3"}),
    ("мефедрона", {"r1", "r2", "e4"}),  # word forms + the substance
    ("мефедрон", {"r1", "r2", "e4"}),
    ("меф", {"r1", "r2", "e4", "r3", "r4"}),  # slang for mephedrone; "Мефиста" by prefix, ranked below
    ("4-MMC", {"r1", "r2", "e4"}),
    ("mephedrone", {"r1", "r2", "e4"}),
    ("alpha-pvp", {"r3", "e5"}),
    ("α-PVP", {"r3", "e5"}),
    ("кристаллов", {"r1", "r2"}),
    ("crystal", {"e1", "e3"}),  # "crystals" stems to "crystal"; a form descriptor, not a substance
    ("market:emporium pills", {"e2"}),
    ("vendor:мефиста", {"r3", "r4"}),
    ("substance:мефедрон", {"r1", "r2", "e4"}),
    ("class:cathinone -market:klad", {"e4", "e5"}),
    ("city:караганда", {"r1", "r4"}),
    ("district:майкудук", {"r4"}),
    ("country:kz", {"r1", "r2", "r4"}),
    ("country:Россия", {"r3"}),
    ("price:<30", {"r3", "e5"}),
    ("price:30..43", {"r1", "e1", "r4"}),
    ("price:>=128", {"r2"}),
    ("price:40,0", {"e1"}),
    ("seen:>=01.12.2026", {"r2", "r4", "e2", "e3"}),
    ("seen:<2026-11-20", {"e4", "e5"}),
    ("seen:20.11.2026..30.11.2026", {"r1", "r3", "e1"}),
    ('AND OR NOT "', set()),
    ("((mdma", {"e1", "e2"}),
]


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Store]:
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path_factory.mktemp('agree')}/s.sqlite")
    else:
        if not ES_URL:
            pytest.skip("ONIONWATCH_TEST_ES_URL not set (scripts/es-server.sh start)")
        store = open_store(f"{ES_URL.rstrip('/')}/?index_prefix=ow-agree-{uuid.uuid4().hex[:10]}")
    store.write_batch(dataset(), [])
    yield store
    drop = getattr(store, "drop", None)
    if callable(drop):
        drop()
    store.close()


def ids(store: Store, **kw) -> list[str]:
    return [h.listing["listing_id"] for h in store.search(SearchQuery(limit=100, **kw)).hits]


@pytest.mark.parametrize(("text", "want"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_language_hits(loaded: Store, text: str, want: set[str]) -> None:
    result = loaded.search(SearchQuery(text=text, limit=100))
    assert {h.listing["listing_id"] for h in result.hits} == want
    assert result.total == len(want)


SORTED = {
    "newest": ["r4", "e3", "r2", "e2", "e1", "r3", "r1", "e5", "e4"],
    "oldest": ["e4", "e5", "r1", "r3", "e1", "e2", "r2", "e3", "r4"],
    "price_asc": ["e5", "r3", "r1", "e1", "r4", "e2", "e3", "r2", "e4"],
    "price_desc": ["r2", "e3", "e2", "r4", "e1", "r1", "r3", "e5", "e4"],
    "ppg_asc": ["r4", "e5", "r2", "r1", "e3", "e1", "r3", "e2", "e4"],
}


@pytest.mark.parametrize("sort", list(SORTED))
def test_sorts_give_the_same_order(loaded: Store, sort: str) -> None:
    assert ids(loaded, sort=sort) == SORTED[sort]


def test_relevance_ranks_the_substance_above_a_vendor_name(loaded: Store) -> None:
    got = ids(loaded, text="меф")
    assert set(got[:3]) == {"r1", "r2", "e4"}  # mephedrone listings before the vendor "Мефиста"
    assert ids(loaded, text="мефедрон")[0] in {"r1", "r2"}


def test_facets_are_disjunctive(loaded: Store) -> None:
    both = loaded.search(SearchQuery(market=("klad", "emporium"), limit=100))
    assert both.total == 9
    one = loaded.search(SearchQuery(market="klad", substance="mephedrone", limit=100))
    assert {h.listing["listing_id"] for h in one.hits} == {"r1", "r2"}
    assert one.facets["market"] == {"emporium": 1, "klad": 2}  # other markets' counts under the substance
    assert one.facets["substance"] == {"alpha-pvp": 1, "cannabis": 1, "mephedrone": 2}  # within klad
    assert one.facets["city"] == {"Караганда": 1, "Шымкент": 1}
    assert one.facets["country"] == {"Kazakhstan": 2}
    cities = loaded.search(SearchQuery(city=("Караганда", "новосибирск"), limit=100))
    assert {h.listing["listing_id"] for h in cities.hits} == {"r1", "r3", "r4"}
    assert cities.facets["city"] == {"Караганда": 2, "Новосибирск": 1, "Шымкент": 1}
    assert cities.facets["country"] == {"Kazakhstan": 2, "Russia": 1}
    assert loaded.search(SearchQuery(country="Kazakhstan")).total == 3


def test_highlights_mark_word_forms(loaded: Store) -> None:
    hit = loaded.search(SearchQuery(text="мефедрона", sort="oldest")).hits
    marked = {h.listing["listing_id"]: h.highlight for h in hit}
    assert marked["r1"] is not None and "<mark>Мефедрон</mark>" in marked["r1"]
    assert marked["r2"] is not None and "<mark>мефедрона</mark>" in marked["r2"]


def test_bad_values_name_their_field(loaded: Store) -> None:
    for text, field in (("price:abc", "price"), ("seen:32.13.2026", "seen"), ("price:50..10", "price")):
        with pytest.raises(StoreError, match=f"^{field}:"):
            loaded.search(SearchQuery(text=text))
    with pytest.raises(StoreError, match="sort:"):
        loaded.search(SearchQuery(sort="random"))


def test_identifier_filters_reach_the_query(loaded: Store) -> None:
    """A `btc:` filter in the text becomes SearchQuery.identifier, which the store validates and matches."""
    with pytest.raises(StoreError, match="not a valid BTC address"):
        loaded.search(SearchQuery(text="mdma btc:bc1qexample"))


def test_both_stores_agree(tmp_path) -> None:
    """The whole table side by side, including the relevance order's substance-first property."""
    if not ES_URL:
        pytest.skip("ONIONWATCH_TEST_ES_URL not set (scripts/es-server.sh start)")
    lite = open_store(f"sqlite:///{tmp_path}/s.sqlite")
    es = open_store(f"{ES_URL.rstrip('/')}/?index_prefix=ow-agree-{uuid.uuid4().hex[:10]}")
    try:
        for store in (lite, es):
            store.write_batch(dataset() + list(data.base_listings().values()), data.vendors())
        for text, _ in QUERIES:
            assert set(ids(lite, text=text)) == set(ids(es, text=text)), text
        for sort in SORTED:
            assert ids(lite, sort=sort) == ids(es, sort=sort), sort
        q = SearchQuery(text="мефедрон OR mdma", market="klad", substance_class=("cathinone",), limit=100)
        a, b = lite.search(q), es.search(q)
        assert (a.total, a.facets) == (b.total, b.facets)
    finally:
        es.drop()  # type: ignore[attr-defined]
        es.close()
        lite.close()
