"""extractors/geo.py: every city of cities.yaml has coordinates; spellings meet in one canonical name."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.config_errors import read_yaml
from onionwatch.errors import LexiconError
from onionwatch.extractors import geo
from onionwatch.extractors.places import CITIES_PATH


def test_every_city_name_in_cities_yaml_has_coordinates() -> None:
    data = read_yaml(CITIES_PATH, LexiconError)
    missing = [n for k, names in data.items() if k != "districts" for n in names if geo.find_city(n) is None]
    assert missing == []


def test_coordinates_are_plausible_for_the_region() -> None:
    for city in set(geo.cities().values()):
        # the CIS box up to the Arctic (Murmansk 69° N) and the Amur (Komsomolsk-on-Amur 137° E)
        assert 35 <= city.lat <= 70 and 19 <= city.lon <= 140, city
    almaty = geo.find_city("Almaty")
    assert almaty is not None and (round(almaty.lat), round(almaty.lon)) == (43, 77)


@pytest.mark.parametrize("spelling", ["Алматы", "alma-ata", "ALMATY", " Алма-Ата "])
def test_spellings_meet(spelling: str) -> None:
    assert geo.canonical(spelling) == "Almaty"


def test_unknown_city_keeps_its_spelling() -> None:
    assert geo.find_city("Atlantis") is None
    assert geo.canonical("  New   Town ") == "New Town"


def test_a_bad_table_names_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "coords.yaml"
    bad.write_text("Almaty: {lat: 143.2, lon: 76.9, country: KZ, names: []}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"coords\.yaml: Almaty: lat: a number from -90 to 90"):
        geo.cities(str(bad))


@pytest.mark.parametrize(
    ("spelling", "full"),
    [("Алм", "Алматы"), ("МСК", "Москва"), ("Msk", "Moscow"), ("СПб", "Санкт-Петербург"), ("Нск", "Новосибирск"),
     ("АЛМАТЫ", "Алматы"), ("Almaty", "Almaty"), ("Springfield", "Springfield")],
)
def test_full_name_expands_abbreviations(spelling: str, full: str) -> None:
    assert geo.full_name(spelling) == full


def test_local_name_is_the_cyrillic_spelling() -> None:
    assert geo.local_name("Almaty") == "Алматы" and geo.local_name("Springfield") == "Springfield"
