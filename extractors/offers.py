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
    clean = normalize(text if isinstance(text, str) else "")
    qs = find_quantities(clean)
    mark_doses(qs, clean)
    ps = find_prices(clean, currency_hint or ("RUB" if lang == "ru" else None))
    return Offer(qs, ps, build_tiers(qs, ps, currency_hint))


def offer_prices(text: str, currency_hint: str | None = None, lang: str = "en") -> list[PriceMention]:
    """parse_offer(...).prices alone (a price cell: its quantities and tiers are not read)."""
    clean = normalize(text if isinstance(text, str) else "")
    return find_prices(clean, currency_hint or ("RUB" if lang == "ru" else None))
