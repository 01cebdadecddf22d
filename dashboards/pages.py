"""Dashboard pages: each turns (store, params) into (template name, context). No HTML here."""

from __future__ import annotations

import html
import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from onionwatch.dashboards.charts import bars, sparkline
from onionwatch.dashboards.params import PER_PAGE, BadRequest, Params, search_form
from onionwatch.indexer.query import MAX_WINDOW
from onionwatch.indexer.store import SearchQuery, Store

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


def vendor_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    market, vendor_id = params.required("market"), params.required("id")
    profile = store.vendor_profile(market, vendor_id)
    if profile is None:
        raise NotFound(f"no vendor {vendor_id!r} on market {market!r}")
    recent = store.search(SearchQuery(market=market, vendor=profile["name"], limit=20))
    return "vendor.html", {
        "v": profile,
        "history": store.vendor_history(market, vendor_id),
        "recent": [h.listing for h in recent.hits],
        "recent_total": recent.total,
        "search_url": url("/", {"market": market, "vendor": profile["name"]}),
    }


def _pivot(rows: list[dict[str, Any]], key: str, value: str) -> tuple[list[str], dict[str, dict[str, Any]]]:
    periods = sorted({r["period"] for r in rows})
    table: dict[str, dict[str, Any]] = {}
    for r in rows:
        table.setdefault(r[key], {})[r["period"]] = r[value]
    return periods, table


def trends_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    market = params.text("market")
    weeks = params.integer("weeks", 12, 2, 104)
    months = params.integer("months", 12, 2, 60)
    substance = params.text("substance")
    periods, table = _pivot(store.listings_per_substance("week", market), "substance", "listings")
    periods = periods[-weeks:]
    per_substance = []
    for name, series in table.items():
        counts = [series.get(p, 0) for p in periods]
        if any(counts):
            per_substance.append({"name": name, "counts": counts, "total": sum(counts), "chart": bars(counts, periods)})
    per_substance.sort(key=lambda r: (-r["total"], r["name"]))
    m_periods, m_table = _pivot(store.price_per_gram(substance, "month"), "substance", "median_usd_per_gram")
    m_periods = m_periods[-months:]
    prices = []
    for name, series in sorted(m_table.items()):
        medians = [series.get(p) for p in m_periods]
        if any(v is not None for v in medians):
            prices.append({"name": name, "medians": medians, "chart": sparkline(medians, m_periods)})
    v_periods, v_table = _pivot(store.active_vendors("week", market), "market", "vendors")
    v_periods = v_periods[-weeks:]
    vendors = [
        {
            "market": m,
            "counts": [s.get(p, 0) for p in v_periods],
            "chart": bars([s.get(p, 0) for p in v_periods], v_periods),
        }
        for m, s in sorted(v_table.items())
    ]
    return "trends.html", {
        "form": {"market": market or "", "weeks": weeks, "months": months, "substance": substance or ""},
        "periods": periods,
        "shown_periods": periods[-8:],
        "per_substance": per_substance[:25],
        "m_periods": m_periods,
        "shown_months": m_periods[-6:],
        "prices": prices,
        "v_periods": v_periods,
        "vendors": vendors,
    }


def emerging_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    days = params.integer("days", 30, 1, 3650)
    ref_text = params.date("ref")
    ref = date.fromisoformat(ref_text[:10]) if ref_text else datetime.now(UTC).date()
    try:
        since, until = ref - timedelta(days=days - 1), ref + timedelta(days=1)
    except OverflowError:  # ref=9999-12-31, or ref=0001-01-01 with days > 1
        raise BadRequest(f"ref: {ref.isoformat()} with days={days} is outside the calendar") from None
    rows = store.substances_first_seen(since.isoformat(), until.isoformat())
    for r in rows:
        r["url"] = url("/", {"substance": r["substance"]})
    return "emerging.html", {
        "rows": rows,
        "days": days,
        "since": since.isoformat(),
        "ref": ref.isoformat(),
        "candidates": sum(1 for r in rows if not r["known"]),
    }


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
