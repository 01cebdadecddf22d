"""Store.places and Store.city_summary: the same answers from SQLite and Elasticsearch (when configured)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from onionwatch.extractors.records import Listing, Quantity, Substance
from onionwatch.indexer.store import Store
from tests.indexer.test_store_contract import store, store_url  # noqa: F401 - the two-backend fixtures


def klad(lid: str, city: str | None, district: str | None, sub: str | None, usd: float | None, grams: float,
         vendor: str = "Klad", vendor_id: str | None = "k1", market: str = "klad") -> Listing:
    subs = [Substance(sub, "stimulant", sub, 0, len(sub))] if sub else []
    return Listing(market, lid, f"/t/{lid}", f"{sub} {grams} г", "", vendor, vendor_id, "ru", sub,
                   "stimulant" if sub else None, subs, quantity=Quantity(grams, "g"), price_usd=usd,
                   price_per_gram_usd=None if usd is None else usd / grams, city=city, district=district,
                   scraped_at=f"2024-01-{int(lid[1:]):02d}T00:00:00Z")  # fmt: skip


LISTINGS = [
    klad("k1", "Алматы", "Бостандыкский", "mephedrone", 40.0, 1),
    klad("k2", "Алматы", "Бостандыкский", "mephedrone", 60.0, 2),  # 30/g
    klad("k3", "Almaty", "Medeu", "mephedrone", 20.0, 0.5),  # 40/g
    klad("k4", "Almaty", None, "alpha-pvp", None, 1),
    klad("k5", "Караганда", "Юго-Восток", "alpha-pvp", 25.0, 1, vendor="Other", vendor_id=None),
    klad("k6", None, None, "hashish", 10.0, 1),
    replace(klad("k7", "Алматы", "", "mephedrone", 55.0, 1, vendor="Север", vendor_id="s1"), market="north"),
]


@pytest.fixture
def loaded(store: Store) -> Store:  # noqa: F811
    store.write_batch(LISTINGS, [])
    return store


def test_places_counts_listings_per_stored_city_and_district(loaded: Store) -> None:
    assert loaded.places() == [  # largest first, then by city and district
        {"city": "Алматы", "district": "Бостандыкский", "listings": 2},
        {"city": "Almaty", "district": None, "listings": 1},
        {"city": "Almaty", "district": "Medeu", "listings": 1},
        {"city": "Алматы", "district": None, "listings": 1},
        {"city": "Караганда", "district": "Юго-Восток", "listings": 1},
    ]
    assert loaded.places("north") == [{"city": "Алматы", "district": None, "listings": 1}]


def test_city_summary_over_every_spelling(loaded: Store) -> None:
    s = loaded.city_summary(["Алматы", "Almaty"], limit=2)
    assert s["listings"] == 5
    assert [h["listing_id"] for h in s["hits"]] == ["k7", "k4"]  # newest first
    assert s["vendors"] == [{"market": "klad", "vendor": "Klad", "vendor_id": "k1", "listings": 4},
                            {"market": "north", "vendor": "Север", "vendor_id": "s1", "listings": 1}]  # fmt: skip
    assert s["substances"] == [
        {"substance": "mephedrone", "listings": 4, "median_usd_per_gram": 40.0, "priced": 4},
        {"substance": "alpha-pvp", "listings": 1, "median_usd_per_gram": None, "priced": 0},
    ]
    assert s["districts"] == {"Бостандыкский": 2, "Medeu": 1}
    assert loaded.city_summary(["Алматы", "Almaty"], limit=2, offset=4)["hits"][0]["listing_id"] == "k1"
    assert loaded.city_summary([])["listings"] == 0
    assert loaded.city_summary(["Atlantis"])["substances"] == []
