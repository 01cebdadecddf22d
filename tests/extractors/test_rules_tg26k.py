"""Telegram offer rules from the tg_dev2026k misses (issue 14 item 5): numbered micro-districts, Latin marks, the finer
of two places, a district before its city, a city given again in brackets, a district named like a town, a heading
word before the city, a landmark, a product before the city, spoken "-ка" district names, an emoji legend, an
ambiguous product after a price on the same line. Messages written by hand for these tests (not the dev set's), each
rule with readings it must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import known_district
from tests.extractors.rule_cases import offer_places, offer_rows


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


def rows(text: str, x: Extractor) -> list[tuple]:
    return offer_rows(text, x)


def places(text: str, x: Extractor) -> list[tuple]:
    return offer_places(text, x)


@pytest.mark.parametrize(("text", "want"), [
    ("Актау, 14 мкр\nмеф 1г — 16 000 тг", [("Актау", "14")]),
    ("Шымкент 5 мкрн\nгаш 1г — 12 000 тг", [("Шымкент", "5")]),
    ("Бишкек, мкр 11\nальфа 1г — 4000 сом", [("Бишкек", "11")]),
    ("Aktobe, 8 mkr\nmef 1g — 14 000 tg", [("Aktobe", "8")]),
])
def test_numbered_micro_district_is_its_number(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


def test_numbered_micro_district_before_each_offer(x: Extractor) -> None:
    assert rows("Семей\n5 мкр: шишки 1г — 10 000 тг\n7 мкр: шишки 1г — 9 500 тг", x) == [
        ("Семей", "5", "cannabis", 1.0, 10000.0, "KZT"), ("Семей", "7", "cannabis", 1.0, 9500.0, "KZT")]


def test_numbered_quarter_is_finer_than_its_administrative_district(x: Extractor) -> None:
    assert places("Ташкент, Юнусабадский р-н, 4 квартал\nгашиш 1г — 300 000 сум", x) == [("Ташкент", "4")]
    # a named micro-district before a number keeps its name
    assert places("Алматы, мкр Айнабулак-3\nмеф 1г — 15 000 тг", x) == [("Алматы", "Айнабулак-3")]


def test_numbered_micro_district_leaves_weights_alone(x: Extractor) -> None:
    # the weight after the micro-district is still the offer's; weights alone name no district
    assert rows("Актау, 3 мкр\nмеф 2г — 28 000 тг", x) == [("Актау", "3", "mephedrone", 2.0, 28000.0, "KZT")]
    assert places("Актау\nмеф 2г — 28 000 тг\nмеф 5г — 65 000 тг", x) == [("Актау", None), ("Актау", None)]


@pytest.mark.parametrize(("text", "want"), [
    ("Almaty, mkr Orbita-2\nmef 1g — 16k tg", [("Almaty", "Orbita-2")]),
    ("Almaty, Bostandyq aýdany\nmef 1g — 16k tg", [("Almaty", "Bostandyq")]),
    ("Astana, Esil audany\nmef 1g — 17k tg", [("Astana", "Esil")]),
])
def test_latin_district_marks(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Москва СЗАО (Митино)\nамф 1г — 2000₽", [("Москва", "Митино")]),  # an okrug, then the district in brackets
    ("Москва, ЗАО / Солнцево\nамф 1г — 2000₽", [("Москва", "Солнцево")]),
    ("Алматы\nАлатауский р-н / Шанырак\nмеф 1г — 15 000 тг", [("Алматы", "Шанырак")]),
    ("Алматы, мкр. Мамыр-4, Ауэзовский район\nмеф 1г — 15 000 тг", [("Алматы", "Мамыр-4")]),  # the micro one first
])
def test_the_finer_of_two_places(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


def test_two_places_of_one_rank_stay_as_written(x: Extractor) -> None:
    # "Медеу (Достык)": Медеу is a district, but "Медеу" is no administrative mark: no finer one is chosen
    assert places("Алматы, Ауэзовский р-н\nмеф 1г — 15 000 тг", x) == [("Алматы", "Ауэзовский")]
    assert places("Москва, Марьино / Люблино\nамф 1г — 2000₽", x) == [("Москва", "Марьино / Люблино")]


@pytest.mark.parametrize(("text", "want"), [
    ("Бостандык 📍 Алматы\nшишки 1г — 10 000 тг", [("Алматы", "Бостандык")]),
    ("Ауэзовка — Алматы\nшишки 1г — 10 000 тг", [("Алматы", "Ауэзовка")]),  # the spoken "-ка" name
])
def test_district_before_its_city(text: str, want: list[tuple], x: Extractor) -> None:
    assert places(text, x) == want


def test_a_word_before_a_city_is_no_district_unless_known(x: Extractor) -> None:
    assert places("Доставка 📍 Алматы\nшишки 1г — 10 000 тг", x) == [("Алматы", None)]


def test_spoken_ka_names_of_adjectival_districts() -> None:
    assert known_district("Алмалинка") == ("Алмалинский", "Almaty")
    assert known_district("Асанбайка") is None  # the listed "Асанбай" is no adjectival name
    assert known_district("Травка") is None
    assert known_district("Московка") == ("Московка", "Omsk")  # a listed name is itself, not "Московский"


def test_city_again_in_brackets_then_district(x: Extractor) -> None:
    assert places("Шымкент (Shymkent), Нурсат\nмеф 1г — 14 000 тг", x) == [("Шымкент", "Нурсат")]
    assert places("Петропавловск (Петропавл), Рабочий посёлок\nмеф 1г — 15 000 тг", x)[0][1] == "Рабочий посёлок"


def test_marked_district_named_like_a_town_is_no_city(x: Extractor) -> None:
    assert rows("Алматы\nр-н Байсерке\nмеф 1г — 15 000 ₸", x)[0][:2] == ("Алматы", "Байсерке")
    assert places("Астана\nрайон Байконур\nшишки 1г — 11 000 ₸", x) == [("Астана", "Байконур")]


@pytest.mark.parametrize("text", [
    "Наличие: Караганда, Майкудук — меф 1г 14 000 тг",
    "UPD: Караганда, Майкудук — меф 1г 14 000 тг",
])
def test_heading_word_before_the_city(text: str, x: Extractor) -> None:
    assert rows(text, x) == [("Караганда", "Майкудук", "mephedrone", 1.0, 14000.0, "KZT")]


def test_heading_word_without_a_city_keeps_the_line(x: Extractor) -> None:
    assert rows("Караганда\nНаличие: меф 1г 14 000 тг", x) == [("Караганда", None, "mephedrone", 1.0, 14000.0, "KZT")]


def test_landmark_after_the_city_without_its_preposition(x: Extractor) -> None:
    assert places("Павлодар, возле ТЦ Артур\nмеф 1г — 16 000 тг", x) == [("Павлодар", "ТЦ Артур")]
    assert places("Павлодар, у вокзала\nмеф 1г — 16 000 тг", x) == [("Павлодар", None)]  # lower case: no name


def test_product_before_city_and_district(x: Extractor) -> None:
    assert rows("Гаш Алматы Самал-2 — 12к за 1г, 22к за 2г", x) == [
        ("Алматы", "Самал-2", "cannabis", 1.0, 12000.0, "KZT"), ("Алматы", "Самал-2", "cannabis", 2.0, 22000.0, "KZT")]
    # no known district after the city: read as before (the city from the line)
    assert places("Гаш Алматы — 12к за 1г", x) == [("Алматы", None)]


def test_emoji_legend(x: Extractor) -> None:
    text = "🌲 = шишки, 💎 = скорость, 🍫 = гашиш\nАстана\n💎 0.5г — 9 000 ₸\n🌲 1г — 11 000 ₸\n🍫 1г — 13 000 ₸"
    assert [r[2] for r in rows(text, x)] == ["alpha-pvp", "cannabis", "cannabis"]


def test_no_legend_no_emoji_products(x: Extractor) -> None:
    # one pair is no legend; a row under a product heading keeps the heading's product
    assert [r[2] for r in rows("Меф 💎 — лучший\nАстана\n💎 1г — 16 000 ₸", x)] == ["mephedrone"]


@pytest.mark.parametrize(("text", "want"), [
    ("Тараз\nамф 1г 11 000 тг, скорость 1г 14 000 тг", ["amphetamine", "alpha-pvp"]),
    ("Ош\nгаш 1г — 2000 сом; соль 0.5г — 2500 сом", ["cannabis", "alpha-pvp"]),
])
def test_ambiguous_product_after_a_price_on_the_line(text: str, want: list[str], x: Extractor) -> None:
    assert [r[2] for r in rows(text, x)] == want


def test_ambiguous_word_after_a_price_without_a_weight_is_no_product(x: Extractor) -> None:
    found = x.analyse(["Доставка 1500 тг, скорость от 1 часа"], lang="ru")[0]
    assert not found._.substances


@pytest.mark.parametrize("text", ["Твердый 5г - 9000р", "Караганда\nтвёрдый 🍫 1г — 12 000 тг", "Гашиш твердый 5гр"])
def test_tverdyi_is_hashish_in_drug_context(text: str, x: Extractor) -> None:
    # klad shops sell hashish as "твёрдый" (the solid one, beside "шишки"); real Matanga dev titles pair it with гашиш
    found = x.analyse([text], lang="ru")[0]
    assert [s.canonical for s in found._.substances] == ["cannabis"]


def test_tverdyi_alone_is_no_drug(x: Extractor) -> None:
    assert not x.analyse(["твердый знак на клавиатуре"], lang="ru")[0]._.substances


@pytest.mark.parametrize("text", ["Твердый 1г\nреагент, магнит", "твёрдый реагент 1г", "Tverdiy 1g, reagent, spice"])
def test_tverdyi_beside_a_named_synthetic_is_that_synthetic(text: str, x: Extractor) -> None:
    found = x.analyse([text], lang="ru")[0]
    assert [s.cls for s in found._.substances] == ["synthetic_cannabinoid"]
