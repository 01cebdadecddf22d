"""The misspelling matcher (extractors/fuzzy.py): corrections, the guards, the deny list, context in the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.errors import LexiconError
from onionwatch.extractors.fuzzy import FuzzyIndex, load_deny
from onionwatch.extractors.lexicon import load_lexicon
from onionwatch.extractors.pipeline import Extractor


@pytest.mark.parametrize(
    ("word", "canonical"),
    [("flubromazolan", "flubromazolam"), ("isotonitazin", "isotonitazene"), ("mephedrome", "mephedrone"),
     ("alprazolom", "alprazolam"), ("Oxycodome", "oxycodone"), ("diazepma", "diazepam"),  # a swap is one edit
     ("protonitazine", "protonitazene"), ("testosterne", "testosterone"), ("cocanie", "cocaine")],
)  # fmt: skip
def test_misspellings_are_corrected(word: str, canonical: str) -> None:
    assert load_lexicon().fuzzy_lookup(word) == canonical


@pytest.mark.parametrize(
    "word",
    ["ketamine", "ketamin",  # aliases are no typos
     "morphing", "heroine", "caramel", "medication", "mastercard", "concerts", "sustenance",  # deny list / far
     "methylene", "mushroom",
     "ketamne1", "speeds", "cokes",  # digits, too short
     "adbphetinaca"],  # one letter from the joined code "adbhexinaca": another substance, never guessed
)  # fmt: skip
def test_guards(word: str) -> None:
    assert load_lexicon().fuzzy_lookup(word) is None


def test_two_edits_only_for_long_words() -> None:
    index = FuzzyIndex.build({"flubromazolam": "flubromazolam", "etizolam": "etizolam"}, [], frozenset())
    assert index.lookup("flubromazalan") == "flubromazolam"  # 13 letters: two edits
    assert index.lookup("etizalan") is None  # 8 letters: one edit at most


def test_equally_close_names_are_not_guessed() -> None:
    index = FuzzyIndex.build({"abcdefgx": "one", "abcdefgy": "two"}, [], frozenset())
    assert index.lookup("abcdefgz") is None


def test_context_is_required_in_a_listing() -> None:
    x = Extractor()
    assert [s.canonical for s in x.extract("Flubromazolan 1mg pellets x 20").substances] == ["flubromazolam"]
    assert x.extract("Flubromazolan").substances == []  # no weight, dose or form word


def test_bad_deny_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "deny.yaml"
    bad.write_text("words: 3\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="deny.yaml"):
        load_deny(bad)
    assert "heroine" in load_deny()
