"""extractors/prefilter.py: the literal prefilter answers exactly as the full alternation does."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.extractors.cues import NON_DRUG_PATH
from onionwatch.extractors.prefilter import Alternation, fold, required_literals

CUES = yaml.safe_load(NON_DRUG_PATH.read_text(encoding="utf-8"))
WORD = r"(?<![^\W\d_]){}(?![^\W\d_])"


def full(alternatives: list[str], template: str, flags: int) -> re.Pattern[str]:
    return re.compile(template.format("(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")"), flags)


def same(alt: Alternation, rx: re.Pattern[str], text: str) -> None:
    got, want = alt.search(text), rx.search(text)
    assert (got and got.span()) == (want and want.span()), text
    assert [m.span() for m in alt.finditer(text)] == [m.span() for m in rx.finditer(text)], text
    assert alt.sub(" ", text) == rx.sub(" ", text), text


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("abc", {"abc"}),
        ("ab+c", {"ab"}),  # the longest run: "a" + "b" (one required b), then "c" apart
        ("a(?:bc|d)e", {"a"}),  # a literal run of one character beats a set with a one-character string
        ("x?yz", {"yz"}),
        (r"\d+\s*kg", {"kg"}),
        ("(?:foo|bar)baz", {"baz"}),
        ("(?:foo|bar)", {"foo", "bar"}),
        ("(?:foo|.)", None),  # one alternative needs no literal
        (r"[a-z]+", None),
        ("(?:ab)?", None),
        ("GUIDE", {"guide"}),  # case-folded
        ("(?:ab|abc)", {"ab"}),  # "abc" contains "ab": dropped
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    assert required_literals(re.compile(pattern, re.I)) == expected


def test_fold_matches_ignorecase_classes() -> None:
    # characters that re.IGNORECASE equates although str.lower does not ("ſ" ~ "s", "ı" ~ "i", "K" Kelvin ~ "k",
    # Cyrillic "ᲀ" ~ "в"), and "İ", whose simple lower case is "i" (str.lower gives two characters)
    for a, b in [("ſ", "s"), ("ı", "i"), ("\u212a", "k"), ("ᲀ", "в"), ("İ", "i"), ("µ", "μ"), ("Ё", "ё")]:
        assert re.fullmatch(re.escape(b), a, re.I)
        assert fold(a) == fold(b), (a, b)


def test_unusual_case_forms_still_match() -> None:
    alt = Alternation(["guide", "ebook"], WORD, re.I)
    for text in ["GUİDE to", "ebooK\u212a", "a ɡuide", "Guıde", "the \u212aIT"]:
        same(alt, full(["guide", "ebook"], WORD, re.I), text)
    assert alt.search("GUİDE to") is not None  # İ folds to i, as the regex engine reads it


def test_alternative_without_literal_always_runs() -> None:
    alts = ["guide", r"\d{3}-\d{4}"]
    alt = Alternation(alts, WORD, re.I)
    same(alt, full(alts, WORD, re.I), "call 555-1234 now")
    assert alt.search("call 555-1234 now") is not None


def test_leftmost_first_order_is_kept() -> None:
    # two alternatives matching at the same place: the first listed wins, as in the full pattern
    alts = ["ice", "ice cream"]
    alt = Alternation(alts, WORD, re.I)
    for text in ["ice cream", "crystal ice cream and ice", "nothing"]:
        same(alt, full(alts, WORD, re.I), text)


REAL_TEXTS = [
    "Cocaine 1g 90% pure", "How to cook meth - PDF guide", "Digital scale 0.01g", "2FA backup codes",
    "Netflix account 1 year", "Ice cream flavour vape", "Мефедрон кристаллы 1г", "Инструкция по закладкам",
    "Книга: химия для всех", "Зип-пакеты 100 шт", "Fake 20€ notes x10", "Marquis tested MDMA 84%",
    "PDF lab results, 1g 2C-B", "AK-47 7.62 rounds", "Crystal balls glass", "high speed internet",
    "", " ", "🍁🍁🍁", "a" * 5000, "guide " * 800, "ſ ı İ \u212a ᲀ", "\x00\x01guide\x7f",
]


@pytest.mark.parametrize("key", ["phrases", "soft_phrases", "not_substances", "not_cues"])
def test_cue_lists_answer_as_the_full_pattern(key: str) -> None:
    template = "{}" if key == "soft_phrases" else WORD
    alternatives = CUES[key]
    alt, rx = Alternation(alternatives, template, re.I), full(alternatives, template, re.I)
    for text in REAL_TEXTS:
        same(alt, rx, text)


# text built from the cue lists' own words, digits and separators, with case variants: most draws contain one
_PIECES = sorted({w for p in CUES["phrases"] + CUES["not_substances"] for w in re.findall(r"[^\W\d_]{2,}", p)})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from([" ", "-", "1", "2", "fa", "İ", "ſ", ".", "\n"])),
                max_size=12),  # fmt: skip
       st.sampled_from(["lower", "upper", "title"]))
def test_generated_texts_answer_as_the_full_pattern(pieces: list[str], case: str) -> None:
    text = getattr(" ".join(pieces), case)()
    for alt, rx in _BUILT:
        same(alt, rx, text)


_BUILT = [(Alternation(CUES[key], WORD, re.I), full(CUES[key], WORD, re.I)) for key in ("phrases", "not_substances")]


def _gated_cases() -> list[tuple[re.Pattern[str], str]]:
    import onionwatch.extractors.prices  # noqa: F401  (their gated patterns register on import)
    import onionwatch.extractors.quantities  # noqa: F401
    from onionwatch.extractors.prefilter import GATED

    return list(GATED)


GATED_TEXTS = [*REAL_TEXTS, "1 g — USD 141.00", "USD 12.30", "€40/g", "Меф 1г — 15 000₸", "цена: 12к", "12к за 1г",
               "3,5к/г", "½ oz", ".5g", ",5 г", "AU$50", "c$ 12", "0.01 BTC", "Xmr 1.5", "kzt 5000", "тыс. 21",
               "Стоимость 18000", "2 шт - 2500", "x 100 150.00 USD", "₸12 000", "KZT\u212a 5", "ТГ 12"]


def test_first_char_gated_patterns_match_as_ungated() -> None:
    cases = _gated_cases()
    assert len(cases) >= 3  # PRICE_RE, _DEFAULT_HINT, MASS_RE
    for gated, source in cases:
        ungated = re.compile(source, gated.flags)
        for text in GATED_TEXTS:
            assert [m.span() for m in gated.finditer(text)] == [m.span() for m in ungated.finditer(text)], text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 .,/-—:=½$€£₽₸฿gGkKкКмМгГрРуUuSsDdсСтТцЦзЗaAcCeErRbBxXtTlLmMoOzZ\u212aſ", max_size=30))
def test_first_char_gated_patterns_on_generated_text(text: str) -> None:
    for gated, source in _gated_cases():
        ungated = re.compile(source, gated.flags)
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in ungated.finditer(text)], text


_SMALL = ["ab", "bc", "abc", "c", r"(?<=a)b", r"b(?=c)", "a+", r"c\w"]
_SMALL_BUILT = [(Alternation(_SMALL, t, re.I), full(_SMALL, t, re.I)) for t in ("{}", WORD)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcAB -", max_size=24))
def test_overlapping_alternatives_merge_as_the_alternation(text: str) -> None:
    # alternatives overlapping, nested, looking behind and ahead: the merged matches are the alternation's
    for alt, rx in _SMALL_BUILT:
        same(alt, rx, text)


def test_russian_stems_answer_as_the_full_pattern() -> None:
    stems = [re.escape(s) for s in CUES["ru_stems"]]
    template = r"(?<![^\W\d_]){}"
    alt, rx = Alternation(stems, template, re.I), full(stems, template, re.I)
    texts = [*REAL_TEXTS, "КУРЬЕР нужен", "курьерская доставка", "Мануал по закладкам", "ЗИП-ПАКЕТ", "мефедрон 1г"]
    for text in texts:
        same(alt, rx, text)
    assert alt.search("Требуется КУРЬЕР") is not None
