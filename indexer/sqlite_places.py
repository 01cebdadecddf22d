"""Places on SQLite: listings per stored city and district, and one city's summary (indexer/store.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from onionwatch.indexer.query import median, page_bounds
from onionwatch.indexer.sqlite_rows import listing_from_row


def places(conn: sqlite3.Connection, market: str | None) -> list[dict[str, Any]]:
    cond, args = ("AND market = ?", [market]) if market else ("", [])
    rows = conn.execute(
        f"SELECT city, nullif(district, ''), count(*) FROM listings WHERE city IS NOT NULL AND city <> '' {cond}"
        " GROUP BY city, nullif(district, '')", args
    ).fetchall()  # fmt: skip
    out: list[dict[str, Any]] = [{"city": c, "district": d or None, "listings": n} for c, d, n in rows]
    out.sort(key=lambda r: (-r["listings"], r["city"], r["district"] or ""))
    return out


def city_summary(conn: sqlite3.Connection, cities: Sequence[str], limit: int, offset: int) -> dict[str, Any]:
    limit, offset = page_bounds(limit, offset)
    names = sorted(set(cities))
    if not names:
        return {"listings": 0, "hits": [], "vendors": [], "substances": [], "districts": {}}
    inside = f"l.city IN ({','.join('?' * len(names))})"
    total = conn.execute(f"SELECT count(*) FROM listings l WHERE {inside}", names).fetchone()[0]
    hits = conn.execute(
        f"SELECT * FROM listings l WHERE {inside} ORDER BY l.last_seen DESC, l.market, l.listing_id LIMIT ? OFFSET ?",
        [*names, limit, offset],
    ).fetchall()
    vendors = conn.execute(
        f"SELECT l.market, min(l.vendor), l.vendor_id, count(*) FROM listings l WHERE {inside}"
        " GROUP BY l.market, l.vendor_key, l.vendor_id", names
    ).fetchall()  # fmt: skip
    prices: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for sub, ppg in conn.execute(
        f"SELECT l.substance, l.price_per_gram_usd FROM listings l WHERE {inside} AND l.substance IS NOT NULL", names
    ):
        counts[sub] = counts.get(sub, 0) + 1
        if ppg is not None:
            prices.setdefault(sub, []).append(ppg)
    districts = conn.execute(
        f"SELECT l.district, count(*) FROM listings l WHERE {inside} AND l.district IS NOT NULL AND l.district <> ''"
        " GROUP BY l.district", names
    ).fetchall()  # fmt: skip
    subs = {s: (n, median(prices[s]) if s in prices else None, len(prices.get(s, []))) for s, n in counts.items()}
    return summary(total, [listing_from_row(r) for r in hits],
                   [{"market": m, "vendor": v, "vendor_id": vid, "listings": n} for m, v, vid, n in vendors],
                   subs, dict(districts))  # fmt: skip


def summary(total: int, hits: list[dict[str, Any]], vendors: list[dict[str, Any]],
            subs: dict[str, tuple[int, float | None, int]], districts: dict[str, int]) -> dict[str, Any]:
    """The backend-neutral city summary, sorted: largest first, then by name."""
    vendors.sort(key=lambda v: (-v["listings"], v["market"], (v["vendor"] or "").casefold()))
    rows: list[dict[str, Any]] = [
        {"substance": s, "listings": n, "median_usd_per_gram": None if m is None else round(m, 6), "priced": p}
        for s, (n, m, p) in subs.items()
    ]
    rows.sort(key=lambda r: (-r["listings"], r["substance"]))
    return {"listings": total, "hits": hits, "vendors": vendors, "substances": rows,
            "districts": dict(sorted(districts.items(), key=lambda kv: (-kv[1], kv[0])))}
