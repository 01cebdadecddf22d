"""Write-time search keys both stores index the same way: word stems, the country, folded place names.

- Stems: text is split like SQLite's ``unicode61 remove_diacritics 2`` tokenizer (indexer/elastic_docs.py
  ``fold``); a token with Cyrillic letters goes through the Snowball Russian stemmer, any other through
  the Snowball English one (PyStemmer, C). "мефедрона" and "мефедрону" both become "мефедрон",
  "crystals" becomes "crystal". Query terms are stemmed by the same function, so both stores agree.
- Country: from the listing's city (extractors/data/cities.yaml maps cities to their country's currency),
  else the city read from the location, else a country named in ships_from/location (English or Russian).
- Place keys: city and district casefolded, "ё" as "е", for filters typed in any case.
"""

from __future__ import annotations

import functools
import re

import Stemmer

from onionwatch.extractors.places import city_currency, split_location

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MAX_TOKEN_LEN = 200  # as indexer/elastic_docs.py keeps tokens (below the keyword ignore_above)
_MAX_STEMMED = 20_000  # tokens stemmed per text; beyond that a page is junk and keeps its first ones
_RU = Stemmer.Stemmer("russian")
_EN = Stemmer.Stemmer("english")

CURRENCY_COUNTRY = {
    "KZT": "Kazakhstan", "UZS": "Uzbekistan", "KGS": "Kyrgyzstan", "TJS": "Tajikistan", "GEL": "Georgia",
    "AZN": "Azerbaijan", "AMD": "Armenia", "UAH": "Ukraine", "BYN": "Belarus", "RUB": "Russia",
}  # fmt: skip
# country names and codes as written on pages and typed in filters -> the country's name above
COUNTRY_NAMES = {
    "Kazakhstan": ("kz", "kaz", "kazakhstan", "казахстан", "рк", "кз"),
    "Uzbekistan": ("uz", "uzb", "uzbekistan", "узбекистан"),
    "Kyrgyzstan": ("kg", "kgz", "kyrgyzstan", "kirgizia", "кыргызстан", "киргизия"),
    "Tajikistan": ("tj", "tjk", "tajikistan", "таджикистан"),
    "Georgia": ("ge", "geo", "georgia", "грузия"),
    "Azerbaijan": ("az", "aze", "azerbaijan", "азербайджан"),
    "Armenia": ("am", "arm", "armenia", "армения"),
    "Ukraine": ("ua", "ukr", "ukraine", "украина", "україна"),
    "Belarus": ("by", "blr", "belarus", "беларусь", "белоруссия"),
    "Russia": ("ru", "rus", "russia", "russian federation", "россия", "рф"),
}
_COUNTRY_KEYS = {alias: name for name, aliases in COUNTRY_NAMES.items() for alias in (*aliases, name.lower())}


@functools.lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Lowercase; Latin diacritics dropped like unicode61 (shared with Elasticsearch documents)."""
    from onionwatch.indexer.elastic_docs import fold as _fold

    return _fold(token)


@functools.lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The Snowball stem of one folded token (Russian for Cyrillic, English otherwise)."""
    if not token or token.isdigit():
        return token
    return (_RU if _CYRILLIC.search(token) else _EN).stemWord(token)


def stem_text(text: str | None) -> str:
    """The stems of a text's tokens in order, space separated (what the stemmed full-text column holds)."""
    if not text:
        return ""
    words = _TOKEN_RE.findall(text)
    return " ".join(map(_stem_raw, words[:_MAX_STEMMED] if len(words) > _MAX_STEMMED else words))


@functools.lru_cache(maxsize=200_000)
def _stem_raw(token: str) -> str:
    return stem(fold(token)[:_MAX_TOKEN_LEN])


def place_key(name: str | None) -> str | None:
    """A city or district as a filter key: casefolded, "ё" as "е", spaces collapsed; None when empty."""
    if not name:
        return None
    key = " ".join(name.casefold().replace("ё", "е").split())
    return key or None


def country_key(text: str | None) -> str | None:
    """The country name for a typed country, ISO code or Russian name ("kz", "Казахстан"); None if unknown."""
    key = place_key(text)
    return _COUNTRY_KEYS.get(key) if key else None


@functools.lru_cache(maxsize=20_000)
def country_of(city: str | None, location: str | None, ships_from: str | None) -> str | None:
    """The listing's country: from its city, the location's city, or a country named in ships_from/location."""
    for candidate in (city, split_location(location)[0] if location else None):
        currency = city_currency(candidate)
        if currency in CURRENCY_COUNTRY:
            return CURRENCY_COUNTRY[currency]
    for text in (ships_from, location):
        for part in re.split(r"[,/;|()]", (text or "")[:400]):
            found = country_key(part)
            if found:
                return found
    return None


def query_stem(word: str) -> str:
    """A query word's stem, folded exactly like indexed tokens."""
    return stem(fold(word)[:_MAX_TOKEN_LEN])


def substance_of(raw: str) -> str | None:
    """The canonical substance a query word or phrase names (name, slang or code; not a form descriptor
    such as "crystal"), casefolded as listing_substances stores it; None when it names none."""
    from onionwatch.extractors.lexicon import load_lexicon

    text = raw.strip().rstrip("*").strip()
    if not text or len(text) > 80:
        return None
    lex = load_lexicon()
    found = lex.lookup(text)
    if found is None or lex.level(text.casefold()) >= 2:
        return None
    return found[0].canonical.casefold()
