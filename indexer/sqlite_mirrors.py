"""The mirror_health table: the time series of each market mirror's health (probes and crawls)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

# schema version 5 (indexer/sqlite_migrate.py): one self-contained set of statements, also in schema.sql
MIRROR_HEALTH_V5 = [
    "CREATE TABLE IF NOT EXISTS mirror_health (id INTEGER PRIMARY KEY, market TEXT NOT NULL CHECK (market <> ''),"
    " mirror TEXT NOT NULL CHECK (mirror <> ''), checked_at TEXT NOT NULL,"
    " source TEXT NOT NULL CHECK (source IN ('probe', 'crawl')), up INTEGER NOT NULL CHECK (up IN (0, 1)),"
    " status INTEGER, latency_ms REAL, requests INTEGER NOT NULL DEFAULT 1, failures INTEGER NOT NULL DEFAULT 0,"
    " error TEXT)",
    "CREATE INDEX IF NOT EXISTS mirror_health_market ON mirror_health (market, checked_at)",
]
COLUMNS = ("market", "mirror", "checked_at", "source", "up", "status", "latency_ms", "requests", "failures", "error")


def record(conn: sqlite3.Connection, samples: Sequence[dict[str, Any]]) -> int:
    rows = [(s["market"], s["mirror"], s["checked_at"], s["source"], int(bool(s["up"])), s.get("status"),
             s.get("latency_ms"), int(s.get("requests", 1)), int(s.get("failures", 0)),
             (s.get("error") or None) and str(s["error"])[:500]) for s in samples]
    conn.executemany(f"INSERT INTO mirror_health ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                     rows)
    return len(rows)


def samples(conn: sqlite3.Connection, market: str | None, since: str | None) -> list[dict[str, Any]]:
    where, args = [], []
    if market is not None:
        where.append("market = ?")
        args.append(market)
    if since is not None:
        where.append("checked_at >= ?")
        args.append(since)
    sql = f"SELECT {', '.join(COLUMNS)} FROM mirror_health"
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(sql + " ORDER BY checked_at, id", args).fetchall()
    return [{**{c: r[c] for c in COLUMNS}, "up": bool(r["up"])} for r in rows]
