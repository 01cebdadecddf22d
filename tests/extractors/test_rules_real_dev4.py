"""Rules of issue 14's fourth round on the AlphaBay/Agora DEV split misses
(bench/results/2026-12-07-real-dev-misses-4.md), each with cases it applies to and readings it must leave alone; the
phrases are written here, not copied from the data: heroin by "H" and its grade number; "BTH" with drug context;
Actavis syrup by its container; German "Lachgas"; the tramadol brand Zendol; "Plan B" (levonorgestrel, not the hash
word "plan"); Blue Kudus in the plural; fluorinated names written "5-F-"; a count's "x" glued to a name; counted or
measured vials and IU doses as drug context; a tincture as cannabis context; a sample or bags "of" a name as drug
context; misspelt vape cartridges; pills pressed as iPhones; bodybuilding's "lean"; mojibake debris with underscores
between its characters; three spaced initials name only an unambiguous drug."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.text import normalize
from onionwatch.extractors.tokenizer import RegexTokenizer
from tests.extractors.rule_cases import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # heroin by "H" and its grade, with an amount in grams or a bare weight before it
        ("5 gr H4 - strong", ["heroin"]),
        ("1g H#3 brown", ["heroin"]),
        ("0.3 H no 4 fresh", ["heroin"]),
        # black tar heroin abbreviated, with a weight
        ("2g BTH, mexican", ["heroin"]),
        # the syrup by its maker and container
        ("Two pints of Actavis, sealed", ["codeine"]),
        ("Actavis syrup - 4oz bottle", ["codeine"]),
        # German for laughing gas
        ("Lachgas Flasche 2kg", ["nitrous-oxide"]),
        # an Indian tramadol brand
        ("Zendol 50mg - 30 tabs", ["tramadol"]),
        # the emergency contraceptive by its brand, with drug context
        ("Plan B tablet 1.5mg x 2", ["levonorgestrel"]),
        # an edible brand in the plural
        ("Blue Kudus 100mg x 3", ["cannabis"]),
        # a fluorinated synthetic cannabinoid with the position written apart from the F
        ("5-F-ADB 10g powder", ["5f-adb"]),
        # a count glued to a capitalised name
        ("3xFentanyl 50mcg/h patches", ["fentanyl"]),
        ("20xTramadol 100mg", ["tramadol"]),
        # vials counted or measured, and a dose in international units, are drug context
        ("3 vials DOC solution", ["doc"]),
        ("Cypionate 200, 1 x 10 ml vial", ["testosterone"]),
        ("Botox 50iu, one vial", ["botulinum-toxin"]),
        # a tincture names the cannabis of an ambiguous name
        ("Mary Jane tincture, mint", ["cannabis"]),
        # a sample or street units "of" an ambiguous name
        ("$10 sample of crack", ["cocaine"]),
        ("3 bags of fine tar", ["heroin"]),
        # the misspelt cartridge
        ("Vape catridges 0.5ml x 5", ["cannabis"]),
        # a press shaped as a phone is no phone on sale
        ("50x Blue iPhone speed pills", ["amphetamine"]),
        # "lean" in a codeine listing still counts
        ("Lean 8oz bottle", ["codeine"]),
        # a weight glued to cp1252 debris with an underscore in it is read
        ("Speed Š_à5 Gramm Paste", ["amphetamine"]),
        # spaced initials of an unambiguous drug
        ("L S D 100ug x 5", ["lsd"]),
    ],
)
def test_reads(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    "text",
    [
        # "H4" without an amount is a headlight bulb; "Vitamin H" with a weight is biotin
        "H4 halogen bulbs, pair",
        "Vitamin H 4g powder",
        "H&M voucher 3",
        # BTH without drug context
        "BTH holding company report",
        # "plan b" as everyday English; Actavis named as a company only
        "My plan B for the weekend",
        "Actavis annual report 2016",
        # "5xanax" stays one word elsewhere; a shirt size is no count
        "2XL hoodie, grey",
        # an uncounted vial is paraphernalia; a tincture of a herb is no cannabis
        "Glass snuff vial with spoon",
        "Valerian root tincture 50ml",
        # bodybuilding's "lean"
        "Lean bulk cycle guide for oral tablets",
        "Lean muscle gains stack, 60 capsules",
        # a sample of something that is no drug name
        "Free sample of ice cream cones",
        "Windows crack keygen",
        # a phone on sale
        "iPhone 8 64GB, unlocked",
        # three spaced initials of an ambiguous strain name
        "G D P shirts x 3",
    ],
)
def test_leaves_alone(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


def test_glued_count_keeps_lowercase_words(extractor: Extractor) -> None:
    """Only an "x" before a capital letter is split off: "5xanax" stays one word, read as Xanax."""
    assert names(extractor, "5xanax 2mg bars") == ["alprazolam"]
    words = [t.text for t in RegexTokenizer(extractor.nlp("en").vocab)("10xValium 10mg")]
    assert words[:3] == ["10", "x", "Valium"]


def test_mojibake_with_underscores_becomes_spaces() -> None:
    """A run of cp1252 debris with underscores inside turns to spaces of the same length; a lone accented letter
    (accent-folded as before) and plain underscores stay."""
    assert normalize("Š_à2,2 Gramm") == "   2,2 Gramm"
    assert normalize("café __init__") == "cafe __init__"
