"""Prescription medicines sold without a prescription (bench/results/2026-12-07-real-dev-rx-scope.md): antibiotics,
antihistamines, metformin, levothyroxine, insulin, salbutamol and the other medicines of substances_rx.yaml are
named (class `other`) with a dose or count, by INN, a vendor's spelling or a brand; short or ambiguous names
("Cipro", "Allegra", "insulin", "Botox", "lithium") need drug context; brand words in sentences that offer no drug,
supplements, nootropics, CBD oil, over-the-counter painkillers and naloxone/naltrexone stay unread, and a Suboxone
listing keeps buprenorphine as its one substance. Phrases are written here, not copied from the data."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # antibiotics: INN, Spanish spelling, brands, a combination
        ("Amoxicillin 500mg x 21 caps", ["amoxicillin"]),
        ("AMOXICILINA 875 mg 20 tabs shipped from Spain", ["amoxicillin"]),
        ("Augmentin 625mg, 14 tablets", ["amoxicillin"]),
        ("Azithromycin 250mg - 6 pack", ["azithromycin"]),
        ("Zithromax 500 mg x3", ["azithromycin"]),
        ("Doxycycline 100mg 50 capsules", ["doxycycline"]),
        ("Ciprofloxacin 500MG 10 PK", ["ciprofloxacin"]),
        ("Cipro 500mg - 20 pills", ["ciprofloxacin"]),
        ("Flagyl 400mg 21 tabs", ["metronidazole"]),
        ("Cephalexin 500 mg, 28 capsules", ["cefalexin"]),
        ("Bactrim DS 800/160mg x 20", ["co-trimoxazole"]),
        # antihistamines (the sedating ones stay `sedative`)
        ("Loratadine 10mg x 30 tabs", ["loratadine"]),
        ("Zyrtec 10 mg 60 tablets", ["cetirizine"]),
        ("Telfast 180mg, 30 tabs", ["fexofenadine"]),
        ("Allegra 120mg 10 tablets", ["fexofenadine"]),
        ("Allegra fexofenadine 180mg 30 tabs", ["fexofenadine"]),  # no ecstasy pill from "180mg"
        ("Ketotifen 1mg 40 tabs", ["ketotifen"]),
        ("Hydroxyzine 25mg x 50", ["hydroxyzine"]),
        # diabetes, thyroid, asthma
        ("Metformin 500mg 84 tabs - weight loss", ["metformin"]),
        ("Glucophage 850 mg x 60", ["metformin"]),
        ("L-Thyroxine 100mcg, 50 tablets", ["levothyroxine"]),
        ("Euthyrox 50 mcg 100 tabs", ["levothyroxine"]),
        ("Insulin 100 IU/ml 10ml vial", ["insulin"]),
        ("Humalog KwikPen x 5", ["insulin"]),
        ("Lantus SoloStar pens 3ml x 5", ["insulin"]),
        ("Humalog 100 IU/ml with 10 insulin syringes", ["insulin"]),
        ("Salbutamol 4mg, 100 pills", ["salbutamol"]),
        ("Ventolin inhaler 100mcg x 2", ["salbutamol"]),
        # microgram medicines: named, and no LSD from the "mcg"/garbled "µg"
        ("Salbutamol inhaler 100mcg x 200 doses", ["salbutamol"]),
        ("Levothyroxine 100\u00ce\u00b5g x 50", ["levothyroxine"]),
        # the others of the dev misses
        ("Truvada 200/300mg 30 tablets", ["tenofovir"]),
        ("Bromocriptine 2.5mg 30 pills", ["bromocriptine"]),
        ("Methotrexate 2.5mg 24 tablets", ["methotrexate"]),
        ("Premarin 0.625 mg, 28 tabs", ["conjugated-estrogens"]),
        ("Menopur 75 IU x 5 vials", ["menotropin"]),
        ("Rimonabant powder 5g", ["rimonabant"]),
        ("Botulinum toxin type A, 100 IU vial", ["botulinum-toxin"]),
        ("Lithium 300mg x 100 capsules", ["lithium"]),
        ("Mifepristone 200mg, 1 tablet", ["mifepristone"]),
        # a Russian INN form
        ("Метформин 1000 мг, 60 таблеток", ["metformin"]),
    ],
)
def test_reads(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


def test_class_is_other(extractor: Extractor) -> None:
    got = [s for s in extractor.extract("Amoxil 500mg, 30 capsules").substances if s.known]
    assert [(s.canonical, s.cls) for s in got] == [("amoxicillin", "other")]


@pytest.mark.parametrize(
    "text",
    [
        # ambiguous names without drug context
        "Flights from Cipro to Athens, weekly",
        "Allegra is my favourite singer",
        "How insulin resistance works - an essay",
        "Lithium battery pack for e-bikes",
        "Botox party invitations, printable",
        # insulin syringes and pen needles are no insulin (a dev corpus of syringes was read as insulin)
        "Insulin syringes 1ml x 100",
        "Syringes 1ml x 50, insulin, sterile, 30G",
        "Insulin pen needles 4mm x 100",
        # supplements, nootropics, CBD oil, over-the-counter painkillers stay out
        "Noopept 10mg x 30 pills",
        "Piracetam 800mg, 60 tabs",
        "Melatonin 3mg sleeping pills x 30",
        "Ibuprofen 400mg 24 tablets",
        "Paracetamol 500mg x 16",
        # opioid antagonists stay out
        "Naloxone 400mcg ampoules x 10",
        "Naltrexone 50mg, 28 tabs",
    ],
)
def test_leaves_alone(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


def test_suboxone_keeps_one_substance(extractor: Extractor) -> None:
    # naloxone beside buprenorphine is not read (neither as itself nor corrected to naloxegol)
    assert names(extractor, "Suboxone 8mg/2mg films (buprenorphine / naloxone) x 10") == ["buprenorphine"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a supplement dosed in micrograms is no LSD dose (the supplement stays out of the lexicon)
        ("Melatonin 300µg, 60 tablets", []),
        ("Vitamin D3 25mcg softgels x 120", []),
        ("Folic acid 400µg 100 tablets", []),
        ("Selank 300mcg nasal spray", []),
        ("Витамин D3 50 мкг, 90 капсул", []),
        # a microgram dose with no name is still LSD
        ("Hofmann 150µg - 100 hits", ["lsd"]),
        ("100ug blotters x10", ["lsd"]),
    ],
)
def test_microgram_supplements_are_no_lsd(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want
