"""Running a pipeline's components over Docs already made, without `Language.pipe`'s generator chain."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc


def run_pipes(nlp: Language, docs: Sequence[Doc], batch_size: int = 256) -> Iterator[Doc]:
    """What `nlp.pipe(docs, batch_size=...)` yields, in order. spaCy passes each Doc through one generator per
    component (with an error-handler wrapper around each call); when every component is a plain callable (no
    batch `pipe` method) the same calls in the same order are made here directly, a few microseconds less per
    Doc. A component with its own `pipe` gets spaCy's route."""
    procs = [proc for _name, proc in nlp.pipeline]
    if any(hasattr(proc, "pipe") for proc in procs):
        yield from nlp.pipe(docs, batch_size=batch_size)
        return
    for doc in docs:
        for proc in procs:
            doc = proc(doc)
        yield doc
