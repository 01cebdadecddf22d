"""Write golden page fixtures (tests/fixtures/pages/<market>/<type>-N/{input.html, output.json}).

Expected values come from the generated model (what the page is meant to show), never from parsing the
page, so the fixture test checks the market definitions' selectors against the truth.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from onionwatch.testbed import html_abyss, html_kladmen
from onionwatch.testbed.generate import build_market
from onionwatch.testbed.model import Listing, Market, Vendor
from onionwatch.testbed.offers import shown_amount, shown_fingerprint

FIXTURES_DIR = Path("tests") / "fixtures" / "pages"  # relative to the repository checkout (a dev tool)
USER = "analyst"
HOSTILE_TITLE = '<script>alert("x")</script> 1g Cocaine & "more" </h1><a class="next-page" href="/evil">'


def _abyss_listing(li: Listing) -> dict[str, Any]:
    return {
        "title": li.title, "description": li.description, "price_text": li.price_text,
        "vendor_name": li.vendor.name, "vendor_url": li.vendor.url, "category": li.category,
        "ships_from": li.ships_from, "ships_to": li.ships_to, "escrow": li.escrow,
        "tiers": [t.text for t in li.tiers],
        "quantity": shown_amount(li.quantity.value, li.quantity.unit) if li.quantity else None,
    }


def _vendor(v: Vendor) -> dict[str, Any]:
    return {
        "name": v.name, "rating": v.rating, "sales": v.sales, "joined": v.joined,
        "pgp_key": v.pgp.armored if v.pgp else None, "contacts": v.contact_lines,
        "crypto_addresses": [a for addrs in v.crypto.values() for a in addrs], "description": v.description,
    }


def _abyss_vendor(v: Vendor) -> dict[str, Any]:
    # the record collapses runs of white space (GnuPG's two spaces in the middle become one)
    return {**_vendor(v), "pgp_fingerprint": " ".join(shown_fingerprint(v.pgp.fingerprint).split()) if v.pgp else None}


def _kladmen_listing(li: Listing) -> dict[str, Any]:
    return {
        "title": li.title, "description": li.description, "price_text": li.price_text,
        "vendor_name": li.vendor.name, "vendor_url": li.vendor.url, "location": li.location,
        "city": li.extra["city"], "district": li.extra["district"],
        "quantity": shown_amount(li.quantity.value, li.quantity.unit, "ru") if li.quantity else None,
        "tiers": [t.text for t in li.tiers],
    }


def _pick(market: Market, pred: Any) -> Listing:
    return next(li for li in market.listings if pred(li))


def _pages_abyss(m: Market) -> list[tuple[str, str, dict[str, Any]]]:
    by_vendor: dict[str, list[Listing]] = {}
    for li in m.listings:
        by_vendor.setdefault(li.vendor.vendor_id, []).append(li)
    out = []
    for pred in (lambda li: len(li.tiers) >= 3, lambda li: li.dose is not None, lambda li: not li.is_drug,
                 lambda li: "<3" in li.title or "&" in li.title):
        li = _pick(m, pred)
        out.append(("listing", html_abyss.listing_page(li, USER), {"url": li.url, "fields": _abyss_listing(li)}))
    hostile = dataclasses.replace(m.listings[0], title=HOSTILE_TITLE, description="<b>bold</b> & <i>x</i>")
    out.append(("listing", html_abyss.listing_page(hostile, USER), {"url": hostile.url,
                                                                    "fields": _abyss_listing(hostile)}))
    for pred in (lambda v: v.pgp is not None and len(v.contact_lines) >= 3, lambda v: v.pgp is None):
        v = next(v for v in m.vendors if pred(v))
        out.append(("vendor", html_abyss.vendor_page(v, by_vendor.get(v.vendor_id, []), USER),
                    {"url": v.url, "fields": _abyss_vendor(v)}))
    slug = "stimulants"
    items = m.nav["categories"][slug]
    chunk = items[html_abyss.PER_PAGE : 2 * html_abyss.PER_PAGE]
    out.append(("category", html_abyss.category_page(m, slug, 2, USER) or "", {"links": {
        "listing_links": [li.url for li in chunk],
        "vendor_links": [li.vendor.url for li in chunk],
        "next_page": [f"/category/{slug}?page=3"] if len(items) > 2 * html_abyss.PER_PAGE else [],
        "follow": [f"/category/{s}" for s in m.nav["categories"]],
    }}))
    return out


def _pages_kladmen(m: Market) -> list[tuple[str, str, dict[str, Any]]]:
    by_vendor: dict[str, list[Listing]] = {}
    for li in m.listings:
        by_vendor.setdefault(li.vendor.vendor_id, []).append(li)
    out = []
    for pred in (lambda li: len(li.tiers) >= 3 and li.currency == "KZT",
                 lambda li: li.currency == "RUB" and li.quantity is not None and li.quantity.value % 1,
                 lambda li: li.dose is not None, lambda li: not li.is_drug):
        li = _pick(m, pred)
        out.append(("listing", html_kladmen.product_page(li), {"url": li.url, "fields": _kladmen_listing(li)}))
    for pred in (lambda v: v.pgp is not None, lambda v: v.pgp is None):
        v = next(v for v in m.vendors if pred(v))
        out.append(("vendor", html_kladmen.shop_page(v, by_vendor.get(v.vendor_id, [])),
                    {"url": v.url, "fields": _vendor(v)}))
    items = m.nav["cities"]["almaty"]["medeu"]
    chunk = items[: html_kladmen.PER_PAGE]
    out.append(("district", html_kladmen.district_page(m, "almaty", "medeu", 1) or "", {"links": {
        "listing_links": [li.url for li in chunk],
        "vendor_links": [li.vendor.url for li in chunk],
        "next_page": ["/g/almaty/medeu?str=2"] if len(items) > html_kladmen.PER_PAGE else [],
        "follow": [],
    }}))
    out.append(("city", html_kladmen.city_page(m, "almaty") or "", {"links": {
        "listing_links": [], "vendor_links": [], "next_page": [],
        "follow": [f"/g/almaty/{d}" for d in m.nav["cities"]["almaty"]],
    }}))
    return out


def write_fixtures(out: str | Path | None = None) -> list[Path]:
    """Regenerate every fixture from the default-seed markets; returns the fixture directories."""
    root = Path(out) if out else FIXTURES_DIR
    written = []
    for market, pages in (("abyss", _pages_abyss(build_market("abyss"))),
                          ("kladmen", _pages_kladmen(build_market("kladmen")))):
        counters: dict[str, int] = {}
        for kind, html, expected in pages:
            counters[kind] = counters.get(kind, 0) + 1
            d = root / market / f"{kind}-{counters[kind]}"
            d.mkdir(parents=True, exist_ok=True)
            (d / "input.html").write_text(html, encoding="utf-8")
            (d / "output.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
            written.append(d)
    return written
