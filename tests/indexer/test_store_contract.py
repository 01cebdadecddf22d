"""One Store contract suite, run against SQLite always and Elasticsearch when ONIONWATCH_TEST_ES_URL is set.

The Elasticsearch side receives `<ONIONWATCH_TEST_ES_URL>/?index_prefix=<unique>` so that every test gets
fresh indices; a store may offer `drop()` to delete them afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from onionwatch.extractors.records import Listing, Price, Quantity, Tier
from onionwatch.indexer.store import SearchQuery, Store, StoreError, open_store
from onionwatch.indexer.watch_alerts import ALERT_FIELDS
from tests.indexer import data

ES_URL = os.environ.get("ONIONWATCH_TEST_ES_URL")
BACKENDS = ["sqlite"] + (["elasticsearch"] if ES_URL else [])


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/contract/store.sqlite"
    else:
        assert ES_URL
        yield f"{ES_URL.rstrip('/')}/?index_prefix=onionwatch-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    drop = getattr(s, "drop", None)
    if callable(drop):
        drop()
    s.close()


@pytest.fixture
def loaded(store: Store) -> Store:
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    return store


def ids(result) -> list[str]:
    return [h.listing["listing_id"] for h in result.hits]


def search(store: Store, **kw) -> list[str]:
    return sorted(ids(store.search(SearchQuery(limit=100, **kw))))


# --- writes


def test_write_counts_and_stats(store: Store) -> None:
    stats = [store.write_batch(lst, vs) for lst, vs in data.batches()]
    assert (stats[0].listings_new, stats[0].vendors_new, stats[0].observations) == (7, 5, 7)
    # change-only: a1 changed its price twice (2 observations); a2 re-seen unchanged and k1 with only a new
    # USD conversion (same RUB price) update the listing but record no observation
    assert (stats[1].listings_new, stats[1].observations) == (0, 2)
    assert stats[1].listings_updated == 2  # a1 and k1 (price_usd) changed; a2 re-seen unchanged
    assert (stats[2].listings_new, stats[2].listings_updated, stats[2].observations) == (1, 1, 2)
    assert store.counts() == {"listings": 8, "vendors": 5, "observations": 11}


def test_write_batches_is_the_batches_written_one_after_another(store: Store, tmp_path) -> None:
    """`write_batches`: the stats summed and the answers of writing each batch in turn (SQLite: in one
    transaction; Elasticsearch: one write_batch per batch as it comes)."""
    stats = store.write_batches(iter(data.batches()))
    assert (stats.listings_new, stats.vendors_new, stats.observations) == (8, 5, 11)
    assert store.counts() == {"listings": 8, "vendors": 5, "observations": 11}
    one = open_store(f"sqlite:///{tmp_path}/one-by-one.sqlite")
    for lst, vs in data.batches():
        one.write_batch(lst, vs)
    for key in sorted({(x.market, x.listing_id) for x in data.all_listings()}):
        assert store.get_listing(*key) == one.get_listing(*key)
    assert store.price_per_gram() == one.price_per_gram()
    assert store.active_vendors() == one.active_vendors()
    one.close()
    assert store.write_batches([]).listings_new == 0
    assert store.counts("klad") == {"listings": 3, "vendors": 3, "observations": 3}
    assert store.counts("nowhere") == {"listings": 0, "vendors": 0, "observations": 0}


def test_replaying_batches_adds_nothing(loaded: Store) -> None:
    before = loaded.counts()
    for listings, vendors in data.batches():
        stats = loaded.write_batch(listings, vendors)
        assert (stats.listings_new, stats.listings_updated, stats.observations) == (0, 0, 0)
        assert (stats.vendors_new, stats.vendors_updated) == (0, 0)
    assert loaded.counts() == before
    assert loaded.search(SearchQuery()).total == 8


def test_same_listing_twice_in_one_batch_is_one_listing(store: Store) -> None:
    a1 = data.base_listings()["a1"]
    stats = store.write_batch([a1, a1, data.at(a1, "2024-01-08T10:00:00Z", price_usd=39.0)], [])
    assert (stats.listings_new, stats.observations) == (1, 2)
    assert store.counts()["listings"] == 1


def test_first_seen_is_the_earliest_sighting_in_a_batch(store: Store) -> None:
    a1 = data.base_listings()["a1"]
    later = data.at(a1, "2024-01-08T10:00:00Z", title="MDMA crystals restocked")
    store.write_batch([later, a1], [])  # the later sighting first: order in a batch must not matter
    hit = store.search(SearchQuery(text="crystals")).hits[0].listing
    assert (hit["first_seen"], hit["last_seen"]) == ("2024-01-01T10:00:00Z", "2024-01-08T10:00:00Z")
    assert hit["title"] == "MDMA crystals restocked"
    firsts = {r["substance"]: r["first_seen"] for r in store.substances_first_seen("2023-01-01")}
    assert firsts["mdma"] == "2024-01-01T10:00:00Z"


def test_older_write_never_overwrites_newer_state(store: Store) -> None:
    a1 = data.base_listings()["a1"]
    newer = data.at(a1, "2024-02-05T10:00:00Z", price_usd=36.0, title="MDMA crystals restocked")
    older = data.at(a1, "2023-12-20T10:00:00Z", price_usd=55.0, title="MDMA crystals old title")
    store.write_batch([newer], [])
    stats = store.write_batch([older], [])
    assert (stats.listings_new, stats.listings_updated, stats.observations) == (0, 0, 1)
    hit = store.search(SearchQuery(text="crystals")).hits[0].listing
    assert hit["title"] == "MDMA crystals restocked"
    assert hit["price_usd"] == 36.0
    assert hit["first_seen"] == "2023-12-20T10:00:00Z"
    assert hit["last_seen"] == "2024-02-05T10:00:00Z"
    assert store.search(SearchQuery(text="old")).total == 0


def test_newer_write_replaces_state_and_text_index(store: Store) -> None:
    a1 = data.base_listings()["a1"]
    store.write_batch([a1], [])
    store.write_batch([data.at(a1, "2024-01-08T10:00:00Z", title="Champagne MDMA")], [])
    assert search(store, text="champagne") == ["a1"]
    assert search(store, text="pure") == []


def test_failed_batch_writes_nothing(store: Store) -> None:
    b = data.base_listings()
    bad = data.at(b["a2"], "2024-01-02T10:00:00Z", price_usd=-5.0)  # violates price_usd >= 0
    with pytest.raises(StoreError):
        store.write_batch([b["a1"], bad, b["k1"]], data.vendors())
    assert store.counts() == {"listings": 0, "vendors": 0, "observations": 0}
    assert store.search(SearchQuery(text="mdma")).total == 0
    assert store.get_vendor("alpha", "v-green") is None


def test_failed_batch_leaves_earlier_data_untouched(loaded: Store) -> None:
    before = loaded.counts()
    b = data.base_listings()
    changed = data.at(b["a3"], "2024-03-01T10:00:00Z", title="Heroin restock")
    bad = replace(b["k2"], scraped_at="not a date")
    with pytest.raises(StoreError):
        loaded.write_batch([changed, bad], [])
    assert loaded.counts() == before
    assert search(loaded, text="restock") == []


# --- search


def test_text_search_prefix_and_all_terms(loaded: Store) -> None:
    assert search(loaded, text="mdma") == ["a1", "a5"]
    assert search(loaded, text="MDMA crystals") == ["a1"]
    assert search(loaded, text="coca") == ["a2"]
    assert search(loaded, text="мефедрон") == ["k1", "k3"]
    assert search(loaded, text="МЕФЕДРОН москва") == ["k1", "k3"]
    assert search(loaded, text="snezhok mdma") == []


def test_text_search_matches_vendor_names(loaded: Store) -> None:
    assert search(loaded, text="снежок") == ["k1", "k3"]


def test_each_filter(loaded: Store) -> None:
    assert search(loaded, market="klad") == ["k1", "k2", "k3"]
    assert search(loaded, vendor="drgreen") == ["a1", "a3"]
    assert search(loaded, vendor="DR_GREEN") == ["k2"]
    assert search(loaded, vendor="ICEKING") == ["a2", "a4", "a5"]
    assert search(loaded, substance="fentanyl") == ["a3"]  # extracted, not primary
    assert search(loaded, substance="3-xmc") == ["a4"]  # unknown candidate
    assert search(loaded, substance="mephedrone") == ["k1", "k3"]
    assert search(loaded, substance_class="opioid") == ["a3"]
    assert search(loaded, substance_class="stimulant") == ["a1", "a2", "a5", "k1", "k3"]
    assert search(loaded, price_min=35, price_max=50) == ["a1", "a5", "k1", "k2"]  # inclusive
    assert search(loaded, price_min=100) == ["a3"]
    assert search(loaded, since="2024-02-01") == ["a1", "a4", "k1"]
    assert search(loaded, until="2024-01-02") == ["a1", "a2"]  # a bare date covers the whole day
    assert search(loaded, since="2024-01-10T00:00:00Z", until="2024-01-10T23:00:00+00:00") == ["a1", "a5", "k1"]
    assert search(loaded, market="alpha", substance="mdma", price_max=40) == ["a1"]
    assert search(loaded, text="мефедрон", price_max=25) == ["k3"]


def test_order_and_paging(loaded: Store) -> None:
    everything = loaded.search(SearchQuery(limit=100))
    assert ids(everything) == ["a4", "a1", "k1", "k3", "a5", "a2", "k2", "a3"]  # last_seen descending
    pages = [loaded.search(SearchQuery(limit=3, offset=o)) for o in (0, 3, 6, 9)]
    assert [p.total for p in pages] == [8, 8, 8, 8]
    assert [ids(p) for p in pages] == [["a4", "a1", "k1"], ["k3", "a5", "a2"], ["k2", "a3"], []]
    assert ids(loaded.search(SearchQuery(limit=2, offset=-5))) == ["a4", "a1"]
    assert loaded.search(SearchQuery(limit=0)).hits == []


def test_text_hits_ranked_title_first(loaded: Store) -> None:
    result = loaded.search(SearchQuery(text="research"))
    assert ids(result) == ["a4"]
    assert result.hits[0].score > 0


def test_hits_carry_the_listing_and_its_times(loaded: Store) -> None:
    assert search(loaded, text="mephedrone") == ["k1", "k3"]  # names their substance (titles are Russian)
    assert ids(loaded.search(SearchQuery(text="гашиш OR nosuchword"))) == ["k2"]  # OR is an operator
    assert ids(loaded.search(SearchQuery(text="research nosuchword"))) == []  # words AND together
    hit = loaded.search(SearchQuery(text="гашиш")).hits[0].listing
    assert hit["market"] == "klad" and hit["listing_id"] == "k2"
    assert hit["vendor"] == "dr_green" and hit["vendor_id"] == "k-zel"
    assert hit["price"] == {"amount": 3600, "currency": "RUB"}
    assert hit["quantity"] == {"value": 2, "unit": "g"}
    assert hit["price_per_gram_usd"] == 20
    assert hit["substances"][0]["canonical"] == "hashish"
    assert (hit["first_seen"], hit["last_seen"]) == ("2024-01-05T10:00:00Z", "2024-01-05T10:00:00Z")


def test_facets_follow_filters(loaded: Store) -> None:
    facets = loaded.search(SearchQuery()).facets
    assert facets["market"] == {"alpha": 5, "klad": 3}
    assert facets["substance"] == {
        "mdma": 2, "mephedrone": 2, "cocaine": 1, "fentanyl": 1, "hashish": 1, "heroin": 1,
    }  # fmt: skip
    assert facets["substance_class"] == {"stimulant": 5, "cannabinoid": 1, "opioid": 1}
    narrowed = loaded.search(SearchQuery(market="klad")).facets
    assert narrowed["market"] == {"alpha": 5, "klad": 3}  # disjunctive: the other markets stay visible
    assert narrowed["substance"] == {"mephedrone": 2, "hashish": 1}
    assert loaded.search(SearchQuery(text="nothing-matches-this")).facets["market"] == {}


@pytest.mark.parametrize("query", [SearchQuery(), SearchQuery(market="klad"), SearchQuery(substance="mephedrone"),
                                   SearchQuery(since="2024-01-01", text="mdma OR mephedrone")])
def test_asking_for_some_facets_counts_those_alone_and_the_same(loaded: Store, query: SearchQuery) -> None:
    full = loaded.search(query)
    for wanted in [("substance",), ("market", "city"), ()]:
        part = loaded.search(replace(query, facets=wanted))
        assert set(part.facets) == set(wanted)
        assert part.facets == {name: full.facets[name] for name in wanted}
        assert (part.total, ids(part)) == (full.total, ids(full))


def test_an_unknown_facet_is_refused_by_name(loaded: Store) -> None:
    with pytest.raises(StoreError, match="facets: unknown facet 'colour'"):
        loaded.search(SearchQuery(facets=("substance", "colour")))


def test_highlights_mark_terms_and_escape_scraped_text(loaded: Store) -> None:
    hits = loaded.search(SearchQuery(text="pills")).hits
    assert [h.listing["listing_id"] for h in hits] == ["a5"]
    hl = hits[0].highlight
    assert hl is not None and "<mark>" in hl.lower()
    without_marks = hl.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks
    assert hits[0].listing["title"] == data.HOSTILE_TITLE  # stored raw; escaping is the renderer's job
    script = loaded.search(SearchQuery(text="script alert")).hits[0].highlight
    assert script is not None and "&lt;" in script and "<script" not in script
    assert loaded.search(SearchQuery(market="alpha")).hits[0].highlight is None


HOSTILE_QUERIES = [
    'AND OR NOT "',
    "*",
    "(",
    ")",
    '"unterminated',
    "NEAR(a b)",
    "title:mdma",
    "mdma*",
    "^mdma",
    "-mdma",
    "'; DROP TABLE listings; --",
    "\x00\x1b[31m",
    "💊💊 мефедрон",
    "ﬁ ǅ İstanbul ß",
    "mdma " * 2000,
    "x" * 10_000,
    "a" + " b" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=lambda t: repr(t[:20]))
def test_hostile_query_strings_never_fail(loaded: Store, text: str) -> None:
    result = loaded.search(SearchQuery(text=text, limit=5))
    assert 0 <= result.total <= 8
    assert len(result.hits) <= 5
    assert loaded.counts()["listings"] == 8


def test_hostile_query_semantics(loaded: Store) -> None:
    assert loaded.search(SearchQuery(text='AND OR NOT "')).total == 0  # plain words, not operators
    assert loaded.search(SearchQuery(text="*")).total == 8  # no word terms: no text constraint
    assert loaded.search(SearchQuery(text="(")).total == 8
    assert search(loaded, text="mdma*") == ["a1", "a5"]
    assert search(loaded, text="💊 мефедрон") == ["k1", "k3"]
    assert search(loaded, text="mdma " * 2000) == ["a1", "a5"]


def test_bad_filter_values_raise_store_error(loaded: Store) -> None:
    for query in (SearchQuery(since="yesterday"), SearchQuery(until="2024-13-45"), SearchQuery(price_min=float("nan"))):
        with pytest.raises(StoreError):
            loaded.search(query)


def test_result_size_is_bounded(store: Store) -> None:
    template = data.base_listings()["a2"]
    many = [data.at(template, "2024-01-02T10:00:00Z", listing_id=f"bulk-{i}") for i in range(1005)]
    store.write_batch(many, [])
    result = store.search(SearchQuery(text="cocaine", limit=5000))
    assert result.total == 1005
    assert len(result.hits) == 1000
    assert len(store.search(SearchQuery(limit=50, offset=1000)).hits) == 5


# --- trends


def test_listings_per_substance_weekly(loaded: Store) -> None:
    assert loaded.listings_per_substance("week") == [
        {"period": "2024-01-01", "substance": "cocaine", "listings": 1},
        {"period": "2024-01-01", "substance": "hashish", "listings": 1},
        {"period": "2024-01-01", "substance": "heroin", "listings": 1},
        {"period": "2024-01-01", "substance": "mdma", "listings": 1},
        {"period": "2024-01-01", "substance": "mephedrone", "listings": 1},
        {"period": "2024-01-08", "substance": "cocaine", "listings": 1},
        {"period": "2024-01-08", "substance": "mdma", "listings": 2},
        {"period": "2024-01-08", "substance": "mephedrone", "listings": 2},  # k1 carried forward, k3 new
        {"period": "2024-01-15", "substance": "mdma", "listings": 1},
        {"period": "2024-01-15", "substance": "mephedrone", "listings": 1},
        {"period": "2024-01-22", "substance": "mdma", "listings": 1},  # a1 unchanged: carried forward
        {"period": "2024-01-22", "substance": "mephedrone", "listings": 1},
        {"period": "2024-01-29", "substance": "mdma", "listings": 1},
        {"period": "2024-01-29", "substance": "mephedrone", "listings": 1},  # k1 last seen 2024-02-01
        {"period": "2024-02-05", "substance": "mdma", "listings": 1},
    ]


def test_listings_per_substance_monthly_one_market(loaded: Store) -> None:
    assert loaded.listings_per_substance("month", market="klad") == [
        {"period": "2024-01-01", "substance": "hashish", "listings": 1},
        {"period": "2024-01-01", "substance": "mephedrone", "listings": 2},
        {"period": "2024-02-01", "substance": "mephedrone", "listings": 1},
    ]


def test_price_per_gram_exact_medians(loaded: Store) -> None:
    rows = loaded.price_per_gram(interval="month")
    assert [(r["period"], r["substance"], r["observations"]) for r in rows] == [
        ("2024-01-01", "cocaine", 1),
        ("2024-01-01", "hashish", 1),
        ("2024-01-01", "heroin", 1),
        ("2024-01-01", "mdma", 1),  # a1's last value in January (a5 is priced per unit)
        ("2024-01-01", "mephedrone", 2),
        ("2024-02-01", "mdma", 1),
        ("2024-02-01", "mephedrone", 1),  # k1: its last observation (33 USD/g) carried into February
    ]
    medians = [r["median_usd_per_gram"] for r in rows]
    assert medians == pytest.approx([90.0, 20.0, 120.0, 41.0, 36.5, 36.0, 33.0])
    mdma = loaded.price_per_gram("mdma", interval="week")
    assert [(r["period"], r["median_usd_per_gram"]) for r in mdma] == [
        ("2024-01-01", pytest.approx(40.0)),
        ("2024-01-08", pytest.approx(38.0)),
        ("2024-01-15", pytest.approx(41.0)),
        ("2024-01-22", pytest.approx(41.0)),  # unchanged weeks keep the last known price
        ("2024-01-29", pytest.approx(41.0)),
        ("2024-02-05", pytest.approx(36.0)),
    ]


def test_active_vendors(loaded: Store) -> None:
    assert loaded.active_vendors("week") == [
        {"period": "2024-01-01", "market": "alpha", "vendors": 2},
        {"period": "2024-01-01", "market": "klad", "vendors": 2},
        {"period": "2024-01-08", "market": "alpha", "vendors": 2},
        {"period": "2024-01-08", "market": "klad", "vendors": 1},
        {"period": "2024-01-15", "market": "alpha", "vendors": 1},
        {"period": "2024-01-15", "market": "klad", "vendors": 1},
        {"period": "2024-01-22", "market": "alpha", "vendors": 1},
        {"period": "2024-01-22", "market": "klad", "vendors": 1},
        {"period": "2024-01-29", "market": "alpha", "vendors": 1},
        {"period": "2024-01-29", "market": "klad", "vendors": 1},
        {"period": "2024-02-05", "market": "alpha", "vendors": 2},  # "iceking" == "IceKing"
    ]
    assert loaded.active_vendors("month", market="alpha") == [
        {"period": "2024-01-01", "market": "alpha", "vendors": 2},
        {"period": "2024-02-01", "market": "alpha", "vendors": 2},
    ]


def test_substances_first_seen(loaded: Store) -> None:
    rows = loaded.substances_first_seen("2024-01-01")
    assert [(r["substance"], r["known"], r["listings"]) for r in rows] == [
        ("mdma", True, 2),
        ("cocaine", True, 1),
        ("fentanyl", True, 1),
        ("heroin", True, 1),
        ("mephedrone", True, 2),
        ("hashish", True, 1),
        ("3-xmc", False, 1),
    ]
    assert rows[0]["first_seen"] == "2024-01-01T10:00:00Z"
    emerging = loaded.substances_first_seen("2024-02-01")
    assert emerging == [{"substance": "3-xmc", "known": False, "first_seen": "2024-02-06T10:00:00Z", "listings": 1}]
    window = loaded.substances_first_seen("2024-01-02", "2024-01-04")
    assert [r["substance"] for r in window] == ["cocaine", "fentanyl", "heroin"]


def test_bad_interval_raises_store_error(loaded: Store) -> None:
    with pytest.raises(StoreError):
        loaded.listings_per_substance("fortnight")
    with pytest.raises(StoreError):
        loaded.substances_first_seen("soon")


def test_get_listing_with_observation_history(loaded: Store) -> None:
    a1 = loaded.get_listing("alpha", "a1")
    assert a1 is not None
    assert (a1["title"], a1["price_usd"], a1["first_seen"], a1["last_seen"]) == (
        "Pure MDMA crystals 84%", 36.0, "2024-01-01T10:00:00Z", "2024-02-05T10:00:00Z",
    )  # fmt: skip
    history = [(o["observed_at"], o["price_usd"], o["price_per_gram_usd"], o["unit"]) for o in a1["observations"]]
    assert history == [
        ("2024-01-01T10:00:00Z", 40.0, 40.0, "g"),
        ("2024-01-08T10:00:00Z", 38.0, 38.0, "g"),
        ("2024-01-15T10:00:00Z", 41.0, 41.0, "g"),
        ("2024-02-05T10:00:00Z", 36.0, 36.0, "g"),
    ]
    k1 = loaded.get_listing("klad", "k1")
    assert k1 is not None and [(o["price"], o["currency"]) for o in k1["observations"]][0] == (3000, "RUB")
    assert loaded.get_listing("alpha", "nope") is None


def test_tier_unit_price_is_stored_and_read_back(store: Store) -> None:
    """ "100 pills, $3 each": the tier's price is $300 and its per-unit price ($3 each) is kept."""
    li = data.listing("alpha", "pu1", "100x Xanax 2mg bars, $3 each", at="2024-03-01T10:00:00Z", vendor="DrGreen",
                      vendor_id="v-green", sub="alprazolam", cls="benzodiazepine", qty=100, unit="unit", usd=300.0)  # fmt: skip
    li.tiers = [Tier(Quantity(100.0, "unit"), Price(300.0, "USD"), True, 300.0, Price(3.0, "USD"), "unit"),
                Tier(Quantity(1.0, "g"), Price(10.0, "USD"), False, 10.0)]  # fmt: skip
    store.write_batch([li], [])
    got = store.get_listing("alpha", "pu1")
    assert got is not None
    first, second = got["tiers"]
    assert (first["unit_price"], first["unit_price_per"]) == ({"amount": 3.0, "currency": "USD"}, "unit")
    assert first["price"] == {"amount": 300.0, "currency": "USD"}
    assert second.get("unit_price") is None


# --- vendors


def test_get_vendor(loaded: Store) -> None:
    v = loaded.get_vendor("alpha", "v-green")
    assert v is not None
    assert (v["name"], v["pgp_fingerprint"], v["rating"], v["sales"]) == ("DrGreen", data.FP_GREEN, 4.8, 1200)
    assert v["contacts"] == {"telegram": ["@drgreen"]}
    assert loaded.get_vendor("alpha", "nobody") is None


def test_vendor_profile_with_pgp_link(loaded: Store) -> None:
    p = loaded.vendor_profile("alpha", "v-green")
    assert p is not None
    assert p["listings"] == 2
    assert p["substances"] == {"fentanyl": 1, "heroin": 1, "mdma": 1}
    assert (p["first_seen"], p["last_seen"]) == ("2024-01-01T09:00:00Z", "2024-02-05T10:00:00Z")
    assert p["linked"] == [{"market": "klad", "vendor_id": "k-zel", "name": "dr_green", "reason": "pgp", "score": 1.0}]


def test_vendor_profile_with_name_link_and_nameonly_listings(loaded: Store) -> None:
    p = loaded.vendor_profile("alpha", "v-ice")
    assert p is not None
    assert p["listings"] == 3  # a2, a5 by id; a4 by name ("iceking", no vendor_id)
    assert p["substances"] == {"cocaine": 1, "mdma": 1}
    assert p["linked"] == [{"market": "klad", "vendor_id": "k-ice", "name": "Ice.King", "reason": "name", "score": 0.6}]
    snow = loaded.vendor_profile("klad", "k-snow")
    assert snow is not None and snow["linked"] == [] and snow["substances"] == {"mephedrone": 2}
    assert loaded.vendor_profile("klad", "nobody") is None


# --- watchlists


def _alert_keys(store: Store, since: str | None = None) -> list[tuple[str, str, str, str]]:
    return sorted((a["watch_name"], a["kind"], a["market"], a["listing_id"]) for a in store.alerts(since))


def test_watches_raise_deduplicated_alerts(store: Store) -> None:
    store.add_watch({"name": "cheap mdma", "substance": "mdma", "price_below_usd": 45})
    store.add_watch({"name": "rc", "keyword": "RESEARCH chemical"})
    store.add_watch({"name": "green key", "pgp_fingerprint": data.FP_GREEN.lower()})
    store.add_watch({"name": "ice", "vendor": "ICEKING", "substance_class": "stimulant"})
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    expected = [
        ("cheap mdma", "new", "alpha", "a1"),
        ("cheap mdma", "price", "alpha", "a1"),  # 40 -> 41 (2.5 %, none) -> 36: -10 % from the alerted 40
        ("green key", "new", "alpha", "a1"),
        ("green key", "new", "alpha", "a3"),
        ("green key", "new", "klad", "k2"),
        ("green key", "price", "alpha", "a1"),
        ("ice", "new", "alpha", "a2"),
        ("ice", "new", "alpha", "a5"),
        ("rc", "new", "alpha", "a4"),
    ]
    assert _alert_keys(store) == expected
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    assert _alert_keys(store) == expected
    alert = store.alerts()[0]
    assert set(alert) >= set(ALERT_FIELDS)
    assert store.alerts(since="2999-01-01") == []
    price = next(a for a in store.alerts() if a["kind"] == "price" and a["watch_name"] == "cheap mdma")
    assert (price["old_price_usd"], price["price_usd"]) == (40.0, 36.0)
    assert price["title"] == data.base_listings()["a1"].title and price["vendor"] == "DrGreen"
    assert price["url"] == "http://alpha.onion/listing/a1" and price["observed_at"] == "2024-02-05T10:00:00Z"
    assert price["acked_at"] is None and price["notified_at"] is None


def test_resightings_never_alert_price_changes_do(loaded: Store) -> None:
    wid = loaded.add_watch({"name": "meph", "substance": "mephedrone"})
    assert isinstance(wid, str) and wid
    k3 = data.base_listings()["k3"]
    loaded.write_batch([data.at(k3, "2024-03-01T10:00:00Z")], [])  # seen again, unchanged
    assert loaded.alerts() == []
    base = k3.price_usd
    assert base
    loaded.write_batch([data.at(k3, "2024-03-02T10:00:00Z", price_usd=base * 1.05)], [])  # +5 %: under 10 %
    assert loaded.alerts() == []
    loaded.write_batch([data.at(k3, "2024-03-03T10:00:00Z", price_usd=base * 0.8)], [])  # -20 % from stored
    rows = loaded.alerts()
    assert [(a["watch_id"], a["kind"], a["listing_id"]) for a in rows] == [(wid, "price", "k3")]
    assert rows[0]["old_price_usd"] == pytest.approx(base * 1.05)
    loaded.write_batch([data.at(k3, "2024-03-01T12:00:00Z", price_usd=base * 3)], [])  # an older sighting
    loaded.write_batch([data.at(k3, "2024-03-04T10:00:00Z", price_usd=base * 0.8)], [])  # unchanged again
    assert len(loaded.alerts()) == 1


def test_price_threshold_is_per_watch(loaded: Store) -> None:
    loaded.add_watch({"name": "any move", "substance": "mephedrone", "price_change_pct": 0})
    loaded.add_watch(
        {
            "name": "big move",
            "substance": "mephedrone",
            "vendor": data.base_listings()["k3"].vendor,
            "market": "klad",
            "price_change_pct": 50,
        }
    )
    k3 = data.base_listings()["k3"]
    assert k3.price_usd
    loaded.write_batch([data.at(k3, "2024-03-02T10:00:00Z", price_usd=k3.price_usd * 1.01)], [])
    assert [a["watch_name"] for a in loaded.alerts()] == ["any move"]
    loaded.write_batch([data.at(k3, "2024-03-03T10:00:00Z", price_usd=k3.price_usd * 2)], [])
    assert sorted(a["watch_name"] for a in loaded.alerts()) == ["any move", "any move", "big move"]


def test_new_listing_alerts_once_with_its_snapshot(store: Store) -> None:
    store.add_watch({"name": "rc", "keyword": "research", "market": "alpha"})
    a4 = data.base_listings()["a4"]
    store.write_batch([a4], [])
    store.write_batch([a4], [])
    rows = store.alerts()
    assert [(a["kind"], a["listing_id"], a["title"]) for a in rows] == [("new", "a4", a4.title)]
    store.add_watch({"name": "rc klad", "keyword": "research", "market": "klad"})
    store.write_batch([data.at(a4, "2024-05-01T00:00:00Z")], [])
    assert len(store.alerts()) == 1


def test_watches_list_edit_remove(store: Store) -> None:
    wid = store.add_watch({"name": "coke", "substance": "cocaine"})
    other = store.add_watch({"name": "ice", "substance_class": "stimulant", "price_change_pct": 25})
    listed = store.watches()
    assert [(w["id"], w["name"]) for w in listed] == [(wid, "coke"), (other, "ice")]
    assert listed[0]["definition"] == {"name": "coke", "substance": "cocaine", "price_change_pct": 10.0}
    assert listed[1]["alerts"] == 0 and listed[1]["unacked"] == 0
    store.update_watch(wid, {"name": "coke cheap", "substance": "cocaine", "price_below_usd": 50})
    assert store.watches()[0]["definition"]["price_below_usd"] == 50
    with pytest.raises(StoreError, match="same criteria"):
        store.update_watch(other, {"name": "x", "substance": "COCAINE", "price_below_usd": 50.0})
    with pytest.raises(StoreError, match="no watch"):
        store.update_watch("999999", {"name": "x", "substance": "heroin"})
    assert store.remove_watch(wid) is True
    assert store.remove_watch(wid) is False
    assert [w["name"] for w in store.watches()] == ["ice"]


def test_duplicate_watches_are_refused(store: Store) -> None:
    store.add_watch({"name": "green", "pgp_fingerprint": data.FP_GREEN})
    with pytest.raises(StoreError, match="same criteria"):
        store.add_watch(
            {
                "name": "green again",
                "pgp_fingerprint": " ".join(data.FP_GREEN.lower()[i : i + 4] for i in range(0, 40, 4)),
            }
        )
    with pytest.raises(StoreError, match="already watch"):
        store.add_watch({"name": "GREEN", "keyword": "x"})
    assert len(store.watches()) == 1


def test_acknowledge_and_delivery_marks(store: Store) -> None:
    store.add_watch({"name": "mdma", "substance": "mdma"})
    store.add_watch({"name": "stims", "substance_class": "stimulant"})
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    rows = store.alerts()
    assert len(rows) >= 3
    first, second = rows[0]["id"], rows[1]["id"]
    assert store.acknowledge_alerts([first, second], "anna") == 2
    assert store.acknowledge_alerts([first], "boris") == 0  # keeps who and when
    acked = {a["id"]: a for a in store.alerts()}
    assert acked[first]["acked_by"] == "anna" and acked[first]["acked_at"]
    assert [a["id"] for a in store.alerts(unacked=True)] == [a["id"] for a in rows[2:]]
    watch_id = rows[0]["watch_id"]
    assert {a["watch_id"] for a in store.alerts(watch_id=watch_id)} == {watch_id}
    assert store.mark_alerts([first], "digest_at") == 1
    assert store.mark_alerts([first], "digest_at") == 0
    assert first not in {a["id"] for a in store.alerts(unmarked="digest_at")}
    assert len(store.alerts(unmarked="notified_at")) == len(rows)
    counts = {w["name"]: (w["alerts"], w["unacked"]) for w in store.watches()}
    assert sum(n for n, _ in counts.values()) == len(rows)
    assert sum(u for _, u in counts.values()) == len(rows) - 2
    with pytest.raises(StoreError):
        store.mark_alerts([first], "sent")
    with pytest.raises(StoreError, match="no alert"):
        store.acknowledge_alerts(["nonsense"], "anna")


@pytest.mark.parametrize(
    "watch",
    [
        {},
        {"name": "no criteria"},
        {"name": "no criteria", "price_change_pct": 5},
        {"substance": "mdma"},
        {"name": "x", "colour": "red"},
        {"name": "x", "price_below_usd": "cheap"},
        {"name": "x", "price_below_usd": -1},
        {"name": "x", "price_below_usd": float("nan")},
        {"name": "x", "substance": "mdma", "price_change_pct": float("inf")},
        {"name": "x", "pgp_fingerprint": "1234"},
        {"name": "x", "pgp_fingerprint": "Z" * 40},
    ],
)
def test_invalid_watch_is_rejected(store: Store, watch: dict) -> None:
    with pytest.raises(StoreError):
        store.add_watch(watch)


def test_listing_records_round_trip_types(store: Store) -> None:
    a1: Listing = data.base_listings()["a1"]
    store.write_batch([a1], [])
    hit = store.search(SearchQuery(text="pure")).hits[0].listing
    expected = a1.to_dict()
    for key, value in expected.items():
        assert hit[key] == value, key


# --- crawl state (issue 10)


def test_crawl_state_round_trip(store: Store) -> None:
    assert store.crawls() == []
    first = store.begin_crawl("abyss")
    second = store.begin_crawl("kladmen")
    third = store.begin_crawl("abyss")
    assert len({first, second, third}) == 3
    running = store.crawls("abyss")
    assert [c["crawl_id"] for c in running] == [third, first]  # newest first, one market
    assert running[0]["status"] == "running" and running[0]["ended_at"] is None
    assert running[0]["counters"] == {} and running[0]["reasons"] == []
    store.update_crawl(first, "running", {"pages": 10}, [])
    store.update_crawl(
        first,
        "partial",
        {"pages": 12, "listings": 3},
        ["failed_pages x2: page failed"],
        {"title": 1.0, "price_text": 0.5},
    )
    got = {c["crawl_id"]: c for c in store.crawls()}
    assert set(got) == {first, second, third}
    done = got[first]
    assert done["status"] == "partial" and done["market"] == "abyss" and done["ended_at"] is not None
    assert done["counters"] == {"pages": 12, "listings": 3}
    assert done["reasons"] == ["failed_pages x2: page failed"]
    assert done["fill_rates"] == {"title": 1.0, "price_text": 0.5}
    store.update_crawl(first, "partial", {"pages": 12}, [])  # fill rates kept when not given
    assert {c["crawl_id"]: c for c in store.crawls("abyss")}[first]["fill_rates"] == {"title": 1.0, "price_text": 0.5}
    assert got[second]["status"] == "running"


def test_crawl_state_refuses_unknown_ids_and_statuses(store: Store) -> None:
    crawl_id = store.begin_crawl("abyss")
    with pytest.raises(StoreError):
        store.update_crawl(crawl_id, "finished-ish", {}, [])
    with pytest.raises(StoreError):
        store.update_crawl("999999999999999", "complete", {}, [])
    with pytest.raises(StoreError):
        store.begin_crawl("")
    assert [c["status"] for c in store.crawls()] == ["running"]


def test_mirror_health_series(store: Store) -> None:
    base = {"market": "m", "source": "probe", "status": 200, "requests": 1, "failures": 0, "error": None}
    samples = [
        base | {"mirror": "http://a.onion", "checked_at": "2026-01-02T00:00:00Z", "up": True, "latency_ms": 9.5},
        base
        | {
            "mirror": "http://a.onion",
            "checked_at": "2026-01-01T00:00:00Z",
            "up": False,
            "status": None,
            "latency_ms": None,
            "error": "<b>refused</b>",
        },
        base
        | {
            "market": "n",
            "mirror": "http://b.onion",
            "checked_at": "2026-01-03T00:00:00Z",
            "up": True,
            "latency_ms": 1.0,
            "source": "crawl",
            "requests": 40,
            "failures": 2,
        },
    ]
    assert store.record_mirror_health(samples) == 3
    assert store.record_mirror_health([]) == 0
    got = store.mirror_health("m")
    assert [(s["checked_at"], s["up"], s["error"]) for s in got] == [
        ("2026-01-01T00:00:00Z", False, "<b>refused</b>"),
        ("2026-01-02T00:00:00Z", True, None),
    ]
    assert store.mirror_health(since="2026-01-03T00:00:00Z") == [samples[2]]
    assert store.mirror_health("nosuch") == []


# --- change-only recrawls (issue 11; indexer/changes.py)


def _recrawl(store: Store, when: str, **changes: object) -> tuple[list[Listing], object]:
    """Every listing of the first batch sighted again at `when` (changes applied to a1 only)."""
    first, vendors = data.batches()[0]
    again = [data.at(x, when, **(changes if x.listing_id == "a1" else {})) for x in first]
    return again, store.write_batch(again, [replace(v, scraped_at=when) for v in vendors])


def test_unchanged_recrawl_writes_no_observation_but_moves_last_seen(store: Store) -> None:
    first, vendors = data.batches()[0]
    store.write_batch(first, vendors)
    before = store.counts()["observations"]
    _, stats = _recrawl(store, "2024-03-01T10:00:00Z")
    assert (stats.observations, stats.listings_new, stats.vendors_updated) == (0, 0, 0)
    assert store.counts()["observations"] == before
    a1 = store.get_listing("alpha", "a1")
    assert a1 is not None and a1["last_seen"] == "2024-03-01T10:00:00Z" and a1["status"] == "live"
    assert len(a1["observations"]) == 1


def test_only_changed_listings_get_observations(store: Store) -> None:
    first, vendors = data.batches()[0]
    store.write_batch(first, vendors)
    _, stats = _recrawl(store, "2024-03-01T10:00:00Z", price_usd=30.0)
    assert stats.observations == 1
    _, stats = _recrawl(store, "2024-03-02T10:00:00Z", price_usd=30.0, title="Pure MDMA crystals 90%")
    assert stats.observations == 1
    a1 = store.get_listing("alpha", "a1")
    assert a1 is not None
    assert [o["observed_at"] for o in a1["observations"]] == [
        "2024-01-01T10:00:00Z",
        "2024-03-01T10:00:00Z",
        "2024-03-02T10:00:00Z",
    ]


def test_gone_only_after_a_complete_crawl_and_live_again_on_return(store: Store) -> None:
    first, vendors = data.batches()[0]
    store.write_batch(first, vendors)
    partial = store.begin_crawl("alpha")
    store.update_crawl(partial, "partial", {}, ["cap_pages x1"])
    with pytest.raises(StoreError):
        store.mark_gone(partial)
    crawl = store.begin_crawl("alpha")  # started now: every stored alpha listing is older
    store.update_crawl(crawl, "complete", {}, [])
    assert store.mark_gone(crawl) == 4  # a1, a2, a3, a5; klad untouched
    assert search(store, status="gone") == ["a1", "a2", "a3", "a5"]
    assert search(store, status="live") == ["k1", "k2", "k3"]
    assert len(search(store, status="all")) == 7
    a2 = store.get_listing("alpha", "a2")
    assert a2 is not None and a2["status"] == "gone" and a2["last_seen"] == "2024-01-02T10:00:00Z"
    assert a2["gone_at"] is not None and a2["gone_at"] >= a2["last_seen"]
    assert store.mark_gone(crawl) == 0  # idempotent
    back = data.at(data.base_listings()["a2"], "2099-01-01T10:00:00Z")  # unchanged, but it came back
    assert store.write_batch([back], []).observations == 1
    a2 = store.get_listing("alpha", "a2")
    assert a2 is not None and (a2["status"], a2["gone_at"]) == ("live", None)
    assert store.write_batch([data.at(back, "2099-01-02T10:00:00Z")], []).observations == 0


def test_bad_status_filter_raises_store_error(loaded: Store) -> None:
    with pytest.raises(StoreError):
        loaded.search(SearchQuery(status="deleted"))


def test_vendor_profile_changes_are_kept_as_history(store: Store) -> None:
    v = data.vendors()[0]
    store.write_batch([], [v])
    store.write_batch([], [replace(v, scraped_at="2024-02-01T09:00:00Z")])  # re-seen unchanged
    changed = replace(
        v,
        name="DrGreener",
        pgp_fingerprint=data.FP_ICE,
        contacts={"telegram": ["@greener"]},
        rating=4.9,
        scraped_at="2024-03-01T09:00:00Z",
    )
    store.write_batch([], [changed])
    store.write_batch([], [changed])  # replay adds nothing
    store.write_batch([], [replace(v, scraped_at="2023-12-01T09:00:00Z")])  # older: not a change
    history = store.vendor_history("alpha", "v-green")
    assert [(h["field"], h["old"], h["new"], h["changed_at"]) for h in history] == [
        ("contacts", '{"telegram": ["@drgreen"]}', '{"telegram": ["@greener"]}', "2024-03-01T09:00:00Z"),
        ("name", "DrGreen", "DrGreener", "2024-03-01T09:00:00Z"),
        ("pgp_fingerprint", data.FP_GREEN, data.FP_ICE, "2024-03-01T09:00:00Z"),
    ]
    assert store.vendor_history("alpha", "v-ice") == []


def test_hostile_vendor_text_does_not_invent_history(store: Store) -> None:
    v = replace(data.vendors()[0], name="Dr\x00Green\udcff", contacts={"telegram": ["@dr\x00green"]})
    store.write_batch([], [v])
    store.write_batch([], [replace(v, scraped_at="2024-02-01T09:00:00Z", rating=1.0)])
    assert store.vendor_history("alpha", "v-green") == []


@pytest.mark.elasticsearch
@pytest.mark.skipif(not ES_URL, reason="ONIONWATCH_TEST_ES_URL not set (scripts/es-server.sh start)")
def test_both_stores_raise_the_same_alerts(tmp_path) -> None:
    """The same watches and crawls on SQLite and Elasticsearch: the same alerts, field for field."""
    assert ES_URL
    stores = [
        open_store(f"sqlite:///{tmp_path}/agree.sqlite"),
        open_store(f"{ES_URL.rstrip('/')}/?index_prefix=onionwatch-test-{uuid.uuid4().hex[:10]}"),
    ]
    keep = (
        "watch_name",
        "kind",
        "market",
        "listing_id",
        "title",
        "vendor",
        "url",
        "price_usd",
        "old_price_usd",
        "observed_at",
    )
    answers = []
    try:
        for s in stores:
            s.add_watch({"name": "mdma", "substance": "mdma", "price_change_pct": 5})
            s.add_watch({"name": "green", "pgp_fingerprint": data.FP_GREEN})
            s.add_watch({"name": "klad cheap", "market": "klad", "price_below_usd": 100, "price_change_pct": 0})
            for listings, vendors in data.batches():
                s.write_batch(listings, vendors)
            later = [
                data.at(x, "2024-07-01T00:00:00Z", price_usd=(x.price_usd or 10) * 0.93)
                for x in data.base_listings().values()
            ]
            s.write_batch(later, [])
            s.write_batch(later, [])  # a replay
            answers.append(sorted(tuple(a[k] for k in keep) for a in s.alerts()))
    finally:
        drop = getattr(stores[1], "drop", None)
        if callable(drop):
            drop()
        for s in stores:
            s.close()
    assert answers[0] == answers[1]
    assert {a[1] for a in answers[0]} == {"new", "price"}
