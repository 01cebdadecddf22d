"""Rules of issue 14's fifth round on the AlphaBay/Agora DEV split misses
(bench/results/2026-12-07-real-dev-misses-5.md), each with cases it applies to and readings it must leave alone; the
phrases are written here, not copied from the data: raw steroid powders; misspellings of trenbolone, tapentadol and
diazepam; "purple syrup" as lean; a misspelt Moroccan hash origin with a weight; Humboldt County as cannabis context; a strain's
cut graded in A's is no cutting agent; a stretched word with a stretched last letter; tabs of a named blotter print
as LSD; a pill's light or dark gold bar is no bullion; "synthetic cannabinoid" (also misspelt) names the class, not
cannabis; meth slang beside a microgram dose is LSD crystal."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # steroids sold as raw powder without a name
        ("Raw steroid - bulk prices inside", ["anabolic-steroid"]),
        ("Steroid powders, pharma grade", ["anabolic-steroid"]),
        ("Cheap steroid raws from the lab", ["anabolic-steroid"]),
        # misspellings of lexicon names, read without drug context
        ("Trenblolone Acetate stack", ["trenbolone"]),
        ("Trenbolon Enanthat Ampullen", ["trenbolone"]),
        ("50 Tapentendal, pharmacy", ["tapentadol"]),
        ("20 diazapines 10mg", ["diazepam"]),
        # "purple syrup" with drug context, or beside a second codeine word
        ("Purple syrup 250ml, sealed bottle", ["codeine"]),
        ("Actavis purple syrup, pharmacy grade", ["codeine"]),
        # a misspelt Moroccan origin with a weight is cannabis sold by kind; Humboldt County makes an ambiguous
        # concentrate word cannabis
        ("Morrocian 10g, fresh batch", ["cannabis"]),
        ("5 gs Morocian - top", ["cannabis"]),
        ("Humboldt county wax", ["cannabis"]),
        # a strain's cut graded in A's, with a weight
        ("7g Mango Trail Cut - AAA", ["cannabis"]),
        ("28g Cherry Rocket cut AAAA+", ["cannabis"]),
        # a stretched double letter and a stretched last letter
        ("Fresh shroooomsss for the weekend", ["psilocybin"]),
        # tabs of a named blotter print, no drug name
        ("25 tabs Heron Print - limited", ["lsd"]),
        ("Half sheet Dragon Print (250 tabs)", ["lsd"]),
        # a pill's shade of gold is no bullion bar
        ("10 x S903 light gold bar", ["alprazolam"]),
        # the class named in English, also misspelt: a synthetic cannabinoid, no cannabis
        ("Synthetic cannabanoid 10g", ["mdmb-4en-pinaca"]),
        ("Synthetic cannabinoids 5g, strong", ["mdmb-4en-pinaca"]),
        # "crystal" beside a microgram dose is LSD crystal, no meth
        ("1x 150ug Alpine Crystal", ["lsd"]),
    ],
)
def test_reads(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        # "steroid" with no form or context word
        "Steroid cream for eczema questions",
        # "purple syrup" without drug context
        "Purple syrup recipe for pancakes",
        # Moroccan and Humboldt goods that are no cannabis
        "Moroccan argan oil 100ml",
        "Morrocan leather pouf, handmade",
        # a hash origin, even misspelt, with no weight (as "Traditional Moroccan Pollen" in test_substances.py)
        "Traditional Morrocian Pollen",
        "Humboldt squid 1kg frozen",
        # a cutting agent sold by weight stays no drug, graded or not
        "AAA cut 500g for pills",
        "Mannitol cut 1kg",
        # a stretched word that is no drug name
        "Sooooo cheapppp deals",
        # a print and tabs that are no blotter: an art or screen print, a print without tabs
        "Art print A3, 5 tabs of washi tape",
        "Screen print shirts, 10 tabs",
        "Heron Print poster 50x70",
        # bullion
        "1oz gold bar, fine 999",
        # the class named without drug context
        "Synthetic cannabinoid receptor study",
    ],
)
def test_leaves_alone(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []
