"""The generated market: vendors, listings and their ground-truth records (plain dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onionwatch.testbed.pgp import PgpKey


@dataclass(frozen=True)
class Amount:
    value: float
    unit: str  # g | mg | ug | ml | oz | unit

    def to_dict(self) -> dict[str, Any]:
        return {"value": float(self.value), "unit": self.unit}


@dataclass(frozen=True)
class TierOffer:
    quantity: Amount
    price: float
    text: str  # the ladder line as shown, e.g. "3.5 g — USD 180.00"


@dataclass
class Vendor:
    market: str
    vendor_id: str  # the id in the vendor page URL
    name: str
    url: str
    actor_id: str  # the same person across markets shares an actor_id
    rating: str
    sales: str
    joined: str
    pgp: PgpKey | None
    contacts: dict[str, list[str]]  # {"telegram": ["@x"], "session": [...], "wickr", "jabber", "email"}
    contact_lines: list[str]  # as shown on the page
    crypto: dict[str, list[str]]  # {"BTC": [...], "XMR": [...]}
    description: str
    extra: dict[str, str] = field(default_factory=dict)  # template-specific display values

    def truth(self) -> dict[str, Any]:
        return {
            "market": self.market,
            "vendor_id": self.vendor_id,
            "name": self.name,
            "url": self.url,
            "actor_id": self.actor_id,
            "pgp_fingerprint": self.pgp.fingerprint if self.pgp else None,
            "contacts": self.contacts,
            "crypto_addresses": self.crypto,
        }


@dataclass
class Listing:
    market: str
    listing_id: str
    url: str
    vendor: Vendor
    title: str
    description: str
    substance: str | None
    substance_class: str | None
    quantity: Amount | None
    dose: Amount | None
    price: float
    currency: str
    price_text: str  # as shown
    tiers: list[TierOffer]  # the ladder shown on the page (first = base offer); may be empty
    category: str | None = None
    location: str | None = None  # "City / District" (klad shops)
    ships_from: str | None = None
    ships_to: str | None = None
    escrow: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_drug(self) -> bool:
        return self.substance is not None

    def truth(self) -> dict[str, Any]:
        return {
            "market": self.market,
            "listing_id": self.listing_id,
            "url": self.url,
            "vendor_id": self.vendor.vendor_id,
            "vendor": self.vendor.name,
            "title": self.title,
            "substance": self.substance,
            "substance_class": self.substance_class,
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "dose": self.dose.to_dict() if self.dose else None,
            "price": {"amount": float(self.price), "currency": self.currency},
            "tiers": [
                {"quantity": t.quantity.to_dict(), "price": {"amount": float(t.price), "currency": self.currency}}
                for t in self.tiers
            ],
            "category": self.category,
            "location": self.location,
            "ships_from": self.ships_from,
            "ships_to": self.ships_to,
            "is_drug": self.is_drug,
        }


@dataclass
class Market:
    name: str
    seed: int
    vendors: list[Vendor]
    listings: list[Listing]
    nav: dict[str, Any]  # template-specific navigation structure (categories or cities/districts)

    def __post_init__(self) -> None:
        self.vendor_by_id = {v.vendor_id: v for v in self.vendors}
        self.listing_by_id = {li.listing_id: li for li in self.listings}

    def truth(self) -> dict[str, Any]:
        return {
            "market": self.name,
            "seed": self.seed,
            "listings": [li.truth() for li in self.listings],
            "vendors": [v.truth() for v in self.vendors],
        }
