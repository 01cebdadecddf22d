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
