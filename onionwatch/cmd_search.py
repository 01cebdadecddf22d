"""`onionwatch search QUERY`: full-text search with filters over the store, as a table or JSON."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any

import click

from onionwatch import jsonout
from onionwatch.audit import record
from onionwatch.indexer.query import MAX_LIMIT, SORTS, QueryError, bound_ts
from onionwatch.indexer.query_values import parse_date, parse_number
from onionwatch.indexer.store import SearchQuery, SearchResult, Store, StoreError, open_store
from onionwatch.visible import terminal_safe

__all__ = ["render_json", "render_table", "search", "terminal_safe"]


# C0/C1 controls, DEL, bidi overrides and zero-width characters: escaped even inside JSON strings


def search_filters(q: SearchQuery) -> dict[str, Any]:
    """The filters of a search as the audit trail keeps them (only those set; the default status, sort and
    sampled facets are none; one value of a repeatable option as itself, several as a list)."""
    defaults = (("status", "all"), ("sort", "relevance"), ("facets_exact", False))
    return {k: (v[0] if len(v) == 1 else list(v)) if isinstance(v, tuple) else v for k, v in asdict(q).items()
            if v not in (None, "") and k not in ("text", "limit", "offset") and (k, v) not in defaults}


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _fail(message: str) -> None:
    click.echo(f"onionwatch: error: {terminal_safe(message)}", err=True)
    sys.exit(2)


def _date(value: str | None, option: str, *, end: bool) -> str | None:
    """A date as typed (01.12.2026, 2026-12-01 or an ISO datetime) -> ISO; exits with one line when bad."""
    if value is None:
        return None
    try:
        iso = parse_date(value, option)
        bound_ts(iso, end=end, field=option)
    except QueryError as exc:
        _fail(str(exc))
    return iso


def _price(value: str | None, option: str) -> float | None:
    if value is None:
        return None
    try:
        number = parse_number(value, option)
    except QueryError as exc:
        _fail(str(exc))
    if number < 0:
        _fail(f"{option}: expected a number >= 0, got {value!r:.40}")
    return number


def _resolve(store: Store, markets: tuple[str, ...], substances: tuple[str, ...],
             classes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:  # fmt: skip
    """--market must name a market in the store; --substance a lexicon name (any language, slang, code);
    --class a substance class. Exits with one line (naming the known values or a suggestion) otherwise."""
    try:
        known = store.search(SearchQuery(limit=0)).facets.get("market", {}) if markets else {}
        from onionwatch.indexer.suggest import resolve_class, resolve_known, resolve_substance  # the lexicon: slow

        return (tuple(resolve_known(m, known, "--market") for m in markets),
                tuple(resolve_substance(x, "--substance") for x in substances),
                tuple(resolve_class(c, "--class") for c in classes))  # fmt: skip
    except (QueryError, StoreError) as exc:
        store.close()
        _fail(str(exc))
        raise


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
    if result.facets_approximate:
        lines.append("facets: counts estimated from a sample of the hits (--exact-facets to count every hit)")
    for name, counts in result.facets.items():
        if counts:
            top = ", ".join(f"{terminal_safe(k)} ({n})" for k, n in list(counts.items())[:8])
            lines.append(f"{name}: {top}")
    return "\n".join(lines)


def render_json(result: SearchResult) -> str:
    """One JSON object {total, hits: [{listing, score, highlight}], facets, facets_approximate}; UTF-8, hidden
    characters escaped. facets_approximate: the facet counts are estimates from a sample of the hits."""
    hits = [asdict(h) for h in result.hits]
    return jsonout.dumps({"total": result.total, "hits": hits, "facets": result.facets,
                          "facets_approximate": result.facets_approximate})  # fmt: skip


@click.command()
@click.argument("query", required=False, default="")
@click.option(
    "--store", "store_url", metavar="URL", help="sqlite:///PATH or http://HOST:9200 (default: user data dir)."
)
@click.option("--market", multiple=True, help="Only this market (repeat: any of them).")
@click.option("--vendor", help="Only this vendor name (case-insensitive).")
@click.option("--substance", multiple=True,
              help="Only listings mentioning this substance: any name, slang or code (мефедрон, 4-MMC); repeatable.")
@click.option("--class", "substance_class", multiple=True,
              help="Only this substance class (stimulant, opioid, ...); repeatable.")
@click.option("--country", multiple=True, help="Only this country (name, Russian name or ISO code); repeatable.")
@click.option("--city", multiple=True, help="Only this city (case-insensitive); repeatable.")
@click.option("--district", multiple=True, help="Only this district (case-insensitive); repeatable.")
@click.option("--min-price", help="Minimum price in USD (inclusive; 10,5 and 1 000 accepted).")
@click.option("--max-price", help="Maximum price in USD (inclusive).")
@click.option("--since", help="Seen on or after this date (01.12.2026, 2026-12-01 or ISO datetime).")
@click.option("--until", help="First seen on or before this date (01.12.2026, 2026-12-01 or ISO datetime).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="Order of hits (relevance falls back to newest without words; ppg_asc: price per gram).")
@click.option("--status", type=click.Choice(["all", "live", "gone"]), default="all", show_default=True,
              help="Listings still found (live), gone after a complete crawl missed them, or both.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=20, show_default=True, help="Hits to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits (paging).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: total, hits, facets.")
@click.option("--operator", help="Who runs the search, for the audit trail (default: the Unix user).")
@click.option("--exact-facets", is_flag=True,
              help="Count the facets over every hit (SQLite estimates them from a sample above 10,000 hits).")
def search(query: str, store_url: str | None, market: tuple[str, ...], vendor: str | None,
           substance: tuple[str, ...], substance_class: tuple[str, ...], country: tuple[str, ...],
           city: tuple[str, ...], district: tuple[str, ...], min_price: str | None, max_price: str | None,
           since: str | None, until: str | None, sort: str, status: str, limit: int, offset: int, as_json: bool,
           operator: str | None, exact_facets: bool) -> None:  # fmt: skip
    """Search indexed listings with the query language (README "Query language"): words AND together,
    OR / ИЛИ / |, NOT / -word, "phrases", prefix*, fields such as city:Караганда price:<10 seen:>=01.12.2026."""
    low, high = _price(min_price, "--min-price"), _price(max_price, "--max-price")
    if low is not None and high is not None and low > high:
        _fail(f"--min-price {low:g} is above --max-price {high:g}")
    try:
        store = open_store(store_url, create=False)
    except StoreError as exc:
        _fail(str(exc))
    markets, substances, classes = _resolve(store, market, substance, substance_class)
    q = SearchQuery(
        text=query, market=markets or None, vendor=vendor, substance=substances or None,
        substance_class=classes or None, country=country or None, city=city or None, district=district or None,
        price_min=low, price_max=high, since=_date(since, "--since", end=False),
        until=_date(until, "--until", end=True), sort=sort, status=status, limit=limit, offset=offset,
        facets_exact=exact_facets,
    )  # fmt: skip
    try:
        record("search", query, {"query": query, "filters": search_filters(q), "json": as_json}, actor=operator)
        result = store.search(q)
    except StoreError as exc:
        _fail(str(exc))
    finally:
        store.close()
    click.echo(render_json(result) if as_json else render_table(result, offset))
