"""Prices: symbols, codes and words (EN/RU), shorthand, per-unit prices, several currencies, USD via FX."""

from __future__ import annotations

import pytest

from onionwatch.extractors.fx import FxTable
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices


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
