"""Rules of issue 14 found on bench/corpus/ru_dev2026k.jsonl (Russian klad-shop product cards, generalisation dev set)
and on probes written after its first run, each with cases it applies to and readings it must leave alone: Ukrainian
"тис."/"тисяч" and the genitive "тысяч"/"тыщ" as thousands, a som letter apart from its amount at the end of the price
field, a driver's pay per run, cashing out crypto as an exchange ad, more Russian regional centres, "двушка"/"трёшка"
before a product, "½" alone, ecstasy pills counted by their slang name; Latin-letter лирика/ешки/твёрдый/хмурый and
"kaps"; edible mushrooms, lyric poetry and a coconut named by slang. Cases are fresh (not the set's texts)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import city_currency
from onionwatch.extractors.prices import exchange_ad, find_prices
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import klad


def _prices(text: str, currency: str | None = "RUB") -> list[tuple]:
    return [(p.amount, p.currency) for p in find_prices(text, currency)]


def _qty(text: str) -> list[tuple]:
    return [(q.value, q.unit) for q in find_quantities(text)]


# ----------------------------------------------------------------------------- prices
@pytest.mark.parametrize(("text", "currency", "want"), [
    ("4,5 тис грн", "UAH", [(4500.0, "UAH")]),  # Ukrainian thousands
    ("2 тис. 300 грн", "UAH", [(2300.0, "UAH")]),  # thousands, then the hundreds
    ("1,2 тис.", "UAH", [(1200.0, "UAH")]),  # no currency word: the place's
    ("3 тисячі гривень", "UAH", [(3000.0, "UAH")]),
    ("20 тысяч тенге", "KZT", [(20000.0, "KZT")]),  # the genitive plural was read as 1
    ("4 тыщ руб", "RUB", [(4000.0, "RUB")]),
    ("2 тысячи рублей", "RUB", [(2000.0, "RUB")]),  # the other forms unchanged
])
def test_thousands_words(text: str, currency: str, want: list) -> None:
    assert _prices(text, currency) == want


@pytest.mark.parametrize(("text", "currency", "want"), [
    ("2 400 с", "KGS", [(2400.0, "KGS")]),  # a som letter apart, ending the field
    ("3 100 с.", "KGS", [(3100.0, "KGS")]),
    ("Меф 1г\n4 200 с\nмагнит", "KGS", [(4200.0, "KGS")]),  # ending its line
    ("2 400 с", "RUB", []),  # in Russia "с" is no rouble
    ("Шишки 1 500 с доставкой", "KGS", []),  # "с" before a word: "with"
    ("50 с", "KGS", []),  # under 100: seconds, not som
])
def test_som_letter_apart_at_the_end(text: str, currency: str, want: list) -> None:
    assert [p for p in _prices(text, currency) if p[1] == "KGS"] == want


def test_pay_per_run_is_no_price(extractor: Extractor) -> None:
    assert klad(extractor, "Курьер на авто", "Екатеринбург / трасса", None, "межгород, 40 т.р. за рейс")[2] is None
    assert klad(extractor, "Водитель-курьер", "Казань / трасса", None, "оплата 6 000 ₽ за ходку")[2] is None
    # a drug listing's own price beside a word of that stem stays
    assert klad(extractor, "Меф 1г", "Казань / центр", "3 500 ₽", "магнит у автовокзала, рейсовый автобус")[2] == \
        (3500.0, "RUB")


@pytest.mark.parametrize(("title", "exchange"), [
    ("Вывод USDT на карту", True),
    ("Вывод BTC в наличные", True),
    ("Обнал крипты", True),
    ("Обналичка тезера", True),
    ("Обмен BTC на сум", True),  # as before
    ("Вывод из запоя", False),  # a withdrawal of another kind
    ("Выводы по отзывам", False),
])
def test_cashing_out_crypto_is_an_exchange(title: str, exchange: bool) -> None:
    assert exchange_ad(title) is exchange


def test_cash_out_limit_is_no_price(extractor: Extractor) -> None:
    assert klad(extractor, "Вывод USDT на карту", "Алматы / онлайн", None, "Kaspi, от 200$")[2] is None
    assert klad(extractor, "Вывод из запоя", "Москва / выезд", "5 000 ₽")[2] == (5000.0, "RUB")


# ----------------------------------------------------------------------------- places
@pytest.mark.parametrize("city", ["Тула", "Курск", "Рязань", "Брянск", "Белгород", "Калуга", "Tula", "Kursk"])
def test_more_russian_regional_centres(city: str) -> None:
    assert city_currency(city) == "RUB"


# ----------------------------------------------------------------------------- quantities
@pytest.mark.parametrize(("text", "want"), [
    ("Двушка бошек, магнит", [(2.0, "g")]),
    ("двушку мефа возьму", [(2.0, "g")]),
    ("Трёшка гаша", [(3.0, "g")]),
    ("Трешка альфы, прикоп", [(3.0, "g")]),
    ("Двушка в центре, 5 этаж", []),  # a flat
    ("Трешка BMW 2012", []),  # a car
    ("Двушка", []),
])
def test_two_and_three_grams_in_slang(text: str, want: list) -> None:
    assert [q for q in _qty(text) if q[1] == "g"] == want


@pytest.mark.parametrize(("text", "want"), [
    ("Шишки ½г", [(0.5, "g")]),
    ("Гаш ½ грамма", [(0.5, "g")]),
    ("Меф ½", []),  # no unit: no weight
])
def test_fraction_sign_alone(text: str, want: list) -> None:
    assert _qty(text) == want


def test_fraction_slash_is_a_fraction(extractor: Extractor) -> None:
    assert klad(extractor, "Бошки 1\u20442 г", "Москва / САО", "1 500 ₽", "магнит")[1] == (0.5, "g")  # was 2 g


@pytest.mark.parametrize(("text", "want"), [
    ("3 ешки Tesla", [(3.0, "unit")]),
    ("10 ешек, опт", [(10.0, "unit")]),
    ("две ешки", [(2.0, "unit")]),
    ("Ешки 280мг", [(280.0, "mg")]),  # the dose, no count
])
def test_ecstasy_counted_by_slang_name(text: str, want: list) -> None:
    assert _qty(text) == want


def test_ecstasy_genitive_plural_is_mdma(extractor: Extractor) -> None:
    assert klad(extractor, "6 ешек", "Москва / САО", "8 000 ₽", "Tesla, магнит") == \
        (["mdma"], (6.0, "unit"), (8000.0, "RUB"))


# ----------------------------------------------------------------------------- Latin letters and everyday goods
@pytest.mark.parametrize(("title", "description", "want"), [
    ("Lirika 150mg 28 kaps", "prikop", (["pregabalin"], (28.0, "unit"), (2800.0, "RUB"))),
    ("Eshki 4 sht", "Tesla, taynik", (["mdma"], (4.0, "unit"), (2800.0, "RUB"))),
    ("Tverdiy 2g", "magnit", (["cannabis"], (2.0, "g"), (2800.0, "RUB"))),  # hashish (test_rules_tg26k)
    ("Hmuryi 0.5g", "prikop", (["heroin"], (0.5, "g"), (2800.0, "RUB"))),
])
def test_latin_letter_slang(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert klad(extractor, title, "Moskva / SAO", "2800 rub", description) == want


@pytest.mark.parametrize(("title", "description"), [
    ("Грибы маринованные опята", "банка 0,5 л"),
    ("Грибы сушёные белые", "200 г"),
    ("Лирика стихов Есенина", "сборник"),
    ("Любовная лирика", "книга, 120 стр"),
    ("Кокос спелый", "2 шт"),
    ("Свежий кокос", "1 шт"),
])
def test_everyday_goods_named_by_slang(extractor: Extractor, title: str, description: str) -> None:
    assert klad(extractor, title, "Москва / САО", "500 ₽", description)[0] == []


@pytest.mark.parametrize(("title", "description", "want"), [
    ("Грибы 2г", "псилоцибы, прикоп", ["psilocybin"]),
    ("Лирика 300мг 14 капсул", "тайник", ["pregabalin"]),
    ("Кокос 1г", "перу, магнит", ["cocaine"]),
])
def test_the_drugs_of_those_words_stay(extractor: Extractor, title: str, description: str, want: list) -> None:
    assert klad(extractor, title, "Москва / САО", "3 000 ₽", description)[0] == want
