"""onionwatch/watch_input.py: what an analyst types becomes a canonical watch, or a refusal with suggestions."""

from __future__ import annotations

import pytest

from onionwatch.errors import QueryError
from onionwatch.watch_input import canonical_substance, known_class, known_market, normalise


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("мефедрон", "mephedrone"), ("МЕФЕДРОНА", "mephedrone"), ("4-MMC", "mephedrone"), ("меф", "mephedrone"),
     ("mephedrome", "mephedrone"), ("Mephedrone", "mephedrone"), ("кокс", "cocaine"), ("alpha-pvp", "alpha-pvp"), ("alfa-pvp", "alpha-pvp")],
)
def test_names_slang_and_forms_map_to_the_canonical_substance(typed: str, canonical: str) -> None:
    assert canonical_substance(typed) == canonical


def test_unknown_substances_get_suggestions() -> None:
    with pytest.raises(QueryError, match=r"unknown substance 'alpah-pvp'; did you mean 'alpha-pvp'"):
        canonical_substance("alpah-pvp")
    with pytest.raises(QueryError) as info:
        canonical_substance("qqqqqqqq")
    assert "did you mean" not in str(info.value)


def test_classes_and_markets() -> None:
    assert known_class("Synthetic cannabinoid") == "synthetic_cannabinoid"
    with pytest.raises(QueryError, match="did you mean 'opioid'"):
        known_class("opioids")
    assert known_market("KLAD", ["alpha", "klad"]) == "klad"
    with pytest.raises(QueryError, match="no market 'kalds'; did you mean 'klad'"):
        known_market("kalds", ["alpha", "klad"])


def test_normalise_drops_empty_fields() -> None:
    raw = {"name": " w ", "substance": "меф", "vendor": "", "keyword": None, "substance_class": "cathinone"}
    assert normalise(raw, []) == {"name": "w", "substance": "mephedrone", "substance_class": "cathinone"}
