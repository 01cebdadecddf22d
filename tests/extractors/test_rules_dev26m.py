"""Rules of issue 14 found on bench/corpus/en_dev2026m.jsonl (extractors/prices.py, quantities.py, tiers.py), each
with readings it must leave alone: a currency symbol and its amount on one line ("1 gram - 30$" rows), shipping on
the next line is no aside, "15mg/5ml" (a strength per several ml), "1/8: $40" ladder rows, edibles and seeds counted,
a price per unit before a priced ladder, "10x50mg", "Ten 1g carts", air fresheners, whipped-cream chargers and
quartz, goods packed "in a mylar bag" (non_drug.yaml). Phrases written for these tests."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import names, qp


def amounts(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in find_quantities(text)]


def prices(text: str) -> list[tuple[float, str, bool]]:
    return [(p.amount, p.currency, p.aside) for p in find_prices(text, "USD")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a "$" ending a row is that row's, not the next row's leading symbol
        ("Speed\n2 gram - 25$\n5 gram - 55$", [(25.0, "USD", False), (55.0, "USD", False)]),
        ("Pills\n10 pcs - 40€\n20 pcs - 75€", [(40.0, "EUR", False), (75.0, "EUR", False)]),
        # shipping on the line after the price says nothing of it
        ("Weight: 50g\nPrice: 140 EUR\nShipping: tracked, EU only", [(140.0, "EUR", False)]),
        ("Hash 10g\nCost: $70\nDelivery by courier", [(70.0, "USD", False)]),
    ],
)
def test_dev26m_price_rules(text: str, want: list) -> None:
    assert prices(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Coke 1g $70 + $15 shipping", [(70.0, "USD", False), (15.0, "USD", True)]),  # shipping on its line: aside
        ("1g 60$ shipping included", [(60.0, "USD", False)]),  # "shipping incl…" stays the goods' price
        ("Pills x 20\n$ 45", [(45.0, "USD", False)]),  # a symbol before its amount on one line, as before
        ("LSD 50 €40", [(40.0, "EUR", False)]),  # "50 €40": the € belongs to the 40, as before
    ],
)
def test_dev26m_price_rules_leave_alone(text: str, want: list) -> None:
    assert prices(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a strength per several ml is neither an amount nor a dose
        ("Linctus 100ml, 10mg/5ml", [(100.0, "ml")]),
        ("Oral solution 5mg / 2.5 ml, bottle 150ml", [(150.0, "ml")]),
        # eighth and quarter rows ending in a colon
        ("Runtz\n1/8: $45\n1/4: $80", [(0.125, "oz"), (0.25, "oz")]),
        # edibles and seeds counted
        ("Space cookies, 4 cookies per bag", [(4.0, "unit")]),
        ("6 brownies", [(6.0, "unit")]),
        ("Northern Lights 5 feminised seeds", [(5.0, "unit")]),
        ("Autoflower pack: 3 auto seeds", [(3.0, "unit")]),
        # "10x50mg" glued: the pieces and the strength of one
        ("Gummies 20x25mg", [(20.0, "unit"), (25.0, "mg")]),
        # a number word before the size of one cart or dispo: the pieces
        ("Six 1g carts", [(6.0, "unit")]),
        ("three 2ml dispos", [(3.0, "unit")]),
    ],
)
def test_dev26m_quantity_rules(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Test E 250mg/ml 10ml", [(250.0, "mg"), (10.0, "ml")]),  # a strength per ml stays the dose, as before
        ("Bromazolam 1mg/1ml 30ml", [(1.0, "mg"), (30.0, "ml")]),
        ("Weed 1/8 2 days ago", []),  # "1/8" before a number is no eighth, as before
        ("Girl Scout Cookies 3.5g", [(3.5, "g")]),  # a strain named Cookies is no count
        ("Hex key 0x50mg", [(50.0, "mg")]),  # "0x": no count before it, the mass as before
        ("two carts 1g", [(2.0, "unit"), (1.0, "g")]),  # a number word right before its noun, as before
    ],
)
def test_dev26m_quantity_rules_leave_alone(text: str, want: list) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a price per unit before a ladder whose rows have their own prices: the first tier, one unit
        ("Speed\nPer gram £9, 10g £70, 28g £150", ((1.0, "g"), (9.0, "GBP"))),
        ("Ketamine $30/g, 5g $120, 10g $220", ((1.0, "g"), (30.0, "USD"))),
        # edible count and per-piece strength
        ("THC brownies\n150mg each. 4 brownies $35", ((4.0, "unit"), (35.0, "USD"))),
    ],
)
def test_dev26m_offer_rules(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Speed $8/g: 10g", ((10.0, "g"), (80.0, "USD"))),  # a per-gram price over one amount: multiplied, as before
        ("$60 for 1g, $110 for 2g", ((1.0, "g"), (60.0, "USD"))),  # prices leading their amounts, as before
        ("Coke 1 gram - 80$\n2 gram - 150$", ((1.0, "g"), (80.0, "USD"))),
    ],
)
def test_dev26m_offer_rules_leave_alone(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Lemon Haze scented air freshener\n£4", []),
        ("Whipped cream chargers x 50\nFor baking. $25", []),
        ("Crystal quartz cluster 1kg\n$45", []),
        # the gas named, a charger tank, meth crystals: drug listings as before
        ("Nitrous oxide 640g\nCream charger tank, $35", ["nitrous-oxide"]),
        ("Meth crystal 7g\nShards, $120", ["methamphetamine"]),
    ],
)
def test_dev26m_non_drug_look_alikes(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # how the goods are packed is no packaging for sale
        ("Sour Diesel", "You get one eighth in a mylar bag. $50", (0.125, "oz")),
        ("OG Kush 7g", "Packed in smell proof mylar bags. $60", (7.0, "g")),
        # packaging sold as such stays non-drug, as before
        ("Smell proof mylar bags 1/8 oz size x 100", "$12", None),
    ],
)
def test_dev26m_packed_in_a_bag(extractor: Extractor, title: str, description: str, want: tuple | None) -> None:
    raw = RawListing(market="t", listing_id="1", url="", title=title, description=description, lang="en",
                     currency="USD")
    got = extractor.listings([raw])[0]
    assert ((got.quantity.value, got.quantity.unit) if got.quantity else None) == want
