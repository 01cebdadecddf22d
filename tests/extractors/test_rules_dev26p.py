"""Rules of issue 14 found on bench/corpus/en_dev2026p.jsonl (non-drug look-alikes; extractors/data/non_drug.yaml,
substances.py), each with the drug offer written with the same words that it must leave alone: named reagents and
testers, bar dies and molds for a product, gummy molds and ice-cube trays, empty tins and carts, extraction bags,
courses and workbooks, films, meme-coin tokens, dresses and hats, nicotine e-liquid, a pen without concentrate,
supplements, coco coir; and a test strip, scale, pipe, guide or gift-card payment given with a
drug, a reagent's colour, a cut or adulterant said to be absent. Phrases written for these tests."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    "text",
    [
        # named reagents and testers
        "Froehde reagent 10ml, tells opiates apart. $20",
        "Mandelin reagent dropper - ketamine tester 5ml",
        "Hofmann reagent bottle, LSD checker, 10ml",
        # a die or a mold for a product, gummy molds, ice-cube trays
        "Oxy 80 punch die set, fits TDP-5",
        "Mold for 1mg bars, aluminium",
        "Gummy bear molds 100mg cavities x 6",
        "Ice cube tray, 24 cubes, silicone",
        # empty packaging and hardware
        "Runtz cali tins 3.5g x 50 (empty)",
        "Empty dab carts 0.5ml x 200",
        "Bubble hash bags 1 gallon x 4",
        "Extraction bags 20 gallon, 8 pcs",
        "Vape pen 1ml (no oil)",
        # courses, workbooks, films, tokens
        "Meth recovery workbook, printable",
        "Opioid overdose training course for staff",
        "Cocaine Bear 4K film download",
        "Heroin (HRN) token, 50,000 tokens airdrop",
        "Meme coin KETAMINE 1M supply",
        # clothing
        "Molly maxi dress size 10",
        "Psilocybin mushroom embroidered beanie",
        # nicotine vapes and e-liquids, supplements
        "Nicotine salts 20mg/ml 10ml x 5, ice flavour",
        "L-theanine 250mg x 60 capsules",
        "Lion's mane capsules 90 x 500mg, mushroom supplement",
        "Coco coir brick 5kg, buffered coir",
    ],
)
def test_look_alike_sells_no_drug(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a test strip, a scale, a pipe, a guide or a payment way beside the drug on offer
        ("Molly 7g, free fentanyl test strip included", ["mdma"]),
        ("Ket 2g + free reagent test kit", ["ketamine"]),
        ("Fent 0.5g, use test strips before you dose", ["fentanyl"]),
        ("Coke 7g, pocket scale 0.01g free with 7 grams", ["cocaine"]),
        ("Crystal meth 2g, free glass pipe + test strip", ["methamphetamine"]),
        ("Ice 1g, glass\nFree pipe with every order", ["methamphetamine"]),
        ("Shrooms 14g + free grow guide PDF", ["psilocybin"]),
        ("Ayahuasca DMT 0.5g, PDF guide included", ["dmt"]),
        ("Hash 5g, gift cards accepted as payment", ["cannabis"]),
        ("Weed 7g, pay with an Amazon gift card", ["cannabis"]),
        # a reagent's colour is the test result of an offer
        ("Amphetamine paste 20g - Marquis orange", ["amphetamine"]),
        ("MDMA 5g, Marquis: purple to black", ["mdma"]),
        # a cut or adulterant said to be absent is not offered
        ("Heroin 2g, xylazine free, no tranq", ["heroin"]),
        ("Alprazolam bars 2mg x 20, bromazolam-free", ["alprazolam"]),
        ("Dope 1g, tested with fent strips: negative", ["heroin"]),
        # a drug shipped in a stash can or filled by a capsule machine
        ("Cocaine 2g, ships in a stash can", ["cocaine"]),
        ("Shroom caps 20 x 150mg, capsule machine filled", ["psilocybin"]),
        # the rules above leave these drug offers alone
        ("Dab pen with 1g live resin concentrate", ["cannabis"]),
        ("Nicotine-free THC vape 1ml", ["cannabis"]),
        ("Bubble bag hash 10g, from Trainwreck", ["cannabis"]),
        ("Fent-pressed blues x 100, fentanyl FREE SHIPPING", ["fentanyl"]),
    ],
)
def test_drug_offer_with_the_same_words(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Valium 10mg x 50, pressed on our own die", ["diazepam"]),
        ("MDMA 10g | Dried and tested, guide PDF free", ["mdma"]),
        ("Weed 1 lb, shipped in vacuum sealer bags", ["cannabis"]),
        ("N2O 1kg bottle, whipped cream charger gas", ["nitrous-oxide"]),
    ],
)
def test_drug_offer_packing_and_extras(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text", ["Vacuum sealer bags 1 lb size x 50", "Whipped cream chargers x 50, for cakes", "Pill die set, M box style"]
)
def test_packing_goods_alone_stay_non_drug(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


def test_strength_of_no_drug_is_dropped_in_listing_mode(extractor: Extractor) -> None:
    raw = RawListing(market="m", listing_id="1", url="", title="Zinc glycinate 50mg x 120", description="Immune support. $9",
                     price_text="", location=None, lang="en", currency="USD")  # fmt: skip
    got = extractor.listings([raw])[0]
    assert (got.substances, got.quantity, got.dose) == ([], None, None)
    drug = RawListing(market="m", listing_id="2", url="", title="Valium 10mg x 30", description="$45", price_text="",
                      location=None, lang="en", currency="USD")  # fmt: skip
    got = extractor.listings([drug])[0]
    assert got.dose is not None and got.dose.value == 10.0


@pytest.mark.parametrize("text", ["Almost free ebook - MDMA: the history", "Grow your own marijuana, 750+ pages guide",
                                  "Weed grams plus small packed pipe or chillum"])
def test_a_guide_or_pipe_for_sale_stays_non_drug(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


def test_a_guide_after_a_plus_stays_a_guide(extractor: Extractor) -> None:
    # only a free extra, a PDF guide or test strips after "+" are given with a drug; "PGP + OPSEC guide" is for sale
    assert extractor.extract("PGP + OPSEC guide for vendors\nHow to move 1kg unseen. $40").quantity is None
