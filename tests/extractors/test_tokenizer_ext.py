"""Ext: the fast view of a Doc's extension values agrees with spaCy's `doc._` both ways."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.tokenizer import Ext


def test_ext_reads_and_writes_what_doc_underscore_does() -> None:
    doc = Extractor(model=False).analyse(["Cocaine 1g $80"])[0]
    ext = Ext(doc)
    for name in ("quantities", "prices", "substances", "tiers", "non_drug", "currency_hint", "weak_substances"):
        assert getattr(ext, name) == getattr(doc._, name)
    ext.currency_hint = "EUR"
    assert doc._.currency_hint == "EUR"
    doc._.non_drug = True
    assert ext.non_drug is True


def test_ext_defaults_and_unknown_names() -> None:
    doc = Extractor(model=False).nlp("en").make_doc("nothing analysed")
    assert Ext(doc).non_drug is False and Ext(doc).substances is None
    with pytest.raises(AttributeError):
        _ = Ext(doc).no_such_extension
    with pytest.raises(AttributeError):
        Ext(doc).no_such_extension = 1


def test_ext_refuses_a_getter_extension() -> None:
    Doc.set_extension("ow_test_getter", getter=lambda doc: 1)
    try:
        doc = Extractor(model=False).nlp("en").make_doc("text")
        assert doc._.ow_test_getter == 1
        with pytest.raises(AttributeError):
            _ = Ext(doc).ow_test_getter
    finally:
        Doc.remove_extension("ow_test_getter")


def test_ext_follows_an_extension_registered_again() -> None:
    """A name read once (its property installed) answers from spaCy's current registration afterwards."""
    Doc.set_extension("ow_test_again", default=1)
    try:
        doc = Extractor(model=False).nlp("en").make_doc("text")
        assert Ext(doc).ow_test_again == 1 and Ext(doc).ow_test_again == 1  # the second read: the property
        assert "ow_test_again" in vars(Ext)
        Doc.set_extension("ow_test_again", default=2, force=True)
        assert Ext(doc).ow_test_again == 2 == doc._.ow_test_again
        Doc.set_extension("ow_test_again", getter=lambda d: 3, force=True)
        with pytest.raises(AttributeError):
            _ = Ext(doc).ow_test_again
        Doc.remove_extension("ow_test_again")
        with pytest.raises(AttributeError):
            _ = Ext(doc).ow_test_again
        Doc.set_extension("ow_test_again", default=None)
        doc._.ow_test_again = "set"
        assert Ext(doc).ow_test_again == "set"
    finally:
        if Doc.has_extension("ow_test_again"):
            Doc.remove_extension("ow_test_again")
