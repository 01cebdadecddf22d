"""City coordinates (extractors/data/city_coords.yaml) and the canonical name of a city however it is spelled."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from onionwatch.config_errors import read_yaml
from onionwatch.errors import LexiconError
from onionwatch.extractors.places import _key
from onionwatch.paths import package_file

COORDS_PATH = package_file("onionwatch.extractors", "data", "city_coords.yaml")


@dataclass(frozen=True)
class City:
    name: str  # canonical (English) name
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2
    names: tuple[str, ...]  # every spelling, the canonical one first


def _number(where: Path, name: str, field: str, value: object, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not lo <= value <= hi:  # fmt: skip
        raise LexiconError(f"{where}: {name}: {field}: a number from {lo} to {hi}")
    return float(value)


@lru_cache(maxsize=2)
def cities(path: str | None = None) -> dict[str, City]:
    """normalised spelling -> City, for every spelling (LexiconError naming file and entry on a bad table)."""
    where = Path(path) if path else COORDS_PATH
    data = read_yaml(where, LexiconError)
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: (top level): must be a mapping of city -> {{lat, lon, country, names}}")
    out: dict[str, City] = {}
    for name, entry in data.items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            raise LexiconError(f"{where}: {name}: expected {{lat, lon, country, names}}")
        names = entry.get("names", [])
        country = entry.get("country")
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise LexiconError(f"{where}: {name}: names: a list of spellings")
        if not isinstance(country, str) or len(country) != 2:
            raise LexiconError(f"{where}: {name}: country: an ISO 3166 two-letter code")
        city = City(name, _number(where, name, "lat", entry.get("lat"), -90, 90),
                    _number(where, name, "lon", entry.get("lon"), -180, 180), country, (name, *names))  # fmt: skip
        for spelling in city.names:
            out[_key(spelling)] = city
    return out


def find_city(name: str | None) -> City | None:
    """The city a spelling names ("Алматы", "alma-ata", "Almaty"), None when it is not in the table."""
    return cities().get(_key(name)) if name else None


def canonical(name: str) -> str:
    """The canonical name of a known city, else the spelling as given (trimmed)."""
    city = find_city(name)
    return city.name if city else " ".join(name.split())


def group_key(name: str) -> str:
    """One key for every spelling of a city: its canonical name when known, else the normalised spelling."""
    city = find_city(name)
    return city.name if city else _key(name)


def local_name(name: str) -> str:
    """A known city's first Cyrillic spelling ("Almaty" -> "Алматы"), else the name as given."""
    city = find_city(name)
    if city:
        for spelling in city.names:
            if any("\u0400" <= ch <= "\u04ff" for ch in spelling) and len(spelling) > 4:
                return spelling
    return name


def full_name(spelling: str) -> str:
    """A city as an analyst reads it: an abbreviation or case form expanded to the city's full name in the same
    script ("Алм" -> "Алматы", "Мск" -> "Москва", "Msk" -> "Moscow"); other spellings are kept as written."""
    city = find_city(spelling)
    text = " ".join(spelling.split())
    if city is None or len(text) > 4 and not text.isupper():
        return text
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in text)
    for name in city.names:
        if any("\u0400" <= ch <= "\u04ff" for ch in name) == cyrillic and len(name) > 4:
            return name
    return city.name
