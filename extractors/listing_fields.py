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
from dataclasses import dataclass
from functools import lru_cache

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.geo import full_name
from onionwatch.extractors.numbers import parse_number
from onionwatch.extractors.offers import Offer
from onionwatch.extractors.places import city_currency, city_form, clean_place, split_location
from onionwatch.extractors.prices import PriceMention
from onionwatch.extractors.quantities import find_quantities, mark_doses
from onionwatch.extractors.records import Price, Quantity, Substance, Tier
from onionwatch.extractors.text import normalize, repair_mixed_words
from onionwatch.extractors.tiers import pick_price, unit_quantity, units_of

MAX_CATEGORY_CHARS = 300  # a category is a few words; the rest of a hostile one is not analysed
MAX_QUANTITY_CHARS = 200
# an amount that is not what the buyer pays for the goods: shipping, a bonus, a discount
_NOT_THE_PRICE = re.compile(
    r"(?:shipping|ship|postage|delivery|reship|tracking|tracked|escrow|fee|bonus|discount|off|save|(?<![^\W\d_])min(?:imum)?|доставк\w*|"
    r"бонус\w*|скидк\w*|отзыв\w*|пересыл\w*|почт\w*|залог\w*)\W{0,3}(?:\w+\W{1,3})?$",
    re.I,
)
# "по 3000 тг за купюру": a price per piece (issue 14, ru_dev2026h probes)
_PRICE_CUE_BEFORE = re.compile(r"(?:price|cost|for|only|цена|стоимость|за|(?<![^\W\d_])по|[—–=:-])\W{0,2}$", re.I)
# "50 notes, £150", "Pack of 20 notes. 0.004 BTC": the price of the counted notes, not a face value
_NOTES_COUNT_BEFORE = re.compile(r"(?<![\d.,$€£₽₸])\d{1,5}\s*(?:notes|bills|banknotes|купюр\w*)\W{1,3}$", re.I)
_CLAUSE_END = re.compile(r"[.!?]\s+$|^(?:shipping|ship|postage|delivery|tracked|tracking),\s+$", re.I)
# "now $192" after a discount; Russian: the price with delivery or after the discount ("цена с доставкой 4000р", "со
# скидкой 3 000 ₽", "включая доставку 5к", "сейчас 13 500"; issue 14, ru_dev2026h) is what the buyer pays
_NOW_BEFORE = re.compile(r"(?<![^\W\d_])(?:now(?:\s+only)?|(?:с|со|вместе\s+с)\s+(?:доставк|скидк)\w*|"
                         r"включая\s+доставк\w*|сейчас|теперь|(?:скидк\w*|акци\w*)\W{0,3}-?\d{1,2}\s?%)\W{0,3}$",
                         re.I)  # "Скидка 20%: 12 000 ₸" (ru_dev2026h probes)
# "€300 for 100 notes", "£100 per pack": what the buyer pays
_PRICE_FOR_AFTER = re.compile(r"\s?(?:for|per)\s+(?:\d|(?:the\s+)?(?:pack|bundle|lot|stack|set)\b)", re.I)
# "12 000", "45.00"; "от 12 000", "~12000" (a price field with "from": issue 14, ru_dev2026h probes)
_BARE_PRICE = re.compile(r"\s*(?:(?:от|from)\s+|~\s?)?"
                         r"(\d{1,3}(?:[ \u00a0'’.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*", re.I)


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


_PLACE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


_COMMON_WORDS = frozenset({"семей"})  # a city's spelling that is also a word when written in lower case ("families")
# city_currency of the words and word pairs text_city tries (~9 us each, a dozen per text; the same words recur
# from text to text): the shipped city tables do not change while the process runs; at most this many kept
_word_city_currency = lru_cache(maxsize=16_384)(city_currency)


def text_city(text: str) -> str | None:
    """The first known city named in the first 300 characters of a text ("Алматы: меф 1г — 15 000", "Клад в
    Астане" -> "Астана", "Алм" -> "Алматы"): a Telegram message or a klad listing that names its city only in
    the text. A case form counts after "в"/"во"/"по" only ("семей" alone is a word, "в Семее" the city)."""
    words = _PLACE_WORD.findall(repair_mixed_words(text[:300]))  # "Кaрaгaндa" with Latin a (issue 14)
    for i in range(len(words)):
        for n in (2, 1):
            if i + n <= len(words) and _word_city_currency(name := " ".join(words[i : i + n])) \
                    and name not in _COMMON_WORDS:  # fmt: skip
                return full_name(name)
        if i and words[i - 1].lower() in ("в", "во", "по") and (form := city_form(words[i])):
            return full_name(form)
    return None


# the heading of a shop's post about itself: buyers' reviews, the shop's rules, a giveaway (Russian, Ukrainian,
# Belarusian; issue 14, ru_dev2026f) — its weights and prices are what buyers paid or win, nothing on offer
_CHANNEL_POST = re.compile(r"^[\W_]*(?:отзыв\w*|відгук\w*|водгук\w*|правила|правілы|конкурс\w*|розыгрыш\w*|"
                           r"розіграш\w*)(?![^\W\d_])", re.I)


def channel_post(title: str) -> bool:
    """Whether a title heads a review, rules or giveaway post ("Отзывы покупателей", "📜 ПРАВИЛА", "🎁 КОНКУРС")."""
    return bool(_CHANNEL_POST.match(title))


def text_city_currency(text: str) -> str | None:
    """The currency of the first known city named in a text (text_city): "Алматы: меф 1г — 15 000" -> KZT."""
    return city_currency(text_city(text))


def shown_quantity(text: str | None) -> Quantity | None:
    """The amount a quantity/weight field shows ("0,5 г" -> 0.5 g, "10 pills" -> 10 unit); None if none."""
    if not text:
        return None
    clean = normalize(text[:MAX_QUANTITY_CHARS])
    found = [q for q in find_quantities(clean) if not q.guessed]
    mark_doses(found, clean)
    amount = next((q for q in found if not q.dose), found[0] if found else None)
    return amount.quantity() if amount else None


def field_quantity(offer: Offer) -> Quantity | None:
    """The amount a price field shows with its price ("10шт — 10 000 сом", "$50 for 10 pcs"): the quantity of
    its base tier, when the amount is written (not a guessed bare number, not a per-pill dose)."""
    base = offer.tiers[0] if offer.tiers else None
    q = base.quantity if base is not None and base.price is not None else None
    return q.quantity() if q is not None and not q.guessed and not q.dose else None


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


@dataclass
class PriceChoice:
    price: Price | None
    quantity: Quantity | None  # the listing's quantity (an offer of one unit for a per-unit price with none)
    unit_price: Price | None = None
    per: str | None = None


def listing_price(
    field: list[PriceMention],
    price_text: str | None,
    currency: str | None,
    tiers: list[Tier],
    quantity: Quantity | None,
    explicit: list[PriceMention],
) -> PriceChoice:
    """The listing's price (README "Prices"), in this order: the price field (a per-unit one multiplied by the
    listing's quantity of that unit; a per-piece one over a milligram amount is an offer of one piece), a bare
    number in the price field in the currency an explicit mention of the same amount in the text shows ("£80" in
    the title, "80.00" in the field) else in the city's/market's currency, then the base tier's price."""
    if field:
        p = pick_price(field, currency) or field[0]
        if p.per:
            if p.per == "unit" and quantity is not None and quantity.unit in ("mg", "ug"):
                quantity = None  # "Valium 10mg" priced "$1.5/ea": the milligrams are the strength of one pill
            if quantity is not None and (n := units_of(quantity, p.per)):
                return PriceChoice(Price(round(p.amount * n, 8), p.currency), quantity, p.price(), p.per)
            if quantity is None:
                return PriceChoice(p.price(), unit_quantity(p.per), p.price(), p.per)
        return PriceChoice(p.price(), quantity)
    bare = bare_price(price_text, currency)
    if bare is not None:
        same = next((p for p in explicit if abs(p.amount - bare.amount) < 1e-6 and p.currency != bare.currency), None)
        return PriceChoice(Price(bare.amount, same.currency) if same else bare, quantity)
    base = tiers[0] if tiers else None
    if base is not None and base.price is not None:
        return PriceChoice(base.price, quantity, base.unit_price, base.unit_price_per)
    return PriceChoice(None, quantity)


def text_price(prices: list[PriceMention], text: str, money: bool = False) -> PriceMention | None:
    """The first price in a description that is what the buyer pays (not shipping, a bonus, a discount or an old
    price; a crypto amount gives way to the fiat one next to it); for counterfeit money (`money`) only one written
    as a price ("price: $120", "for $40", "— 15000 руб", "€300 for 100 notes")."""
    for i, p in enumerate(prices):
        before = text[max(0, p.start - 40) : p.start]
        cued = (_PRICE_CUE_BEFORE.search(before) or _PRICE_FOR_AFTER.match(text, p.end)
                or _NOTES_COUNT_BEFORE.search(before)
                or (money and not text[p.end : p.end + 8].strip(" .!)\n")))  # "$1,000 face. $300" ends it
        now = _NOW_BEFORE.search(before)  # "20% off: now $192": the price after a discount
        # "UK stock, tracked. £85", "Instant delivery, $60": the phrase about delivery ended before the price
        off = (m := _NOT_THE_PRICE.search(before)) is not None and not _CLAUSE_END.search(m.group(0))
        if p.aside or (off and not now) or (money and not cued):
            continue
        if p.currency in ("BTC", "XMR"):  # "0.0042 BTC ($250)": the fiat amount next to it (tiers.pick_price)
            return pick_price([p, *(q for q in prices[i + 1 : i + 3] if q.start - p.end <= 3)]) or p
        return p
    return None
