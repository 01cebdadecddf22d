"""Listing/vendor records -> Elasticsearch documents and back, stable ids, and FTS5-compatible tokens.

Search semantics are shared with SQLite (indexer/query.py): every query term must prefix-match a token of
title, description or vendor. SQLite's FTS5 ``unicode61 remove_diacritics 2`` tokenizer splits on
anything but letters and digits, lowercases and strips Latin diacritics; `tokens` does the same in Python
and the listing document keeps them in ``ow.tokens`` (a keyword array queried with ``prefix``), so both
backends match the same listings whatever analyzers the server has.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import Any

from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer import identifiers as ids
from onionwatch.indexer.changes import change_key
from onionwatch.indexer.query import QueryError, listing_substances, name_norm, text_terms, vendor_key
from onionwatch.indexer.sqlite_rows import PreparedRow

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_MAX_TOKENS = 50_000  # distinct tokens kept per listing; a longer page keeps its first 50,000
_MAX_TOKEN_LEN = 200  # below the keyword field's ignore_above (256)
INTERNAL = "ow"


def doc_id(*parts: str) -> str:
    """A stable, length-bounded document id for a natural key."""
    raw = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _fold_char(ch: str) -> str:
    if ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF:  # Latin: drop combining marks, like unicode61
        return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return ch


@functools.lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    low = token.lower()
    if low.isascii():
        return low
    return "".join(_fold_char(c) for c in low)


def tokens(*texts: str | None) -> list[str]:
    """Distinct folded tokens of the texts (at most _MAX_TOKENS, first occurrences kept)."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        if text.isascii():  # fold is lower(); lowering ASCII moves no token boundary
            seen.update(dict.fromkeys(t[:_MAX_TOKEN_LEN] for t in _TOKEN_RE.findall(text.lower())))
            if len(seen) >= _MAX_TOKENS:
                return list(seen)[:_MAX_TOKENS]
            continue
        for m in _TOKEN_RE.finditer(text):
            seen.setdefault(fold(m.group(0))[:_MAX_TOKEN_LEN], None)  # a query term (<= 64) still prefixes it
            if len(seen) >= _MAX_TOKENS:
                return list(seen)
    return list(seen)


def stems(*stem_texts: str) -> list[str]:
    """Distinct stems of the stemmed columns (at most _MAX_TOKENS, first occurrences kept)."""
    seen: dict[str, None] = {}
    for text in stem_texts:
        for s in text.split():
            seen.setdefault(s, None)
            if len(seen) >= _MAX_TOKENS:
                return list(seen)
    return list(seen)


def query_terms(text: str | None) -> list[str]:
    """The user's terms (indexer.query.text_terms), folded like the indexed tokens."""
    out: list[str] = []
    for term in text_terms(text):
        t = fold(term)
        if t and t not in out:
            out.append(t)
    return out


_NON_NEGATIVE = ("price_amount", "price_usd", "price_per_gram_usd", "price_per_unit_usd")


def check_row(kind: str, row: PreparedRow) -> None:
    """The constraints SQLite's schema enforces (so both stores refuse the same batches); QueryError."""
    v = row.values
    ident = ("listing_id", "market") if kind == "listing" else ("vendor_id", "market")
    for f in ident:
        if not v.get(f):
            raise QueryError(f"{kind} {row.record.key}: {f} must not be empty")
    if kind == "listing":
        for f in _NON_NEGATIVE:
            x = v.get(f)
            if x is not None and not (isinstance(x, int | float) and x >= 0):
                raise QueryError(f"{kind} {row.record.key}: {f} must be a number >= 0 (got {x!r:.40})")


def _plain(obj: Any) -> Any:
    return None if obj is None else dict(obj.__dict__)


def listing_dict(listing: Listing) -> dict[str, Any]:
    """Listing.to_dict() without dataclasses.asdict's deep copies (5x faster on bulk loads)."""
    d = dict(listing.__dict__)
    d["substances"] = [dict(s.__dict__) for s in listing.substances]
    d["quantity"], d["dose"], d["price"] = _plain(listing.quantity), _plain(listing.dose), _plain(listing.price)
    d["tiers"] = [
        {"quantity": _plain(t.quantity), "price": _plain(t.price), "base": t.base, "price_usd": t.price_usd,
         **({"unit_price": _plain(t.unit_price), "unit_price_per": t.unit_price_per} if t.unit_price else {})}
        for t in listing.tiers
    ]
    return d


def listing_doc(row: PreparedRow, first_seen: str) -> dict[str, Any]:
    """The listings-index document: Listing.to_dict() shape + first/last seen + internal `ow` fields."""
    listing: Listing = row.record
    v = row.values
    d = listing_dict(listing)
    d.update(url=v["url"], title=v["title"], description=v["description"], vendor=v["vendor"], lang=v["lang"])
    subs = listing_substances(listing)
    d["country"] = v["country"]
    d["first_seen"] = first_seen
    d["last_seen"] = row.seen
    d["status"] = "live"  # a sighting at least as recent as the stored one: live (again)
    d["gone_at"] = None
    d[INTERNAL] = {
        "key": listing.key,
        "vendor_key": v["vendor_key"],
        "vendor_ref": f"{listing.market}:{listing.vendor_id}" if listing.vendor_id else None,
        "tokens": tokens(v["title"], v["description"], v["vendor"]),
        # version 6 search keys (indexer/search_keys.py), the same values SQLite indexes
        "stems": stems(v["title_stems"], v["description_stems"], v["vendor_stems"]),
        "stem_text": [v["title_stems"], v["description_stems"], v["vendor_stems"]],
        "city_key": v["city_key"],
        "district_key": v["district_key"],
        "substances": sorted({c for c, _, _ in subs}),
        "classes": sorted({cls for _, cls, _ in subs if cls}),
        "known_substances": sorted({c for c, _, known in subs if known}),
        "known_classes": sorted({cls for _, cls, known in subs if known and cls}),
        "identifiers": ids.keys(ids.from_listing(v)),
        "doc_hash": v["doc_hash"],
    }
    return d


def listing_from_source(src: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in src.items() if k != INTERNAL}
    out.setdefault("status", "live")  # documents written before change-only recrawls
    out.setdefault("gone_at", None)
    return out


def observation_doc(row: PreparedRow, change: str | None = None) -> dict[str, Any]:
    """One observation; ``change`` is the listing's change_key when the caller has it already."""
    listing: Listing = row.record
    v = row.values
    subs = listing_substances(listing)
    return {
        "observed_at": row.seen,
        "key": listing.key,
        "market": listing.market,
        "listing_id": listing.listing_id,
        "title": (v["title"] or "")[:256],
        "vendor": v["vendor"],
        "vendor_key": v["vendor_key"],
        "vendor_ref": f"{listing.market}:{listing.vendor_id}" if listing.vendor_id else None,
        "lang": v["lang"],
        "substance": listing.substance,
        "substance_class": listing.substance_class,
        "substances": sorted({c for c, _, _ in subs}),
        "known_substances": sorted({c for c, _, k in subs if k}),
        "unknown_substances": sorted({c for c, _, k in subs if not k}),
        "classes": sorted({cls for _, cls, _ in subs if cls}),
        "price": v["price_amount"],
        "currency": v["price_currency"],
        "price_usd": v["price_usd"],
        "price_per_gram_usd": v["price_per_gram_usd"],
        "quantity": v["quantity_value"],
        "unit": v["quantity_unit"],
        "change_key": change if change is not None else change_key(listing),
    }


def _flat_values(d: dict[str, list[str]] | None) -> list[str]:
    out: set[str] = set()
    for kind, values in (d or {}).items():
        for value in values or []:
            if isinstance(value, str) and value.strip():
                out.add(f"{str(kind).casefold()}:{value.strip().casefold()}")
    return sorted(out)


def vendor_doc(row: PreparedRow, first_seen: str) -> dict[str, Any]:
    vendor: Vendor = row.record
    v = row.values
    d = {k: v[k] for k in ("market", "vendor_id", "name", "url", "rating", "sales", "joined")}
    d.update(
        pgp_fingerprint=v["pgp_fingerprint"],
        pgp_key_id=v["pgp_key_id"],
        contacts=vendor.contacts or {},
        crypto_addresses=vendor.crypto_addresses or {},
        description=v["description"],
        scraped_at=v["scraped_at"],
        first_seen=first_seen,
        last_seen=row.seen,
    )
    d[INTERNAL] = {
        "key": vendor.key,
        "name_key": vendor_key(vendor.name),
        "name_norm": name_norm(vendor.name),
        "contacts": _flat_values(vendor.contacts),
        "crypto": _flat_values(vendor.crypto_addresses),
        "identifiers": ids.keys(ids.from_vendor(v)),
        "doc_hash": v["doc_hash"],
    }
    return d


def vendor_from_source(src: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in src.items() if k != INTERNAL}
