"""Raw records the crawler emits: a page's fields as shown on the page, nothing interpreted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RawListing:
    """One listing page as scraped. Text fields are attacker-controlled and untrusted."""

    market: str
    listing_id: str
    url: str
    title: str
    description: str = ""
    price_text: str = ""  # price as shown, e.g. "USD 120.00 / 0.00311 BTC" or "14 000 ₸"
    vendor_name: str = ""
    vendor_url: str | None = None
    vendor_id: str | None = None  # the id `vendor.url_pattern` reads from vendor_url (same id as the vendor's page)
    category: str | None = None
    ships_from: str | None = None
    ships_to: str | None = None
    location: str | None = None  # klad shops: "City / District"
    city: str | None = None  # as shown, when the page shows it apart from the location
    district: str | None = None
    quantity: str | None = None  # the weight/amount as shown apart from the title, e.g. "0,5 г", "10 pills"
    escrow: str | None = None
    tiers: list[str] = field(default_factory=list)  # raw tier lines, e.g. "1g - $60"
    lang: str = "en"
    currency: str | None = None  # the market's default currency (from its definition)
    scraped_at: str = ""  # ISO 8601 UTC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RawVendor:
    """One vendor (or klad shop) profile page as scraped."""

    market: str
    vendor_id: str
    name: str
    url: str
    rating: str | None = None
    sales: str | None = None
    joined: str | None = None
    pgp_key: str | None = None  # armoured public key block as on the page
    pgp_fingerprint: str | None = None  # a fingerprint shown as text (any spacing/case), e.g. "AB12 CD34 ..."
    contacts: list[str] = field(default_factory=list)  # raw contact lines
    crypto_addresses: list[str] = field(default_factory=list)
    description: str = ""
    scraped_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
