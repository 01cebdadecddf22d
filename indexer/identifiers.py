"""Identifiers analysts pivot on: crypto addresses, messenger handles, e-mail, PGP fingerprints, vendor names.

An identifier is a (kind, value) pair with the value in one canonical spelling, so the same address or handle
written differently on two markets meets in the index ("kind:value" in queries and URLs):

- btc, xmr, ltc: checksum-valid addresses (bech32 lowercased, base58 as written); eth: 0x + 40 hex, lowercased
- tg: a Telegram handle or bot name without "@" or t.me/, lowercased; jabber, email: lowercased addresses
- session: 66 hex starting 05; wickr: lowercased id; pgp: the 40-hex fingerprint, uppercased
- vendor: the cross-market name key (indexer/query.py name_norm: letters and digits, casefolded)

Vendors give theirs from the profile the extractors filled (contacts, crypto_addresses, pgp_fingerprint, name);
listings from their own title and description (plus the vendor name they show).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from onionwatch.errors import QueryError
from onionwatch.extractors.contacts import find_contacts
from onionwatch.extractors.crypto_addresses import (
    _b58decode,
    bech32_hrp_expand,
    bech32_polymod,
    find_addresses,
    is_btc_address,
    is_xmr_address,
)
from onionwatch.extractors.pgp import normalize_fingerprint
from onionwatch.indexer.query import name_norm

KINDS = ("btc", "xmr", "eth", "ltc", "tg", "jabber", "session", "wickr", "email", "pgp", "vendor")
LABELS = {"btc": "BTC address", "xmr": "XMR address", "eth": "ETH address", "ltc": "LTC address",
          "tg": "Telegram", "jabber": "Jabber", "session": "Session", "wickr": "Wickr", "email": "E-mail",
          "pgp": "PGP fingerprint", "vendor": "Vendor name"}  # fmt: skip
# extractor keys (Vendor.contacts / crypto_addresses) -> identifier kind
CONTACT_KINDS = {"telegram": "tg", "jabber": "jabber", "session": "session", "wickr": "wickr", "email": "email",
                 "pgp_uid": "email"}  # fmt: skip
COIN_KINDS = {"btc": "btc", "xmr": "xmr", "eth": "eth", "ltc": "ltc"}
MAX_VALUE = 200
MAX_TEXT = 200_000  # listing text scanned for identifiers (like the address extractor's bound)

_ETH = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_LTC = re.compile(r"(?<![0-9A-Za-z])(?:[LM][1-9A-HJ-NP-Za-km-z]{26,33}|ltc1[02-9ac-hj-np-z]{8,87})(?![0-9A-Za-z])")
_TG = re.compile(r"[a-z][a-z0-9_]{3,31}")
_MAIL = re.compile(r"[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,200}\.[a-z]{2,24}")
_SESSION = re.compile(r"05[0-9a-f]{64}")
_WICKR = re.compile(r"[a-z0-9_.\-]{3,32}")
# a fingerprint in free text: 40 hex standing alone (grouped by 4 or not), only in text that speaks of PGP
_FPR = re.compile(r"(?<![0-9A-Za-z@_])((?:[0-9A-Fa-f]{4}[ \u00a0]{0,2}){9}[0-9A-Fa-f]{4})(?![0-9A-Za-z_])")
_PGP_HINT = re.compile(r"pgp|gpg|fingerprint|отпечат", re.I)
# what every handle the contact finder reports needs nearby (a cheap test before its dozen patterns)
_CONTACT_HINT = re.compile(r"@|t\.me/|telegram|telega|\btg\b|телег|\bтг\b|тележк|wickr|05[0-9a-f]{64}", re.I)
_TG_WORD = re.compile(r"\btg\b")
_SESSION_ID = re.compile(r"05[0-9a-f]{64}", re.I)


def contact_hint(text: str) -> bool:
    """``_CONTACT_HINT.search(text)``, answered for ASCII text by substring tests on its lower case (the same
    answer: its Cyrillic words cannot occur, and ASCII letters fold only to ASCII; ~10x faster than the
    case-blind alternation, which tries every branch at every position)."""
    if not text.isascii():
        return _CONTACT_HINT.search(text) is not None
    if "@" in text:
        return True
    low = text.lower()
    return ("t.me/" in low or "telegram" in low or "telega" in low or "wickr" in low
            or ("tg" in low and _TG_WORD.search(low) is not None)
            or ("05" in low and _SESSION_ID.search(low) is not None))  # fmt: skip


def pgp_hint(text: str) -> bool:
    """``_PGP_HINT.search(text)``, by substring tests on the lower case of ASCII text (the same answer)."""
    if not text.isascii():
        return _PGP_HINT.search(text) is not None
    low = text.lower()
    return "pgp" in low or "gpg" in low or "fingerprint" in low


def is_ltc_address(addr: str) -> bool:
    """Litecoin L…/M… base58check (versions 0x30, 0x32) or ltc1… bech32/bech32m."""
    if addr.lower().startswith("ltc1"):
        if addr.lower() != addr and addr.upper() != addr:
            return False
        low = addr.lower()
        charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
        data = [charset.find(c) for c in low[4:]]
        if -1 in data or not 14 <= len(low) <= 90:
            return False
        const = bech32_polymod(bech32_hrp_expand("ltc") + data)
        return const == 1 if data[0] == 0 else const == 0x2BC830A3
    raw = _b58decode(addr)
    if raw is None or len(raw) != 25 or raw[0] not in (0x30, 0x32):
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def normalise(kind: str, value: str | None) -> str | None:
    """The canonical spelling of ``value`` as a ``kind`` identifier, None when it is not one."""
    v = (value or "").strip()
    if not v or len(v) > MAX_VALUE:
        return None
    if kind == "btc":
        v = v.lower() if v.lower().startswith("bc1") else v
        return v if is_btc_address(v) else None
    if kind == "xmr":
        return v if is_xmr_address(v) else None
    if kind == "eth":
        return v.lower() if _ETH.fullmatch(v) else None
    if kind == "ltc":
        v = v.lower() if v.lower().startswith("ltc1") else v
        return v if is_ltc_address(v) else None
    if kind == "tg":
        v = re.sub(r"^(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/", "", v, flags=re.I).lstrip("@").lower()
        return v if _TG.fullmatch(v) else None
    if kind in ("jabber", "email"):
        v = v.lower()
        return v if _MAIL.fullmatch(v) else None
    if kind == "session":
        v = v.lower()
        return v if _SESSION.fullmatch(v) else None
    if kind == "wickr":
        v = v.lstrip("@").lower()
        return v if _WICKR.fullmatch(v) else None
    if kind == "pgp":
        fp = normalize_fingerprint(v)
        return fp if fp and len(re.sub(r"[\s:]|0x", "", v, flags=re.I)) == 40 else None
    if kind == "vendor":
        return name_norm(v) or None
    return None


def parse(text: str | None) -> tuple[str, str]:
    """ "kind:value" -> (kind, canonical value); QueryError naming what is wrong."""
    raw = (text or "").strip()
    kind, sep, value = raw.partition(":")
    kind = kind.strip().casefold()
    if not sep or kind not in KINDS:
        raise QueryError(f"identifier {raw[:80]!r}: expected KIND:VALUE with KIND one of {', '.join(KINDS)}")
    norm = normalise(kind, value)
    if norm is None:
        raise QueryError(f"identifier {raw[:80]!r}: not a valid {LABELS[kind]}")
    return kind, norm


def key(kind: str, value: str) -> str:
    """The "kind:value" form stored in Elasticsearch keyword fields and used in URLs."""
    return f"{kind}:{value}"


def _add(out: set[tuple[str, str]], kind: str, value: Any) -> None:
    if isinstance(value, str):
        norm = normalise(kind, value)
        if norm is not None:
            out.add((kind, norm))


def _as_dict(value: Any) -> Mapping[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, Mapping) else {}


def from_vendor(vendor: Any) -> set[tuple[str, str]]:
    """Identifiers of a vendor profile (a Vendor record, its dict, or a stored row with JSON columns)."""
    get = vendor.get if isinstance(vendor, Mapping) else lambda k: getattr(vendor, k, None)
    out: set[tuple[str, str]] = set()
    _add(out, "vendor", get("name"))
    _add(out, "pgp", get("pgp_fingerprint"))
    for name, values in _as_dict(get("contacts")).items():
        kind = CONTACT_KINDS.get(str(name).casefold(), "")
        for value in values if kind and isinstance(values, list) else []:
            _add(out, kind, value)
    for coin, values in _as_dict(get("crypto_addresses")).items():
        kind = COIN_KINDS.get(str(coin).casefold(), "")
        for value in values if kind and isinstance(values, list) else []:
            _add(out, kind, value)
    return out


def from_text(*texts: str | None) -> set[tuple[str, str]]:
    """Identifiers written in free text (a listing's title and description)."""
    text = "\n".join(t for t in texts if t)[:MAX_TEXT]
    out: set[tuple[str, str]] = set()
    if not text:
        return out
    for coin, values in find_addresses(text).items():
        for value in values:
            _add(out, coin.casefold(), value)
    for name, values in (find_contacts(text) if contact_hint(text) else {}).items():
        kind = CONTACT_KINDS.get(name, "")
        for value in values if kind else []:
            _add(out, kind, value)
    for m in _ETH.finditer(text):
        _add(out, "eth", m.group(0))
    for m in _LTC.finditer(text):
        _add(out, "ltc", m.group(0))
    if pgp_hint(text):
        for m in _FPR.finditer(text):
            _add(out, "pgp", m.group(1))
    return out


def from_listing(listing: Any) -> set[tuple[str, str]]:
    """Identifiers of a listing (record or dict): those in its title and description, and its vendor's name."""
    get = listing.get if isinstance(listing, Mapping) else lambda k: getattr(listing, k, None)
    out = from_text(get("title"), get("description"))
    _add(out, "vendor", get("vendor"))
    return out


def keys(pairs: Iterable[tuple[str, str]]) -> list[str]:
    return sorted(key(k, v) for k, v in pairs)


def pivot_result(kind: str, value: str, vendors: list[dict[str, Any]], listings: list[dict[str, Any]],
                 total: int) -> dict[str, Any]:
    """The pivot answer every backend gives (indexer/store.py Store.pivot): vendors by market, then name."""
    vendors.sort(key=lambda v: (v["market"], (v["name"] or "").casefold(), v["vendor_id"] or ""))
    markets: dict[str, dict[str, Any]] = {}
    for v in vendors:
        m = markets.setdefault(v["market"], {"market": v["market"], "vendors": 0, "matching_listings": 0,
                                             "first_seen": v["first_seen"], "last_seen": v["last_seen"]})
        m["vendors"] += 1
        m["matching_listings"] += v["matching_listings"]
        firsts = [x for x in (m["first_seen"], v["first_seen"]) if x]
        lasts = [x for x in (m["last_seen"], v["last_seen"]) if x]
        m["first_seen"], m["last_seen"] = min(firsts, default=None), max(lasts, default=None)
    return {"kind": kind, "value": value, "vendors": vendors, "markets": [markets[k] for k in sorted(markets)],
            "listings": listings, "listings_total": total}
