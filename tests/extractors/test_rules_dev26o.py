"""Rules of issue 14 found on bench/corpus/en_dev2026o.jsonl (extractors/quantities.py, prices.py, pipeline.py,
data/*.yaml), each with readings it must leave alone: "N rocks" and "N Tabletten" counted, "1.000 g" (a European
thousands dot), one "Qty: N" priced on its line, a title's pieces before one weighed offer below (text mode), a
street size after a spaced slash that has its own price, a carrier named between "Shipping:" and its price, a
surcharge "NDD +£10", a weight given free, coffee with "beans" after a size, ice hash. Phrases written for these
tests."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import names, qp


def amounts(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in find_quantities(text)]


def prices(text: str) -> list[tuple[float, str, str | None, bool]]:
    return [(p.amount, p.currency, p.per, p.aside) for p in find_prices(text, "USD")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # crack counted by the rock, German/Dutch "Tabletten"
        ("Crack 5 rocks, cooked hard", [(5.0, "unit")]),
        ("Anadrol 50mg 60 Tabletten", [(50.0, "mg"), (60.0, "unit")]),
        # a whole number of thousands with a thousands dot
        ("Hashish 2.000 g bulk", [(2000.0, "g")]),
        ("Speed 1.000g", [(1000.0, "g")]),
        # one labelled count with a price on its line
        ("Percs\nQty: 30 | Price: $450", [(30.0, "unit")]),
        # a weight given free is no offer
        ("Amnesia 10g + 2g free", [(10.0, "g")]),
        ("Buy 3.5g, get 1g FREE", [(3.5, "g")]),
        ("Bars\nQuantity: 100 - $180", [(100.0, "unit")]),
    ],
)
def test_dev26o_quantity_rules(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("MDMA 0.500g", [(0.5, "g")]),  # a leading zero: a decimal, as before
        ("Ketamine 1.250 g", [(1.25, "g")]),  # not a whole thousand: a decimal, as before
        ("Cocaine 5g rocks", [(5.0, "g")]),  # rocks after a weight: no count
        ("Oxy\nQty: 20", []),  # a single label with no price on its line: no count, as before
        ("Mids 28g free shipping", [(28.0, "g")]),  # free shipping, a "THC free" product: the weights stay
        ("Hemp flower 10g THC free", [(10.0, "g")]),
        ("Pills\nQty: 5 in stock, $3 each", []),  # a stock note, not the offer
    ],
)
def test_dev26o_quantity_rules_leave_alone(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a priced street size after a spaced slash is the next row, not the unit of the price before it
        ("Bulk: QP $700 / HP $1,300", [(700.0, "USD", None, False), (1300.0, "USD", None, False)]),
        ("Oz $220 / lb $1,900", [(220.0, "USD", None, False), (1900.0, "USD", None, False)]),
        # a carrier named between the shipping word and its price
        ("Shipping: USPS priority $12. Ounce for $150",
         [(12.0, "USD", None, True), (150.0, "USD", None, False)]),
        ("Postage Royal Mail 1st class £4, 10g £60", [(4.0, "GBP", None, True), (60.0, "GBP", None, False)]),
        # a surcharge after a word and a plus
        ("Express +$20. 7g $90", [(20.0, "USD", None, True), (90.0, "USD", None, False)]),
    ],
)
def test_dev26o_price_rules(text: str, want: list) -> None:
    assert prices(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Outdoor $1100/lb", [(1100.0, "USD", "lb", False)]),  # a price per pound, as before
        ("Flower $220 / oz", [(220.0, "USD", "oz", False)]),  # spaced, no price after: per ounce, as before
        ("Oil 5g £40 + £5 shipping", [(40.0, "GBP", None, False), (5.0, "GBP", None, True)]),
        ("Shipping: free over $200. Price $90", [(90.0, "USD", None, False)]),  # a threshold, as before
        ("Hash 10g+ $8/g", [(8.0, "USD", "g", False)]),  # a plus after an amount is no surcharge word
    ],
)
def test_dev26o_price_rules_leave_alone(text: str, want: list) -> None:
    assert prices(text)[: len(want)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # text mode: the title's pieces, priced by the one weighed offer of the description
        ("Kief 4 x 2g\nFour 2g jars. $70", ((4.0, "unit"), (70.0, "USD"))),
        ("Shatter 1g x 3\nThree 1g slabs, $75", ((3.0, "unit"), (75.0, "USD"))),
        ("GHB 2 x 250ml\nTwo bottles of 250ml, €60", ((2.0, "unit"), (60.0, "EUR"))),
        ("Haze 5g + 1g free\nFive grams, one gram free. €45", ((5.0, "g"), (45.0, "EUR"))),
        # a ladder, a piece count in the description or no count in the title: as before
        ("Hash 2 x 5g\n5g $40, 10g $75", ((5.0, "g"), (40.0, "USD"))),
        ("Ketamine 10g\nYou get 10g. $150", ((10.0, "g"), (150.0, "USD"))),
        ("Xanax x 10\n10 bars 2mg, $30", ((10.0, "unit"), (30.0, "USD"))),
    ],
)
def test_dev26o_title_pieces_first(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Peruvian coffee, 500g whole beans\n$18", []),
        ("Ice hash 2g\nSix star full melt, $60", ["cannabis"]),
        # beans and ice without food or hash stay the drugs, as before
        ("Beans x20\nMDMA pills 150mg, $60", ["mdma"]),
        ("Ice 3.5g\nClear shards, $120", ["methamphetamine"]),
    ],
)
def test_dev26o_substance_rules(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want
