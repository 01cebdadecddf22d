"""Prices: symbols, codes and words (EN/RU), shorthand, per-unit prices, several currencies, USD via FX."""

from __future__ import annotations

import pytest

from onionwatch.extractors.fx import FxTable
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import (
    _AFTER_QTY_HINT,
    _CUE_HINT,
    _DEFAULT_HINT,
    _PER_HINT,
    _SHORT_HINT,
    find_prices,
)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$60", 60.0, "USD"),
        ("60$", 60.0, "USD"),
        ("USD 120.00", 120.0, "USD"),
        ("120 USD", 120.0, "USD"),
        ("$1,250.50", 1250.5, "USD"),
        ("50 dollars", 50.0, "USD"),
        ("€45", 45.0, "EUR"),
        ("€1.800", 1800.0, "EUR"),
        ("45 EUR", 45.0, "EUR"),
        ("45 евро", 45.0, "EUR"),
        ("£20", 20.0, "GBP"),
        ("2500₽", 2500.0, "RUB"),
        ("2500 руб", 2500.0, "RUB"),
        ("2500 руб.", 2500.0, "RUB"),
        ("2500 рублей", 2500.0, "RUB"),
        ("2500р", 2500.0, "RUB"),
        ("2 500 р.", 2500.0, "RUB"),
        ("21 тыс. руб", 21000.0, "RUB"),
        ("14к руб", 14000.0, "RUB"),
        ("1,5к руб", 1500.0, "RUB"),
        ("14 000 ₸", 14000.0, "KZT"),
        ("14000 тг", 14000.0, "KZT"),
        ("14 000 тенге", 14000.0, "KZT"),
        ("0.0031 BTC", 0.0031, "BTC"),
        ("BTC 0.05", 0.05, "BTC"),
        ("0,5 XMR", 0.5, "XMR"),
        ("1.250 BTC", 1.25, "BTC"),  # crypto: the dot is a decimal point
        ("A$50", 50.0, "AUD"),
        ("AU$ 50", 50.0, "AUD"),
        ("50 AUD", 50.0, "AUD"),
        ("80 australian dollars", 80.0, "AUD"),
        ("C$40", 40.0, "CAD"),
        ("CA$ 40.50", 40.5, "CAD"),
        ("40 CAD", 40.0, "CAD"),
        ("40 canadian dollars", 40.0, "CAD"),
        ("120₾", 120.0, "GEL"),
        ("120 GEL", 120.0, "GEL"),
        ("120 лари", 120.0, "GEL"),
        ("1 500 грн", 1500.0, "UAH"),
        ("1500₴", 1500.0, "UAH"),
        ("1500 гривен", 1500.0, "UAH"),
        ("UAH 1500", 1500.0, "UAH"),
        ("90 бел. руб", 90.0, "BYN"),
        ("90 бел.руб.", 90.0, "BYN"),
        ("90 BYN", 90.0, "BYN"),
        ("150 000 сум", 150000.0, "UZS"),
        ("150000 UZS", 150000.0, "UZS"),
        ("150 000 so'm", 150000.0, "UZS"),
        ("3000 сом", 3000.0, "KGS"),
        ("3000 KGS", 3000.0, "KGS"),
        ("300 сомони", 300.0, "TJS"),
        ("300 TJS", 300.0, "TJS"),
        ("100 манат", 100.0, "AZN"),
        ("100₼", 100.0, "AZN"),
        ("20 000 драм", 20000.0, "AMD"),
        ("20000֏", 20000.0, "AMD"),
        ("AMD 20000", 20000.0, "AMD"),
    ],
)
def test_price_forms(text: str, amount: float, currency: str) -> None:
    prices = find_prices(text)
    assert [(p.amount, p.currency) for p in prices] == [(amount, currency)]


def test_shorthand_without_currency_uses_the_default() -> None:
    assert [(p.amount, p.currency) for p in find_prices("Меф 1г 3к", "RUB")] == [(3000.0, "RUB")]
    assert find_prices("Меф 1г 3к") == []


def test_russian_text_defaults_shorthand_to_rubles(extractor: Extractor) -> None:
    r = extractor.extract("Меф 1г 3,5к")
    assert (r.price.amount, r.price.currency) == (3500.0, "RUB")


@pytest.mark.parametrize(
    ("text", "per"),
    [("$60/g", "g"), ("$60 per gram", "g"), ("10$ each", "unit"), ("3000 руб за грамм", "g"), ("$5/pill", "unit")],
)
def test_per_unit_prices(text: str, per: str) -> None:
    assert [p.per for p in find_prices(text)] == [per]


def test_per_unit_price_is_one_unit_offer(extractor: Extractor) -> None:
    r = extractor.extract("Cocaine $90/g")
    assert (r.quantity.value, r.quantity.unit, r.price.amount) == (1.0, "g", 90.0)


def test_several_currencies_first_is_base(extractor: Extractor) -> None:
    r = extractor.extract("MDMA 1g USD 40.00 / 0.0004 BTC")
    assert (r.price.amount, r.price.currency) == (40.0, "USD")
    assert r.price_usd == 40.0


def test_price_usd_from_fx_table(extractor: Extractor) -> None:
    fx = FxTable.load()
    r = extractor.extract("Меф 1г 2500 руб")
    assert r.price_usd == round(2500 * fx.rate("RUB"), 2)


def test_no_price_in_plain_numbers() -> None:
    assert find_prices("MDMA 84% 1g 2020") == []
    assert find_prices("р-н Центральный") == []


@pytest.mark.parametrize("text", ["some 5 sum", "the sum of 50", "50 something", "C$", "A$ ", "90 белых"])
def test_new_currency_words_need_a_number_and_a_word_boundary(text: str) -> None:
    assert [(p.amount, p.currency) for p in find_prices(text)] == []


def test_new_currencies_convert_to_usd(extractor: Extractor) -> None:
    table = FxTable.load()
    for code in ("AUD", "CAD", "GEL", "UAH", "BYN", "UZS", "KGS", "TJS", "AZN", "AMD"):
        rate = table.rate(code, "2026-01-01")
        assert rate is not None and 0 < rate < 1, code
    x = extractor.extract("Шишки 1г - 120 лари", "ru")
    assert x.price is not None and x.price.currency == "GEL" and x.price_usd == round(120 * table.rate("GEL"), 2)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Меф 1г 14к", 14_000.0),  # shorthand
        ("Мефедрон Цена: 15 000", 15_000.0),  # after a price word
        ("Меф по 1500 за грамм", 1500.0),  # priced per gram
        ("Меф 1г — 15 000", 15_000.0),  # after an amount and a dash
    ],
)
def test_default_currency_hint_admits_each_bare_price_family(text: str, amount: float) -> None:
    assert _DEFAULT_HINT.search(text)
    assert [(p.amount, p.currency) for p in find_prices(text, "RUB")] == [(amount, "RUB")]


@pytest.mark.parametrize("text", ["USD 12.34", "1 g - USD 12.34", "Меф 1г 2500 руб", "MDMA 84% 1g 2020", ""])
def test_default_currency_hint_skips_texts_without_a_bare_price(text: str) -> None:
    assert not _DEFAULT_HINT.search(text)
    assert find_prices(text, "RUB") == find_prices(text, None)


@pytest.mark.parametrize("text", ["Меф 1г 14к", "price 120", "1500/г", "2 шт - 2500", "USD 12.34", "10K followers"])
def test_default_currency_hint_is_any_of_the_four(text: str) -> None:
    hints = (_SHORT_HINT, _CUE_HINT, _PER_HINT, _AFTER_QTY_HINT)
    assert bool(_DEFAULT_HINT.search(text)) == any(h.search(text) for h in hints)
