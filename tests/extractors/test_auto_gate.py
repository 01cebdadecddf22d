"""prefilter.auto_gated / gate_patterns: a pattern behind the first-character gate read off it matches exactly as
the pattern does; patterns a gate cannot speed up are left as they are."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import onionwatch.extractors.gates as gates
from onionwatch.extractors.prefilter import GATED, auto_gated, gate_patterns

SHARED_LISTINGS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "listings"


def same_matches(a: re.Pattern[str], b: re.Pattern[str], text: str) -> None:
    assert [(m.span(), m.groups()) for m in a.finditer(text)] == [(m.span(), m.groups()) for m in b.finditer(text)]


@pytest.mark.parametrize(
    "source",
    [r"(?<![\w.,])\d+\s?(?:pcs|шт)", r"(?<!\w)(?:x|х|×)\s?\d+|(?<!\w)packs?\s+of\s+\d+", r"\b(?:bars?|1/8)\b",
     r"(?<![^\W\d_])(?:клад\w*|р-н)(?![^\W\d_])", r"(?<!\w)(?i:half)\s+O(?!\w)", r"(?<!\w)(?:a|b)?c\d"],
)  # fmt: skip
def test_gated_where_re_cannot_skip(source: str) -> None:
    for flags in (0, re.I):
        rx = re.compile(source, flags)
        gated = auto_gated(rx)
        assert gated is not rx and gated.pattern.startswith("(?=")
        for text in ("12 pcs, x 5, pack of 10, 1/8 bars", "Клад Р-Н центр", "HALF O", "half o", "Half O",
                     "ac1 bc2 c3 AC1", "K ſ \u212a 9 шт"):  # fmt: skip
            same_matches(gated, rx, text)


@pytest.mark.parametrize(
    "source",
    [r"\d+", r"abc|abd", r"^[0-4][.,]\d", r"(?<!\w)\d*", r"(?<!\w)[^\W\d_]+", r"(?<!\w)(\w)\1", r"(?<!\w).x",
     r"(?<!\w)[а-я]+", r"(?<!\w)\s+x", r"(?<!\w)(?m:x$)"],
)  # fmt: skip
def test_left_alone_where_a_gate_saves_nothing(source: str) -> None:
    # re skips to a literal/charset itself, an anchor, an empty match, a broad class, a back-reference, `.`,
    # a script's letters, spaces, inline flags other than (?i:)
    rx = re.compile(source)
    assert auto_gated(rx) is rx


@pytest.mark.parametrize("rx", [re.compile(r"(?i)(?<!\w)x\d"), re.compile(r"(?<!\w)x\d  # a comment", re.X)])
def test_left_alone_global_inline_flags_and_verbose(rx: re.Pattern[str]) -> None:
    assert auto_gated(rx) is rx


def test_gate_patterns_replaces_module_patterns() -> None:
    ns = {"A": re.compile(r"(?<!\w)\d+g"), "B": re.compile(r"\d+"), "C": "(?<!\\w)\\d", "D": re.compile(rb"(?<!a)1")}
    assert gate_patterns(ns) == 1
    assert ns["A"].pattern.startswith("(?=") and ns["B"].pattern == r"\d+" and ns["C"] == "(?<!\\w)\\d"
    assert gate_patterns(ns) == 0  # a gated pattern is not gated again


def test_rule_modules_are_gated() -> None:
    assert gates.GATED_PATTERNS >= 50
    from onionwatch.extractors import quantities

    assert quantities.COUNT_RE.pattern.startswith("(?=")


def _corpus(limit: int = 4000) -> list[str]:
    texts: list[str] = []
    for name, col in (("alphabay2017.csv", "title"), ("matanga2020_dev.csv", "description")):
        path = SHARED_LISTINGS / name
        if path.exists():
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                texts += [row[col] for _, row in zip(range(limit), csv.DictReader(fh), strict=False)]
    return texts


def test_every_gated_rule_pattern_matches_as_its_source_on_real_listings() -> None:
    texts = _corpus() or ["Cocaine 1g 90% pure", "Мефедрон кристаллы 1г", "10 pcs x 20mg", "клад р-н центр"]
    for gated, source in GATED:
        ungated = re.compile(source, gated.flags)
        for text in texts:
            same_matches(gated, ungated, text)


ALPHABET = "0123456789 .,/-—:=+#$€£₽₸%xXхХ×gGkKкКмМгГрРшШтТoOaAbBcCsSpPlLmMuUнНаАдД\u212aſıİ\n🍁"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_every_gated_rule_pattern_on_generated_text(text: str) -> None:
    for gated, source in GATED:
        same_matches(gated, re.compile(source, gated.flags), text)
