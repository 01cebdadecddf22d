"""What a definition's first-class listing fields add to extraction: a shown quantity, the place, a category.

- ``quantity`` (a weight or amount shown apart from the title, "0,5 г", "10 pills"): used ahead of the tier
  lines and the title, so it is also the divisor of the price per gram/unit.
- ``city``/``district`` shown apart win; else the ``location`` is split ("Almaty, Bostandyk", "Москва / ЦАО").
  The city's currency (extractors/data/cities.yaml) is the currency of a price shown without one.
- ``category`` is a substance hint, in two cases only: (1) the title and description name no known substance:
  the category's substance is the primary one (its offsets are into the category text); (2) they name several
  known substances and the category names one of them: that one becomes primary (a tie broken). A category
  that names no substance ("Stimulants", "Other") changes nothing, nor does any category of a non-drug title.
"""

from __future__ import annotations

import re

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.numbers import parse_number
from onionwatch.extractors.places import clean_place, split_location
from onionwatch.extractors.quantities import find_quantities, mark_doses
from onionwatch.extractors.records import Price, Quantity, Substance
from onionwatch.extractors.text import normalize

MAX_CATEGORY_CHARS = 300  # a category is a few words; the rest of a hostile one is not analysed
MAX_QUANTITY_CHARS = 200
_BARE_PRICE = re.compile(r"\s*(\d{1,3}(?:[ \u00a0'’.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*")


def listing_place(raw: RawListing) -> tuple[str | None, str | None]:
    """(city, district): the shown fields first, the location's parts for what is missing."""
    city, district = clean_place(raw.city), clean_place(raw.district)
    if city is None or district is None:
        loc_city, loc_district = split_location(raw.location)
        if city is None:
            city, district = loc_city, district or loc_district
        elif district is None and loc_city == city:
            district = loc_district
    return city, district


def shown_quantity(text: str | None) -> Quantity | None:
    """The amount a quantity/weight field shows ("0,5 г" -> 0.5 g, "10 pills" -> 10 unit); None if none."""
    if not text:
        return None
    clean = normalize(text[:MAX_QUANTITY_CHARS])
    found = [q for q in find_quantities(clean) if not q.guessed]
    mark_doses(found, clean)
    amount = next((q for q in found if not q.dose), found[0] if found else None)
    return amount.quantity() if amount else None


def with_category_hint(subs: list[Substance], category: list[Substance], non_drug: bool) -> list[Substance]:
    """`subs` (title first, then description) with the category's substance applied as the module doc says."""
    hint = next((s for s in category if s.known), None)
    if hint is None or non_drug:
        return subs
    known = [s for s in subs if s.known]
    if not known:
        return [hint, *subs]
    match = next((s for s in known if s.canonical == hint.canonical), None)
    if match is not None and match is not known[0]:
        return [match, *(s for s in subs if s is not match)]
    return subs


def bare_price(text: str | None, currency: str | None) -> Price | None:
    """A price field showing only a number ("12 000", "45.00") is an amount in `currency` (the city's or the
    market's); any other text is left to the price parser."""
    m = _BARE_PRICE.fullmatch(text[:40]) if text and currency else None
    amount = parse_number(m.group(1)) if m else None
    return Price(amount, currency) if amount and currency and amount > 0 else None
