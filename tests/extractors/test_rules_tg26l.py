"""Telegram district rules from the tg_dev2026l misses (issue 14 item 5): a village "с.", a street as the only place,
"квартал N" / "кв-л N", a part of town named by a common word ("центр", "окраина", "старый город"), a place after a
dash or "|" behind the city (a known district, a shopping centre, a part of town; not a product), "Медеу р." and a
hyphenated abbreviation ("Аль-Фараб."), the finer of "part of town, place", a place on the last line after the
offers, and the gazetteer's regional cities. Messages written by hand for these tests (not the dev set's), each rule
with readings it must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.geo import group_key
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import expand_abbreviation, known_district
from tests.extractors.rule_cases import offer_places


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


def places(text: str, x: Extractor) -> list[tuple]:
    return offer_places(text, x)


@pytest.mark.parametrize(("text", "want"), [
    ("Тараз, с. Кумшагал\nмеф 1г — 14 000 тг", [("Тараз", "Кумшагал")]),
    ("Актобе, ул. Маресьева\nгаш 1г — 11 000 тг", [("Актобе", "Маресьева")]),
    ("Семей, улица Шакарима\nшишки 1г — 10 000 тг", [("Семей", "Шакарима")]),
    ("Атырау, квартал 7\nальфа 1г — 13 000 тг", [("Атырау", "7")]),
    ("Павлодар — кв-л 3\nамф 1г — 10 000 тг", [("Павлодар", "3")]),
])
def test_village_street_and_numbered_quarter(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


def test_lowercase_s_or_price_letter_is_no_village(x: Extractor) -> None:
    # "с" before a lowercase word is a preposition, and a price in сом keeps its line whole
    assert places("Бишкек\nмеф 1г — 4500 с. скидка с понедельника", x) == [("Бишкек", None)]


@pytest.mark.parametrize(("text", "want"), [
    ("Кокшетау — центр\nмеф 1г — 15 000 тг", [("Кокшетау", "центр")]),
    ("Костанай, окраина\nгаш 1г — 10 000 тг", [("Костанай", "окраина")]),
    ("Бухара — Старый город\nшишки 1г — 300 000 сум", [("Бухара", "Старый город")]),
    ("Уральск, правый берег\nмеф 1г — 14 000 тг", [("Уральск", "правый берег")]),
])
def test_part_of_town_by_a_common_word(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Атырау — Авангард\nмеф 1г — 15 000 тг", [("Атырау", "Авангард")]),
    ("Тараз | ТРЦ Меркур\nшишки 1г — 10 000 тг", [("Тараз", "ТРЦ Меркур")]),
    ("Кызылорда — ТЦ Сырдария\nгаш 1г — 9 000 тг", [("Кызылорда", "ТЦ Сырдария")]),
])
def test_place_after_a_dash_or_bar(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


@pytest.mark.parametrize("text", [
    "Семей — Меф\n1г — 15 000 тг",  # a product heading after the dash
    "Семей — Наличие\nмеф 1г — 15 000 тг",  # a heading word
    "Семей — Доставка\nмеф 1г — 15 000 тг",
])
def test_a_dash_before_an_unknown_word_names_no_district(text: str, x: Extractor) -> None:
    assert [d for _, d in places(text, x)] == [None]


def test_short_mark_after_the_name_and_no_preposition_inside_it(x: Extractor) -> None:
    # "Медеу р." was read as "у р." (a preposition) and lost its last letter
    assert places("Алматы, Медеу р.\nгаш 1г — 12 000 тг", x) == [("Алматы", "Медеу")]
    assert places("Алматы, у ТЦ Мега\nгаш 1г — 12 000 тг", x) == [("Алматы", "ТЦ Мега")]


def test_abbreviation_after_the_city_is_the_listed_name(x: Extractor) -> None:
    assert places("Алматы, Бостанд.\nмеф 1г — 15 000 тг", x) == [("Алматы", "Бостандыкский")]
    assert places("Шымкент, Аль-Фараб. р-н\nшишки 1г — 10 000 тг", x) == [("Шымкент", "Аль-Фарабийский")]
    assert expand_abbreviation("Аль-Фараб.", group_key("Shymkent")) == "Аль-Фарабийский"
    assert expand_abbreviation("Аль-Фараб", group_key("Shymkent")) is None  # no dot: not an abbreviation


def test_finer_of_part_of_town_and_place(x: Extractor) -> None:
    assert places("Новосибирск, Левый берег, Клюквенный\nмеф 1г — 3 000 ₽", x) == [("Новосибирск", "Клюквенный")]
    # two places of one rank are a list, not "the finer one"
    assert places("Алматы, Медеу, Самал-2\nмеф 1г — 15 000 тг", x) != [("Алматы", "Самал-2")]


def test_place_on_the_last_line_after_the_offers(x: Extractor) -> None:
    text = "Казань\nмеф 1г — 3 000 ₽\nмеф 2г — 5 600 ₽\n📍 Дербышки"
    assert places(text, x) == [("Казань", "Дербышки")] * 2
    assert places("Уральск\nшишки 1г — 11 000 тг\nр-н Зачаганск", x) == [("Уральск", "Зачаганск")]


@pytest.mark.parametrize("text", [
    "Казань\nмеф 1г — 3 000 ₽\n📍 Самовывоз",  # not a place
    "Казань, Горки\nмеф 1г — 3 000 ₽\n📍 Дербышки",  # the offers have their own district
    "Казань\nмеф 1г — 3 000 ₽\nОмск\nмеф 1г — 2 900 ₽\n📍 Московка",  # offers of two cities
])
def test_last_line_place_left_alone(text: str, x: Extractor) -> None:
    got = places(text, x)
    assert ("Казань", "Дербышки") not in got and ("Казань", "Московка") not in got
    assert all(d != "Самовывоз" for _, d in got)


@pytest.mark.parametrize(("name", "city"), [
    ("Женис", "Uralsk"), ("Цементный", "Semey"), ("Арай", "Kyzylorda"), ("Батыс-2", "Aktobe"),
    ("Горки", "Kazan"), ("Шаугар", "Turkestan"), ("Новобелицкий", "Gomel"), ("Мынбулак", "Taraz"),
])
def test_regional_cities_districts_are_known(name: str, city: str) -> None:
    found = known_district(name)
    assert found is not None and found[1] == city


def test_known_district_before_a_regional_city(x: Extractor) -> None:
    assert places("Деркул, Уральск\nмеф 1г — 14 000 тг", x) == [("Уральск", "Деркул")]
    assert places("Уральск:\nЗачаганск — меф 1г 14к\nКублей — меф 1г 13к", x) == [("Уральск", "Зачаганск"),
                                                                                  ("Уральск", "Кублей")]


def test_last_line_sentence_with_a_mark_names_no_district(x: Extractor) -> None:
    text = "Омск\nмеф 1г — 3 000 ₽\nшишки 1г — 2 500 ₽\nСтоимость зависит от района"
    assert [d for _, d in places(text, x)] == [None, None]


@pytest.mark.parametrize(("text", "want"), [
    ("Шымкент, пр. Тауке хана\nмеф 1г — 14 000 тг", [("Шымкент", "Тауке хана")]),
    ("Актобе, проспект Абилкайыр хана\nгаш 1г — 11 000 тг", [("Актобе", "Абилкайыр хана")]),
])
def test_avenue_as_the_only_place(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want
