"""Pivot pages: everything sharing an identifier (/pivot), and the vendor page with its full listing history.

Identifier links: ``pivot_url(kind, value)`` gives the /pivot link of any address, handle, fingerprint or name
the templates show (extractor keys such as "telegram" or "BTC" are mapped to identifier kinds), or "" when the
value is not a valid identifier of that kind (it is then shown as plain text).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from onionwatch.dashboards.pages import NotFound, url
from onionwatch.dashboards.params import PER_PAGE, BadRequest, Params
from onionwatch.errors import QueryError
from onionwatch.indexer import identifiers as ids
from onionwatch.indexer.query import MAX_WINDOW
from onionwatch.indexer.store import SearchQuery, Store

_KIND_OF = {**ids.CONTACT_KINDS, **ids.COIN_KINDS, **{k: k for k in ids.KINDS}}


def pivot_url(kind: str, value: str | None) -> str:
    """The /pivot link of ``value`` as a ``kind`` identifier (or extractor key), "" when it is none."""
    k = _KIND_OF.get((kind or "").casefold())
    norm = ids.normalise(k, value) if k else None
    return f"/pivot?{urlencode({'kind': k, 'value': norm})}" if k and norm else ""


def identifier_links(found: set[tuple[str, str]]) -> list[dict[str, str]]:
    """[{"kind", "label", "value", "url"}] sorted by kind order, then value."""
    order = {k: i for i, k in enumerate(ids.KINDS)}
    return [{"kind": k, "label": ids.LABELS[k], "value": v, "url": pivot_url(k, v)}
            for k, v in sorted(found, key=lambda kv: (order[kv[0]], kv[1]))]  # fmt: skip


def pivot_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    kind, value = params.required("kind"), params.required("value")
    try:
        kind, value = ids.parse(f"{kind}:{value}")
    except QueryError as exc:
        raise BadRequest(str(exc)) from None
    result = store.pivot(ids.key(kind, value))
    return "pivot.html", {"p": result, "label": ids.LABELS[kind], "markets": len(result["markets"])}


def listing_page_extras(listing: dict[str, Any]) -> dict[str, Any]:
    """What the listing page adds: the identifiers in its text and the pivot link of its vendor name."""
    found = {(k, v) for k, v in ids.from_listing(listing) if k != "vendor"}
    return {"identifiers": identifier_links(found), "vendor_pivot": pivot_url("vendor", listing.get("vendor"))}


def vendor_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    """The vendor profile, its profile changes and its full listing history (gone ones too), newest first."""
    market, vendor_id = params.required("market"), params.required("id")
    per_page = params.integer("per_page", 20, 1, 100)
    if per_page not in PER_PAGE:
        raise BadRequest(f"per_page: one of {', '.join(map(str, PER_PAGE))}")
    page = params.integer("page", 1, 1, MAX_WINDOW // per_page)
    profile = store.vendor_profile(market, vendor_id)
    if profile is None:
        raise NotFound(f"no vendor {vendor_id!r} on market {market!r}")
    found = store.search(SearchQuery(market=market, vendor=profile["name"], status="all", limit=per_page,
                                     offset=(page - 1) * per_page))  # fmt: skip
    pages = max(1, math.ceil(min(found.total, MAX_WINDOW) / per_page))
    if page > pages:
        raise BadRequest(f"page: this vendor's history has {pages} page(s)")
    here = {"market": market, "id": vendor_id, "per_page": per_page if per_page != 20 else None}
    return "vendor.html", {
        "v": profile,
        "identifiers": identifier_links(ids.from_vendor(profile)),
        "history": store.vendor_history(market, vendor_id),
        "listings": [h.listing for h in found.hits],
        "listings_total": found.total,
        "paging": {
            "page": page, "pages": pages, "per_page": per_page, "per_page_options": PER_PAGE,
            "first": (page - 1) * per_page + 1 if found.hits else 0, "last": (page - 1) * per_page + len(found.hits),
            "prev": url("/vendor", {**here, "page": page - 1}) if page > 1 else None,
            "next": url("/vendor", {**here, "page": page + 1}) if page < pages else None,
        },  # fmt: skip
        "search_url": url("/", {"market": market, "vendor": profile["name"]}),
    }
