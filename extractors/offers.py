"""One offer line ("2 g — USD 141.00", a price cell) parsed without spaCy: quantities, prices, tiers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from onionwatch.extractors.prices import PriceMention, find_prices
from onionwatch.extractors.quantities import QtyMention, find_quantities, mark_doses
from onionwatch.extractors.text import normalize
from onionwatch.extractors.tiers import TierMention, build_tiers


@dataclass
class Offer:
    quantities: list[QtyMention] = field(default_factory=list)
    prices: list[PriceMention] = field(default_factory=list)
    tiers: list[TierMention] = field(default_factory=list)


# The shape market software prints tier lines and price cells in ("1 g — USD 141.00", "3.5g - $60", "USD 12.30",
# "€40"): an amount in a mass or volume unit, a dash, a price with an explicit fiat currency and at most two
# decimals. Such a text has exactly one quantity and one price, found without the general rules' ~25 patterns;
# tests/extractors/test_offers_fast.py checks the answer against the general rules over the whole shape.
_AMOUNT = r"(?P<q>[1-9]\d{0,2}(?:\.\d{1,2})?|0\.\d{1,2}) ?(?P<u>g|gr|kg|oz|ml)"
_FIAT = {"USD": "USD", "EUR": "EUR", "GBP": "GBP", "RUB": "RUB", "KZT": "KZT", "$": "USD", "€": "EUR", "£": "GBP",
         "₽": "RUB", "₸": "KZT"}  # fmt: skip
_PRICE = r"(?:(?P<code>USD|EUR|GBP|RUB|KZT) ?|(?P<sym>[$€£₽₸]))(?P<p>[1-9]\d{0,5}(?:\.\d\d?)?)"
_SIMPLE_LINE = re.compile(rf"{_AMOUNT} ?[—–-] ?{_PRICE}")
_SIMPLE_PRICE = re.compile(_PRICE)
_UNITS = {"g": ("g", 1.0), "gr": ("g", 1.0), "kg": ("g", 1000.0), "oz": ("oz", 1.0), "ml": ("ml", 1.0)}


def _simple_price(m: re.Match[str]) -> PriceMention:
    currency = _FIAT[m.group("code") or m.group("sym")]
    return PriceMention(float(m.group("p")), currency, m.start("code") if m.group("code") else m.start("sym"), m.end())


def parse_offer(text: str, currency_hint: str | None = None, lang: str = "en") -> Offer:
    """The same rules as the onionwatch_quantities/prices/tiers components, for short offer texts."""
    clean = _clean(text)
    if m := _SIMPLE_LINE.fullmatch(clean):  # "1 g — USD 141.00"
        unit, factor = _UNITS[m.group("u")]
        q = QtyMention(float(m.group("q")) * factor, unit, 0, m.end("u"), "volume" if unit == "ml" else "mass")
        p = _simple_price(m)
        # what build_tiers pairs them into: one amount (no dose), then one fiat price (not aside) after it
        return Offer([q], [p], [TierMention(q, p)])
    qs = find_quantities(clean)
    mark_doses(qs, clean)
    ps = find_prices(clean, _price_hint(currency_hint, lang))
    return Offer(qs, ps, build_tiers(qs, ps, currency_hint))


def offer_prices(text: str, currency_hint: str | None = None, lang: str = "en") -> list[PriceMention]:
    """parse_offer(...).prices alone (a price cell: its quantities and tiers are not read)."""
    clean = _clean(text)
    if m := _SIMPLE_PRICE.fullmatch(clean):  # "USD 12.30", "€40"
        return [_simple_price(m)]
    return find_prices(clean, _price_hint(currency_hint, lang))


def _clean(text: str) -> str:
    return normalize(text if isinstance(text, str) else "")


def _price_hint(currency_hint: str | None, lang: str) -> str | None:
    """A price shown without a currency is in the hint's; Russian text without a hint: RUB."""
    return currency_hint or ("RUB" if lang == "ru" else None)


class OfferCache:
    """parse_offer for one batch of listings: a line repeated across them ("1 g — $60", a vendor's menu) is parsed
    once. The Offers it hands out are shared: read them, never change them."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str | None, str], Offer] = {}

    def __call__(self, text: str, currency_hint: str | None = None, lang: str = "en") -> Offer:
        if not isinstance(text, str):
            return parse_offer(text, currency_hint, lang)
        key = (text, currency_hint, lang)
        offer = self._parsed.get(key)
        if offer is None:
            offer = self._parsed[key] = parse_offer(text, currency_hint, lang)
        return offer
