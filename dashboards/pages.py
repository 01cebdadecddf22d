"""Dashboard pages: each turns (store, params) into (template name, context). No HTML here."""

from __future__ import annotations

import html
import math
import re
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from onionwatch.dashboards.charts import sparkline
from onionwatch.dashboards.params import PER_PAGE, BadRequest, Params, search_form
from onionwatch.indexer.query import MAX_WINDOW
from onionwatch.indexer.store import Store

FACETS = (("market", "Market", "market"), ("substance", "Substance", "substance"),
          ("substance_class", "Class", "class"))  # fmt: skip
_MARK = re.compile(r"(</?mark>)")


class NotFound(Exception):
    """The requested listing or vendor does not exist (HTTP 404)."""


def url(path: str, values: dict[str, Any]) -> str:
    clean = {k: v for k, v in values.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path


def safe_highlight(highlight: str | None) -> Markup | None:
    """Trust only <mark>/</mark> in a store highlight; any other angle bracket is escaped again."""
    if not highlight:
        return None
    parts = _MARK.split(highlight)
    return Markup("".join(p if _MARK.fullmatch(p) else p.replace("<", "&lt;").replace(">", "&gt;") for p in parts))


def _hit(listing: dict[str, Any], highlight: Markup | None) -> dict[str, Any]:
    """A result row: when the highlight is the whole title, it is shown as the title, else as a snippet."""
    hit: dict[str, Any] = {"l": listing, "title_html": None, "snippet": highlight}
    if highlight is not None:
        plain = html.unescape(str(highlight).replace("<mark>", "").replace("</mark>", ""))
        if plain == (listing.get("title") or ""):
            hit["title_html"], hit["snippet"] = highlight, None
    return hit


def search_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    form = search_form(params)
    result = store.search(form.query)
    hits = [_hit(h.listing, safe_highlight(h.highlight)) for h in result.hits]
    facets = []
    for key, label, param in FACETS:
        buckets = []
        for value, count in list(result.facets.get(key, {}).items())[:12]:
            active = form.values.get(param) == value
            target = {**form.values, param: None if active else value}
            buckets.append({"value": value, "count": count, "active": active, "url": url("/", target)})
        facets.append({"label": label, "buckets": buckets})
    pages = max(1, math.ceil(min(result.total, MAX_WINDOW) / form.per_page))
    paging = {
        "page": form.page,
        "pages": pages,
        "prev": url("/", {**form.values, "page": form.page - 1}) if form.page > 1 else None,
        "next": url("/", {**form.values, "page": form.page + 1}) if form.page < pages else None,
        "first": form.query.offset + 1 if hits else 0,
        "last": form.query.offset + len(hits),
    }
    return "search.html", {
        "form": form.values,
        "per_page_options": PER_PAGE,
        "per_page": form.per_page,
        "total": result.total,
        "hits": hits,
        "facets": facets,
        "paging": paging,
        "filtered": bool(form.values),
    }


def listing_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    market, listing_id = params.required("market"), params.required("id")
    listing = store.get_listing(market, listing_id)
    if listing is None:
        raise NotFound(f"no listing {listing_id!r} on market {market!r}")
    observations = listing.get("observations", [])
    labels = [o["observed_at"][:10] for o in observations]
    chart = sparkline([o["price_usd"] for o in observations], labels, width=540, height=70)
    return "listing.html", {"l": listing, "observations": observations, "chart": chart}


def alerts_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    since = params.date("since")
    rows = store.alerts(since)
    rows.reverse()  # newest first
    limit = params.integer("limit", 200, 1, 5000)
    return "alerts.html", {"rows": rows[:limit], "total": len(rows), "since": since or "", "limit": limit}


def check_known(params: Params, allowed: set[str]) -> None:
    """Reject unknown parameters so typos are not silently ignored."""
    unknown = sorted(set(params.values) - allowed)
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)[:200]}")
