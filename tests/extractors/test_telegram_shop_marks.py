"""Telegram shop messages in Central-Asian styles (issue 14 part 5, tg_dev2026j): district marks written before or
after the name, abbreviations, a bracket after each price, a price before its bracketed product, "т" glued to an
amount, a sold-out sentence naming its product; messages written by hand for these tests, each rule with a negative."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import clean_place, expand_abbreviation
from onionwatch.extractors.telegram_offers import find_offers
from tests.extractors.rule_cases import offer_rows


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor()


def rows(text: str, x: Extractor) -> list[tuple]:
    return offer_rows(text, x)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # marks before the name: "пос.", "п.", "ЖМ"; after it: "кв", Kyrgyz "району"
        ("Караганда, пос. Михайловка\nмеф 1г — 13 000 тг", [("Караганда", "Михайловка", "mephedrone", 1.0, 13000.0, "KZT")]),
        ("Алматы, п. Боралдай\nшишки 2г — 19 000 тг", [("Алматы", "Боралдай", "cannabis", 2.0, 19000.0, "KZT")]),
        ("Алматы, ЖМ Шанырак-2 🌇\nгаш 1г = 11 000 тг", [("Алматы", "Шанырак-2", "cannabis", 1.0, 11000.0, "KZT")]),
        ("Ташкент, Чиланзар 12 кв\nмеф 1 гр — 420 000 сум", [("Ташкент", "Чиланзар 12", "mephedrone", 1.0, 420000.0, "UZS")]),
        ("Бишкек, Свердлов району\nмеф 1г — 4800 сом", [("Бишкек", "Свердлов", "mephedrone", 1.0, 4800.0, "KGS")]),
        # "шағын ауданы" (micro-district) is one mark
        ("Шымкент, Самал-3 шағын ауданы\nмеф 1г — 13 500 тг", [("Шымкент", "Самал-3", "mephedrone", 1.0, 13500.0, "KZT")]),
        # an abbreviated district before "р-н": the city's one listed district so named
        ("Алматы, Бост. р-н\nмеф 1г — 15к", [("Алматы", "Бостандыкский", "mephedrone", 1.0, 15000.0, "KZT")]),
        # a heading district between marks
        ("Астана\n🔻 Коктал 🔻\nшишки 1г — 11 000₸", [("Астана", "Коктал", "cannabis", 1.0, 11000.0, "KZT")]),
        # negatives: "п." before a lower-case word is no district mark; two districts listed name none
        ("Алматы\nп. с. меф 1г — 15 000 тг", [("Алматы", None, "mephedrone", 1.0, 15000.0, "KZT")]),
        ("Астана — Есиль, Сарыарка\nмеф 1г — 16 000 ₸", [("Астана", None, "mephedrone", 1.0, 16000.0, "KZT")]),
    ],
)
def test_district_marks(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want


def test_a_bracket_after_each_price_is_that_offers_district(x: Extractor) -> None:
    text = "Шымкент: шишки 1г — 9 000 тг (Нурсат), шишки 1г — 8 500 тг (Туран)"
    assert [(o.district, o.price.amount) for o in find_offers(text, x) if o.price] == [("Нурсат", 9000.0),
                                                                                      ("Туран", 8500.0)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Астана\n▪️ 16 000 (меф 1г)\n▪️ 11к [шишки 1г]", [("mephedrone", 1.0, 16000.0), ("cannabis", 1.0, 11000.0)]),
        # negative: a note in brackets after a price with no weight in it is no product
        ("Астана\nмеф 1г — 16 000 (скидка)", [("mephedrone", 1.0, 16000.0)]),
    ],
)
def test_price_before_its_bracketed_product(x: Extractor, text: str, want: list[tuple]) -> None:
    assert [(r[2], r[3], r[4]) for r in rows(text, x)] == want


def test_t_glued_to_an_amount_is_the_citys_money(x: Extractor) -> None:
    assert [r[3:] for r in rows("Павлодар\nмеф 0,5 — 8 000т\nмеф 1 — 15 000т.", x)] == [
        (0.5, 8000.0, "KZT"), (1.0, 15000.0, "KZT")]
    # "15т" alone (thousands or tenge?) is not read as a price
    assert rows("Павлодар\nмеф 1г 15т", x) == []


def test_a_sold_out_sentence_naming_its_product_leaves_the_offer(x: Extractor) -> None:
    text = "Костанай\nшишки 1г — 10 000 тг. Кокаин — нет в наличии.\nмеф 1г — 14 000 тг"
    assert [(r[2], r[4]) for r in rows(text, x)] == [("cannabis", 10000.0), ("mephedrone", 14000.0)]
    # negative: "Нет в наличии." without a product is about the offer before it
    assert rows("Костанай\nшишки 1г — 10 000 тг. Нет в наличии.", x) == []


@pytest.mark.parametrize(
    ("name", "city", "want"),
    [("Алм.", "Astana", "Алматинский"), ("Бост.", "Almaty", "Бостандыкский"), ("Сарыарк.", "Astana", "Сарыаркинский"),
     ("Алм", "Astana", None), ("Ал.", "Astana", None), ("Мкр.", "Almaty", None)],
)
def test_expand_abbreviation(name: str, city: str, want: str | None) -> None:
    assert expand_abbreviation(name, city) == want


@pytest.mark.parametrize(("text", "want"), [("пос. Пришахтинск", "Пришахтинск"), ("ЖМ Кок-Жиек", "Кок-Жиек"),
                                            ("п. Калкаман", "Калкаман"), ("Жмеринка", "Жмеринка")])
def test_clean_place_drops_the_new_marks(text: str, want: str) -> None:
    assert clean_place(text) == want


@pytest.mark.parametrize("junk", ["п. " * 5000, "5 кв " * 3000, "(" * 10000 + "1г", "1 " + "0" * 50000 + "т",
                                  "Алматы, " + "Алм. " * 4000 + "р-н\nмеф 1г — 15к"])
def test_junk_survives(x: Extractor, junk: str) -> None:
    assert isinstance(find_offers(junk, x), list)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # two neighbourhoods in one heading name neither; an administrative district then its part: the part
        ("Бишкек\nТунгуч / Учкун:\nмеф 1г — 5000 сом", [("Бишкек", None)]),
        ("Алматы\nМедеуский / Самал-2: меф 1г — 15к", [("Алматы", "Самал-2")]),
        # a district after the price's dash; a note there is none
        ("Алматы\nшишки 1г — 10 000 ₸ — Турксиб", [("Алматы", "Турксиб")]),
        ("Алматы\nшишки 1г — 10 000 ₸ — скидка", [("Алматы", None)]),
    ],
)
def test_district_lists_and_dashes(x: Extractor, text: str, want: list[tuple]) -> None:
    assert [r[:2] for r in rows(text, x)] == want


def test_price_before_a_dash_and_its_product(x: Extractor) -> None:
    assert [(r[2], r[3], r[4]) for r in rows("Павлодар\n14 500 — шишки 1г\n27 000 — шишки 2г", x)] == [
        ("cannabis", 1.0, 14500.0), ("cannabis", 2.0, 27000.0)]


@pytest.mark.parametrize("text", ["а меф 2г в Актобе сколько? 28к?", "Есть ли 1г шишек в Таразе за 10 000?"])
def test_a_buyers_question_is_no_offer(x: Extractor, text: str) -> None:
    assert rows(text, x) == []


def test_a_question_mark_alone_keeps_the_offer(x: Extractor) -> None:
    assert [r[4] for r in rows("Хочешь скидку? Павлодар: меф 1г — 14 000 тг", x)] == [14000.0]


def test_okrug_is_a_district_mark(x: Extractor) -> None:
    assert [r[1] for r in rows("Омск, Ленинский административный округ\nмеф 1г — 3300 руб.", x)] == ["Ленинский"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # prices per place, then the product and weight in brackets: one offer per place
        ("Шымкент\nНурсат — 14к, Туран — 13к (меф 1г)", [("Нурсат", "mephedrone", 1.0, 14000.0),
                                                         ("Туран", "mephedrone", 1.0, 13000.0)]),
        ("Шымкент: Нурсат — 14к, Туран — 13к (меф 1г)", [("Нурсат", "mephedrone", 1.0, 14000.0),
                                                         ("Туран", "mephedrone", 1.0, 13000.0)]),
        # negative: a weight before the bracket keeps the line as written (the bracket is a note)
        ("Шымкент\nмеф 1г — 14к (Нурсат)", [("Нурсат", "mephedrone", 1.0, 14000.0)]),
    ],
)
def test_places_then_bracketed_product(x: Extractor, text: str, want: list[tuple]) -> None:
    assert [r[1:5] for r in rows(text, x)] == want
