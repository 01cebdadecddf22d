"""Rules of issue 14 found on the AlphaBay/Agora DEV split misses (bench/results/2026-12-06-real-dev-misses.md), each
with cases it applies to and readings it must leave alone; the phrases are written here, not copied from the data:
a sweet called an edible or graded as medical is a cannabis edible; "concentrate" is cannabis context for vape and wax
words; "Mary Jane" is cannabis slang with context; "mushroom" (singular) is psilocybin with context, culinary and
medicinal mushrooms are not; a joint rolled with tobacco is still a joint; a crystal beside an unnamed research code
is that code's form, not crystal meth; MPHP, S-ISO and Malegra are named; a street amount the quantity parser leaves ("3.5Gs", "grams of", "1 point",
"1 .OZ", a title opening with ".5") is drug context for English slang; a 100-400 mg count that is an injectable,
a sustained-release tablet or an antihistamine is no ecstasy pill; a per-hour microgram rate is a patch's, no LSD."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # edibles named as such, or graded the way flower is
        ("Dark Chocolate Edible Candy Squares", ["cannabis"]),
        ("Sour Gummy Worms - EDIBLES", ["cannabis"]),
        ("Peppermint Hard Candy Edibles, assorted", ["cannabis"]),
        ("Salted Caramel Chews - Medical Grade", ["cannabis"]),
        # "concentrate" beside a vape or wax word
        ("Live batch carts, pure concentrate - 5 pack", ["cannabis"]),
        ("Honey wax concentrate - best in town", ["cannabis"]),
        # Mary Jane with a dose or a weight
        ("Mary Jane Honey Drops 100mg", ["cannabis"]),
        ("Mary Jane Body Balm 30ml", ["cannabis"]),
        # a mushroom with an amount
        ("Mushroom powder 1/4 lb, mixed cubensis", ["psilocybin"]),
        ("Dried mushroom caps 14g", ["psilocybin"]),
        # a joint rolled with tobacco
        ("2 x Rolled Joint - Lemon Haze weed + Amber Leaf tobacco", ["cannabis"]),
        # a crystal named by its code
        ("25g MPHP crystal", ["4-mphp"]),
        # ketamine by its isomer, sildenafil by a brand
        ("5g S-ISO ketamine 90%", ["ketamine"]),
        ("3.5g S-Iso shards", ["ketamine"]),
        ("Malegra 100mg x 20 pills", ["sildenafil"]),
        # slang with a street amount the quantity parser leaves
        ("7Gs of hard crack", ["cocaine"]),
        ("Two grams of ice, uncut", ["methamphetamine"]),
        ("2 points ice - sample", ["methamphetamine"]),
        ("1/4 .OZ shards", ["methamphetamine"]),
        (".5 rocket fuel speed", ["amphetamine"]),
        # still read as before
        ("50x Green Heineken 220MG", ["mdma"]),
        ("Twins 150ug - 100 hits", ["lsd"]),
        ("Fentanyl patch 50mcg/h x 5", ["fentanyl"]),
        ("Crystal meth 3.5g", ["methamphetamine"]),
        ("7g Shards, glass quality", ["methamphetamine"]),
        ("Chocolate bar 500mg", ["cannabis"]),
        ("Magic mushroom chocolate bars, 3g each bar", ["psilocybin"]),
        ("Herbal blend 3g (5F-UR-144)", ["xlr-11"]),
        ("Testosterone blend 250mg/ml, 10ml vial", ["testosterone"]),
    ],
)
def test_named_from_real_dev(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        # sweets that are not cannabis, and edible goods that are no sweets
        "Edible glitter for cakes - gold 10g",
        "Edible cake toppers, printed, x12",
        "Rolex Oyster Chocolate Dial [AAA+] replica",
        "Milk chocolate bar 100g",
        "Orange juice concentrate 1L",
        # Mary Jane and mushrooms that are no drug
        "Mary Jane shoes, black, size 38",
        "Lion's mane mushroom powder 100g",
        "Reishi mushroom extract 60 capsules",
        "Mushroom lamp, USB",
        "Oyster mushroom grow bags x3",
        # tobacco sold as tobacco
        "Rolling tobacco 50g pouch",
        # a crystal beside an unnamed research code: the code's form, not meth
        "10g BK-XYZ crystal",
        # counted 100-400 mg medicines and injectables: no ecstasy pill
        "Tramol SR 100mg - 60x",
        "Ibuprofen 400mg 30 tabs",  # (fexofenadine is named since 2026-12-07: test_rules_rx.py)
        "Stack blend 200mg, 10ml vial",
        "Sustain blend 250mg/ml, 5 amps",
        # a street amount with no slang beside it, or a price
        ".99 cent deal - fast speed hosting",
        "Software suite + crack, lifetime key",
        "200 points of reward, speed up your delivery",
        # a patch's rate with no name: no LSD
        "Transdermal patch 100mcg/h x 5",
    ],
)
def test_left_alone_from_real_dev(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []
