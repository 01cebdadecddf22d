"""Rules of issue 14 found on bench/corpus/en_dev2026f.jsonl (English generalisation dev set, 2024–2025 market
styles), each with cases it applies to and readings it must leave alone: "$350 AUD" in Australian dollars; order
thresholds ("orders over $500", "min order $50") and "Face 2000 €" are no price; the UK "nine bar"; Dutch/German
piece words; "discounts from 10 g"; milligrams per container and "1ml = 1g" conversions; other drugs named in a
vendor's boilerplate; moon rocks; hash presses, glass joints, lab glassware, pill fillers, MBB bags and refund or
reship listings as non-drug goods; "Tested 92% on Marquis" and test strips given with an order keep the offer."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import names, qp


def price_of(extractor: Extractor, text: str) -> tuple[float, str] | None:
    x = extractor.extract(text)
    return (x.price.amount, x.price.currency) if x.price else None


# ----------------------------------------------------------------------------- dollars named after the amount
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Kush 14g\nSydney stock, $180 AUD", (180.0, "AUD")),
        ("Hash 5g\nToronto, $60 CAD shipped", (60.0, "CAD")),
        # a plain dollar amount and a code before the amount are unchanged
        ("Kush 14g\n$180", (180.0, "USD")),
        ("Kush 14g\nAUD 180", (180.0, "AUD")),
        ("Kush 14g\nC$150", (150.0, "CAD")),
    ],
)
def test_dollar_code_after(extractor: Extractor, text: str, want: tuple) -> None:
    assert price_of(extractor, text) == want


# ----------------------------------------------------------------------------- thresholds and face values
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Ketamine 5g\nOrders over $300 ship express. Price $120", (120.0, "USD")),
        ("MDMA 10g\nMinimum order $40 for tracked. €95", (95.0, "EUR")),
        ("Speed 20g\nFree reship on purchases above £150. £60", (60.0, "GBP")),
        # an amount after "for" or "price" stays a price
        ("Ketamine 5g\nfor $120", (120.0, "USD")),
        ("Hash 10g\nFree shipping over $100. $70", (70.0, "USD")),
    ],
)
def test_order_threshold_is_no_price(extractor: Extractor, text: str, want: tuple) -> None:
    assert price_of(extractor, text) == want


def test_face_before_amount() -> None:
    text = "Replica €20 bills x 30\nFace 600 €. €150"
    assert [(p.amount, p.currency) for p in find_prices(text)] == [(150.0, "EUR")]
    assert [p.amount for p in find_prices("Kush 3.5g\n€35")] == [35.0]


# ----------------------------------------------------------------------------- quantities
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Lemon Haze nine bar\n£1,150 UK to UK", ((9.0, "oz"), (1150.0, "GBP"))),
        ("Half a nine bar of Cheese\n£600", ((4.5, "oz"), (600.0, "GBP"))),
        ("Kush half nine bar\n£620", ((4.5, "oz"), (620.0, "GBP"))),
        ("XTC pillen 25 stuks\n€60", ((25.0, "unit"), (60.0, "EUR"))),
        ("Ecstasy 40 Stück\n€100", ((40.0, "unit"), (100.0, "EUR"))),
        ("XTC 30 Teile\n€80", ((30.0, "unit"), (80.0, "EUR"))),
        ("Ketamine\n€25 per gram, discounts from 20 g", ((1.0, "g"), (25.0, "EUR"))),
        ("Speed\n£10/g, bulk discount over 100g", ((1.0, "g"), (10.0, "GBP"))),
        # an offer written after a discount word stays
        ("Ketamine 10g\n€200, discount code inside", ((10.0, "g"), (200.0, "EUR"))),
    ],
)
def test_quantities(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Deca 250mg/ml 10ml\n2500mg per vial. $60", ((10.0, "ml"), (60.0, "USD"))),
        ("GBL 250ml\nDensity: 1ml = 1.1g. €45", ((250.0, "ml"), (45.0, "EUR"))),
        # an equation of two masses is one amount written twice, not a conversion ("28g = 1oz")
        ("Kush 28g = 1oz\n$220", ((28.0, "g"), (220.0, "USD"))),
    ],
)
def test_contents_and_conversions(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


def test_content_per_container_is_a_strength() -> None:
    qs = find_quantities("Primo 100mg/ml 10ml, 1000mg per vial")
    assert [(q.value, q.unit, q.dose) for q in qs if q.unit == "mg"] == [(100.0, "mg", True), (1000.0, "mg", True)]
    assert [(q.value, q.unit) for q in find_quantities("Ketamine 500mg, $30") if not q.dose] == [(500.0, "mg")]


# ----------------------------------------------------------------------------- substances
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Cocaine 2g\nWe also sell ketamine and MDMA in our store. $150", ["cocaine"]),
        ("Golden Teacher 14g\nI also stock 2C-B and LSD, message me. $100", ["psilocybin"]),
        ("Ketamine 5g\nAlso available: cocaine, speed. €120", ["ketamine"]),
        # naming two drugs on offer is unchanged
        ("Cocaine 1g + MDMA 1g\n$120", ["cocaine", "mdma"]),
        ("Moon rocks 7g\nKief coated. $90", ["cannabis"]),
        ("Crack rocks 2g\n$120", ["cocaine"]),
        ("Amnesia nine bar\n£1,100", ["cannabis"]),
        ("Cocaine 3.5g\nTested 88% on Marquis. $240", ["cocaine"]),
        ("Xanax 2mg x 30\nFentanyl test strips free with every order. $60", ["alprazolam"]),
    ],
)
def test_names(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "Rosin press 6 ton\nDual heat plates. $280",
        "Hash and pollen press\nManual, 5 ton. €200",
        "Distillation kit\nFlasks with 24/40 joints, 1000ml. $220",
        "Beaker set 50ml-1000ml\nBorosilicate. $40",
        "Inositol 1kg\nFiller for capsules. $25",
        "Lactose 500g\nTablet binder. €15",
        "MBB bags x 200\n7g size. $20",
        "Reship fee\nFor lost parcels of 5g or more. $15",
    ],
)
def test_non_drug_goods(extractor: Extractor, text: str) -> None:
    x = extractor.extract(text)
    assert [s.canonical for s in x.substances if s.known] == []
    assert x.quantity is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a custom listing is a drug order on the older markets
        ("Custom listing for Mike\nKetamine 10g as agreed. $1", (["ketamine"], (10.0, "g"))),
        ("Custom order for a regular\nMDMA 5g. $100", (["mdma"], (5.0, "g"))),
    ],
)
def test_left_as_they_were(extractor: Extractor, text: str, want: tuple) -> None:
    assert (names(extractor, text), qp(extractor, text)[0]) == want


def test_strength_equation_is_kept() -> None:
    # "1mg = 0.5ml" is a liquid's strength, not a density: both amounts stay for the usual rules
    assert [(q.value, q.unit) for q in find_quantities("Liquid Xanax 1mg = 0.5ml, $3")] == [(1.0, "mg"), (0.5, "ml")]
