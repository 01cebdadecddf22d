"""Rules of issue 14 found on bench/corpus/en_dev2026l.jsonl (extractors/quantities.py, prices.py, tiers.py,
substances.py, substances.yaml), each with readings it must leave alone: a range with a unit on both ends ("5g–100g"),
"3 strips of 10", "€15/g from 50g" (a threshold), "5 strains x
3.5g", a size "5x7", "80 / 2g" in a ladder (no improper fraction), a price after "per pill" or "Unit price", "$35/8th",
"free over $200" (a threshold), "1g 80 / 2g 150" (bare prices in an English ladder), edible bars beside cannabis and
"MD" with an amount. Phrases written for these tests."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.records import Price, Quantity


def amounts(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in find_quantities(text)]


def listing(extractor: Extractor, title: str, description: str) -> tuple[list[str], Quantity | None,
                                                                         Quantity | None, Price | None]:
    raw = RawListing(market="t", listing_id="1", url="", title=title, description=description, lang="en",
                     currency="USD")
    got = extractor.listings([raw])[0]
    return sorted(s.canonical for s in got.substances if s.known), got.quantity, got.dose, got.price


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a range with a unit on both ends is its first value
        ("Hash, available 5g–100g", [(5.0, "g")]),
        ("Ketamine 10g to 1kg", [(10.0, "g")]),
        # a list of three weights joined by dashes is no range
        ("Weed 1g-2g-5g", [(1.0, "g"), (2.0, "g"), (5.0, "g")]),
        # several containers of a number of pieces
        ("Diazepam 5mg — 2 blisters of 14", [(5.0, "mg"), (28.0, "unit")]),
        ("LSD 2 sheets of 100", [(200.0, "unit")]),
        # a weight after "from" beside a price per gram is a threshold
        ("Speed $8/g, $6/g from 100g", []),
        # a sampler of kinds times a size: the pieces come first
        ("Sampler — 4 flavours x 1g", [(4.0, "unit"), (1.0, "g")]),
        # a size "5x7" is no count
        ("Mylar 5x7 bags, meth 7g", [(7.0, "g")]),
        # "80 / 2g" in a ladder: the 2 g row, not 80/2 = 40 g
        ("1g 80 / 2g 150", [(1.0, "g"), (2.0, "g")]),
    ],
)
def test_dev26l_quantity_rules(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Weed 1/2 oz", [(0.5, "oz")]),  # a proper fraction stays
        ("Weed 7g from Cali", [(7.0, "g")]),  # "from" with no price per gram: the weight stays
        ("Speed 10-50g", [(10.0, "g")]),  # the range rule before a bare low end, as before
        ("Xanax 2mg 10x", [(2.0, "mg"), (10.0, "unit")]),  # a count "10x" is no size
        ("Xanax 2mg 3 strips", [(2.0, "mg"), (3.0, "unit")]),  # "strips" without "of N": as before
        ("Weed 2 packs of 3.5g", [(3.5, "g")]),  # "of" a weight: no pieces multiplied
    ],
)
def test_dev26l_quantity_rules_leave_alone(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "free over $200" is a threshold; the next price is the goods'
        ("Free shipping over $200. 1g $60", [60.0]),
        ("Shipping: free above €50. 5g €40", [40.0]),
    ],
)
def test_dev26l_free_over_is_a_threshold(text: str, want: list) -> None:
    got = [p.amount for p in find_prices(text, "USD") if not p.aside]
    assert want[0] in got
    assert 200.0 not in got and 50.0 not in got


@pytest.mark.parametrize(
    ("title", "description", "want_qty", "want_dose", "want_price"),
    [
        ("Oxycodone 30mg", "Pricing: per pill £25, 10 for £220", Quantity(1.0, "unit"), Quantity(30.0, "mg"),
         Price(25.0, "GBP")),
        ("Diazepam 10mg", "Unit price $0.90 when you buy 200", Quantity(1.0, "unit"), Quantity(10.0, "mg"),
         Price(0.9, "USD")),
        ("Gelato menu", "Gelato $38/8th\nRuntz $42/8th", Quantity(0.125, "oz"), None, Price(38.0, "USD")),
        ("Meth", "1g 70 / 3.5g 200 / 7g 380", Quantity(1.0, "g"), None, Price(70.0, "USD")),
        ("Weed", "Prices: 7g 60, 14g 110, 28g 200 (USD)", Quantity(7.0, "g"), None, Price(60.0, "USD")),
        ("Coke", "Shipping: free over $300.\n1g $90 | 3.5g $300", Quantity(1.0, "g"), None, Price(90.0, "USD")),
    ],
)
def test_dev26l_listing_rules(extractor: Extractor, title: str, description: str, want_qty: Quantity,
                              want_dose: Quantity | None, want_price: Price) -> None:
    _, qty, dose, price = listing(extractor, title, description)
    assert (qty, dose, price) == (want_qty, want_dose, want_price)


def test_dev26l_bare_space_prices_need_a_ladder(extractor: Extractor) -> None:
    # one "weight number" pair is no ladder: "3.5g 2024" is a weight and a year, the price is the $ one
    _, qty, _, price = listing(extractor, "Shrooms 3.5g 2024 harvest", "$40")
    assert (qty, price) == (Quantity(3.5, "g"), Price(40.0, "USD"))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Edibles sampler (4 x 100mg bars)\n$60", ["cannabis"]),
        ("Xanax bars 2mg x 100\n$200", ["alprazolam"]),
        ("MD 1g 35$\nKetamine 1g 30$", ["ketamine", "mdma"]),
        ("MD 2g\nPrice 50 EUR", ["mdma"]),
    ],
)
def test_dev26l_substance_rules(extractor: Extractor, text: str, want: list[str]) -> None:
    assert sorted(s.canonical for s in extractor.extract(text).substances if s.known) == want


@pytest.mark.parametrize("text", ["Fake ID Maryland MD\n$100", "Doctor's note, signed by an MD\n$20"])
def test_dev26l_md_alone_is_no_drug(extractor: Extractor, text: str) -> None:
    assert [s.canonical for s in extractor.extract(text).substances if s.known] == []
