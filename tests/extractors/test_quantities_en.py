"""English quantity rules of issue 15: "mgs", a press weight written "220+MG", a concentration (mg/ml) that is
never the amount sold (its milligrams are the dose, issue 14: the labelled corpora record "Test E 250mg/ml 10ml" as
10 ml of 250 mg), and the 8-ball; each with the readings it must not change."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.test_quantities import qd


@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("500 mgs top shelf ice", (500.0, "mg"), None),
        ("10 Pressed Oxycodone 30MGs", (10.0, "unit"), (30.0, "mg")),
        ("1000 x Dominos 220+MG [Bulk]", (1000.0, "unit"), (220.0, "mg")),
        ("10 Orange Owls 240+ MG", (10.0, "unit"), (240.0, "mg")),
        ("Testosterone Enanthate 250mg/ml 10ml", (10.0, "ml"), (250.0, "mg")),
        ("Deca Durabolin 100mg/1ml x 5 amps", (5.0, "unit"), (100.0, "mg")),
        ("Masteron Propionate 100mg - 10ml", (10.0, "ml"), (100.0, "mg")),
        ("PRIMOBOLAN 100mg/ml ,10ml", (10.0, "ml"), (100.0, "mg")),  # the comma separates; no 0.10 ml
        ("Ketamine HCL 50mg/ml, 10ml Injection", (10.0, "ml"), (50.0, "mg")),
        ("DioTest-C 300mg/ml", None, (300.0, "mg")),  # a strength alone: no amount
        ("8ball of 85% pure glass", (3.5, "g"), None),
        ("Meth 8-ball", (3.5, "g"), None),
    ],
)
def test_english_quantities(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)


@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("8 Ball Kush - 15 seeds feminized", (15.0, "unit"), None),  # a strain, no 3.5 g
        ("Ketamine 500mg", (500.0, "mg"), None),  # milligrams with no volume stay the amount
        ("2+1 free MDMA 1g", (1.0, "g"), None),  # a "+" before grams is no press weight
        ("Liquid LSD 10ml 100ug", (10.0, "ml"), (100.0, "ug")),
        ("MDMA 250mg x 10", (10.0, "unit"), (250.0, "mg")),
    ],
)
def test_english_quantities_left_alone(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)


def test_concentration_is_a_dose_mention() -> None:
    got = [(q.value, q.unit, q.dose) for q in find_quantities("Sustanon 250mg/ml 10ml")]
    assert got == [(250.0, "mg", True), (10.0, "ml", False)]


@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("xanax bars 2mg 500 count", (500.0, "unit"), (2.0, "mg")),
        ("G3722 2mg Xanax - 50ct", (50.0, "unit"), (2.0, "mg")),
        ("Tramadol 50mg 100 pack", (100.0, "unit"), (50.0, "mg")),
        ("10-PACK: Dilaudid 8mg", (10.0, "unit"), (8.0, "mg")),
        ("Generic Viagra 100mg - 10pk", (10.0, "unit"), (100.0, "mg")),
        ("Weed 7 gramos 50€", (7.0, "g"), None),
    ],
)
def test_counts_by_count_ct_and_pack(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Level 1 PK (Purple Kush) 14g", (14.0, "g")),  # PK: a strain's initials, no pack
        ("Six pack abs workout plan", None),
        ("Backpack, waterproof, black", None),
    ],
)
def test_pack_words_that_are_no_count(extractor: Extractor, text: str, quantity: object) -> None:
    assert qd(extractor, text)[0] == quantity


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Blue Dream 1/8", (0.125, "oz")),  # a bare 1/8 closing the title: an eighth
        ("Cocaine 1/8 of fishscale", (0.125, "oz")),
        ("Drill bit 1/8 inch", None),
        ("Pizza cut 1/8, 11/8", None),
    ],
)
def test_bare_eighth(extractor: Extractor, text: str, quantity: object) -> None:
    assert qd(extractor, text)[0] == quantity


@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("Kamagra Oral Jelly 100mg - 7 sachets", (7.0, "unit"), (100.0, "mg")),  # issue 14, en_dev2026
        ("THC edibles - 10 gummies 25mg each", (10.0, "unit"), (25.0, "mg")),
        ("Sour gummy worms 1 gummy 100mg THC", (1.0, "unit"), (100.0, "mg")),
    ],
)
def test_sachets_and_gummies_are_counted(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)
