"""The lexicon data file: size, classes, the names the testbed and the brief rely on, Russian slang, FX."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.extractors.fx import FxConfigError, FxTable
from onionwatch.extractors.lexicon import (
    CLASSES,
    LexiconError,
    joined,
    lexicon_files,
    load_lexicon,
    ru_forms,
    variants,
)
from onionwatch.extractors.pipeline import Extractor


def test_size_and_classes() -> None:
    lex = load_lexicon()
    assert len(lex) >= 300
    assert {e.cls for e in lex.entries.values()} == set(CLASSES)


@pytest.mark.parametrize(
    ("canonical", "cls"),
    [("cocaine", "stimulant"), ("mdma", "empathogen"), ("methamphetamine", "stimulant"),
     ("amphetamine", "stimulant"), ("heroin", "opioid"), ("cannabis", "cannabinoid"), ("lsd", "psychedelic"),
     ("psilocybin", "psychedelic"), ("ketamine", "dissociative"), ("alprazolam", "benzodiazepine"),
     ("diazepam", "benzodiazepine"), ("clonazepam", "benzodiazepine"), ("oxycodone", "opioid"),
     ("fentanyl", "opioid"), ("tramadol", "opioid"), ("methadone", "opioid"), ("codeine", "opioid"),
     ("mephedrone", "cathinone"), ("alpha-pvp", "cathinone"), ("3-mmc", "cathinone"), ("4-cmc", "cathinone"),
     ("2c-b", "psychedelic"), ("dmt", "psychedelic"), ("gbl", "sedative"),
     ("mdmb-4en-pinaca", "synthetic_cannabinoid"), ("isotonitazene", "nitazene"), ("xylazine", "sedative"),
     ("adb-butinaca", "synthetic_cannabinoid"), ("alpha-phip", "cathinone"), ("protonitazene", "nitazene")],
)  # fmt: skip
def test_canonical_names_and_classes(canonical: str, cls: str) -> None:
    assert load_lexicon().entries[canonical].cls == cls


def test_testbed_surface_forms_are_known(extractor: Extractor) -> None:
    vocab = pytest.importorskip("onionwatch.testbed.vocab")
    lex = load_lexicon()
    for canonical, (cls, forms) in vocab.SUBSTANCES.items():
        assert lex.entries[canonical].cls == cls
        for form in forms:
            found = [s.canonical for s in extractor.extract(f"{form} 1g").substances]
            assert found[:1] == [canonical], form


@pytest.mark.parametrize("slang", ["меф", "соль", "ск", "скорость", "шишки", "бошки", "гер", "сирец", "кокос", "фен",
                                   "экстази", "марки", "мука", "кристалл", "спайс", "мяу", "гашиш"])  # fmt: skip
def test_russian_slang_present(slang: str) -> None:
    assert load_lexicon().lookup(slang) is not None


def test_variants_and_russian_forms() -> None:
    assert {"4-mmc", "4mmc", "4 mmc", "4-ммс"} <= variants("4-MMC")
    assert {"мефедрона", "мефедроном"} <= ru_forms("мефедрон")
    assert {"соли", "солью"} <= ru_forms("соль")


def test_bad_lexicon_file(tmp_path: Path) -> None:
    bad = tmp_path / "lex.yaml"
    bad.write_text("cocaine: {class: candy, aliases: [coke]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex.yaml: cocaine.class: must be one of"):
        load_lexicon(bad)


def test_lexicon_files_merge(tmp_path: Path) -> None:
    base, extra = tmp_path / "substances.yaml", tmp_path / "substances_slang.yaml"
    base.write_text("cocaine: {class: stimulant, aliases: [coke]}\n", encoding="utf-8")
    extra.write_text("cocaine: {class: stimulant, aliases: [kokso]}\nsarms: {class: performance}\n", encoding="utf-8")
    lex = load_lexicon([base, extra])
    assert {lex.strong["coke"], lex.strong["kokso"], lex.strong["sarms"]} == {"cocaine", "sarms"}
    assert lex.entries["sarms"].cls == "performance"
    clash = tmp_path / "substances_clash.yaml"
    clash.write_text("cocaine: {class: opioid, aliases: [kokso]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"substances_clash.yaml: cocaine.class: opioid here but stimulant"):
        load_lexicon([base, clash])


def test_default_lexicon_reads_sibling_files() -> None:
    files = lexicon_files()
    assert files[0].name == "substances.yaml"
    assert all(f.name.startswith("substances_") for f in files[1:])


def test_fx_dated_tables(tmp_path: Path) -> None:
    f = tmp_path / "fx.yaml"
    f.write_text("rates:\n  '2020-01-01': {USD: 1, RUB: 0.015, BTC: 9000}\n  '2025-01-01': {USD: 1, RUB: 0.01}\n")
    fx = FxTable.load(f)
    assert fx.rate("RUB") == 0.01  # latest by default
    assert fx.rate("RUB", "2021-06-01T00:00:00Z") == 0.015
    assert fx.rate("RUB", "2010-01-01") == 0.015  # before every table: the earliest
    assert fx.rate("BTC", "2025-06-01") == 9000  # missing in the newest table: nearest that has it
    assert fx.rate("XMR") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [("rates: []", "rates: expected a mapping"), ("rates:\n  'yesterday': {USD: 1}", "rates.yesterday: not an ISO date"),
     ("rates:\n  '2020-01-01': {DOGE: 1}", "rates.2020-01-01.DOGE: unknown currency"), (":\n-", r"line 1: malformed YAML")],
)  # fmt: skip
def test_fx_errors_name_the_field(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "fx.yaml"
    f.write_text(content)
    with pytest.raises(FxConfigError, match=message):
        FxTable.load(f)


def test_shipped_fx_table_covers_every_currency() -> None:
    fx = FxTable.load()
    for cur in ("USD", "EUR", "GBP", "RUB", "KZT", "BTC", "XMR"):
        assert fx.rate(cur) is not None


@pytest.mark.parametrize(("surface", "expected"), [("кристаллы", True), ("Кристаллы", True), ("крис", True),
                                                   ("crystal", True), ("мефедрон", False), ("соль", False),
                                                   ("альфа", False), ("кристаллы меф", False)])  # fmt: skip
def test_is_descriptor(surface: str, expected: bool) -> None:
    assert load_lexicon().is_descriptor(surface) is expected


def test_research_chemical_file_is_read() -> None:
    assert "substances_rc.yaml" in {f.name for f in lexicon_files()}
    lex = load_lexicon()
    assert (lex.entries["5-apdb"].cls, lex.entries["4-cprc"].cls, lex.entries["5f-mn-18"].cls) == (
        "empathogen", "cathinone", "synthetic_cannabinoid")
    # short codes that are also words or other abbreviations stay ambiguous
    for surface in ("mpa", "det", "lsm", "2-ai", "mal"):
        found = lex.lookup(surface)
        assert found is not None and found[1], surface
    assert lex.lookup("dmc") is None  # dichloromethane


def test_joined_spellings_of_multiword_names(tmp_path: Path) -> None:
    lex_file = tmp_path / "lex.yaml"
    lex_file.write_text(
        'cannabis: {class: cannabinoid, aliases: [bubba kush, "~blue berry", "~girl scout cookies", blueberry kush]}\n'
        'ketamine: {class: dissociative, aliases: ["special k"]}\n'
        'amphetamine: {class: stimulant, aliases: ["~ad 30", "~blueberrykush"]}\n',
        encoding="utf-8",
    )
    lex = load_lexicon(lex_file)
    assert lex.strong["bubbakush"] == "cannabis"  # "BubbaKush"
    assert lex.weak["girlscoutcookies"] == "cannabis"  # as ambiguous as the written alias
    # never over a written alias, nor for a one-letter or short part
    assert lex.weak["blueberrykush"] == "amphetamine" and "blueberrykush" not in lex.strong
    assert "specialk" not in lex.strong and "ad30" not in lex.weak
    assert joined("ms contin") == "mscontin" and joined("мак сок") is None and joined("cocaine") is None


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [("tranax", "alprazolam"), ("clonotril", "clonazepam"), ("larpose", "lorazepam"), ("durogesic", "fentanyl"),
     ("oxygesic", "oxycodone"), ("tilidin", "tilidine"), ("laudanum", "opium"), ("mscontin", "morphine")],
)  # fmt: skip
def test_pharmacy_brands_name_their_medicine(surface: str, canonical: str) -> None:
    assert load_lexicon().strong[surface] == canonical
