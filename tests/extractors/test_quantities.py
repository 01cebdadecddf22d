"""Quantities, doses and tier ladders: units, fractions, street sizes, counts, decimal commas, number words."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.quantities import _COUNT_HINT, COUNT_RE, find_quantities, mark_doses


def qd(extractor: Extractor, text: str) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
    r = extractor.extract(text)
    q = (r.quantity.value, r.quantity.unit) if r.quantity else None
    d = (r.dose.value, r.dose.unit) if r.dose else None
    return q, d


@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("Cocaine 1g", (1.0, "g"), None),
        ("Cocaine 1 gram", (1.0, "g"), None),
        ("Weed 3.5 grams", (3.5, "g"), None),
        ("Weed 3,5 gr", (3.5, "g"), None),
        ("Меф 0,5г", (0.5, "g"), None),
        ("Меф 0,5 гр.", (0.5, "g"), None),
        ("Гашиш 5 грамм", (5.0, "g"), None),
        ("MDMA 500mg crystal", (500.0, "mg"), None),
        ("Speed 1kg", (1000.0, "g"), None),
        ("Спайс 1 кг", (1000.0, "g"), None),
        ("Kush 1oz", (1.0, "oz"), None),
        ("Kush 1/8 oz", (0.125, "oz"), None),
        ("Kush 1/2oz", (0.5, "oz"), None),
        ("Kush 1 1/2 oz", (1.5, "oz"), None),
        ("an eighth of Gelato", (0.125, "oz"), None),
        ("Half oz Blue Dream", (0.5, "oz"), None),
        ("Half gram of coke", (0.5, "g"), None),
        ("Полграмма меф", (0.5, "g"), None),
        ("QP of Sour Diesel", (4.0, "oz"), None),
        ("HP outdoor weed", (8.0, "oz"), None),
        ("1 LB Northern Lights", (16.0, "oz"), None),
        ("2 lbs Cheese", (32.0, "oz"), None),
        ("GBL 100ml", (100.0, "ml"), None),
        ("Метадон 5 мл", (5.0, "ml"), None),
        ("GBL 1 l", (1000.0, "ml"), None),
        ("Xanax x50", (50.0, "unit"), None),
        ("50x Xanax", (50.0, "unit"), None),
        ("50 pcs MDMA pills", (50.0, "unit"), None),
        ("Экстази 10 шт", (10.0, "unit"), None),
        ("ЛСД 5 марок", (5.0, "unit"), None),
        ("10 tabs LSD", (10.0, "unit"), None),
        ("100x 2mg Xanax", (100.0, "unit"), (2.0, "mg")),
        ("Xanax 2mg bars x 100", (100.0, "unit"), (2.0, "mg")),
        ("100 Generic Rivotril 1 mg pills", (100.0, "unit"), (1.0, "mg")),
        ("25 LSD Blotters 200mcg tabs", (25.0, "unit"), (200.0, "ug")),
        ("3 LSD 200ug", (3.0, "unit"), (200.0, "ug")),
        ("LSD-25 200ug tabs x 5", (5.0, "unit"), (200.0, "ug")),  # the 25 of LSD-25 is not a count
        ("Экстази Rolex 300 мг 1 шт", (1.0, "unit"), (300.0, "mg")),
        ("LSD 100µg", None, (100.0, "ug")),
        ("Fentanyl 100 мкг", None, (100.0, "ug")),
        ("A PVP 0,33 VHQ", (0.33, "g"), None),  # bare decimal in a klad title: grams
        ("2021 г. новинка", None, None),  # a year, not grams
        ("Меф 0,5г - 7000 / 1г - 13000", (0.5, "g"), None),  # a tier list, not 7000/1 = 7000 g
        ("Kush 3/4 g", (0.75, "g"), None),  # a fraction still reads as one
        ("", None, None),
    ],
)
def test_quantity_and_dose(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)


def test_tier_ladder_keeps_every_tier_and_flags_the_base(extractor: Extractor) -> None:
    r = extractor.extract("MDMA 1g - $40 | 3.5g - $120 | 7g - $220")
    assert [(t.quantity.value, t.price.amount, t.base) for t in r.tiers] == [
        (1.0, 40.0, True),
        (3.5, 120.0, False),
        (7.0, 220.0, False),
    ]
    assert (r.quantity.value, r.price.amount) == (1.0, 40.0)


def test_russian_ladder(extractor: Extractor) -> None:
    r = extractor.extract("Меф 1г - 2500р, 2г - 4500р, 5г - 10 000р")
    assert [(t.quantity.value, t.price.amount, t.price.currency) for t in r.tiers] == [
        (1.0, 2500.0, "RUB"),
        (2.0, 4500.0, "RUB"),
        (5.0, 10000.0, "RUB"),
    ]


def test_price_before_quantity(extractor: Extractor) -> None:
    r = extractor.extract("Cocaine $80 for 1g, $150 for 2g")
    assert [(t.quantity.value, t.price.amount) for t in r.tiers] == [(1.0, 80.0), (2.0, 150.0)]


def test_count_ladder_with_dose(extractor: Extractor) -> None:
    r = extractor.extract("Xanax 2mg: x10 - $30 / x20 - $55")
    assert (r.dose.value, r.dose.unit) == (2.0, "mg")
    assert [(t.quantity.value, t.quantity.unit, t.price.amount) for t in r.tiers] == [
        (10.0, "unit", 30.0),
        (20.0, "unit", 55.0),
    ]


def test_count_ladder_without_separators(extractor: Extractor) -> None:
    r = extractor.extract("Xanax 2mg x10 $25 x30 $60 x100 $150")
    assert [(t.quantity.value, t.price.amount) for t in r.tiers] == [(10.0, 25.0), (30.0, 60.0), (100.0, 150.0)]
    assert [(t.quantity.value, t.quantity.unit) for t in extractor.extract("25x 2C-B Nexus 20 mg").tiers] == [
        (25.0, "unit")
    ]


def test_doses_marked_only_with_counts_or_forms() -> None:
    qs = find_quantities("MDMA 500mg crystal")
    mark_doses(qs, "MDMA 500mg crystal")
    assert not qs[0].dose
    qs = find_quantities("MDMA pills 200mg")
    mark_doses(qs, "MDMA pills 200mg")
    assert qs[0].dose


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a weight with its bonus: the shop delivers (and its weight field shows) the sum
        ("Метадон 3+0,5гр", [(3.5, "g")]),
        ("Меф 2 + 0.5 г, клад", [(2.5, "g")]),
        ("Кокаин 2 g +0.1 g подарок", [(2.1, "g")]),
        ("LSD 220ug 10+1pc", [(220.0, "ug"), (11.0, "unit")]),
        ("Экстази 5+1 шт", [(6.0, "unit")]),
        # negatives: Latin units with no gift word are two amounts; a "bonus" larger than the weight is no bonus
        ("2g + 0.5g free", [(2.0, "g")]),  # the free half gram is no offer either (issue 14, dev 2026o)
        ("3.5g + 1g", [(3.5, "g"), (1.0, "g")]),
        ("1+5г", [(5.0, "g")]),
        ("1+5шт", [(5.0, "unit")]),
    ],
)
def test_bonus_is_added_to_the_amount(text: str, want: list[tuple[float, str]]) -> None:
    assert [(q.value, q.unit) for q in find_quantities(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("0,5г — 7 000 / 1г — 13 000 / 2г — 24 000", [(0.5, "g"), (1.0, "g"), (2.0, "g")]),  # one-line RU tiers
        ("0,5 гр - 4500 / 1 гр - 8000", [(0.5, "g"), (1.0, "g")]),
        ("1/2 oz", [(0.5, "oz")]),  # a fraction: small numerator, denominator from 2
        ("1 1/2g", [(1.5, "g")]),
        ("2/1г", []),  # no fraction over 1, and "2/" is not a weight
    ],
)
def test_slash_between_tiers_is_no_fraction(text: str, want: list[tuple[float, str]]) -> None:
    assert [(q.value, q.unit) for q in find_quantities(text)] == want


@pytest.mark.parametrize(
    ("text", "count"),
    [("Xanax 10 pills", 10.0), ("Меф 5 шт", 5.0), ("LSD 10x", 10.0), ("LSD x 25", 25.0), ("Экстази 3 х", 3.0),
     ("Carts 10-pack", 10.0), ("Oxy 20pk", 20.0)],
)  # fmt: skip
def test_count_hint_admits_each_count_form(text: str, count: float) -> None:
    assert _COUNT_HINT.search(text) and COUNT_RE.search(text)
    assert [(q.value, q.unit) for q in find_quantities(text) if q.kind == "count"] == [(count, "unit")]


@pytest.mark.parametrize("text", ["1 g - USD 12.34", "USD 12.34", "Cocaine 5g", "Меф 0,5 г — 1500", "Speed 2021"])
def test_count_hint_skips_texts_without_a_count(text: str) -> None:
    assert not _COUNT_HINT.search(text)
    assert not COUNT_RE.search(text)
    assert all(q.kind != "count" for q in find_quantities(text))


def test_count_hint_admits_a_spaced_count_list() -> None:
    text = "Xanax 2mg 10 / 30 / 100 pills"  # the list's counts (num5) need the hint on its last number only
    assert _COUNT_HINT.search(text)
    assert [q.value for q in find_quantities(text) if q.kind == "count"] == [10.0, 30.0, 100.0]
