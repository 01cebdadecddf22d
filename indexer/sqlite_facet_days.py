"""Facet counts per day of last_seen and market (SQLite schema version 12), maintained on write: a search
filtered by market, by a day-aligned `since` and/or by one substance reads its total and every facet from a
few thousand rows instead of joining ~200k hits (indexer/sqlite_search.py `search`).

facet_days (scope, facet, day, market, value, n): the listings whose last_seen falls on ``day``
('YYYY-MM-DD') with that market and facet value, among
- scope '': every listing;
- scope S (a canonical substance): the listings with any listing_substances row of S (known or not: what
  the substance filter selects, indexer/sqlite_query.py).
Facets as indexer/sqlite_search.py `facet` counts them over hits: market, country, city, district (the
column, when not NULL), substance_class (the listing has at least one known substance of that class) and,
in scope '' only, substance (the listing has that known substance). A search is exact from these rows
when its conditions are market values (any number), `since` at a day's start and at most one substance
(`plan_of`); everything else takes the hits path. Rows whose count fell to 0 stay with n = 0. The
counts per day also say how far down listings_recent a newest-first page must walk (`first_day`).

Write path (as indexer/sqlite_rollups.py): `Tracker.before` subtracts the stored contribution of every
listing a batch touches, `after` adds the new one, in the write transaction (a failed write rolls them back
with the rows); retention purges subtract a listing before deleting it (`remove`); `backfill` (the
version 12 migration) counts everything stored.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

TABLE = (
    "CREATE TABLE IF NOT EXISTS facet_days (scope TEXT NOT NULL, facet TEXT NOT NULL, day TEXT NOT NULL,"
    " market TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (scope, facet, day, market, value)) WITHOUT ROWID"
)
COLUMNS = ("market", "country", "city", "district")
CHUNK = 500  # listing ids per IN (...) look-up
DAY_START = "T00:00:00Z"  # a since bound at a day's start: last_seen >= it <=> last_seen's day >= that day

Key = tuple[str, str, str, str, str]  # scope, facet, day, market, value

_ROWS = (
    "SELECT l.id, substr(l.last_seen, 1, 10), l.market, l.country, l.city, l.district, s.canonical, s.cls, s.known"
    " FROM listings l LEFT JOIN listing_substances s ON s.listing_pk = l.id {where} ORDER BY l.id"
)


def _add(counts: Counter[Key], rows: Iterable[tuple[Any, ...]], sign: int) -> None:
    """The contribution of each listing (rows of _ROWS, grouped by id) times sign."""
    for _, group in groupby(rows, key=lambda r: r[0]):
        items = list(group)
        _, day, market, *cols = items[0][:6]
        subs = [(c, cls, known) for *_, c, cls, known in items if c is not None]
        values = [(f, v) for f, v in zip(COLUMNS, (market, *cols), strict=True) if v is not None]
        classes = {cls for _, cls, known in subs if known == 1 and cls is not None}
        for scope in ("", *{c for c, _, _ in subs}):
            for facet, value in values:
                counts[(scope, facet, day, market, value)] += sign
            for cls in classes:
                counts[(scope, "substance_class", day, market, cls)] += sign
        for canonical in {c for c, _, known in subs if known == 1}:
            counts[("", "substance", day, market, canonical)] += sign


def _chunks(pks: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(pks))
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def contributions(conn: sqlite3.Connection, pks: Iterable[int], sign: int, counts: Counter[Key]) -> None:
    for chunk in _chunks(pks):
        where = f"WHERE l.id IN ({','.join('?' * len(chunk))})"
        _add(counts, conn.execute(_ROWS.format(where=where), chunk), sign)


def write(conn: sqlite3.Connection, counts: Counter[Key]) -> None:
    conn.executemany(
        "INSERT INTO facet_days (scope, facet, day, market, value, n) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO UPDATE SET n = n + excluded.n",
        [(*k, n) for k, n in counts.items() if n],
    )


class Tracker:
    """One write batch: `before(pks)` ahead of the writes, `after(pks)` behind them, in one transaction."""

    def __init__(self) -> None:
        self.counts: Counter[Key] = Counter()

    def before(self, conn: sqlite3.Connection, pks: Iterable[int]) -> None:
        contributions(conn, pks, -1, self.counts)

    def after(self, conn: sqlite3.Connection, pks: Iterable[int]) -> None:
        contributions(conn, pks, +1, self.counts)
        write(conn, self.counts)


def remove(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    """Subtract these listings (before a purge deletes them)."""
    counts: Counter[Key] = Counter()
    contributions(conn, pks, -1, counts)
    write(conn, counts)


def backfill(conn: sqlite3.Connection) -> None:
    """Count every stored listing (migration to version 12)."""
    conn.execute(TABLE)
    conn.execute("DELETE FROM facet_days")
    counts: Counter[Key] = Counter()
    _add(counts, conn.execute(_ROWS.format(where="")), +1)
    write(conn, counts)


@dataclass(frozen=True)
class Plan:
    """A search these counts answer exactly: market values, since (a day), at most one substance."""

    markets: tuple[str, ...]
    day: str | None  # listings with last_seen on this day or later
    since: str | None  # the since bound (day + DAY_START)
    substance: str | None  # casefolded, as the substance filter takes it

    def scope(self, facet: str) -> str:
        return "" if facet == "substance" or self.substance is None else self.substance


def where(plan: Plan, facet: str) -> tuple[str, list[Any]]:
    """Rows of one facet under every condition but the facet's own selection (disjunctive facets)."""
    sql, args = "scope = ? AND facet = ?", [plan.scope(facet), facet]
    if plan.day is not None:
        sql += " AND day >= ?"
        args.append(plan.day)
    if plan.markets and facet != "market":
        sql += f" AND market IN ({','.join('?' * len(plan.markets))})"
        args.extend(plan.markets)
    return sql, args


def counts(conn: sqlite3.Connection, plan: Plan, facet: str) -> list[tuple[str, int]]:
    sql, args = where(plan, facet)
    return conn.execute(f"SELECT value, sum(n) FROM facet_days WHERE {sql} GROUP BY value HAVING sum(n) > 0",
                        args).fetchall()  # fmt: skip


def per_day(conn: sqlite3.Connection, plan: Plan) -> list[tuple[str, int]]:
    """(day, listings meeting every condition whose last_seen is that day), newest day first (every listing
    has one market: the market rows of the selected markets)."""
    sql, args = where(plan, "market")
    if plan.markets:
        sql += f" AND value IN ({','.join('?' * len(plan.markets))})"
        args.extend(plan.markets)
    return conn.execute(f"SELECT day, sum(n) FROM facet_days WHERE {sql} GROUP BY day HAVING sum(n) > 0"
                        " ORDER BY day DESC", args).fetchall()  # fmt: skip


def first_day(days: list[tuple[str, int]], needed: int) -> str | None:
    """The oldest day a newest-first page needs to reach ``needed`` hits (None: no hit at all)."""
    seen = 0
    for day, n in days:
        seen += n
        if seen >= needed:
            return str(day)
    return str(days[-1][0]) if days else None


def listings_since(conn: sqlite3.Connection, day: str) -> int:
    """Every listing whose last_seen is on or after the day: what a newest-first walk down to it passes."""
    sql = "SELECT coalesce(sum(n), 0) FROM facet_days WHERE scope = '' AND facet = 'market' AND day >= ?"
    return int(conn.execute(sql, (day,)).fetchone()[0])


def conds(plan: Plan, day: str) -> tuple[str, list[Any]]:
    """The same conditions over ``listings l``, for a newest-first page that needs no hit before ``day``."""
    parts, args = ["l.last_seen >= ?"], [day + DAY_START]
    if plan.markets:
        parts.append(f"l.market IN ({','.join('?' * len(plan.markets))})")
        args.extend(plan.markets)
    if plan.substance is not None:
        parts.append("EXISTS (SELECT 1 FROM listing_substances s WHERE s.listing_pk = l.id AND s.canonical = ?)")
        args.append(plan.substance)
    return " AND ".join(parts), args


def plan_of(base: list[tuple[str, list[Any]]], selected: dict[str, tuple[str, list[Any]]]) -> Plan | None:
    """The Plan of a search's conditions (indexer/sqlite_query.py base_conds and facet_conds), or None when
    these counts cannot answer it exactly (any other condition, several substances, since within a day)."""
    since = None
    if base:
        if len(base) > 1 or base[0][0] != "l.last_seen >= ?":
            return None
        since = str(base[0][1][0])
        if not since.endswith(DAY_START):
            return None
    if set(selected) - {"market", "substance"} or (not base and not selected):
        return None
    markets = tuple(selected["market"][1]) if "market" in selected else ()
    substances = selected["substance"][1] if "substance" in selected else []
    if len(substances) > 1:
        return None
    day = since[: -len(DAY_START)] if since else None
    return Plan(markets, day, since, str(substances[0]) if substances else None)
