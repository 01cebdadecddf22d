"""Places shown on a listing: a location split into city and district, and the currency a city implies.

The city table is data (extractors/data/cities.yaml: currency -> city names in EN and RU spellings, and
`districts`: city -> its districts and micro-districts). COUNTRY_CURRENCY below is the one country -> currency
table: a city missing from cities.yaml but known to city_coords.yaml gets its country's currency.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from onionwatch.config_errors import read_yaml
from onionwatch.errors import LexiconError
from onionwatch.extractors.records import CURRENCIES
from onionwatch.paths import package_file

CITIES_PATH = package_file("onionwatch.extractors", "data", "cities.yaml")
MAX_PLACE_CHARS = 200  # a longer "city" is page junk, not a place name
_SEPARATORS = re.compile(r"\s*(?:/|,|;|›|»|→|\||\s[-–—]\s)\s*")
DISTRICTS_KEY = "districts"
# ISO 3166 country -> ISO 4217 currency: the currency of a price written without one in that country's city
COUNTRY_CURRENCY = {
    "KZ": "KZT", "RU": "RUB", "UZ": "UZS", "KG": "KGS", "TJ": "TJS", "GE": "GEL", "UA": "UAH", "BY": "BYN",
    "AZ": "AZN", "AM": "AMD", "MD": "MDL", "TM": "TMT", "US": "USD", "GB": "GBP", "DE": "EUR", "NL": "EUR",
    "FR": "EUR", "ES": "EUR", "IT": "EUR", "PL": "PLN", "TR": "TRY",
}  # fmt: skip
_ADJ_END = re.compile(r"(?:ский|ской|ckiy|sky|ский р-н|ий)$")
# an adjectival district in another case ("в Бостандыкском районе", "по Ауэзовскому"): its listed name is shown
_ADJ_CASE = re.compile(r"(?:ском|ского|скому|ским)$")
# "пос.", "п.", "ЖМ", "кв." (issue 14, tg_dev2026j: "пос. Пришахтинск", "п. Калкаман", "ЖМ Кок-Жиек")
_PREFIX = re.compile(r"^(?:г\.|город|city(?: of)?|р-н|район|district|мкр\.?|микрорайон|mkrn?\.?|м\.|метро|"
                     r"ст\.\s?м\.|ж/м|жилмассив|массив|пос\.|п\.|пос[её]лок|жм(?![^\W\d_])|ж\.м\.|кв\.|"
                     r"квартал)\s*", re.I)
# a city or district marker after the name in Kazakh or Uzbek ("Алматы қ.", "Алматы қаласы", "Бостандық ауданы",
# "Toshkent sh.", "Chilonzor tumani"; issue 14, ru_dev2026e): the name alone is the place of a listing's location
# (a Telegram heading reads them itself: telegram_offers)
_SUFFIX = re.compile(r"\s+(?:қ\.?|қаласы|ауданы|ауд\.|sh\.|shahri|шаҳри|tumani|тумани|"
                     # Kyrgyz "Бишкек ш.", "Ош шаары", "Ленин району"; Kazakh Latin "Almaty q.", "Medeu audany"
                     # (issue 14, ru_dev2026j)
                     r"ш\.?|шаары|району|q\.|qalasy|audany|aýdany|shahar)$", re.I)
# the same marker before the name: Tajik and Kyrgyz "ш. Душанбе" (шаҳри), Uzbek "sh. Toshkent" (issue 14, ru_dev2026j)
_CITY_MARK_BEFORE = re.compile(r"^(?:ш\.|sh\.|q\.)\s*", re.I)
# a road, street, shopping centre, stop or metro station shown where the city goes ("Трасса М5 / 120 км", "ТЦ Мега /
# парковка", "ул. Абая / дворы", "м. Академическая"; issue 14, ru_dev2026j): a landmark, no city
_LANDMARK = re.compile(
    r"^(?:трасс[аы]|шоссе|автодорог\w*|объездн\w*|кольцев\w*|(?:м|эк)?кад|ул\.|улиц\w*|пр\.|пр-т|просп\w*|пер\.|"
    r"переул\w*|б-р|бульвар\w*|наб\.|набережн\w*|пл\.|площад\w*|тц|трц|тк|тд|торгов\w*|рын(?:ок|ка)|"
    r"остановк\w*|ост\.|метро|м\.|ст\.\s?м\.|станци\w*|вокзал\w*|аэропорт\w*|парк|сквер|\d+(?:[.,]\d+)?\s?км|"
    # the same in Latin-letter Russian ("Trassa M5 / 120 km", "TTs Mega", "ul. Abaya")
    r"trass[ay]|shosse|ul\.|ulitsa|prospekt|pr-t|tts|trts|tc|trc|metro|ostanovka|rynok|vokzal|\d+(?:[.,]\d+)?\s?km)"
    r"(?![^\W\d_])",
    re.I,
)
# a region, not a city ("Алматинская обл. / Каскелен", "Московская область / Химки", "МО / Балашиха", "Ош облусу /
# Кара-Суу", "Samarqand viloyati / Urgut"; issue 14, ru_dev2026j probes): the town after it is the city
_REGION = re.compile(r"(?:^|\s)(?:обл\.?|область|облысы|облусу|viloyati|вилояти|вилоятi|oblast|region)$|"
                     r"^(?:мо|ло|ленобласть|подмосковье)$", re.I)
# "Almaty city", "Bishkek city": a known city with the English word after it (issue 14, ru_dev2026j probes)
_CITY_WORD = re.compile(r"\s+city$", re.I)
# the letters of the Kazakh, Uzbek, Kyrgyz and Tajik Cyrillic alphabets and of the Kazakh and Uzbek Latin ones folded
# to their Russian or plain Latin look-alikes: "Нұр-Сұлтан" is "Нур-Султан", "Хуҷанд" "Худжанд", "Qaraǵandy"
# "Qaragandy", "Semeı" "Semei" (issue 14, ru_dev2026j)
_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
                       "ў": "у", "ҳ": "х", "ҷ": "дж", "ӣ": "и", "ӯ": "у", "á": "a", "ǵ": "g", "ı": "i", "ń": "n",
                       "ó": "o", "ú": "u", "ý": "y", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u"})
# a spoken name of an adjectival district: its stem and "-ка" ("Алмалинка", "Кировка"), at least five letters before it
_COLLOQUIAL = re.compile(r"^([^\W\d_]{5,})ка$")
_NUMBERED = re.compile(r"^(.*?[^\W\d_])[\s-]?\d{1,2}[а-яa-z]?$")  # "Чиланзар-9", "Джал 23", "Аксай-1А"


def _key(name: str) -> str:
    return re.sub(r"[\s.\-]+", " ", name.lower().replace("ё", "е").translate(_FOLD)).strip()


@lru_cache(maxsize=2)
def city_table(path: str | None = None) -> dict[str, str]:
    """normalised city name -> ISO currency code (LexiconError naming the file on a bad table)."""
    where = Path(path) if path else CITIES_PATH
    data = read_yaml(where, LexiconError)
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: (top level): must be a mapping of currency -> city names")
    table: dict[str, str] = {}
    for code, names in data.items():
        if code == DISTRICTS_KEY:
            continue
        if code not in CURRENCIES:
            raise LexiconError(f"{where}: {code}: unknown currency (use {', '.join(CURRENCIES)})")
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise LexiconError(f"{where}: {code}: expected a list of city names")
        for name in names:
            table[_key(name)] = code
    return table


def country_currency(country: str | None) -> str | None:
    """The currency of an ISO 3166 country code ("KZ" -> "KZT"), None when unknown or not one we price in."""
    code = COUNTRY_CURRENCY.get((country or "").upper())
    return code if code in CURRENCIES else None


_LOCAL_LETTERS = re.compile(r"[әғқңөұүһіӣҳҷҷʻ]", re.I)  # Kazakh, Kyrgyz, Uzbek and Tajik letters Russian lacks


def _district_key(name: str) -> str:
    """One key for "Бостандыкский", "Бостандык" and "бостандыкский р-н"."""
    return _ADJ_END.sub("", _key(name)).strip()


@lru_cache(maxsize=2)
def district_table(path: str | None = None) -> dict[str, tuple[str, str]]:
    """district key -> (the district as listed, the city it is in); a name two cities share maps to city ""."""
    where = Path(path) if path else CITIES_PATH
    data: Any = read_yaml(where, LexiconError)
    raw = data.get(DISTRICTS_KEY) if isinstance(data, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: {DISTRICTS_KEY}: expected a mapping of city -> district names")
    table: dict[str, tuple[str, str]] = {}
    for city, names in raw.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise LexiconError(f"{where}: {DISTRICTS_KEY}: {city}: expected a list of district names")
        for name in names:
            key = _district_key(name)
            prev = table.get(key)
            # a Kazakh/Uzbek/Tajik spelling ("Бостандық") folds onto the Russian one's key: it names no district
            # of its own, the Russian spelling stays the name shown
            shown = prev[0] if prev is not None and _LOCAL_LETTERS.search(name) else name
            table[key] = (shown, str(city) if prev is None or prev[1] == str(city) else "")
    return table


def known_district(name: str | None) -> tuple[str, str] | None:
    """(district as listed, its city or "" when several cities have one so named) for a known district name."""
    if not name or len(name) > MAX_PLACE_CHARS:
        return None
    table = district_table()
    key = _district_key(clean_place(name) or "")
    found = table.get(key) or table.get(_ADJ_CASE.sub("", key))
    if found is None and (m := _NUMBERED.match(key)):
        found = table.get(_district_key(m.group(1)))  # a numbered quarter of a known micro-district
    if found is None and (m := _COLLOQUIAL.match(key)) and (hit := table.get(m.group(1))) and _ADJ_NAME.search(hit[0]):
        found = hit  # "Алмалинка": the spoken "-ка" form of the listed "Алмалинский" (issue 14, tg_dev2026k)
    return found


@lru_cache(maxsize=2)
def _by_city(path: str | None = None) -> dict[str, list[str]]:
    """city (as named in cities.yaml) -> its listed districts."""
    data: Any = read_yaml(Path(path) if path else CITIES_PATH, LexiconError)
    raw = data.get(DISTRICTS_KEY) if isinstance(data, dict) else None
    return {str(c): list(n) for c, n in raw.items()} if isinstance(raw, dict) else {}


_ABBREV = re.compile(r"([^\W\d_]{3,}(?:-[^\W\d_]{2,})*)\.")  # "Бост.", "Аль-Фараб." (tg_dev2026l)
_ADJ_NAME = re.compile(r"(?:ский|ской|ий)$")
# "Ал-ский", "Св-ский": the first letters, a hyphen and the adjectival ending (issue 14, tg_dev2026m)
_ABBREV_ADJ = re.compile(r"([^\W\d_]{2,})-(?:ский|ской)")


def expand_abbreviation(name: str, city_key: str) -> str | None:
    """The listed district an abbreviation names in the city whose geo group key is `city_key` ("Алм." in Astana ->
    "Алматинский", "Бост." in Almaty -> "Бостандыкский"): the one listed name starting so, an adjectival one when
    several do (the abbreviation stood before "р-н"); None when none or several."""
    text = name.strip()
    m = _ABBREV.fullmatch(text)
    short = m is None  # "Ал-ский": only the adjectival form
    m = m or _ABBREV_ADJ.fullmatch(text)
    if m is None:
        return None
    stem = _key(m.group(1))
    names = [n for n in _district_names_by_group().get(city_key, ()) if _key(n).startswith(stem)]
    adjectival = [n for n in names if _ADJ_NAME.search(n)]
    if short:  # "Ал-ский" names an adjectival district only
        return adjectival[0] if len(adjectival) == 1 else None
    pick = adjectival if len(adjectival) == 1 else names
    return pick[0] if len(pick) == 1 else None


_MIN_MISSPELT = 8  # a shorter name one letter from a listed one is as likely another place ("Самал" / "Сабал")


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by exactly one letter replaced, added or dropped (rapidfuzz, as extractors/fuzzy.py)."""
    return Levenshtein.distance(a, b, score_cutoff=1) == 1


def misspelt_district(name: str, city_key: str) -> str | None:
    """The listed district of the city whose geo group key is `city_key` that an unknown name misspells by one letter
    ("Бастандыкский" in Almaty -> "Бостандыкский"; issue 14, tg_dev2026p): the one listed name so close, for names in
    Russian letters of at least 8 letters; None for a known name, none or several."""
    key = _spelled(name)
    if len(key) < _MIN_MISSPELT or not _RUSSIAN_LETTERS.fullmatch(key) or known_district(name) is not None:
        return None  # a Kazakh, Uzbek or Latin spelling ("Майқұдық", "Bostandyq") is another name form, kept as written
    names = {n for n in _district_names_by_group().get(city_key, ())
             if _one_edit(_spelled(n), key) and _unjoined(n) != _unjoined(key)}
    return names.pop() if len(names) == 1 else None


# a name in Russian letters only (typos are repaired in Russian spellings; other alphabets' forms are kept as written)
_RUSSIAN_LETTERS = re.compile(r"[а-яе\s-]+")


def _spelled(name: str) -> str:
    return name.strip().casefold().replace("ё", "е")


def _unjoined(name: str) -> str:
    """The name without hyphens and spaces: "Кара-Камыш" and "Каракамыш" are one name written two ways, no typo."""
    return re.sub(r"[\s-]", "", _spelled(name))


def district_in_city(name: str, city_key: str) -> bool:
    """Whether the city whose geo group key is `city_key` lists a district so named ("Ленинский" in Bishkek)."""
    key = _district_key(clean_place(name) or "")
    return bool(key) and key in _district_keys_by_group().get(city_key, ())


@lru_cache(maxsize=1)
def _district_keys_by_group() -> dict[str, frozenset[str]]:
    """Each city's geo group key -> the keys of the districts it lists (built once: `district_in_city` is asked
    for every city-less offer of a chat with a header or title city)."""
    return {k: frozenset(_district_key(n) for n in ns) for k, ns in _district_names_by_group().items()}


@lru_cache(maxsize=1)
def _district_names_by_group() -> dict[str, tuple[str, ...]]:
    """Each city's geo group key -> the districts its cities list, once each, in cities.yaml's order (built once)."""
    from onionwatch.extractors.geo import group_key  # geo imports this module

    out: dict[str, dict[str, None]] = {}
    for c, ns in _by_city().items():
        out.setdefault(group_key(c), {}).update(dict.fromkeys(ns))
    return {k: tuple(v) for k, v in out.items()}


def district_as_shown(name: str) -> str | None:
    """A district as the analyst reads it: as written, but an adjectival name in another case in its listed form
    ("Бостандыкском" -> "Бостандыкский"); None when empty or junk."""
    shown = clean_place(name)
    if shown and _ADJ_CASE.search(_key(shown)) and (found := known_district(shown)):
        return found[0]
    return shown


def district_form(words: str) -> str | None:
    """The listed name of a known district written in a Russian case form after "в"/"на" ("в Джале" -> "Джал", "на
    Левом берегу" -> "Левый берег"; issue 14, tg_dev2026o), else None. One or two words, each at least 4 letters."""
    parts = words.split()
    if not 1 <= len(parts) <= 2 or any(len(w) < 4 for w in parts):
        return None
    forms = []
    for w in parts:
        stem1, stem2 = w[:-1], w[:-2]
        forms.append(dict.fromkeys([w, stem1, stem1 + "а", stem1 + "ь", stem1 + "й", stem2 + "ый", stem2 + "ий",
                                    stem2 + "ой", stem2 + "а"]))
    combos = [[a] for a in forms[0]] if len(parts) == 1 else [[a, b] for a in forms[0] for b in forms[1]]
    for combo in combos:
        if (found := known_district(" ".join(combo))) is not None:
            return found[0]
    return None


def clean_place(text: str | None) -> str | None:
    """A place name as shown, trimmed of "г."/"район" style prefixes and white space; None when empty or junk."""
    if not text:
        return None
    value = _PREFIX.sub("", " ".join(text.split())).strip(" ,/")
    return value if value and len(value) <= MAX_PLACE_CHARS else None


def city_form(word: str | None) -> str | None:
    """The known city a word names, also in a Russian case form ("в Москве", "по Астане", "в Шымкенте",
    "в Казани"): the nominative spelling, else None."""
    if not word or len(word) > 40:
        return None
    table = city_table()
    w = word.strip(" .,:;!()")
    if _key(w) in table:
        return w
    if len(w) < 5 or not re.search(r"[а-яё]$", w):
        return None
    stem = w[:-1]
    for cand in (stem + "а", stem, stem + "ь", w[:-2] + "а", w[:-2]):
        if _key(cand) in table:
            return cand
    return None


# a location head that names no place ("Все города / по запросу", "Под заказ / клад", "Вся Россия / почта"; issue 14,
# ru_dev2026h): no city, rather than the phrase as a city
_NO_PLACE = re.compile(
    r"(?:все\s+город\w*|любой\s+город|в\s+любом\s+городе|вся\s+[^\W\d_]+|весь\s+[^\W\d_]+|по\s+все[йм]у?\s+[^\W\d_]+|"
    r"под\s+заказ|по\s+запросу|по\s+договор[её]нност\w*|онлайн|online|worldwide|everywhere|all\s+cities|"
    r"доставк\w*(?:\s+по\s+[^\W\d_]+)?|почт\w*|снг)",
    re.I,
)


def split_location(location: str | None) -> tuple[str | None, str | None]:
    """("City", "District") from a location like "Almaty, Bostandyk" or "Москва / Тверской"; a single part
    is the city; a first part that is not a known city but a later one is: that one is the city."""
    if not location:
        return None, None
    pieces = _SEPARATORS.split(location[: MAX_PLACE_CHARS * 2])
    shown = [(clean_place(_CITY_MARK_BEFORE.sub("", _SUFFIX.sub("", x.strip()))), bool(_LANDMARK.match(x.strip())))
             for x in pieces]  # fmt: skip
    shown = [(p if p is None or _key(_CITY_WORD.sub("", p)) not in city_table() else _CITY_WORD.sub("", p), mark)
             for p, mark in shown if p is None or not _REGION.search(p)] or [(None, False)]  # fmt: skip
    parts = [p for p, _ in shown if p]
    if not parts:
        return None, None
    table = city_table()
    known = [i for i, p in enumerate(parts) if _key(p) in table]
    if not known:
        return _place_without_city(parts, [mark for p, mark in shown if p])
    i = known[0]
    rest = parts[i + 1 :] or parts[:i]
    return parts[i], (rest[0] if rest else None)


def _place_without_city(parts: list[str], landmark: list[bool]) -> tuple[str | None, str | None]:
    """A location naming no known city: a known district first names its city ("мкр. Коктем-1 / ул. Мендикулова"
    is Almaty's); a landmark first ("Трасса М5 / 120 км", "ТЦ Мега / парковка") names none (it is the district as
    shown) unless a known district follows; else the first part is the city as written ("Тверь / центр")."""
    for part, mark in zip(parts, landmark, strict=True):
        if not mark and (found := known_district(part)) and found[1]:
            return found[1], part
        if not landmark[0]:
            break
    if landmark[0]:
        return None, parts[0]
    if _NO_PLACE.fullmatch(parts[0]):
        return None, None
    return parts[0], (parts[1] if len(parts) > 1 else None)


# a city name that is also a common word, a city only when capitalised: Kazakh "Орал" (Uralsk) is the Russian verb
# "орал" (issue 14, tg_dev2026p); "курган" (a burial mound), "орёл" (an eagle), "грозный" (fierce) likewise (issue 14,
# tg_dev2026q2 gazetteer pass)
_CAPITALISED_ONLY = frozenset({"орал", "курган", "орёл", "орел", "грозный"})


def city_currency(city: str | None) -> str | None:
    """The currency of the city's country ("Almaty" -> "KZT", "Тбилиси" -> "GEL"), None if unknown."""
    if not city or city[:1].islower() and city.strip().casefold() in _CAPITALISED_ONLY:
        return None
    name = clean_place(city) or ""
    found = city_table().get(_key(name))
    if found is None and len(name) <= MAX_PLACE_CHARS:
        from onionwatch.extractors.geo import find_city  # geo imports this module

        known = find_city(name)
        found = country_currency(known.country) if known else None
    return found
