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


@pytest.mark.parametrize("text", [
    "MEФ 2г", "Cocаine", "Мeф, СКaн x", "ab жз", "abж-зcd", "Aлмaты", "ﬁжa", "ǅаb", "ꙀaБ", "xx\u0301жж",
    "a\u0483b", "ж\u0482b c", "b\u0488", "MDMA мефедрон", "", "жжж", "bbb", "\u0483ab", "жb\u0489жж", "a\u0483\u0483b",
])  # fmt: skip
def test_mixed_words_fixed_as_the_pattern_does(text: str) -> None:
    from onionwatch.extractors import text as t

    assert t._fix_mixed_words(text) == t._MIXED.sub(t._fix_mixed, text)


def test_mixed_words_generated_texts_equal_the_pattern() -> None:
    import random

    from onionwatch.extractors import text as t

    rnd = random.Random(15)
    alphabet = "abcxyzAOPKHMEaeo" + "абвжзийклмнопрстАВЕКМНОРСТХєѕіјяЯ" + "αβ" + " -_12.,'\n" + "éﬁǅꙀ\u0301\u0482\u0483\u0488"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
        assert t._fix_mixed_words(text) == t._MIXED.sub(t._fix_mixed, text), text


def test_a_long_run_of_one_script_is_linear() -> None:
    """The _MIXED pattern alone backtracks cubically here ("ж " + 2,000 Latin letters took a minute), with or
    without a Cyrillic non-letter."""
    import time

    start = time.process_time()
    assert normalize("ж " + "b" * 19_000 + " Mеф") == "ж " + "b" * 19_000 + " Меф"
    marked = "ж\u0483 " + "b" * 19_000 + "\u0483ж"  # a Cyrillic non-letter: the other way through
    assert normalize(marked) == marked
    assert time.process_time() - start < 0.5
