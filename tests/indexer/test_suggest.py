"""Typed names -> canonical values, or errors with suggestions."""

from __future__ import annotations

import pytest

from onionwatch.errors import QueryError
from onionwatch.indexer.suggest import resolve_class, resolve_known, resolve_substance


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("мефедрон", "mephedrone"), ("Мефедрона", "mephedrone"), ("4-MMC", "mephedrone"), ("меф", "mephedrone"),
     ("alpha-pvp", "alpha-pvp"), ("α-PVP", "alpha-pvp"), ("Cocaine", "cocaine")],
)  # fmt: skip
def test_substances_resolve(name: str, canonical: str) -> None:
    assert resolve_substance(name) == canonical


def test_unknown_substances_suggest() -> None:
    with pytest.raises(QueryError, match=r"^--substance: unknown substance 'mephedrome'; did you mean mephedrone\?"):
        resolve_substance("mephedrome", "--substance")
    with pytest.raises(QueryError, match="not in the lexicon"):
        resolve_substance("zzzzqqq")
    with pytest.raises(QueryError):
        resolve_substance("")


def test_known_values() -> None:
    assert resolve_known("KLAD", ["klad", "alpha"], "--market") == "klad"
    with pytest.raises(QueryError, match=r"^--market: unknown 'nosuch' \(known: alpha, klad\)$"):
        resolve_known("nosuch", ["klad", "alpha"], "--market")
    with pytest.raises(QueryError, match="did you mean alpha"):
        resolve_known("alpah", ["klad", "alpha"], "--market")
    assert resolve_class("Opioid") == "opioid"
    with pytest.raises(QueryError, match="known: .*stimulant"):
        resolve_class("drugs")
