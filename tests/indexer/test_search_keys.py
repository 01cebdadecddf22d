"""Write-time search keys: stems, country, place keys, and which words name a substance."""

from __future__ import annotations

import pytest

from onionwatch.indexer.search_keys import (
    country_key,
    country_of,
    place_key,
    query_stem,
    stem_text,
    substance_of,
)


def test_russian_and_english_forms_share_a_stem() -> None:
    assert query_stem("мефедрона") == query_stem("мефедрону") == query_stem("Мефедрон")
    assert query_stem("crystals") == query_stem("crystal")
    assert query_stem("Кристаллов") == query_stem("кристаллы")
    assert stem_text("Мефедрон, кристаллы! 4-MMC") == "мефедрон кристалл 4 mmc"
    assert stem_text("") == "" and stem_text(None) == ""


def test_stemming_survives_junk() -> None:
    assert stem_text("x" * 100_000).startswith("x")
    assert len(stem_text("x" * 300).split()[0]) <= 200
    assert stem_text("\x00 \udcff 💊 ﬁ") is not None
    assert len(stem_text("w " * 50_000).split()) == 20_000


@pytest.mark.parametrize(
    ("word", "canonical"),
    [("меф", "mephedrone"), ("мефедрона", "mephedrone"), ("4-MMC", "mephedrone"), ("mephedrone", "mephedrone"),
     ("alpha-pvp", "alpha-pvp"), ("α-PVP", "alpha-pvp"), ("скорость", "alpha-pvp"), ("кристаллы", None),
     ("crystal", None), ("hello", None), ("", None), ("x" * 500, None)],
)  # fmt: skip
def test_substance_of(word: str, canonical: str | None) -> None:
    assert substance_of(word) == canonical


def test_country_from_city_location_or_ships_from() -> None:
    assert country_of("Караганда", None, None) == "Kazakhstan"
    assert country_of("Шымкент", None, None) == "Kazakhstan"
    assert country_of(None, "Новосибирск, Центральный", None) == "Russia"
    assert country_of(None, None, "Kazakhstan") == "Kazakhstan"
    assert country_of(None, None, "Узбекистан / Ташкент") == "Uzbekistan"
    assert country_of("Atlantis", "nowhere", "EU") is None
    assert country_key("KZ") == country_key("казахстан") == "Kazakhstan"
    assert place_key("  Ёлкино  Район ") == "елкино район" and place_key("") is None
