"""Dashboard pages: each turns (store, params) into (template name, context). No HTML here."""

from __future__ import annotations

import html
import math
import re
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from onionwatch.dashboards.charts import sparkline
from onionwatch.dashboards.params import PER_PAGE, BadRequest, Params, SearchForm, search_form
from onionwatch.errors import QueryError, StoreError
from onionwatch.indexer.query import MAX_WINDOW
from onionwatch.indexer.store import SearchResult, Store


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a message marked, not translated
    return message


# labels are message ids, translated when rendered (templates call _() on them, per request)
FACETS = (("market", N_("Market"), "market"), ("substance", N_("Substance"), "substance"),
          ("substance_class", N_("Class"), "class"), ("country", N_("Country"), "country"),
          ("city", N_("City"), "city"), ("district", N_("District"), "district"))  # fmt: skip
SORT_LABELS = (("relevance", N_("Relevance")), ("newest", N_("Newest")), ("oldest", N_("Oldest first seen")),
               ("price_asc", N_("Price: low to high")), ("price_desc", N_("Price: high to low")),
               ("ppg_asc", N_("Price per gram")))  # fmt: skip

_MARK = re.compile(r"(</?mark>)")


class NotFound(Exception):
    """The requested listing or vendor does not exist (HTTP 404)."""


def url(path: str, values: dict[str, Any]) -> str:
    """path?query with empty values dropped; a list value repeats its parameter (multi-select)."""
    clean = {k: v for k, v in values.items() if v not in (None, "", [])}
    return f"{path}?{urlencode(clean, doseq=True)}" if clean else path


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


def _facet_buckets(result_facets: dict[str, dict[str, int]], form: SearchForm) -> list[dict[str, Any]]:
    """Multi-select facet links: a value toggles in or out of its facet's selection (values OR together)."""
    facets = []
    for key, label, param in FACETS:
        chosen = list(form.values.get(param) or [])
        buckets = []
        counts = result_facets.get(key, {})
        shown = list(counts.items())[:12]
        shown += [(v, counts.get(v, 0)) for v in chosen if v not in dict(shown)]  # a selection never hides
        for value, count in shown:
            active = value in chosen
            toggled = [v for v in chosen if v != value] if active else [*chosen, value]
            target = {**form.values, param: toggled, "page": None}
            buckets.append({"value": value, "count": count, "active": active, "url": url("/", target)})
        facets.append({"label": label, "param": param, "buckets": buckets, "chosen": chosen})
    return facets


def search_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    form = search_form(params)
    result = SearchResult(total=0)
    if not form.errors:
        try:
            result = store.search(form.query)
        except StoreError as exc:
            if not isinstance(exc.__cause__, QueryError):
                raise
            form.errors.append(str(exc))  # a value in the query language: shown with the search kept
    hits = [_hit(h.listing, safe_highlight(h.highlight)) for h in result.hits]
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
        "errors": form.errors,
        "per_page_options": PER_PAGE,
        "per_page": form.per_page,
        "sorts": SORT_LABELS,
        "sort": form.values.get("sort") or "relevance",
        "total": result.total,
        "hits": hits,
        "facets": _facet_buckets(result.facets, form),
        "facets_approximate": result.facets_approximate,  # counts from a sample of the hits: say so, offer exact
        "exact_url": url("/", {**form.values, "exact": "1", "page": None}),
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
    """Alerts newest first, optionally unacknowledged only and of one watch; the template holds the ack form."""
    from onionwatch.notify.render import price_text

    since = params.date("since")
    unacked = params.text("unacked", max_len=3) == "1"
    watch = params.text("watch", max_len=40)
    watches = store.watches()
    if watch is not None and watch not in {w["id"] for w in watches}:
        raise NotFound(f"watch: no watch {watch!r}")
    rows = store.alerts(since, unacked=unacked, watch_id=watch)
    rows.reverse()  # newest first
    limit = params.integer("limit", 200, 1, 5000)
    for a in rows[:limit]:
        a["price_shown"] = price_text(a)
    return "alerts.html", {"rows": rows[:limit], "total": len(rows), "since": since or "", "limit": limit,
                           "unacked": unacked, "watch": watch or "", "watches": watches}


def check_known(params: Params, allowed: set[str]) -> None:
    """Reject unknown parameters so typos are not silently ignored."""
    unknown = sorted(set(params.values) - allowed)
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)[:200]}")
