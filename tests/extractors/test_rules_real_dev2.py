"""Rules of issue 14's second round on the AlphaBay/Agora DEV split misses
(bench/results/2026-12-07-real-dev-misses-2.md), each with cases it applies to and readings it must leave alone; the
phrases are written here, not copied from the data: a micro sign garbled by a wrong decoding ("Îµg", "Ô_g") is still
a microgram dose; a name spelt with dots ("M.D.M.A.", "L.S.D.") is that name; a stretched double letter ("Speeeed")
is looked up doubled, also after a weight's unit letter ("10G Speeeed"); PV-9 (α-POP), TFMPP, Pain-O-Soma, Super
P-Force, co-codamol, Finnish benzodiazepine spellings and the torch cacti are named; seed-bank strains that are
English phrases ("Hawaiian Snow") need a weight; a microgram medicine the lexicon leaves out is no LSD;
underground-lab steroid blends ("Rip Blend", "Mass Blend", Tri-Tren), meth's HI/RP route and "amphetemine" are named;
Dom Pérignon is a champagne or an ecstasy press, no DOM."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.text import normalize
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a microgram dose with a garbled micro sign
        ("3 x 120Îµg - top quality", ["lsd"]),
        ("Blotters 150Ô_g/tab, 10 hits", ["lsd"]),
        ("10 tabs 100 Î¼g", ["lsd"]),
        ("5x 250Âµg Needlepoint", ["lsd"]),
        # a name spelt with a dot after each letter
        ("Pure M.D.M.A. crystal 3.5g", ["mdma"]),
        ("L.S.D. tabs - 10 hits", ["lsd"]),
        ("G.H.B. 250ml bottle", ["ghb"]),
        # a stretched double letter
        ("Weeeed 7g indoor", ["cannabis"]),
        ("Speeeed paste 10g", ["amphetamine"]),
        ("10G Speeeed - fresh batch", ["amphetamine"]),
        # research chemicals, medicine brands and cacti named
        ("PV-9 crystal 5g", ["alpha-pop"]),
        ("alpha-POP 1g", ["alpha-pop"]),
        ("TFMPP powder 2g", ["tfmpp"]),
        ("Pain O Soma 350mg x 30", ["carisoprodol"]),
        ("Super P-Force 160mg x 20", ["sildenafil"]),
        ("Bolivian Torch cactus powder 25g", ["mescaline"]),
        ("Peruvian Torch cutting, 30cm", ["mescaline"]),
        # UK co-codamol and its brands, Finnish INN spellings
        ("Co-codamol 30/500, 100 tablets", ["codeine"]),
        ("Solpadol 30mg x 32", ["codeine"]),
        ("Co-dydramol 10/500 x 60", ["dihydrocodeine"]),
        ("Alpratsolaami 1mg, 30 tabletit", ["alprazolam"]),
        ("Diatsepaami 10mg x 50", ["diazepam"]),
        # seed-bank strains that are English phrases, with a weight; a concentrate's texture
        ("3.5g Hawaiian Snow, dutch import", ["cannabis"]),
        ("Silver Pearl 10 grams", ["cannabis"]),
        ("Death Star 7g", ["cannabis"]),
        ("Pull and snap 1g", ["cannabis"]),
        ("Snow white 1g", ["cocaine"]),
        # steroid blends sold under one name, with a dose or a vial
        ("Rip Blend 150mg/ml, 10ml vial", ["anabolic-steroid"]),
        ("Mass Blend 250mg/ml 10ml", ["anabolic-steroid"]),
        ("Rip Stack 175mg x 10ml", ["anabolic-steroid"]),
        ("Tri-Tren 150mg/ml", ["trenbolone"]),
        # meth by its production route, with an amount; a misspelt amphetamine beside a precursor's name
        ("HI/RP batch 3.5g", ["methamphetamine"]),
        ("P2P amphetemine oil 5ml", ["amphetamine"]),
        # a champagne press stays an ecstasy pill
        ("20 x Dom Perignon 240mg", ["mdma"]),
        # still read as before
        ("Bolivian flake 3.5g", ["cocaine"]),
        ("DOM 5mg blotters x 10", ["dom"]),
        ("Fentanyl patch 25Îµg/h x 5", ["fentanyl"]),
        ("Cokeee 1g", ["cocaine"]),
    ],
)
def test_named_from_real_dev2(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        # microgram medicines the lexicon leaves out: no LSD
        "Naloxone 400mcg x 10 ampoules",
        # (salbutamol and levothyroxine are named since 2026-12-07: test_rules_rx.py)
        "Vitamin B12 1000mcg x 60 tablets",
        "Cyanocobalamin 1000Îµg x 60",
        # a patch's rate with a garbled sign
        "Transdermal patch 50Îµg/h x 5",
        # dotted abbreviations that name no drug
        "Fullz with D.O.B. and SSN, U.S.A. only",
        "P.M.A. hoodie, size L - stay positive",
        # a champagne
        "Dom Perignon Vintage 2008, 75cl bottle",
        # a blend by the vial that names no steroid, a fat burner's stack, ripped clothes
        "Sustain blend 250mg/ml, 5 amps",
        "Cut stack fat burner, 60 caps",
        "Rip 200 ripped jeans, size 32",
        # a production route named with no amount
        "HI/RP vs P2P, what is the difference?",
        # the strains' phrases as everyday things
        "Silver pearl earrings 925",
        "Death Star Lego set 75159",
    ],
)
def test_left_alone_from_real_dev2(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


def test_seed_strain_glued_to_its_breeder_is_no_lsd(extractor: Extractor) -> None:
    # a seed strain glued to its breeder is no LSD; counted seeds are cannabis seeds (the corpora's convention,
    # tests/extractors/test_substances_dev26j.py)
    assert names(extractor, "L.S.D.BREEDER seeds, 5 pack") == ["cannabis"]


def test_garbled_micro_sign_keeps_length() -> None:
    text = "Blotter 130Îµg x 5 Š…Ä"
    fixed = normalize(text)
    assert len(fixed) == len(text) and "130mcg x 5" in fixed
