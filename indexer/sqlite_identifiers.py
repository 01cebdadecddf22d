"""The SQLite identifier index (schema version 7): one row per (identifier, listing or vendor), kept on write.

Rows are rewritten whenever a listing or vendor is inserted or its content changes (indexer/sqlite_write.py);
re-sightings leave them alone. Semantics of the filter and the pivot are those of indexer/identifiers.py and
the Store protocol (indexer/store.py: SearchQuery.identifier, Store.pivot).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from onionwatch.indexer import identifiers as ids
from onionwatch.indexer.sqlite_rows import PreparedRow, listing_from_row

TABLE = (
    "CREATE TABLE IF NOT EXISTS identifiers (kind TEXT NOT NULL, value TEXT NOT NULL,"
    " owner TEXT NOT NULL CHECK (owner IN ('listing', 'vendor')), market TEXT NOT NULL, owner_id TEXT NOT NULL,"
    " PRIMARY KEY (kind, value, owner, market, owner_id)) WITHOUT ROWID"
)
OWNER_INDEX = "CREATE INDEX IF NOT EXISTS identifiers_owner ON identifiers (owner, market, owner_id)"
CITY_INDEX = "CREATE INDEX IF NOT EXISTS listings_city ON listings (city, district)"  # the map and city view
PIVOT_LISTINGS = 200  # listings carrying the identifier shown by a pivot (the total is always counted)


def _replace(conn: sqlite3.Connection, owner: str, rows: list[tuple[str, str, set[tuple[str, str]]]]) -> None:
    conn.executemany("DELETE FROM identifiers WHERE owner = ? AND market = ? AND owner_id = ?",
                     [(owner, m, i) for m, i, _ in rows])  # fmt: skip
    conn.executemany(
        "INSERT OR IGNORE INTO identifiers (kind, value, owner, market, owner_id) VALUES (?, ?, ?, ?, ?)",
        [(k, v, owner, m, i) for m, i, found in rows for k, v in found],
    )


def write(conn: sqlite3.Connection, listings: list[PreparedRow], vendors: list[PreparedRow]) -> None:
    """Rewrite the identifiers of listings and vendors whose stored content was just inserted or replaced."""
    _replace(conn, "vendor", [(*r.key, ids.from_vendor(r.values)) for r in vendors])
    _replace(conn, "listing", [(*r.key, ids.from_listing(r.values)) for r in listings])


def backfill(conn: sqlite3.Connection) -> None:
    """Migration to version 7: the table, its index and the identifiers of every stored row; the city index."""
    conn.execute(TABLE)
    conn.execute(OWNER_INDEX)
    conn.execute(CITY_INDEX)
    vendors = conn.execute("SELECT market, vendor_id, name, pgp_fingerprint, contacts, crypto_addresses FROM vendors")
    _replace(conn, "vendor", [(r["market"], r["vendor_id"], ids.from_vendor(dict(r))) for r in vendors])
    cur = conn.execute("SELECT market, listing_id, title, description, vendor FROM listings")
    while batch := cur.fetchmany(2000):
        _replace(conn, "listing", [(r["market"], r["listing_id"], ids.from_listing(dict(r))) for r in batch])


def filter_sql(identifier: str) -> tuple[str, list[Any]]:
    """A condition over listings aliased `l`: its own text carries the identifier, or its vendor's profile."""
    kind, value = ids.parse(identifier)
    sql = (
        "l.id IN (SELECT x.id FROM identifiers i JOIN listings x ON x.market = i.market AND x.listing_id = i.owner_id"
        " WHERE i.kind = ? AND i.value = ? AND i.owner = 'listing'"
        " UNION SELECT x.id FROM identifiers i JOIN listings x ON x.market = i.market AND x.vendor_id = i.owner_id"
        " WHERE i.kind = ? AND i.value = ? AND i.owner = 'vendor')"
    )
    return sql, [kind, value, kind, value]


_VENDOR_STATS = (
    "SELECT count(*), min(first_seen), max(last_seen) FROM listings WHERE market = ?"
    " AND (vendor_id = ? OR (vendor_id IS NULL AND vendor_key = ?))"
)
_KEY_STATS = "SELECT count(*), min(first_seen), max(last_seen) FROM listings WHERE market = ? AND vendor_key = ?" \
             " AND vendor_id IS NULL"  # fmt: skip


def pivot(conn: sqlite3.Connection, identifier: str) -> dict[str, Any]:
    """Everything sharing the identifier (shape: indexer/store.py Store.pivot)."""
    kind, value = ids.parse(identifier)
    vendors: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for r in conn.execute(
        "SELECT v.* FROM identifiers i JOIN vendors v ON v.market = i.market AND v.vendor_id = i.owner_id"
        " WHERE i.kind = ? AND i.value = ? AND i.owner = 'vendor'", (kind, value)
    ):
        n, first, last = conn.execute(_VENDOR_STATS, (r["market"], r["vendor_id"], r["name_key"])).fetchone()
        vendors[(r["market"], r["vendor_id"], r["name_key"])] = {
            "market": r["market"], "vendor_id": r["vendor_id"], "name": r["name"], "listings": n,
            "matching_listings": 0, "in_profile": True, "first_seen": min(x for x in (r["first_seen"], first) if x),
            "last_seen": max(x for x in (r["last_seen"], last) if x),
        }  # fmt: skip
    carried = (
        "FROM identifiers i JOIN listings l ON l.market = i.market AND l.listing_id = i.owner_id"
        " WHERE i.kind = ? AND i.value = ? AND i.owner = 'listing'"
    )
    groups = conn.execute(
        f"SELECT l.market, l.vendor_id, min(l.vendor), l.vendor_key, count(*) {carried}"
        " GROUP BY l.market, l.vendor_id, l.vendor_key", (kind, value)
    ).fetchall()  # fmt: skip
    for market, vendor_id, name, vkey, n in groups:
        known = _vendor_entry(conn, vendors, market, vendor_id, name, vkey)
        known["matching_listings"] += n
    total = conn.execute(f"SELECT count(*) {carried}", (kind, value)).fetchone()[0]
    rows = conn.execute(
        f"SELECT l.* {carried} ORDER BY l.last_seen DESC, l.market, l.listing_id LIMIT ?", (kind, value, PIVOT_LISTINGS)
    ).fetchall()
    return ids.pivot_result(kind, value, list(vendors.values()), [listing_from_row(r) for r in rows], total)


def _vendor_entry(conn, vendors, market: str, vendor_id: str | None, name: str, vkey: str) -> dict[str, Any]:
    """The pivot row of a listing's vendor: its profile row when stored, else one built from its listings."""
    row = None
    if vendor_id is not None:
        hit = next((e for (m, vid, _), e in vendors.items() if m == market and vid == vendor_id), None)
        if hit is not None:
            return hit
        row = conn.execute("SELECT * FROM vendors WHERE market = ? AND vendor_id = ?", (market, vendor_id)).fetchone()
        stats = conn.execute(_VENDOR_STATS, (market, vendor_id, row["name_key"] if row else vkey)).fetchone()
    else:
        if (market, None, vkey) in vendors:
            return vendors[(market, None, vkey)]
        stats = conn.execute(_KEY_STATS, (market, vkey)).fetchone()
    n, first, last = stats
    firsts = [x for x in (first, row["first_seen"] if row else None) if x]
    lasts = [x for x in (last, row["last_seen"] if row else None) if x]
    entry = {"market": market, "vendor_id": vendor_id, "name": row["name"] if row else name, "listings": n,
             "matching_listings": 0, "in_profile": False, "first_seen": min(firsts) if firsts else None,
             "last_seen": max(lasts) if lasts else None}  # fmt: skip
    vendors[(market, vendor_id, vkey)] = entry
    return entry
