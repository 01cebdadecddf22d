"""The extractors over the testbed markets' pages as shown, scored against the generator's ground truth.

Used by `bench/eval_extract.py --testbed` (figures) and by the tests (thresholds).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.extractors.linking import link_vendors
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Price, Quantity
from onionwatch.groundtruth import same_price, same_quantity
from onionwatch.testbed.generate import build_market
from onionwatch.testbed.truth import actor_links


def _qty(got: Quantity | None, want: dict[str, object] | None) -> bool:
    return same_quantity(asdict(got) if got else None, want)


def _price(got: Price | None, want: dict[str, object] | None) -> bool:
    return same_price(asdict(got) if got else None, want)


def listing_match(x: Extractor, markets: Iterable[str] = ("abyss", "kladmen")) -> dict[str, dict[str, float]]:
    """Run the Extractor over the testbed listings (raw fields as shown on the pages) vs ground truth."""
    currency = {"abyss": "USD", "kladmen": "RUB"}
    out: dict[str, dict[str, float]] = {}
    for m in markets:
        market = build_market(m)
        raws = [
            RawListing(market=m, listing_id=li.listing_id, url=li.url, title=li.title, description=li.description,
                       price_text=li.price_text, vendor_name=li.vendor.name, tiers=[t.text for t in li.tiers],
                       currency=currency.get(m), lang="ru" if m == "kladmen" else "en")
            for li in market.listings
        ]  # fmt: skip
        got = x.listings(raws)
        n = len(got)
        c: Counter[str] = Counter()
        for li, o in zip(market.listings, got, strict=True):
            t = li.truth()
            s = o.substance == t["substance"]
            q = _qty(o.quantity, t["quantity"])
            d = _qty(o.dose, t["dose"])
            p = _price(o.price, t["price"])
            c["substance"] += s
            c["quantity"] += q
            c["dose"] += d
            c["price"] += p
            c["all"] += s and q and p
        out[m] = {k: round(v / n, 4) for k, v in c.items()} | {"n": n}
    return out


def vendor_match(x: Extractor, markets: Iterable[str] = ("abyss", "kladmen")) -> dict[str, float]:
    """Vendor intel vs testbed truth: fingerprints, contacts, addresses, and cross-market actor links."""
    parsed, truths = [], []
    c: Counter[str] = Counter()
    for m in markets:
        market = build_market(m)
        truths.append(market.truth())
        for v in market.vendors:
            raw = RawVendor(market=m, vendor_id=v.vendor_id, name=v.name, url=v.url, rating=v.rating, sales=v.sales,
                            joined=v.joined, pgp_key=v.pgp.armored if v.pgp else None, contacts=list(v.contact_lines),
                            crypto_addresses=[a for vals in v.crypto.values() for a in vals],
                            description=v.description)  # fmt: skip
            got = x.vendor(raw)
            t = v.truth()
            parsed.append(got)
            c["n"] += 1
            c["pgp_fingerprint"] += got.pgp_fingerprint == t["pgp_fingerprint"]
            c["contacts"] += {k: v for k, v in got.contacts.items() if k != "pgp_uid"} == t["contacts"]
            c["crypto_addresses"] += got.crypto_addresses == t["crypto_addresses"]
            c["rating_sales_joined"] += None not in (got.rating, got.sales, got.joined)
    want = {
        tuple(sorted(f"{a['market']}:{a['vendor_id']}" for a in pair))
        for actor in actor_links(truths)
        for i, a in enumerate(actor["vendors"])
        for pair in ((a, b) for b in actor["vendors"][i + 1 :])
    }
    links = link_vendors(parsed)
    strong = {(lk.a, lk.b) for lk in links if lk.score >= 0.8}
    out = {k: round(v / c["n"], 4) for k, v in c.items() if k != "n"} | {"vendors": c["n"]}
    out["actor_pairs"] = len(want)
    out["link_recall"] = round(len(want & strong) / len(want), 4) if want else 1.0
    out["link_precision"] = round(len(want & strong) / len(strong), 4) if strong else 1.0
    return out
