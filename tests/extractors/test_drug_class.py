"""The trained drug-class component: the shipped model, the review rules, and the pipeline hook."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest
from spacy.ml.extract_ngrams import forward as spacy_ngrams
from spacy.tokens import Doc

from onionwatch.crawler.items import RawListing
from onionwatch.errors import ConfigError
from onionwatch.extractors.drug_class import (
    DEFAULT_MODEL_PATH,
    LABELS,
    REASON_DISAGREE,
    REASON_MODEL,
    DrugClassifier,
    _Words,
    apply_model,
    model_text,
    model_words,
    ngram_features,
    related,
)
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Listing


@pytest.fixture(scope="module")
def clf() -> DrugClassifier:
    return DrugClassifier()


def _listing(cls: str | None = None) -> Listing:
    return Listing(market="m", listing_id="1", url="/", title="t", description="", vendor="v", vendor_id=None,
                   lang="en", substance="x" if cls else None, substance_class=cls)  # fmt: skip


def test_model_is_shipped_small_and_knows_every_label(clf: DrugClassifier) -> None:
    size = sum(f.stat().st_size for f in Path(DEFAULT_MODEL_PATH).rglob("*") if f.is_file())
    assert size < 6_000_000
    assert set(clf.nlp.get_pipe("textcat").labels) == set(LABELS)


def test_loading_and_predicting_open_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model tried to open a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    from onionwatch.extractors import drug_class

    drug_class._load.cache_clear()
    assert DrugClassifier().predict(["Top shelf OG Kush buds 7g"])[0][0] == "cannabinoid"


@pytest.mark.parametrize(("title", "label"), [
    ("Top shelf OG Kush buds 7g", "cannabinoid"),
    ("Testosterone Enanthate 250mg/ml 10ml vial", "performance"),
    ("Netflix premium account lifetime warranty", "non_drug"),
    ("Xanax 2mg bars x 100", "benzodiazepine"),
])  # fmt: skip
def test_predicts_obvious_titles(clf: DrugClassifier, title: str, label: str) -> None:
    got, score = clf.predict([title])[0]
    assert got == label and 0 < score <= 1


def test_hostile_and_empty_texts(clf: DrugClassifier) -> None:
    out = clf.predict(["", "   ", "!!!" * 100_000, "\x00\ud800 💊" * 1000, None])  # type: ignore[list-item]
    assert out[0] == ("non_drug", 0.0) and out[1] == ("non_drug", 0.0) and out[4] == ("non_drug", 0.0)
    assert all(lbl in LABELS for lbl, _ in out)


def test_repeated_texts_are_scored_once_and_alike(clf: DrugClassifier) -> None:
    texts = ["Cocaine 1g", "Мефедрон 1г", "Cocaine 1g", "", "Fresh CVV dumps", "Мефедрон 1г", "Cocaine 1g"]
    assert clf.predict(texts) == [clf.predict([t])[0] for t in texts]


def test_model_words_split_letters_digits_punctuation() -> None:
    assert model_words("4-mmc 1,5g!") == ["4", "-", "mmc", "1,5", "g", "!"]


def test_missing_model_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="drug-class model missing"):
        DrugClassifier(tmp_path).predict(["x"])


def test_rules_model_class_disagreement_related_and_non_drug() -> None:
    none, lex, rel, far, nd = _listing(), _listing("stimulant"), _listing("cathinone"), _listing("opioid"), _listing()
    apply_model([none, lex, rel, far, nd],
                [("cannabinoid", 0.95), ("stimulant", 0.99), ("stimulant", 0.99), ("cannabinoid", 0.97),
                 ("opioid", 0.99)], [False, False, False, False, True])  # fmt: skip
    assert (none.substance, none.substance_class, none.class_source, none.review, none.review_reason) == (
        None, "cannabinoid", "model", True, REASON_MODEL)
    assert (lex.class_source, lex.review) == ("lexicon", False)
    assert (rel.review, far.review, far.review_reason) == (False, True, REASON_DISAGREE)
    assert far.substance_class == "opioid"  # the lexicon's class stays
    assert (nd.substance_class, nd.review) == (None, False)  # a non-drug title is never given a class
    low = _listing()
    apply_model([low], [("cannabinoid", 0.3)], [False])
    assert (low.substance_class, low.class_source, low.review) == (None, None, False)
    assert related("cannabinoid", "synthetic_cannabinoid") and not related("opioid", "stimulant")


def test_pipeline_hook_with_and_without_model() -> None:
    raws = [RawListing(market="m", listing_id=str(i), url="/", title=t) for i, t in enumerate(
        ["Cocaine 1g 90% pure", "Top shelf OG Kush buds 7g zip", "Netflix account lifetime"])]  # fmt: skip
    on = Extractor().listings(raws)
    assert [x.class_source for x in on] == ["lexicon", "lexicon", None]
    assert not any(x.review for x in on)
    off = Extractor(model=False).listings(raws)
    assert [x.class_source for x in off] == [None, None, None]


def test_pipeline_model_backs_up_the_lexicon(tmp_path: Path) -> None:
    # a lexicon that knows cocaine only: the cannabis listing is left to the model
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text("cocaine: {class: stimulant, aliases: [cocaine]}\n", encoding="utf-8")
    x = Extractor(lexicon_path=lexicon)
    raws = [RawListing(market="m", listing_id=str(i), url="/", title=t) for i, t in enumerate(
        ["Top shelf OG Kush buds 7g zip", "Cocaine 1g 90% pure"])]  # fmt: skip
    weed, coke = x.listings(raws)
    assert (weed.substance, weed.substance_class, weed.class_source, weed.review, weed.review_reason) == (
        None, "cannabinoid", "model", True, REASON_MODEL)
    assert (coke.substance, coke.class_source, coke.review) == ("cocaine", "lexicon", False)
    assert x.listings(raws, model=False)[0].substance_class is None


def _ngram_layer(clf: DrugClassifier):  # type: ignore[no-untyped-def]
    return next(n for n in clf.nlp.get_pipe("textcat").model.walk() if n.name == "extract_ngrams")  # type: ignore[attr-defined]


def test_batched_ngram_features_equal_spacys(clf: DrugClassifier) -> None:
    layer = _ngram_layer(clf)
    assert layer._func is ngram_features  # the loaded model uses the batched forward
    titles = ["Cocaine 1g 90% pure", "weed", "Меф 1г Меф 1г Меф 1г", "a a a a", "!!!", "4-MMC / 3-MMC 5g",
              "x" * 500, "Xanax 2mg bars x100 xanax bars"]  # fmt: skip
    docs = [_Words(model_words(model_text(t))) for t in titles]
    want, got = spacy_ngrams(layer, docs, False)[0], ngram_features(layer, docs, True)[0]  # with_cpu: is_train
    for a, b in zip(want, got, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert list(got[2]) == [len(set(d.keys)) + len(set(zip(d.keys, d.keys[1:], strict=False))) for d in docs]


def test_predict_runs_the_batched_features(clf: DrugClassifier, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr("onionwatch.extractors.drug_class._spacy_ngrams", lambda *a: calls.append(1))
    assert clf.predict(["Cocaine 1g", "Меф 1г"])[0][0] == "stimulant" and calls == []


def test_ngram_features_leave_docs_to_spacy(clf: DrugClassifier) -> None:
    layer = _ngram_layer(clf)
    doc = Doc(clf.nlp.vocab, words=["cocaine", "1", "g"])
    (keys, vals, lengths), _ = ngram_features(layer, [doc], True)
    assert list(lengths) == [5] and list(vals) == [1.0] * 5 and len(keys) == 5


def test_predict_reads_each_rows_best_label_and_score(clf: DrugClassifier) -> None:
    """The (label, score) pairs read out of the batch's score matrix at once equal each row's own argmax and max
    (the score a Python float), across batch boundaries and with wordless texts between."""
    texts = ["Cocaine 1g 90%", "", "Xanax 2mg bars x10", "!!!", "Мефедрон 1г", "Netflix account", "LSD 200ug"] * 3
    got = clf.predict(texts, batch_size=4)
    textcat = clf.nlp.get_pipe("textcat")
    for text, (label, score) in zip(texts, got, strict=True):
        words = model_words(model_text(text))
        if not words:
            assert (label, score) == ("non_drug", 0.0)
            continue
        row = textcat.model.predict([_Words(words)])[0]  # type: ignore[attr-defined]
        assert label == textcat.labels[int(np.argmax(row))]  # type: ignore[attr-defined]
        assert type(score) is float and score == float(row.max())
