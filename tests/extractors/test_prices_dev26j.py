"""Price rule of issue 14 found on bench/corpus/en_dev2026j.jsonl (extractors/prices.py): a price range before its
unit ("$8-10/g") is a per-unit price of its first amount."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices


def prices(text: str) -> list[tuple[float, str | None]]:
    return [(p.amount, p.per) for p in find_prices(text, "USD")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Price range $8-10/g depending on amount", [(8.0, "g")]),
        ("€40-50 per gram", [(40.0, "g")]),
        ("$80-90/oz", [(80.0, "oz")]),
        ("$8 - $10/g", [(8.0, "g"), (10.0, "g")]),
        # pieces "at" a price: each
        ("100 bars @ $1.50", [(1.5, "unit")]),
        ("50 pills @ $2", [(2.0, "unit")]),
    ],
)
def test_a_range_before_its_unit_is_per_unit(text: str, want: list) -> None:
    assert prices(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a range with no unit stays a plain price; tiers keep their own amounts
        ("$40-50", [(40.0, None)]),
        ("1g $80 - 2g $150", [(80.0, None), (150.0, None)]),
        # a weight "at" a price is that weight's price
        ("1 oz @ $250", [(250.0, None)]),
    ],
)
def test_left_alone(text: str, want: list) -> None:
    assert prices(text) == want


def test_pieces_at_a_price_are_multiplied_out(extractor: Extractor) -> None:
    x = extractor.extract("Xanax 2mg\n100 bars @ $1.50")
    assert x.quantity is not None and (x.quantity.value, x.quantity.unit) == (100.0, "unit")
    assert x.price is not None and (x.price.amount, x.price.currency) == (150.0, "USD")
