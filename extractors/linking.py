"""Cross-market vendor linking: shared PGP fingerprint (certain), shared handle/address, similar names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from onionwatch.extractors.records import Vendor

SCORES = {"pgp_fingerprint": 1.0, "crypto_address": 0.9, "contact": 0.8}
NAME_MIN_SIMILARITY = 0.85


@dataclass
class VendorLink:
    a: str  # Vendor.key ("market:vendor_id")
    b: str
    reason: str  # pgp_fingerprint | crypto_address | contact | name
    score: float  # 1.0 certain; name similarity gives at most 0.6
    evidence: str = ""


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-zа-я0-9]", "", name.lower().replace("0", "o").replace("1", "l").replace("3", "e"))


def link_vendors(vendors: Sequence[Vendor]) -> list[VendorLink]:
    """Links between vendors of different markets (or different ids), strongest reason per pair."""
    best: dict[tuple[str, str], VendorLink] = {}

    def offer(a: Vendor, b: Vendor, reason: str, score: float, evidence: str) -> None:
        if a.key == b.key:
            return
        pair = (a.key, b.key) if a.key < b.key else (b.key, a.key)
        cur = best.get(pair)
        if cur is None or score > cur.score:
            best[pair] = VendorLink(pair[0], pair[1], reason, round(score, 3), evidence)

    index: dict[tuple[str, str], list[Vendor]] = {}
    for v in vendors:
        if v.pgp_fingerprint:
            index.setdefault(("pgp_fingerprint", v.pgp_fingerprint.upper()), []).append(v)
        for cur, addrs in v.crypto_addresses.items():
            for addr in addrs:
                index.setdefault(("crypto_address", f"{cur}:{addr}"), []).append(v)
        for kind, handles in v.contacts.items():
            for h in handles:
                index.setdefault(("contact", f"{kind}:{h.lower()}"), []).append(v)
    for (reason, evidence), group in index.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                offer(a, b, reason, SCORES[reason], evidence)
    names = [(v, _norm_name(v.name)) for v in vendors]
    for i, (a, na) in enumerate(names):
        if len(na) < 4:
            continue
        for b, nb in names[i + 1 :]:
            if a.market == b.market or len(nb) < 4:
                continue
            ratio = 1.0 if na == nb else SequenceMatcher(None, na, nb).ratio()
            if ratio >= NAME_MIN_SIMILARITY:
                offer(a, b, "name", 0.6 * ratio, f"{a.name} ~ {b.name}")
    return sorted(best.values(), key=lambda link: (-link.score, link.a, link.b))
