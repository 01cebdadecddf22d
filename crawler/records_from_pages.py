"""Pure page → raw record conversion, shared by the live spider and archive re-extraction."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from parsel import Selector

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.crawler.markets import FieldSpec, MarketDefinition
from onionwatch.crawler.pages import as_list, as_text, page_base, page_id, read_field, read_page


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


def joined_path(url: str, href: str | None) -> str | None:
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
    listing_id = page_id(definition.listing, path) if definition.listing is not None else None
    if listing_id is not None:
        return "listing", listing_id
    if definition.vendor is not None:
        vendor_id = page_id(definition.vendor, path)
        if vendor_id is not None:
            return "vendor", vendor_id
    return None


def listing_record(definition: MarketDefinition, sel: Selector, url: str, listing_id: str,
                   scraped_at: str) -> RawListing:
    assert definition.listing is not None
    values = read_page(sel, definition.listing, url)
    return _raw_listing(definition, values, page_base(sel, url), url_path(url), listing_id, scraped_at)


MAX_ROWS = 5_000  # listing rows read from one page at most (a hostile page of a million rows)
MAX_ROW_ID = 200  # characters of a row's id


def row_listings(definition: MarketDefinition, sel: Selector, url: str, scraped_at: str) -> list[RawListing]:
    """The listings a navigation page shows as rows (`listing_rows`), in page order: a row without a title (a
    header, a "sold out" line) is no listing; two rows with one id are one listing (the first)."""
    rows = definition.listing_rows
    if rows is None:
        return []
    base, path = page_base(sel, url), url_path(url)
    out: dict[str, RawListing] = {}
    scopes = RowScopes(sel)
    for row in sel.css(rows.row)[:MAX_ROWS]:
        values = {name: read_field(scopes.of(row, spec.within), spec) for name, spec in rows.fields.items()}
        if not as_text(values, "title"):
            continue
        listing_id = _row_id(row, rows.id, values)
        if listing_id not in out:
            out[listing_id] = _raw_listing(definition, values, base, path, listing_id, scraped_at)
    return list(out.values())


class RowScopes:
    """Where a row's field is read (`within`): the row, the whole page, or the row's nearest enclosing element that
    a CSS selector matches on the page (a ``<details>`` per district around its ``<li>`` rows)."""

    def __init__(self, page: Selector) -> None:
        self.page = page
        self._matches: dict[str, dict[object, Selector]] = {}

    def of(self, row: Selector, within: str | None) -> Selector:
        if within is None:
            return row
        if within == "page":
            return self.page
        if within not in self._matches:
            self._matches[within] = {m.root: m for m in self.page.css(within)}
        matches = self._matches[within]
        root = row.root
        ancestors = root.iterancestors() if hasattr(root, "iterancestors") else iter(())
        found = next((matches[a] for a in ancestors if a in matches), None)
        return found if found is not None else Selector(text="<html></html>")  # none around this row: no value


def _row_id(row: Selector, spec: FieldSpec | None, values: dict[str, str | list[str] | None]) -> str:
    """The row's id from `spec`, else a hash of what identifies the offer (same offer, same id, every crawl)."""
    found = read_field(row, spec) if spec is not None else None
    text = " ".join(found) if isinstance(found, list) else found
    text = " ".join((text or "").split())[:MAX_ROW_ID]
    if text:
        return text
    key = "\x1f".join(as_text(values, name) or "" for name in ("title", "city", "district", "location", "quantity",
                                                                "price_text"))
    return "row-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _vendor_page_id(definition: MarketDefinition, vendor_path: str | None) -> str | None:
    """The id the vendor's own page is stored under: `vendor.url_pattern` on the link as the crawl follows it
    (`/vendor?u=dutchdirect&src=card` → "dutchdirect"); None without a vendor page type or a match."""
    if vendor_path is None or definition.vendor is None:
        return None
    return page_id(definition.vendor, without_params(vendor_path, definition.navigation.drop_params))


def _raw_listing(definition: MarketDefinition, values: dict[str, str | list[str] | None], base: str, path: str,
                 listing_id: str, scraped_at: str) -> RawListing:
    vendor_url = joined_path(base, as_text(values, "vendor_url"))
    return RawListing(
        market=definition.name,
        listing_id=listing_id,
        url=path,
        title=as_text(values, "title") or "",
        description=as_text(values, "description") or "",
        price_text=as_text(values, "price_text") or "",
        vendor_name=as_text(values, "vendor_name") or "",
        vendor_url=vendor_url,
        vendor_id=_vendor_page_id(definition, vendor_url),
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
    assert definition.listing is not None  # listing_links without listing pages is refused by the schema
    return (f"navigation.listing_links found {path!r}, but listing.url_pattern "
            f"'{definition.listing.url_pattern}' does not match it (the pattern is searched in the path + query), "
            "so it is not read as a listing")
