"""Price rule of issue 14 found on bench/corpus/en_dev2026j.jsonl (extractors/prices.py): a price range before its
unit ("$8-10/g") is a per-unit price of its first amount."""

from __future__ import annotations

import pytest

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
    ],
)
def test_left_alone(text: str, want: list) -> None:
    assert prices(text) == want
