"""Sold-out tiers (extractors/sold_out.py): a tier marked sold out is no offer; the base is the first tier on sale."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.sold_out import on_sale, sold_out_spans


def base(extractor: Extractor, text: str) -> tuple:
    x = extractor.extract(text)
    return ((x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Meth shards\n1g - SOLD OUT\n3.5g - $120\n7g - $200", ((3.5, "g"), (120.0, "USD"))),
        ("Cocaine\n1g $90 (sold out) | 3.5g $280 | 7g $520", ((3.5, "g"), (280.0, "USD"))),
        ("MDMA\n[SOLD OUT] 1g $35\n5g $140\n10g $250", ((5.0, "g"), (140.0, "USD"))),
        ("Weed\n1/8 - out of stock\n1/4 - $70\n1/2 - $130", ((0.25, "oz"), (70.0, "USD"))),
        ("Ketamine\n1g £30 OOS; 5g £120; 10g £220", ((5.0, "g"), (120.0, "GBP"))),
        ("Меф\n0.5г — нет в наличии\n1г — 3000 ₽", ((1.0, "g"), (3000.0, "RUB"))),
    ],
)
def test_the_base_is_the_first_tier_on_sale(extractor: Extractor, text: str, want: tuple) -> None:
    assert base(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # every tier sold out: the listing still reads as what it sells
        ("Cocaine 1g sold out $80", ((1.0, "g"), (80.0, "USD"))),
        # no mark: the first tier as written
        ("Cocaine\n1g $90 | 3.5g $280", ((1.0, "g"), (90.0, "USD"))),
        # "oos" in lower case is part of words, not a mark
        ("Hash\n1g $10 boost | 5g $45", ((1.0, "g"), (10.0, "USD"))),
    ],
)
def test_left_alone(extractor: Extractor, text: str, want: tuple) -> None:
    assert base(extractor, text) == want


def test_spans_are_the_marked_segments() -> None:
    text = "1g $90 (sold out) | 3.5g $280"
    assert sold_out_spans(text) == [(0, 19)]
    assert sold_out_spans("no marks here, 1g $90") == []


def test_on_sale_on_hostile_input() -> None:
    text = ("1g SOLD OUT | " * 5000) + "3.5g $120"
    qs, ps = find_quantities(text), find_prices(text, "USD")
    kept_q, kept_p = on_sale(text, qs, ps)
    assert len(kept_q) <= len(qs) and len(kept_p) <= len(ps)
    assert on_sale("", [], []) == ([], [])
