"""Places shown on a listing: a location split into city and district, and the currency a city implies.

The city table is data (extractors/data/cities.yaml: currency -> city names in EN and RU spellings).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from onionwatch.config_errors import read_yaml
from onionwatch.errors import LexiconError
from onionwatch.extractors.records import CURRENCIES
from onionwatch.paths import package_file

CITIES_PATH = package_file("onionwatch.extractors", "data", "cities.yaml")
MAX_PLACE_CHARS = 200  # a longer "city" is page junk, not a place name
_SEPARATORS = re.compile(r"\s*(?:/|,|;|›|»|→|\||\s[-–—]\s)\s*")
_PREFIX = re.compile(r"^(?:г\.|город|city(?: of)?|р-н|район|district|мкр\.?|микрорайон)\s*", re.I)


def _key(name: str) -> str:
    return re.sub(r"[\s.\-]+", " ", name.lower().replace("ё", "е")).strip()


@lru_cache(maxsize=2)
def city_table(path: str | None = None) -> dict[str, str]:
    """normalised city name -> ISO currency code (LexiconError naming the file on a bad table)."""
    where = Path(path) if path else CITIES_PATH
    data = read_yaml(where, LexiconError)
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: (top level): must be a mapping of currency -> city names")
    table: dict[str, str] = {}
    for code, names in data.items():
        if code not in CURRENCIES:
            raise LexiconError(f"{where}: {code}: unknown currency (use {', '.join(CURRENCIES)})")
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise LexiconError(f"{where}: {code}: expected a list of city names")
        for name in names:
            table[_key(name)] = code
    return table


def clean_place(text: str | None) -> str | None:
    """A place name as shown, trimmed of "г."/"район" style prefixes and white space; None when empty or junk."""
    if not text:
        return None
    value = _PREFIX.sub("", " ".join(text.split())).strip(" ,/")
    return value if value and len(value) <= MAX_PLACE_CHARS else None


def split_location(location: str | None) -> tuple[str | None, str | None]:
    """("City", "District") from a location like "Almaty, Bostandyk" or "Москва / Тверской"; a single part
    is the city; a first part that is not a known city but a later one is: that one is the city."""
    if not location:
        return None, None
    parts = [p for p in (clean_place(x) for x in _SEPARATORS.split(location[:MAX_PLACE_CHARS * 2])) if p]
    if not parts:
        return None, None
    table = city_table()
    known = [i for i, p in enumerate(parts) if _key(p) in table]
    i = known[0] if known else 0
    rest = parts[i + 1 :] or parts[:i]
    return parts[i], (rest[0] if rest else None)


def city_currency(city: str | None) -> str | None:
    """The currency of the city's country ("Almaty" -> "KZT", "Тбилиси" -> "GEL"), None if unknown."""
    if not city:
        return None
    return city_table().get(_key(clean_place(city) or ""))
