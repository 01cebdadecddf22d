"""Normalised records the extraction stage emits (input to every store)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

UNITS = ("g", "mg", "ug", "ml", "oz", "unit")
CURRENCIES = ("USD", "EUR", "GBP", "RUB", "KZT", "AUD", "CAD", "GEL", "UAH", "BYN", "UZS", "KGS", "TJS", "AZN", "AMD",
              "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "BTC", "XMR")


@dataclass
class Substance:
    canonical: str  # lowercase common/INN/chemical short name, e.g. "mdma", "alpha-pvp"
    cls: str  # stimulant, opioid, cannabinoid, synthetic_cannabinoid, psychedelic, ...
    text: str  # surface text as found
    start: int  # char offsets into the analysed text
    end: int
    known: bool = True  # False: a candidate from unknown-substance discovery
    confidence: float = 1.0


@dataclass
class Quantity:
    value: float
    unit: str  # one of UNITS


@dataclass
class Price:
    amount: float
    currency: str  # one of CURRENCIES


@dataclass
class Tier:
    quantity: Quantity | None
    price: Price | None
    base: bool = False
    price_usd: float | None = None
    unit_price: Price | None = None  # a per-unit price as written ("$3 each", "€4/blotter"); price = it x quantity
    unit_price_per: str | None = None  # its unit: g, oz, ml, mg, lb (16 oz) or unit


@dataclass
class Extraction:
    """What the extractors found in one text (the `onionwatch extract` output, minus the id)."""

    lang: str
    substances: list[Substance] = field(default_factory=list)
    quantity: Quantity | None = None
    dose: Quantity | None = None
    price: Price | None = None
    price_usd: float | None = None
    tiers: list[Tier] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for s in d["substances"]:
            s["class"] = s.pop("cls")
        return d


@dataclass
class Listing:
    """A normalised listing: the unit every store indexes (current state + one observation)."""

    market: str
    listing_id: str
    url: str
    title: str
    description: str
    vendor: str  # vendor name as on the market
    vendor_id: str | None
    lang: str
    substance: str | None  # primary canonical substance (None for non-drug listings)
    substance_class: str | None
    substances: list[Substance] = field(default_factory=list)
    quantity: Quantity | None = None
    dose: Quantity | None = None
    price: Price | None = None
    price_usd: float | None = None
    price_per_gram_usd: float | None = None
    price_per_unit_usd: float | None = None
    tiers: list[Tier] = field(default_factory=list)
    category: str | None = None
    ships_from: str | None = None
    ships_to: str | None = None
    location: str | None = None
    city: str | None = None  # shown apart, else read from the location ("Almaty, Bostandyk")
    district: str | None = None
    scraped_at: str = ""  # ISO 8601 UTC
    class_source: str | None = None  # "lexicon" | "model" (extractors/drug_class.py); None: no class
    review: bool = False  # an analyst should check the class (the model gave it, or disagrees)
    review_reason: str | None = None  # "model_class" | "model_disagrees"

    @property
    def key(self) -> str:
        return f"{self.market}:{self.listing_id}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Vendor:
    market: str
    vendor_id: str
    name: str
    url: str
    rating: float | None = None
    sales: int | None = None
    joined: str | None = None  # ISO date
    pgp_fingerprint: str | None = None  # 40 hex, uppercase
    pgp_key_id: str | None = None  # 16 hex, uppercase
    contacts: dict[str, list[str]] = field(default_factory=dict)  # {"telegram": ["@x"], "email": [...]}
    crypto_addresses: dict[str, list[str]] = field(default_factory=dict)  # {"BTC": [...], "XMR": [...]}
    description: str = ""
    scraped_at: str = ""

    @property
    def key(self) -> str:
        return f"{self.market}:{self.vendor_id}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
