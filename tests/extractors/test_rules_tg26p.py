"""Telegram shapes of tg_dev2026p (issue 14 item 5): a place-by-product availability table, "1)" / "2." row numbers,
Uzbek/Kyrgyz "ш." after the city, "mahallasi" after a district, a USDT/BTC equivalent after "/",
ranges with one thousands word at their end, "грм", and Kazakh "Орал" (Uralsk) only when capitalised. Phrases written
for these tests (not the dev set's); each rule with readings it must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.geo import group_key
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import city_currency, misspelt_district
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.telegram_offers import column_tables, find_offers
from tests.extractors.tg_rows import offer_rows


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


def test_product_columns_give_one_offer_per_priced_cell(x: Extractor) -> None:
    got = offer_rows(find_offers("Павлодар — остатки\nРайон | альфа 0.5г | гаш 1г\nУсолка | 8к | нет\nЗатон | — | 10к", x))
    assert got == [("Павлодар", "Усолка", "alpha-pvp", 0.5, 8000, "KZT"),
                   ("Павлодар", "Затон", "cannabis", 1.0, 10000, "KZT")]


def test_product_columns_with_a_city_column() -> None:
    assert column_tables("Город | кокс 1г\nОмск | 9000 ₽") == "Омск: кокс 1г — 9000 ₽"


def test_product_columns_need_a_place_column_and_weights() -> None:
    # a first column that is no place, or a column without a weight: the lines stay as written
    for text in ("Товар | меф 1г | шишки 1г\nВарианты | 15к | 9к", "Район | меф | шишки\nЕсиль | 15к | 9к"):
        assert column_tables(text) == text


def test_row_number_with_bracket_or_dot_leaves_the_place(x: Extractor) -> None:
    got = offer_rows(find_offers("ПАВЛОДАР\n1) Усолка — амф 1г 9к\n2. Затон — амф 2г 17к", x))
    assert [(d, q, p) for _, d, _, q, p, _ in got] == [("Усолка", 1.0, 9000), ("Затон", 2.0, 17000)]


def test_decimal_weight_opening_a_line_is_not_a_row_number(x: Extractor) -> None:
    got = offer_rows(find_offers("Павлодар, Усолка\n1.5 гр амф — 12 000 тг", x))
    assert [(d, q, p) for _, d, _, q, p, _ in got] == [("Усолка", 1.5, 12000)]


def test_uzbek_city_abbreviation_then_unmarked_district(x: Extractor) -> None:
    got = offer_rows(find_offers("Бухоро ш., Эски шаҳар\nгаш 1гр — 200 минг сўм", x))
    assert [(d, s, q, p, c) for _, d, s, q, p, c in got] == [("Эски шаҳар", "cannabis", 1.0, 200000, "UZS")]


def test_mahallasi_is_a_district_mark(x: Extractor) -> None:
    got = offer_rows(find_offers("Buxoro sh., Ko'hna mahallasi\nmef 1 gr — 400 ming so'm", x))
    assert [d for _, d, *_ in got] == ["Ko'hna"]


def test_usdt_equivalent_after_a_slash_is_not_a_second_price(x: Extractor) -> None:
    got = offer_rows(find_offers("🍫 гаш 2г\n📍 Павлодар, Затон\n💵 18 000 тг / 36 USDT", x))
    assert [(q, p, c) for *_, q, p, c in got] == [(2.0, 18000, "KZT")]


def test_usdt_first_keeps_usdt(x: Extractor) -> None:
    got = offer_rows(find_offers("Ош, Анар\nкокс 1г — 70 USDT / 6 000 сом", x))
    assert [(p, c) for *_, p, c in got] == [(70, "USD")]


def test_range_with_one_thousands_word_at_its_end() -> None:
    got = [(p.amount, p.currency) for p in find_prices("гаш 1г — 180–200 ming so'm", "UZS")]
    assert (180000.0, "UZS") in got and (180.0, "UZS") not in got
    got = [p.amount for p in find_prices("амф 1г — от 9 до 11 тыс.", "KZT")]
    assert got == [9000.0, 11000.0]


def test_weight_before_a_k_price_is_no_range() -> None:
    assert [p.amount for p in find_prices("амф 1-9к", "KZT")] == [9000.0]
    assert 5000.0 not in [p.amount for p in find_prices("от 5 до 30 тыс. тг", "KZT")]  # not close: two prices


def test_grm_is_grams() -> None:
    assert [(q.value, q.unit) for q in find_quantities("амф 2грм — 17000")] == [(2.0, "g")]


def test_oral_is_a_city_only_capitalised() -> None:
    assert city_currency("Орал") == "KZT"
    assert city_currency("орал") is None


def test_town_listed_as_the_heading_citys_district(x: Extractor) -> None:
    got = offer_rows(find_offers("Астана\n• Нура: амф 1г 10к\n• Байконур: амф 2г 19к", x))
    assert [(d, q) for _, d, _, q, _, _ in got] == [("Нура", 1.0), ("Байконур", 2.0)]
    assert {c for c, *_ in got} == {"Астана"}


def test_town_without_a_heading_city_stays_a_town(x: Extractor) -> None:
    got = offer_rows(find_offers("Байконур: амф 2г 19к", x))
    assert [(c, d) for c, d, *_ in got] == [("Байконур", None)]
    got = offer_rows(find_offers("Астана — амф 1г 10к\nАлматы — амф 1г 11к", x))
    assert [(c, d) for c, d, *_ in got] == [("Астана", None), ("Алматы", None)]


def test_district_misspelt_by_one_letter_is_the_listed_one(x: Extractor) -> None:
    almaty = group_key("Almaty")
    assert misspelt_district("Ауэзовскый", almaty) == "Ауэзовский"
    assert misspelt_district("Турксибскии", almaty) == "Турксибский"
    got = offer_rows(find_offers("Алматы, Медеусский р-н\nамф 1г — 11 000 тг", x))
    assert [d for _, d, *_ in got] == ["Медеуский"]


def test_short_or_far_or_known_names_are_not_respelt() -> None:
    almaty = group_key("Almaty")
    assert misspelt_district("Самол", almaty) is None  # too short to tell from another place
    assert misspelt_district("Ауэзовщина", almaty) is None  # more than one letter away
    assert misspelt_district("Бостандыкский", almaty) is None  # already listed: nothing to repair


def test_other_spellings_are_not_typos() -> None:
    # a hyphen or space dropped is the same name written another way; a Kazakh spelling is kept as written
    assert misspelt_district("Каракамыш", group_key("Tashkent")) is None
    assert misspelt_district("Майқұдықта", group_key("Karaganda")) is None
    assert misspelt_district("Аль Фарабийский", group_key("Shymkent")) is None
    assert misspelt_district("Bostandyq", group_key("Almaty")) is None  # Kazakh Latin: kept as written
