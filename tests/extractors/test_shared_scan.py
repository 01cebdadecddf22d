"""extractors/prefilter.py SharedScan: one literal pass for several Alternations answers as each one alone."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.extractors.cues import NON_DRUG, NON_DRUG_PATH
from onionwatch.extractors.prefilter import Alternation, SharedScan

CUES = yaml.safe_load(NON_DRUG_PATH.read_text(encoding="utf-8"))
WORD = r"(?<![^\W\d_]){}(?![^\W\d_])"
KEYS = ("not_cues", "phrases", "soft_phrases", "not_substances")


def _pairs() -> list[tuple[Alternation, Alternation]]:
    """(shared member, the same Alternation on its own) per cue list."""
    shared = [Alternation(CUES[k], WORD, re.I) for k in KEYS]
    alone = [Alternation(CUES[k], WORD, re.I) for k in KEYS]
    SharedScan(shared)
    return list(zip(shared, alone, strict=True))


PAIRS = _pairs()
_PIECES = sorted({w for k in KEYS for p in CUES[k] for w in re.findall(r"[^\W\d_]{2,}", p)})


def same(text: str) -> None:
    for a, b in PAIRS:  # each member in turn on one text (the remembered scan), then each again
        assert a.candidates(text) == b.candidates(text), text
    for a, b in PAIRS:
        got, want = a.search(text), b.search(text)
        assert (got and got.span()) == (want and want.span()), text
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)], text
        assert a.sub(" ", text) == b.sub(" ", text), text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from([" ", "-", "1", "fa", "İ", "ſ", "\n"])),
                max_size=12), st.sampled_from(["lower", "upper", "title"]))  # fmt: skip
def test_generated_texts(pieces: list[str], case: str) -> None:
    same(getattr("".join(pieces), case)())


def test_equal_texts_that_are_different_objects() -> None:
    """The remembered scan is for the very same string object; an equal or a different text is scanned again."""
    a, b = PAIRS[1]
    first = "".join(["how to ", "cook"])
    a.candidates(first)
    for text in ("".join(["how to ", "cook"]), "cocaine 1g", first):
        assert a.candidates(text) == b.candidates(text)


def test_a_member_joins_one_scan_only() -> None:
    alt = Alternation(["abc"], WORD, re.I)
    SharedScan([alt])
    with pytest.raises(ValueError):
        SharedScan([alt])


def test_non_drug_cues_share_one_scan() -> None:
    members = [NON_DRUG.not_cues, NON_DRUG.phrases, NON_DRUG.ru_stems, NON_DRUG.soft_phrases, NON_DRUG.not_substances]
    scans = {id(m._shared) for m in members if m is not None}  # noqa: SLF001
    assert len(scans) == 1 and None not in {m._shared for m in members if m is not None}  # noqa: SLF001
