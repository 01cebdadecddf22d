"""Telegram shapes of tg_dev2026o (issue 14 item 5): compact "1г-X/2г-Y" price lists, keycap row numbers, "тыр",
numbered and Latin-marked districts, "City 📍 District", an abbreviated district under a city heading, a known
district in a case form after "в"/"на", and "г" for a year. Phrases written for these tests (not the dev set's);
each rule with readings it must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import district_form
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.telegram_offers import find_offers
from tests.extractors.tg_rows import offer_rows


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


def test_compact_list_gives_one_offer_per_weight(x: Extractor) -> None:
    got = offer_rows(find_offers("Караганда\nсоль: 0.5г-7000/1г-13000/3г-36000 тг", x))
    assert [(q, p, c) for _, _, _, q, p, c in got] == [(0.5, 7000, "KZT"), (1, 13000, "KZT"), (3, 36000, "KZT")]
    assert {s for _, _, s, *_ in got} == {"alpha-pvp"}


def test_compact_list_with_k_and_roubles(x: Extractor) -> None:
    got = offer_rows(find_offers("Омск — амф 1г-2к/2г-3.8к ₽", x))
    assert [(q, p, c) for *_, q, p, c in got] == [(1, 2000, "RUB"), (2, 3800, "RUB")]


def test_ladder_of_weights_then_prices_is_not_a_compact_list(x: Extractor) -> None:
    # "0.5г/1г/2г — 8000/15000/28000": weights first, prices after (a ladder), untouched by the compact-list rule
    got = offer_rows(find_offers("Алматы: меф 0.5г/1г/2г — 8000/15000/28000 тг", x))
    assert [(q, p) for *_, q, p, _ in got] == [(0.5, 8000), (1, 15000), (2, 28000)]


def test_keycap_row_number_is_not_a_weight(x: Extractor) -> None:
    got = offer_rows(find_offers("Астана\n3️⃣ Нура — шишки 2г 19 000 ₸\n4️⃣ Есиль — шишки 2г 19 500 ₸", x))
    assert [(d, q, p) for _, d, _, q, p, _ in got] == [("Нура", 2, 19000), ("Есиль", 2, 19500)]


@pytest.mark.parametrize(("text", "amount"), [
    ("кокс 1г 11 тыр", 11000.0),
    ("гаш 2г — 4,5 тыр", 4500.0),
])
def test_tyr_is_thousands_of_roubles(text: str, amount: float) -> None:
    ps = find_prices(text, None)
    assert [(p.amount, p.currency) for p in ps] == [(amount, "RUB")]


def test_tyr_inside_a_word_is_no_price() -> None:
    assert find_prices("тыркыр 5 штук", None) == []


@pytest.mark.parametrize(("text", "district"), [
    ("Ош, 7-мкр\nмеф 1г 5000 сом", "7"),
    ("Dushanbe, Firdavsi rayoni\nmef 1g 420 TJS", "Firdavsi"),
    ("Andijan 📍 Bogishamol\nmef 1g 330k сум", "Bogishamol"),
])
def test_district_marks_and_pin_after_city(x: Extractor, text: str, district: str) -> None:
    got = offer_rows(find_offers(text, x))
    assert len(got) == 1 and got[0][1] == district


def test_pin_after_city_is_not_a_second_city(x: Extractor) -> None:
    got = offer_rows(find_offers("Шымкент 📍 Тараз\nмеф 1г 14 000 тг", x))
    assert got and got[0][1] is None


def test_abbreviated_district_under_city_heading(x: Extractor) -> None:
    got = offer_rows(find_offers("АСТАНА\nЕсил. р-н 👉 меф 1г 16к\nАлм. р-н 👉 меф 1г 15.5к", x))
    assert [(c, d, p) for c, d, _, _, p, _ in got] == [("Астана", "Есильский", 16000), ("Астана", "Алматинский", 15500)]


def test_city_abbreviation_without_mark_stays_a_city(x: Extractor) -> None:
    got = offer_rows(find_offers("Алм. меф 1г 15к", x))
    assert got and got[0][0] == "Алматы"


@pytest.mark.parametrize(("words", "want"), [
    ("Джале", "Джал"),
    ("Тунгуче", "Тунгуч"),
    ("Левом берегу", "Левый берег"),
    ("Кок-Жаре", "Кок-Жар"),
    ("Гараже", None),
    ("доме", None),
])
def test_district_form(words: str, want: str | None) -> None:
    assert district_form(words) == want


def test_district_in_a_case_form_names_its_city(x: Extractor) -> None:
    got = offer_rows(find_offers("Есть в Тунгуче: меф 1г 5000 сом", x))
    assert [(c, d) for c, d, *_ in got] == [("Бишкек", "Тунгуч")]


def test_city_after_preposition_is_not_a_district(x: Extractor) -> None:
    got = offer_rows(find_offers("Закладки в Бишкеке: меф 1г 5000 сом", x))
    assert [(c, d) for c, d, *_ in got] == [("Бишкек", None)]


def test_centre_after_preposition_names_no_district(x: Extractor) -> None:
    got = offer_rows(find_offers("Караганда, в Центре: меф 1г 14 000 тг", x))
    assert got and got[0][0] == "Караганда" and got[0][1] != "Центр"


@pytest.mark.parametrize("text", [
    "Продаю ноутбук, 2г гарантии, 180 000 тг",
    "Телефон 1г. выпуска назад, цена 90 000 тг",
])
def test_year_is_not_a_weight(x: Extractor, text: str) -> None:
    assert all(o.quantity is None or o.quantity.unit != "g" for o in find_offers(text, x))


def test_gram_before_guarantee_of_quality_is_a_weight(x: Extractor) -> None:
    got = offer_rows(find_offers("Алматы: меф 2г гарантия качества — 28 000 тг", x))
    assert [(q, p) for *_, q, p, _ in got] == [(2, 28000)]
