"""English rules of issue 15 (dev split misses): pills by press name, PED brands and generic "steroids", meth by
its crystal words, brownies sold by the pack, micro-dosed gummies; each with the non-drug texts it must leave."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor


def canonicals(extractor: Extractor, text: str) -> list[str]:
    return [s.canonical for s in extractor.extract(text).substances if s.known]


@pytest.mark.parametrize(
    "text",
    [
        "5 Orange Kangaroo 220mg",  # a count opening the title
        "Blue Rocket 250mg+",  # the weight as a minimum, a colour
        "300 x Gold Bugatti 240+ MG",
        "Pink Panther 180 mgs",
        "Heavy press Rolex 280mg",
        "40 x Dominos 220+MG [bulk]",  # an ambiguous press alias, now with its weight read
    ],
)
def test_ecstasy_pill_by_press_name(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == ["mdma"]


@pytest.mark.parametrize(
    "text",
    [
        "30 Ciprofloxacin 250mg",  # a medicine's generic name
        "10 Trazodon hydrochlorid retard tabs 150 mg",  # a salt word
        "Orange Zest Mints - 160mg",  # an edible
        "Black Onyx Hemp Oil 300mg",
        "Absinth Gold 700 ml - Thujone 100 mg/ml",
        "Blue Kayak 250 cm",  # no milligrams
        "20 x Green Widgets",  # no dose at all
    ],
)
def test_a_dose_and_a_count_alone_are_not_ecstasy(extractor: Extractor, text: str) -> None:
    assert "mdma" not in canonicals(extractor, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10x Balkan Halotest 10mg Pills", ["fluoxymesterone"]),
        ("British Dragon Andropen 275 10ml vial [275mg/1ml]", ["testosterone"]),
        ("Primobol 100 10ml vial [100mg/1ml]", ["methenolone"]),
        ("Danabol - 100 tb/10 mg", ["methandienone"]),
        ("Sildigra Super Power - 4 Pills", ["sildenafil"]),
        ("Ladygra 100mg - 100x", ["sildenafil"]),
        ("Mix and Match Steroids", ["anabolic-steroid"]),
        ("ORAL steroids - your choice, 100 count", ["anabolic-steroid"]),
        ("Steroids Anavar 10mg x 100", ["oxandrolone"]),  # the generic word yields to the named drug
        ("Tren Acetate 100mg/ml 10ml - Ministry of Steroids", ["trenbolone"]),
        ("Nadrolone Decanoate 300MG/ML - 1 to 50 vials", ["nandrolone"]),  # a concentration is drug context
    ],
)
def test_performance_drugs(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vyvanse 50mg - like Adderall XR on steroids",
        "Danazol 200mg - 100 pills",  # no Danabol misspelt
        "Steroid cycle guide PDF",
    ],
)
def test_steroid_words_that_sell_no_steroid(extractor: Extractor, text: str) -> None:
    assert not {"anabolic-steroid", "methandienone"} & set(canonicals(extractor, text))


@pytest.mark.parametrize(
    "text",
    [
        "1/4 Oz. Shard (intro price)",
        "3.5 grams (8 ball) Fire shard",
        "500 mgs NEW TOP SHELF ICE",
        "8ball of 85% Pure Glass",
        "1 Gram PREMIUM SHABS",
    ],
)
def test_meth_by_its_crystal_words(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == ["methamphetamine"]


@pytest.mark.parametrize("text", ["Obsidian shard pendant necklace", "Shard - a desktop theme"])
def test_shard_without_an_amount_is_no_meth(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "6-Pack of Chocolate Fudge Brownies",
        "2x Single Chocolate Fudge Brownie",
        "SUPER STRONG BROWNIES 1 PIECE",
        "48 Assorted Edibles",
        "Space cake x 2",
    ],
)
def test_brownies_by_the_pack_are_cannabis(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == ["cannabis"]


@pytest.mark.parametrize("text", ["Chocolate Fudge Brownie recipe ebook", "Netflix cookies 10 pack", "Brownie"])
def test_brownie_words_alone_stay_clean(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5x 350ug Liquid Dosed Gummies", ["lsd"]),  # no cannabis edible is dosed in micrograms
        ("THC Gummies 10 x 25mg", ["cannabis"]),
    ],
)
def test_microdosed_gummies_are_lsd(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected
