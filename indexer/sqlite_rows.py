"""Conversions between Listing/Vendor records and SQLite rows (both directions)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from onionwatch.extractors.records import Listing, Quantity, Tier, Vendor
from onionwatch.indexer.query import fingerprint_norm, name_norm, normalise_ts, now_ts, vendor_key
from onionwatch.indexer.search_keys import country_of, place_key, stem_text

# version 6: derived at write time, outside the content hash (indexer/search_keys.py)
# version 10 (extractors/drug_class.py): where the class came from, why an analyst should check it
REVIEW_COLUMNS = ("class_source", "review_reason")
SEARCH_KEY_COLUMNS = ("title_stems", "description_stems", "vendor_stems", "country", "city_key", "district_key")
LISTING_COLUMNS = (
    "market", "listing_id", "url", "title", "description", "vendor", "vendor_key", "vendor_id", "lang",
    "substance", "substance_class", "substances", "quantity_value", "quantity_unit", "dose_value",
    "dose_unit", "price_amount", "price_currency", "price_usd", "price_per_gram_usd", "price_per_unit_usd",
    "tiers", "category", "ships_from", "ships_to", "location", "city", "district", "scraped_at", "doc_hash",
    *SEARCH_KEY_COLUMNS, *REVIEW_COLUMNS,
)  # fmt: skip
VENDOR_COLUMNS = (
    "market", "vendor_id", "name", "name_key", "name_norm", "url", "rating", "sales", "joined",
    "pgp_fingerprint", "pgp_key_id", "contacts", "crypto_addresses", "description", "scraped_at", "doc_hash",
)  # fmt: skip


@dataclass
class PreparedRow:
    """A record flattened for SQLite: its column values and normalised observation time."""

    key: tuple[str, str]
    seen: str  # normalised scraped_at
    values: dict[str, Any]
    record: Any


def _hash(values: dict[str, Any]) -> str:
    """Content hash of the flattened columns, ignoring scraped_at (a re-sighting is not a change)."""
    content = repr([v for k, v in values.items() if k not in ("scraped_at", "doc_hash")])
    return hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _substances(listing: Listing) -> list[dict[str, Any]]:
    return [
        {"canonical": s.canonical, "cls": s.cls, "text": s.text, "start": s.start, "end": s.end,
         "known": s.known, "confidence": s.confidence}
        for s in listing.substances
    ]  # fmt: skip


def _qd(q: Quantity | None) -> dict[str, Any] | None:
    return None if q is None else {"value": q.value, "unit": q.unit}


def _unit_price(t: Tier) -> dict[str, Any]:
    """A per-unit price ("$3 each") as written, only on tiers that have one (older rows lack the keys)."""
    if t.unit_price is None:
        return {}
    up = {"amount": t.unit_price.amount, "currency": t.unit_price.currency}
    return {"unit_price": up, "unit_price_per": t.unit_price_per}


def _tiers(listing: Listing) -> list[dict[str, Any]]:
    return [
        {"quantity": _qd(t.quantity),
         "price": None if t.price is None else {"amount": t.price.amount, "currency": t.price.currency},
         "base": t.base, "price_usd": t.price_usd, **_unit_price(t)}
        for t in listing.tiers
    ]  # fmt: skip


def clean_text(value: str | None) -> str:
    """Scraped text made storable: NULs dropped, lone surrogates (undecodable bytes) -> U+FFFD."""
    if not value:
        return ""
    text = value.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def _dumps(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: keep them as JSON escapes
        text = json.dumps(v, separators=(",", ":"))
    return text


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    texts = [v for v in values.values() if isinstance(v, str)]
    joined = "\x01".join(texts)
    if "\x00" not in joined:
        try:
            joined.encode("utf-8")
            return values  # the common case: nothing to clean
        except UnicodeEncodeError:
            pass
    return {k: clean_text(v) if isinstance(v, str) and v else v for k, v in values.items()}


def prepare_listing(listing: Listing) -> PreparedRow:
    """Flatten a listing; raises QueryError when scraped_at is not an ISO timestamp."""
    seen = normalise_ts(listing.scraped_at, field=f"listing {listing.key}: scraped_at")
    q, dose, price = listing.quantity, listing.dose, listing.price
    values: dict[str, Any] = {
        "market": listing.market,
        "listing_id": listing.listing_id,
        "url": clean_text(listing.url),
        "title": clean_text(listing.title),
        "description": clean_text(listing.description),
        "vendor": clean_text(listing.vendor),
        "vendor_key": vendor_key(listing.vendor),
        "vendor_id": listing.vendor_id,
        "lang": listing.lang or "",
        "substance": listing.substance,
        "substance_class": listing.substance_class,
        "substances": _dumps(_substances(listing)),
        "quantity_value": q.value if q else None,
        "quantity_unit": q.unit if q else None,
        "dose_value": dose.value if dose else None,
        "dose_unit": dose.unit if dose else None,
        "price_amount": price.amount if price else None,
        "price_currency": price.currency if price else None,
        "price_usd": listing.price_usd,
        "price_per_gram_usd": listing.price_per_gram_usd,
        "price_per_unit_usd": listing.price_per_unit_usd,
        "tiers": _dumps(_tiers(listing)),
        "category": listing.category,
        "ships_from": listing.ships_from,
        "ships_to": listing.ships_to,
        "location": listing.location,
        "city": listing.city,
        "district": listing.district,
        "scraped_at": listing.scraped_at,
    }
    values = _cleaned(values)
    review = {"class_source": listing.class_source, "review_reason": listing.review_reason if listing.review else None}
    # a listing the model classed or flagged hashes its marks too (they are news); a lexicon-classed one hashes
    # as before version 10, so upgrading does not turn every re-sighting into a change
    flagged = review["class_source"] == "model" or review["review_reason"] is not None
    values["doc_hash"] = _hash({**values, **review} if flagged else values)
    values.update(review)
    values.update(search_keys(values))
    return PreparedRow((values["market"], values["listing_id"]), seen, values, listing)


def search_keys(values: dict[str, Any]) -> dict[str, Any]:
    """The SEARCH_KEY_COLUMNS of a listing's cleaned values."""
    return {
        "title_stems": stem_text(values["title"]),
        "description_stems": stem_text(values["description"]),
        "vendor_stems": stem_text(values["vendor"]),
        "country": country_of(values["city"], values["location"], values["ships_from"]),
        "city_key": place_key(values["city"]),
        "district_key": place_key(values["district"]),
    }


def prepare_vendor(vendor: Vendor) -> PreparedRow:
    """Flatten a vendor; an empty scraped_at means now, a malformed one raises QueryError."""
    raw = vendor.scraped_at
    seen = normalise_ts(raw, field=f"vendor {vendor.key}: scraped_at") if raw else now_ts()
    values: dict[str, Any] = {
        "market": vendor.market,
        "vendor_id": vendor.vendor_id,
        "name": clean_text(vendor.name),
        "name_key": vendor_key(vendor.name),
        "name_norm": name_norm(vendor.name),
        "url": clean_text(vendor.url),
        "rating": vendor.rating,
        "sales": vendor.sales,
        "joined": vendor.joined,
        "pgp_fingerprint": fingerprint_norm(vendor.pgp_fingerprint),
        "pgp_key_id": vendor.pgp_key_id,
        "contacts": _dumps(vendor.contacts or {}),
        "crypto_addresses": _dumps(vendor.crypto_addresses or {}),
        "description": clean_text(vendor.description),
        "scraped_at": raw or seen,
    }
    values = _cleaned(values)
    values["doc_hash"] = _hash(values)
    return PreparedRow((values["market"], values["vendor_id"]), seen, values, vendor)


def _qty(value: Any, unit: Any) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "unit": unit}


def listing_from_row(row: sqlite3.Row) -> dict[str, Any]:
    """A search-hit listing dict: Listing.to_dict() shape plus first_seen and last_seen."""
    price = None
    if row["price_amount"] is not None:
        price = {"amount": row["price_amount"], "currency": row["price_currency"]}
    return {
        "market": row["market"],
        "listing_id": row["listing_id"],
        "url": row["url"],
        "title": row["title"],
        "description": row["description"],
        "vendor": row["vendor"],
        "vendor_id": row["vendor_id"],
        "lang": row["lang"],
        "substance": row["substance"],
        "substance_class": row["substance_class"],
        "class_source": row["class_source"],
        "review": row["review_reason"] is not None,
        "review_reason": row["review_reason"],
        "substances": json.loads(row["substances"]),
        "quantity": _qty(row["quantity_value"], row["quantity_unit"]),
        "dose": _qty(row["dose_value"], row["dose_unit"]),
        "price": price,
        "price_usd": row["price_usd"],
        "price_per_gram_usd": row["price_per_gram_usd"],
        "price_per_unit_usd": row["price_per_unit_usd"],
        "tiers": json.loads(row["tiers"]),
        "category": row["category"],
        "ships_from": row["ships_from"],
        "ships_to": row["ships_to"],
        "location": row["location"],
        "city": row["city"],
        "district": row["district"],
        "country": row["country"],
        "scraped_at": row["scraped_at"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "status": row["status"],
        "gone_at": row["gone_at"],
    }


def vendor_from_row(row: sqlite3.Row) -> dict[str, Any]:
    """Vendor.to_dict() shape (fingerprint normalised) plus first_seen and last_seen."""
    return {
        "market": row["market"],
        "vendor_id": row["vendor_id"],
        "name": row["name"],
        "url": row["url"],
        "rating": row["rating"],
        "sales": row["sales"],
        "joined": row["joined"],
        "pgp_fingerprint": row["pgp_fingerprint"],
        "pgp_key_id": row["pgp_key_id"],
        "contacts": json.loads(row["contacts"]),
        "crypto_addresses": json.loads(row["crypto_addresses"]),
        "description": row["description"],
        "scraped_at": row["scraped_at"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
    }
