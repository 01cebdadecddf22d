"""extractors/phrase_hits.py: the hits are those of Span objects filtered by spacy.util.filter_spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from onionwatch.extractors.phrase_hits import phrase_hits
from onionwatch.extractors.pipeline import Extractor

TEXTS = [
    "", "Cocaine 1g $80", "COCAINE & Speed 2g", "Меф 1г 2500р, СК крис 0,5", "MDMA crystal 84% - 1g",
    "4-MMC / 4 MMC 10g", "Blue Dream weed", "China white heroin #4 - 1g", "crystal meth ice 3.5g",
    "LSD 200ug blotters x10", "Ketamine S+ ketamine hcl", "  spaced   cocaine  ", "Cocaïne pure",
]  # fmt: skip


def spans_way(matcher: PhraseMatcher, doc: object) -> list[tuple[int, int, str, int]]:
    spans = [Span(doc, s, e, label=m) for m, s, e in matcher(doc)]  # type: ignore[arg-type]
    out = []
    for span in filter_spans(spans):
        level, canonical = span.label_.split("|", 1)
        out.append((span.start_char, span.end_char, canonical, int(level)))
    return out


def test_lexicon_matcher_texts(extractor: Extractor) -> None:
    for lang in ("en", "ru"):
        nlp = extractor.nlp(lang)
        matcher = nlp.get_pipe("onionwatch_substances").matcher  # type: ignore[attr-defined]
        for text in TEXTS:
            doc = nlp.make_doc(text)
            assert phrase_hits(matcher, doc) == spans_way(matcher, doc), text


def _toy() -> tuple[Extractor, PhraseMatcher]:
    nlp = Extractor(model=False).nlp("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases = {"0|a": ["aa", "aa bb"], "1|b": ["bb", "bb cc", "aa bb cc"], "2|c": ["cc", "bb"], "0|d": ["dd cc aa"]}
    for label, words in phrases.items():
        matcher.add(label, [nlp.make_doc(w) for w in words])
    return nlp, matcher  # type: ignore[return-value]


_NLP, _MATCHER = _toy()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["aa", "bb", "cc", "dd", "AA", "x", "-", "  "]), max_size=14))
def test_overlaps_ties_and_duplicates(words: list[str]) -> None:
    """Overlapping, nested, equal-length and same-span matches under several labels."""
    doc = _NLP.make_doc(" ".join(words))  # type: ignore[attr-defined]
    assert phrase_hits(_MATCHER, doc) == spans_way(_MATCHER, doc)
