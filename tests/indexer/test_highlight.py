"""Highlights: word forms and prefixes marked, scraped text escaped."""

from __future__ import annotations

from onionwatch.indexer.highlight import highlight
from onionwatch.indexer.query_lang import parse, positive_terms


def hl(listing: dict, text: str) -> str | None:
    return highlight(listing, positive_terms(parse(text).node))


def test_word_forms_and_prefixes_are_marked() -> None:
    listing = {"title": "Кристаллы мефедрона", "vendor": "Мефиста", "description": ""}
    assert hl(listing, "мефедрон") == "Кристаллы <mark>мефедрона</mark>"
    assert hl(listing, "кристалл*") == "<mark>Кристаллы</mark> мефедрона"
    assert hl(listing, "-мефедрон") is None
    assert hl(listing, "nothing") is None


def test_scraped_text_is_escaped() -> None:
    out = hl({"title": "<script>alert(1)</script> MDMA", "description": ""}, "mdma")
    assert out == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>MDMA</mark>"
    long = hl({"title": "", "description": "filler " * 1000 + "needle <b>"}, "needle")
    assert long is not None and long.startswith("…") and "<mark>needle</mark> &lt;b&gt;" in long
