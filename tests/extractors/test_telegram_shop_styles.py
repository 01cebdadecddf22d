"""Shop styles the generator does not write (issue 14, tg_dev2026h): column-named tables, rows run together on one
line, "16k" after a weight, a city in an offer line, a weight line over a price line, a heading naming several
cities, a sold-out sentence beside an offer. Messages written by hand for these tests, each rule with readings it
must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.telegram_offers import column_tables, find_offers
from tests.extractors.rule_cases import offer_rows


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor()


def rows(text: str, x: Extractor) -> list[tuple]:
    return offer_rows(text, x)


def test_column_table_rewritten_row_by_row() -> None:
    text = "Павлодар\nГород | Район | Товар | Вес | Цена\nПавлодар | Усолка | амф | 2 | 11 000\nконец"
    assert column_tables(text) == "Павлодар\nПавлодар / район Усолка: амф 2г — 11 000\nконец"


@pytest.mark.parametrize("text", [
    "Меф | 0.5 | 1 | 2\nАлматы | 9к | 16к | 30к",  # weights in the header: price_tables' shape, left to it
    "Товар | Цена\nмеф 1г | 15 000",  # no weight column
    "Оплата | Kaspi | Qiwi",
])
def test_column_table_needs_a_header_of_columns(text: str) -> None:
    assert column_tables(text) == text


@pytest.mark.parametrize(("text", "want"), [
    ("Павлодар 🏭\nНаименование | Фасовка | Стоимость\nАмфетамин | 1г | 7 000\nАмфетамин | 3г | 18 000",
     [("Павлодар", None, "amphetamine", 1.0, 7000.0, "KZT"), ("Павлодар", None, "amphetamine", 3.0, 18000.0, "KZT")]),
    ("Бишкек\nРайон | Товар | Вес | Цена\nАсанбай | гашиш | 1 | 2200 сом",
     [("Бишкек", "Асанбай", "cannabis", 1.0, 2200.0, "KGS")]),
])
def test_column_tables_give_offers(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize(("text", "want"), [
    # the next row's weight right after a price, on the same line
    ("Костанай\nамф 0.5/5к 1/9к 3/24к",
     [("Костанай", None, "amphetamine", 0.5, 5000.0, "KZT"), ("Костанай", None, "amphetamine", 1.0, 9000.0, "KZT"),
      ("Костанай", None, "amphetamine", 3.0, 24000.0, "KZT")]),
    ("Каракол: гаш 0.5 — 1200 сом, 1 — 2100 сом",
     [("Каракол", None, "cannabis", 0.5, 1200.0, "KGS"), ("Каракол", None, "cannabis", 1.0, 2100.0, "KGS")]),
    # bare prices: the row weight after a bare price is read once that price is
    ("Тараз: шишки 0,5 - 5000, 1 - 9000",
     [("Тараз", None, "cannabis", 0.5, 5000.0, "KZT"), ("Тараз", None, "cannabis", 1.0, 9000.0, "KZT")]),
])
def test_rows_on_one_line(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


def test_a_time_after_a_price_is_no_weight(x: Extractor) -> None:
    # "20:00" after the price: 20 is no row weight (whole weights go up to 10)
    assert rows("Атырау: меф 1г — 16 000 тг, завоз в 20:00", x) == [("Атырау", None, "mephedrone", 1.0, 16000.0, "KZT")]


def test_thousands_after_a_weight_in_latin(x: Extractor) -> None:
    assert rows("Astana\nmef 0.5g - 9k\nmef 1g - 17k", x) == [
        ("Astana", None, "mephedrone", 0.5, 9000.0, "KZT"), ("Astana", None, "mephedrone", 1.0, 17000.0, "KZT")]


def test_thousands_need_a_weight_before(x: Extractor) -> None:
    assert rows("Astana\nour channel: 5k subscribers, thank you", x) == []


def test_no_product_read_inside_an_amount(x: Extractor) -> None:
    # "5к 2/11к": the "к 2" is no "K2" (synthetic cannabinoid); the product stays the line's
    got = rows("Кокшетау\nамф 0.5/4к\nгаш 1/5к 2/11к", x)
    assert [r[2] for r in got] == ["amphetamine", "cannabis", "cannabis"] and [r[3] for r in got] == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(("text", "want"), [
    # a price after a city, one pair per segment; the weight carries to the next city
    ("Гаш 2г: Костанай 19к | Павлодар 20к",
     [("Костанай", None, "cannabis", 2.0, 19000.0, "KZT"), ("Павлодар", None, "cannabis", 2.0, 20000.0, "KZT")]),
    # a city named in an offer line with none before it
    ("❗️Новое: Актобе шишки 1г сейчас 10к", [("Актобе", None, "cannabis", 1.0, 10000.0, "KZT")]),
])
def test_city_in_an_offer_line(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


def test_one_price_after_a_word_that_is_no_city(x: Extractor) -> None:
    # one "Word price" pair after the weight is a place only when the word is a city: here a note, read as before
    assert rows("Караганда\nмеф 1г: Кристаллы 15к", x) == [("Караганда", None, "mephedrone", 1.0, 15000.0, "KZT")]


def test_district_after_the_city_is_a_place(x: Extractor) -> None:
    assert rows("Астана, прайс на неделю:\nмеф 1г — 16к", x) == [("Астана", None, "mephedrone", 1.0, 16000.0, "KZT")]
    assert rows("Астана, Есиль:\nмеф 1г — 16к", x) == [("Астана", "Есиль", "mephedrone", 1.0, 16000.0, "KZT")]


@pytest.mark.parametrize(("text", "want"), [
    ("Павлодар\nамф распродан, скоро завоз. Гаш 1г — 11к", [("Павлодар", None, "cannabis", 1.0, 11000.0, "KZT")]),
])
def test_sold_out_sentence_beside_an_offer(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize("text", [
    "Павлодар\nГаш 1г — 11к. Нет в наличии",  # said after the offer: of the offer
    "Павлодар\nГаш 1г — 11к (нет в наличии)",
    "❌ Павлодар: гаш 1г — 11к. Скоро будет",  # the mark before the text: the whole line
])
def test_sold_out_lines_stay_sold_out(text: str, x: Extractor) -> None:
    assert rows(text, x) == []


def test_weight_line_over_price_line(x: Extractor) -> None:
    text = "Шымкент\n\n🔸 Амфетамин\nВес: 2г\nЦена: 12 000 ₸\n\n🔸 Шишки\nВес: 3г\nЦена: 20 000"
    assert rows(text, x) == [("Шымкент", None, "amphetamine", 2.0, 12000.0, "KZT"),
                             ("Шымкент", None, "cannabis", 3.0, 20000.0, "KZT")]


def test_weight_line_prices_only_the_next_line(x: Extractor) -> None:
    # "бонус 0.5г" names a weight, but the price two lines on is not its
    assert rows("Шымкент\nбонус 0.5г\nпишите оператору\nдоставка 2000 тг", x) == []


def test_heading_with_several_cities(x: Extractor) -> None:
    text = "Павлодар и Экибастуз, цены одни:\nамф 1г — 7к\nСемей:\nамф 1г — 8к"
    assert rows(text, x) == [("Павлодар", None, "amphetamine", 1.0, 7000.0, "KZT"),
                             ("Экибастуз", None, "amphetamine", 1.0, 7000.0, "KZT"),
                             ("Семей", None, "amphetamine", 1.0, 8000.0, "KZT")]


@pytest.mark.parametrize(("text", "want"), [
    # a known district between bullets after the city
    ("Шымкент · Нурсат · шишки 2г · 17к", [("Шымкент", "Нурсат", "cannabis", 2.0, 17000.0, "KZT")]),
    # Uzbek in Latin: "tumani" (district)
    ("Toshkent, Yunusobod tumani\nmef 1 gr - 450 000 so'm", [("Toshkent", "Yunusobod", "mephedrone", 1.0, 450000.0, "UZS")]),
])
def test_district_marks(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize("text", [
    "Astana:\n🏘 р-н Байконур:\n🍭 Гаш\n▪️1г – 11 000₸",  # a district named like a city (Байконур) is one place
    "🔹 Астана, Байконур\nгаш 1г — 11 000₸",
])
def test_a_district_named_like_a_city_is_no_second_city(text: str, x: Extractor) -> None:
    assert len(rows(text, x)) == 1


def test_pieces_in_uzbek_and_kazakh(x: Extractor) -> None:
    got = [(o.substance.canonical if o.substance else None, o.quantity, o.price.amount if o.price else None)
           for o in find_offers("Самарканд\nэкстази 2 dona — 280 000 сум\nэкстази 5 дана — 650 000 сум", x)]
    assert [(s, q.value, q.unit, a) for s, q, a in got if q] == [("mdma", 2.0, "unit", 280000.0),
                                                                 ("mdma", 5.0, "unit", 650000.0)]
    assert rows("Ташкент\nдонар 1 кг", x) == []  # a word that starts with "дона" is no count


def test_k_after_a_price_read_short(x: Extractor) -> None:
    assert rows("Астана\nKOKS bolivia 1gr - 72k", x) == [("Астана", None, "cocaine", 1.0, 72000.0, "KZT")]
    # a word after the number is not "k" thousands: "1500 km" stays out, the price reads as written
    assert rows("Караганда: гаш 1г — 11 000 тг, клад 5 km от центра", x) == [
        ("Караганда", None, "cannabis", 1.0, 11000.0, "KZT")]


def test_second_city_after_a_slash(x: Extractor) -> None:
    assert rows("Талдыкорган / Текели\nмеф 1г — 17к", x)[0][:2] == ("Талдыкорган", "Текели")  # no city: a district
    assert rows("Актобе / Атырау\nгаш 1г — 12к", x) == [("Актобе", None, "cannabis", 1.0, 12000.0, "KZT"),
                                                        ("Атырау", None, "cannabis", 1.0, 12000.0, "KZT")]


def test_micro_district_is_the_finer(x: Extractor) -> None:
    assert rows("Астана, Есильский р-н, мкр Коктал-1\nшишки 1г — 10к", x) == [
        ("Астана", "Коктал-1", "cannabis", 1.0, 10000.0, "KZT")]
    assert rows("Астана, Есильский р-н\nшишки 1г — 10к", x) == [("Астана", "Есильский", "cannabis", 1.0, 10000.0, "KZT")]
