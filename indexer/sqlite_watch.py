"""SQLite watchlists: stored watches, evaluated over each written batch into alerts (indexer/watch_alerts.py).

Semantics (shared with every backend): a watch matches a listing when ALL its criteria hold
(indexer/query.py watch_matches); it alerts on a NEW listing and on a matched listing's PRICE CHANGE beyond
its threshold, never on a re-sighting (watch_alerts.decide). Evaluated in the batch's transaction with the
listings' stored state read before the batch is written (``priors``). created_at is the wall-clock UTC time
of the write; observed_at the matching listing's scraped_at. alerts(since) returns created_at >= since,
oldest first. Watch names and criteria are unique (casefolded): a duplicate is a QueryError.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from onionwatch.indexer.query import QueryError, bound_ts, check_watch, listing_substances, now_ts, watch_criteria
from onionwatch.indexer.sqlite_rows import PreparedRow
from onionwatch.indexer.sqlite_write import latest_per_key
from onionwatch.indexer.watch_alerts import ALERT_FIELDS, MARKS, Prior, decide, snapshot


def _watches(conn: sqlite3.Connection) -> list[tuple[int, dict[str, Any]]]:
    return [(wid, json.loads(d)) for wid, d in conn.execute("SELECT id, definition FROM watches ORDER BY id")]


def check_unique(w: dict[str, Any], others: Iterable[tuple[Any, dict[str, Any]]], skip: Any = None) -> None:
    """QueryError when another watch has the same name or the same criteria (backend-neutral)."""
    for wid, other in others:
        if str(wid) == str(skip):
            continue
        if other["name"].casefold() == w["name"].casefold():
            raise QueryError(f"watch: name: {w['name']!r} is already watch {wid}")
        if watch_criteria(other) == watch_criteria(w):
            raise QueryError(f"watch: the same criteria as watch {wid} ({other['name']!r})")


def add_watch(conn: sqlite3.Connection, watch: dict[str, Any]) -> str:
    w = check_watch(watch)
    check_unique(w, _watches(conn))
    cur = conn.execute(
        "INSERT INTO watches (name, definition, created_at) VALUES (?, ?, ?)",
        (w["name"], json.dumps(w, ensure_ascii=False), now_ts()),
    )
    return str(cur.lastrowid)


def _id(watch_id: str) -> int:
    try:
        return int(watch_id)
    except (TypeError, ValueError):
        raise QueryError(f"watch: no watch {str(watch_id)[:40]!r}") from None


def update_watch(conn: sqlite3.Connection, watch_id: str, watch: dict[str, Any]) -> None:
    w = check_watch(watch)
    wid = _id(watch_id)
    check_unique(w, _watches(conn), skip=wid)
    cur = conn.execute("UPDATE watches SET name = ?, definition = ? WHERE id = ?",
                       (w["name"], json.dumps(w, ensure_ascii=False), wid))
    if cur.rowcount == 0:
        raise QueryError(f"watch: no watch {watch_id!r}")


def remove_watch(conn: sqlite3.Connection, watch_id: str) -> bool:
    """Delete a watch and its alerts; False when there was none."""
    return conn.execute("DELETE FROM watches WHERE id = ?", (_id(watch_id),)).rowcount > 0


def watches(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT w.id, w.definition, w.created_at, (SELECT count(*) FROM alerts a WHERE a.watch_id = w.id),"
        " (SELECT count(*) FROM alerts a WHERE a.watch_id = w.id AND a.acked_at IS NULL)"
        " FROM watches w ORDER BY w.id"
    )
    out = []
    for wid, definition, created, n, unacked in rows:
        d = json.loads(definition)
        out.append({"id": str(wid), "name": d["name"], "definition": d, "created_at": created, "alerts": n,
                    "unacked": unacked})
    return out


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


def priors(stored: Mapping[tuple[str, str], sqlite3.Row]) -> dict[tuple[str, str], Prior]:
    """The stored state of the batch's listings before it is written (sqlite_write.stored_listings; absent: a new
    listing)."""
    return {key: Prior(row["last_seen"], row["price_usd"]) for key, row in stored.items()}


def evaluate(conn: sqlite3.Connection, listings: list[PreparedRow], before: dict[tuple[str, str], Prior]) -> int:
    """Insert the alerts this batch raises (watch_alerts.decide); returns how many were new."""
    watches_ = _watches(conn)
    if not watches_ or not listings:
        return 0
    need_fp = any("pgp_fingerprint" in w for _, w in watches_)
    created = now_ts()
    rows = []
    for key, row in latest_per_key(listings).items():
        fp = _fingerprint(conn, row) if need_fp else None
        subs = listing_substances(row.record)
        for wid, w in watches_:
            def last(wid: int = wid, key: tuple[str, str] = key) -> float | None:
                hit = conn.execute("SELECT price_usd FROM alerts WHERE watch_id = ? AND market = ? AND listing_id = ?"
                                   " ORDER BY id DESC LIMIT 1", (wid, *key)).fetchone()
                return hit[0] if hit else None

            found = decide(w, row.record, fp, row.seen, before.get(key), last, subs)
            if found is None:
                continue
            snap = snapshot(row.record)
            rows.append((wid, found[0], *key, snap["url"], snap["title"], snap["vendor"], snap["price_usd"],
                         found[1], snap["price_amount"], snap["price_currency"], row.seen, created))
    before_n = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO alerts (watch_id, kind, market, listing_id, url, title, vendor, price_usd,"
        " old_price_usd, price_amount, price_currency, observed_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return conn.total_changes - before_n


def alerts(
    conn: sqlite3.Connection, since: str | None, *, unacked: bool = False, watch_id: str | None = None,
    unmarked: str | None = None,
) -> list[dict[str, Any]]:
    lo = bound_ts(since, end=False, field="since") if since else ""
    where: list[str] = ["a.created_at >= ?"]
    args: list[Any] = [lo]
    if unacked:
        where.append("a.acked_at IS NULL")
    if watch_id is not None:
        where.append("a.watch_id = ?")
        args.append(_id(watch_id))
    if unmarked is not None:
        if unmarked not in MARKS:
            raise QueryError(f"alerts: unmarked: expected one of {', '.join(MARKS)}")
        where.append(f"a.{unmarked} IS NULL")
    cols = ", ".join(f"a.{f}" for f in ALERT_FIELDS if f != "watch_name")
    rows = conn.execute(
        f"SELECT {cols}, w.name FROM alerts a JOIN watches w ON w.id = a.watch_id WHERE {' AND '.join(where)}"
        " ORDER BY a.created_at, a.id",
        args,
    )
    names = [f for f in ALERT_FIELDS if f != "watch_name"] + ["watch_name"]
    out = []
    for r in rows:
        d = dict(zip(names, r, strict=True))
        d["id"], d["watch_id"] = str(d["id"]), str(d["watch_id"])
        out.append(d)
    return out


def _ids(alert_ids: Iterable[str]) -> list[int]:
    return [_id_alert(a) for a in alert_ids]


def _id_alert(alert_id: str) -> int:
    try:
        return int(alert_id)
    except (TypeError, ValueError):
        raise QueryError(f"alert: no alert {str(alert_id)[:40]!r}") from None


def acknowledge(conn: sqlite3.Connection, alert_ids: Iterable[str], actor: str) -> int:
    """Mark alerts acknowledged by ``actor`` now (already acknowledged ones keep who and when)."""
    now = now_ts()
    ids = _ids(alert_ids)
    return sum(
        conn.execute("UPDATE alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL",
                     (now, actor, i)).rowcount
        for i in ids
    )


def mark(conn: sqlite3.Connection, alert_ids: Iterable[str], field: str) -> int:
    """Set a delivery mark (notified_at, digest_at) on alerts that have none; returns how many."""
    if field not in MARKS:
        raise QueryError(f"alerts: mark: expected one of {', '.join(MARKS)}")
    now = now_ts()
    return sum(conn.execute(f"UPDATE alerts SET {field} = ? WHERE id = ? AND {field} IS NULL", (now, i)).rowcount
               for i in _ids(alert_ids))
