"""Rules of issue 14 found on bench/corpus/en_dev2026i.jsonl (2023-style English market titles only) and on titles
probed beside it, each with cases it applies to and readings it must leave alone: a steroid's bare strength before a
vial volume or after an ester word ("Sust 250 10ml", "Masteron Prop 100 10ml"); frozen/static/ice sift; UK/Nordic
speed names; strains and PED brands; soft drinks, boosters, cushions, music, figures, paint, spam lists, ice cream,
car-wash foam, bee pollen and cheese are no drug."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names


def title(extractor: Extractor, text: str) -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=text, description="", price_text="",
                                     location=None, lang="en", currency="USD"))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.dose.value, x.dose.unit) if x.dose else None)  # fmt: skip


# ----------------------------------------------------------------------------- bare steroid strength
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Sustanon 300 10ml", (["testosterone"], (10.0, "ml"), (300.0, "mg"))),
        ("Boldenone 300 10ml", (["boldenone"], (10.0, "ml"), (300.0, "mg"))),
        ("Tren A 100 10ml", (["trenbolone"], (10.0, "ml"), (100.0, "mg"))),
        ("Deca 250 10 ml", (["nandrolone"], (10.0, "ml"), (250.0, "mg"))),
        ("Masteron Enanth 200 10ml", (["drostanolone"], (10.0, "ml"), (200.0, "mg"))),
        ("Primobolan Ace 100 | 10ml", (["methenolone"], (10.0, "ml"), (100.0, "mg"))),
    ],
)
def test_bare_strength_before_a_volume(extractor: Extractor, text: str, want: tuple) -> None:
    assert title(extractor, text) == want


def test_bare_strength_left_alone(extractor: Extractor) -> None:
    # a volume is no strength; a strength written with its unit stays as it was
    assert title(extractor, "Tren Ace 100mg/ml 10ml")[2] == (100.0, "mg")
    # a number that is no multiple of 5 is no strength
    assert title(extractor, "Sust 252 10ml")[2] is None
    # a name that carries its number ("RAD 140") keeps no dose from it
    assert title(extractor, "RAD 140 10ml")[2] is None


# ----------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("FROZEN SIFT 73u 5G", ["cannabis"]),
        ("Static sift 3.5g", ["cannabis"]),
        ("Ice sift 10g", ["cannabis"]),
        ("Gelonade 7g", ["cannabis"]),
        ("Pink Certz 14g", ["cannabis"]),
        ("Candy Fumez 3.5g", ["cannabis"]),
        ("Motorbreath 28g", ["cannabis"]),
        ("Platinum Cookies 7g", ["cannabis"]),
        ("Royal Cream 10g", ["cannabis"]),
        ("Full melt 1g", ["cannabis"]),
        ("Amphet 10g", ["amphetamine"]),
        ("Amfet 25g", ["amphetamine"]),
        ("Phet 10g", ["amphetamine"]),
        ("Pepp 50g", ["amphetamine"]),
        ("Pep 10g", ["amphetamine"]),
        ("Whizz 10g", ["amphetamine"]),
        ("Cokain 1g", ["cocaine"]),
        ("Oxa 10mg x 100", ["oxandrolone"]),
        ("Letro 2.5mg x 30", ["letrozole"]),
        ("Somatrope 100iu", ["somatropin"]),
        ("Fildena 100 x 10", ["sildenafil"]),
        ("Malegra 100mg x 10", ["sildenafil"]),
        ("Tadarise 20mg x 10", ["tadalafil"]),
    ],
)
def test_titles_read(extractor: Extractor, text: str, want: list) -> None:
    assert title(extractor, text)[0] == want


@pytest.mark.parametrize(
    "text",
    [
        # the new English-word slang needs drug context
        "Pep talk for the team",
        "Whizz kid t-shirt",
        "Royal cream tea set",
        # not drugs
        "Coke bottle 1.5L vintage",
        "Coke can vintage",
        "Diet Coke 24 cans",
        "Testosterone booster herbal - zinc & magnesium",
        "Test booster capsules x 90",
        "Kush cushion covers",
        "Ecstasy of Gold - MP3",
        "White Widow spider figure",
        "Green crack paint",
        "Viagra spam leads",
        "Cialis email list 10k",
        "Gelato ice cream 1L",
        "Snow foam 5L car wash",
        "Bee pollen 500g",
        "Cheese 1kg cheddar",
        "Cheddar cheese 1kg",
    ],
)
def test_titles_left_alone(extractor: Extractor, text: str) -> None:
    assert title(extractor, text)[0] == []


def test_drug_kept_beside_new_cues(extractor: Extractor) -> None:
    # a named drug with a mass outweighs a soft word; the phrases drop only their own match
    assert names(extractor, "Cocaine 1g - email for bulk") == ["cocaine"]
    assert names(extractor, "Coke 3.5g, not a coke bottle") == ["cocaine"]
    assert names(extractor, "Blue Cheese 28g") == ["cannabis"]
    assert names(extractor, "Pollen 50g") == ["cannabis"]


# ----------------------------------------------------------------------------- a sieve's micron grade
@pytest.mark.parametrize(("text", "want"), [("Bubble 90u 3.5g", ["cannabis"]), ("73-120u 5g", ["cannabis"]),
                                            ("Mesh 120µ filter 100g", []), ("Rosin filter bags 90u x 50", []),
                                            ("Screen 90u", []), ("Sieve 120 micron mesh 100g", [])])
def test_micron_grade(extractor: Extractor, text: str, want: list) -> None:
    # with a weight and no sieve or filter word, a 40-159 micron grade is hash sold by kind
    assert names(extractor, text) == want


def test_afghan_alone_stays_unread(extractor: Extractor) -> None:
    # "Afghan" names heroin as often as hash: with a weight alone it is no cannabis by kind
    assert names(extractor, "Afghan 10g") == []
