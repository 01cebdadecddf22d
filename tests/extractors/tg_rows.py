"""What the Telegram rule tests compare: each offer as (city, district, substance, quantity, price, currency)."""

from __future__ import annotations

from onionwatch.extractors.telegram_offers import TgOffer


def offer_rows(offers: list[TgOffer]) -> list[tuple]:
    return [(o.city, o.district, o.substance.canonical if o.substance else None,
             o.quantity.value if o.quantity else None, o.price.amount if o.price else None,
             o.price.currency if o.price else None) for o in offers]
