"""The emerging-substances report's data, gathered through the Store protocol only (any backend).

Figures for a period [start, end) and the previous period of equal length:
- new_substances: substances (known, or unknown candidates flagged ``candidate``) whose first observation
  anywhere falls in the period (``substances_first_seen``), with the markets and earliest listing that
  mention them, and the best extractor confidence for candidates.
- signals: the emerging test (reports/signals.py): distinct listings per substance against a baseline of
  equal periods, normalised for crawl coverage, with its method text; "no baseline yet" when the store's
  history is shorter than the baseline.
- growth: distinct listings live in the period per known substance (search facets), this period vs the
  previous one, largest growth first ("growth") and largest fall first ("decline").
- prices: median USD per gram per substance (``price_per_gram``); exact for a one-bucket period (a
  calendar week starting Monday or a calendar month), else the observation-weighted median of the
  bucket medians (flagged ``exact: false``).
- vendors: vendors whose listings were live in the period (search: last_seen >= start, first_seen <
  end), most listings first; ``new`` when the vendor was first seen in the period.
- links: cross-market vendor links (``vendor_profile`` "linked") that appeared in the period, i.e. the
  later-seen vendor of the pair was first seen in it.
Every list is sorted on all its keys, so the same store and period always give the same report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onionwatch.i18n import gettext as _
from onionwatch.indexer.query import MAX_LIMIT, MAX_WINDOW
from onionwatch.indexer.store import SearchQuery, Store
from onionwatch.reports.period import Period
from onionwatch.reports.signals import detect, live_counts

TOP_GROWTH = 20
TOP_DECLINE = 10
TOP_PRICES = 40
TOP_VENDORS = 20


def gather(store: Store, period: Period, generated_at: str | None = None) -> dict[str, Any]:
    """Everything the emerging-substances report shows, as JSON-ready data."""
    prev = period.previous()
    signals = detect(store, period)
    new_subs = new_substances(store, period)
    growth = substance_growth(store, period, prev)
    prices = price_changes(store, period, prev)
    vendors, hits_truncated = active_vendors(store, period)
    links = new_links(store, period, vendors)
    unit = "listings"
    return {
        "report": "emerging",
        "generated_at": generated_at,
        "period": _period_dict(period),
        "previous": _period_dict(prev),
        "listing_unit": unit,
        "signals": signals,
        "summary": _summary(new_subs, growth, prices, vendors, links),
        "new_substances": new_subs,
        "growth": [g for g in growth if g["change"] > 0][:TOP_GROWTH],
        "decline": sorted((g for g in growth if g["change"] < 0), key=lambda g: (g["change"], g["substance"]))[
            :TOP_DECLINE
        ],
        "prices": prices[:TOP_PRICES],
        "vendors": [{k: v for k, v in row.items() if k != "linked"} for row in vendors[:TOP_VENDORS]],
        "links": links,
        "notes": _notes(period, hits_truncated, signals, generated_at),
    }


def _period_dict(p: Period) -> dict[str, Any]:
    return {"start": p.start.isoformat(), "end": p.end.isoformat(), "last_day": p.last_day.isoformat(),
            "days": p.days, "interval": p.interval, "buckets": len(p.buckets())}  # fmt: skip


def _notes(period: Period, truncated: bool, signals: dict[str, Any], generated_at: str | None) -> list[str]:
    notes = []
    if generated_at and generated_at[:10] < period.end.isoformat():
        notes.append(_("The period had not ended when this report was made: its counts are incomplete."))
    if signals["status"] == "no_baseline":
        notes.append(_("No baseline yet: the store's history is shorter than the baseline, so nothing is called"
                       " emerging."))  # fmt: skip
    if not signals["coverage_known"]:
        notes.append(_("No crawl records: counts are not normalised for crawl coverage."))
    if len(period.buckets()) > 1:
        notes.append(_("Median prices are observation-weighted medians of the {interval} medians.").format(
            interval=period.interval))  # fmt: skip
    if truncated:
        notes.append(f"More than {MAX_WINDOW} listings were live in the period: vendor figures cover the first.")
    return notes


def _summary(new_subs: list, growth: list, prices: list, vendors: list, links: list) -> dict[str, Any]:
    moves = [p for p in prices if p["change_pct"] is not None]
    biggest = max(moves, key=lambda p: (abs(p["change_pct"]), p["observations"]), default=None)
    return {
        "new_substances": len(new_subs),
        "new_known": sum(1 for s in new_subs if s["known"]),
        "new_candidates": sum(1 for s in new_subs if not s["known"]),
        "listings": sum(g["listings"] for g in growth),
        "listings_prev": sum(g["listings_prev"] for g in growth),
        "top_growth": growth[0] if growth and growth[0]["change"] > 0 else None,
        "biggest_price_move": biggest,
        "active_vendors": len(vendors),
        "new_vendors": sum(1 for v in vendors if v["new"]),
        "new_links": len(links),
    }


# --- new substances


def new_substances(store: Store, period: Period) -> list[dict[str, Any]]:
    rows = store.substances_first_seen(period.start.isoformat(), period.end.isoformat())
    out = []
    for row in rows:
        detail = _substance_detail(store, row["substance"], row["first_seen"])
        out.append(
            {
                "substance": row["substance"],
                "known": bool(row["known"]),
                "candidate": not row["known"],
                "first_seen": row["first_seen"],
                "listings": row["listings"],
                "confidence": detail["confidence"] if not row["known"] else None,
                "markets": detail["markets"],
                "example": detail["example"],
            }
        )
    out.sort(key=lambda r: (r["known"], -r["listings"], r["first_seen"], r["substance"]))
    return out


def _substance_detail(store: Store, canonical: str, first_seen: str) -> dict[str, Any]:
    """Markets mentioning ``canonical``, the best candidate confidence among its latest 100 listings,
    and its earliest listing (one first seen at ``first_seen``)."""
    result = store.search(SearchQuery(substance=canonical, limit=100, facets=("market",)))
    listings = [h.listing for h in result.hits]
    confidences = [
        float(s.get("confidence") or 0.0)
        for item in listings
        for s in item.get("substances") or []
        if s.get("canonical") == canonical
    ]
    markets = sorted(result.facets.get("market") or {str(item.get("market")) for item in listings})
    earliest = [h.listing for h in store.search(SearchQuery(substance=canonical, until=first_seen, limit=100,
                                                             facets=())).hits]
    first = min(earliest, key=lambda x: (x.get("first_seen") or "", x["market"], x["listing_id"]), default=None)
    example = None
    if first is not None:
        example = {"market": first["market"], "listing_id": first["listing_id"], "title": first.get("title") or "",
                   "vendor": first.get("vendor") or ""}  # fmt: skip
    return {"confidence": round(max(confidences), 3) if confidences else None, "markets": markets, "example": example}


# --- growth and prices


def _in(rows: Iterable[dict[str, Any]], period: Period) -> list[dict[str, Any]]:
    buckets = set(period.buckets())
    return [r for r in rows if r["period"] in buckets]


def _sum_by_substance(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[r["substance"]] = out.get(r["substance"], 0) + int(r["listings"])
    return out


def pct(now: float, before: float | None) -> float | None:
    """Percent change from ``before`` to ``now``, one decimal; None without a non-zero base."""
    if not before:
        return None
    return round(100.0 * (now - before) / before, 1)


def substance_growth(store: Store, period: Period, prev: Period) -> list[dict[str, Any]]:
    """Distinct listings live in the period per known substance, against the previous period."""
    now, before = live_counts(store, period)[0], live_counts(store, prev)[0]
    out: list[dict[str, Any]] = [
        {"substance": s, "listings": now.get(s, 0), "listings_prev": before.get(s, 0),
         "change": now.get(s, 0) - before.get(s, 0), "change_pct": pct(now.get(s, 0), before.get(s, 0))}
        for s in sorted(set(now) | set(before))
    ]  # fmt: skip
    out.sort(key=lambda r: (-r["change"], -r["listings"], r["substance"]))
    return out


def weighted_median(pairs: list[tuple[float, int]]) -> float:
    """Median of values repeated by their weights (exact median when there is one pair)."""
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    if len(pairs) == 1:
        return pairs[0][0]
    lo_rank, hi_rank = (total - 1) // 2, total // 2
    values: list[float] = []
    seen = 0
    for value, weight in pairs:
        for rank in (lo_rank, hi_rank):
            if seen <= rank < seen + weight:
                values.append(value)
        seen += weight
    return (values[0] + values[-1]) / 2


def _medians(rows: list[dict[str, Any]]) -> dict[str, tuple[float, int]]:
    groups: dict[str, list[tuple[float, int]]] = {}
    for r in rows:
        groups.setdefault(r["substance"], []).append((float(r["median_usd_per_gram"]), int(r["observations"])))
    return {s: (weighted_median(v), sum(w for _, w in v)) for s, v in groups.items()}


def price_changes(store: Store, period: Period, prev: Period) -> list[dict[str, Any]]:
    rows = store.price_per_gram(interval=period.interval)
    now, before = _medians(_in(rows, period)), _medians(_in(rows, prev))
    exact = len(period.buckets()) == 1
    out: list[dict[str, Any]] = []
    for s in sorted(now):
        median, n = now[s]
        old = before.get(s)
        out.append(
            {
                "substance": s,
                "median_usd_per_gram": round(median, 2),
                "observations": n,
                "median_prev": round(old[0], 2) if old else None,
                "observations_prev": old[1] if old else 0,
                "change_pct": pct(median, old[0]) if old else None,
                "exact": exact,
            }
        )
    out.sort(key=lambda r: (-r["observations"], r["substance"]))
    return out


# --- vendors and links


def _live_listings(store: Store, period: Period) -> tuple[list[dict[str, Any]], bool]:
    """Listings live in the period (last_seen >= start, first_seen before end), paged; and truncation."""
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        q = SearchQuery(since=period.start.isoformat(), until=period.last_day.isoformat(), limit=MAX_LIMIT,
                        offset=offset, facets=())  # fmt: skip
        result = store.search(q)
        out.extend(h.listing for h in result.hits)
        offset += MAX_LIMIT
        if not result.hits or offset >= result.total:
            return out, False
        if offset >= MAX_WINDOW:
            return out, True


def active_vendors(store: Store, period: Period) -> tuple[list[dict[str, Any]], bool]:
    listings, truncated = _live_listings(store, period)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in listings:
        name = str(item.get("vendor") or "")
        vid = item.get("vendor_id")
        if not vid and not name.strip():
            continue
        key = (str(item["market"]), f"id:{vid}" if vid else f"name:{name.strip().casefold()}")
        groups.setdefault(key, []).append(item)
    out: list[dict[str, Any]] = []
    for (market, _key), items in groups.items():
        vid = next((i["vendor_id"] for i in items if i.get("vendor_id")), None)
        profile = store.vendor_profile(market, vid) if vid else None
        first = (profile or {}).get("first_seen") or min(i.get("first_seen") or "" for i in items)
        out.append(
            {
                "market": market,
                "vendor_id": vid,
                "vendor": (profile or {}).get("name") or min(str(i.get("vendor") or "") for i in items),
                "listings": len(items),
                "substances": sorted({i["substance"] for i in items if i.get("substance")}),
                "first_seen": first,
                "new": first[:10] >= period.start.isoformat(),
                "linked": [dict(x) for x in (profile or {}).get("linked") or []],
            }
        )
    out.sort(key=lambda v: (-v["listings"], v["market"], v["vendor_id"] or "", v["vendor"]))
    return out, truncated


def new_links(store: Store, period: Period, vendors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cross-market links of active vendors whose later-seen side was first seen in the period."""
    first_seen: dict[tuple[str, str], str] = {}

    def seen(market: str, vid: str) -> str:
        if (market, vid) not in first_seen:
            profile = store.vendor_profile(market, vid) or {}
            first_seen[(market, vid)] = str(profile.get("first_seen") or "")
        return first_seen[(market, vid)]

    out: dict[tuple[tuple[str, str], tuple[str, str]], dict[str, Any]] = {}
    for v in vendors:
        if not v["vendor_id"]:
            continue
        first_seen[(v["market"], v["vendor_id"])] = v["first_seen"]
        for link in v["linked"]:
            if link["market"] == v["market"]:
                continue
            a, b = (v["market"], v["vendor_id"]), (link["market"], link["vendor_id"])
            appeared = max(seen(*a), seen(*b))[:10]
            if not period.start.isoformat() <= appeared < period.end.isoformat():
                continue
            names = {a: v["vendor"], b: link["name"]}
            left, right = sorted((a, b))
            out[(left, right)] = {
                "market": left[0], "vendor_id": left[1], "vendor": names[left],
                "linked_market": right[0], "linked_vendor_id": right[1], "linked_vendor": names[right],
                "reason": link["reason"], "score": link["score"], "appeared": appeared,
            }  # fmt: skip
    return [out[k] for k in sorted(out)]
