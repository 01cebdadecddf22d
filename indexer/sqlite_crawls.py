"""The crawls table: one row per crawl with its status, counters, reasons and per-field fill rates."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from onionwatch.indexer.query import now_ts

CRAWL_STATUSES = ("running", "complete", "partial", "failed", "interrupted")


def check_status(status: str) -> str:
    if status not in CRAWL_STATUSES:
        raise ValueError(f"crawl status {status!r}: expected one of {', '.join(CRAWL_STATUSES)}")
    return status


def begin_crawl(conn: sqlite3.Connection, market: str) -> str:
    now = now_ts()
    cur = conn.execute("INSERT INTO crawls (market, status, started_at, updated_at) VALUES (?, 'running', ?, ?)",
                       (market, now, now))
    return str(cur.lastrowid)


def update_crawl(conn: sqlite3.Connection, crawl_id: str, status: str, counters: dict[str, Any],
                 reasons: list[str], fill_rates: dict[str, float] | None) -> bool:
    now = now_ts()
    ended = None if status == "running" else now
    cur = conn.execute(
        "UPDATE crawls SET status = ?, updated_at = ?, ended_at = ?, counters = ?, reasons = ?,"
        " fill_rates = coalesce(?, fill_rates) WHERE id = ?",
        (check_status(status), now, ended, json.dumps(counters, sort_keys=True), json.dumps(list(reasons)),
         None if fill_rates is None else json.dumps(fill_rates, sort_keys=True), _int_id(crawl_id)),
    )
    return cur.rowcount == 1


def crawls(conn: sqlite3.Connection, market: str | None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM crawls" + (" WHERE market = ?" if market is not None else "") + " ORDER BY id DESC"
    rows = conn.execute(sql, (market,) if market is not None else ()).fetchall()
    return [{"crawl_id": str(r["id"]), "market": r["market"], "status": r["status"], "started_at": r["started_at"],
             "updated_at": r["updated_at"], "ended_at": r["ended_at"], "counters": json.loads(r["counters"]),
             "reasons": json.loads(r["reasons"]), "fill_rates": json.loads(r["fill_rates"])} for r in rows]


def _int_id(crawl_id: str) -> int:
    try:
        return int(crawl_id)
    except (TypeError, ValueError):
        return -1
