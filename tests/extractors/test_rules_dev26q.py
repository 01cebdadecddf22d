"""Rules of issue 14 found on bench/corpus/en_dev2026q.jsonl (strains, brands, imprints and house names of 2023–2025
markets, non-drug look-alikes) and on the seen probe en_dev2026p2.jsonl: a CBD product's own "(no THC)", brand and
strain names, a bar weighed in grams, ambiguous title slang beside a named drug, description slang beside a title
weight, perfumes, keyrings, handles and tees, counts in brackets and per container, reagent colours of two reagents,
stash-can shipping. Each group keeps the offers or look-alikes written with the same words. Phrases written for
these tests."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names, qp


def listing(extractor: Extractor, title: str, description: str) -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     price_text=None, location=None, lang="en", currency="USD"))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a CBD product says it has no THC: still CBD (a drug listing in the dev corpora)
        ("CBD oil 20ml 10% (no THC)\nFull spectrum. €35", ["cbd"]),
        ("CBD isolate 2g (without THC) $30", ["cbd"]),
        # brands and strains sold by name alone
        ("Polkadot bars x 5\n4g each, $28 a bar", ["psilocybin"]),
        ("Wonky bars 3.5g x 2, $60", ["psilocybin"]),
        ("Cake bars 3g — 10 pack, £170", ["cannabis"]),
        ("Packman 1g dispo, $25", ["cannabis"]),
        ("Grape Gasoline 7g, $70", ["cannabis"]),
        ("Cheetah Piss — zip, $240", ["cannabis"]),
        ("Xanaxx 2mg x 20, $50", ["alprazolam"]),
        ("Zopi 7.5mg x 14, £12", ["zopiclone"]),
        ("Sub strips 8mg x 14, $150", ["buprenorphine"]),
        ("Suboxone film 8mg x 7, $80", ["buprenorphine"]),
        # two reagents' result and a stash can named as the shipping way are part of the drug offer
        ("MDMA 3g - Marquis + Mecke positive, $90", ["mdma"]),
        ("Ket 2g - stash can shipping, $60", ["ketamine"]),
        # the same words in offers the rules must keep
        ("Xanax bars 2mg x 30, $75", ["alprazolam"]),
        ("Crystal meth 7g, not a healing crystal, $150", ["methamphetamine"]),
    ],
)
def test_drug_offer_is_read(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "Hemp lotion 100ml (no THC)",
        "Dab pen kit (no THC)",
        "Snow Queen perfume 100ml, eau de parfum",
        "Opium cologne spray 50ml",
        "Weed leaf keyring, resin",
        "Cocaine bear keychain",
        "Crystal pendant quartz 15g",
        "Molly — handle for sale, rare username",
        "Blow tee, size L",
        "Milk chocolate bar 100g",
        "Dark chocolate bars 2 x 90g",
        "Packman arcade game, retro console",
        "Simon's reagent 10ml - MDMA checker",
        "Ice maker machine, bullet ice 10kg/day",
        "Lion's mane extract powder 50g",
    ],
)
def test_look_alike_sells_no_drug(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # ambiguous title slang beside a description that names the drug: the name wins
        ("Roche 10 blues x 30", "Diazepam 10mg, £25", (["diazepam"], (30.0, "unit"))),
        # a house name with a weight in the title, the drug only in the description's slang
        ("Snowy Owl 2g", "Our house coke, $160", (["cocaine"], (2.0, "g"))),
        ("Grey Goose 3.5g", "Clean tina, $70", (["methamphetamine"], (3.5, "g"))),
        # a bar weighed in grams is a chocolate: the brand is the drug
        ("Wonky Bar 3.5g", "Mushroom chocolate, $35", (["psilocybin"], (3.5, "g"))),
    ],
)
def test_listing_title_and_description(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert listing(extractor, title, description) == want


def test_slang_in_a_description_without_a_weight_stays_unread(extractor: Extractor) -> None:
    # no amount anywhere: the description's ambiguous slang ("snow") is no offer
    assert listing(extractor, "Winter boots", "Warm in the snow, $40") == ([], None)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Pregabalin 150mg caps (84), £40", (84.0, "unit")),
        ("Modafinil 200mg tablets (30), $45", (30.0, "unit")),
        ("THC gummies — 25mg each, 20 per jar, $40", (20.0, "unit")),
        ("Space cookies, 6 per bag, 50mg each. €30", (6.0, "unit")),
        # a weight is not a count in brackets
        ("Cocaine 1g (90%), $80", (1.0, "g")),
    ],
)
def test_counts_in_brackets_and_per_container(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text)[0] == want
