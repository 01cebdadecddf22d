"""Rules of issue 14 found on bench/corpus/en_dev2026d.jsonl (English generalisation dev set), each with cases it
applies to and readings it must leave alone: cubensis strains by name, "fetty", "N-desethyl iso"; hemp foods sold
"THC & CBD free"; a family or group word ("flakka", "research chemical") beside a named substance; "X style"; a
title's guess beside a description that names the drug; flower named only by praise words beside a street size, an
ounce written "O"; "7g minimum", "pressies", "250 x 10 amps", "pen 1mg"; a description's mg/ml strength; slang right
before a bare street weight; limits ("up to $5000") and face values that are no price."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names, qp


def listing(extractor: Extractor, title: str, description: str) -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     lang="en", currency="USD"))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.dose.value, x.dose.unit) if x.dose else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


# ----------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Blue Meanies 14g\nDried, potent", ["psilocybin"]),
        ("Mazatapec - 1 oz\nMexican cubes", ["psilocybin"]),
        ("Jedi Mind Fuck dried 28g", ["psilocybin"]),
        ("Fetty powder 0.5g\nHandle with care", ["fentanyl"]),
        ("Desethyl iso 100mg\nNitazene", ["n-desethyl-isotonitazene"]),
        ("Iso 250mg\nNitazene powder", ["isotonitazene"]),  # iso alone stays isotonitazene
    ],
)
def test_new_names(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Hemp hearts 500g\nTHC and CBD free, raw", []),
        ("Hemp protein powder 1kg\nFree of THC, organic", []),
        ("Hemp flour 1kg\nCBD/THC free, gluten free", []),
        ("Hemp lotion 200ml\nContains no THC", []),
        # a THC content stays cannabis
        ("60% THC & 30% CBD oil 10ml", ["cannabis", "cbd"]),
        ("Clear distillate 1g 90% THC", ["cannabis"]),
    ],
)
def test_thc_free_goods(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("a-PHP 5g\nFlakka, shards", ["alpha-php"]),
        ("Alpha-PiHP 2g - flakka rocks", ["alpha-phip"]),
        ("Flakka 1g\nGravel crystals", ["alpha-pvp"]),  # alone, flakka is α-PVP
        ("Protonitazene 1g\nResearch chemical, lab tested", ["protonitazene"]),
        ("Clonazolam pellets 0.5mg x 20\nLegal high, not for humans", ["clonazolam"]),
        ("4-MMC 5g\nCocaine style euphoria", ["mephedrone"]),
        ("2C-B 20mg x 5\nPink cocaine-style pills", ["2c-b"]),
        ("Pink cocaine 1g\nTusi, strong", ["tusi"]),  # not compared: the product itself
    ],
)
def test_family_group_and_compared_words(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


def test_title_guess_gives_way_to_description_name(extractor: Extractor) -> None:
    # the title reads as an ecstasy press by its weight; the description names the drug
    assert listing(extractor, "Microdose capsules 150mg x 20", "Psilocybin mushroom powder, $40")[0] == ["psilocybin"]
    # a title guess with nothing named below stays
    assert listing(extractor, "Green Hulk 220mg x 10", "Strong, $50")[0] == ["mdma"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Ice Cream Runtz 1/4\nExotic, frosty buds. $70", ["cannabis"]),
        ("Lemon Cherry by the O\n$240", ["cannabis"]),
        ("Purple Octane 1/8\nGassy, loud. $40", ["cannabis"]),
        ("Exotic car parts 1/4 pint\n$20", []),
        ("Exotic fish tank 1/4 inch glass\n$90", []),
    ],
)
def test_flower_by_praise_and_street_size(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Yayo 1.5\nUncut, $120", ["cocaine"]),
        ("Colombian charlie 3.5\nFishscale rocks", ["cocaine"]),
        ("Snow globe 2.5\nGlass, $10", []),
        ("Glass pipe 2.5 inch\n$15", []),
    ],
)
def test_slang_before_bare_street_weight(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- quantities and prices
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Runtz 1/4\n$75", ((0.25, "oz"), (75.0, "USD"))),
        ("Cookies by the O\nOne O $220, two O's $420", ((1.0, "oz"), (220.0, "USD"))),
        ("Hash priced per gram\n$9/g, 10g minimum", ((1.0, "g"), (9.0, "USD"))),
        ("Cocaine per gram\n$80/g, 3g min.", ((1.0, "g"), (80.0, "USD"))),
        ("500 pressies - Red Bull 200mg\n$900", ((500.0, "unit"), (900.0, "USD"))),
        ("Deca 300 x 10 amps\n$90", ((10.0, "unit"), (90.0, "USD"))),
        ("Wegovy pen 2.4mg\n$250", ((1.0, "unit"), (250.0, "USD"))),
        ("THC chocolate bar 300mg\n$25", ((1.0, "unit"), (25.0, "USD"))),
        ("Xanax bars 2mg x 50\n$90", ((50.0, "unit"), (90.0, "USD"))),  # a count stays the count
        ("Xanax bars 2mg 100 pcs\n$150", ((100.0, "unit"), (150.0, "USD"))),
    ],
)
def test_quantities(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


def test_description_concentration_is_the_dose(extractor: Extractor) -> None:
    assert listing(extractor, "LGD-4033 liquid 30ml", "10mg/ml, $45") == (
        ["ligandrol"], (30.0, "ml"), (10.0, "mg"), (45.0, "USD"))
    assert listing(extractor, "GBL 250ml", "Pure, $60")[2] is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Refund method\nWorks on orders up to $2000. $40", (40.0, "USD")),
        ("Carding tutorial\nCash out cards worth $500. $25", (25.0, "USD")),
        ("Counterfeit $50 bills x 20\nUV passes, $1,000 face. $280", (280.0, "USD")),
        ("Counterfeit 20 EUR notes\n50 notes, 1000 face value. $230", (230.0, "USD")),
        ("Cocaine 1g\n$80, bulk discounts up to $10", (80.0, "USD")),
    ],
)
def test_limits_and_face_values_are_no_price(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text)[1] == want


# ----------------------------------------------------------------------------- the real sets' dev misses
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("3x ROLEX - 200/220MG - HIGH DOSAGE XTC PILLS", ["mdma"]),  # a strength range: an amount, so "dosage" is no book
        ("OC 80 green, 10 pills", ["oxycodone"]),
        ("1x OC 40 - formula 2", ["oxycodone"]),
        ("14g homegrown - FE listing", ["cannabis"]),
        ("Homegrow 7g outdoor", ["cannabis"]),
        ("4-pack of peanut butter cookies", ["cannabis"]),
        ("12 pack chocolate fudge", ["cannabis"]),
        ("Browser cookies 10 pack, fresh logs", []),
        ("Dosage calculator ebook", []),
        ("Homegrown vegetables seeds kit", []),
    ],
)
def test_real_set_misses(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


def test_strength_range_is_the_dose(extractor: Extractor) -> None:
    x = extractor.extract("10x Blue Punisher 220/250mg")
    assert x.quantity is not None and (x.quantity.value, x.quantity.unit) == (10.0, "unit")
    assert x.dose is not None and (x.dose.value, x.dose.unit) == (220.0, "mg")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Glass - 1 ball\n$70", ((3.5, "g"), (70.0, "USD"))),
        ("Crystal a ball of shards\n$65", ((3.5, "g"), (65.0, "USD"))),
        ("Oxycodone 30mg\n5 for $120", ((5.0, "unit"), (120.0, "USD"))),
        ("Valium 10mg\n20 for 40$", ((20.0, "unit"), (40.0, "USD"))),
        # a per-unit price written first stays the base offer; a weight stays the amount
        ("Oxycodone 30mg\n$25 each, 10 for $220", ((1.0, "unit"), (25.0, "USD"))),
        ("Cocaine 1g\n2 for $150", ((1.0, "g"), (150.0, "USD"))),
    ],
)
def test_ball_and_n_for_price(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Mushroom gummies 2g x 10\nPsilocybe, $50", ["psilocybin"]),
        ("Shroom bars 3.5g\n$35", ["psilocybin"]),
        ("THC gummies 10mg x 20\n$30", ["cannabis"]),
    ],
)
def test_mushroom_edibles(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Za 3.5\nExotic gas, $45", ["cannabis"]),  # a bare weight leaves the cannabis words their say
        ("Wock 4oz\n$120", ["codeine"]),
        ("Tris 8oz - purple\n$150", ["codeine"]),
        ("Dihydrocodeine 30mg x 10\nmade by Wockhardt", ["dihydrocodeine"]),  # the maker, beside a named drug
        ("Wockhardt company history ebook", []),
    ],
)
def test_bare_weight_context_and_syrup_slang(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Mushroom substrate 5 lbs\nSterile rye grain", []),
        ("Coco coir 10 lbs\nFor monotubs", []),
        ("Blotter art paper 100 tabs\nBlank, nothing on it", []),
        ("Cocaine Bear DVD\nSealed", []),
        ("LSD 100ug x 10\nHofmann blotter art", ["lsd"]),
        ("Ice 3.5g\nClear shards, rock candy look", ["methamphetamine"]),
        ("Gelato 5 lbs\nIndoor, $5000", ["cannabis"]),
    ],
)
def test_grow_supplies_films_blank_paper(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Tirz 10mg vial\n$90", ["tirzepatide"]),
        ("Sema 5mg\nGLP-1, $80", ["semaglutide"]),
        ("Reta 20mg vial\n$180", ["retatrutide"]),
        ("CJC no DAC 2mg\n$30", ["cjc-1295"]),
        ("GHK-Cu 50mg vial\n$40", ["ghk-cu"]),
        ("Kisspeptin-10 10mg\n$45", ["kisspeptin"]),
        ("Epithalon 10mg\n$30", ["epitalon"]),
        ("Sema the dog - plush toy\n$20", []),
        ("IPA 99% 1L\nIsopropyl alcohol, $10", []),
    ],
)
def test_peptide_shorthands(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


def test_monkey_dust(extractor: Extractor) -> None:
    assert names(extractor, "Monkey dust 1g\nUK, $20") == ["mdpv"]
