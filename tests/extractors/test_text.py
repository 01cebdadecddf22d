"""normalize: printable ASCII passes as is; control characters, homoglyphs and accents are repaired 1:1."""

from __future__ import annotations

import pytest

from onionwatch.extractors.text import normalize


@pytest.mark.parametrize("text", ["Cocaine 1g $80", "", "4-MMC ~ 99% [pure]"])
def test_printable_ascii_is_unchanged(text: str) -> None:
    assert normalize(text) == text


@pytest.mark.parametrize(
    ("text", "clean"),
    [("a\tb\rc\x00d", "a b c d"), ("x\x01y\x7f", "x y "), ("cocaïne", "cocaine"), ("Mеф", "Меф"),
     ("1 g — $5", "1 g - $5"), ("line\nnext", "line\nnext")],
)  # fmt: skip
def test_repairs_keep_the_length(text: str, clean: str) -> None:
    assert normalize(text) == clean and len(clean) == len(text)


def test_ascii_is_capped() -> None:
    assert normalize("a" * 30, max_chars=10) == "a" * 10


def _reference_normalize(text: str, max_chars: int = 20_000) -> str:
    """normalize as written before its speed-ups (_ONE_TO_ONE itself, the two passes always run)."""
    from onionwatch.extractors import text as t

    text = text[:max_chars]
    if text.isascii() and text.isprintable():
        return text
    if t._MOJIBAKE.search(text):
        text = t._MOJIBAKE.sub(lambda m: " " * len(m.group(0)), text)
    text = t._SURROGATES.sub(" ", text.translate(t._ONE_TO_ONE))
    if t._CYR.search(text) and t._LAT.search(text):
        text = t._MIXED.sub(t._fix_mixed, text)
    return text


def test_translate_table_translates_as_the_homoglyph_table() -> None:
    from onionwatch.extractors import text as t

    every = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF)
    assert every.translate(t._TRANSLATE) == every.translate(t._ONE_TO_ONE)
    assert len(t._TRANSLATE) > len(t._ONE_TO_ONE)  # the identity entries are there (the point of the table)


@pytest.mark.parametrize("text", [
    "5 g — USD 438.75", "1\tg\r—\x00$5", "Меф — 1г\n2г", "Cocаine — 1g", "MEФ 2г", "a\x07b — c", "ё — Ё",
    "Š…Ä emoji — x", "——", "cocaïne – 1g\u00a0€50", "\ud800 — x", "Cσcαιηє 1g", "plain ascii", "line\nbreak",
    "ρυяє — MDMA", "\u200b—\ufeff", "",
])  # fmt: skip
def test_normalize_answers_as_before_its_speed_ups(text: str) -> None:
    assert normalize(text) == _reference_normalize(text)
    assert normalize(text, 5) == _reference_normalize(text, 5)
