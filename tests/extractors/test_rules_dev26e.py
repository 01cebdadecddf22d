"""Rules of issue 14 found on bench/corpus/en_dev2026e.jsonl (English generalisation dev set), each with cases it
applies to and readings it must leave alone: a price per pound ("$1,100/lb" is an offer of 16 oz); "up to 28g" and
"max 1 oz" as limits, not offers; hash named by origin and colour ("Afghan black"); more cubensis strains; bath salts
sold for the bath and food seeds (sunflower, poppy for baking) as everyday goods, unwashed poppy seeds as opium;
plant food as a non-drug good; a bare "3.5" praised as flower; flower read over title and description together; a
title naming nothing beside a non-drug description keeps no amount."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Quantity
from onionwatch.extractors.tiers import unit_quantity, units_of
from tests.extractors.rule_cases import names, qp


def listing(extractor: Extractor, title: str, description: str) -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     lang="en", currency="USD"))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


# ----------------------------------------------------------------------------- prices per pound
def test_pound_units() -> None:
    assert unit_quantity("lb") == Quantity(16.0, "oz")
    assert unit_quantity("g") == Quantity(1.0, "g")
    assert units_of(Quantity(32.0, "oz"), "lb") == 2.0
    assert units_of(Quantity(3.5, "g"), "g") == 3.5
    assert units_of(Quantity(28.0, "g"), "lb") is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Greenhouse mix\nAssorted flower, $950/lb", ((16.0, "oz"), (950.0, "USD"))),
        ("Sour Diesel\nBulk, $1,400 per lb", ((16.0, "oz"), (1400.0, "USD"))),
        ("Indoor flower 3 lbs\n$1300/lb", ((48.0, "oz"), (3900.0, "USD"))),
        # other units unchanged
        ("Kush\n$220/oz", ((1.0, "oz"), (220.0, "USD"))),
        ("Cocaine\n$80/g", ((1.0, "g"), (80.0, "USD"))),
    ],
)
def test_price_per_pound(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


# ----------------------------------------------------------------------------- limits
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("MDMA crystal\n$40/g, up to 50g", ((1.0, "g"), (40.0, "USD"))),
        ("Ketamine\n$30/g, max 100g per order", ((1.0, "g"), (30.0, "USD"))),
        ("Meth shards\n$60/g, maximum order: 1 oz", ((1.0, "g"), (60.0, "USD"))),
        # an offer is still read beside a limit, and a count after "max" stays
        ("Ketamine 5g\n$100, up to 100g available", ((5.0, "g"), (100.0, "USD"))),
        ("Cocaine 3.5g\n$250", ((3.5, "g"), (250.0, "USD"))),
    ],
)
def test_limit_is_no_offer(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


# ----------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Black Afghan 5g\nSoft, spicy", ["cannabis"]),
        ("Bombay black 25g\nPressed", ["cannabis"]),
        ("Treasure Coast 14g\nDried caps", ["psilocybin"]),
        ("28g Jack Frost AAA Greenhouse", ["cannabis"]),  # a cannabis strain too: not read as a mushroom
        ("McKennaii 1oz\nCracker dry", ["psilocybin"]),
        ("Pink Buffalo 7g", ["psilocybin"]),
        ("Unwashed poppy seeds 2kg\nFor tea", ["opium"]),
        # an English phrase that is a strain needs a weight
        ("Tidal wave surf poster\n$10", []),
        ("Enigma machine replica\n$40", []),
    ],
)
def test_new_names(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Epsom bath salts 2kg\nUnscented, $12", []),
        ("Bath salts 500g\nLavender and eucalyptus, $9", []),
        ("Pumpkin seeds 1kg\nRoasted, $15", []),
        ("Poppy seeds 500g\nBlue, baking grade", []),
        ("Chia seeds 1kg\nOrganic", []),
        ("Liquid fertilizer 5L\nFor flowering plants", []),
        ("Hydroponic nutrients A+B 1L\nGrow and bloom", []),
        # the drug is still read
        ("Bath salts 1g\nMDPV crystals, $40", ["cathinone", "mdpv"]),
        ("Feminized seeds x 5\nGorilla Glue auto", ["cannabis"]),
        ("OG Kush 28g\nOrganic nutrients, $200", ["cannabis"]),
    ],
)
def test_everyday_goods(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    ["Epsom bath salts 2kg\nUnscented, $12", "Pumpkin seeds 1kg\nRoasted, $15", "Liquid fertilizer 5L\n$20"],
)
def test_everyday_goods_keep_no_amount(extractor: Extractor, text: str) -> None:
    assert qp(extractor, text)[0] is None


# ----------------------------------------------------------------------------- flower by praise
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Purple Certz 3.5\nLoud and frosty, $45", ["cannabis"]),
        ("Zoap 3.5 - gassy exotic\n$50", ["cannabis"]),
        # no praise, another number, or cured meat: nothing
        ("Python 3.5 - book\n$10", []),
        ("Laptop 14\nLoud fan, $200", []),
        ("Beef jerky 1 lb\nCured and smoked", []),
    ],
)
def test_bare_eighth_praised(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # the amount in the title, the praise in the description
        ("Purple Certz 3.5", "Loud and frosty, $45", (["cannabis"], (3.5, "g"), (45.0, "USD"))),
        ("Candy Fumez 1/4", "Exotic indoor, $90", (["cannabis"], (0.25, "oz"), (90.0, "USD"))),
        # a non-drug description keeps a title that names nothing free of an amount
        ("Hemp seed oil 250ml", "Cold pressed, THC free. $9", ([], None, (9.0, "USD"))),
        # no substance and no drug class from the model: no drug amount either (dev 2026h, test_rules_dev26h.py)
        ("Almond oil 500ml", "Cold pressed, $9", ([], None, (9.0, "USD"))),
    ],
)
def test_listing_title_and_description(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert listing(extractor, title, description) == want


# ----------------------------------------------------------------------------- probed by hand (2023-era phrasings)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Enclomiphene 25mg x 30\nFor TRT, $50", ["clomiphene"]),
        ("Enclo 12.5mg caps x 60\n$70", ["clomiphene"]),
        # goods named after a drug or strain
        ("Molly dolls x 2\nHandmade, $15", []),
        ("Breaking bad crystal meth documentary\n$5", []),
        ("White Widow spider plush\n$12", []),
        ("Gorilla Glue super glue 20g\n$5", []),
        ("Mushroom substrate 5lb\nSterilized, $30", []),
        ("Reishi 500g\nDried slices, $20", []),
        # the strain and the drug stay
        ("Gorilla Glue #4 28g\n$200", ["cannabis"]),
        ("Molly 1g\nChampagne crystals, $40", ["mdma"]),
    ],
)
def test_probed_names(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want
