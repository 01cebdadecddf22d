"""Rules of issue 14's third round on the AlphaBay/Agora DEV split misses
(bench/results/2026-12-07-real-dev-misses-3.md), each with cases it applies to and readings it must leave alone; the
phrases are written here, not copied from the data: CNS medicines sold under "Prescription" (mirtazapine, trazodone,
venlafaxine, moclobemide, selegiline, aripiprazole, lamotrigine, tizanidine, ondansetron) are named, naloxone is
not; 4-AcO-MCPT, DMBA (with drug context) and pharmahuasca are named; cannabis edible brands
(Incredibles bars, Blue Kudu, Green Hornet with a dose) and misspelt Northern Lights are cannabis; "H" right after a
weight in grams is heroin; a weight in grams before "super speed" keeps the drug; a sale "blowout" is no cocaine; a
joint rolled with tobacco keeps its strain when the strain's name holds digits; a concentrate "vaporizer-ready" is
no vaporizer; a one-word strain ending in "sativa"/"indica" with a weight and an eighth written "1/8th" are cannabis."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # CNS medicines by INN, a common misspelling or a brand
        ("Mirtazapin 15mg x 28 in blister", ["mirtazapine"]),
        ("Remeron 30 mg - 20 tablets", ["mirtazapine"]),
        ("Trazodon 100mg retard, 30 tabs", ["trazodone"]),
        ("Effexor XR 150mg capsules x 14", ["venlafaxine"]),
        ("Aurorix 150 mg, 30 pills", ["moclobemide"]),
        ("Moclobemide 300mg 10 tabs", ["moclobemide"]),
        ("Selegiline 5mg, 60 pills", ["selegiline"]),
        ("Abilify 10mg x 28", ["aripiprazole"]),
        ("Lamictal 50mg tablets", ["lamotrigine"]),
        ("Zanaflex 4mg - 20 tabs", ["tizanidine"]),
        ("Zofran 8mg melts x 10", ["ondansetron"]),
        # research chemicals and a psychedelic mix
        ("4-AcO-MCPT 250mg fumarate", ["4-aco-mcpt"]),
        ("DMBA 30mg caps, 60 count", ["dmba"]),
        ("1,3-Dimethylbutylamine powder 10g", ["dmba"]),
        ("Pharmahuasca kit for two", ["dmt"]),
        # cannabis edible brands and a misspelt strain
        ("Cherry Incredibles Bar 100mg", ["cannabis"]),
        ("Blue Kudu milk chocolate", ["cannabis"]),
        ("Green Hornet gummies 100mg", ["cannabis"]),
        ("Norhtern Lights 14g", ["cannabis"]),
        # a cross of one-word strains with a weight; an eighth written "1/8th" beside a name
        ("Supersativa x Autoberry 10g", ["cannabis"]),
        ("1/8th of the Frostiest", ["cannabis"]),
        # "H" after a weight in grams
        ("1g H - best in town", ["heroin"]),
        ("0.25g h, fast post", ["heroin"]),
        # a weight before "super speed"; a sale blowout; a joint with tobacco; a concentrate for a vaporizer
        ("14 grams super speed paste", ["amphetamine"]),
        ("Lemon Kush 1 QP - blowout sale", ["cannabis"]),
        ("Joint of GG4 Weed + rolling tobacco", ["cannabis"]),
        ("Shatter 2g, vaporizer-ready", ["cannabis"]),
    ],
)
def test_reads(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        # opioid antagonists stay out (antibiotics and antihistamines are in since 2026-12-07: test_rules_rx.py)
        "Naloxone 400mcg ampoules x 10",
        # DMBA without drug context is a lab chemical's abbreviation; Green Hornet without a dose is a film
        "DMBA reference standard",
        "The Green Hornet DVD boxset",
        # H glued to a number or joined with a symbol is no heroin
        "5g H2O demineralised",
        "10g H&M gift card",
        "2g H-Bomb firecracker",
        # "super speed" that is no drug, and a vaporizer sold as a device
        "Super speed USB 3.0 flash drive 64GB",
        "Vaporizer pen kit with charger",
        # "1/8th" as a size, and a "sativa" word with no weight
        "Brass fitting 1/8th inch, 10 pcs",
        "Supersativa x Autoberry poster",
        # "ability" is one edit from the brand Abilify: no misspelling of it, even with a dose beside it
        "Stamina and focus ability 500mg capsules",
        # a blowout with nothing else
        "Blowout sale on all hoodies",
    ],
)
def test_leaves_alone(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []
