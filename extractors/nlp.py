"""The spaCy pipelines: blank en/ru with the regex tokenizer and the onionwatch factories, results on Doc._."""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import onionwatch.extractors.gates  # noqa: F401  (the rule modules' patterns behind first-character gates)
import onionwatch.extractors.substances  # noqa: F401  (registers onionwatch_substances)
from onionwatch.extractors.discovery import find_candidates
from onionwatch.extractors.lexicon import load_lexicon
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities, mark_doses
from onionwatch.extractors.records import Substance
from onionwatch.extractors.sold_out import on_sale
from onionwatch.extractors.tiers import build_tiers
from onionwatch.extractors.tokenizer import Ext, doc_text  # (importing registers the tokenizer)

_EXTENSIONS: dict[str, Any] = {
    "quantities": None,  # list[QtyMention]
    "prices": None,  # list[PriceMention]
    "substances": None,  # list[Substance]
    "tiers": None,  # list[TierMention]
    "non_drug": False,
    "currency_hint": None,  # the market's currency: shorthand prices ("14к") and the preferred price
}
for _name, _default in _EXTENSIONS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

PIPES = ("onionwatch_quantities", "onionwatch_prices", "onionwatch_substances", "onionwatch_discovery",
         "onionwatch_tiers")  # fmt: skip


@Language.component("onionwatch_quantities")
def quantities_component(doc: Doc) -> Doc:
    """Masses, volumes and counts (`doc._.quantities`); per-unit strengths are flagged as doses."""
    text = doc_text(doc)
    qs = find_quantities(text)
    mark_doses(qs, text)
    Ext(doc).quantities = qs
    return doc


@Language.factory("onionwatch_prices", default_config={"default_currency": None})
def make_prices(nlp: Language, name: str, default_currency: str | None) -> Any:
    def prices_component(doc: Doc) -> Doc:
        ext = Ext(doc)
        hint = ext.currency_hint or default_currency
        if hint is None and nlp.lang == "ru":
            hint = "RUB"
        ext.prices = find_prices(doc_text(doc), hint)
        return doc

    return prices_component


@Language.factory("onionwatch_discovery", default_config={"lexicon_path": None, "min_confidence": 0.3})
def make_discovery(nlp: Language, name: str, lexicon_path: str | None, min_confidence: float) -> Any:
    lexicon = load_lexicon(lexicon_path)

    def is_known(surface: str) -> bool:
        return lexicon.lookup(surface) is not None or lexicon.fuzzy_lookup(surface) is not None

    def discovery_component(doc: Doc) -> Doc:
        """Appends unknown substance candidates (known=False) to `doc._.substances`."""
        ext = Ext(doc)
        if ext.non_drug:
            return doc
        subs: list[Substance] = ext.substances or []
        spans = [(s.start, s.end) for s in subs]
        found = False
        for c in find_candidates(doc_text(doc), spans, is_known):
            if c.confidence >= min_confidence:
                subs.append(
                    Substance(c.name, c.cls, doc_text(doc)[c.start : c.end], c.start, c.end, False, c.confidence)
                )
                found = True
        if found and all(lexicon.is_descriptor(s.text) for s in subs if s.known):
            # "10g BK-XYZ Crystal": the crystal is the unknown code's form, not crystal meth (issue 14)
            subs = [s for s in subs if not s.known]
        ext.substances = subs
        return doc

    return discovery_component


@Language.component("onionwatch_tiers")
def tiers_component(doc: Doc) -> Doc:
    """Offer tiers from the quantity and price mentions; tiers[0] is the base offer."""
    ext = Ext(doc)
    qs, ps = on_sale(doc_text(doc), ext.quantities or [], ext.prices or [])  # a sold-out tier is no offer
    ext.tiers = build_tiers(qs, ps, ext.currency_hint)
    return doc


def build_nlp(lang: str, lexicon_path: str | None = None) -> Language:
    """A blank `lang` pipeline with the onionwatch tokenizer and components (no model downloads)."""
    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "onionwatch.regex_tokenizer.v1"}}})
    nlp.add_pipe("onionwatch_quantities")
    nlp.add_pipe("onionwatch_prices")
    nlp.add_pipe("onionwatch_substances", config={"lexicon_path": lexicon_path})
    nlp.add_pipe("onionwatch_discovery", config={"lexicon_path": lexicon_path})
    nlp.add_pipe("onionwatch_tiers")
    return nlp
