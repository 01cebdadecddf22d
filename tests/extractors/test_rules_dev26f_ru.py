"""Rules of issue 14 found on bench/corpus/ru_dev2026f.jsonl (Russian/Central-Asian/Ukrainian/Belarusian
generalisation dev set), each with cases it applies to and readings it must leave alone: price tables written in
columns and rows written price first (extractors/price_tables.py); the first amount of a range with one к at its end
("14-16к"); "~" and dot leaders between a weight and its price; Ukrainian and Belarusian spellings of drugs and cities;
price words ціна/вартість/кошт/cena; wages in Belarusian, Ukrainian, Uzbek and Latin-letter Russian job ads and a
task written before the pay; homoglyphs in a Telegram line or a text's city; a name after a letter and an apostrophe
("кур'ер"); review, rules and giveaway posts; "полтора грамма"; a card number. Cases
are fresh (not the set's texts)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.listing_fields import channel_post, text_city
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.price_tables import expand_tables
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.telegram_offers import find_offers_many
from tests.extractors.rule_cases import klad, names, qp


def _offers(extractor: Extractor, message: str) -> list[tuple]:
    return [(o.substance.canonical if o.substance else None, o.quantity.value if o.quantity else None,
             (o.price.amount, o.price.currency) if o.price else None) for o in find_offers_many([message], extractor)[0]]


def _cities(extractor: Extractor, message: str) -> list[str | None]:
    return [o.city for o in find_offers_many([message], extractor)[0]]


# ----------------------------------------------------------------------------- price tables in columns
def test_header_of_weights_over_rows_of_cities(extractor: Extractor) -> None:
    message = "Альфа крис | 0.3 | 0.5 | 1\nШымкент | 5к | 8к | 15к\nТараз | 6к | 9к | 16к"
    assert _offers(extractor, message) == [
        ("alpha-pvp", 0.3, (5000.0, "KZT")), ("alpha-pvp", 0.5, (8000.0, "KZT")), ("alpha-pvp", 1.0, (15000.0, "KZT")),
        ("alpha-pvp", 0.3, (6000.0, "KZT")), ("alpha-pvp", 0.5, (9000.0, "KZT")), ("alpha-pvp", 1.0, (16000.0, "KZT"))]
    assert [c for c in _cities(extractor, message)][::3] == ["Шымкент", "Тараз"]


def test_header_of_weights_over_rows_of_products(extractor: Extractor) -> None:
    message = "Уфа\nПозиция | 0,5г | 1г | 3г\nМефедрон | 2 000 | 3 600 | 9 900\nГашиш | 1 500 | 2 700 | 7 500"
    assert _offers(extractor, message) == [
        ("mephedrone", 0.5, (2000.0, "RUB")), ("mephedrone", 1.0, (3600.0, "RUB")), ("mephedrone", 3.0, (9900.0, "RUB")),
        ("cannabis", 0.5, (1500.0, "RUB")), ("cannabis", 1.0, (2700.0, "RUB")), ("cannabis", 3.0, (7500.0, "RUB"))]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Вес: 0,5г / 1г / 2г\nЦена: 4 500 / 8 000 / 15 000", "0,5г — 4 500\n1г — 8 000\n2г — 15 000"),
        ("Мяу 1 / 2 / 5 — 14к / 26к / 60к тг", "Мяу 1г — 14к тг\nМяу 2г — 26к тг\nМяу 5г — 60к тг"),
        ("0,5г ¦ 1г\n3 000 сом ¦ 5 500 сом", "0,5г — 3 000 сом\n1г — 5 500 сом"),
        ("12 000 ₸ — мефедрон 1г", "мефедрон 1г — 12 000 ₸"),  # price first
        ("Меф 1г / 2500", "Меф 1г / 2500"),  # an amount and its price: the tier rules read it
        ("Грамм | Цена\n1 | 3 000 ₽\n2 | 5 500 ₽", "Грамм | Цена\n1 | 3 000 ₽\n2 | 5 500 ₽"),  # rows already
        ("3.5 / 7 / 14\n$40 / $75 / $140", "3.5 / 7 / 14\n$40 / $75 / $140"),  # English ladders as before
        ("Дата 12/05, доставка 500 ₽ — по городу", "Дата 12/05, доставка 500 ₽ — по городу"),
        ("15 000 ₸ — доставка по городу", "15 000 ₸ — доставка по городу"),  # price first, no amount after
    ],
)
def test_expand_tables(text: str, want: str) -> None:
    assert expand_tables(text) == want


def test_a_column_table_in_a_klad_description(extractor: Extractor) -> None:
    assert klad(extractor, "Бошки Gelato", "Костанай / центр", None, "вес: 1г / 2г / 5г\nцена: 9 000 / 17 000 / 40 000") \
        == (["cannabis"], (1.0, "g"), (9000.0, "KZT"))


# ----------------------------------------------------------------------------- ranges, separators
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Меф 1г, цена 13-15к", (13000.0, "KZT")),
        ("Шишки 2г — 17–19 тыс", (17000.0, "KZT")),
    ],
)
def test_a_range_with_one_thousands_suffix(text: str, want: tuple) -> None:
    assert (find_prices(text, "KZT")[0].amount, find_prices(text, "KZT")[0].currency) == want


def test_a_weight_and_a_dash_are_no_range() -> None:
    assert [p.amount for p in find_prices("Меф 2 - 15к", "KZT")] == [15000.0]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Гаш\n1г ~ 2600\n2г ~ 5000", ((1.0, "g"), (2600.0, "RUB"))),
        ("Амф\n1г ....... 2 300\n3г ....... 6 000", ((1.0, "g"), (2300.0, "RUB"))),
        ("Амф\n1г … 2 300", ((1.0, "g"), (2300.0, "RUB"))),
    ],
)
def test_tilde_and_dot_leaders(extractor: Extractor, text: str, want: tuple) -> None:
    assert klad(extractor, "Прайс", "Самара / центр", None, text)[1:] == want


def test_a_tilde_in_english_stays_approximate() -> None:
    assert find_prices("3.5g ~ 40", "USD") == []


# ----------------------------------------------------------------------------- Ukrainian and Belarusian
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Кокаїн 1 г, магніт", ["cocaine"]),
        ("Героїн 0,5 г прикоп", ["heroin"]),
        ("Шышкі 2 г, прыкоп", ["cannabis"]),
        ("Гашыш 1 г", ["cannabis"]),
        ("Екстазі 3 шт", ["mdma"]),
        ("Кетамін 1 г", ["ketamine"]),
    ],
)
def test_ukrainian_and_belarusian_names(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("location", "price_text", "price"),
    [
        ("Мінск / Серабранка", "95 руб.", (95.0, "BYN")),  # "руб." in Belarus: Belarusian roubles
        ("Магілёў / цэнтр", "90", (90.0, "BYN")),
        ("Дніпро / Лівий берег", "700", (700.0, "UAH")),
        ("Запоріжжя / центр", "650", (650.0, "UAH")),
        ("Sankt-Peterburg / Devyatkino", "3500", (3500.0, "RUB")),
    ],
)
def test_ukrainian_belarusian_and_latin_cities(extractor: Extractor, location: str, price_text: str,
                                               price: tuple) -> None:
    assert klad(extractor, "Меф 1г", location, price_text)[2] == price


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Шишки 1г, ціна 480", 480.0),
        ("Вартість: 1 300", 1300.0),
        ("Меф 1г. Кошт 110", 110.0),
        ("mef 1g, cena 3400", 3400.0),
        ("shishki, tsena 2800", 2800.0),
    ],
)
def test_price_words(text: str, want: float) -> None:
    assert [p.amount for p in find_prices(text, "UAH")] == [want]


def test_a_price_word_before_a_weight_is_no_price() -> None:
    assert find_prices("ціна 1г", "UAH") == []


# ----------------------------------------------------------------------------- job ads
@pytest.mark.parametrize(
    ("title", "location", "description"),
    [
        ("Шукаємо кур'єрів", "Київ / онлайн", "заробіток 40 000 грн у місяць"),
        ("Праца для моладзі", "Гомель / онлайн", "заробак ад 1200 BYN у месяц"),
        ("Ish bor", "Samarqand / markaz", "oylik 6 000 000 so'm"),
        ("rabota kurier", "Moskva / online", "zarplata 150000 rub v mesyac"),
        ("Нужны курьеры", "Астана / все районы", "выплата за каждую закладку 2 500 ₸"),
    ],
)
def test_wages_are_no_price(extractor: Extractor, title: str, location: str, description: str) -> None:
    assert klad(extractor, title, location, None, description)[2] is None


def test_a_price_after_a_klad_word_without_pay_stays(extractor: Extractor) -> None:
    assert klad(extractor, "Меф 1г", "Алматы / Медеу", None, "за клад магнитом 14 000 ₸")[2] == (14000.0, "KZT")


# ----------------------------------------------------------------------------- homoglyphs, apostrophes
def test_homoglyphs_in_a_telegram_message(extractor: Extractor) -> None:
    message = "Пaвлoдaр\nМeфeдрoн 1г — 16 000\nГaшиш 1г — 10 000"
    assert _offers(extractor, message) == [("mephedrone", 1.0, (16000.0, "KZT")), ("cannabis", 1.0, (10000.0, "KZT"))]


def test_homoglyphs_in_a_text_city() -> None:
    assert text_city("Aктoбe\nмеф 1г") == "Актобе"
    assert text_city("Almaty: mef 1g") == "Almaty"  # Latin spellings as before


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Потрібен кур'ер, клад", []),  # "ер" after an apostrophe is the rest of the word
        ("Об'ява: м'ята 100 г", []),
        ("Shrooms: Penis Envy 3.5g, mushroom's finest", ["psilocybin"]),  # an English possessive after the name
    ],
)
def test_names_after_an_apostrophe(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- posts offering nothing
@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("Отзывы клиентов", True), ("✅ ОТЗЫВ", True), ("📜 Правила магазина", True), ("🎁 Розыгрыш!", True),
        ("Відгуки", True), ("Конкурс репостов", True),
        ("Меф 1г — отзывы в чате", False), ("Мефедрон 1г", False), ("Правильный меф 1г", False),
    ],
)
def test_channel_post(title: str, want: bool) -> None:
    assert channel_post(title) is want


def test_a_review_post_gives_nothing(extractor: Extractor) -> None:
    assert klad(extractor, "Отзывы", "Шымкент / онлайн", None, "Взял шишки 2г за 18к, всё чётко") == ([], None, None)


def test_a_drug_listing_asking_for_reviews_stays(extractor: Extractor) -> None:
    assert klad(extractor, "Меф 1г", "Шымкент / Туран", "15 000 ₸", "Оставьте отзыв — бонус") == (
        ["mephedrone"], (1.0, "g"), (15000.0, "KZT"))


# ----------------------------------------------------------------------------- amounts
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Гаш полтора грамма, прикоп", (1.5, "g")),
        ("Меф полторы грамма", (1.5, "g")),  # misspelt as shops write it
        ("Меф пол грамма", (0.5, "g")),  # as before
    ],
)
def test_one_and_a_half(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text)[0] == want


def test_one_and_a_half_thousand_is_no_weight(extractor: Extractor) -> None:
    assert qp(extractor, "Канал, полторы тысячи подписчиков")[0] is None


@pytest.mark.parametrize(
    "text",
    ["Карта: 5169 4931 0000 1234\nUSDT: TQ2c8", "Номер карты 4400-4302-0000-7788 BTC", "Kaspi 4400 4302 1111 2222 тг"],
)
def test_card_numbers_are_no_price(text: str) -> None:
    assert find_prices(text, "KZT") == []
