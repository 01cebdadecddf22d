"""Substance rules of issue 14 from the AlphaBay/Agora dev-split misses (round 3) and en_dev2026j
(extractors/substances.py, substances_performance.yaml), with readings they must leave alone: cannabis seeds sold by
how they are bred or counted, UK "K" for ketamine, danazol and meldonium. Phrases written for these tests."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor


def names(extractor: Extractor, text: str) -> list[str]:
    return sorted(s.canonical for s in extractor.extract(text).substances if s.known)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Orange Bud reg 10 seeds", ["cannabis"]),
        ("Blueberry Kush x Haze - 5x Seeds feminisiert", ["cannabis"]),
        ("Super Skunk F2 Female Seeds", ["cannabis"]),
        ("Lemon Dream seeds x5", ["cannabis"]),
        ("Dutch Passion quality seeds", ["cannabis"]),
        ("K 5g needles", ["ketamine"]),
        ("K - 28g", ["ketamine"]),
        ("[UK] K 10g", ["ketamine"]),
        ("2g K crystals", ["ketamine"]),
        ("Danazol 50mg 10 pills", ["danazol"]),
        ("Mildronate 500mg - 30 caps", ["meldonium"]),
        ("BK-EPDB crystal 10g", ["eutylone"]),
    ],
)
def test_dev26j_substance_rules(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        # seeds of other plants and seeds with no breeding or count stay clean
        "Sunflower seeds 5kg",
        "Tomato seeds x 10",
        "Chia seeds 500g",
        "Seeds of change book",
        # a capital K that is a number's thousands, a code or a name
        "10K followers 5g",
        "Grade K paper 50g",
        "Potassium (K) 500g",
        "Plan B, option K: 5 steps",
    ],
)
def test_dev26j_substance_rules_left_alone(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


def test_pieces_with_a_dose_form_in_the_description_are_context(extractor: Extractor) -> None:
    from onionwatch.crawler.items import RawListing

    def listing(title: str, description: str) -> list[str]:
        x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                         price_text="", location=None, lang="en", currency="USD"))
        return sorted(s.canonical for s in x.substances if s.known)

    assert listing("Acid", "100 tabs (1 sheet) - $250") == ["lsd"]
    # no count with a dose form: the slang stays unread
    assert listing("Acid", "Strong and clean, ships fast") == []
