"""extractors/pipes.py: run_pipes gives the Docs nlp.pipe gives."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.pipes import run_pipes
from onionwatch.extractors.tokenizer import Ext

TEXTS = ["Cocaine 1g $80", "1g - $60, 3.5g - $180", "Netflix account", "Меф 1г 2500р", "", "LSD 200ug x10"]


def _results(doc: Doc) -> tuple[object, ...]:
    ext = Ext(doc)
    return (ext.quantities, ext.prices, ext.substances, ext.tiers, ext.non_drug, ext.weak_substances)


def test_same_results_as_nlp_pipe(extractor: Extractor) -> None:
    for lang in ("en", "ru"):
        nlp = extractor.nlp(lang)
        ours = list(run_pipes(nlp, [nlp.make_doc(t) for t in TEXTS]))
        theirs = list(nlp.pipe([nlp.make_doc(t) for t in TEXTS]))
        assert [_results(d) for d in ours] == [_results(d) for d in theirs]


class _Batched:
    """A component with its own batch method: run_pipes leaves it to spaCy."""

    def __init__(self) -> None:
        self.batches = 0

    def __call__(self, doc: Doc) -> Doc:
        raise AssertionError("called one by one")

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        self.batches += 1
        yield from docs


@Language.factory("test_pipes_batched")
def _make_batched(nlp: Language, name: str) -> _Batched:
    return _Batched()


def test_component_with_pipe_goes_through_spacy() -> None:
    nlp: Language = spacy.blank("en")
    batched = nlp.add_pipe("test_pipes_batched")
    docs = [nlp.make_doc(t) for t in ("a b", "c")]
    assert list(run_pipes(nlp, docs)) == docs
    assert batched.batches == 1
