"""SQLite side of change-only recrawls: mark listings gone after a complete crawl, read vendor history."""

from __future__ import annotations

import sqlite3
from typing import Any

from onionwatch.errors import StoreError


def mark_gone(conn: sqlite3.Connection, crawl_id: str) -> int:
    """Mark gone every live listing of the crawl's market not seen since the crawl started; returns how many.

    Only a `complete` crawl may do this (a partial crawl did not look everywhere): StoreError otherwise.
    gone_at is the crawl's end; last_seen keeps the listing's last sighting.
    """
    try:
        row = conn.execute("SELECT market, status, started_at, ended_at FROM crawls WHERE id = ?",
                           (int(crawl_id),)).fetchone()
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise StoreError(f"mark_gone: no crawl {crawl_id!r}")
    if row["status"] != "complete":
        raise StoreError(f"mark_gone: crawl {crawl_id} is {row['status']}, not complete: nothing marked gone")
    cur = conn.execute(
        "UPDATE listings SET status = 'gone', gone_at = ? WHERE market = ? AND status = 'live' AND last_seen < ?",
        (row["ended_at"] or row["started_at"], row["market"], row["started_at"]),
    )
    return cur.rowcount


def vendor_history(conn: sqlite3.Connection, market: str, vendor_id: str) -> list[dict[str, Any]]:
    """[{"field", "old", "new", "changed_at"}] oldest first (then by field)."""
    rows = conn.execute(
        "SELECT field, old_value, new_value, changed_at FROM vendor_history WHERE market = ? AND vendor_id = ?"
        " ORDER BY changed_at, field",
        (market, vendor_id),
    )
    return [{"field": f, "old": o, "new": n, "changed_at": t} for f, o, n, t in rows]
