"""Quantity rules of issue 14 found on bench/corpus/en_dev2026j.jsonl (extractors/quantities.py), each with the
readings it must leave alone: "N x 1g" pieces, one container of pieces ("1 sheet 100 tabs"), containers counted
with "of", quantity labels and count columns, bare "kilo" and "quarter", "cc", ranges."""

from __future__ import annotations

import pytest

from onionwatch.extractors.quantities import find_quantities


def amounts(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # N pieces of a size: the pieces
        ("Ketamine 10 x 1g", [(10.0, "unit")]),
        ("3 x 10cc, sterile. $45", [(3.0, "unit")]),
        # one container of pieces: the pieces
        ("LSD 1 sheet 100 tabs", [(100.0, "unit")]),
        ("one bottle (60 caps)", [(60.0, "unit")]),
        ("100 tabs (1 sheet) - $250", [(100.0, "unit")]),
        ("60 caps - 1 bottle", [(60.0, "unit")]),
        ("5 pack 1g prerolls $40", [(5.0, "unit")]),
        # a grade number is no whole part of a fraction
        ("Heroin #4 1/2g", [(0.5, "g")]),
        # containers counted with "of"; a comma after the count ends it
        ("15mg caps, bottle of 60. $240", [(15.0, "mg"), (60.0, "unit")]),
        ("Pack of 20, 1mg each. $30", [(20.0, "unit"), (1.0, "mg")]),
        ("sheet of 100", [(100.0, "unit")]),
        # every label of a priced list; a count column under a quantity header
        ("QTY 10 = $250\nQTY 50 = $1100", [(10.0, "unit"), (50.0, "unit")]),
        ("Qty Price\n25 $100\n50 $180", [(25.0, "unit"), (50.0, "unit")]),
        ("| Qty | Price |\n| 10 | $600 |", [(10.0, "unit")]),
        # street words with no number
        ("Cocaine kilo", [(1000.0, "g")]),
        ("Cereal Milk weed - quarter", [(0.25, "oz")]),
        ("quarter $65", [(0.25, "oz")]),
        # a syringe's cc are millilitres
        ("Spore syringe 10cc", [(10.0, "ml")]),
        # a range is its first value
        ("Cocaine 1-2g", [(1.0, "g")]),
        ("MDMA pills 200-250mg x 10", [(200.0, "mg"), (10.0, "unit")]),
        ("5 to 10g", [(5.0, "g")]),
    ],
)
def test_dev26j_quantity_rules(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a count of pieces of a strength keeps the strength
        ("100 x 10mg Diazepam", [(100.0, "unit"), (10.0, "mg")]),
        # two containers are the amount (no "one container" reading)
        ("2 bottles 60 caps", [(2.0, "unit"), (60.0, "unit")]),
        ("60 caps, 2 bottles", [(60.0, "unit"), (2.0, "unit")]),
        ("1 1/2 oz", [(1.5, "oz")]),
        ("Skunk #1 5g", [(5.0, "g")]),
        # a bag of a mass is the mass
        ("bag of 3.5g", [(3.5, "g")]),
        # a decimal row is grams: no count column
        ("Qty | Price\n3.5 | $180", [(3.5, "g")]),
        # a single unpriced quantity label without a strength is not read
        ("Quantity 3", []),
        # tools and words that are no amount
        ("kilo press 10 ton", []),
        ("a quarter of the price", []),
        ("quarter pound", [(4.0, "oz")]),
        ("10 CC fullz", []),
        # a spaced dash is a separator, a name's number is no range
        ("Skunk #1 - 100g", [(100.0, "g")]),
        ("Melanotan 2 - 10mg vial", [(10.0, "mg"), (1.0, "unit")]),
        ("3-MMC 5g", [(5.0, "g")]),
        ("$8-10/g", []),
        ("dose 1-2ml", []),
    ],
)
def test_dev26j_quantity_rules_left_alone(text: str, want: list) -> None:
    assert amounts(text) == want


def test_price_list_heading_opens_tiers() -> None:
    # "Price list:" heads the tiers of a drug listing; "Full Price List of our shop" stays a non-drug cue
    from onionwatch.extractors.cues import NON_DRUG

    assert NON_DRUG.level("Price list: 10g 120€ / 50g 450€") == 0
    assert NON_DRUG.level("Full Price List of our shop") == 1


def test_count_column_on_hostile_blank_runs() -> None:
    # thousands of blanks on a row under a quantity header stay linear (possessive runs)
    import time

    for text in ("Qty price\n" + " \t" * 10000 + "5", "Qty price\n5" + " " * 20000 + "x"):
        t0 = time.perf_counter()
        find_quantities(text)
        assert time.perf_counter() - t0 < 2.0
