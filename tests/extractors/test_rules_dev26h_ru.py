"""Rules of issue 14 found on bench/corpus/ru_dev2026h.jsonl (Russian/Central-Asian generalisation dev set) and on
probes of its phrasings, each with cases it applies to and readings it must leave alone: "сейчас"/"теперь" as the new
price after an old one; Russian shipping and savings set aside ("Курьер +500р", "скидка 500₽") while a price "с
доставкой"/"со скидкой" is paid; "бел.р."; Latin "sum" only in Uzbekistan; "т.р."/"тр" (thousands of roubles),
"тнг", "гривень", "у.е.", "дол.", "лар."; a bare price before "вместо"; a Russian tier row with spaces only; "по N
за купюру" as a counterfeit price; "от 12 000" in the price field; "12.000" bare; money emoji; the currency named
before the amount; reach counts; a per-city row led by "Цены по городам:"; a location head that names no place.
Cases are fresh (not the set's texts)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import split_location
from onionwatch.extractors.prices import find_prices
from tests.extractors.rule_cases import klad


def _prices(text: str, currency: str | None = "RUB") -> list[tuple]:
    return [(p.amount, p.currency, p.aside) for p in find_prices(text, currency)]


def _price(extractor: Extractor, description: str, location: str, price_text: str | None = None,
           title: str = "Меф 1г") -> tuple | None:  # fmt: skip
    return klad(extractor, title, location, price_text, description)[2]


# ----------------------------------------------------------------------------- the new price after an old one
@pytest.mark.parametrize(("description", "want"), [
    ("Акция: было 12000, сейчас 10500", (10500.0, "KZT")),
    ("раньше 12 000, теперь 11 000", (11000.0, "KZT")),
])
def test_now_after_an_old_price(extractor: Extractor, description: str, want: tuple) -> None:
    assert _price(extractor, description, "Павлодар / центр") == want


def test_now_without_an_old_price_is_no_cue() -> None:
    assert _prices("сейчас 150 человек онлайн", "RUB") == []


# ----------------------------------------------------------------------------- shipping and savings
@pytest.mark.parametrize(("description", "want"), [
    ("Доставка курьером +700р. Цена 4 100р", (4100.0, "RUB")),
    ("Скидка 300₽ на второй заказ. 1г — 3 900₽", (3900.0, "RUB")),
    ("цена с доставкой 4 500р", (4500.0, "RUB")),
    ("со скидкой 3 100 ₽", (3100.0, "RUB")),
])
def test_russian_shipping_and_savings(extractor: Extractor, description: str, want: tuple) -> None:
    assert _price(extractor, description, "Москва / САО") == want


def test_shipping_and_saving_amounts_are_aside() -> None:
    assert _prices("доставка 400 ₽", "RUB") == [(400.0, "RUB", True)]
    assert _prices("экономия 500 ₽", "RUB") == [(500.0, "RUB", True)]


# ----------------------------------------------------------------------------- currency words
@pytest.mark.parametrize(("price_text", "location", "want"), [
    ("75 бел.р.", "Брест / центр", (75.0, "BYN")),
    ("8 т.р.", "Омск / центр", (8000.0, "RUB")),
    ("3,5 т. р.", "Омск / центр", (3500.0, "RUB")),
    ("5тр", "Омск / центр", (5000.0, "RUB")),
    ("14 000 тнг", "Актобе / центр", (14000.0, "KZT")),
    ("900 гривень", "Одеса / центр", (900.0, "UAH")),
    ("50 у.е.", "Бишкек / центр", (50.0, "USD")),
    ("90 дол.", "Бишкек / центр", (90.0, "USD")),
    ("140 лар.", "Батуми / центр", (140.0, "GEL")),
    ("140 ლარი", "Батуми / центр", (140.0, "GEL")),
])
def test_region_currency_words(extractor: Extractor, price_text: str, location: str, want: tuple) -> None:
    assert _price(extractor, "", location, price_text) == want


def test_latin_sum_only_in_uzbekistan(extractor: Extractor) -> None:
    assert _price(extractor, "", "Samarkand / markaz", "280 000 sum", "Mef 1g") == (280000.0, "UZS")
    assert _price(extractor, "", "Toshkent / Yunusobod", "280k sum", "Mef 1g") == (280000.0, "UZS")
    assert _prices("some 5 sum", "UZS") == []
    assert _prices("the sum of 50", None) == []
    assert _prices("280 sum", "RUB") == []


def test_thousands_of_roubles_need_the_letters_alone() -> None:
    assert _prices("3 трамадола", "RUB") == []
    assert _prices("2 тр", "RUB") == [(2000.0, "RUB", False)]


# ----------------------------------------------------------------------------- bare prices
def test_bare_price_before_instead_of(extractor: Extractor) -> None:
    assert _price(extractor, "Акция! 8500 вместо 9500", "Костанай / центр") == (8500.0, "KZT")
    assert _prices("8500 (вместо 9500)", "KZT") == [(8500.0, "KZT", False)]  # the old one has no cue of its own
    assert _prices("9 000 ₸ вместо 10 000 ₸", "KZT") == [(9000.0, "KZT", False), (10000.0, "KZT", True)]


def test_tier_row_with_spaces_only(extractor: Extractor) -> None:
    assert _price(extractor, "0,5г 1900 1г 3400", "Самара / центр", title="Меф") == (1900.0, "RUB")
    assert _prices("Меф 1г 3500", "RUB") == [(3500.0, "RUB", False)]
    assert _prices("Меф 1г 2 шт", "RUB") == []  # a count, not a price
    assert _prices("Меф 1г 96%", "RUB") == []
    assert _prices("Meth 1g 2020", "USD") == []  # English text: no such row


def test_price_field_from(extractor: Extractor) -> None:
    assert _price(extractor, "", "Атырау / центр", "от 13 000") == (13000.0, "KZT")


@pytest.mark.parametrize(("description", "want"), [
    ("Цена:14.000", (14000.0, "KZT")),
    ("Цена: 14,000", (14000.0, "KZT")),
    ("💵 14.000", (14000.0, "KZT")),
    ("💰 14 000", (14000.0, "KZT")),
])
def test_grouped_bare_amount_and_money_emoji(extractor: Extractor, description: str, want: tuple) -> None:
    assert _price(extractor, description, "Караганда / центр") == want


def test_decimal_bare_amount_unchanged() -> None:
    assert _prices("Цена: 12,5", "USD") == []  # under 50: no bare price
    assert _prices("Цена: 120,50", "USD") == [(120.5, "USD", False)]


@pytest.mark.parametrize(("description", "location", "want"), [
    ("Цена в тенге: 13 000", "Москва / ЦАО", (13000.0, "KZT")),
    ("в рублях 3600", "Алматы / Медеу", (3600.0, "RUB")),
    ("в рублях 85", "Минск / центр", (85.0, "BYN")),
    ("BTC: 0.0003 / KZT: 13 000", "Алматы / Медеу", (13000.0, "KZT")),
])
def test_currency_named_before_the_amount(extractor: Extractor, description: str, location: str,
                                          want: tuple) -> None:  # fmt: skip
    assert _price(extractor, description, location) == want


def test_crypto_code_with_colon_is_not_named_currency() -> None:
    assert _prices("BTC: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "RUB") == []


# ----------------------------------------------------------------------------- counts and counterfeit money
def test_reach_is_a_count() -> None:
    assert _prices("охват 25к", "KZT") == []
    assert _prices("охват 25к, цена 30 000 ₸", "KZT") == [(30000.0, "KZT", False)]


def test_counterfeit_price_per_note(extractor: Extractor) -> None:
    assert klad(extractor, "Купюры 5000 тенге", "Шымкент / онлайн", None, "по 1500 тг за купюру")[2] == (
        1500.0, "KZT")
    assert klad(extractor, "Купюры 5000 тенге", "Шымкент / онлайн", None, "номинал 5000 тг, 20 шт")[2] is None


# ----------------------------------------------------------------------------- places
def test_city_row_led_by_prices_by_city(extractor: Extractor) -> None:
    assert _price(extractor, "Цены по городам: Караганда 12к / Темиртау 11к", "Темиртау / центр") == (11000.0, "KZT")
    assert _price(extractor, "По городам: Мск 3800р / СПб 3600р", "Санкт-Петербург / центр") == (3600.0, "RUB")


@pytest.mark.parametrize(("location", "want"), [
    ("Все города / по запросу", (None, None)),
    ("Любой город / клад", (None, None)),
    ("Под заказ / магнит", (None, None)),
    ("Вся Россия / почта", (None, None)),
    ("Кандыагаш / центр", ("Кандыагаш", "центр")),  # an unknown town stays the city
    ("онлайн / Москва", ("Москва", "онлайн")),  # a known city after it is the city
])
def test_location_head_that_names_no_place(location: str, want: tuple) -> None:
    assert split_location(location) == want


@pytest.mark.parametrize(("description", "location", "want"), [
    ("2900₽ Москва, 2700₽ Питер", "Санкт-Петербург / центр", (2700.0, "RUB")),
    ("13к — Караганда / 12к — Темиртау", "Темиртау / центр", (12000.0, "KZT")),
    ("Бишкек 3900с / Ош 3700с", "Ош / центр", (3700.0, "KGS")),
])
def test_city_row_with_the_price_first_or_a_glued_som(extractor: Extractor, description: str, location: str,
                                                      want: tuple) -> None:  # fmt: skip
    assert _price(extractor, description, location) == want


def test_city_row_leaves_weights_alone() -> None:
    from onionwatch.extractors.price_tables import city_cells

    assert city_cells("1г 3500₽ Москва, 2г 6500₽ Москва") is None
    assert city_cells("3500₽ Москва, 3300₽ СПб") == [("Москва", "3500₽"), ("СПб", "3300₽")]


def test_bitcoin_sign() -> None:
    assert _prices("0.0021 ₿", None) == [(0.0021, "BTC", False)]
    assert _prices("₿0.0021", None) == [(0.0021, "BTC", False)]


def test_eify_is_street_ecstasy(extractor: Extractor) -> None:
    assert klad(extractor, "Эйфы 4 шт", "Москва / ЦАО", "4 200 ₽", "Tesla 250мг")[:2] == (["mdma"], (4.0, "unit"))


def test_face_value_or_balance_named_before_is_no_price(extractor: Extractor) -> None:
    assert klad(extractor, "Купюры 5000", "Москва / онлайн", None, "номинал: 5.000 ₽")[2] is None
    assert klad(extractor, "Фальшивые доллары", "Москва / онлайн", None, "Номинал в долларах: 100")[2] is None
    assert _prices("Баланс 12.000 ₽", "RUB") == []
    assert _prices("Аккаунт с балансом, цена 2 000 ₽", "RUB") == [(2000.0, "RUB", False)]


@pytest.mark.parametrize(("description", "location", "want"), [
    ("Левый берег 17 000, Правый берег 16 000", "Астана / Правый берег", (16000.0, "KZT")),  # its own district
    ("Таугуль 15к / Орбита 14к", "Алматы / все районы", (15000.0, "KZT")),  # none named: the first
])
def test_row_of_the_citys_districts(extractor: Extractor, description: str, location: str, want: tuple) -> None:
    assert _price(extractor, description, location) == want


def test_district_row_of_another_city_and_telegram_rows_unchanged(extractor: Extractor) -> None:
    from onionwatch.extractors.price_tables import city_cells

    assert _price(extractor, "Тараз 13000 / Шымкент 12500", "Павлодар / центр") is None  # as before
    assert city_cells("Левый берег 17 000, Правый берег 16 000") is None  # Telegram rows: cities only


def test_price_list_line_with_a_unitless_weight() -> None:
    assert _prices("▫️ Меф 0,5 — 8 000\n▫️ Меф 1 — 15 000", "KZT") == [(8000.0, "KZT", False), (15000.0, "KZT", False)]
    assert _prices("Гаш 1 - 10 000", "RUB") == [(10000.0, "RUB", False)]
    assert _prices("Рейтинг 5 - 120 отзывов", "RUB") == []  # a word after it: not the whole line
    assert _prices("Mef 1 - 5000", "RUB") == []  # Russian text only


def test_pay_in_a_hiring_post_is_no_price() -> None:
    assert _prices("Требуются фасовщики, оплата 40 000 сом", "KGS") == []
    assert _prices("Нужны курьеры. Оплата: 3 000 ₽", "RUB") == []
    assert _prices("Нужен меф? Оплата 3500р", "RUB") == [(3500.0, "RUB", False)]  # no hiring: a price


def test_roubles_abbreviated_rubl() -> None:
    assert _prices("3200 рубл.", None) == [(3200.0, "RUB", False)]


@pytest.mark.parametrize(("description", "want"), [
    ("Скидка 20%: 11 000 ₸ вместо 14 000 ₸", (11000.0, "KZT")),
    ("Цена 14 000 → 11 000", (11000.0, "KZT")),
    ("Акция! 11к вместо 14к", (11000.0, "KZT")),
    ("Цена со скидкой 11 000 (обычная 14 000)", (11000.0, "KZT")),
    ("Обычная цена 14 000, по акции 11 000", (11000.0, "KZT")),
])
def test_discounted_price_is_what_the_buyer_pays(extractor: Extractor, description: str, want: tuple) -> None:
    assert _price(extractor, description, "Актобе / центр") == want


def test_each_after_po(extractor: Extractor) -> None:
    assert klad(extractor, "Экстази 4шт", "Москва / ЦАО", None, "по 1300р")[1:] == ((4.0, "unit"), (5200.0, "RUB"))
    assert klad(extractor, "Меф 1г", "Шымкент / центр", None, "по 12к")[2] == (12000.0, "KZT")
    assert _prices("по 1300р", "RUB")[0][:2] == (1300.0, "RUB")
