"""SQLite watchlists: stored watches, evaluated over each written batch into deduplicated alerts.

Semantics (shared with every backend): a watch matches a listing when ALL its criteria hold
(indexer/query.py watch_matches). Every listing of a batch is evaluated in the batch's transaction,
including listings older than the stored state. One alert per (watch, market, listing_id), ever:
replays and later observations add none. created_at is the wall-clock UTC time of the write;
observed_at the matching listing's scraped_at. alerts(since) returns created_at >= since, oldest first.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from onionwatch.indexer.query import bound_ts, check_watch, now_ts, watch_matches
from onionwatch.indexer.sqlite_rows import PreparedRow


def add_watch(conn: sqlite3.Connection, watch: dict[str, Any]) -> str:
    w = check_watch(watch)
    cur = conn.execute(
        "INSERT INTO watches (name, definition, created_at) VALUES (?, ?, ?)",
        (w["name"], json.dumps(w, ensure_ascii=False), now_ts()),
    )
    return str(cur.lastrowid)


def _watches(conn: sqlite3.Connection) -> list[tuple[int, dict[str, Any]]]:
    return [(wid, json.loads(d)) for wid, d in conn.execute("SELECT id, definition FROM watches ORDER BY id")]


def _fingerprint(conn: sqlite3.Connection, row: PreparedRow) -> str | None:
    v = row.values
    if v["vendor_id"]:
        hit = conn.execute(
            "SELECT pgp_fingerprint FROM vendors WHERE market = ? AND vendor_id = ?", (v["market"], v["vendor_id"])
        ).fetchone()
    else:
        hit = conn.execute(
            "SELECT pgp_fingerprint FROM vendors WHERE market = ? AND name_key = ? AND pgp_fingerprint IS NOT NULL"
            " ORDER BY vendor_id LIMIT 1",
            (v["market"], v["vendor_key"]),
        ).fetchone()
    return hit[0] if hit else None


def evaluate(conn: sqlite3.Connection, listings: list[PreparedRow]) -> int:
    """Insert alerts for every (watch, listing) match of this batch; returns how many were new."""
    watches = _watches(conn)
    if not watches or not listings:
        return 0
    need_fp = any("pgp_fingerprint" in w for _, w in watches)
    created = now_ts()
    rows = []
    for row in listings:
        fp = _fingerprint(conn, row) if need_fp else None
        for wid, w in watches:
            if watch_matches(w, row.record, fp):
                rows.append((wid, row.key[0], row.key[1], row.seen, created))
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO alerts (watch_id, market, listing_id, observed_at, created_at) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return conn.total_changes - before


def alerts(conn: sqlite3.Connection, since: str | None) -> list[dict[str, Any]]:
    lo = bound_ts(since, end=False, field="since") if since else ""
    rows = conn.execute(
        "SELECT a.id, a.watch_id, w.name, a.market, a.listing_id, a.observed_at, a.created_at"
        " FROM alerts a JOIN watches w ON w.id = a.watch_id WHERE a.created_at >= ?"
        " ORDER BY a.created_at, a.id",
        (lo,),
    )
    return [
        {
            "id": str(i),
            "watch_id": str(wid),
            "watch_name": name,
            "market": m,
            "listing_id": lid,
            "observed_at": obs,
            "created_at": created,
        }
        for i, wid, name, m, lid, obs, created in rows
    ]
