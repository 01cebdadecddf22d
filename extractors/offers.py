"""One offer line ("2 g — USD 141.00", a price cell) parsed without spaCy: quantities, prices, tiers."""

from __future__ import annotations

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


def parse_offer(text: str, currency_hint: str | None = None, lang: str = "en") -> Offer:
    """The same rules as the onionwatch_quantities/prices/tiers components, for short offer texts."""
    clean = _clean(text)
    qs = find_quantities(clean)
    mark_doses(qs, clean)
    ps = find_prices(clean, _price_hint(currency_hint, lang))
    return Offer(qs, ps, build_tiers(qs, ps, currency_hint))


def offer_prices(text: str, currency_hint: str | None = None, lang: str = "en") -> list[PriceMention]:
    """parse_offer(...).prices alone (a price cell: its quantities and tiers are not read)."""
    return find_prices(_clean(text), _price_hint(currency_hint, lang))


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
