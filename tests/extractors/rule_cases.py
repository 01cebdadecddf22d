"""What the rule tests of one dev round read from an extraction: known substance names, (quantity, price), and a
klad-shop listing's (names, quantity, price), a Telegram message's offers as rows — shared by the test_rules_dev*,
test_rules_tg* and test_telegram_* modules."""

from __future__ import annotations

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.telegram_offers import find_offers


def names(extractor: Extractor, text: str) -> list[str]:
    return sorted(s.canonical for s in extractor.extract(text).substances if s.known)


def qp(extractor: Extractor, text: str) -> tuple[object, object]:
    x = extractor.extract(text)
    return ((x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


def klad(extractor: Extractor, title: str, location: str, price_text: str | None, description: str = "") -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     price_text=price_text, location=location, lang="ru", currency="RUB"))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


def offer_rows(text: str, x: Extractor, currency: bool = True) -> list[tuple]:
    """(city, district, substance, quantity value, price amount[, currency]) of each offer a message holds."""
    return [(o.city, o.district, o.substance.canonical if o.substance else None,
             o.quantity.value if o.quantity else None, o.price.amount if o.price else None)
            + ((o.price.currency if o.price else None,) if currency else ())
            for o in find_offers(text, x)]  # fmt: skip


def offer_places(text: str, x: Extractor) -> list[tuple]:
    """(city, district) of each offer a message holds."""
    return [(o.city, o.district) for o in find_offers(text, x)]
