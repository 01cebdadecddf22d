"""`onionwatch search QUERY`: full-text search with filters over the store, as a table or JSON."""

from __future__ import annotations

import math
import sys
from dataclasses import asdict
from typing import Any

import click

from onionwatch import jsonout
from onionwatch.audit import record
from onionwatch.indexer.query import MAX_LIMIT, QueryError, bound_ts
from onionwatch.indexer.store import SearchQuery, SearchResult, StoreError, open_store
from onionwatch.visible import terminal_safe

__all__ = ["render_json", "render_table", "search", "terminal_safe"]


def search_filters(q: SearchQuery) -> dict[str, Any]:
    """The filters of a search as the audit trail keeps them (only those set; the default status `all` is none)."""
    return {k: v for k, v in asdict(q).items()
            if v not in (None, "") and k not in ("text", "limit", "offset") and (k, v) != ("status", "all")}


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _fail(message: str) -> None:
    click.echo(f"onionwatch: error: {terminal_safe(message)}", err=True)
    sys.exit(2)


def _date(value: str | None, option: str, *, end: bool) -> str | None:
    if value is None:
        return None
    try:
        bound_ts(value, end=end, field=option)
    except QueryError as exc:
        _fail(f"{exc} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
    return value


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _qty(q: dict[str, Any] | None) -> str:
    if not q:
        return ""
    return f"{q['value']:g}{q['unit'] if q['unit'] != 'unit' else ' u'}"


COLUMNS = (("TITLE", 40), ("MARKET", 10), ("VENDOR", 14), ("SUBSTANCE", 12), ("QTY", 7), ("PRICE", 14),
           ("USD", 9), ("LAST SEEN", 15))  # fmt: skip


def _row(listing: dict[str, Any]) -> list[str]:
    price = listing.get("price")
    price_text = f"{_money(price['amount'])} {price['currency']}" if price else ""
    return [
        listing.get("title") or "",
        listing.get("market") or "",
        listing.get("vendor") or "",
        listing.get("substance") or "",
        _qty(listing.get("quantity")),
        price_text,
        _money(listing.get("price_usd")),
        (listing.get("last_seen") or "")[:10] + (" gone" if listing.get("status") == "gone" else ""),
    ]


def render_table(result: SearchResult, offset: int) -> str:
    """The human-readable result: a fixed-width table, then totals and facets; every cell terminal-safe."""
    lines = ["  ".join(name.ljust(width) for name, width in COLUMNS).rstrip()]
    for hit in result.hits:
        cells = [_truncate(terminal_safe(v), w).ljust(w) for v, (_, w) in zip(_row(hit.listing), COLUMNS, strict=True)]
        lines.append("  ".join(cells).rstrip())
    shown = f"{offset + 1}-{offset + len(result.hits)}" if result.hits else "0"
    lines.append(f"\n{result.total} listing(s), showing {shown}")
    for name, counts in result.facets.items():
        if counts:
            top = ", ".join(f"{terminal_safe(k)} ({n})" for k, n in list(counts.items())[:8])
            lines.append(f"{name}: {top}")
    return "\n".join(lines)


def render_json(result: SearchResult) -> str:
    """One JSON object {total, hits: [{listing, score, highlight}], facets}; UTF-8, hidden characters escaped."""
    return jsonout.dumps({"total": result.total, "hits": [asdict(h) for h in result.hits], "facets": result.facets})


@click.command()
@click.argument("query", required=False, default="")
@click.option(
    "--store", "store_url", metavar="URL", help="sqlite:///PATH or http://HOST:9200 (default: user data dir)."
)
@click.option("--market", help="Only this market.")
@click.option("--vendor", help="Only this vendor name (case-insensitive).")
@click.option("--substance", help="Only listings mentioning this canonical substance.")
@click.option("--class", "substance_class", help="Only this substance class (stimulant, opioid, ...).")
@click.option("--min-price", type=click.FloatRange(min=0), help="Minimum price in USD (inclusive).")
@click.option("--max-price", type=click.FloatRange(min=0), help="Maximum price in USD (inclusive).")
@click.option("--since", help="Seen on or after this date (YYYY-MM-DD or ISO datetime).")
@click.option("--until", help="First seen on or before this date (YYYY-MM-DD or ISO datetime).")
@click.option("--status", type=click.Choice(["all", "live", "gone"]), default="all", show_default=True,
              help="Listings still found (live), gone after a complete crawl missed them, or both.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=20, show_default=True, help="Hits to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits (paging).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: total, hits, facets.")
@click.option("--operator", help="Who runs the search, for the audit trail (default: the Unix user).")
def search(query: str, store_url: str | None, market: str | None, vendor: str | None, substance: str | None,
           substance_class: str | None, min_price: float | None, max_price: float | None, since: str | None,
           until: str | None, status: str, limit: int, offset: int, as_json: bool,
           operator: str | None) -> None:  # fmt: skip
    """Search indexed listings: every word of QUERY must match title, description or vendor."""
    for option, value in (("--min-price", min_price), ("--max-price", max_price)):
        if value is not None and not math.isfinite(value):
            _fail(f"{option}: expected a finite number, got {value}")
    if min_price is not None and max_price is not None and min_price > max_price:
        _fail(f"--min-price {min_price:g} is above --max-price {max_price:g}")
    q = SearchQuery(
        text=query, market=market, vendor=vendor, substance=substance, substance_class=substance_class,
        price_min=min_price, price_max=max_price, since=_date(since, "--since", end=False),
        until=_date(until, "--until", end=True), status=status, limit=limit, offset=offset,
    )  # fmt: skip
    try:
        store = open_store(store_url, create=False)
    except StoreError as exc:
        _fail(str(exc))
    try:
        record("search", query, {"query": query, "filters": search_filters(q), "json": as_json}, actor=operator)
        result = store.search(q)
    except StoreError as exc:
        _fail(str(exc))
    finally:
        store.close()
    click.echo(render_json(result) if as_json else render_table(result, offset))
