"""Rules of issue 14 found on bench/corpus/ru_dev2026g.jsonl (Russian/Central-Asian generalisation dev set), each
with cases it applies to and readings it must leave alone: a shorthand price after "1г —" with the product after it
("1г — 14к меф"); a one-letter currency glued to an amount ("3800с" in Kyrgyzstan, "5000r" in Russia); Uzbek
"ming"/"минг" thousands; Latin "grn"; old and new prices ("было … стало …", "старая цена", "вместо", an arrow, a
Markdown strike-through); one price per city in one row (a listing's own city's price; one Telegram offer per city);
"зелень" as street cannabis and kitchen herbs as no drug; "полтос" (half a gram) and "альфы"; a µg strength priced
with no count (one blotter); a price list's line with a bare fraction or a slang amount. Cases are fresh (not the
set's texts)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.price_tables import city_cells, city_row_price, expand_city_rows
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.telegram_offers import find_offers_many
from tests.extractors.rule_cases import klad, names, qp


def _offers(extractor: Extractor, message: str) -> list[tuple]:
    return [(o.city, o.substance.canonical if o.substance else None, o.quantity.value if o.quantity else None,
             o.quantity.unit if o.quantity else None, (o.price.amount, o.price.currency) if o.price else None)
            for o in find_offers_many([message], extractor)[0]]  # fmt: skip


def _prices(text: str, currency: str | None = "RUB") -> list[tuple]:
    return [(p.amount, p.currency, p.aside) for p in find_prices(text, currency)]


# ----------------------------------------------------------------------------- "1г — 14к меф"
@pytest.mark.parametrize(("description", "location", "want"), [
    ("2г — 26к шишки, прикоп", "Тараз / центр", (26000.0, "KZT")),
    ("0,5г - 8к скорость", "Кокшетау / центр", (8000.0, "KZT")),
    ("1 гр = 3к мяу", "Пермь / центр", (3000.0, "RUB")),
])
def test_shorthand_price_before_its_product(extractor: Extractor, description: str, location: str, want: tuple) -> None:
    assert klad(extractor, "Прайс", location, None, description)[2] == want


def test_shorthand_before_a_count_noun_stays_a_count() -> None:
    assert _prices("1г — 10к подписчиков", "RUB") == []
    assert _prices("Набор 5к подписчиков", "RUB") == []


# ----------------------------------------------------------------------------- glued one-letter currencies
@pytest.mark.parametrize(("price_text", "location", "want"), [
    ("4200с", "Бишкек / Джал", (4200.0, "KGS")),
    ("1 900с", "Ош / центр", (1900.0, "KGS")),
    ("2800c", "Каракол / центр", (2800.0, "KGS")),  # Latin c
])
def test_som_glued_as_one_letter(extractor: Extractor, price_text: str, location: str, want: tuple) -> None:
    assert klad(extractor, "Шишки 1г", location, price_text)[2] == want


def test_glued_letter_only_where_the_place_uses_that_currency() -> None:
    assert _prices("меф 1г 3800с", "RUB") == []  # in Russia "с" is no currency
    assert _prices("ждать 30с", "KGS") == []  # seconds: a small amount
    assert _prices("1г с доставкой 10 с половиной", "KGS") == []
    assert _prices("mef 2g 9000r", "RUB") == [(9000.0, "RUB", False)]
    assert _prices("mef 2g 9000r", "KZT") == []


def test_latin_grn_and_uzbek_thousands() -> None:
    assert _prices("kokain 1g 3200 grn", None) == [(3200.0, "UAH", False)]
    assert _prices("Narxi: 350 ming so'm", None) == [(350000.0, "UZS", False)]
    assert _prices("нархи 600 минг сўм", None) == [(600000.0, "UZS", False)]
    assert _prices("narxi 450 ming", "UZS") == [(450000.0, "UZS", False)]  # no currency word: the place's
    assert _prices("бағасы 14 мың", "KZT") == [(14000.0, "KZT", False)]


# ----------------------------------------------------------------------------- old and new prices
@pytest.mark.parametrize(("description", "want"), [
    ("было 6000 стало 5200", (5200.0, "RUB")),
    ("Старая цена 4 000 ₽, новая — 3 500 ₽", (3500.0, "RUB")),
    ("акция: было 3к — стало 2,5к", (2500.0, "RUB")),
    ("-15%: 4 000 ₽ → 3 400 ₽", (3400.0, "RUB")),
    ("~~5 000~~ 4 200 руб", (4200.0, "RUB")),
    ("3 300 р. вместо 3 900 р.", (3300.0, "RUB")),
])
def test_the_new_price_of_a_discount(extractor: Extractor, description: str, want: tuple) -> None:
    assert klad(extractor, "Меф 1г", "Самара / центр", None, description)[2] == want


def test_old_price_marks_leave_plain_prices_alone() -> None:
    assert _prices("Меф 1г — 3 000 ₽, 2г — 5 500 ₽") == [(3000.0, "RUB", False), (5500.0, "RUB", False)]
    assert _prices("0,5г → 1 800 ₽") == [(1800.0, "RUB", False)]  # an arrow after a weight: no old price
    assert _prices("цена 2 000 ₽ (стало дешевле)")[0][2] is False


def test_struck_price_in_a_telegram_line(extractor: Extractor) -> None:
    assert _offers(extractor, "Тараз\nШишки 1г — ~~12 000~~ 10 000 ₸") == [
        ("Тараз", "cannabis", 1.0, "g", (10000.0, "KZT"))]


# ----------------------------------------------------------------------------- one price per city in one row
def test_city_cells() -> None:
    assert city_cells("Алматы 15000 / Астана 16000") == [("Алматы", "15000"), ("Астана", "16000")]
    assert city_cells("Цена: Бишкек — 3 800 сом | Ош — 4 000 сом") == [("Бишкек", "3 800 сом"), ("Ош", "4 000 сом")]
    assert city_cells("Цена: Ош 4к, Бишкек 3,8к") == [("Ош", "4к"), ("Бишкек", "3,8к")]  # ", " and ";" too
    assert city_cells("Караганда: 14 000 ₸; Темиртау: 13 000 ₸") == [("Караганда", "14 000 ₸"), ("Темиртау", "13 000 ₸")]
    assert city_cells("Меф 1г — 14к, 2г — 26к") is None
    assert city_cells("Алматы, Астана, Шымкент — 15к") is None
    assert city_cells("Меф 15000 / Шишки 9000") is None  # products, not cities
    assert city_cells("Алматы 15000") is None
    assert city_cells("0.5 / 1 / 2") is None


@pytest.mark.parametrize(("location", "want"), [
    ("Тараз / центр", (13000.0, "KZT")),
    ("Шымкент / Абайский р-н", (12500.0, "KZT")),
    ("Павлодар / центр", None),  # a city not in the row: as before (a bare amount after a place is no price)
])
def test_a_listing_takes_its_own_citys_price(extractor: Extractor, location: str, want: tuple) -> None:
    assert klad(extractor, "Гашиш 1г", location, None, "Тараз 13000 / Шымкент 12500")[2] == want


def test_city_row_price_leaves_other_text_alone() -> None:
    text = "Меф 1г — 15 000 / 2г — 28 000"
    assert city_row_price(text, "Алматы") is text
    assert city_row_price("Алматы 9к / Астана 10к", "Астана") == "цена: 10к"


def test_one_telegram_offer_per_city(extractor: Extractor) -> None:
    message = "Шишки 2г\nКараганда 20000 / Павлодар 19000 / Костанай 21000"
    assert _offers(extractor, message) == [
        ("Караганда", "cannabis", 2.0, "g", (20000.0, "KZT")), ("Павлодар", "cannabis", 2.0, "g", (19000.0, "KZT")),
        ("Костанай", "cannabis", 2.0, "g", (21000.0, "KZT"))]
    assert expand_city_rows("Меф 1г — 14к / 2г — 27к") == "Меф 1г — 14к / 2г — 27к"


# ----------------------------------------------------------------------------- slang
def test_zelen_is_street_cannabis(extractor: Extractor) -> None:
    assert klad(extractor, "Зелень 3г", "Казань / центр", "6 000 ₽")[0] == ["cannabis"]
    assert names(extractor, "Зелень 1г — 3000р, магнит") == ["cannabis"]


@pytest.mark.parametrize("title", ["Зелень свежая, 1 кг", "Укроп и петрушка, пучок 100г", "Столовая зелень 500г"])
def test_kitchen_herbs_are_no_drug(extractor: Extractor, title: str) -> None:
    assert klad(extractor, title, "Ташкент / центр", "15 000 сум")[0] == []


def test_poltos_is_half_a_gram(extractor: Extractor) -> None:
    assert qp(extractor, "Полтос меф — 1 900 ₽") == ((0.5, "g"), (1900.0, "RUB"))
    assert names(extractor, "СПб\nМеф 1г — 3 500 ₽\nПолтос альфы — 1 700 ₽") == ["alpha-pvp", "mephedrone"]
    assert names(extractor, "Альфа Банк, полтос") == []


def test_a_bare_fraction_line_names_its_product(extractor: Extractor) -> None:
    assert names(extractor, "Прайс\nМеф 0,5 — 2 000р.\nАльфа 0,3 — 1 500р.") == ["alpha-pvp", "mephedrone"]
    assert names(extractor, "Меф 1г — 3000р\nСкорость доставки — 2 часа") == ["mephedrone"]


# ----------------------------------------------------------------------------- a µg strength with no count
@pytest.mark.parametrize(("title", "price_text", "want"), [
    ("LSD 220мкг", "2 800 ₽", ((1.0, "unit"), (2800.0, "RUB"))),
    ("Марка ЛСД 200 мкг", "9 000 ₸", ((1.0, "unit"), (9000.0, "KZT"))),
])
def test_one_blotter_of_a_priced_strength(extractor: Extractor, title: str, price_text: str, want: tuple) -> None:
    location = "Москва / САО" if "₽" in price_text else "Алматы / Медеу"
    assert klad(extractor, title, location, price_text)[1:] == want


def test_a_strength_with_a_count_or_no_price(extractor: Extractor) -> None:
    assert klad(extractor, "ЛСД 250мкг", "Москва / САО", None)[1] is None  # nothing priced: no offer read
    assert klad(extractor, "Марки 3шт", "Москва / САО", "5 000 ₽", "по 200 мкг")[1] == (3.0, "unit")
    assert klad(extractor, "2 LSD 200ug", "Москва / САО", "3 000 ₽")[1] != (1.0, "unit")  # a number of its own
    assert klad(extractor, "Марки", "Москва / САО", None, "марки 2шт по 250мкг — 4 000 ₽")[1:] == (
        (2.0, "unit"), (4000.0, "RUB"))


def test_telegram_blotter_offers(extractor: Extractor) -> None:
    assert _offers(extractor, "Казань\nЛСД 200мкг — 2 300 ₽\nмарки 3шт — 6 000 ₽") == [
        ("Казань", "lsd", 1.0, "unit", (2300.0, "RUB")), ("Казань", "lsd", 3.0, "unit", (6000.0, "RUB"))]
