"""SQLite trends and profiles: per-period substance/price/vendor series, emerging substances, vendors.

Semantics (shared with every backend):
- Periods come from observation time (observed_at = the listing's scraped_at): "day", "week"
  (Monday) or "month" (first day), as ISO dates. Rows are sorted by period, then the other keys.
- Observations are change-only (indexer/changes.py), so every series carries each listing's latest
  observation forward: a listing counts in every period from its first observation to the period of its
  last_seen, with the values of its latest observation up to the end of that period.
- listings_per_substance: listings per period per their carried primary substance (none: not counted).
  SQLite reads it from the rollup of schema version 9 (indexer/sqlite_rollups.py), exact.
- price_per_gram: per period and carried primary substance, the exact median of the carried
  price_per_gram_usd over listings that have one (the mean of the two middle values for an even count),
  and how many listings ("observations"). SQLite serves it from the version 9 rollup: the count exact,
  the median exact when the price bucket at the middle rank holds one distinct price in that period, else
  within that ~2 % bucket (indexer/sqlite_rollups.py explains).
- active_vendors: per period and market, distinct vendor keys (casefolded names) of carried listings.
  SQLite reads it from the rollup of schema version 11 (indexer/sqlite_rollups.py), exact.
- substances_first_seen: per canonical substance mentioned by a stored listing (primary or extracted,
  known or candidate): first_seen = the earliest first_seen of those listings, listings = how many,
  known = True if any listing has it as a known substance; rows with since <= first_seen < until,
  sorted by first_seen then substance.
- vendor_profile: the vendor record plus its listings on that market (matched by vendor_id, or by
  name when a listing has no vendor_id), their known substances {canonical: listings}, first/last
  seen over the vendor record and its listings, and linked vendors on any market: same PGP fingerprint
  (reason "pgp", score 1.0) else same normalised name (reason "name", score 0.6), sorted by score
  descending, market, vendor_id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from onionwatch.indexer import changes, sqlite_rollups
from onionwatch.indexer.changes import ObsRow
from onionwatch.indexer.query import bound_ts, check_interval
from onionwatch.indexer.sqlite_rows import listing_from_row, vendor_from_row

PGP_SCORE = 1.0
NAME_SCORE = 0.6


_CARRY_SQL = (
    "SELECT o.listing_pk, o.observed_at, o.market, o.substance, o.price_per_gram_usd, o.vendor_key, l.last_seen"
    " FROM observations o JOIN listings l ON l.id = o.listing_pk {where} ORDER BY o.listing_pk, o.observed_at"
)


def _rows(conn: sqlite3.Connection, interval: str, market: str | None) -> Iterator[ObsRow]:
    check_interval(interval)
    where, args = ("WHERE o.market = ?", [market]) if market else ("", [])
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples: ~100k rows per call
    make = ObsRow._make
    for row in cur.execute(_CARRY_SQL.format(where=where), args):
        yield make(row)


def listings_per_substance(conn: sqlite3.Connection, interval: str, market: str | None) -> list[dict[str, Any]]:
    """From the version 9 rollup (indexer/sqlite_rollups.py): the same rows as raw_listings_per_substance."""
    return sqlite_rollups.listings_per_substance(conn, interval, market)


def price_per_gram(conn: sqlite3.Connection, substance: str | None, interval: str) -> list[dict[str, Any]]:
    """From the version 9 rollup: exact counts; medians as indexer/sqlite_rollups.py documents."""
    return sqlite_rollups.price_per_gram(conn, substance, interval)


def raw_listings_per_substance(conn: sqlite3.Connection, interval: str, market: str | None) -> list[dict[str, Any]]:
    """From every observation (what the rollup must equal; tests and bench compare)."""
    return changes.listings_per_substance(_rows(conn, interval, market), interval)


def raw_price_per_gram(conn: sqlite3.Connection, substance: str | None, interval: str) -> list[dict[str, Any]]:
    return changes.price_per_gram(_rows(conn, interval, None), substance, interval)


def active_vendors(conn: sqlite3.Connection, interval: str, market: str | None) -> list[dict[str, Any]]:
    """From the version 11 rollup (indexer/sqlite_rollups.py): the same rows as raw_active_vendors."""
    return sqlite_rollups.active_vendors(conn, interval, market)


def raw_active_vendors(conn: sqlite3.Connection, interval: str, market: str | None) -> list[dict[str, Any]]:
    return changes.active_vendors(_rows(conn, interval, market), interval)


# Schema 14: per substance, seeks into two indexes instead of one grouped scan with a count(DISTINCT) sort. The
# substances come from a skip scan of listing_substances_canonical (one seek per substance); the first_seen is the
# first entry of listing_substances_first (canonical, first_seen); the count is a covering-index range count,
# less the listings that have the substance both as a known and as a candidate row (none unless the lexicon
# changed between two writes of a listing: checked only for substances with both kinds of row).
FIRST_SEEN_SQL = (
    "WITH RECURSIVE subs(canonical) AS (SELECT min(canonical) FROM listing_substances UNION ALL"
    " SELECT (SELECT min(s.canonical) FROM listing_substances s WHERE s.canonical > subs.canonical) FROM subs"
    " WHERE subs.canonical IS NOT NULL),"
    " per AS (SELECT canonical,"
    " (SELECT max(known) FROM listing_substances s WHERE s.canonical = subs.canonical) AS known,"
    " (SELECT min(known) FROM listing_substances s WHERE s.canonical = subs.canonical) AS unknown,"
    " (SELECT min(first_seen) FROM listing_substances s WHERE s.canonical = subs.canonical) AS first"
    " FROM subs WHERE canonical IS NOT NULL)"
    " SELECT canonical, known, first,"
    " (SELECT count(*) FROM listing_substances s WHERE s.canonical = per.canonical)"
    " - CASE WHEN known = 1 AND unknown = 0 THEN (SELECT count(*) FROM listing_substances a WHERE"
    " a.canonical = per.canonical AND a.known = 0 AND EXISTS (SELECT 1 FROM listing_substances b"
    " WHERE b.listing_pk = a.listing_pk AND b.canonical = a.canonical AND b.known = 1)) ELSE 0 END"
    " FROM per WHERE first >= ? AND (? IS NULL OR first < ?) ORDER BY first, canonical"
)


def substances_first_seen(conn: sqlite3.Connection, since: str, until: str | None) -> list[dict[str, Any]]:
    """Seeks per substance into listing_substances_canonical and listing_substances_first (schema 14)."""
    lo = bound_ts(since, end=False, field="since")
    hi = bound_ts(until, end=False, field="until") if until else None
    rows = conn.execute(FIRST_SEEN_SQL, (lo, hi, hi))
    return [{"substance": c, "known": bool(k), "first_seen": f, "listings": n} for c, k, f, n in rows]


_VENDOR_LISTINGS = (
    "FROM listings l WHERE l.market = ? AND (l.vendor_id = ? OR (l.vendor_id IS NULL AND l.vendor_key = ?))"
)


def vendor_profile(conn: sqlite3.Connection, market: str, vendor_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM vendors WHERE market = ? AND vendor_id = ?", (market, vendor_id)).fetchone()
    if row is None:
        return None
    out = vendor_from_row(row)
    args = (market, vendor_id, row["name_key"])
    n, first, last = conn.execute(
        f"SELECT count(*), min(l.first_seen), max(l.last_seen) {_VENDOR_LISTINGS}", args
    ).fetchone()
    subs = conn.execute(
        "SELECT s.canonical, count(*) FROM listing_substances s"
        f" WHERE s.known = 1 AND s.listing_pk IN (SELECT l.id {_VENDOR_LISTINGS})"
        " GROUP BY s.canonical ORDER BY count(*) DESC, s.canonical",
        args,
    ).fetchall()
    out["listings"] = n
    out["substances"] = {c: k for c, k in subs}
    out["first_seen"] = min(x for x in (row["first_seen"], first) if x)
    out["last_seen"] = max(x for x in (row["last_seen"], last) if x)
    out["linked"] = linked_vendors(conn, row)
    return out


def linked_vendors(conn: sqlite3.Connection, row: sqlite3.Row) -> list[dict[str, Any]]:
    fp, norm = row["pgp_fingerprint"], row["name_norm"]
    found = conn.execute(
        "SELECT market, vendor_id, name, pgp_fingerprint FROM vendors"
        " WHERE NOT (market = ? AND vendor_id = ?)"
        " AND ((? IS NOT NULL AND pgp_fingerprint = ?) OR (? <> '' AND name_norm = ?))",
        (row["market"], row["vendor_id"], fp, fp, norm, norm),
    ).fetchall()
    links = []
    for m, vid, name, other_fp in found:
        pgp = fp is not None and other_fp == fp
        links.append(
            {
                "market": m,
                "vendor_id": vid,
                "name": name,
                "reason": "pgp" if pgp else "name",
                "score": PGP_SCORE if pgp else NAME_SCORE,
            }
        )
    links.sort(key=lambda x: (-x["score"], x["market"], x["vendor_id"]))
    return links


def listing_detail(conn: sqlite3.Connection, market: str, listing_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM listings WHERE market = ? AND listing_id = ?", (market, listing_id)).fetchone()
    if row is None:
        return None
    out = listing_from_row(row)
    obs = conn.execute(
        "SELECT observed_at, price, currency, price_usd, price_per_gram_usd, quantity, unit FROM observations"
        " WHERE market = ? AND listing_id = ? ORDER BY observed_at",
        (market, listing_id),
    )
    out["observations"] = [dict(r) for r in obs]
    return out
