"""Pure page → raw record conversion, shared by the live spider and archive re-extraction."""

from __future__ import annotations

from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from parsel import Selector

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.crawler.markets import MarketDefinition
from onionwatch.crawler.pages import as_list, as_text, page_base, page_id, read_page


def url_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def without_params(url: str, names: list[str]) -> str:
    """`url` without the query parameters `names` (a market's tracking parameters); the rest kept as written."""
    if not names:
        return url
    parts = urlsplit(url)
    kept = [kv for kv in parts.query.split("&") if kv and unquote_plus(kv.split("=", 1)[0]) not in names]
    return urlunsplit(parts._replace(query="&".join(kept)))


def _joined_path(url: str, href: str | None) -> str | None:
    """The path of `href` read on page `url`; None for none or a broken one ("http://[::1": urlsplit raises)."""
    if not href:
        return None
    try:
        return url_path(urljoin(url, href))
    except ValueError:
        return None


def page_kind(definition: MarketDefinition, url: str) -> tuple[str, str] | None:
    """("listing"|"vendor", id) for a page URL, or None for navigation pages."""
    path = url_path(url)
    listing_id = page_id(definition.listing, path)
    if listing_id is not None:
        return "listing", listing_id
    if definition.vendor is not None:
        vendor_id = page_id(definition.vendor, path)
        if vendor_id is not None:
            return "vendor", vendor_id
    return None


def listing_record(definition: MarketDefinition, sel: Selector, url: str, listing_id: str,
                   scraped_at: str) -> RawListing:
    values = read_page(sel, definition.listing, url)
    vendor_url = as_text(values, "vendor_url")
    return RawListing(
        market=definition.name,
        listing_id=listing_id,
        url=url_path(url),
        title=as_text(values, "title") or "",
        description=as_text(values, "description") or "",
        price_text=as_text(values, "price_text") or "",
        vendor_name=as_text(values, "vendor_name") or "",
        vendor_url=_joined_path(page_base(sel, url), vendor_url),
        category=as_text(values, "category"),
        ships_from=as_text(values, "ships_from"),
        ships_to=as_text(values, "ships_to"),
        location=as_text(values, "location"),
        city=as_text(values, "city"),
        district=as_text(values, "district"),
        quantity=as_text(values, "quantity"),
        escrow=as_text(values, "escrow"),
        tiers=as_list(values, "tiers"),
        lang=definition.language,
        currency=definition.currency,
        scraped_at=scraped_at,
    )


def vendor_record(definition: MarketDefinition, sel: Selector, url: str, vendor_id: str,
                  scraped_at: str) -> RawVendor:
    assert definition.vendor is not None
    values = read_page(sel, definition.vendor, url)
    return RawVendor(
        market=definition.name,
        vendor_id=vendor_id,
        name=as_text(values, "name") or vendor_id,
        url=url_path(url),
        rating=as_text(values, "rating"),
        sales=as_text(values, "sales"),
        joined=as_text(values, "joined"),
        pgp_key=as_text(values, "pgp_key"),
        pgp_fingerprint=as_text(values, "pgp_fingerprint"),
        contacts=as_list(values, "contacts"),
        crypto_addresses=as_list(values, "crypto_addresses"),
        description=as_text(values, "description") or "",
        scraped_at=scraped_at,
    )


def unmatched_link_problem(definition: MarketDefinition, path: str) -> str:
    """One line for a link navigation.listing_links found whose URL is no listing page by listing.url_pattern
    (a slug, a trailing slash or a query the pattern does not allow): every such page is crawled as navigation."""
    return (f"navigation.listing_links found {path!r}, but listing.url_pattern "
            f"'{definition.listing.url_pattern}' does not match it (the pattern is searched in the path + query), "
            "so it is not read as a listing")
