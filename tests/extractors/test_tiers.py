"""Tier pairing (extractors/tiers.py): a number that is part of a price is never the tier's amount."""

from __future__ import annotations

import pytest

from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.records import Price, Quantity
from onionwatch.extractors.tiers import build_tiers, outside_prices, resolve_tier


def base(text: str, currency: str = "RUB") -> tuple[Quantity | None, Price | None]:
    r = resolve_tier(build_tiers(find_quantities(text), find_prices(text, currency), currency)[0])
    return r.quantity, r.price


@pytest.mark.parametrize(
    ("text", "quantity", "price"),
    [
        # a decimal price with a thousands word, per gram: one gram at 2,500 (not 2.5 g at 6,250)
        ("2,5 тыс. за грамм", Quantity(1.0, "g"), Price(2500.0, "RUB")),
        ("2,5 тыс за грамм", Quantity(1.0, "g"), Price(2500.0, "RUB")),
        ("1,5 к за грамм", Quantity(1.0, "g"), Price(1500.0, "RUB")),
        ("2.5к за грамм", Quantity(1.0, "g"), Price(2500.0, "RUB")),
        ("3 тыс/г", Quantity(1.0, "g"), Price(3000.0, "RUB")),
        ("2,5 тыс/гр", Quantity(1.0, "g"), Price(2500.0, "RUB")),
        # a written amount still multiplies the per-gram price
        ("2г по 2,5 тыс. за грамм", Quantity(2.0, "g"), Price(5000.0, "RUB")),
        # a bare klad-label weight next to a price stays a weight
        ("0,5 - 2500р", Quantity(0.5, "g"), Price(2500.0, "RUB")),
    ],
)
def test_a_number_inside_a_price_is_not_the_amount(text: str, quantity: Quantity, price: Price) -> None:
    assert base(text) == (quantity, price)


def test_outside_prices_keeps_amounts_apart_from_prices() -> None:
    text = "1г — 2,5 тыс."
    qs, ps = find_quantities(text), find_prices(text, "RUB")
    assert [(q.value, q.unit) for q in outside_prices(qs, ps)] == [(1.0, "g")]
    guessed = find_quantities("2,5 тыс.")
    assert guessed and guessed[0].guessed  # the bare "2,5" alone reads as grams ...
    assert outside_prices(guessed, find_prices("2,5 тыс.", "RUB")) == []  # ... but it is the price's number
    assert outside_prices(guessed, []) == guessed
