"""First-class listing fields in extraction: shown quantity, city/district (and the city's currency), category."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.listing_fields import bare_price, field_quantity, shown_quantity, text_city
from onionwatch.extractors.offers import parse_offer
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Price, Quantity


def _raw(**kw: object) -> RawListing:
    base: dict[str, object] = {"market": "m", "listing_id": "1", "url": "/l/1", "title": "", "currency": "USD",
                               "scraped_at": "2026-01-01T00:00:00Z"}
    base.update(kw)
    return RawListing(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,5 г", Quantity(0.5, "g")), ("3.5g", Quantity(3.5, "g")), ("10 pills", Quantity(10.0, "unit")),
        ("1 oz", Quantity(1.0, "oz")), ("250 mg", Quantity(250.0, "mg")), ("Вес: 2 гр", Quantity(2.0, "g")),
        ("", None), (None, None), ("n/a", None), ("9" * 10_000, None),
    ],
)
def test_shown_quantity(text: str | None, expected: Quantity | None) -> None:
    assert shown_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [("12 000", "KZT", Price(12000.0, "KZT")), ("45.00", "USD", Price(45.0, "USD")), ("$45", "USD", None),
     ("12 000", None, None), ("call us", "USD", None), ("0", "USD", None)],
)
def test_bare_price(text: str, currency: str | None, expected: Price | None) -> None:
    assert bare_price(text, currency) == expected


def test_shown_quantity_wins_over_title_and_sets_price_per_gram(extractor: Extractor) -> None:
    li = extractor.listing(_raw(title="Cocaine 1g pure", price_text="$200", quantity="2 g"))
    assert li.quantity == Quantity(2.0, "g") and li.price_per_gram_usd == 100.0
    li = extractor.listing(_raw(title="Cocaine 1g pure", price_text="$200"))
    assert li.quantity == Quantity(1.0, "g") and li.price_per_gram_usd == 200.0


def test_city_implies_currency_when_the_page_shows_none(extractor: Extractor) -> None:
    li = extractor.listing(_raw(title="Мефедрон 1г", price_text="12 000", location="Алматы / Алмалинский",
                                currency="RUB", lang="ru"))
    assert li.price == Price(12000.0, "KZT") and (li.city, li.district) == ("Алматы", "Алмалинский")
    li = extractor.listing(_raw(title="Weed 1g", price_text="120", city="Tbilisi", district="Vake"))
    assert li.price == Price(120.0, "GEL") and (li.city, li.district) == ("Tbilisi", "Vake")
    shown = extractor.listing(_raw(title="Weed 1g", price_text="$120", city="Tbilisi"))
    assert shown.price == Price(120.0, "USD")  # a currency on the page wins
    unknown = extractor.listing(_raw(title="Weed 1g", price_text="120", city="Springfield"))
    assert unknown.price == Price(120.0, "USD")  # the market's default


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("📍 Алматы\nМеф 1г — 13 000", "Алматы"),
        ("Алм: меф 1г 13к", "Алматы"),  # an abbreviation: the full name
        ("Мефедрон 1г\nКлад в Астане, р-н Есиль", "Астана"),  # a case form after "в"
        ("Прайс\nУсть-Каменогорск\nСК 0,5г — 6 000 тг", "Усть-Каменогорск"),
        ("Шишки 1г для семей и друзей", None),  # "семей" is a word, not Семей, without "в"
        ("Меф 1г, клад, магнит", None),
        ("", None),
    ],
)
def test_text_city(text: str, city: str | None) -> None:
    assert text_city(text) == city


def test_a_listing_without_a_place_takes_the_city_its_text_names(extractor: Extractor) -> None:
    li = extractor.listing(_raw(title="Мефедрон 1г", description="Клад в Астане, р-н Есиль", price_text="15 000",
                                currency="RUB", lang="ru"))  # fmt: skip
    assert (li.city, li.price) == ("Астана", Price(15000.0, "KZT"))
    tg = extractor.listing(_raw(title="Ташкент", description="Мефедрон 1г — 450 000 сум"))
    assert tg.city == "Ташкент"
    shown = extractor.listing(_raw(title="Меф 1г, доставка по Москве", location="Минск", currency="RUB", lang="ru"))
    assert shown.city == "Минск"  # a place shown apart wins
    english = extractor.listing(_raw(title="Cocaine 1g, ships from Berlin", price_text="80", currency="EUR"))
    assert english.city is None  # an English market listing: no city read from the text


def test_city_field_wins_over_location(extractor: Extractor) -> None:
    li = extractor.listing(_raw(title="x", location="Москва, ЦАО", city="Minsk"))
    assert (li.city, li.district) == ("Minsk", None)
    li = extractor.listing(_raw(title="x", location="Москва, ЦАО", city="Москва"))
    assert (li.city, li.district) == ("Москва", "ЦАО")


def test_category_is_a_substance_hint(extractor: Extractor) -> None:
    li = extractor.listing(_raw(title="Premium product, fast shipping 1g", category="Cocaine", price_text="$90"))
    assert li.substance == "cocaine"  # the title and description name none: the category's
    li = extractor.listing(_raw(title="MDMA + Ketamine party pack 2g", category="Ketamine", price_text="$90"))
    assert li.substance == "ketamine" and {s.canonical for s in li.substances} >= {"mdma"}  # a tie broken
    li = extractor.listing(_raw(title="Ketamine needles 2g", category="Stimulants", price_text="$90"))
    assert li.substance == "ketamine"  # a category naming no substance changes nothing
    li = extractor.listing(_raw(title="Digital scale 0.01g", category="Cannabis", price_text="$20"))
    assert li.substance is None  # a non-drug title stays non-drug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10шт — 10 000 сом", Quantity(10.0, "unit")), ("10 pcs — $50", Quantity(10.0, "unit")),
        ("$50 for 10 pcs", Quantity(10.0, "unit")), ("1г — 2500р", Quantity(1.0, "g")),
        ("10 000 сом", None),  # no amount
        ("10 pcs", None),  # no price: not an offer the field shows
        ("0,5", None),  # a bare number is guessed, not written
        ("2,5 тыс. за грамм", None),  # the number belongs to the price
        ("2mg pills — $5", None),  # a per-pill dose, not an amount
    ],
)
def test_field_quantity(text: str, expected: Quantity | None) -> None:
    assert field_quantity(parse_offer(text, "KGS", "ru")) == expected


def test_text_city_word_cache_is_bounded_and_answers_as_city_currency() -> None:
    from onionwatch.extractors import listing_fields
    from onionwatch.extractors.places import city_currency

    cached = listing_fields._word_city_currency
    assert cached.cache_info().maxsize == 16_384  # bounded: hostile texts cannot grow it without limit
    words = ["Алматы", "Алм", "Москва", "Semey", "семей", "Меф кристалл", "Тбилиси", "nowhere", "Нур-Султан"]
    for w in words * 2:  # the second round is answered from the cache
        assert cached(w) == city_currency(w)
    assert text_city("Меф 1г Алматы клад") == text_city("Меф 1г Алматы клад") == "Алматы"
