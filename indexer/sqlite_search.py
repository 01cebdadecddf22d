"""SQLite search: FTS5 text match, filters, facets, paging and escaped <mark> highlights.

Semantics (shared with every backend, see also indexer/query.py):
- text: every word term must prefix-match a token of title, description or vendor; hits ranked by
  BM25 (title weighted 10, vendor 3, description 1), then last_seen descending, market, listing_id.
  Without text terms, hits are ordered by last_seen descending, market, listing_id, score 0.
- market: exact; vendor: casefolded name equality; substance: the listing mentions that canonical
  (primary or extracted, known or candidate); substance_class: any of its substances has that class;
  price_min/max: inclusive bounds on price_usd (listings without price_usd excluded); since: last_seen
  >= since; until: first_seen <= until (a bare date means its whole day); status: live, gone or all
  (default all; indexer/changes.py); identifier ("kind:value", indexer/identifiers.py): the listing's own
  title/description/vendor name carries it, or its vendor's profile does.
- facets under all current filters: "market" (listings per market), "substance" (listings per known
  canonical substance), "substance_class" (listings per class of a known substance); largest first,
  at most FACET_SIZE buckets each.
- highlight: an FTS snippet of the best-matching column with the scraped text HTML-escaped and only
  the <mark>…</mark> tags raw; None without text terms.
"""

from __future__ import annotations

import html
import secrets
import sqlite3
from typing import Any

from onionwatch.indexer.changes import check_status
from onionwatch.indexer.query import (
    bound_ts,
    check_number,
    fts5_match,
    page_bounds,
    sorted_counts,
    text_terms,
    vendor_key,
)
from onionwatch.indexer.sqlite_identifiers import filter_sql as identifier_filter
from onionwatch.indexer.sqlite_rows import listing_from_row
from onionwatch.indexer.store import SearchHit, SearchQuery, SearchResult

_SNIPPET_TOKENS = 24


def build_filters(q: SearchQuery) -> tuple[list[str], list[Any]]:
    """SQL conditions over listings aliased `l`, and their parameters (raises QueryError on bad input)."""
    where: list[str] = []
    args: list[Any] = []
    if q.market:
        where.append("l.market = ?")
        args.append(q.market)
    if q.vendor:
        where.append("l.vendor_key = ?")
        args.append(vendor_key(q.vendor))
    if q.substance:
        where.append("l.id IN (SELECT listing_pk FROM listing_substances WHERE canonical = ?)")
        args.append(q.substance.strip().casefold())
    if q.substance_class:
        where.append("l.id IN (SELECT listing_pk FROM listing_substances WHERE cls = ?)")
        args.append(q.substance_class.strip().casefold())
    price_min = check_number(q.price_min, "price_min")
    price_max = check_number(q.price_max, "price_max")
    if price_min is not None:
        where.append("l.price_usd >= ?")
        args.append(price_min)
    if price_max is not None:
        where.append("l.price_usd <= ?")
        args.append(price_max)
    if q.since:
        where.append("l.last_seen >= ?")
        args.append(bound_ts(q.since, end=False, field="since"))
    if q.until:
        where.append("l.first_seen <= ?")
        args.append(bound_ts(q.until, end=True, field="until"))
    if q.identifier:
        sql, more = identifier_filter(q.identifier)
        where.append(sql)
        args.extend(more)
    status = check_status(q.status)
    if status != "all":
        where.append("l.status = ?")
        args.append(status)
    terms = text_terms(q.text)
    if terms:
        where.append("l.id IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)")
        args.append(fts5_match(terms))
    return where, args


def search(conn: sqlite3.Connection, q: SearchQuery) -> SearchResult:
    """Total, facets and one page of hits from one consistent snapshot.

    With filters, the matching ids are materialised once into TEMP.hits and total and facets are
    computed from it (the FTS query runs once more for ranking); without filters, from the base tables.
    """
    where, args = build_filters(q)
    limit, offset = page_bounds(q.limit, q.offset)
    terms = text_terms(q.text)
    broad = True
    conn.execute("BEGIN")
    try:
        if where:
            conn.execute("DELETE FROM temp.hits")
            conn.execute(f"INSERT INTO temp.hits (id) SELECT l.id FROM listings l WHERE {' AND '.join(where)}", args)
            total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
            broad = total * 3 > conn.execute("SELECT count(*) FROM listings").fetchone()[0]
            facets = (_broad_facets(conn) if broad else _facets(conn)) if total else _empty()
        else:
            total = conn.execute("SELECT count(*) FROM listings").fetchone()[0]
            facets = _all_facets(conn)
        hits = _hits(conn, terms, where, args, limit, offset, broad) if total and limit else []
    finally:
        conn.execute("COMMIT")
    return SearchResult(total=total, hits=hits, facets=facets)


def _empty() -> dict[str, dict[str, int]]:
    return {"market": {}, "substance": {}, "substance_class": {}}


def _hits(conn, terms, where, args, limit: int, offset: int, broad: bool) -> list[SearchHit]:
    """One page of hits: first the ordered ids of the page, then rows (and snippets) for those ids only.

    Without text: a narrow filter sorts its few TEMP.hits; a broad one walks the last_seen index.
    """
    if not terms:
        source = "listings l WHERE +l.id IN temp.hits" if where and broad else "listings l"
        if where and not broad:
            source = "temp.hits h CROSS JOIN listings l INDEXED BY listings_narrow ON l.id = h.id"
        ids = conn.execute(
            f"SELECT l.id FROM {source} ORDER BY l.last_seen DESC, l.market, l.listing_id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        rows = _rows(conn, [i for (i,) in ids])
        return [SearchHit(listing=listing_from_row(rows[i])) for (i,) in ids]
    # The text condition is the last filter: rank inside the FTS query instead of via IN (...).
    match, cond = args[-1], " AND ".join(where[:-1]) or "1"
    ranked = conn.execute(
        "SELECT l.id, bm25(listings_fts, 10.0, 1.0, 3.0) AS rank"
        " FROM listings_fts JOIN listings l ON l.id = listings_fts.rowid"
        f" WHERE listings_fts MATCH ? AND {cond}"
        " ORDER BY rank, l.last_seen DESC, l.market, l.listing_id LIMIT ? OFFSET ?",
        [match, *args[:-1], limit, offset],
    ).fetchall()
    mark_open, mark_close = f"\ue000{secrets.token_hex(8)}\ue001", f"\ue002{secrets.token_hex(8)}\ue003"
    marks = ",".join("?" * len(ranked))
    snippets = dict(
        conn.execute(
            f"SELECT rowid, snippet(listings_fts, -1, ?, ?, '…', {_SNIPPET_TOKENS}) FROM listings_fts"
            f" WHERE listings_fts MATCH ? AND rowid IN ({marks})",
            [mark_open, mark_close, match, *(i for i, _ in ranked)],
        ).fetchall()
    )
    rows = _rows(conn, [i for i, _ in ranked])
    return [
        SearchHit(
            listing=listing_from_row(rows[i]),
            score=-float(rank),
            highlight=escape_marked(snippets.get(i), mark_open, mark_close),
        )
        for i, rank in ranked
    ]


def _rows(conn: sqlite3.Connection, ids: list[int]) -> dict[int, sqlite3.Row]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r for r in conn.execute(f"SELECT * FROM listings WHERE id IN ({marks})", ids)}


def escape_marked(snippet: str | None, mark_open: str, mark_close: str) -> str | None:
    """HTML-escape a snippet, then turn the (unguessable) sentinels into raw <mark> tags."""
    if snippet is None:
        return None
    out = html.escape(snippet, quote=True)
    return out.replace(mark_open, "<mark>").replace(mark_close, "</mark>")


def _facets(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Facets over the ids in TEMP.hits (CROSS JOIN: drive from the hits, never scan the big table)."""
    markets = conn.execute(
        "SELECT l.market, count(*) FROM temp.hits h CROSS JOIN listings l INDEXED BY listings_narrow"
        " ON l.id = h.id GROUP BY l.market"
    ).fetchall()
    subs = conn.execute(
        "SELECT s.canonical, count(*) FROM temp.hits h CROSS JOIN listing_substances s ON s.listing_pk = h.id"
        " WHERE s.known = 1 GROUP BY s.canonical"
    ).fetchall()
    classes = conn.execute(
        "SELECT s.cls, count(DISTINCT h.id) FROM temp.hits h CROSS JOIN listing_substances s"
        " ON s.listing_pk = h.id"
        " WHERE s.known = 1 AND s.cls IS NOT NULL GROUP BY s.cls"
    ).fetchall()
    return {
        "market": sorted_counts(markets),
        "substance": sorted_counts(subs),
        "substance_class": sorted_counts(classes),
    }


def _broad_facets(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Facets when most listings match: scan covering indexes, probe TEMP.hits ("+" stops id lookups)."""
    markets = conn.execute("SELECT market, count(*) FROM listings WHERE +id IN temp.hits GROUP BY market")
    market_facet = sorted_counts(markets.fetchall())
    subs = conn.execute(
        "SELECT canonical, count(*) FROM listing_substances WHERE known = 1 AND +listing_pk IN temp.hits"
        " GROUP BY canonical"
    ).fetchall()
    classes = conn.execute(
        "SELECT cls, count(DISTINCT listing_pk) FROM listing_substances"
        " WHERE known = 1 AND cls IS NOT NULL AND +listing_pk IN temp.hits GROUP BY cls"
    ).fetchall()
    return {"market": market_facet, "substance": sorted_counts(subs), "substance_class": sorted_counts(classes)}


def _all_facets(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Facets over every listing, straight from covering indexes."""
    markets = conn.execute("SELECT market, count(*) FROM listings GROUP BY market").fetchall()
    subs = conn.execute(
        "SELECT canonical, count(*) FROM listing_substances WHERE known = 1 GROUP BY canonical"
    ).fetchall()
    classes = conn.execute(
        "SELECT cls, count(DISTINCT listing_pk) FROM listing_substances"
        " WHERE known = 1 AND cls IS NOT NULL GROUP BY cls"
    ).fetchall()
    return {
        "market": sorted_counts(markets),
        "substance": sorted_counts(subs),
        "substance_class": sorted_counts(classes),
    }
