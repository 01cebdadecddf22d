"""The trained drug-class component: a small spaCy text classifier that backs up the lexicon and flags reviews.

The model (extractors/models/drug_class/, trained by bench/train_drug_class.py on the real sets' market
categories, dev split only) reads a listing's title and gives one of the lexicon's classes or `non_drug`.
`apply_model` uses it on extracted listings:

- the lexicon named no substance and the title is not a non-drug text: a drug class scored at least
  MODEL_MIN_SCORE becomes the listing's substance_class (substance stays None), class_source "model",
  flagged for review (reason "model_class");
- the lexicon named one and the model gives an unrelated class (or `non_drug`) scored at least
  DISAGREE_MIN_SCORE: the lexicon's class stays, flagged for review (reason "model_disagrees").
Related classes (stimulant/cathinone/empathogen, cannabinoid/synthetic, opioid/nitazene, benzodiazepine/
sedative) never count as a disagreement. Loading reads local files only (spaCy downloads nothing); the loaded
model's n-gram layer runs `ngram_features` (the same features for a whole batch in one sort).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.attrs import ORTH
from spacy.strings import hash_string  # type: ignore[attr-defined]

from onionwatch.extractors.batch_dedupe import first_of_each
from onionwatch.extractors.lexicon import CLASSES
from onionwatch.extractors.text import normalize
from onionwatch.paths import package_file

if TYPE_CHECKING:
    from spacy.language import Language

    from onionwatch.extractors.records import Listing

NON_DRUG = "non_drug"
LABELS = (*CLASSES, NON_DRUG)
DEFAULT_MODEL_PATH = package_file("onionwatch.extractors", "models", "drug_class")
MODEL_MIN_SCORE = 0.6  # tuned on the dev-holdout (bench/train_drug_class.py, bench/eval_extract.py --split dev)
DISAGREE_MIN_SCORE = 0.9
MAX_MODEL_CHARS = 300
REASON_MODEL = "model_class"
REASON_DISAGREE = "model_disagrees"
REVIEW_REASONS = (REASON_MODEL, REASON_DISAGREE)
CLASS_SOURCES = ("lexicon", "model")
_RELATED = ({"stimulant", "cathinone", "empathogen"}, {"cannabinoid", "synthetic_cannabinoid"},
            {"opioid", "nitazene"}, {"benzodiazepine", "sedative"})  # fmt: skip


_spacy_ngrams: Any = None  # spaCy's extract_ngrams forward (set on the first load)
_WORDS = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|[^\w\s]")


def model_text(text: str) -> str:
    """What the model reads: the first MAX_MODEL_CHARS characters, homoglyph-repaired and lower-cased."""
    return normalize(text if isinstance(text, str) else "", MAX_MODEL_CHARS).lower()


def model_words(text: str) -> list[str]:
    """The model's tokens of a model_text: letter runs, digit groups, single punctuation marks (as the
    extraction tokenizer, extractors/tokenizer.py, splits)."""
    return _WORDS.findall(text)


class _Words:
    """What the bag-of-ngrams layer reads from a Doc (`to_array([ORTH])`: the hashes of the token texts),
    made straight from the words: no Doc, no lexemes added to a vocabulary that would grow with every text."""

    __slots__ = ("keys",)

    def __init__(self, words: list[str]) -> None:
        self.keys = np.fromiter(map(hash_string, words), dtype=np.uint64, count=len(words))

    def to_array(self, attrs: Any) -> np.ndarray:
        if list(attrs) != [ORTH]:
            raise ValueError("the drug-class model reads ORTH only")
        return self.keys


def ngram_features(model: Any, docs: Sequence[Any], is_train: bool) -> tuple[Any, Any]:
    """spaCy's extract_ngrams forward (spacy/ml/extract_ngrams.py) for a whole batch of _Words at once: the same
    keys (unique n-gram hashes, ascending per text), counts and lengths, from one sort instead of one np.unique
    per text. Any other input goes to spaCy's own forward."""
    if not docs or not all(isinstance(d, _Words) for d in docs):
        return _spacy_ngrams(model, docs, is_train)
    keys = np.concatenate([d.keys for d in docs])
    sizes = np.fromiter((len(d.keys) for d in docs), dtype=np.int64, count=len(docs))
    owner = np.repeat(np.arange(len(docs)), sizes)  # the text each key is from
    feats, feat_owner = [keys], [owner]
    for n in range(2, model.attrs["ngram_size"] + 1):
        grams = model.ops.ngrams(n, keys)  # hashes of every n keys in a row, across texts too ...
        inside = owner[: len(grams)] == owner[n - 1 : n - 1 + len(grams)]  # ... kept where all n are one text's
        feats.append(grams[inside])
        feat_owner.append(owner[: len(grams)][inside])
    all_keys, all_owner = np.concatenate(feats), np.concatenate(feat_owner)
    order = np.lexsort((all_keys, all_owner))
    all_keys, all_owner = all_keys[order], all_owner[order]
    first = np.ones(len(all_keys), dtype=bool)  # the first of each run of one (text, key)
    first[1:] = (all_keys[1:] != all_keys[:-1]) | (all_owner[1:] != all_owner[:-1])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(all_keys)))
    lengths = model.ops.asarray(np.bincount(all_owner[starts], minlength=len(docs)), dtype="int32")
    vals = model.ops.asarray(counts, dtype="f")

    def backprop(d_y: Any) -> list[Any]:
        return []

    return (all_keys[starts], vals, lengths), backprop


def _fast_featurisation(nlp: Language) -> None:
    """Swap the loaded textcat's extract_ngrams forward for ngram_features (when the model has that layer)."""
    global _spacy_ngrams
    for node in nlp.get_pipe("textcat").model.walk():  # type: ignore[attr-defined]
        if node.name == "extract_ngrams" and node.attrs.get("attr") == ORTH and node._func is not ngram_features:
            _spacy_ngrams = node._func
            node._func = ngram_features


def related(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _RELATED)


class DrugClassifier:
    """The shipped textcat pipeline, loaded on first use."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else DEFAULT_MODEL_PATH
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = _load(str(self.path))
        return self._nlp

    def predict(self, texts: Sequence[str], batch_size: int = 512) -> list[tuple[str, float]]:
        """(label, score) of the best class per text; a text without words is ("non_drug", 0.0). A text repeated
        in `texts` is scored once (the bag-of-n-grams model scores each text on its own)."""
        unique, source = first_of_each([t if isinstance(t, str) else "" for t in texts])
        if len(unique) < len(texts):
            scored = self.predict([texts[i] for i in unique], batch_size)
            by_first = dict(zip(unique, scored, strict=True))
            return [by_first[s] for s in source]
        words = [model_words(model_text(t)) for t in texts]
        out: list[tuple[str, float]] = [(NON_DRUG, 0.0)] * len(words)
        idx = [i for i, w in enumerate(words) if w]
        textcat: Any = self.nlp.get_pipe("textcat")
        labels = textcat.labels
        docs = [_Words(words[i]) for i in idx]
        for start in range(0, len(docs), batch_size):
            chunk = docs[start : start + batch_size]
            scores = textcat.model.predict(chunk)  # one score matrix per batch
            best = scores.argmax(axis=1)
            for j, (k, row) in enumerate(zip(best, scores, strict=True)):
                out[idx[start + j]] = (labels[int(k)], float(row[int(k)]))
        return out


@lru_cache(maxsize=4)
def _load(path: str) -> Language:
    import spacy

    from onionwatch.errors import ConfigError

    if not (Path(path) / "config.cfg").is_file():
        raise ConfigError(f"{path}: drug-class model missing (train it: bench/train_drug_class.py)")
    nlp = spacy.load(path)  # a local directory: no download
    _fast_featurisation(nlp)
    return nlp


def apply_model(listings: Sequence[Listing], predictions: Sequence[tuple[str, float]], non_drug: Sequence[bool],
                min_score: float = MODEL_MIN_SCORE, disagree_score: float = DISAGREE_MIN_SCORE) -> None:
    """Set class_source / review / review_reason on each listing (the module doc's rules); in place."""
    for listing, (label, score), skip in zip(listings, predictions, non_drug, strict=True):
        if listing.substance_class is not None:
            listing.class_source = "lexicon"
            if score >= disagree_score and not related(label, listing.substance_class):
                listing.review, listing.review_reason = True, REASON_DISAGREE
        elif not skip and label != NON_DRUG and score >= min_score:
            listing.substance_class, listing.class_source = label, "model"
            listing.review, listing.review_reason = True, REASON_MODEL
