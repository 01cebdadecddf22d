"""`onionwatch markets try NAME [URL]`: fetch one page as a crawl would and show what the definition and the
extractors read from it, before anyone starts a long Tor crawl.

Without URL: the first start page, then (through `follow` links when the start page lists none, at most
:data:`MAX_HOPS` pages) the first listing link found. With URL: that page, and the first listing link on it
when it is a navigation page. Every page shows which page spec matched (listing, vendor or navigation);
listing and vendor pages show each field (the selector that matched, the raw text, the normalised value) and
what the extractors make of the whole record. A page that matches nothing is a CrawlError (one line).
Scraped text is attacker-controlled: :func:`shown` cuts it and escapes what a terminal would interpret.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

from onionwatch.crawler.markets import FieldSpec, MarketDefinition, PageSpec
from onionwatch.crawler.pages import PageMismatch, link_hrefs, page_base, read_field, trace_field
from onionwatch.crawler.records_from_pages import (
    MAX_ROWS,
    RowScopes,
    joined_path,
    listing_record,
    page_kind,
    row_listings,
    unmatched_link_problem,
    url_path,
    vendor_record,
    without_params,
)
from onionwatch.crawler.transport import TorEndpoint
from onionwatch.crawler.trial_client import Page, TrialClient
from onionwatch.errors import CrawlError

MAX_HOPS = 6  # navigation pages walked (first `follow` link each) looking for a listing link
SHOW_CHARS = 160  # raw and normalised values are cut here


def shown(value: Any, limit: int = SHOW_CHARS) -> str:
    """Attacker text made safe for a terminal: cut at `limit` characters, control and format characters
    (escape sequences, bidi overrides, newlines) written as Python escapes."""
    text = value if isinstance(value, str) else " | ".join(value) if isinstance(value, list) else str(value)
    cut = text[:limit]
    out = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in cut)
    return out + (f"... ({len(text)} chars)" if len(text) > limit else "")


@dataclass
class FieldTrial:
    name: str
    selector: str | None  # the (fallback) selector that yielded the value; None: none did
    raw: str  # what that selector found, before cleaning (cut, escaped)
    value: str  # the field's value as the crawl stores it (cut, escaped)
    normalised: str  # what the extractors read from this field alone (cut, escaped)


@dataclass
class PageTrial:
    url: str
    status: int
    kind: str  # listing | vendor | navigation
    page_id: str | None = None
    fields: list[FieldTrial] = field(default_factory=list)
    extracted: dict[str, Any] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)  # navigation selector -> links found
    truncated: bool = False
    rows: int | None = None  # navigation pages of a market with listing_rows: listings read as rows (first shown)


@dataclass
class Trial:
    market: str
    transport: str
    mirror: str
    logged_in: bool
    pages: list[PageTrial]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def try_market(definition: MarketDefinition, transport: str, endpoint: TorEndpoint, url: str | None = None,
               timeout: float = 30.0) -> Trial:  # fmt: skip
    """Log in if the definition has a login, fetch the page(s), describe them; CrawlError when one matches
    nothing (or cannot be fetched)."""
    with TrialClient(definition, transport, endpoint, timeout) as client:
        client.login()
        page = client.get(client.url(url or definition.navigation.start[0]))
        pages = [describe(definition, page)]
        hops = 0
        while pages[-1].kind == "navigation" and hops < MAX_HOPS:
            sel = page.selector()
            base = page_base(sel, page.url)
            nxt = _first(definition, sel, definition.navigation.listing_links, base)
            via_listing_links = nxt is not None
            if nxt is None and url is None:  # walking from the start page: go down the first follow link
                follow = definition.navigation.follow
                nxt = next((h for css in follow if (h := _first(definition, sel, css, base))), None)
            if nxt is None or not client.same_origin(nxt):
                break
            if via_listing_links and page_kind(definition, nxt) is None:
                raise CrawlError(f"{definition.name}: {unmatched_link_problem(definition, url_path(nxt))}")
            page = client.get(nxt)
            hops += 1
            pages.append(describe(definition, page))
            if url is not None:
                break
        return Trial(definition.name, transport, client.base, definition.login is not None, pages)


def _first(definition: MarketDefinition, sel: Selector, css: str | None, base: str) -> str | None:
    """The first link `css` finds, resolved and without `navigation.drop_params` (as the crawl follows it)."""
    href = next(iter(link_hrefs(sel, css)), None)
    try:
        url = urljoin(base, href.strip()) if href and href.strip() else None
    except ValueError:  # a broken href ("http://[::1"): no link to follow
        return None
    return None if url is None else without_params(url, definition.navigation.drop_params)


def describe(definition: MarketDefinition, page: Page) -> PageTrial:
    """Which page spec `page` matches and what it yields; CrawlError when it matches nothing."""
    sel = page.selector()
    found = page_kind(definition, page.url)
    if found is None:
        links = _links(definition, sel)
        trial = PageTrial(url_path(page.url), page.status, "navigation", links=links, truncated=page.truncated)
        if definition.listing_rows is not None:
            _describe_rows(trial, definition, sel, page.url)
        if not any(links.values()) and not trial.rows:
            rows = " and listing_rows.row found no row with a title" if definition.listing_rows is not None else ""
            raise CrawlError(f"{definition.name}: page {page.url} (HTTP {page.status}) matched nothing: its URL "
                             "matches neither listing.url_pattern nor vendor.url_pattern, no navigation "
                             f"selector found a link{rows}")
        return trial
    kind, page_id = found
    spec = definition.listing if kind == "listing" else definition.vendor
    assert spec is not None
    _require(definition, spec, sel, page, kind)
    trial = PageTrial(url_path(page.url), page.status, kind, page_id, truncated=page.truncated)
    currency = definition.currency
    base = page_base(sel, page.url)
    trial.fields = [_field(name, fs, sel, currency, base) for name, fs in spec.fields.items()]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        trial.extracted = _extracted(definition, sel, page.url, kind, page_id, now)
    except PageMismatch as exc:
        raise CrawlError(f"{definition.name}: {exc}") from None
    return trial


def _require(definition: MarketDefinition, spec: PageSpec, sel: Selector, page: Page, kind: str) -> None:
    if not sel.css(spec.require):
        raise CrawlError(f"{definition.name}: page {page.url} (HTTP {page.status}) matched nothing: its URL makes "
                         f"it a {kind} page but {kind}.require {spec.require!r} found nothing")


def _links(definition: MarketDefinition, sel: Selector) -> dict[str, int]:
    nav = definition.navigation
    named = {"listing_links": nav.listing_links, "vendor_links": nav.vendor_links, "next_page": nav.next_page}
    named.update({f"follow[{i}]": css for i, css in enumerate(nav.follow)})
    return {name: len(link_hrefs(sel, css)) for name, css in named.items() if css}


def _field(name: str, spec: FieldSpec, sel: Selector, currency: str, base: str) -> FieldTrial:
    css, raw, value = trace_field(sel, spec)
    if name == "vendor_url" and isinstance(value, str) and value:  # stored resolved against the page, as shown
        normalised = joined_path(base, value.strip() or base) or value  # "../vendor/x" on /shop/item/1: /shop/vendor/x
    else:
        normalised = normalise(name, value, currency) if value else ""
    return FieldTrial(name, css, shown(raw), shown(value) if value else "", shown(normalised))


def normalise(name: str, value: str | list[str], currency: str) -> str:
    """What the extractors read from one field on its own (the whole record is extracted apart)."""
    from onionwatch.extractors import contacts, crypto_addresses, listing_fields, offers, pgp, places

    text = value if isinstance(value, str) else "\n".join(value)
    if name == "price_text":
        prices = offers.parse_offer(text, currency).prices
        bare = listing_fields.bare_price(text, currency)
        return ", ".join(f"{p.amount:g} {p.currency}" for p in prices) or (
            f"{bare.amount:g} {bare.currency} (no currency shown: {currency})" if bare else "no price")
    if name == "quantity":
        q = listing_fields.shown_quantity(text)
        return f"{q.value:g} {q.unit}" if q else "no quantity"
    if name == "tiers":
        lines = value if isinstance(value, list) else [value]
        return "; ".join(_tier(line, currency) for line in lines[:20])
    if name in ("city", "district"):
        place = places.clean_place(text) or ""
        implied = places.city_currency(place) if name == "city" else None
        return place + (f" (implies {implied})" if implied else "")
    if name == "location":
        city, district = places.split_location(text)
        return f"city {city!r}, district {district!r}"
    if name in ("pgp_fingerprint", "pgp_key"):
        key = pgp.parse_public_key(text) if name == "pgp_key" else None
        fpr = key.fingerprint if key else pgp.normalize_fingerprint(text)
        return fpr or "no fingerprint"
    if name == "contacts":
        return str(contacts.find_contacts(text) or "no handle recognised")
    if name == "crypto_addresses":
        return str(crypto_addresses.find_addresses(text) or "no checksum-valid address")
    return text


def _tier(line: str, currency: str) -> str:
    from onionwatch.extractors.offers import parse_offer

    offer = parse_offer(line, currency)
    t = offer.tiers[0] if offer.tiers else None
    if t is None:
        return "?"
    qty = f"{t.quantity.value:g} {t.quantity.unit}" if t.quantity else "?"
    price = f"{t.price.amount:g} {t.price.currency}" if t.price else "?"
    return f"{qty} @ {price}"


def _describe_rows(trial: PageTrial, definition: MarketDefinition, sel: Selector, url: str) -> None:
    """A navigation page's listing rows: how many, and the first one's fields and extraction."""
    from onionwatch.extractors.pipeline import Extractor

    spec = definition.listing_rows
    assert spec is not None
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    listings = row_listings(definition, sel, url, now)
    trial.rows = len(listings)
    first = next((row for row in sel.css(spec.row)[:MAX_ROWS] if read_field(row, spec.fields["title"])), None)
    if first is None or not listings:
        return
    trial.page_id = listings[0].listing_id
    scopes = RowScopes(sel)
    base = page_base(sel, url)
    trial.fields = [_field(name, fs, scopes.of(first, fs.within), definition.currency, base)
                    for name, fs in spec.fields.items()]
    trial.extracted = _listing_summary(Extractor().listing(listings[0]))


def _listing_summary(listing: Any) -> dict[str, Any]:
    return {
        "substance": listing.substance, "substance_class": listing.substance_class,
        "quantity": asdict(listing.quantity) if listing.quantity else None,
        "dose": asdict(listing.dose) if listing.dose else None,
        "price": asdict(listing.price) if listing.price else None,
        "currency": listing.price.currency if listing.price else None,
        "price_usd": listing.price_usd, "price_per_gram_usd": listing.price_per_gram_usd,
        "price_per_unit_usd": listing.price_per_unit_usd, "tiers": len(listing.tiers),
        "category": _opt(listing.category), "city": _opt(listing.city), "district": _opt(listing.district),
        "vendor": _opt(listing.vendor), "vendor_id": _opt(listing.vendor_id),
    }  # fmt: skip


def _extracted(definition: MarketDefinition, sel: Selector, url: str, kind: str, page_id: str,
               now: str) -> dict[str, Any]:  # fmt: skip
    from onionwatch.extractors.pipeline import Extractor

    extractor = Extractor()
    if kind == "listing":
        return _listing_summary(extractor.listing(listing_record(definition, sel, url, page_id, now)))
    vendor = extractor.vendor(vendor_record(definition, sel, url, page_id, now))
    return {
        "name": shown(vendor.name), "rating": vendor.rating, "sales": vendor.sales, "joined": vendor.joined,
        "pgp_fingerprint": vendor.pgp_fingerprint, "pgp_key_id": vendor.pgp_key_id,
        "contacts": {k: [shown(v, 80) for v in vs] for k, vs in vendor.contacts.items()},
        "crypto_addresses": vendor.crypto_addresses,
    }  # fmt: skip


def _opt(value: str | None) -> str | None:
    return shown(value) if value else None
